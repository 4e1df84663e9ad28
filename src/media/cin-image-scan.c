/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-scan"

#include <string.h>

#include "cin-image-scan-private.h"

CinImageScan *
cin_image_scan_new (CinImageFormat format)
{
  CinImageScan *self;

  g_return_val_if_fail (format == CIN_IMAGE_FORMAT_JPEG || format == CIN_IMAGE_FORMAT_PNG ||
                        format == CIN_IMAGE_FORMAT_WEBP, NULL);

  self = g_new0 (CinImageScan, 1);
  self->format = format;
  self->orientation = 1;
  self->block = g_byte_array_new ();
  return self;
}

void
cin_image_scan_free (CinImageScan *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->block);
  g_free (self);
}

gboolean
cin_image_scan_feed (CinImageScan *self,
                     const guint8 *data,
                     gsize         len)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->problem != NULL)
    return FALSE;

  switch (self->format)
    {
    case CIN_IMAGE_FORMAT_JPEG:
      return _cin_image_scan_jpeg (self, data, len);
    case CIN_IMAGE_FORMAT_PNG:
      return _cin_image_scan_png (self, data, len);
    case CIN_IMAGE_FORMAT_WEBP:
      return _cin_image_scan_webp (self, data, len);
    case CIN_IMAGE_FORMAT_UNKNOWN:
    case CIN_IMAGE_FORMAT_HEIF:
    default:
      g_assert_not_reached ();
    }
}

gboolean
cin_image_scan_has_size (CinImageScan *self)
{
  return self->has_size;
}

guint
cin_image_scan_get_width (CinImageScan *self)
{
  return self->width;
}

guint
cin_image_scan_get_height (CinImageScan *self)
{
  return self->height;
}

guint
cin_image_scan_get_orientation (CinImageScan *self)
{
  return self->orientation;
}

gboolean
cin_image_scan_is_complete (CinImageScan *self)
{
  return self->complete;
}

const char *
cin_image_scan_get_problem (CinImageScan *self)
{
  return self->problem;
}

gboolean
_cin_image_scan_gather (CinImageScan  *self,
                        const guint8 **data,
                        gsize         *len,
                        gsize          need)
{
  gsize take;

  g_assert (need <= sizeof self->field);

  take = MIN (need - self->field_len, *len);
  memcpy (self->field + self->field_len, *data, take);
  self->field_len += take;
  self->offset += take;
  *data += take;
  *len -= take;

  if (self->field_len < need)
    return FALSE;
  self->field_len = 0;
  return TRUE;
}

gboolean
_cin_image_scan_pass (CinImageScan  *self,
                      const guint8 **data,
                      gsize         *len)
{
  gsize take = (gsize)MIN (self->skip, (guint64)*len);

  self->skip -= take;
  self->offset += take;
  *data += take;
  *len -= take;
  return self->skip == 0;
}

gboolean
_cin_image_scan_keep (CinImageScan  *self,
                      const guint8 **data,
                      gsize         *len)
{
  gsize take = MIN (self->block_need - self->block->len, *len);

  g_byte_array_append (self->block, *data, (guint)take);
  self->offset += take;
  *data += take;
  *len -= take;
  return self->block->len == self->block_need;
}

guint8
_cin_image_scan_byte (CinImageScan  *self,
                      const guint8 **data,
                      gsize         *len)
{
  guint8 byte = **data;

  g_assert (*len > 0);
  self->offset++;
  (*data)++;
  (*len)--;
  return byte;
}

void
_cin_image_scan_found_size (CinImageScan *self,
                            guint         width,
                            guint         height)
{
  if (self->has_size)
    return;
  self->width = width;
  self->height = height;
  self->has_size = TRUE;
}

gboolean
_cin_image_scan_fail (CinImageScan *self,
                      const char   *problem)
{
  self->problem = problem;
  return FALSE;
}
