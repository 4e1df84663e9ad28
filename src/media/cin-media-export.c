/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-export"

#include <errno.h>
#include <string.h>

#include "cin-image-decode.h"
#include "cin-image-scan.h"
#include "cin-media-error-private.h"
#include "cin-media-library-private.h"
#include "cin-sha256.h"
#include "cin-temp-file.h"

/* The JPEG a photo is uploaded as. The platform takes JPEG, and nothing
 * about where a photo was taken should leave with it unless the creator
 * says so; so no metadata segment goes out but the two that change how
 * the pixels look: the colour profile (APP2 "ICC_PROFILE") and Adobe's
 * colour transform (APP14). */

#define EXPORT_QUALITY "92"
#define TEMP_PREFIX    ".export-"

typedef struct {
  CinMediaJob       job;
  CinMediaLibrary  *library;
  GTask            *task;
  char             *photo_path;
  char             *destination;
  guint64           max_pixels;

  /* Results */
  char             *sha256;
  guint64           size;
  GError           *error;
} ExportJob;

typedef struct {
  char    *sha256;
  guint64  size;
} Exported;

static void
exported_free (Exported *exported)
{
  g_free (exported->sha256);
  g_free (exported);
}

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->library);
  g_clear_object (&job->task);
  g_free (job->photo_path);
  g_free (job->destination);
  g_free (job->sha256);
  g_clear_error (&job->error);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

/* The file being written, hashed as it goes. */
typedef struct {
  CinTempFile  temp;
  CinSha256   *sha256;
  guint64      size;
  int          saved_errno;
} Output;

static void
output_clear (Output *output)
{
  cin_temp_file_discard (&output->temp);
  g_clear_pointer (&output->sha256, cin_sha256_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Output, output_clear)

static gboolean
output_write (Output       *output,
              const guint8 *data,
              gsize         len)
{
  cin_sha256_update (output->sha256, data, len);
  output->size += len;
  if (cin_temp_file_write (&output->temp, data, len))
    return TRUE;
  output->saved_errno = errno;
  return FALSE;
}

static gboolean
write_to_output_cb (const char  *data,
                    gsize        len,
                    GError     **error,
                    gpointer     user_data)
{
  Output *output = user_data;

  if (output_write (output, (const guint8 *)data, len))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (output->saved_errno),
                       g_strerror (output->saved_errno));
  return FALSE;
}

static gboolean
is_kept_segment (guint8        marker,
                 const guint8 *payload,
                 gsize         len)
{
  static const char icc[] = "ICC_PROFILE";

  if (marker == 0xe2)
    return len >= sizeof icc && memcmp (payload, icc, sizeof icc) == 0;
  if (marker == 0xe0 || marker == 0xee)  /* JFIF, Adobe */
    return TRUE;
  /* The rest of APP0–APP15 and comments are metadata. */
  return !(marker >= 0xe0 && marker <= 0xef) && marker != 0xfe;
}

/* Copies the segments of a complete JPEG (checked at import) that decide
 * its pixels, up to the end of its image, without decoding it. */
static gboolean
copy_without_metadata (const guint8 *data,
                       gsize         len,
                       Output       *output)
{
  gsize at = 2;

  if (!output_write (output, data, 2))
    return FALSE;

  while (at + 2 <= len)
    {
      guint8 marker;
      gsize length;

      while (at < len && data[at] == 0xff)
        at++;
      if (at >= len)
        break;
      marker = data[at++];

      if (marker == 0xd9)
        return output_write (output, (const guint8 *)"\xff\xd9", 2);
      if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
        {
          if (!output_write (output, data + at - 2, 2))
            return FALSE;
          continue;
        }
      if (at + 2 > len)
        break;
      length = (gsize)data[at] << 8 | data[at + 1];
      if (length < 2 || at + length > len)
        break;

      if (is_kept_segment (marker, data + at + 2, length - 2))
        {
          guint8 header[2] = { 0xff, marker };

          if (!output_write (output, header, 2) || !output_write (output, data + at, length))
            return FALSE;
        }
      at += length;

      /* After a start of scan, the entropy-coded data runs to the next
       * marker that is neither an escaped 0xFF nor a restart. */
      if (marker == 0xda)
        {
          gsize start = at;

          while (at + 1 < len &&
                 !(data[at] == 0xff && data[at + 1] != 0x00 && data[at + 1] != 0xff &&
                   !(data[at + 1] >= 0xd0 && data[at + 1] <= 0xd7)))
            at++;
          if (!output_write (output, data + start, at - start))
            return FALSE;
        }
    }

  /* The import checked this file: a stored copy that no longer parses was
   * changed on disk since. saved_errno stays 0: not a write error. */
  return FALSE;
}

/* An upright JPEG, by a scan of its structure; NULL for anything else. */
static GMappedFile *
map_upright_jpeg (const char  *path,
                  GError     **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);
  g_autoptr(CinImageScan) scan = NULL;
  const guint8 *data;
  gsize len;

  if (mapped == NULL)
    return NULL;

  data = (const guint8 *)g_mapped_file_get_contents (mapped);
  len = g_mapped_file_get_length (mapped);
  if (cin_image_format_sniff (data, len) != CIN_IMAGE_FORMAT_JPEG)
    return NULL;

  scan = cin_image_scan_new (CIN_IMAGE_FORMAT_JPEG);
  if (!cin_image_scan_feed (scan, data, len) || !cin_image_scan_is_complete (scan) ||
      cin_image_scan_get_orientation (scan) != 1)
    return NULL;

  return g_steal_pointer (&mapped);
}

