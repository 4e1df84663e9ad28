/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-draft-row"

#include <glib/gi18n.h>

#include "cin-draft-row.h"

struct _CinDraftRow
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkLabel     *title_label;
  GtkLabel     *time_label;
  GtkLabel     *excerpt_label;

  /* Owned */
  GSignalGroup *summary_signals;
  GtkWidget    *sync_image;  /* (nullable) made when first shown */

  gboolean      show_sync;
};

G_DEFINE_FINAL_TYPE (CinDraftRow, cin_draft_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
cin_draft_row_format_time (gint64 time,
                           gint64 now)
{
  g_autoptr(GDateTime) then = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  int days;

  if (then == NULL || today == NULL)
    return g_strdup ("");

  days = g_date_time_get_day_of_year (today) - g_date_time_get_day_of_year (then);
  if (g_date_time_get_year (then) != g_date_time_get_year (today))
    /* Translators: a date in an earlier year; see g_date_time_format(). */
    return g_date_time_format (then, _("%Y-%m-%d"));
  if (days == 0)
    /* Translators: a time today; see g_date_time_format(). */
    return g_date_time_format (then, _("%H:%M"));
  if (days == 1)
    /* Translators: a time yesterday; see g_date_time_format(). */
    return g_date_time_format (then, _("Yesterday %H:%M"));
  /* Translators: a date this year; see g_date_time_format(). */
  return g_date_time_format (then, _("%b %-d"));
}

static void
update_title (CinDraftRow    *self,
              CinNoteSummary *summary)
{
  const char *title = cin_note_summary_get_title (summary);

  gtk_label_set_text (self->title_label, *title ? title : _("Untitled Draft"));
  if (*title)
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
}

static void
update_excerpt (CinDraftRow    *self,
                CinNoteSummary *summary)
{
  const char *excerpt = cin_note_summary_get_excerpt (summary);

  gtk_label_set_text (self->excerpt_label, *excerpt ? excerpt : _("No text yet"));
}

static void
update_time (CinDraftRow    *self,
             CinNoteSummary *summary)
{
  g_autofree char *stamp = cin_draft_row_format_time (cin_note_summary_get_updated_at (summary),
                                                     g_get_real_time ());
  gtk_label_set_text (self->time_label, stamp);
}

/* What the row's sync icon says, and the icon that says it. */
static const char *
describe_sync (int          state,
               int          sync_status,
               const char **icon_name)
{
  switch (sync_status)
    {
    case CIN_NOTE_SYNC_REFUSED:
      *icon_name = "dialog-warning-symbolic";
      return _("Refused by the server");
    case CIN_NOTE_SYNC_CONFLICT:
      *icon_name = "edit-copy-symbolic";
      return _("Conflict copy: your version of a note also changed elsewhere");
    case CIN_NOTE_SYNC_CHANGED:
      *icon_name = "document-modified-symbolic";
      return _("Changed since the last sync");
    case CIN_NOTE_SYNC_SYNCED:
      if (state == CIN_NOTE_STATE_PUBLISHED)
        {
          *icon_name = "emblem-shared-symbolic";
          return _("Published");
        }
      if (state == CIN_NOTE_STATE_SCHEDULED)
        {
          *icon_name = "alarm-symbolic";
          return _("Scheduled");
        }
      *icon_name = "emblem-ok-symbolic";
      return _("Synced");
    case CIN_NOTE_SYNC_LOCAL:
    default:
      *icon_name = "network-offline-symbolic";
      return _("Not synced yet");
    }
}

static void
update_sync (CinDraftRow    *self,
             CinNoteSummary *summary)
{
  GtkWidget *image = self->sync_image;
  int state = cin_note_summary_get_state (summary);
  int status = cin_note_summary_get_sync_status (summary);
  const char *icon_name;
  const char *description;

  if (image == NULL || !gtk_widget_get_visible (image))
    return;

  description = describe_sync (state, status, &icon_name);
  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon_name);
  gtk_widget_set_tooltip_text (image, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
  if (status == CIN_NOTE_SYNC_REFUSED || status == CIN_NOTE_SYNC_CONFLICT)
    gtk_widget_add_css_class (image, "warning");
  else
    gtk_widget_remove_css_class (image, "warning");
}

/* The icon between title and time, in a profile that syncs. A local
 * profile never shows it, and a list keeps a couple of hundred rows, so
 * it is made the first time it shows rather than with every row. */
static void
show_sync_image (CinDraftRow *self,
                 gboolean     show)
{
  g_autoptr(CinNoteSummary) summary = NULL;
  GtkLayoutChild *layout;

  if (self->sync_image == NULL && !show)
    return;

  if (self->sync_image == NULL)
    {
      self->sync_image = g_object_new (GTK_TYPE_IMAGE,
                                       "accessible-role", GTK_ACCESSIBLE_ROLE_IMG,
                                       "css-classes", (const char *[]) { "sync-state", NULL },
                                       NULL);
      gtk_widget_insert_after (self->sync_image, GTK_WIDGET (self), GTK_WIDGET (self->title_label));
      layout = gtk_layout_manager_get_layout_child (gtk_widget_get_layout_manager (GTK_WIDGET (self)),
                                                    self->sync_image);
      gtk_grid_layout_child_set_row (GTK_GRID_LAYOUT_CHILD (layout), 0);
      gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (layout), 1);
    }

  gtk_widget_set_visible (self->sync_image, show);
  summary = g_signal_group_dup_target (self->summary_signals);
  if (summary != NULL)
    update_sync (self, summary);
}

