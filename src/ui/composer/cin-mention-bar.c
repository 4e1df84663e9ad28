/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-mention-bar"

#include <glib/gi18n.h>
#include <string.h>

#include "cin-mention-bar.h"
#include "cin-rules.h"

#define MAX_OFFERED 6

struct _CinMentionBar
{
  GtkWidget     parent_instance;

  GtkWidget    *revealer;
  GtkWidget    *buttons;     /* GtkFlowBox */

  GtkTextView  *view;        /* (nullable) (unowned) */
  GSignalGroup *buffer_signals;
  GStrv         known;
  GStrv         offered;
};

G_DEFINE_FINAL_TYPE (CinMentionBar, cin_mention_bar, GTK_TYPE_WIDGET)

/* The '@' that starts the name being typed at the cursor, if the cursor
 * is in one; @typed is what follows it up to the cursor. */
static gboolean
find_partial (GtkTextBuffer *buffer,
              GtkTextIter   *at,
              char         **typed)
{
  GtkTextIter cursor, line_start;
  g_autofree char *before = NULL;
  g_autoptr(GArray) mentions = NULL;
  g_autofree char *as_mention = NULL;
  const char *sign;
  gsize len;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  if (gtk_text_buffer_get_has_selection (buffer))
    return FALSE;

  line_start = cursor;
  gtk_text_iter_set_line_offset (&line_start, 0);
  before = gtk_text_iter_get_text (&line_start, &cursor);
  sign = strrchr (before, '@');
  if (sign == NULL)
    return FALSE;

  /* What follows the '@' must be one name with nothing after it, as the
   * rules would read it (an e-mail address is not a mention). */
  len = strlen (sign);
  if (len > 1)
    {
      g_autofree char *rest = g_strdup (before);
      mentions = cin_rules_find_mentions (rest);
      if (mentions->len == 0 ||
          g_array_index (mentions, CinTextRange, mentions->len - 1).start != (gsize)(sign - before) ||
          g_array_index (mentions, CinTextRange, mentions->len - 1).end != strlen (before))
        return FALSE;
    }
  else if (sign > before && g_ascii_isalnum (sign[-1]))
    return FALSE;

  as_mention = g_strdup (sign + 1);
  *at = cursor;
  gtk_text_iter_backward_chars (at, g_utf8_strlen (sign, -1));
  *typed = g_steal_pointer (&as_mention);
  return TRUE;
}

static gboolean
name_matches (const char *name,
              const char *typed)
{
  g_autofree char *a = g_ascii_strdown (name, -1);
  g_autofree char *b = g_ascii_strdown (typed, -1);

  return strstr (a, b) != NULL && !g_str_equal (a, b);
}

static void
on_button_clicked_cb (GtkButton     *button,
                      CinMentionBar *self)
{
  cin_mention_bar_complete (self, g_object_get_data (G_OBJECT (button), "name"));
}

static void
update (CinMentionBar *self)
{
  GtkTextBuffer *buffer = self->view ? gtk_text_view_get_buffer (self->view) : NULL;
  g_autoptr(GStrvBuilder) offered = g_strv_builder_new ();
  g_autofree char *typed = NULL;
  GtkTextIter at;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (self->buttons)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->buttons), child);

  if (buffer != NULL && self->known != NULL && find_partial (buffer, &at, &typed))
    {
      for (guint i = 0; self->known[i] != NULL && n < MAX_OFFERED; i++)
        {
          g_autofree char *label = NULL;
          GtkWidget *button;

          if (!name_matches (self->known[i], typed))
            continue;

          label = g_strdup_printf ("@%s", self->known[i]);
          button = gtk_button_new_with_label (label);
          gtk_widget_add_css_class (button, "pill");
          gtk_widget_add_css_class (button, "mention-suggestion");
          g_object_set_data_full (G_OBJECT (button), "name", g_strdup (self->known[i]), g_free);
          g_signal_connect_object (button, "clicked", G_CALLBACK (on_button_clicked_cb), self, 0);
          gtk_flow_box_append (GTK_FLOW_BOX (self->buttons), button);
          g_strv_builder_add (offered, self->known[i]);
          n++;
        }
    }

  g_strfreev (self->offered);
  self->offered = g_strv_builder_end (offered);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), n > 0);
}

static void
on_buffer_changed_cb (CinMentionBar *self)
{
  update (self);
}

static void
on_mark_set_cb (CinMentionBar *self,
                GtkTextIter   *location,
                GtkTextMark   *mark,
                GtkTextBuffer *buffer)
{
  if (mark == gtk_text_buffer_get_insert (buffer))
    update (self);
}

static void
cin_mention_bar_dispose (GObject *object)
{
  CinMentionBar *self = CIN_MENTION_BAR (object);

  if (self->buffer_signals != NULL)
    g_signal_group_set_target (self->buffer_signals, NULL);
  g_clear_object (&self->buffer_signals);
  g_clear_pointer (&self->revealer, gtk_widget_unparent);
  g_clear_pointer (&self->known, g_strfreev);
  g_clear_pointer (&self->offered, g_strfreev);

  G_OBJECT_CLASS (cin_mention_bar_parent_class)->dispose (object);
}

static void
cin_mention_bar_class_init (CinMentionBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_mention_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mentionbar");
}

static void
cin_mention_bar_init (CinMentionBar *self)
{
  self->buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->buttons), 30);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->buttons), 6);
  gtk_widget_set_margin_top (self->buttons, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->buttons), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("People to mention"), -1);

  self->revealer = gtk_revealer_new ();
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer), GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_child (GTK_REVEALER (self->revealer), self->buttons);
  gtk_widget_set_parent (self->revealer, GTK_WIDGET (self));

  self->buffer_signals = g_signal_group_new (GTK_TYPE_TEXT_BUFFER);
  g_signal_group_connect_object (self->buffer_signals, "changed",
                                 G_CALLBACK (on_buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->buffer_signals, "mark-set",
                                 G_CALLBACK (on_mark_set_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
cin_mention_bar_new (void)
{
  return g_object_new (CIN_TYPE_MENTION_BAR, NULL);
}

void
cin_mention_bar_set_view (CinMentionBar *self,
                          GtkTextView   *view)
{
  g_return_if_fail (CIN_IS_MENTION_BAR (self));
  g_return_if_fail (!view || GTK_IS_TEXT_VIEW (view));

  self->view = view;
  g_signal_group_set_target (self->buffer_signals, view ? gtk_text_view_get_buffer (view) : NULL);
  update (self);
}

void
cin_mention_bar_set_known (CinMentionBar      *self,
                           const char * const *names)
{
  g_return_if_fail (CIN_IS_MENTION_BAR (self));

  g_strfreev (self->known);
  self->known = g_strdupv ((char **)names);
  update (self);
}

GStrv
cin_mention_bar_dup_offered (CinMentionBar *self)
{
  g_return_val_if_fail (CIN_IS_MENTION_BAR (self), NULL);
  return g_strdupv (self->offered);
}

void
cin_mention_bar_complete (CinMentionBar *self,
                          const char    *name)
{
  GtkTextBuffer *buffer;
  g_autofree char *typed = NULL;
  g_autofree char *text = NULL;
  GtkTextIter at, cursor;

  g_return_if_fail (CIN_IS_MENTION_BAR (self));
  g_return_if_fail (name != NULL);

  if (self->view == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->view);
  if (!find_partial (buffer, &at, &typed))
    return;

  /* One step to undo: the typed start and the completed name. */
  text = g_strdup_printf ("@%s ", name);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  gtk_text_buffer_delete_interactive (buffer, &at, &cursor, TRUE);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}
