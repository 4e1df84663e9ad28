/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-reader"

#include <math.h>

#include "cin-image-reader.h"
#include "cin-image-scan.h"
#include "cin-jpeg-decoder.h"
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
  /* JPEG goes to libjpeg itself, PNG and WebP to GdkPixbuf. */
  CinJpegDecoder  *jpeg;
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
  g_clear_pointer (&self->jpeg, cin_jpeg_decoder_free);
  cin_image_scan_free (self->scan);
  g_free (self->name);
  g_free (self);
}

/* Orientation turns a square box onto itself, so the stored size can be
 * fitted before the orientation is applied. GdkPixbuf scales to this size
 * itself when it closes. */
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
ensure_decoder (CinImageReader  *self,
                GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  if (self->loader != NULL || self->jpeg != NULL)
    return TRUE;

  if (self->format == CIN_IMAGE_FORMAT_JPEG)
    {
      self->jpeg = cin_jpeg_decoder_new (self->size);
      return TRUE;
    }

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

  if (!ensure_decoder (self, error))
    return FALSE;
  if (self->jpeg != NULL && !cin_jpeg_decoder_feed (self->jpeg, data, len))
    {
      g_debug ("%s: %s", self->name, cin_jpeg_decoder_get_problem (self->jpeg));
      _cin_media_error_corrupt (error, self->name);
      return FALSE;
    }
  if (self->loader != NULL && !gdk_pixbuf_loader_write (self->loader, data, len, &local_error))
    {
      g_debug ("%s: %s", self->name, local_error->message);
      _cin_media_error_corrupt (error, self->name);
      return FALSE;
    }

  return TRUE;
}

/* Shrinks @src by less than half in each direction, bilinearly: every
 * source pixel still counts, and it takes a fifth of the time of
 * gdk_pixbuf_scale_simple(), whose general filters cost 2 ms a thumbnail. */
static GdkPixbuf *
shrink_a_little (GdkPixbuf *src,
                 guint      width,
                 guint      height)
{
  guint src_width = (guint)gdk_pixbuf_get_width (src);
  guint src_height = (guint)gdk_pixbuf_get_height (src);
  guint channels = (guint)gdk_pixbuf_get_n_channels (src);
  gsize src_stride = (gsize)gdk_pixbuf_get_rowstride (src);
  const guint8 *in = gdk_pixbuf_read_pixels (src);
  g_autoptr(GdkPixbuf) dest = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (src), 8,
                                              (int)width, (int)height);
  g_autofree guint *x0 = NULL;
  g_autofree guint *x_weight = NULL;
  guint8 *out;
  gsize stride;

  if (dest == NULL)
    return NULL;
  out = gdk_pixbuf_get_pixels (dest);
  stride = (gsize)gdk_pixbuf_get_rowstride (dest);

  /* Where each column samples, and the weight (of 256) of its right tap. */
  x0 = g_new (guint, width);
  x_weight = g_new (guint, width);
  for (guint x = 0; x < width; x++)
    {
      double at = MAX ((x + 0.5) * src_width / width - 0.5, 0.0);

      x0[x] = MIN ((guint)at, src_width - 1);
      x_weight[x] = x0[x] + 1 < src_width ? (guint)((at - x0[x]) * 256) : 0;
    }

  for (guint y = 0; y < height; y++)
    {
      double at = MAX ((y + 0.5) * src_height / height - 0.5, 0.0);
      guint y0 = MIN ((guint)at, src_height - 1);
      guint y1 = MIN (y0 + 1, src_height - 1);
      guint wy = (guint)((at - y0) * 256);
      const guint8 *top = in + y0 * src_stride;
      const guint8 *bottom = in + y1 * src_stride;
      guint8 *row = out + y * stride;

      for (guint x = 0; x < width; x++)
        {
          gsize left = (gsize)x0[x] * channels;
          gsize right = x_weight[x] > 0 ? left + channels : left;
          guint wx = x_weight[x];

          for (guint c = 0; c < channels; c++)
            {
              guint upper = top[left + c] * (256 - wx) + top[right + c] * wx;
              guint lower = bottom[left + c] * (256 - wx) + bottom[right + c] * wx;

              row[x * channels + c] = (guint8)((upper * (256 - wy) + lower * wy + 32768) >> 16);
            }
        }
    }

  return g_steal_pointer (&dest);
}

static GdkPixbuf *
fit (GdkPixbuf *pixbuf,
     guint      width,
     guint      height)
{
  guint src_width = (guint)gdk_pixbuf_get_width (pixbuf);
  guint src_height = (guint)gdk_pixbuf_get_height (pixbuf);

  if (width == src_width && height == src_height)
    return g_object_ref (pixbuf);
  if (src_width < 2 * width && src_height < 2 * height && width <= src_width && height <= src_height)
    return shrink_a_little (pixbuf, width, height);
  return gdk_pixbuf_scale_simple (pixbuf, (int)width, (int)height, GDK_INTERP_BILINEAR);
}

/* The decoded image, at least the size wanted; as stored. */
static GdkPixbuf *
finish_decoder (CinImageReader  *self,
                GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;

  if (self->jpeg != NULL)
    {
      pixbuf = cin_jpeg_decoder_finish (self->jpeg);
      if (pixbuf == NULL)
        g_debug ("%s: %s", self->name, cin_jpeg_decoder_get_problem (self->jpeg));
    }
  else
    {
      g_assert (self->loader != NULL);
      self->loader_closed = TRUE;
      if (!gdk_pixbuf_loader_close (self->loader, &local_error))
        {
          g_debug ("%s: %s", self->name, local_error->message);
          pixbuf = NULL;
        }
      else if ((pixbuf = gdk_pixbuf_loader_get_pixbuf (self->loader)) != NULL)
        g_object_ref (pixbuf);
    }

  if (pixbuf == NULL)
    _cin_media_error_corrupt (error, self->name);
  return pixbuf;
}

GdkPixbuf *
cin_image_reader_finish (CinImageReader  *self,
                         GError         **error)
{
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) fitted = NULL;
  GdkPixbuf *pixbuf;
  guint width, height;

  g_return_val_if_fail (self != NULL, NULL);

  if (!cin_image_scan_is_complete (self->scan))
    {
      _cin_media_error_truncated (error, self->name);
      return NULL;
    }

  decoded = finish_decoder (self, error);
  if (decoded == NULL)
    return NULL;

  /* libjpeg scales by halves: the last step to the size asked for. */
  cin_image_fit_size ((guint)gdk_pixbuf_get_width (decoded), (guint)gdk_pixbuf_get_height (decoded),
                      self->size, &width, &height);
  fitted = fit (decoded, width, height);

  if (fitted == NULL ||
      (pixbuf = cin_orientation_apply (fitted, cin_image_scan_get_orientation (self->scan))) == NULL)
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
  return self->loader != NULL || self->jpeg != NULL;
}
