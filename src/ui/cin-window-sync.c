/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-window-sync"

#include <glib/gi18n.h>

#include "cin-autosave.h"
#include "cin-note-merge.h"
#include "cin-photo-importer.h"
#include "cin-schedule-popover.h"
#include "cin-store-sync.h"
#include "cin-window-private.h"

/* The window's part in sync: what the engine changed is reloaded (the
 * open note never over unsaved typing) and the draft box refreshed, and
 * the open note is published or scheduled, its status shown under the
 * composer's header until the server confirms it. */

#define REFRESH_DELAY_MS 150

static CinSyncEngine *
dup_engine (CinWindow *self)
{
  return g_signal_group_dup_target (self->engine_signals);
}

/* Publishing status */

static void
set_publish_status (CinWindow  *self,
                    const char *icon_name,
                    gboolean    busy,
                    const char *text)
{
  gtk_revealer_set_reveal_child (self->publish_revealer, text != NULL);
  if (text == NULL)
    return;

  gtk_label_set_text (self->publish_label, text);
  gtk_spinner_set_spinning (self->publish_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->publish_spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->publish_image), icon_name != NULL);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (self->publish_image, icon_name);
  if (g_strcmp0 (icon_name, "dialog-warning-symbolic") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->publish_box), "refused");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->publish_box), "refused");
}

/* What the store read back after the server confirmed it, else what the
 * note said when it was opened. */
static CinNoteState
get_shown_state (CinWindow *self)
{
  gpointer read_back = g_hash_table_lookup (self->read_back, cin_note_get_id (self->current));

  if (read_back != NULL)
    return (CinNoteState)(GPOINTER_TO_INT (read_back) - 1);
  return cin_note_get_state (self->current);
}

/* The state change under way for @id (CinOutboxOp + 1), or 0: asked for
 * in this window, or still waiting in the outbox. */
static int
get_request_under_way (CinWindow  *self,
                       const char *id)
{
  gpointer op = g_hash_table_lookup (self->publishing, id);

  if (op == NULL)
    op = g_hash_table_lookup (self->waiting, id);
  return GPOINTER_TO_INT (op);
}

/* What the composer says of a refused row: a refused publish and a
 * refused edit are different news. */
static char *
refusal_text (const CinOutboxEntry *entry)
{
  const char *reason = entry->last_error != NULL ? entry->last_error : _("no reason given");

  switch (entry->op)
    {
    case CIN_OUTBOX_PUBLISH:
    case CIN_OUTBOX_SCHEDULE:
      /* Translators: %s is the server's reason for refusing the note. */
      return g_strdup_printf (_("Not published: %s"), reason);
    case CIN_OUTBOX_UNPUBLISH:
      /* Translators: %s is the server's reason for refusing to take the note down. */
      return g_strdup_printf (_("Still published: %s"), reason);
    case CIN_OUTBOX_PUT:
    case CIN_OUTBOX_DELETE:
    default:
      /* Translators: %s is the server's reason for refusing an edit. */
      return g_strdup_printf (_("Not saved on the server: %s"), reason);
    }
}