static void
on_sync_changed_cb (CinDraftRow    *self,
                    GParamSpec     *pspec,
                    CinNoteSummary *summary)
{
  update_sync (self, summary);
}

static void
on_title_changed_cb (CinDraftRow    *self,
                     GParamSpec     *pspec,
                     CinNoteSummary *summary)
{
  update_title (self, summary);
}

static void
on_excerpt_changed_cb (CinDraftRow    *self,
                       GParamSpec     *pspec,
                       CinNoteSummary *summary)
{
  update_excerpt (self, summary);
}

static void
on_updated_changed_cb (CinDraftRow    *self,
                       GParamSpec     *pspec,
                       CinNoteSummary *summary)
{
  update_time (self, summary);
}

static void
cin_draft_row_dispose (GObject *object)
{
  CinDraftRow *self = CIN_DRAFT_ROW (object);

  if (self->summary_signals != NULL)
    g_signal_group_set_target (self->summary_signals, NULL);
  g_clear_object (&self->summary_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_DRAFT_ROW);
  /* dispose_template() only clears the template's children; the sync
   * icon is not one of them. */
  g_clear_pointer (&self->sync_image, gtk_widget_unparent);

  G_OBJECT_CLASS (cin_draft_row_parent_class)->dispose (object);
}

static void
cin_draft_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CinDraftRow *self = CIN_DRAFT_ROW (object);

  switch (prop_id)
    {
    case PROP_SHOW_SYNC:
      g_value_set_boolean (value, self->show_sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_draft_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CinDraftRow *self = CIN_DRAFT_ROW (object);

  switch (prop_id)
    {
    case PROP_SHOW_SYNC:
      if (self->show_sync != g_value_get_boolean (value))
        {
          self->show_sync = g_value_get_boolean (value);
          show_sync_image (self, self->show_sync);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_draft_row_class_init (CinDraftRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_draft_row_dispose;
  object_class->get_property = cin_draft_row_get_property;
  object_class->set_property = cin_draft_row_set_property;

  /* Whether the row shows the note's sync state: only account profiles
   * sync, and in the local one every note would say "not synced". */
  properties[PROP_SHOW_SYNC] =
    g_param_spec_boolean ("show-sync", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/drafts/cin-draft-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CinDraftRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CinDraftRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CinDraftRow, excerpt_label);
}

static void
cin_draft_row_init (CinDraftRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->summary_signals = g_signal_group_new (CIN_TYPE_NOTE_SUMMARY);
  g_signal_group_connect_object (self->summary_signals, "notify::title",
                                 G_CALLBACK (on_title_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->summary_signals, "notify::excerpt",
                                 G_CALLBACK (on_excerpt_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->summary_signals, "notify::updated-at",
                                 G_CALLBACK (on_updated_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->summary_signals, "notify::state",
                                 G_CALLBACK (on_sync_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->summary_signals, "notify::sync-status",
                                 G_CALLBACK (on_sync_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
cin_draft_row_new (void)
{
  return g_object_new (CIN_TYPE_DRAFT_ROW, NULL);
}

CinNoteSummary *
cin_draft_row_dup_summary (CinDraftRow *self)
{
  g_return_val_if_fail (CIN_IS_DRAFT_ROW (self), NULL);
  return g_signal_group_dup_target (self->summary_signals);
}

void
cin_draft_row_set_summary (CinDraftRow    *self,
                           CinNoteSummary *summary)
{
  g_return_if_fail (CIN_IS_DRAFT_ROW (self));
  g_return_if_fail (!summary || CIN_IS_NOTE_SUMMARY (summary));

  g_signal_group_set_target (self->summary_signals, summary);
  if (summary == NULL)
    return;

  update_title (self, summary);
  update_excerpt (self, summary);
  update_time (self, summary);
  update_sync (self, summary);
}