static gboolean
encode_jpeg (GdkPixbuf  *pixbuf,
             Output     *output)
{
  g_autoptr(GdkPixbuf) opaque = NULL;
  const char *icc_profile = gdk_pixbuf_get_option (pixbuf, "icc-profile");
  g_autoptr(GError) local_error = NULL;
  gboolean saved;

  /* JPEG has no transparency: what was see-through shows white, as on a
   * page. */
  if (gdk_pixbuf_get_has_alpha (pixbuf))
    {
      int width = gdk_pixbuf_get_width (pixbuf);
      int height = gdk_pixbuf_get_height (pixbuf);

      opaque = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
      if (opaque == NULL)
        {
          output->saved_errno = ENOMEM;
          return FALSE;
        }
      gdk_pixbuf_fill (opaque, 0xffffffff);
      gdk_pixbuf_composite (pixbuf, opaque, 0, 0, width, height, 0, 0, 1, 1, GDK_INTERP_NEAREST, 255);
    }

  if (icc_profile != NULL)
    saved = gdk_pixbuf_save_to_callback (opaque != NULL ? opaque : pixbuf, write_to_output_cb, output,
                                         "jpeg", &local_error, "quality", EXPORT_QUALITY,
                                         "icc-profile", icc_profile, NULL);
  else
    saved = gdk_pixbuf_save_to_callback (opaque != NULL ? opaque : pixbuf, write_to_output_cb, output,
                                         "jpeg", &local_error, "quality", EXPORT_QUALITY, NULL);
  if (!saved && output->saved_errno == 0)
    {
      g_warning ("Could not encode a JPEG: %s", local_error->message);
      output->saved_errno = EIO;
    }
  return saved;
}

static gboolean
export_photo (ExportJob  *job,
              GError    **error)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autofree char *name = g_path_get_basename (job->photo_path);
  g_autofree char *dir = g_path_get_dirname (job->destination);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(Output) output = { CIN_TEMP_FILE_INIT, NULL, 0, 0 };
  CinImageInfo info;

  mapped = map_upright_jpeg (job->photo_path, &local_error);
  if (mapped == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          _cin_media_error_missing (error, job->photo_path);
          return FALSE;
        }
      /* Not an upright JPEG: decoded, turned and encoded again. */
      pixbuf = cin_image_decode_file (job->photo_path, name, 0, job->max_pixels, &info,
                                      cancellable, error);
      if (pixbuf == NULL)
        return FALSE;
    }

  if (!cin_temp_file_open (&output.temp, dir, TEMP_PREFIX))
    {
      _cin_media_error_store_failed (error, name, errno);
      return FALSE;
    }
  output.sha256 = cin_sha256_new ();

  if (!(mapped != NULL ? copy_without_metadata ((const guint8 *)g_mapped_file_get_contents (mapped),
                                                g_mapped_file_get_length (mapped), &output)
                       : encode_jpeg (pixbuf, &output)))
    {
      if (output.saved_errno != 0)
        _cin_media_error_store_failed (error, name, output.saved_errno);
      else
        _cin_media_error_corrupt (error, name);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!cin_temp_file_commit (&output.temp, job->destination))
    {
      _cin_media_error_store_failed (error, name, errno);
      return FALSE;
    }

  job->sha256 = cin_sha256_finish (output.sha256);
  job->size = output.size;
  return TRUE;
}

static gboolean
export_done_cb (gpointer data)
{
  g_autoptr(ExportJob) job = data;

  Exported *exported;

  if (job->error != NULL)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
      return G_SOURCE_REMOVE;
    }

  exported = g_new0 (Exported, 1);
  exported->sha256 = g_steal_pointer (&job->sha256);
  exported->size = job->size;
  g_task_return_pointer (job->task, exported, (GDestroyNotify)exported_free);
  return G_SOURCE_REMOVE;
}

static void
run_export (CinMediaJob *base)
{
  ExportJob *job = (ExportJob *)base;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (job->task), &job->error))
    export_photo (job, &job->error);

  _cin_media_library_deliver (job->library, export_done_cb, job);
}

void
cin_media_library_export_jpeg_async (CinMediaLibrary     *self,
                                     const char          *sha256,
                                     const char          *mime,
                                     GFile               *destination,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  ExportJob *job;

  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (cin_sha256_is_valid (sha256));
  g_return_if_fail (cin_image_format_from_mime (mime) != CIN_IMAGE_FORMAT_UNKNOWN);
  g_return_if_fail (G_IS_FILE (destination) && g_file_is_native (destination));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (ExportJob, 1);
  job->job.run = run_export;
  job->library = g_object_ref (self);
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, cin_media_library_export_jpeg_async);
  job->photo_path = cin_media_library_get_photo_path (self, sha256, mime);
  job->destination = g_file_get_path (destination);
  job->max_pixels = self->max_pixels;

  _cin_media_library_push (self, &job->job);
}

gboolean
cin_media_library_export_jpeg_finish (CinMediaLibrary  *self,
                                      GAsyncResult     *result,
                                      char            **sha256,
                                      guint64          *size,
                                      GError          **error)
{
  Exported *exported;

  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_media_library_export_jpeg_async,
                        FALSE);

  exported = g_task_propagate_pointer (G_TASK (result), error);
  if (exported == NULL)
    return FALSE;

  if (sha256 != NULL)
    *sha256 = g_steal_pointer (&exported->sha256);
  if (size != NULL)
    *size = exported->size;
  exported_free (exported);
  return TRUE;
}