void
_cin_window_update_publish (CinWindow *self)
{
  g_autoptr(CinSyncEngine) engine = dup_engine (self);
  gboolean account = _cin_window_is_account (self);
  const char *id;
  const char *refusal;
  CinNoteState state;
  gboolean can_publish;
  int under_way;

  if (self->refusals == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->publish_button), account);
  if (!account || self->current == NULL)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.publish", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unpublish", FALSE);
      set_publish_status (self, NULL, FALSE, NULL);
      return;
    }

  id = cin_note_get_id (self->current);
  state = get_shown_state (self);
  /* Neither publishing nor scheduling without an engine, while a request
   * is under way, or once the note is out. The action covers the main
   * button only, so the split button as a whole follows too. */
  under_way = get_request_under_way (self, id);
  can_publish = engine != NULL && under_way == 0 && state != CIN_NOTE_STATE_PUBLISHED;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.publish", can_publish);
  gtk_widget_set_sensitive (GTK_WIDGET (self->publish_button), can_publish);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.unpublish",
                                 engine != NULL && under_way == 0 &&
                                 (state == CIN_NOTE_STATE_PUBLISHED || state == CIN_NOTE_STATE_SCHEDULED));

  refusal = g_hash_table_lookup (self->refusals, id);
  if (refusal != NULL)
    {
      set_publish_status (self, "dialog-warning-symbolic", FALSE, refusal);
      return;
    }
  if (under_way != 0)
    {
      CinOutboxOp op = (CinOutboxOp)(under_way - 1);

      if (op == CIN_OUTBOX_SCHEDULE)
        set_publish_status (self, NULL, TRUE, _("Scheduling…"));
      else if (op == CIN_OUTBOX_UNPUBLISH)
        set_publish_status (self, NULL, TRUE, _("Taking the note down…"));
      else
        set_publish_status (self, NULL, TRUE, _("Publishing…"));
      return;
    }

  if (state == CIN_NOTE_STATE_PUBLISHED)
    set_publish_status (self, "emblem-ok-symbolic", FALSE, _("Published"));
  else if (state == CIN_NOTE_STATE_SCHEDULED && cin_note_get_scheduled_at (self->current) > 0)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (cin_note_get_scheduled_at (self->current) / G_USEC_PER_SEC);
      /* Translators: a date and time; see g_date_time_format(). */
      g_autofree char *when = g_date_time_format (at, _("%b %-d, %H:%M"));
      /* Translators: %s is when the note goes out. */
      g_autofree char *text = g_strdup_printf (_("Scheduled for %s"), when);

      set_publish_status (self, "alarm-symbolic", FALSE, text);
    }
  else if (state == CIN_NOTE_STATE_SCHEDULED)
    set_publish_status (self, "alarm-symbolic", FALSE, _("Scheduled"));
  else
    set_publish_status (self, NULL, FALSE, NULL);
}

guint
_cin_window_get_n_copying (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), 0);
  return self->n_copying;
}

const char *
_cin_window_get_publish_status (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->publish_revealer))
    return NULL;
  return gtk_label_get_text (self->publish_label);
}

GtkLabel *
_cin_window_get_publish_label (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);

  return self->publish_label;
}

typedef struct {
  CinWindow *window;
  char      *id;
  guint64    generation;
} NoteJob;

static NoteJob *
note_job_new (CinWindow  *self,
              const char *id)
{
  NoteJob *job = g_new0 (NoteJob, 1);

  job->window = g_object_ref (self);
  job->id = g_strdup (id);
  return job;
}

static void
note_job_free (NoteJob *job)
{
  g_object_unref (job->window);
  g_free (job->id);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NoteJob, note_job_free)

static void
state_read_back_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NoteJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) note = cin_store_load_note_finish (CIN_STORE (object), result, &error);

  if (note == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the published note back: %s", error->message);
      return;
    }

  g_hash_table_insert (job->window->read_back, g_strdup (job->id),
                       GINT_TO_POINTER (cin_note_get_state (note) + 1));
  _cin_window_update_publish (job->window);
}

/* Reloading what sync changed */

static void
reloaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(NoteJob) job = user_data;
  CinWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) note = cin_store_load_note_finish (CIN_STORE (object), result, &error);
  CinAutosave *autosave = _cin_window_get_autosave (self);
  CinNote *current = self->current;

  if (note == NULL)
    {
      /* Gone (deleted on the server) or the store went away: the draft
       * box's refresh takes the row out. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not reload a note sync changed: %s", error->message);
      return;
    }

  /* Typed into while the store answered: those keystrokes are newer than
   * what was loaded, so the open note stays; its next save meets the
   * server's version and merges there. */
  if (current == NULL || !g_str_equal (cin_note_get_id (current), job->id) || autosave == NULL ||
      cin_autosave_get_generation (autosave, current) != job->generation ||
      cin_autosave_get_pending (autosave))
    return;
  /* A photo still being imported is added to the open note object. */
  if (cin_photo_importer_get_pending (cin_composer_get_photo_importer (self->composer)) > 0)
    return;
  /* The server's answer to our own save says what the composer shows
   * already: replacing the note would only move the cursor. */
  if (cin_note_same_content (current, note))
    return;

  g_hash_table_remove (self->read_back, job->id);
  cin_autosave_unwatch (autosave, current);
  g_hash_table_replace (self->notes, g_strdup (job->id), g_object_ref (note));
  cin_window_open_note (self, note);
}

