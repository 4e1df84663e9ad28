/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-composer"

#include <glib/gi18n.h>
#include <string.h>

#include "cin-ad-check.h"
#include "cin-columns.h"
#include "cin-composer-private.h"
#include "cin-findings-view.h"
#include "cin-font-warmup.h"
#include "cin-mention-bar.h"
#include "cin-note-details.h"
#include "cin-photo-importer.h"
#include "cin-photo-paintable.h"
#include "cin-photo-strip.h"
#include "cin-rules.h"

/* The findings wait for a pause in typing: a check of a long text on every
 * key would cost frames, and underlines flickering mid-word help nobody. */
#define CHECK_DELAY_MS 150

struct _CinComposer
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkTextView     *title_view;
  GtkTextView     *body_view;
  GtkLabel        *title_counter;
  GtkLabel        *body_counter;
  GtkMenuButton   *emoji_button;
  GtkWidget       *title_placeholder;
  GtkWidget       *body_placeholder;
  CinFindingsView *findings_view;
  CinNoteDetails  *details;
  CinPhotoStrip   *photo_strip;
  CinMentionBar   *mention_bar;

  /* Owned */
  CinPhotoImporter *importer;  /* (nullable) until there is a media library */
  CinNote         *note;       /* (nullable) */
  GSignalGroup    *note_signals;
  CinRules        *rules;      /* (nullable) */
  CinAdCheck      *ad_check;   /* (nullable) */
  GPtrArray       *findings;   /* (element-type CinFinding) */
  guint            check_source;
  gboolean         loading;    /* filling the buffers from the note */
};

G_DEFINE_FINAL_TYPE (CinComposer, cin_composer, GTK_TYPE_WIDGET)

enum {
  PHOTO_REFUSED,
  SEARCH_TOPICS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkTextBuffer *
title_buffer (CinComposer *self)
{
  return gtk_text_view_get_buffer (self->title_view);
}

static GtkTextBuffer *
body_buffer (CinComposer *self)
{
  return gtk_text_view_get_buffer (self->body_view);
}

static GtkTextBuffer *
buffer_for_field (CinComposer *self,
                  CinField     field)
{
  g_assert (field == CIN_FIELD_TITLE || field == CIN_FIELD_BODY);
  return field == CIN_FIELD_TITLE ? title_buffer (self) : body_buffer (self);
}

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_counter (CinComposer *self,
                CinField     field)
{
  GtkLabel *label = field == CIN_FIELD_TITLE ? self->title_counter : self->body_counter;
  g_autofree char *text = dup_buffer_text (buffer_for_field (self, field));
  g_autofree char *counter = NULL;
  g_autofree char *accessible = NULL;
  guint count = 0;
  guint max;

  if (self->rules == NULL)
    {
      gtk_label_set_text (label, "");
      return;
    }

  max = field == CIN_FIELD_TITLE ? cin_rules_get_title_max (self->rules)
                                 : cin_rules_get_body_max (self->rules);
  /* GtkTextBuffer only ever holds valid UTF-8, so counting can't fail. */
  cin_rules_count_field (self->rules, field, text, &count, NULL);

  counter = g_strdup_printf ("%u / %u", count, max);
  gtk_label_set_text (label, counter);
  if (count > max)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");

  /* Translators: read by screen readers for the "12 / 20" counter. */
  accessible = g_strdup_printf (_("%u of %u characters"), count, max);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
apply_finding_tags (CinComposer *self)
{
  GtkTextBuffer *buffers[] = { title_buffer (self), body_buffer (self) };

  for (guint i = 0; i < G_N_ELEMENTS (buffers); i++)
    {
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffers[i], &start, &end);
      gtk_text_buffer_remove_tag_by_name (buffers[i], "finding-error", &start, &end);
      gtk_text_buffer_remove_tag_by_name (buffers[i], "finding-warning", &start, &end);
    }

  for (guint i = 0; i < self->findings->len; i++)
    {
      const CinFinding *finding = g_ptr_array_index (self->findings, i);
      GtkTextBuffer *buffer;
      GtkTextIter start, end;

      /* Topic and photo findings count list entries, not characters: no
       * underline. */
      if (finding->field == CIN_FIELD_TOPICS || finding->field == CIN_FIELD_PHOTOS)
        continue;

      buffer = buffer_for_field (self, finding->field);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, finding->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, finding->end);
      gtk_text_buffer_apply_tag_by_name (buffer,
                                         finding->severity == CIN_SEVERITY_ERROR ? "finding-error"
                                                                                 : "finding-warning",
                                         &start, &end);
    }
}

