/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-findings-view"

#include <glib/gi18n.h>

#include "cin-findings-view.h"

#define MAX_WIDTH_CHARS 30

struct _CinFindingsView
{
  GtkWidget   parent_instance;

  /* Owned */
  GtkWidget  *list;        /* GtkListBox */
  GtkWidget  *all_clear;   /* shown when nothing was found */
  GPtrArray  *findings;    /* (element-type CinFinding) */
};

G_DEFINE_FINAL_TYPE (CinFindingsView, cin_findings_view, GTK_TYPE_WIDGET)

enum {
  ACTIVATED,
  APPLY_SUGGESTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
severity_icon (CinSeverity severity)
{
  switch (severity)
    {
    case CIN_SEVERITY_ERROR: return "dialog-error-symbolic";
    case CIN_SEVERITY_WARNING: return "dialog-warning-symbolic";
    case CIN_SEVERITY_HINT:
    default: return "dialog-information-symbolic";
    }
}

static const char *
severity_class (CinSeverity severity)
{
  switch (severity)
    {
    case CIN_SEVERITY_ERROR: return "error";
    case CIN_SEVERITY_WARNING: return "warning";
    case CIN_SEVERITY_HINT:
    default: return "accent";
    }
}

static void
on_suggestion_clicked_cb (GtkButton       *button,
                          CinFindingsView *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "finding-index"));

  if (self->findings != NULL && index < self->findings->len)
    g_signal_emit (self, signals[APPLY_SUGGESTION], 0, g_ptr_array_index (self->findings, index));
}

static GtkWidget *
new_message_label (const char *message)
{
  GtkWidget *label = gtk_label_new (message);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Wrapped labels ask for their whole text as natural width; capped,
   * the checks leave the room beside them to the text being written. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), MAX_WIDTH_CHARS);
  gtk_widget_set_hexpand (label, TRUE);
  return label;
}

/* A GtkGrid, not a horizontal GtkBox: GTK 4.8's box measures an icon
 * beside a wrapping label a pixel short for an unbounded width, and says
 * so with a critical ("Expect overlapping widgets"). */
static GtkWidget *
new_icon_beside (const char *icon_name,
                 const char *icon_class,
                 GtkWidget  *content)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (icon, icon_class);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 10);
  gtk_grid_attach (GTK_GRID (grid), icon, 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), content, 1, 0, 1, 1);
  return grid;
}

static GtkWidget *
create_row (CinFindingsView  *self,
            const CinFinding *finding,
            guint             index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *box;

  gtk_box_append (GTK_BOX (text), new_message_label (finding->message));

  if (finding->suggestion != NULL && *finding->suggestion != '\0')
    {
      /* Translators: a button that replaces the flagged words; %s is the replacement. */
      g_autofree char *button_label = g_strdup_printf (_("Use “%s”"), finding->suggestion);
      GtkWidget *button = gtk_button_new_with_label (button_label);

      gtk_widget_set_halign (button, GTK_ALIGN_START);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "small");
      g_object_set_data (G_OBJECT (button), "finding-index", GUINT_TO_POINTER (index));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_suggestion_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (text), button);
    }

  box = new_icon_beside (severity_icon (finding->severity), severity_class (finding->severity), text);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, finding->message,
                                  -1);

  return row;
}

static void
on_row_activated_cb (GtkListBox      *list,
                     GtkListBoxRow   *row,
                     CinFindingsView *self)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->findings != NULL && index >= 0 && (guint)index < self->findings->len)
    g_signal_emit (self, signals[ACTIVATED], 0, g_ptr_array_index (self->findings, index));
}

void
cin_findings_view_set_findings (CinFindingsView *self,
                                GPtrArray       *findings)
{
  GtkWidget *child;

  g_return_if_fail (CIN_IS_FINDINGS_VIEW (self));

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  if (findings != NULL)
    self->findings = g_ptr_array_ref (findings);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list),
                         create_row (self, g_ptr_array_index (findings, i), i));

  gtk_widget_set_visible (self->list, findings != NULL && findings->len > 0);
  gtk_widget_set_visible (self->all_clear, findings == NULL || findings->len == 0);
}

static void
cin_findings_view_dispose (GObject *object)
{
  CinFindingsView *self = CIN_FINDINGS_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (cin_findings_view_parent_class)->dispose (object);
}

static void
cin_findings_view_class_init (CinFindingsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_findings_view_dispose;

  signals[ACTIVATED] =
    g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  CIN_TYPE_FINDING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[APPLY_SUGGESTION] =
    g_signal_new ("apply-suggestion", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  CIN_TYPE_FINDING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "findings");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cin_findings_view_init (CinFindingsView *self)
{
  GtkWidget *label;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (on_row_activated_cb), self, 0);
  gtk_widget_set_parent (self->list, GTK_WIDGET (self));

  label = new_message_label (_("Nothing to fix: the title, text and advertising-law checks all pass."));
  gtk_widget_add_css_class (label, "dim-label");
  self->all_clear = new_icon_beside ("object-select-symbolic", "success", label);
  gtk_widget_set_parent (self->all_clear, GTK_WIDGET (self));

  cin_findings_view_set_findings (self, NULL);
}

GtkWidget *
cin_findings_view_new (void)
{
  return g_object_new (CIN_TYPE_FINDINGS_VIEW, NULL);
}
