/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-profile-copy"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cin-profile.h"
#include "cin-profile-copy.h"

/* Media files are named by their content, so a file of the same name in
 * the destination already is the same photo and is kept. A new file is
 * linked or copied under a temporary name and renamed into place, so a
 * half-copied photo never carries a content name. */

static gboolean
is_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_file_of (const char *name,
            const char *sha256)
{
  gsize n = strlen (sha256);

  return g_ascii_strncasecmp (name, sha256, n) == 0 &&
         (name[n] == '\0' || (name[n] == '.' && strchr (name + n + 1, '.') == NULL));
}

static gboolean
copy_one_file (const char    *source,
               const char    *dest_dir,
               const char    *name,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *dest = g_build_filename (dest_dir, name, NULL);
  g_autofree char *temp = NULL;
  g_autoptr(GFile) source_file = NULL;
  g_autoptr(GFile) temp_file = NULL;
  g_autoptr(GError) local_error = NULL;
  int saved_errno;

  if (g_file_test (dest, G_FILE_TEST_IS_REGULAR))
    return TRUE;

  temp = g_strdup_printf ("%s/.copy-%s-%08x", dest_dir, name, g_random_int ());
  if (link (source, temp) != 0)
    {
      /* Another file system, or one without hard links. */
      source_file = g_file_new_for_path (source);
      temp_file = g_file_new_for_path (temp);
      if (!g_file_copy (source_file, temp_file, G_FILE_COPY_NONE, cancellable, NULL, NULL, &local_error))
        {
          g_file_delete (temp_file, NULL, NULL);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
                       _("A photo could not be copied to the other profile (%s). Check that there is free space, then try again."),
                       local_error->message);
          return FALSE;
        }
    }

  if (g_rename (temp, dest) == 0)
    return TRUE;

  saved_errno = errno;
  g_unlink (temp);
  g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
               _("A photo could not be copied to the other profile (%s). Check that there is free space, then try again."),
               g_strerror (saved_errno));
  return FALSE;
}

gboolean
cin_profile_copy_media_sync (const char          *source_media_dir,
                             const char          *dest_media_dir,
                             const char * const  *sha256s,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (source_media_dir != NULL, FALSE);
  g_return_val_if_fail (dest_media_dir != NULL, FALSE);
  g_return_val_if_fail (sha256s != NULL, FALSE);

  if (sha256s[0] == NULL)
    return TRUE;

  dir = g_dir_open (source_media_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));

  if (g_mkdir_with_parents (dest_media_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
                   _("The media folder “%s” could not be made (%s). Check that there is free space and the folder can be written."),
                   dest_media_dir, g_strerror (saved_errno));
      return FALSE;
    }

  for (guint i = 0; sha256s[i] != NULL; i++)
    {
      gboolean found = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* The hash names files: anything else could point outside the dir. */
      if (is_sha256 (sha256s[i]))
        for (guint j = 0; j < names->len; j++)
          {
            const char *file = g_ptr_array_index (names, j);
            g_autofree char *source = NULL;

            if (!is_file_of (file, sha256s[i]))
              continue;
            source = g_build_filename (source_media_dir, file, NULL);
            if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
              continue;
            if (!copy_one_file (source, dest_media_dir, file, cancellable, error))
              return FALSE;
            found = TRUE;
          }

      if (!found)
        {
          g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_MISSING_MEDIA,
                       _("A photo of this draft is missing from “%s”, so the draft was not copied. Add the photo again, then copy the draft."),
                       source_media_dir);
          return FALSE;
        }
    }

  return TRUE;
}

typedef struct {
  CinStore *source_store;
  CinStore *dest_store;
  char     *source_media_dir;
  char     *dest_media_dir;
  char     *note_id;
  CinNote  *copy;
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  g_clear_object (&job->source_store);
  g_clear_object (&job->dest_store);
  g_free (job->source_media_dir);
  g_free (job->dest_media_dir);
  g_free (job->note_id);
  g_clear_object (&job->copy);
  g_free (job);
}

static void
copy_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!cin_store_save_note_finish (CIN_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&job->copy), g_object_unref);
}

static void
copy_media_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CopyJob *job = task_data;
  GPtrArray *photos = cin_note_get_photos (job->copy);
  g_autoptr(GPtrArray) sha256s = g_ptr_array_new ();
  GError *error = NULL;

  for (guint i = 0; i < photos->len; i++)
    g_ptr_array_add (sha256s, (gpointer)cin_photo_get_sha256 (g_ptr_array_index (photos, i)));
  g_ptr_array_add (sha256s, NULL);

  if (cin_profile_copy_media_sync (job->source_media_dir, job->dest_media_dir,
                                   (const char * const *)sha256s->pdata, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
media_copied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CopyJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The note's rows are written only now, when every file is there. */
  cin_store_save_note_async (job->dest_store, job->copy, g_task_get_cancellable (task),
                             copy_saved_cb, g_object_ref (task));
}

static void
note_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) media_task = NULL;
  CopyJob *job = g_task_get_task_data (task);
  g_autoptr(CinNote) note = NULL;
  GError *error = NULL;
  gint64 now;

  note = cin_store_load_note_finish (CIN_STORE (object), result, &error);
  if (note == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A draft of its own in the other profile: new id, new photo rows, never
   * synced there (CinNote starts as a draft in CIN_SYNC_STATE_CREATED, no
   * revision), dated now. */
  job->copy = cin_note_duplicate (note);
  now = g_get_real_time ();
  cin_note_set_created_at (job->copy, now);
  cin_note_set_updated_at (job->copy, now);
  g_assert (cin_note_get_rev (job->copy) == NULL);
  g_assert (cin_note_get_sync_state (job->copy) == CIN_SYNC_STATE_CREATED);

  media_task = g_task_new (NULL, g_task_get_cancellable (task), media_copied_cb, g_object_ref (task));
  g_task_set_source_tag (media_task, copy_media_thread);
  g_task_set_task_data (media_task, job, NULL);
  g_task_run_in_thread (media_task, copy_media_thread);
}

void
cin_profile_copy_note_async (CinStore            *source_store,
                             const char          *source_media_dir,
                             const char          *note_id,
                             CinStore            *dest_store,
                             const char          *dest_media_dir,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CopyJob *job;

  g_return_if_fail (CIN_IS_STORE (source_store));
  g_return_if_fail (source_media_dir != NULL);
  g_return_if_fail (note_id != NULL);
  g_return_if_fail (CIN_IS_STORE (dest_store));
  g_return_if_fail (dest_media_dir != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (CopyJob, 1);
  job->source_store = g_object_ref (source_store);
  job->dest_store = g_object_ref (dest_store);
  job->source_media_dir = g_strdup (source_media_dir);
  job->dest_media_dir = g_strdup (dest_media_dir);
  job->note_id = g_strdup (note_id);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_profile_copy_note_async);
  g_task_set_task_data (task, job, (GDestroyNotify)copy_job_free);

  cin_store_load_note_async (source_store, note_id, cancellable, note_loaded_cb, g_object_ref (task));
}

CinNote *
cin_profile_copy_note_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_profile_copy_note_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