void
cin_composer_check_now (CinComposer *self)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  if (self->note != NULL && self->rules != NULL)
    self->findings = cin_rules_check_note (self->rules, self->ad_check, self->note);
  else
    self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);

  apply_finding_tags (self);
  cin_findings_view_set_findings (self->findings_view, self->findings);
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  CinComposer *self = user_data;

  self->check_source = 0;
  cin_composer_check_now (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_check (CinComposer *self)
{
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, check_timeout_cb, self);
}

static void
update_placeholders (CinComposer *self)
{
  gtk_widget_set_visible (self->title_placeholder, gtk_text_buffer_get_char_count (title_buffer (self)) == 0);
  gtk_widget_set_visible (self->body_placeholder, gtk_text_buffer_get_char_count (body_buffer (self)) == 0);
}

/* Both fields write straight through to the note; the store sees the
 * change through the autosave watching it. */
static void
field_changed (CinComposer *self,
               CinField     field)
{
  g_autofree char *text = NULL;

  update_placeholders (self);
  update_counter (self, field);
  if (self->loading || self->note == NULL)
    return;

  text = dup_buffer_text (buffer_for_field (self, field));
  if (field == CIN_FIELD_TITLE)
    {
      cin_note_set_title (self->note, text);
    }
  else
    {
      /* The people the text mentions are the note's mentions. */
      g_auto(GStrv) mentions = cin_rules_extract_mentions (text);

      cin_note_set_body (self->note, text);
      if (!g_strv_equal ((const char * const *)mentions, cin_note_get_mentions (self->note)))
        cin_note_set_mentions (self->note, (const char * const *)mentions);
    }
  schedule_check (self);
}

static void
on_title_changed_cb (CinComposer   *self,
                     GtkTextBuffer *buffer)
{
  field_changed (self, CIN_FIELD_TITLE);
}

static void
on_body_changed_cb (CinComposer   *self,
                    GtkTextBuffer *buffer)
{
  field_changed (self, CIN_FIELD_BODY);
}

/* The title is one line: pasted line breaks become spaces. */
static void
on_title_insert_text_cb (GtkTextBuffer *buffer,
                         GtkTextIter   *location,
                         const char    *text,
                         int            len,
                         CinComposer   *self)
{
  g_autofree char *flat = NULL;

  if (memchr (text, '\n', len) == NULL && memchr (text, '\r', len) == NULL)
    return;

  g_signal_stop_emission_by_name (buffer, "insert-text");
  flat = g_strndup (text, len);
  g_strdelimit (flat, "\r\n", ' ');
  gtk_text_buffer_insert (buffer, location, flat, -1);
}

static gboolean
on_title_key_pressed_cb (GtkEventControllerKey *controller,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         CinComposer           *self)
{
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
      return TRUE;
    }

  return FALSE;
}

static const CinFinding *
finding_at (CinComposer *self,
            CinField     field,
            int          offset)
{
  for (guint i = 0; self->findings != NULL && i < self->findings->len; i++)
    {
      const CinFinding *finding = g_ptr_array_index (self->findings, i);

      if (finding->field == field && offset >= (int)finding->start && offset < (int)finding->end)
        return finding;
    }

  return NULL;
}

static gboolean
on_query_tooltip_cb (GtkWidget   *widget,
                     int          x,
                     int          y,
                     gboolean     keyboard_mode,
                     GtkTooltip  *tooltip,
                     CinComposer *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (widget);
  CinField field = view == self->title_view ? CIN_FIELD_TITLE : CIN_FIELD_BODY;
  const CinFinding *finding;
  GtkTextIter iter;
  int bx, by;

  if (keyboard_mode)
    gtk_text_buffer_get_iter_at_mark (gtk_text_view_get_buffer (view), &iter,
                                      gtk_text_buffer_get_insert (gtk_text_view_get_buffer (view)));
  else
    {
      gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
      if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
        return FALSE;
    }

  finding = finding_at (self, field, gtk_text_iter_get_offset (&iter));
  if (finding == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, finding->message);
  return TRUE;
}