static void
reload_flushed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NoteJob) job = user_data;
  CinWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  CinApplication *app = _cin_window_get_app (self);
  const char *id;

  /* Not saved: the text on screen is the only copy, so it stays. */
  if (!cin_autosave_flush_finish (CIN_AUTOSAVE (object), result, &error) || app == NULL ||
      cin_application_get_store (app) == NULL)
    return;

  id = job->id;
  cin_store_load_note_async (cin_application_get_store (app), id, self->profile_cancellable,
                             reloaded_cb, g_steal_pointer (&job));
}

/* Sync changed the note @id in the store. The note open in the composer
 * is reloaded, but never over unsaved typing: pending edits are flushed
 * first, so the store holds them (the engine then leaves the note for its
 * outbox row to merge), and a keystroke arriving while the store answers
 * (the edit counter moved) keeps the open copy, which the next save
 * merges with the server's. A note opened earlier but not shown now is
 * just forgotten, so opening it again reads the store. */
static void
reload_note (CinWindow  *self,
             const char *id)
{
  CinAutosave *autosave = _cin_window_get_autosave (self);
  CinNote *known = g_hash_table_lookup (self->notes, id);
  NoteJob *job;

  if (known == NULL || autosave == NULL)
    return;

  if (known != self->current)
    {
      cin_autosave_unwatch (autosave, known);
      g_hash_table_remove (self->notes, id);
      return;
    }

  job = note_job_new (self, id);
  job->generation = cin_autosave_get_generation (autosave, known);
  cin_autosave_flush_async (autosave, self->profile_cancellable, reload_flushed_cb, job);
}

static gboolean
refresh_drafts_cb (gpointer data)
{
  CinWindow *self = data;
  CinApplication *app = _cin_window_get_app (self);

  self->refresh_source = 0;
  /* Mid-switch the draft box still holds the store being closed; the
   * new profile's drafts are listed whole once it is open. */
  if (app != NULL && cin_application_get_ready (app))
    cin_draft_box_refresh (self->draft_box);
  return G_SOURCE_REMOVE;
}

/* A pull may change hundreds of notes at once: one listing for all. */
static void
queue_refresh (CinWindow *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_drafts_cb, self);
}

static void
on_note_changed_cb (CinWindow     *self,
                    const char    *id,
                    CinSyncEngine *engine)
{
  reload_note (self, id);
  queue_refresh (self);
}

static void
on_published_cb (CinWindow     *self,
                 const char    *id,
                 CinSyncEngine *engine)
{
  g_hash_table_remove (self->publishing, id);
  g_hash_table_remove (self->waiting, id);
  g_hash_table_remove (self->refusals, id);
  /* "Published" is what the store says once the server's answer was
   * read back, not what was asked for. */
  cin_store_load_note_async (cin_sync_engine_get_store (engine), id, self->profile_cancellable,
                             state_read_back_cb, note_job_new (self, id));
  _cin_window_update_publish (self);
  queue_refresh (self);
}

/* The open note's photos going up: which one, and how far. The last
 * byte hands the status back to what the note is waiting for. */
static void
on_upload_progress_cb (CinWindow     *self,
                       const char    *id,
                       guint          photo,
                       guint          n_photos,
                       guint64        offset,
                       guint64        length,
                       CinSyncEngine *engine)
{
  g_autofree char *text = NULL;
  guint percent;

  if (self->current == NULL || !g_str_equal (cin_note_get_id (self->current), id))
    return;
  if (photo + 1 == n_photos && offset == length)
    {
      _cin_window_update_publish (self);
      return;
    }

  percent = length > 0 ? (guint)(offset * 100 / length) : 0;
  /* Translators: "Uploading photo 3 of 9 (40%)…"; the last %u%% is how
   * much of that photo is up. */
  text = g_strdup_printf (_("Uploading photo %u of %u (%u%%)…"), photo + 1, n_photos, percent);
  set_publish_status (self, NULL, TRUE, text);
}

