/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store"

#include <glib/gi18n-lib.h>

#include "cin-store-private.h"
#include "cin-text.h"

/* The store is a thin front: every public call makes a GTask on the
 * caller's thread-default context and hands a job to the writer thread
 * (cin-store-writer.c), so the main thread never waits on SQLite. The jobs
 * on notes are in cin-store-notes.c, migrations in cin-store-schema.c.
 *
 * The store writes a note's own updated_at and never invents one: the
 * caller (CinAutosave, the sync engine applying a server change) knows when
 * the edit happened. */

struct _CinStore
{
  GObject          parent_instance;

  char            *path;    /* (owned) */
  CinStoreWriter  *writer;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (CinStore, cin_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (cin-store-error-quark, cin_store_error)

/* Errors about notes */

static const char *
field_label (CinNoteField field)
{
  switch (field)
    {
    case CIN_NOTE_FIELD_ID: return C_("note field", "identifier");
    case CIN_NOTE_FIELD_TITLE: return C_("note field", "title");
    case CIN_NOTE_FIELD_BODY: return C_("note field", "body");
    case CIN_NOTE_FIELD_TOPICS: return C_("note field", "topics");
    case CIN_NOTE_FIELD_MENTIONS: return C_("note field", "mentions");
    case CIN_NOTE_FIELD_LOCATION: return C_("note field", "location");
    case CIN_NOTE_FIELD_REV: return C_("note field", "revision");
    case CIN_NOTE_FIELD_PHOTOS: return C_("note field", "photo descriptions");
    default: break;
    }

  g_return_val_if_reached ("");
}

void
_cin_store_set_invalid_text_error (GError       **error,
                                   CinNoteField   field,
                                   const GError  *text_error)
{
  const char *label = field_label (field);

  if (g_error_matches (text_error, CIN_TEXT_ERROR, CIN_TEXT_ERROR_CONTAINS_NUL))
    g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT,
                 _("The draft can't be saved: text in its %s contains a NUL character. "
                   "Delete it or paste the text again; the last saved version is kept."),
                 label);
  else
    g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT,
                 _("The draft can't be saved: text in its %s isn't valid UTF-8. Paste "
                   "that text again from its source; the last saved version is kept."),
                 label);
}

void
_cin_store_set_not_found_error (GError **error)
{
  g_set_error_literal (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND,
                       _("This draft no longer exists; it may have been deleted for "
                         "good. Refresh the draft box."));
}

/* Jobs that are not about notes, on the writer thread */

