/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-scan"

#include <string.h>

#include "cin-exif.h"
#include "cin-image-scan-private.h"

/* A PNG is its 8-byte signature, then chunks of a 4-byte length, a 4-byte
 * type, the data and a CRC (which libpng checks, not us). IHDR comes first
 * and holds the size; the image ends with IEND. */

enum {
  PNG_SIGNATURE,
  PNG_CHUNK,
  PNG_HEADER,
  PNG_EXIF,
  PNG_PASS,
  PNG_END,
  PNG_DONE,
};

#define HEADER_LENGTH 13
#define CRC_LENGTH    4
#define MAX_CHUNK     0x7fffffffu

static gboolean
on_chunk (CinImageScan *self,
          guint32       length,
          const guint8 *type)
{
  if (length > MAX_CHUNK)
    return _cin_image_scan_fail (self, "a chunk length past the format's limit");

  if (!self->has_size)
    {
      if (memcmp (type, "IHDR", 4) != 0 || length != HEADER_LENGTH)
        return _cin_image_scan_fail (self, "the first chunk is not the image header");
      self->state = PNG_HEADER;
      return TRUE;
    }

  if (memcmp (type, "IEND", 4) == 0)
    {
      if (!self->image_seen)
        return _cin_image_scan_fail (self, "end of image before any image data");
      if (length != 0)
        return _cin_image_scan_fail (self, "an end chunk with data");
      self->skip = CRC_LENGTH;
      self->state = PNG_END;
      return TRUE;
    }

  if (memcmp (type, "IDAT", 4) == 0)
    self->image_seen = TRUE;

  if (memcmp (type, "eXIf", 4) == 0 && !self->exif_seen && length <= CIN_IMAGE_SCAN_MAX_EXIF)
    {
      g_byte_array_set_size (self->block, 0);
      self->block_need = length;
      self->state = PNG_EXIF;
    }
  else
    {
      self->skip = (guint64)length + CRC_LENGTH;
      self->state = PNG_PASS;
    }

  return TRUE;
}

gboolean
_cin_image_scan_png (CinImageScan *self,
                     const guint8 *data,
                     gsize         len)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  while (len > 0)
    {
      switch (self->state)
        {
        case PNG_SIGNATURE:
          if (!_cin_image_scan_gather (self, &data, &len, sizeof signature))
            break;
          if (memcmp (self->field, signature, sizeof signature) != 0)
            return _cin_image_scan_fail (self, "no PNG signature");
          self->state = PNG_CHUNK;
          break;

        case PNG_CHUNK:
          if (!_cin_image_scan_gather (self, &data, &len, 8))
            break;
          if (!on_chunk (self, _cin_read_be32 (self->field), self->field + 4))
            return FALSE;
          break;

        case PNG_HEADER:
          {
            guint32 width, height;

            if (!_cin_image_scan_gather (self, &data, &len, HEADER_LENGTH))
              break;
            width = _cin_read_be32 (self->field);
            height = _cin_read_be32 (self->field + 4);
            if (width == 0 || height == 0 || width > MAX_CHUNK || height > MAX_CHUNK)
              return _cin_image_scan_fail (self, "an image header with an impossible size");
            _cin_image_scan_found_size (self, width, height);
            self->skip = CRC_LENGTH;
            self->state = PNG_PASS;
          }
          break;

        case PNG_EXIF:
          if (!_cin_image_scan_keep (self, &data, &len))
            break;
          self->orientation = cin_exif_get_orientation (self->block->data, self->block->len);
          self->exif_seen = TRUE;
          g_byte_array_set_size (self->block, 0);
          self->skip = CRC_LENGTH;
          self->state = PNG_PASS;
          break;

        case PNG_PASS:
          if (_cin_image_scan_pass (self, &data, &len))
            self->state = PNG_CHUNK;
          break;

        case PNG_END:
          if (!_cin_image_scan_pass (self, &data, &len))
            break;
          self->complete = TRUE;
          self->state = PNG_DONE;
          break;

        case PNG_DONE:
          self->offset += len;
          len = 0;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}
