/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-window"

#include <glib/gi18n.h>
#include <stdio.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "cin-autosave.h"
#include "cin-photo-paintable.h"
#include "cin-store.h"
#include "cin-window-private.h"

G_DEFINE_FINAL_TYPE (CinWindow, cin_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BENCH_STARTUP,
  PROP_DRAFT_SORT,
  PROP_PREVIEWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CinApplication *
get_app (CinWindow *self)
{
  return CIN_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

CinAutosave *
_cin_window_get_autosave (CinWindow *self)
{
  CinApplication *app = get_app (self);

  return app ? cin_application_get_autosave (app) : NULL;
}

CinStore *
_cin_window_get_store (CinWindow *self)
{
  CinApplication *app = get_app (self);

  return app ? cin_application_get_store (app) : NULL;
}

static void
show_toast (CinWindow  *self,
            AdwToast   *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error_toast (CinWindow    *self,
                  const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 0);
  show_toast (self, toast);
}

CinApplication *
_cin_window_get_app (CinWindow *self)
{
  return get_app (self);
}

void
_cin_window_show_error (CinWindow    *self,
                        const GError *error)
{
  show_error_toast (self, error);
}

void
_cin_window_show_toast (CinWindow *self,
                        AdwToast  *toast)
{
  show_toast (self, toast);
}

static void
update_composer_title (CinWindow *self)
{
  CinAutosave *autosave = _cin_window_get_autosave (self);
  const char *title;
  const char *status = "";

  if (self->current == NULL)
    {
      adw_window_title_set_title (self->composer_title, "");
      adw_window_title_set_subtitle (self->composer_title, "");
      return;
    }

  title = cin_note_get_title (self->current);
  adw_window_title_set_title (self->composer_title, *title ? title : _("Untitled Draft"));

  if (autosave != NULL)
    {
      if (cin_autosave_get_error (autosave) != NULL)
        status = _("Not saved");
      else if (cin_autosave_get_pending (autosave))
        status = _("Saving…");
      else if (!cin_note_is_empty (self->current))
        status = _("Saved");
    }
  adw_window_title_set_subtitle (self->composer_title, status);
}

static void
update_save_error (CinWindow *self)
{
  CinAutosave *autosave = _cin_window_get_autosave (self);
  const GError *error = autosave ? cin_autosave_get_error (autosave) : NULL;

  if (error != NULL)
    gtk_label_set_text (self->save_error_label, error->message);
  gtk_revealer_set_reveal_child (self->save_error_revealer, error != NULL);
  update_composer_title (self);
}

static void
update_composer_page (CinWindow *self)
{
  const char *page = "empty";

  if (self->current != NULL)
    page = self->previewing ? "preview" : "composer";
  gtk_stack_set_visible_child_name (self->composer_stack, page);
}

static void
update_actions (CinWindow *self)
{
  gboolean has_note = self->current != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.preview", has_note);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.duplicate-draft", has_note);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-draft", has_note);
  gtk_widget_set_sensitive (GTK_WIDGET (self->draft_menu_button), has_note);
  _cin_window_update_publish (self);
}

/* A new draft that was never written to: not worth keeping. */
static gboolean
is_untouched (CinWindow *self,
              CinNote   *note)
{
  CinAutosave *autosave = _cin_window_get_autosave (self);

  return note != NULL && autosave != NULL && cin_note_is_empty (note) &&
         cin_autosave_get_generation (autosave, note) == 0;
}

static void
drop_if_untouched (CinWindow *self,
                   CinNote   *note)
{
  if (!is_untouched (self, note))
    return;

  cin_autosave_unwatch (_cin_window_get_autosave (self), note);
  cin_draft_box_remove (self->draft_box, cin_note_get_id (note));
  g_hash_table_remove (self->notes, cin_note_get_id (note));
}

void
cin_window_open_note (CinWindow *self,
                      CinNote   *note)
{
  CinAutosave *autosave;
  g_autoptr(CinNote) previous = NULL;

  g_return_if_fail (CIN_IS_WINDOW (self));
  g_return_if_fail (!note || CIN_IS_NOTE (note));

  /* Whatever was being loaded to open is not wanted any more. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->current == note)
    return;

  if (note != NULL && !g_hash_table_contains (self->notes, cin_note_get_id (note)))
    g_hash_table_insert (self->notes, g_strdup (cin_note_get_id (note)), g_object_ref (note));

  previous = g_steal_pointer (&self->current);
  g_set_object (&self->current, note);
  g_signal_group_set_target (self->current_signals, note);

  autosave = _cin_window_get_autosave (self);
  if (note != NULL && autosave != NULL)
    cin_autosave_watch (autosave, note);

  cin_composer_set_note (self->composer, note);
  if (self->feed_preview != NULL)
    cin_feed_preview_set_note (self->feed_preview, note);
  update_composer_page (self);

  if (note != NULL)
    {
      _cin_window_refresh_known_tags (self);
      cin_draft_box_select (self->draft_box, note);
      g_settings_set_string (cin_application_get_settings (get_app (self)),
                             "last-draft", cin_note_get_id (note));
    }

  drop_if_untouched (self, previous);
  update_composer_title (self);
  update_actions (self);
}

CinNote *
cin_window_get_current (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);
  return self->current;
}

static void
show_content (CinWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
draft_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) note = cin_store_load_note_finish (CIN_STORE (object), result, &error);
  CinNote *known;

  if (note == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error_toast (self, error);
      return;
    }

  known = g_hash_table_lookup (self->notes, cin_note_get_id (note));
  cin_window_open_note (self, known != NULL ? known : note);
}

void
cin_window_open_draft (CinWindow  *self,
                       const char *id)
{
  CinNote *known;
  CinStore *store;

  g_return_if_fail (CIN_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  known = g_hash_table_lookup (self->notes, id);
  if (known != NULL)
    {
      cin_window_open_note (self, known);
      return;
    }

  store = _cin_window_get_store (self);
  if (store == NULL)
    return;

  /* The newest click wins: an earlier load still running is dropped. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  cin_store_load_note_async (store, id, self->load_cancellable, draft_loaded_cb, g_object_ref (self));
}

static void
on_draft_activated_cb (CinWindow      *self,
                       CinNoteSummary *summary,
                       CinDraftBox    *draft_box)
{
  cin_window_open_draft (self, cin_note_summary_get_id (summary));
  show_content (self);
}

/* Start-up timing for tests/bench: CLOCK_MONOTONIC, comparable across
 * processes, so the observer subtracts the moment it called exec. */
static void
print_bench_line (const char *what)
{
  g_autofree char *statm = NULL;
  long pages = 0;
  long rss = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &pages, &rss);

  printf ("bench %s monotonic-us=%" G_GINT64_FORMAT " rss-kb=%ld\n",
          what, g_get_monotonic_time (), rss * (sysconf (_SC_PAGESIZE) / 1024));
  fflush (stdout);
}

/* Prints when the list is first painted, then the memory once every
 * draft is in and painted too, and quits. */
static void
bench_after_paint_cb (GdkFrameClock *clock,
                      CinWindow     *self)
{
  if (!cin_draft_box_get_loaded (self->draft_box))
    return;

  if (!self->bench_list_shown)
    {
      print_bench_line ("list-shown");
      self->bench_list_shown = TRUE;
    }
  if (!cin_draft_box_get_complete (self->draft_box))
    return;

  g_signal_handlers_disconnect_by_func (clock, bench_after_paint_cb, self);
  print_bench_line ("list-complete");
  g_application_quit (G_APPLICATION (get_app (self)));
}

static void
restore_last_draft (CinWindow *self)
{
  GSettings *settings = cin_application_get_settings (get_app (self));
  g_autofree char *last = g_settings_get_string (settings, "last-draft");
  g_autoptr(CinNoteSummary) first = NULL;

  if (cin_draft_box_find (self->draft_box, last) != NULL)
    {
      cin_window_open_draft (self, last);
      return;
    }

  /* Side by side, an empty composer next to a list of drafts is a wasted
   * half of the window; folded, the list is what shows first. */
  if (adw_leaflet_get_folded (self->leaflet))
    return;
  first = g_list_model_get_item (cin_draft_box_get_shown (self->draft_box), 0);
  if (first != NULL)
    cin_window_open_draft (self, cin_note_summary_get_id (first));
}

static void
on_drafts_complete_cb (CinWindow   *self,
                       GParamSpec  *pspec,
                       CinDraftBox *draft_box)
{
  if (!cin_draft_box_get_complete (draft_box))
    return;

  g_signal_handlers_disconnect_by_func (draft_box, on_drafts_complete_cb, self);
#ifdef HAVE_MALLOC_TRIM
  /* Listing thousands of drafts leaves megabytes of freed scratch memory
   * (the query's rows, the sort's buffers) inside the heap, where it would
   * stay for the life of the window: give it back to the system. */
  malloc_trim (0);
#endif
  if (self->current == NULL && self->load_cancellable == NULL)
    restore_last_draft (self);
  if (self->bench_startup)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drafts_loaded_cb (CinWindow   *self,
                     GParamSpec  *pspec,
                     CinDraftBox *draft_box)
{
  GSettings *settings;
  g_autofree char *last = NULL;

  if (!cin_draft_box_get_loaded (draft_box))
    return;

  if (self->bench_startup)
    gtk_widget_queue_draw (GTK_WIDGET (self));

  /* The last draft is often on the first page; if not, the whole list
   * tells whether it still exists. */
  settings = cin_application_get_settings (get_app (self));
  last = g_settings_get_string (settings, "last-draft");
  if (cin_draft_box_get_complete (draft_box) || cin_draft_box_find (draft_box, last) != NULL)
    restore_last_draft (self);
  if (!cin_draft_box_get_complete (draft_box))
    g_signal_connect_object (draft_box, "notify::complete", G_CALLBACK (on_drafts_complete_cb),
                             self, G_CONNECT_SWAPPED);
}

static void
on_photo_refused_cb (CinWindow   *self,
                     const char  *message,
                     CinComposer *composer)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  show_toast (self, toast);
}

typedef struct {
  CinNote  *note;
  CinPhoto *photo;
  guint     position;
} RemovedPhoto;

static void
removed_photo_free (gpointer data)
{
  RemovedPhoto *removed = data;

  g_object_unref (removed->note);
  cin_photo_unref (removed->photo);
  g_free (removed);
}

static void
on_undo_photo_removal_cb (AdwToast     *toast,
                          RemovedPhoto *removed)
{
  cin_note_insert_photo (removed->note, MIN (removed->position, cin_note_get_n_photos (removed->note)),
                         removed->photo);
}

static void
on_photo_removed_cb (CinWindow     *self,
                     CinPhoto      *photo,
                     guint          position,
                     CinPhotoStrip *strip)
{
  RemovedPhoto *removed;
  AdwToast *toast;

  if (self->current == NULL)
    return;

  removed = g_new0 (RemovedPhoto, 1);
  removed->note = g_object_ref (self->current);
  removed->photo = cin_photo_ref (photo);
  removed->position = position;

  toast = adw_toast_new (_("Photo removed"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "removed", removed, removed_photo_free);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (on_undo_photo_removal_cb), removed);
  show_toast (self, toast);
}

/* GTK 4.8 animates a spinning spinner on a page the stack doesn't show,
 * and its frames keep the frame clock running: some 60 frames a second
 * for nothing, with each keystroke waiting for the next of them. */
static void
on_main_page_changed_cb (CinWindow *self)
{
  gtk_spinner_set_spinning (self->loading_spinner,
                            g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0);
}

static void
on_app_ready_cb (CinWindow      *self,
                 GParamSpec     *pspec,
                 CinApplication *app)
{
  const GError *error;

  if (!cin_application_get_ready (app))
    {
      /* A profile switch closes the store these notes came from. */
      _cin_window_forget_notes (self);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
      return;
    }

  error = cin_application_get_error (app);
  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      return;
    }

  g_signal_group_set_target (self->autosave_signals, cin_application_get_autosave (app));
  cin_composer_set_media_library (self->composer, cin_application_get_media_library (app));
  cin_composer_set_rules (self->composer,
                          cin_application_get_rules (app),
                          cin_application_get_ad_check (app));
  cin_draft_box_load (self->draft_box, cin_application_get_store (app));
  gtk_stack_set_visible_child_name (self->main_stack, "content");
}

