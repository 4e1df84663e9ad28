/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-details"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cin-note-details.h"

#define MAX_SUGGESTIONS 6
/* Typing pauses this long before the server is asked for topics: one
 * request per word, not per key. */
#define SEARCH_DELAY_MS 300

struct _CinNoteDetails
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkLabel      *topics_counter;
  GtkFlowBox    *chips;
  GtkEntry      *topic_entry;
  GtkLabel      *topic_message;
  AdwEntryRow   *location_row;
  AdwComboRow   *visibility_row;
  GtkSwitch     *original_switch;

  GtkFlowBox    *suggestions;       /* known topics matching what is typed */

  /* Owned */
  GSignalGroup  *note_signals;
  GStrv          known_topics;
  char          *searched;          /* (nullable) what server_topics answer */
  GStrv          server_topics;     /* (nullable) the server's, for searched */
  guint          search_source;

  guint          max_topics;
  gboolean       syncing;           /* the UI is being set from the note */
};

G_DEFINE_FINAL_TYPE (CinNoteDetails, cin_note_details, GTK_TYPE_WIDGET)

enum {
  SEARCH_TOPICS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static CinNote *
dup_note (CinNoteDetails *self)
{
  return g_signal_group_dup_target (self->note_signals);
}

/* "#穿搭 " → "穿搭": what a creator types or pastes as a topic. */
static char *
normalize_topic (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  const char *p = stripped;

  while (*p == '#' || g_unichar_isspace (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);

  return g_strstrip (g_strdup (p));
}

static void
show_topic_message (CinNoteDetails *self,
                    const char     *message)
{
  gtk_label_set_text (self->topic_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->topic_message), message != NULL);
}

static void
update_counter (CinNoteDetails *self,
                guint           n_topics)
{
  g_autofree char *text = NULL;

  if (self->max_topics == 0)
    {
      gtk_label_set_text (self->topics_counter, "");
      return;
    }

  /* Translators: topics used / topics allowed, such as "3 / 10". */
  text = g_strdup_printf (_("%u / %u"), n_topics, self->max_topics);
  gtk_label_set_text (self->topics_counter, text);
  if (n_topics > self->max_topics)
    gtk_widget_add_css_class (GTK_WIDGET (self->topics_counter), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->topics_counter), "error");
}

static void
on_remove_topic_clicked_cb (GtkButton      *button,
                            CinNoteDetails *self)
{
  const char *topic = g_object_get_data (G_OBJECT (button), "topic");
  g_autoptr(CinNote) note = dup_note (self);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) topics = NULL;
  const char * const *old;

  if (note == NULL)
    return;

  old = cin_note_get_topics (note);
  for (guint i = 0; old != NULL && old[i] != NULL; i++)
    {
      if (!g_str_equal (old[i], topic))
        g_strv_builder_add (kept, old[i]);
    }
  topics = g_strv_builder_end (kept);
  cin_note_set_topics (note, (const char * const *)topics);
  gtk_widget_grab_focus (GTK_WIDGET (self->topic_entry));
}

static GtkWidget *
new_chip (CinNoteDetails *self,
          const char     *topic)
{
  g_autofree char *text = g_strdup_printf ("#%s", topic);
  /* Translators: the accessible name of a button; %s is a topic. */
  g_autofree char *remove_label = g_strdup_printf (_("Remove topic %s"), topic);
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (chip, "topic-chip");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_object_set_data_full (G_OBJECT (remove), "topic", g_strdup (topic), g_free);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_topic_clicked_cb), self, 0);

  gtk_box_append (GTK_BOX (chip), label);
  gtk_box_append (GTK_BOX (chip), remove);
  return chip;
}

static void
sync_topics (CinNoteDetails *self,
             CinNote        *note)
{
  const char * const *topics = note ? cin_note_get_topics (note) : NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips))) != NULL)
    gtk_flow_box_remove (self->chips, child);

  for (; topics != NULL && topics[n] != NULL; n++)
    gtk_flow_box_append (self->chips, new_chip (self, topics[n]));

  gtk_widget_set_visible (GTK_WIDGET (self->chips), n > 0);
  update_counter (self, n);
}

