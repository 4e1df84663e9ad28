/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-decode"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-heif.h"
#include "cin-image-decode.h"
#include "cin-image-reader.h"
#include "cin-media-error-private.h"

static gssize
read_chunk (int     fd,
            guint8 *buffer,
            gsize   len)
{
  gsize done = 0;

  /* Whole chunks until the end, so the first one holds enough to sniff. */
  while (done < len)
    {
      gssize n = read (fd, buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += (gsize)n;
    }

  return (gssize)done;
}

static void
set_read_error (GError     **error,
                const char  *name,
                int          saved_errno)
{
  g_autoptr(GError) cause = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                                 g_strerror (saved_errno));

  _cin_media_error_unreadable (error, name, cause);
}

/* Decodes from the file's first chunk, already in @buffer, on. */
static GdkPixbuf *
decode_stream (int              fd,
               guint8          *buffer,
               gssize           n,
               const char      *name,
               guint            size,
               guint64          max_pixels,
               CinImageInfo    *info,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(CinImageReader) reader = cin_image_reader_new (info->format, name, size, max_pixels);
  GdkPixbuf *pixbuf;

  while (n > 0)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !cin_image_reader_feed (reader, buffer, (gsize)n, error))
        return NULL;

      n = read_chunk (fd, buffer, CIN_MEDIA_CHUNK_SIZE);
      if (n < 0)
        {
          set_read_error (error, name, errno);
          return NULL;
        }
    }

  pixbuf = cin_image_reader_finish (reader, error);
  info->width = cin_image_reader_get_width (reader);
  info->height = cin_image_reader_get_height (reader);
  info->orientation = cin_image_reader_get_orientation (reader);
  return pixbuf;
}

static GdkPixbuf *
decode_fd (int            fd,
           const char    *path,
           const char    *name,
           guint          size,
           guint64        max_pixels,
           CinImageInfo  *info,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (CIN_MEDIA_CHUNK_SIZE);
  gssize n = read_chunk (fd, buffer, CIN_MEDIA_CHUNK_SIZE);

  if (n < 0)
    {
      set_read_error (error, name, errno);
      return NULL;
    }
  if (n == 0)
    {
      _cin_media_error_empty (error, name);
      return NULL;
    }

  info->format = cin_image_format_sniff (buffer, (gsize)n);
  switch (info->format)
    {
    case CIN_IMAGE_FORMAT_UNKNOWN:
      _cin_media_error_unsupported (error, name);
      return NULL;
    case CIN_IMAGE_FORMAT_HEIF:
      /* libheif reads the file itself, seeking to the boxes it needs. */
      return cin_heif_decode (path, name, size, max_pixels, &info->width, &info->height, error);
    case CIN_IMAGE_FORMAT_JPEG:
    case CIN_IMAGE_FORMAT_PNG:
    case CIN_IMAGE_FORMAT_WEBP:
    default:
      return decode_stream (fd, buffer, n, name, size, max_pixels, info, cancellable, error);
    }
}

GdkPixbuf *
cin_image_decode_file (const char    *path,
                       const char    *name,
                       guint          size,
                       guint64        max_pixels,
                       CinImageInfo  *info,
                       GCancellable  *cancellable,
                       GError       **error)
{
  GdkPixbuf *pixbuf;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  *info = (CinImageInfo) { CIN_IMAGE_FORMAT_UNKNOWN, 0, 0, 1 };

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      if (errno == ENOENT)
        _cin_media_error_missing (error, path);
      else
        set_read_error (error, name, errno);
      return NULL;
    }

  pixbuf = decode_fd (fd, path, name, size, max_pixels, info, cancellable, error);
  g_close (fd, NULL);
  return pixbuf;
}