static void
new_draft_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);
  g_autoptr(CinNote) note = NULL;

  if (_cin_window_get_store (self) == NULL)
    return;

  /* Reuse an untouched new draft instead of piling up empty ones. */
  if (is_untouched (self, self->current))
    {
      show_content (self);
      cin_composer_focus_title (self->composer);
      return;
    }

  note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  cin_draft_box_add (self->draft_box, note);
  cin_window_open_note (self, note);
  show_content (self);
  cin_composer_focus_title (self->composer);
}

static void
note_saved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CinWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_store_save_note_finish (CIN_STORE (object), result, &error))
    show_error_toast (self, error);
}

static void
duplicate_draft_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);
  g_autoptr(CinNote) copy = NULL;

  if (self->current == NULL || _cin_window_get_store (self) == NULL)
    return;

  copy = cin_note_duplicate (self->current);
  cin_store_save_note_async (_cin_window_get_store (self), copy, self->cancellable,
                             note_saved_cb, g_object_ref (self));
  cin_draft_box_add (self->draft_box, copy);
  cin_window_open_note (self, copy);
  show_toast (self, adw_toast_new (_("Draft duplicated")));
}

static void
trashed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CinWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_store_trash_note_finish (CIN_STORE (object), result, &error))
    show_error_toast (self, error);
}

