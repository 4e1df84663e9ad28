/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-import"

#include <errno.h>

#include <glib/gstdio.h>

#include "cin-heif.h"
#include "cin-image-decode.h"
#include "cin-image-reader.h"
#include "cin-media-error-private.h"
#include "cin-media-library-private.h"
#include "cin-sha256.h"
#include "cin-temp-file.h"

/* Importing copies a file into the media dir in one pass: each chunk read
 * is checked by the image reader (which decodes it at thumbnail size as it
 * goes), hashed and written to a temporary file; only a photo that decoded
 * completely is synced and renamed to <sha256>.<ext>, on the disk pool. */

/* The size an import decodes at when no thumbnail is wanted: small enough
 * to be quick, while every byte of the image data is still decoded. */
#define CHECK_SIZE 256

#define TEMP_PREFIX ".import-"
/* A temporary file this old was left by a crash, not by an import still
 * running. */
#define STALE_TEMP_SECONDS (24 * 60 * 60)

typedef struct {
  CinMediaJob       job;
  CinMediaLibrary  *library;
  GTask            *task;
  GFile            *file;
  guint64           max_bytes;
  guint64           max_pixels;
  guint             thumbnail_size;

  /* The copy, until it is committed under its content's name */
  CinTempFile       temp;

  /* Results */
  CinImportedPhoto *photo;
  GdkTexture       *thumbnail;
  GError           *error;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_assert (job->temp.path == NULL);
  g_clear_object (&job->library);
  g_clear_object (&job->task);
  g_clear_object (&job->file);
  g_clear_pointer (&job->photo, cin_imported_photo_unref);
  g_clear_object (&job->thumbnail);
  g_clear_error (&job->error);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportJob, import_job_free)

static void
sweep_stale_temp_files (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *entry;

  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (entry, TEMP_PREFIX))
        continue;
      path = g_build_filename (dir, entry, NULL);
      if (g_stat (path, &st) == 0 && now - st.st_mtime > STALE_TEMP_SECONDS)
        g_unlink (path);
    }
}

static gboolean
read_chunk (GInputStream  *input,
            guint8        *buffer,
            gsize         *n,
            const char    *name,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_input_stream_read_all (input, buffer, CIN_MEDIA_CHUNK_SIZE, n, cancellable, &local_error))
    return TRUE;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    _cin_media_error_unreadable (error, name, local_error);
  return FALSE;
}

static GFileInputStream *
open_source (GFile         *file,
             const char    *name,
             guint64        max_bytes,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInputStream) input = g_file_read (file, cancellable, &local_error);
  g_autoptr(GFileInfo) info = NULL;

  if (input == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        _cin_media_error_not_found (error, name);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        _cin_media_error_unreadable (error, name, local_error);
      return NULL;
    }

  /* Refuse by the size the file says before copying any of it; the copy
   * counts again, for files that grow or backends that do not say. */
  info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    {
      guint64 size = (guint64)g_file_info_get_size (info);

      if (size == 0)
        {
          _cin_media_error_empty (error, name);
          return NULL;
        }
      if (max_bytes > 0 && size > max_bytes)
        {
          _cin_media_error_too_large (error, name, size, max_bytes);
          return NULL;
        }
    }

  return g_steal_pointer (&input);
}