static void
on_finding_activated_cb (CinComposer     *self,
                         CinFinding      *finding,
                         CinFindingsView *view)
{
  GtkTextBuffer *buffer;
  GtkTextView *text_view;
  GtkTextIter start, end;

  if (finding->field == CIN_FIELD_TOPICS)
    return;
  if (finding->field == CIN_FIELD_PHOTOS)
    {
      /* The photo the finding is about, ready for its crop or description. */
      if (self->note != NULL && finding->start < cin_note_get_n_photos (self->note))
        cin_photo_strip_select (self->photo_strip, (int)finding->start);
      gtk_widget_grab_focus (GTK_WIDGET (self->photo_strip));
      return;
    }

  buffer = buffer_for_field (self, finding->field);
  text_view = finding->field == CIN_FIELD_TITLE ? self->title_view : self->body_view;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, finding->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, finding->end);
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_widget_grab_focus (GTK_WIDGET (text_view));
  gtk_text_view_scroll_to_iter (text_view, &start, 0.1, FALSE, 0, 0);
}

static void
on_apply_suggestion_cb (CinComposer     *self,
                        CinFinding      *finding,
                        CinFindingsView *view)
{
  g_autoptr(CinFinding) applied = cin_finding_copy (finding);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (applied->field == CIN_FIELD_TOPICS || applied->suggestion == NULL)
    return;

  buffer = buffer_for_field (self, applied->field);
  /* One user action, so Ctrl+Z puts the flagged words back. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, applied->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, applied->end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, applied->suggestion, -1);
  gtk_text_buffer_end_user_action (buffer);

  cin_composer_check_now (self);
}

static void
on_emoji_picked_cb (CinComposer     *self,
                    const char      *emoji,
                    GtkEmojiChooser *chooser)
{
  GtkTextBuffer *buffer = body_buffer (self);

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, emoji, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);
  gtk_widget_grab_focus (GTK_WIDGET (self->body_view));
}

/* GtkEmojiChooser fills itself from an idle as soon as it is made,
 * measuring a label for each of its thousands of emoji, which decodes
 * every colour glyph: about a second of the main thread in slices of up
 * to 25 ms, and thousands of widgets held. So it is made the first time
 * the creator opens it. */
static void
create_emoji_chooser_cb (GtkMenuButton *button,
                         gpointer       user_data)
{
  CinComposer *self = user_data;
  GtkWidget *chooser;

  if (gtk_menu_button_get_popover (button) != NULL)
    return;

  chooser = gtk_emoji_chooser_new ();
  g_signal_connect_object (chooser, "emoji-picked", G_CALLBACK (on_emoji_picked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_menu_button_set_popover (button, chooser);
}

/* Topics and photos are checked with the text: too many is an error like
 * a long title. */
static void
on_note_topics_changed_cb (CinComposer *self,
                           GParamSpec  *pspec,
                           CinNote     *note)
{
  schedule_check (self);
}

static void
on_add_photos_cb (CinComposer   *self,
                  CinPhotoStrip *strip)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->importer != NULL && self->note != NULL)
    cin_photo_importer_choose (self->importer, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->note);
}

static void
on_import_files_cb (CinComposer   *self,
                    GSList        *files,
                    CinPhotoStrip *strip)
{
  GList *list = NULL;

  if (self->importer == NULL || self->note == NULL)
    return;

  for (GSList *l = files; l != NULL; l = l->next)
    list = g_list_prepend (list, l->data);
  list = g_list_reverse (list);
  cin_photo_importer_import (self->importer, self->note, list);
  g_list_free (list);
}

static void
on_import_texture_cb (CinComposer   *self,
                      GdkTexture    *texture,
                      CinPhotoStrip *strip)
{
  if (self->importer != NULL && self->note != NULL)
    cin_photo_importer_import_texture (self->importer, self->note, texture);
}

static void
pasted_files_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinComposer) self = user_data;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, NULL);

  if (value != NULL && g_value_get_boxed (value) != NULL)
    on_import_files_cb (self, g_value_get_boxed (value), self->photo_strip);
}

static void
pasted_texture_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CinComposer) self = user_data;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, NULL);

  if (texture != NULL)
    on_import_texture_cb (self, texture, self->photo_strip);
}

/* Ctrl+V with photos (files or an image) on the clipboard and no text adds
 * them to the note, wherever the focus is in the composer; text pastes as
 * it always does. */
static gboolean
on_paste_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 CinComposer           *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (keyval != GDK_KEY_v || (state & GDK_CONTROL_MASK) == 0 || self->importer == NULL ||
      self->note == NULL || gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    return GDK_EVENT_PROPAGATE;

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    pasted_files_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_texture_async (clipboard, NULL, pasted_texture_cb, g_object_ref (self));
  else
    return GDK_EVENT_PROPAGATE;

  return GDK_EVENT_STOP;
}

static void
on_photo_refused_cb (CinComposer      *self,
                     const char       *message,
                     CinPhotoImporter *importer)
{
  g_signal_emit (self, signals[PHOTO_REFUSED], 0, message);
}