static void
delete_draft_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);
  g_autoptr(CinNote) note = NULL;
  g_autofree char *title = NULL;
  CinStore *store = _cin_window_get_store (self);
  AdwToast *toast;
  const char *note_title;

  if (self->current == NULL || store == NULL)
    return;

  note = g_object_ref (self->current);
  cin_autosave_unwatch (_cin_window_get_autosave (self), note);
  g_hash_table_remove (self->notes, cin_note_get_id (note));

  /* The last edits go to disk first, so undo brings back exactly what was
   * deleted; the store runs these two in order. */
  cin_store_save_note_async (store, note, self->cancellable, note_saved_cb, g_object_ref (self));
  cin_store_trash_note_async (store, cin_note_get_id (note), self->cancellable,
                              trashed_cb, g_object_ref (self));
  g_hash_table_insert (self->trashed, g_strdup (cin_note_get_id (note)), g_object_ref (note));

  cin_window_open_note (self, NULL);
  cin_draft_box_remove (self->draft_box, cin_note_get_id (note));

  note_title = cin_note_get_title (note);
  if (*note_title != '\0')
    /* Translators: a toast; %s is the title of the deleted draft. */
    title = g_strdup_printf (_("“%s” deleted"), note_title);
  else
    title = g_strdup (_("Untitled draft deleted"));

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (cin_note_get_id (note)));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  show_toast (self, toast);
}