static void
open_job (CinStoreWriter *writer,
          GTask          *task)
{
  CinStore *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (_cin_store_writer_open (writer, self->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
max_page_count_job (CinStoreWriter *writer,
                    GTask          *task)
{
  gint64 max_pages = *(gint64 *)g_task_get_task_data (task);
  g_autofree char *sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, max_pages);
  g_autofree char *result = NULL;
  sqlite3 *db = _cin_store_writer_get_db (writer);
  GError *error = NULL;

  if (!_cin_store_query_text (db, sql, &result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_int (task, g_ascii_strtoll (result, NULL, 10));
}

/* GObject */

static void
cin_store_finalize (GObject *object)
{
  CinStore *self = (CinStore *)object;

  /* Every queued job holds a reference to the store, so the queue is
   * empty by now and this only closes the connection. */
  g_clear_pointer (&self->writer, _cin_store_writer_shutdown);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cin_store_parent_class)->finalize (object);
}

static void
cin_store_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CinStore *self = CIN_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_store_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CinStore *self = CIN_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_store_class_init (CinStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cin_store_finalize;
  object_class->get_property = cin_store_get_property;
  object_class->set_property = cin_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_store_init (CinStore *self)
{
  self->writer = _cin_store_writer_new ();
}

/* Public API */

void
_cin_store_push (CinStore        *self,
                 GTask           *task,
                 CinStoreJobFunc  func)
{
  _cin_store_writer_push (self->writer, task, func);
}

GTask *
_cin_store_task_new (CinStore            *self,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

void
cin_store_open_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(CinStore) self = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  self = g_object_new (CIN_TYPE_STORE, "path", path, NULL);
  task = _cin_store_task_new (self, cin_store_open_async, cancellable, callback, user_data);
  _cin_store_writer_push (self->writer, task, open_job);
}

CinStore *
cin_store_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  GTask *task = G_TASK (result);

  /* The store being opened is the task's source object, so there is no
   * object to hand g_task_is_valid() beforehand. */
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_is_valid (result, g_task_get_source_object (task)), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == cin_store_open_async, NULL);

  if (!g_task_propagate_boolean (task, error))
    return NULL;

  return g_object_ref (g_task_get_source_object (task));
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

/* The usual GLib way to wait for an async call: run it on a private main
 * context, so nothing else dispatches while this thread waits. */
static GAsyncResult *
wait_for_result (GMainContext  *context,
                 GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);

  return *result;
}

CinStore *
cin_store_open_sync (const char  *path,
                     GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  g_main_context_push_thread_default (context);
  cin_store_open_async (path, NULL, store_result_cb, &result);
  wait_for_result (context, &result);
  g_main_context_pop_thread_default (context);

  return cin_store_open_finish (result, error);
}

const char *
cin_store_get_path (CinStore *self)
{
  g_return_val_if_fail (CIN_IS_STORE (self), NULL);

  return self->path;
}

void
cin_store_save_note_async (CinStore            *self,
                           CinNote             *note,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _cin_store_task_new (self, cin_store_save_note_async, cancellable, callback, user_data);
  g_task_set_task_data (task, cin_note_copy (note), g_object_unref);
  _cin_store_writer_push (self->writer, task, _cin_store_save_job);
}

gboolean
_cin_store_propagate_boolean (CinStore      *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (CIN_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
_cin_store_propagate_pointer (CinStore      *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (CIN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
cin_store_save_note_finish (CinStore      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_save_note_async, error);
}

static void
push_with_id (CinStore            *self,
              const char          *id,
              gpointer             source_tag,
              CinStoreJobFunc      func,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = _cin_store_task_new (self, source_tag, cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdup (id), g_free);
  _cin_store_writer_push (self->writer, task, func);
}

void
cin_store_load_note_async (CinStore            *self,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  push_with_id (self, id, cin_store_load_note_async, _cin_store_load_job,
                cancellable, callback, user_data);
}

CinNote *
cin_store_load_note_finish (CinStore      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_load_note_async, error);
}

void
cin_store_list_summaries_async (CinStore            *self,
                                CinNoteSort          sort,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CinListQuery *query;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (sort <= CIN_NOTE_SORT_TITLE);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _cin_store_task_new (self, cin_store_list_summaries_async, cancellable, callback, user_data);
  query = g_new0 (CinListQuery, 1);
  query->sort = sort;
  query->limit = limit;
  g_task_set_task_data (task, query, g_free);
  _cin_store_writer_push (self->writer, task, _cin_store_list_job);
}

GPtrArray *
cin_store_list_summaries_finish (CinStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_list_summaries_async, error);
}

void
cin_store_search_notes_async (CinStore            *self,
                              const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _cin_store_task_new (self, cin_store_search_notes_async, cancellable, callback, user_data);
  g_task_set_task_data (task, g_ascii_strdown (text, -1), g_free);
  _cin_store_writer_push (self->writer, task, _cin_store_search_job);
}

GHashTable *
cin_store_search_notes_finish (CinStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_search_notes_async, error);
}

static void
list_tags (CinStore            *self,
           const char          *column,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = _cin_store_task_new (self, source_tag, cancellable, callback, user_data);
  g_task_set_task_data (task, (gpointer)column, NULL);
  _cin_store_writer_push (self->writer, task, _cin_store_tags_job);
}

void
cin_store_list_topics_async (CinStore            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  list_tags (self, "topics", cin_store_list_topics_async, cancellable, callback, user_data);
}

GStrv
cin_store_list_topics_finish (CinStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_list_topics_async, error);
}

void
cin_store_list_mentions_async (CinStore            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  list_tags (self, "mentions", cin_store_list_mentions_async, cancellable, callback, user_data);
}

GStrv
cin_store_list_mentions_finish (CinStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_list_mentions_async, error);
}

void
cin_store_trash_note_async (CinStore            *self,
                            const char          *id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  push_with_id (self, id, cin_store_trash_note_async, _cin_store_trash_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_trash_note_finish (CinStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_trash_note_async, error);
}

void
cin_store_restore_note_async (CinStore            *self,
                              const char          *id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  push_with_id (self, id, cin_store_restore_note_async, _cin_store_restore_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_restore_note_finish (CinStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_restore_note_async, error);
}

void
cin_store_purge_trash_async (CinStore            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = _cin_store_task_new (self, cin_store_purge_trash_async, cancellable, callback, user_data);
  _cin_store_writer_push (self->writer, task, _cin_store_purge_job);
}

gboolean
cin_store_purge_trash_finish (CinStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_purge_trash_async, error);
}

void
cin_store_close_async (CinStore            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* Closing is not cancellable: the writer finishes what was queued. */
  task = _cin_store_task_new (self, cin_store_close_async, NULL, callback, user_data);
  _cin_store_writer_push_close (self->writer, task);
}

gboolean
cin_store_close_finish (CinStore      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_close_async, error);
}

gint64
_cin_store_set_max_page_count (CinStore  *self,
                               gint64     max_pages,
                               GError   **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (CIN_IS_STORE (self), -1);
  g_return_val_if_fail (max_pages > 0, -1);

  g_main_context_push_thread_default (context);
  task = _cin_store_task_new (self, _cin_store_set_max_page_count, NULL, store_result_cb, &result);
  g_task_set_task_data (task, g_memdup2 (&max_pages, sizeof max_pages), g_free);
  _cin_store_writer_push (self->writer, task, max_page_count_job);
  g_clear_object (&task);
  wait_for_result (context, &result);
  g_main_context_pop_thread_default (context);

  return g_task_propagate_int (G_TASK (result), error);
}