static CinImportedPhoto *
import_file (ImportJob  *job,
             GdkPixbuf **thumbnail,
             GError    **error)
{
  const char *media_dir = job->library->media_dir;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  guint decode_size = job->thumbnail_size > 0 ? job->thumbnail_size : CHECK_SIZE;
  g_autofree char *name = _cin_media_display_name (job->file);
  g_autofree guint8 *buffer = g_malloc (CIN_MEDIA_CHUNK_SIZE);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(CinImageReader) reader = NULL;
  g_autoptr(CinSha256) sha256 = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;
  CinTempFile *temp = &job->temp;
  CinImageFormat format;
  guint64 total = 0;
  guint width = 0, height = 0, orientation = 1;
  gsize n;

  input = open_source (job->file, name, job->max_bytes, cancellable, error);
  if (input == NULL || !read_chunk (G_INPUT_STREAM (input), buffer, &n, name, cancellable, error))
    return NULL;
  if (n == 0)
    {
      _cin_media_error_empty (error, name);
      return NULL;
    }

  format = cin_image_format_sniff (buffer, n);
  if (format == CIN_IMAGE_FORMAT_UNKNOWN)
    {
      _cin_media_error_unsupported (error, name);
      return NULL;
    }
  if (format == CIN_IMAGE_FORMAT_HEIF && !cin_heif_is_available ())
    {
      _cin_media_error_no_decoder (error, name, format);
      return NULL;
    }
  if (format != CIN_IMAGE_FORMAT_HEIF)
    reader = cin_image_reader_new (format, name, decode_size, job->max_pixels);

  if (!cin_temp_file_open (temp, media_dir, TEMP_PREFIX))
    {
      _cin_media_error_store_failed (error, name, errno);
      return NULL;
    }

  sha256 = cin_sha256_new ();
  while (n > 0)
    {
      total += n;
      if (job->max_bytes > 0 && total > job->max_bytes)
        {
          _cin_media_error_too_large (error, name, total, job->max_bytes);
          return NULL;
        }
      /* The reader first: a header claiming too many pixels stops here. */
      if (reader != NULL && !cin_image_reader_feed (reader, buffer, n, error))
        return NULL;
      cin_sha256_update (sha256, buffer, n);
      if (!cin_temp_file_write (temp, buffer, n))
        {
          _cin_media_error_store_failed (error, name, errno);
          return NULL;
        }
      if (!read_chunk (G_INPUT_STREAM (input), buffer, &n, name, cancellable, error))
        return NULL;
    }
  g_clear_pointer (&buffer, g_free);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (reader != NULL)
    {
      pixbuf = cin_image_reader_finish (reader, error);
      width = cin_image_reader_get_width (reader);
      height = cin_image_reader_get_height (reader);
      orientation = cin_image_reader_get_orientation (reader);
    }
  else
    pixbuf = cin_heif_decode (temp->path, name, decode_size, job->max_pixels, &width, &height, error);
  if (pixbuf == NULL)
    return NULL;

  hex = cin_sha256_finish (sha256);
  basename = g_strconcat (hex, ".", cin_image_format_get_extension (format), NULL);
  path = g_build_filename (media_dir, basename, NULL);

  if (job->thumbnail_size > 0)
    *thumbnail = g_steal_pointer (&pixbuf);

  return cin_imported_photo_new (hex, path, cin_image_format_get_mime (format), name,
                                 width, height, orientation, total);
}

static gboolean
import_done_cb (gpointer data)
{
  g_autoptr(ImportJob) job = data;

  if (job->error != NULL)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
      return G_SOURCE_REMOVE;
    }

  if (job->thumbnail != NULL)
    {
      g_autofree char *key = _cin_media_thumbnail_key (job->thumbnail_size,
                                                       cin_imported_photo_get_sha256 (job->photo));

      _cin_media_library_remember_thumbnail (job->library, key, job->thumbnail);
    }

  g_task_return_pointer (job->task, g_steal_pointer (&job->photo),
                         (GDestroyNotify)cin_imported_photo_unref);
  return G_SOURCE_REMOVE;
}

/* On the disk pool: the copy is synced and renamed to its content's name
 * (replacing a twin from an earlier import atomically) while the decoding
 * pool goes on with the next photo. */
static void
run_commit (CinMediaJob *base)
{
  ImportJob *job = (ImportJob *)base;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (job->task), &job->error) &&
      !cin_temp_file_commit (&job->temp, cin_imported_photo_get_path (job->photo)))
    _cin_media_error_store_failed (&job->error, cin_imported_photo_get_name (job->photo), errno);

  cin_temp_file_discard (&job->temp);
  _cin_media_library_deliver (job->library, import_done_cb, job);
}

static void
run_import (CinMediaJob *base)
{
  ImportJob *job = (ImportJob *)base;
  g_autoptr(GdkPixbuf) thumbnail = NULL;

  if (g_atomic_int_compare_and_exchange (&job->library->stale_temp_files_swept, FALSE, TRUE))
    sweep_stale_temp_files (job->library->media_dir);

  /* Cancelled while queued: dropped without reading a byte. */
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (job->task), &job->error))
    job->photo = import_file (job, &thumbnail, &job->error);

  if (job->photo == NULL)
    {
      cin_temp_file_discard (&job->temp);
      _cin_media_library_deliver (job->library, import_done_cb, job);
      return;
    }

  if (thumbnail != NULL)
    {
      _cin_media_library_save_thumbnail (job->library, job->thumbnail_size,
                                         cin_imported_photo_get_sha256 (job->photo), thumbnail);
      job->thumbnail = gdk_texture_new_for_pixbuf (thumbnail);
    }

  job->job.run = run_commit;
  _cin_media_library_push_disk (job->library, &job->job);
}

void
cin_media_library_import_async (CinMediaLibrary     *self,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ImportJob *job;

  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ImportJob, 1);
  job->job.run = run_import;
  job->library = g_object_ref (self);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, cin_media_library_import_async);
  job->file = g_object_ref (file);
  job->temp = (CinTempFile) CIN_TEMP_FILE_INIT;
  job->max_bytes = self->max_bytes;
  job->max_pixels = self->max_pixels;
  job->thumbnail_size = self->import_thumbnail_size;

  _cin_media_library_push (self, &job->job);
}

CinImportedPhoto *
cin_media_library_import_finish (CinMediaLibrary  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_media_library_import_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