typedef struct
{
  CinWindow *window;
  CinNote   *note;
} RestoreData;

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RestoreData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (cin_store_restore_note_finish (CIN_STORE (object), result, &error))
    {
      cin_draft_box_add (data->window->draft_box, data->note);
      cin_window_open_note (data->window, data->note);
    }
  else
    show_error_toast (data->window, error);

  g_object_unref (data->window);
  g_object_unref (data->note);
  g_free (data);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);
  const char *id = g_variant_get_string (param, NULL);
  gpointer note = NULL;
  RestoreData *data;

  if (!g_hash_table_steal_extended (self->trashed, id, NULL, &note) || _cin_window_get_store (self) == NULL)
    return;

  data = g_new0 (RestoreData, 1);
  data->window = g_object_ref (self);
  data->note = note;
  cin_store_restore_note_async (_cin_window_get_store (self), id, self->cancellable, restored_cb, data);
}

/* The preview is built the first time it is shown: most sessions never
 * open it, and its widgets would cost every start. */
static void
ensure_feed_preview (CinWindow *self)
{
  CinApplication *app = get_app (self);

  if (self->feed_preview != NULL)
    return;

  self->feed_preview = CIN_FEED_PREVIEW (cin_feed_preview_new ());
  if (app != NULL && cin_application_get_media_library (app) != NULL)
    cin_feed_preview_set_photo_func (self->feed_preview, cin_photo_paintable_for_library,
                                     g_object_ref (cin_application_get_media_library (app)),
                                     g_object_unref);
  cin_feed_preview_set_note (self->feed_preview, self->current);
  gtk_stack_add_named (self->composer_stack, GTK_WIDGET (self->feed_preview), "preview");
}