static void
sync_all (CinNoteDetails *self)
{
  g_autoptr(CinNote) note = dup_note (self);

  self->syncing = TRUE;
  sync_topics (self, note);
  gtk_editable_set_text (GTK_EDITABLE (self->location_row),
                         note && cin_note_get_location (note) ? cin_note_get_location (note) : "");
  adw_combo_row_set_selected (self->visibility_row,
                              note ? (guint)cin_note_get_visibility (note) : CIN_VISIBILITY_PUBLIC);
  gtk_switch_set_active (self->original_switch, note && cin_note_get_original (note));
  self->syncing = FALSE;
}

static void
on_note_changed_cb (CinNoteDetails *self,
                    GParamSpec     *pspec,
                    CinNote        *note)
{
  if (!self->syncing)
    sync_all (self);
}

static gboolean
has_topic (CinNote    *note,
           const char *topic)
{
  const char * const *topics = cin_note_get_topics (note);

  return topics != NULL && g_strv_contains (topics, topic);
}

gboolean
cin_note_details_add_topic (CinNoteDetails *self,
                            const char     *text)
{
  g_autoptr(CinNote) note = NULL;
  g_autofree char *topic = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) topics = NULL;
  const char * const *old;
  guint n;

  g_return_val_if_fail (CIN_IS_NOTE_DETAILS (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  note = dup_note (self);
  if (note == NULL)
    return FALSE;

  topic = normalize_topic (text);
  old = cin_note_get_topics (note);
  n = old != NULL ? g_strv_length ((GStrv)old) : 0;

  if (*topic == '\0')
    {
      show_topic_message (self, _("Type a word for the topic first."));
      return FALSE;
    }
  if (strchr (topic, '#') != NULL)
    {
      show_topic_message (self, _("A topic is one word or phrase without “#”. Add each topic on its own."));
      return FALSE;
    }
  if (has_topic (note, topic))
    {
      /* Translators: %s is a topic, such as 穿搭. */
      g_autofree char *message = g_strdup_printf (_("“#%s” is already a topic of this note."), topic);
      show_topic_message (self, message);
      return FALSE;
    }
  if (self->max_topics > 0 && n >= self->max_topics)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("A note can have at most %u topic. Remove one to add another.",
                                   "A note can have at most %u topics. Remove one to add another.",
                                   self->max_topics),
                         self->max_topics);
      show_topic_message (self, message);
      return FALSE;
    }

  builder = g_strv_builder_new ();
  if (old != NULL)
    g_strv_builder_addv (builder, (const char **)old);
  g_strv_builder_add (builder, topic);
  topics = g_strv_builder_end (builder);
  show_topic_message (self, NULL);
  cin_note_set_topics (note, (const char * const *)topics);
  return TRUE;
}

static void
on_topic_entry_activate_cb (CinNoteDetails *self,
                            GtkEntry       *entry)
{
  if (cin_note_details_add_topic (self, gtk_editable_get_text (GTK_EDITABLE (entry))))
    gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
on_suggestion_clicked_cb (GtkButton      *button,
                          CinNoteDetails *self)
{
  const char *topic = g_object_get_data (G_OBJECT (button), "topic");

  if (cin_note_details_add_topic (self, topic))
    gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->topic_entry));
}

/* Case-insensitive for ASCII and exact for everything else, as the draft
 * box's search is. */
static gboolean
topic_matches (const char *topic,
               const char *typed)
{
  g_autofree char *a = g_ascii_strdown (topic, -1);
  g_autofree char *b = g_ascii_strdown (typed, -1);

  return strstr (a, b) != NULL;
}

