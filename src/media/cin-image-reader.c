/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-reader"

#include <math.h>

#include "cin-image-reader.h"
#include "cin-image-scan.h"
#include "cin-media-error-private.h"
#include "cin-orientation.h"

struct _CinImageReader
{
  CinImageFormat   format;
  char            *name;
  guint            size;
  guint64          max_pixels;

  CinImageScan    *scan;
  gboolean         size_checked;
  GdkPixbufLoader *loader;
  gboolean         loader_closed;
};

static const char *
loader_type (CinImageFormat format)
{
  switch (format)
    {
    case CIN_IMAGE_FORMAT_JPEG:
      return "jpeg";
    case CIN_IMAGE_FORMAT_PNG:
      return "png";
    case CIN_IMAGE_FORMAT_WEBP:
      return "webp";
    case CIN_IMAGE_FORMAT_UNKNOWN:
    case CIN_IMAGE_FORMAT_HEIF:
    default:
      g_assert_not_reached ();
    }
}

void
cin_image_fit_size (guint  width,
                    guint  height,
                    guint  size,
                    guint *fit_width,
                    guint *fit_height)
{
  guint longest = MAX (width, height);

  if (size == 0 || longest <= size)
    {
      *fit_width = width;
      *fit_height = height;
      return;
    }

  *fit_width = MAX ((guint)lround ((double)width * size / longest), 1);
  *fit_height = MAX ((guint)lround ((double)height * size / longest), 1);
}

CinImageReader *
cin_image_reader_new (CinImageFormat  format,
                      const char     *name,
                      guint           size,
                      guint64         max_pixels)
{
  CinImageReader *self;

  g_return_val_if_fail (format == CIN_IMAGE_FORMAT_JPEG || format == CIN_IMAGE_FORMAT_PNG ||
                        format == CIN_IMAGE_FORMAT_WEBP, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_new0 (CinImageReader, 1);
  self->format = format;
  self->name = g_strdup (name);
  self->size = size;
  self->max_pixels = max_pixels;
  self->scan = cin_image_scan_new (format);
  return self;
}

void
cin_image_reader_free (CinImageReader *self)
{
  if (self == NULL)
    return;

  /* A loader must be closed before it goes, even after an error. */
  if (self->loader != NULL && !self->loader_closed)
    gdk_pixbuf_loader_close (self->loader, NULL);
  g_clear_object (&self->loader);
  cin_image_scan_free (self->scan);
  g_free (self->name);
  g_free (self);
}

/* Orientation turns a square box onto itself, so the stored size can be
 * fitted before the orientation is applied. */
static void
on_size_prepared_cb (GdkPixbufLoader *loader,
                     int              width,
                     int              height,
                     CinImageReader  *self)
{
  guint fit_width, fit_height;

  cin_image_fit_size ((guint)width, (guint)height, self->size, &fit_width, &fit_height);
  if (fit_width != (guint)width || fit_height != (guint)height)
    gdk_pixbuf_loader_set_size (loader, (int)fit_width, (int)fit_height);
}

static gboolean
ensure_loader (CinImageReader  *self,
               GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->loader != NULL)
    return TRUE;

  self->loader = gdk_pixbuf_loader_new_with_type (loader_type (self->format), &local_error);
  if (self->loader == NULL)
    {
      g_debug ("No GdkPixbuf loader for %s: %s", loader_type (self->format), local_error->message);
      _cin_media_error_no_decoder (error, self->name, self->format);
      return FALSE;
    }

  g_signal_connect (self->loader, "size-prepared", G_CALLBACK (on_size_prepared_cb), self);
  return TRUE;
}

gboolean
cin_image_reader_feed (CinImageReader  *self,
                       const guint8    *data,
                       gsize            len,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean was_complete;

  g_return_val_if_fail (self != NULL, FALSE);

  was_complete = cin_image_scan_is_complete (self->scan);
  if (!cin_image_scan_feed (self->scan, data, len))
    {
      g_debug ("%s: %s", self->name, cin_image_scan_get_problem (self->scan));
      _cin_media_error_corrupt (error, self->name);
      return FALSE;
    }

  if (!self->size_checked && cin_image_scan_has_size (self->scan))
    {
      if ((guint64)cin_image_scan_get_width (self->scan) * cin_image_scan_get_height (self->scan) >
          self->max_pixels)
        {
          _cin_media_error_too_many_pixels (error, self->name,
                                            cin_image_reader_get_width (self),
                                            cin_image_reader_get_height (self),
                                            self->max_pixels);
          return FALSE;
        }
      self->size_checked = TRUE;
    }

  /* What follows the image's end (a phone's second image) is not shown. */
  if (was_complete || len == 0)
    return TRUE;

  if (!ensure_loader (self, error))
    return FALSE;
  if (!gdk_pixbuf_loader_write (self->loader, data, len, &local_error))
    {
      g_debug ("%s: %s", self->name, local_error->message);
      _cin_media_error_corrupt (error, self->name);
      return FALSE;
    }

  return TRUE;
}

GdkPixbuf *
cin_image_reader_finish (CinImageReader  *self,
                         GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;

  g_return_val_if_fail (self != NULL, NULL);

  if (!cin_image_scan_is_complete (self->scan))
    {
      _cin_media_error_truncated (error, self->name);
      return NULL;
    }

  g_assert (self->loader != NULL);
  self->loader_closed = TRUE;
  if (!gdk_pixbuf_loader_close (self->loader, &local_error))
    {
      g_debug ("%s: %s", self->name, local_error->message);
      _cin_media_error_corrupt (error, self->name);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (self->loader);
  if (pixbuf == NULL ||
      (pixbuf = cin_orientation_apply (pixbuf, cin_image_scan_get_orientation (self->scan))) == NULL)
    {
      _cin_media_error_corrupt (error, self->name);
      return NULL;
    }

  return pixbuf;
}

guint
cin_image_reader_get_width (CinImageReader *self)
{
  return cin_orientation_swaps_axes (cin_image_scan_get_orientation (self->scan))
         ? cin_image_scan_get_height (self->scan) : cin_image_scan_get_width (self->scan);
}

guint
cin_image_reader_get_height (CinImageReader *self)
{
  return cin_orientation_swaps_axes (cin_image_scan_get_orientation (self->scan))
         ? cin_image_scan_get_width (self->scan) : cin_image_scan_get_height (self->scan);
}

guint
cin_image_reader_get_orientation (CinImageReader *self)
{
  return cin_image_scan_get_orientation (self->scan);
}

gboolean
cin_image_reader_has_started (CinImageReader *self)
{
  return self->loader != NULL;
}