static void
set_previewing (CinWindow *self,
                gboolean   previewing)
{
  if (self->previewing == previewing)
    return;

  if (previewing)
    ensure_feed_preview (self);

  self->previewing = previewing;
  update_composer_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEWING]);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_drafts_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
flush_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CinWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cin_autosave_flush_finish (CIN_AUTOSAVE (object), result, &error))
    {
      if (self->closing)
        gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  self->closing = FALSE;
  update_save_error (self);
}

static void
save_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  CinWindow *self = CIN_WINDOW (widget);
  CinAutosave *autosave = _cin_window_get_autosave (self);

  if (autosave != NULL)
    cin_autosave_flush_async (autosave, self->cancellable, flush_done_cb, g_object_ref (self));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  cin_application_reload (get_app (CIN_WINDOW (widget)));
}

static void
on_note_title_changed_cb (CinWindow  *self,
                          GParamSpec *pspec,
                          CinNote    *note)
{
  update_composer_title (self);
}

static void
on_autosave_state_changed_cb (CinWindow *self)
{
  update_save_error (self);
}

static CinNoteSort
sort_from_string (const char *sort)
{
  if (g_strcmp0 (sort, "created") == 0)
    return CIN_NOTE_SORT_CREATED;
  if (g_strcmp0 (sort, "title") == 0)
    return CIN_NOTE_SORT_TITLE;
  return CIN_NOTE_SORT_UPDATED;
}

static void
set_draft_sort (CinWindow  *self,
                const char *sort)
{
  if (g_strcmp0 (self->draft_sort, sort) == 0)
    return;

  g_free (self->draft_sort);
  self->draft_sort = g_strdup (sort);
  cin_draft_box_set_sort (self->draft_box, sort_from_string (sort));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT_SORT]);
}

static void
on_search_changed_cb (CinWindow      *self,
                      GtkSearchEntry *entry)
{
  cin_draft_box_set_search_text (self->draft_box, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
on_search_stopped_cb (CinWindow      *self,
                      GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static gboolean
cin_window_close_request (GtkWindow *window)
{
  CinWindow *self = CIN_WINDOW (window);
  CinAutosave *autosave = _cin_window_get_autosave (self);
  GSettings *settings = cin_application_get_settings (get_app (self));
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_set_string (settings, "last-page", adw_view_stack_get_visible_child_name (self->places));

  /* Closing waits for the last edits to reach the disk; if they can't, the
   * window stays open with the reason rather than losing the text. */
  if (autosave != NULL && !self->closing &&
      (cin_autosave_get_pending (autosave) || cin_autosave_get_error (autosave) != NULL))
    {
      self->closing = TRUE;
      cin_autosave_flush_async (autosave, NULL, flush_done_cb, g_object_ref (self));
      return TRUE;
    }

  return GTK_WINDOW_CLASS (cin_window_parent_class)->close_request (window);
}

static void
update_places_switcher (CinWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->places);
  guint visible = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      if (adw_view_stack_page_get_visible (page))
        visible++;
    }

  /* Places appear as they are built; one place needs no switcher. */
  adw_view_switcher_bar_set_reveal (self->places_switcher, visible > 1);
}

/* Runs once the window belongs to the application: non-construct
 * properties such as "application" are set only after constructed(). */
static void
attach_to_application (CinWindow *self)
{
  CinApplication *app = get_app (self);
  GSettings *settings = cin_application_get_settings (app);
  g_autofree char *last_page = g_settings_get_string (settings, "last-page");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  if (adw_view_stack_get_child_by_name (self->places, last_page) != NULL)
    adw_view_stack_set_visible_child_name (self->places, last_page);
  update_places_switcher (self);

  g_settings_bind (settings, "draft-sort", self, "draft-sort", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (app, "notify::ready", G_CALLBACK (on_app_ready_cb), self, G_CONNECT_SWAPPED);
  on_app_ready_cb (self, NULL, app);
  _cin_window_account_attach (self);

  if (self->bench_startup)
    {
      GdkFrameClock *clock;

      gtk_widget_realize (GTK_WIDGET (self));
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (bench_after_paint_cb), self, 0);
    }

  update_actions (self);
}

void
_cin_window_forget_notes (CinWindow *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->current != NULL)
    cin_window_open_note (self, NULL);
  g_hash_table_remove_all (self->notes);
  g_hash_table_remove_all (self->trashed);
}

