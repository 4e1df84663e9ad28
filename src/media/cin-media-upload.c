/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-upload"

#include "cin-gps-strip.h"
#include "cin-image-format.h"
#include "cin-media-upload.h"

typedef struct {
  char *path;
  char *sha256;
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  g_free (prepared->path);
  g_free (prepared->sha256);
  g_free (prepared);
}

static void
return_prepared (GTask      *task,
                 char       *path,
                 char       *sha256)
{
  Prepared *prepared = g_new0 (Prepared, 1);

  prepared->path = path;
  prepared->sha256 = sha256;
  g_task_return_pointer (task, prepared, (GDestroyNotify)prepared_free);
}

static void
on_stripped_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CinGpsStripped) stripped = NULL;
  GError *error = NULL;

  stripped = cin_gps_strip_file_finish (result, &error);
  if (stripped == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  return_prepared (task, g_steal_pointer (&stripped->path), g_steal_pointer (&stripped->sha256));
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GFile *destination = g_task_get_task_data (task);
  g_autofree char *sha256 = NULL;
  GError *error = NULL;

  if (!cin_media_library_export_jpeg_finish (CIN_MEDIA_LIBRARY (source), result, &sha256, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  return_prepared (task, g_file_get_path (destination), g_steal_pointer (&sha256));
}

void
cin_media_library_prepare_upload_async (CinMediaLibrary     *self,
                                        const char          *sha256,
                                        const char          *mime,
                                        gboolean             keep_location,
                                        const char          *cache_dir,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stored = NULL;

  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (mime != NULL);
  g_return_if_fail (cache_dir != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_media_library_prepare_upload_async);

  if (cin_image_format_from_mime (mime) == CIN_IMAGE_FORMAT_HEIF)
    {
      /* Named by the stored file: the export of one photo is always the
       * same JPEG. The export makes the folder, on its own thread. */
      g_autofree char *basename = g_strconcat (sha256, ".upload.jpg", NULL);
      g_autofree char *path = g_build_filename (cache_dir, basename, NULL);
      GFile *destination = g_file_new_for_path (path);

      g_task_set_task_data (task, destination, g_object_unref);
      cin_media_library_export_jpeg_async (self, sha256, mime, destination, cancellable,
                                           on_exported_cb, g_steal_pointer (&task));
      return;
    }

  stored = cin_media_library_get_photo_path (self, sha256, mime);
  if (keep_location)
    {
      return_prepared (task, g_steal_pointer (&stored), g_strdup (sha256));
      return;
    }
  cin_gps_strip_file_async (stored, cache_dir, cancellable, on_stripped_cb, g_steal_pointer (&task));
}

char *
cin_media_library_prepare_upload_finish (CinMediaLibrary  *self,
                                         GAsyncResult     *result,
                                         char            **sha256,
                                         GError          **error)
{
  Prepared *prepared;
  char *path;

  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_media_library_prepare_upload_async, NULL);

  prepared = g_task_propagate_pointer (G_TASK (result), error);
  if (prepared == NULL)
    return NULL;
  path = g_steal_pointer (&prepared->path);
  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&prepared->sha256);
  prepared_free (prepared);
  return path;
}