static void
on_conflict_cb (CinWindow     *self,
                const char    *id,
                const char    *copy_id,
                CinSyncEngine *engine)
{
  AdwToast *toast = adw_toast_new (_("A note was changed here and on the server: your version is kept as a copy"));

  adw_toast_set_timeout (toast, 8);
  _cin_window_show_toast (self, toast);
}

static void
outbox_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CinWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = cin_store_list_outbox_finish (CIN_STORE (object), result, &error);

  if (entries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list the outbox: %s", error->message);
      return;
    }

  g_hash_table_remove_all (self->refusals);
  g_hash_table_remove_all (self->waiting);
  for (guint i = 0; i < entries->len; i++)
    {
      CinOutboxEntry *entry = g_ptr_array_index (entries, i);

      /* A publishing request still waiting (sent before a restart, or
       * held back while offline) shows as under way. */
      if (!entry->parked)
        {
          if (entry->op == CIN_OUTBOX_PUBLISH || entry->op == CIN_OUTBOX_SCHEDULE ||
              entry->op == CIN_OUTBOX_UNPUBLISH)
            g_hash_table_insert (self->waiting, g_strdup (entry->note_id),
                                 GINT_TO_POINTER (entry->op + 1));
          continue;
        }
      g_hash_table_replace (self->refusals, g_strdup (entry->note_id), refusal_text (entry));
      /* A refused publish is not under way any more. */
      g_hash_table_remove (self->publishing, entry->note_id);
    }
  _cin_window_update_publish (self);
}

static void
on_outbox_changed_cb (CinWindow     *self,
                      CinSyncEngine *engine)
{
  cin_store_list_outbox_async (cin_sync_engine_get_store (engine), self->profile_cancellable,
                               outbox_listed_cb, g_object_ref (self));
  queue_refresh (self);
}

/* Publishing and scheduling */

typedef struct {
  CinWindow   *window;
  char        *id;
  CinOutboxOp  op;
  gint64       at;
} StateRequest;

static void
state_request_free (StateRequest *request)
{
  g_object_unref (request->window);
  g_free (request->id);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StateRequest, state_request_free)

static void
state_requested_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StateRequest) request = user_data;
  CinWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinSyncEngine) engine = dup_engine (self);

  if (!cin_store_request_state_finish (CIN_STORE (object), result, &error))
    {
      g_hash_table_remove (self->publishing, request->id);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _cin_window_show_error (self, error);
      _cin_window_update_publish (self);
      return;
    }

  if (engine != NULL)
    cin_sync_engine_sync_now (engine);
}

static void
request_flushed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(StateRequest) request = user_data;
  CinWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  CinStore *store = _cin_window_get_store (self);
  const char *id;
  CinOutboxOp op;
  gint64 at;

  /* The note goes out as saved: a publish queued behind a failed save
   * would send an older text. */
  if (!cin_autosave_flush_finish (CIN_AUTOSAVE (object), result, &error) || store == NULL)
    {
      g_hash_table_remove (self->publishing, request->id);
      _cin_window_update_publish (self);
      return;
    }

  id = request->id;
  op = request->op;
  at = request->at;
  cin_store_request_state_async (store, id, op, at, self->profile_cancellable,
                                 state_requested_cb, g_steal_pointer (&request));
}

static void
request_state (CinWindow   *self,
               CinOutboxOp  op,
               gint64       at)
{
  CinAutosave *autosave = _cin_window_get_autosave (self);
  StateRequest *request;

  if (self->current == NULL || autosave == NULL)
    return;

  request = g_new0 (StateRequest, 1);
  request->window = g_object_ref (self);
  request->id = g_strdup (cin_note_get_id (self->current));
  request->op = op;
  request->at = at;

  g_hash_table_remove (self->refusals, request->id);
  g_hash_table_remove (self->read_back, request->id);
  g_hash_table_insert (self->publishing, g_strdup (request->id), GINT_TO_POINTER (op + 1));
  _cin_window_update_publish (self);

  cin_autosave_flush_async (autosave, self->profile_cancellable, request_flushed_cb, request);
}