static void
cin_window_dispose (GObject *object)
{
  CinWindow *self = CIN_WINDOW (object);

  _cin_window_tags_dispose (self);
  _cin_window_account_dispose (self);
  g_clear_handle_id (&self->warm_fonts_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->current);
  if (self->current_signals != NULL)
    g_signal_group_set_target (self->current_signals, NULL);
  if (self->autosave_signals != NULL)
    g_signal_group_set_target (self->autosave_signals, NULL);
  g_clear_object (&self->current_signals);
  g_clear_object (&self->autosave_signals);
  g_clear_pointer (&self->trashed, g_hash_table_unref);
  g_clear_pointer (&self->notes, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->draft_sort, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_WINDOW);

  G_OBJECT_CLASS (cin_window_parent_class)->dispose (object);
}

static void
cin_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CinWindow *self = CIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BENCH_STARTUP:
      g_value_set_boolean (value, self->bench_startup);
      break;
    case PROP_DRAFT_SORT:
      g_value_set_string (value, self->draft_sort);
      break;
    case PROP_PREVIEWING:
      g_value_set_boolean (value, self->previewing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CinWindow *self = CIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BENCH_STARTUP:
      self->bench_startup = g_value_get_boolean (value);
      break;
    case PROP_DRAFT_SORT:
      set_draft_sort (self, g_value_get_string (value));
      break;
    case PROP_PREVIEWING:
      set_previewing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
warm_fonts_cb (gpointer user_data)
{
  CinWindow *self = user_data;

  self->warm_fonts_source = 0;
  cin_composer_warm_fonts (self->composer);
  return G_SOURCE_REMOVE;
}

/* Once every draft is listed on screen and the main loop has nothing else
 * to do, the fonts a note is typed in load, off the main thread, rather
 * than at the first character typed. Any earlier, the worker would take
 * a CPU from listing the drafts. */
static void
on_frame_painted_cb (GdkFrameClock *clock,
                     CinWindow     *self)
{
  if (!cin_draft_box_get_complete (self->draft_box))
    return;

  g_signal_handlers_disconnect_by_func (clock, on_frame_painted_cb, self);
  self->warm_fonts_source = g_idle_add_full (G_PRIORITY_LOW, warm_fonts_cb, self, NULL);
}

static void
cin_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cin_window_parent_class)->realize (widget);

  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (on_frame_painted_cb), widget, 0);
}