static void
set_buffer_text (CinComposer   *self,
                 GtkTextBuffer *buffer,
                 const char    *text)
{
  self->loading = TRUE;
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_end_irreversible_action (buffer);
  self->loading = FALSE;
}

static void
create_tags (GtkTextBuffer *buffer)
{
  GdkRGBA red = { 0.88, 0.11, 0.14, 1.0 };
  GdkRGBA amber = { 0.90, 0.53, 0.0, 1.0 };

  gtk_text_buffer_create_tag (buffer, "finding-error",
                              "underline", PANGO_UNDERLINE_ERROR,
                              "underline-rgba", &red,
                              NULL);
  gtk_text_buffer_create_tag (buffer, "finding-warning",
                              "underline", PANGO_UNDERLINE_ERROR,
                              "underline-rgba", &amber,
                              NULL);
}

static void
cin_composer_dispose (GObject *object)
{
  CinComposer *self = CIN_COMPOSER (object);

  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->note_signals != NULL)
    g_signal_group_set_target (self->note_signals, NULL);
  g_clear_object (&self->note_signals);
  g_clear_object (&self->importer);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_COMPOSER);
  self->scroller = NULL;
  g_clear_object (&self->note);
  g_clear_pointer (&self->rules, cin_rules_unref);
  g_clear_pointer (&self->ad_check, cin_ad_check_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (cin_composer_parent_class)->dispose (object);
}

static void
cin_composer_class_init (CinComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_composer_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /* A photo was not added (a message that names it and says why). */
  signals[PHOTO_REFUSED] =
    g_signal_new ("photo-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The creator paused while typing a topic (@typed, without '#'):
   * whoever can ask the server answers with cin_composer_offer_topics(). */
  signals[SEARCH_TOPICS] =
    g_signal_new ("search-topics", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CIN_TYPE_COLUMNS);
  g_type_ensure (CIN_TYPE_FINDINGS_VIEW);
  g_type_ensure (CIN_TYPE_NOTE_DETAILS);
  g_type_ensure (CIN_TYPE_PHOTO_STRIP);
  g_type_ensure (CIN_TYPE_MENTION_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/composer/cin-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, CinComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, title_view);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, body_view);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, title_counter);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, body_counter);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, emoji_button);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, title_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, body_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, findings_view);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, details);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, photo_strip);
  gtk_widget_class_bind_template_child (widget_class, CinComposer, mention_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_finding_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_suggestion_cb);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
on_search_topics_cb (CinComposer *self,
                     const char  *typed)
{
  g_signal_emit (self, signals[SEARCH_TOPICS], 0, typed);
}

static void
cin_composer_init (CinComposer *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);
  gtk_menu_button_set_create_popup_func (self->emoji_button, create_emoji_chooser_cb, self, NULL);
  cin_mention_bar_set_view (self->mention_bar, self->body_view);
  g_signal_connect_object (self->details, "search-topics", G_CALLBACK (on_search_topics_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->photo_strip, "add-photos", G_CALLBACK (on_add_photos_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->photo_strip, "import-files", G_CALLBACK (on_import_files_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->photo_strip, "import-texture", G_CALLBACK (on_import_texture_cb),
                           self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_paste_key_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  self->note_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->note_signals, "notify::topics",
                                 G_CALLBACK (on_note_topics_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->note_signals, "notify::photos",
                                 G_CALLBACK (on_note_topics_changed_cb), self, G_CONNECT_SWAPPED);

  create_tags (title_buffer (self));
  create_tags (body_buffer (self));
  gtk_text_buffer_set_enable_undo (title_buffer (self), TRUE);
  gtk_text_buffer_set_enable_undo (body_buffer (self), TRUE);

  g_signal_connect_object (title_buffer (self), "changed", G_CALLBACK (on_title_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (body_buffer (self), "changed", G_CALLBACK (on_body_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (title_buffer (self), "insert-text", G_CALLBACK (on_title_insert_text_cb),
                           self, 0);
  g_signal_connect_object (self->title_view, "query-tooltip", G_CALLBACK (on_query_tooltip_cb),
                           self, 0);
  g_signal_connect_object (self->body_view, "query-tooltip", G_CALLBACK (on_query_tooltip_cb),
                           self, 0);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_title_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->title_view), keys);

  update_placeholders (self);
}

CinComposer *
cin_composer_new (void)
{
  return g_object_new (CIN_TYPE_COMPOSER, NULL);
}

void
cin_composer_set_rules (CinComposer *self,
                        CinRules    *rules,
                        CinAdCheck  *ad_check)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));

  g_clear_pointer (&self->rules, cin_rules_unref);
  g_clear_pointer (&self->ad_check, cin_ad_check_unref);
  if (rules != NULL)
    self->rules = cin_rules_ref (rules);
  if (ad_check != NULL)
    self->ad_check = cin_ad_check_ref (ad_check);

  update_counter (self, CIN_FIELD_TITLE);
  update_counter (self, CIN_FIELD_BODY);
  cin_note_details_set_max_topics (self->details, rules ? cin_rules_get_topics_max (rules) : 0);
  cin_photo_strip_set_max_photos (self->photo_strip, rules ? cin_rules_get_photos_max (rules) : 0);
  if (self->importer != NULL)
    cin_photo_importer_set_max_photos (self->importer, rules ? cin_rules_get_photos_max (rules) : 0);
  cin_composer_check_now (self);
}

void
cin_composer_set_media_library (CinComposer     *self,
                                CinMediaLibrary *library)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));
  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (library));

  g_clear_object (&self->importer);
  self->importer = cin_photo_importer_new (library);
  cin_photo_importer_set_max_photos (self->importer, self->rules ? cin_rules_get_photos_max (self->rules) : 0);
  g_signal_connect_object (self->importer, "refused", G_CALLBACK (on_photo_refused_cb),
                           self, G_CONNECT_SWAPPED);
  cin_photo_strip_set_photo_func (self->photo_strip, cin_photo_paintable_for_library,
                                  g_object_ref (library), g_object_unref);
}