static void
publish_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  request_state (CIN_WINDOW (widget), CIN_OUTBOX_PUBLISH, 0);
}

/* Back to a draft: off the platform, or no longer scheduled. */
static void
unpublish_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  request_state (CIN_WINDOW (widget), CIN_OUTBOX_UNPUBLISH, 0);
}

static void
on_schedule_cb (CinWindow          *self,
                gint64              at,
                CinSchedulePopover *popover)
{
  request_state (self, CIN_OUTBOX_SCHEDULE, at);
}

static void
on_schedule_shown_cb (CinWindow          *self,
                      CinSchedulePopover *popover)
{
  CinApplication *app = _cin_window_get_app (self);
  CinRules *rules = app ? cin_application_get_rules (app) : NULL;

  if (rules != NULL)
    cin_schedule_popover_set_limits (popover,
                                     cin_rules_get_schedule_min_seconds (rules),
                                     cin_rules_get_schedule_max_seconds (rules));
}

/* Folded, the pane is a phone's width: "Publish" becomes an icon so the
 * header still fits (GTK 4.8 has no breakpoints to do it in the .ui). */
static void
on_folded_changed_cb (CinWindow  *self,
                      GParamSpec *pspec,
                      AdwLeaflet *leaflet)
{
  if (adw_leaflet_get_folded (leaflet))
    adw_split_button_set_icon_name (self->publish_button, "document-send-symbolic");
  else
    {
      adw_split_button_set_label (self->publish_button, _("_Publish"));
      adw_split_button_set_use_underline (self->publish_button, TRUE);
    }
}

void
_cin_window_sync_set_engine (CinWindow     *self,
                             CinSyncEngine *engine)
{
  g_signal_group_set_target (self->engine_signals, engine);
  if (engine != NULL)
    on_outbox_changed_cb (self, engine);
  _cin_window_update_publish (self);
}

void
_cin_window_sync_forget (CinWindow *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_hash_table_remove_all (self->publishing);
  g_hash_table_remove_all (self->waiting);
  g_hash_table_remove_all (self->refusals);
  g_hash_table_remove_all (self->read_back);
}

void
_cin_window_sync_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (CIN_TYPE_SCHEDULE_POPOVER);

  gtk_widget_class_bind_template_child (widget_class, CinWindow, publish_button);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, publish_revealer);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, publish_box);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, publish_spinner);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, publish_image);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, publish_label);

  gtk_widget_class_install_action (widget_class, "win.publish", NULL, publish_action);
  gtk_widget_class_install_action (widget_class, "win.unpublish", NULL, unpublish_action);
}

void
_cin_window_sync_init (CinWindow *self)
{
  GtkWidget *schedule_popover;

  self->publishing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->read_back = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->engine_signals = g_signal_group_new (CIN_TYPE_SYNC_ENGINE);
  g_signal_group_connect_object (self->engine_signals, "note-changed",
                                 G_CALLBACK (on_note_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "published",
                                 G_CALLBACK (on_published_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "conflict",
                                 G_CALLBACK (on_conflict_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "outbox-changed",
                                 G_CALLBACK (on_outbox_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "upload-progress",
                                 G_CALLBACK (on_upload_progress_cb), self, G_CONNECT_SWAPPED);

  schedule_popover = cin_schedule_popover_new ();
  g_signal_connect_object (schedule_popover, "schedule", G_CALLBACK (on_schedule_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (schedule_popover, "show", G_CALLBACK (on_schedule_shown_cb),
                           self, G_CONNECT_SWAPPED);
  adw_split_button_set_popover (self->publish_button, GTK_POPOVER (schedule_popover));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->publish_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Publish Now"),
                                  -1);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_folded_changed_cb (self, NULL, self->leaflet);
}

void
_cin_window_sync_dispose (CinWindow *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->engine_signals != NULL)
    g_signal_group_set_target (self->engine_signals, NULL);
  g_clear_object (&self->engine_signals);
  g_clear_pointer (&self->publishing, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->refusals, g_hash_table_unref);
  g_clear_pointer (&self->read_back, g_hash_table_unref);
}