static void
cin_window_class_init (CinWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cin_window_dispose;
  object_class->get_property = cin_window_get_property;
  object_class->set_property = cin_window_set_property;

  /* Prints when the draft box is first painted, then quits (benchmarks). */
  properties[PROP_BENCH_STARTUP] =
    g_param_spec_boolean ("bench-startup", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAFT_SORT] =
    g_param_spec_string ("draft-sort", NULL, NULL, "updated",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether the preview shows instead of the composer (win.preview). */
  properties[PROP_PREVIEWING] =
    g_param_spec_boolean ("previewing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->realize = cin_window_realize;
  window_class->close_request = cin_window_close_request;

  g_type_ensure (CIN_TYPE_COMPOSER);
  g_type_ensure (CIN_TYPE_DRAFT_BOX);
  g_type_ensure (CIN_TYPE_SIGN_IN_PAGE);
  g_type_ensure (CIN_TYPE_SYNC_STATUS_BUTTON);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/cin-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CinWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, places);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, places_switcher);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, draft_box);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, composer_title);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, draft_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, save_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, composer_stack);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, composer);
  gtk_widget_class_bind_template_callback (widget_class, on_draft_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_drafts_loaded_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stopped_cb);

  gtk_widget_class_install_action (widget_class, "win.new-draft", NULL, new_draft_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-draft", NULL, duplicate_draft_action);
  gtk_widget_class_install_action (widget_class, "win.delete-draft", NULL, delete_draft_action);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", undo_delete_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_property_action (widget_class, "win.preview", "previewing");
  gtk_widget_class_install_action (widget_class, "win.show-drafts", NULL, show_drafts_action);
  gtk_widget_class_install_property_action (widget_class, "win.sort", "draft-sort");
  gtk_widget_class_install_action (widget_class, "win.save-now", NULL, save_now_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);

  _cin_window_account_class_init (widget_class);
}

static void
cin_window_init (CinWindow *self)
{
  /* The sort menu reads the action state while the template is built. */
  self->draft_sort = g_strdup ("updated");
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (on_main_page_changed_cb), self, G_CONNECT_SWAPPED);
  on_main_page_changed_cb (self);

  self->cancellable = g_cancellable_new ();
  self->trashed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  self->current_signals = g_signal_group_new (CIN_TYPE_NOTE);
  g_signal_group_connect_object (self->current_signals, "notify::title",
                                 G_CALLBACK (on_note_title_changed_cb), self, G_CONNECT_SWAPPED);

  self->autosave_signals = g_signal_group_new (CIN_TYPE_AUTOSAVE);
  g_signal_connect_object (self->composer, "photo-refused", G_CALLBACK (on_photo_refused_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cin_composer_get_photo_strip (self->composer), "photo-removed",
                           G_CALLBACK (on_photo_removed_cb), self, G_CONNECT_SWAPPED);

  g_signal_group_connect_object (self->autosave_signals, "notify::pending",
                                 G_CALLBACK (on_autosave_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->autosave_signals, "notify::error",
                                 G_CALLBACK (on_autosave_state_changed_cb), self, G_CONNECT_SWAPPED);

  g_object_bind_property (self->search_button, "active",
                          self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_set_key_capture_widget (self->search_bar, self->sidebar);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  _cin_window_account_init (self);
  _cin_window_tags_init (self);
}

CinWindow *
cin_window_new (CinApplication *application,
                gboolean        bench_startup)
{
  CinWindow *self;

  g_return_val_if_fail (CIN_IS_APPLICATION (application), NULL);

  self = g_object_new (CIN_TYPE_WINDOW,
                       "application", application,
                       "bench-startup", bench_startup,
                       NULL);
  attach_to_application (self);
  return self;
}

CinComposer *
cin_window_get_composer (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);
  return self->composer;
}

CinDraftBox *
cin_window_get_draft_box (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);
  return self->draft_box;
}

const char *
_cin_window_get_save_error (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->save_error_revealer))
    return NULL;
  return gtk_label_get_text (self->save_error_label);
}

const char *
_cin_window_get_save_status (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);
  return adw_window_title_get_subtitle (self->composer_title);
}

CinFeedPreview *
cin_window_get_feed_preview (CinWindow *self)
{
  g_return_val_if_fail (CIN_IS_WINDOW (self), NULL);
  return self->feed_preview;
}