static void
offer_topics (CinNoteDetails     *self,
              CinNote            *note,
              const char         *typed,
              const char * const *topics,
              GHashTable         *shown)
{
  for (guint i = 0; topics != NULL && topics[i] != NULL && g_hash_table_size (shown) < MAX_SUGGESTIONS; i++)
    {
      const char *topic = topics[i];
      g_autofree char *text = NULL;
      GtkWidget *button;

      if (!topic_matches (topic, typed) || has_topic (note, topic) || g_hash_table_contains (shown, topic))
        continue;

      text = g_strdup_printf ("#%s", topic);
      button = gtk_button_new_with_label (text);
      gtk_widget_add_css_class (button, "topic-suggestion");
      gtk_widget_add_css_class (button, "pill");
      g_object_set_data_full (G_OBJECT (button), "topic", g_strdup (topic), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_suggestion_clicked_cb), self, 0);
      gtk_flow_box_append (self->suggestions, button);
      g_hash_table_add (shown, (gpointer)topic);
    }
}

/* The topics that hold what is typed, as buttons under the entry: the
 * creator's own first, then the server's (the platform's popular ones,
 * when signed in). One click (or Tab, then Enter) adds one. */
static void
show_suggestions (CinNoteDetails *self)
{
  g_autofree char *typed = normalize_topic (gtk_editable_get_text (GTK_EDITABLE (self->topic_entry)));
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CinNote) note = dup_note (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->suggestions))) != NULL)
    gtk_flow_box_remove (self->suggestions, child);

  if (*typed != '\0' && note != NULL)
    {
      offer_topics (self, note, typed, (const char * const *)self->known_topics, shown);
      offer_topics (self, note, typed, (const char * const *)self->server_topics, shown);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions), g_hash_table_size (shown) > 0);
}

static gboolean
search_topics_cb (gpointer user_data)
{
  CinNoteDetails *self = user_data;
  g_autofree char *typed = normalize_topic (gtk_editable_get_text (GTK_EDITABLE (self->topic_entry)));

  self->search_source = 0;
  if (*typed != '\0' && g_strcmp0 (typed, self->searched) != 0)
    g_signal_emit (self, signals[SEARCH_TOPICS], 0, typed);
  return G_SOURCE_REMOVE;
}

static void
on_topic_entry_changed_cb (CinNoteDetails *self,
                           GtkEditable    *entry)
{
  show_topic_message (self, NULL);
  show_suggestions (self);

  g_clear_handle_id (&self->search_source, g_source_remove);
  if (*gtk_editable_get_text (entry) != '\0')
    self->search_source = g_timeout_add (SEARCH_DELAY_MS, search_topics_cb, self);
}

static void
on_location_changed_cb (CinNoteDetails *self,
                        GtkEditable    *row)
{
  g_autoptr(CinNote) note = dup_note (self);
  g_autofree char *location = NULL;

  if (self->syncing || note == NULL)
    return;

  location = g_strstrip (g_strdup (gtk_editable_get_text (row)));
  self->syncing = TRUE;
  cin_note_set_location (note, *location != '\0' ? location : NULL);
  self->syncing = FALSE;
}

static void
on_visibility_changed_cb (CinNoteDetails *self,
                          GParamSpec     *pspec,
                          AdwComboRow    *row)
{
  g_autoptr(CinNote) note = dup_note (self);
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing || note == NULL || selected > CIN_VISIBILITY_MUTUAL)
    return;

  self->syncing = TRUE;
  cin_note_set_visibility (note, (CinVisibility)selected);
  self->syncing = FALSE;
}

static void
on_original_changed_cb (CinNoteDetails *self,
                        GParamSpec     *pspec,
                        GtkSwitch      *sw)
{
  g_autoptr(CinNote) note = dup_note (self);

  if (self->syncing || note == NULL)
    return;

  self->syncing = TRUE;
  cin_note_set_original (note, gtk_switch_get_active (sw));
  self->syncing = FALSE;
}