CinPhotoImporter *
cin_composer_get_photo_importer (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->importer;
}

CinPhotoStrip *
cin_composer_get_photo_strip (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->photo_strip;
}

void
cin_composer_set_known_mentions (CinComposer        *self,
                                 const char * const *names)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));
  cin_mention_bar_set_known (self->mention_bar, names);
}

void
cin_composer_set_known_topics (CinComposer        *self,
                               const char * const *topics)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));
  cin_note_details_set_known_topics (self->details, topics);
}

void
cin_composer_offer_topics (CinComposer        *self,
                           const char         *typed,
                           const char * const *topics)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));
  cin_note_details_offer_topics (self->details, typed, topics);
}


CinNote *
cin_composer_get_note (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->note;
}

void
cin_composer_set_note (CinComposer *self,
                       CinNote     *note)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));
  g_return_if_fail (!note || CIN_IS_NOTE (note));

  if (!g_set_object (&self->note, note))
    return;

  g_signal_group_set_target (self->note_signals, note);
  set_buffer_text (self, title_buffer (self), note ? cin_note_get_title (note) : "");
  set_buffer_text (self, body_buffer (self), note ? cin_note_get_body (note) : "");
  cin_note_details_set_note (self->details, note);
  cin_photo_strip_set_note (self->photo_strip, note);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  cin_composer_check_now (self);
}

void
cin_composer_warm_fonts (CinComposer *self)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));

  cin_font_warmup_async (GTK_WIDGET (self->title_view), CIN_COMPOSER_FONT_SAMPLE, NULL, NULL);
  cin_font_warmup_async (GTK_WIDGET (self->body_view), CIN_COMPOSER_FONT_SAMPLE, NULL, NULL);
}

void
cin_composer_focus_title (CinComposer *self)
{
  g_return_if_fail (CIN_IS_COMPOSER (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->title_view));
}

GtkTextBuffer *
cin_composer_get_title_buffer (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return title_buffer (self);
}

GtkTextBuffer *
cin_composer_get_body_buffer (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return body_buffer (self);
}

GPtrArray *
cin_composer_get_findings (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->findings;
}

GtkLabel *
_cin_composer_get_counter (CinComposer *self,
                           CinField     field)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return field == CIN_FIELD_TITLE ? self->title_counter : self->body_counter;
}

CinFindingsView *
_cin_composer_get_findings_view (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->findings_view;
}

GtkTextView *
_cin_composer_get_title_view (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->title_view;
}

GtkTextView *
_cin_composer_get_body_view (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->body_view;
}

GtkMenuButton *
_cin_composer_get_emoji_button (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->emoji_button;
}

CinMentionBar *
_cin_composer_get_mention_bar (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->mention_bar;
}

CinNoteDetails *
_cin_composer_get_details (CinComposer *self)
{
  g_return_val_if_fail (CIN_IS_COMPOSER (self), NULL);
  return self->details;
}
