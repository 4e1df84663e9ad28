/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-sync-photos"

#include "cin-image-format.h"
#include "cin-photo-download.h"
#include "cin-sync-photos.h"

/* One file to fetch, and the notes that wait for it. */
typedef struct {
  char      *sha256;
  char      *path;
  GPtrArray *note_ids;
} Missing;

static void
missing_free (Missing *missing)
{
  g_free (missing->sha256);
  g_free (missing->path);
  g_ptr_array_unref (missing->note_ids);
  g_free (missing);
}

typedef struct {
  /* Owned */
  CinApiClient        *client;
  char                *media_dir;
  GHashTable          *unavailable;
  GPtrArray           *missing;    /* Missing */
  CinApiFailure       *failure;    /* (nullable) */

  CinSyncPhotoFetched  fetched;
  CinSyncPhotoYield    yield;
  gpointer             data;
  guint                next;
  gboolean             yielded;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->client);
  g_clear_pointer (&fetch->media_dir, g_free);
  g_clear_pointer (&fetch->unavailable, g_hash_table_unref);
  g_clear_pointer (&fetch->missing, g_ptr_array_unref);
  g_clear_pointer (&fetch->failure, cin_api_failure_free);
  g_free (fetch);
}

static void fetch_next (GTask *task);

static void
on_downloaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  Missing *missing = g_ptr_array_index (fetch->missing, fetch->next);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  if (cin_photo_download_finish (result, &failure, &error))
    {
      if (fetch->fetched != NULL)
        fetch->fetched (missing->sha256, missing->note_ids, fetch->data);
    }
  else if (g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND))
    {
      g_debug ("The server has no file %s", missing->sha256);
      g_hash_table_add (fetch->unavailable, g_strdup (missing->sha256));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           error->domain != CIN_API_ERROR ||
           cin_api_error_is_transient (error) ||
           /* a damaged or cut answer: the next try may be whole */
           g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE) ||
           g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED))
    {
      fetch->failure = g_steal_pointer (&failure);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    {
      g_warning ("Could not fetch photo %s: %s", missing->sha256, error->message);
      g_hash_table_add (fetch->unavailable, g_strdup (missing->sha256));
    }

  fetch->next++;
  fetch_next (g_steal_pointer (&task));
}

static void
fetch_next (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  Missing *missing;

  if (fetch->next < fetch->missing->len && fetch->yield != NULL && fetch->yield (fetch->data))
    fetch->yielded = TRUE;
  if (fetch->yielded || fetch->next >= fetch->missing->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  missing = g_ptr_array_index (fetch->missing, fetch->next);
  cin_photo_download_async (fetch->client, missing->sha256, missing->path, CIN_SYNC_PHOTO_MAX_BYTES,
                            g_task_get_cancellable (task), on_downloaded_cb, task);
}

/* Leaves in @fetch->missing only the files that are not there: stat on
 * a worker thread, never on the main one. */
static void
find_missing_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Fetch *fetch = task_data;

  for (guint i = fetch->missing->len; i > 0; i--)
    {
      Missing *missing = g_ptr_array_index (fetch->missing, i - 1);

      if (g_file_test (missing->path, G_FILE_TEST_EXISTS))
        g_ptr_array_remove_index (fetch->missing, i - 1);
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_missing_found_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (fetch->missing->len > 0)
    g_debug ("%u photos to fetch", fetch->missing->len);
  fetch_next (task);
}

static void
on_files_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GTask) find = NULL;
  g_autoptr(GError) error = NULL;
  Missing *missing = NULL;

  files = cin_store_list_note_files_finish (CIN_STORE (source), result, &error);
  if (files == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* The rows come sorted by file: one Missing per file. */
  for (guint i = 0; i < files->len; i++)
    {
      CinNoteFile *file = g_ptr_array_index (files, i);

      if (g_hash_table_contains (fetch->unavailable, file->sha256))
        continue;
      if (missing == NULL || !g_str_equal (missing->sha256, file->sha256))
        {
          missing = g_new0 (Missing, 1);
          missing->sha256 = g_strdup (file->sha256);
          missing->path = cin_image_format_get_photo_path (fetch->media_dir, file->sha256, file->mime);
          missing->note_ids = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (fetch->missing, missing);
        }
      g_ptr_array_add (missing->note_ids, g_strdup (file->note_id));
    }

  find = g_task_new (NULL, g_task_get_cancellable (task), on_missing_found_cb, task);
  g_task_set_source_tag (find, find_missing_in_thread);
  g_task_set_task_data (find, fetch, NULL);
  g_task_run_in_thread (find, find_missing_in_thread);
}

void
_cin_sync_fetch_photos_async (CinStore            *store,
                              CinApiClient        *client,
                              const char * const  *note_ids,
                              const char          *media_dir,
                              GHashTable          *unavailable,
                              CinSyncPhotoFetched  fetched,
                              CinSyncPhotoYield    yield,
                              gpointer             data,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Fetch *fetch;

  g_return_if_fail (CIN_IS_STORE (store));
  g_return_if_fail (CIN_IS_API_CLIENT (client));
  g_return_if_fail (media_dir != NULL);
  g_return_if_fail (unavailable != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _cin_sync_fetch_photos_async);
  fetch = g_new0 (Fetch, 1);
  fetch->client = g_object_ref (client);
  fetch->media_dir = g_strdup (media_dir);
  fetch->unavailable = g_hash_table_ref (unavailable);
  fetch->missing = g_ptr_array_new_with_free_func ((GDestroyNotify)missing_free);
  fetch->fetched = fetched;
  fetch->yield = yield;
  fetch->data = data;
  g_task_set_task_data (task, fetch, (GDestroyNotify)fetch_free);

  cin_store_list_note_files_async (store, note_ids, cancellable, on_files_listed_cb, task);
}

gboolean
_cin_sync_fetch_photos_finish (GAsyncResult   *result,
                               gboolean       *complete,
                               CinApiFailure **failure,
                               GError        **error)
{
  GTask *task = G_TASK (result);
  Fetch *fetch;

  g_return_val_if_fail (g_task_get_source_tag (task) == _cin_sync_fetch_photos_async, FALSE);

  fetch = g_task_get_task_data (task);
  if (complete != NULL)
    *complete = !fetch->yielded;
  if (failure != NULL && fetch->failure != NULL)
    *failure = g_steal_pointer (&fetch->failure);
  return g_task_propagate_boolean (task, error);
}