static void
cin_note_details_dispose (GObject *object)
{
  CinNoteDetails *self = CIN_NOTE_DETAILS (object);
  GtkWidget *child;

  if (self->note_signals != NULL)
    g_signal_group_set_target (self->note_signals, NULL);
  g_clear_object (&self->note_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_NOTE_DETAILS);
  /* dispose_template() leaves the children that are not bound. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->known_topics, g_strfreev);
  g_clear_pointer (&self->server_topics, g_strfreev);
  g_clear_pointer (&self->searched, g_free);
  g_clear_handle_id (&self->search_source, g_source_remove);

  G_OBJECT_CLASS (cin_note_details_parent_class)->dispose (object);
}

static void
cin_note_details_class_init (CinNoteDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_note_details_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/composer/cin-note-details.ui");
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, topics_counter);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, chips);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, topic_entry);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, topic_message);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, suggestions);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, location_row);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, visibility_row);
  gtk_widget_class_bind_template_child (widget_class, CinNoteDetails, original_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_topic_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_topic_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_location_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_visibility_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_original_changed_cb);
  gtk_widget_class_set_css_name (widget_class, "notedetails");

  /* search-topics (const char *typed): the creator paused while typing a
   * topic; whoever can ask the server answers with
   * cin_note_details_offer_topics(). */
  signals[SEARCH_TOPICS] =
    g_signal_new ("search-topics", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cin_note_details_init (CinNoteDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->note_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->note_signals, "notify::topics",
                                 G_CALLBACK (on_note_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->note_signals, "notify::location",
                                 G_CALLBACK (on_note_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->note_signals, "notify::visibility",
                                 G_CALLBACK (on_note_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->note_signals, "notify::original",
                                 G_CALLBACK (on_note_changed_cb), self, G_CONNECT_SWAPPED);

  sync_all (self);
}

GtkWidget *
cin_note_details_new (void)
{
  return g_object_new (CIN_TYPE_NOTE_DETAILS, NULL);
}

void
cin_note_details_set_note (CinNoteDetails *self,
                           CinNote        *note)
{
  g_return_if_fail (CIN_IS_NOTE_DETAILS (self));
  g_return_if_fail (!note || CIN_IS_NOTE (note));

  g_signal_group_set_target (self->note_signals, note);
  /* The server's answer was for the last note, maybe another profile's
   * server: the next word typed asks again. */
  g_clear_pointer (&self->server_topics, g_strfreev);
  g_clear_pointer (&self->searched, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->topic_entry), "");
  show_topic_message (self, NULL);
  sync_all (self);
}

void
cin_note_details_set_max_topics (CinNoteDetails *self,
                                 guint           max_topics)
{
  g_autoptr(CinNote) note = NULL;

  g_return_if_fail (CIN_IS_NOTE_DETAILS (self));

  self->max_topics = max_topics;
  note = dup_note (self);
  update_counter (self, note && cin_note_get_topics (note)
                          ? g_strv_length ((GStrv)cin_note_get_topics (note)) : 0);
}

void
cin_note_details_set_known_topics (CinNoteDetails     *self,
                                   const char * const *topics)
{
  g_return_if_fail (CIN_IS_NOTE_DETAILS (self));

  g_strfreev (self->known_topics);
  self->known_topics = g_strdupv ((char **)topics);
}

void
cin_note_details_offer_topics (CinNoteDetails     *self,
                               const char         *typed,
                               const char * const *topics)
{
  g_autofree char *now = NULL;

  g_return_if_fail (CIN_IS_NOTE_DETAILS (self));
  g_return_if_fail (typed != NULL);

  /* An answer to what was typed before the last key still helps while
   * it holds the same word; one for a word since erased does not. */
  now = normalize_topic (gtk_editable_get_text (GTK_EDITABLE (self->topic_entry)));
  if (*now == '\0' || !topic_matches (now, typed))
    return;

  g_free (self->searched);
  self->searched = g_strdup (typed);
  g_strfreev (self->server_topics);
  self->server_topics = g_strdupv ((char **)topics);
  show_suggestions (self);
}
