/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-scan"

#include <string.h>

#include "cin-image-scan-private.h"

/* A WebP is a RIFF container: "RIFF", the size of what follows, "WEBP",
 * then chunks of a fourcc, a size and data padded to an even length. The
 * size comes from the extended header (VP8X, the canvas) or from the one
 * image's own header (VP8 lossy, VP8L lossless). The file ends where the
 * RIFF size says. Exif orientation is not applied: the container format
 * says a decoder ignores it. */

enum {
  WEBP_HEADER,
  WEBP_CHUNK,
  WEBP_EXTENDED,
  WEBP_LOSSY,
  WEBP_LOSSLESS,
  WEBP_PASS,
  WEBP_DONE,
};

#define EXTENDED_HEADER 10
#define LOSSY_HEADER    10
#define LOSSLESS_HEADER 5

static guint
read_le24 (const guint8 *p)
{
  return (guint)p[2] << 16 | (guint)p[1] << 8 | p[0];
}

static gboolean
on_chunk (CinImageScan *self,
          const guint8 *fourcc,
          guint32       size)
{
  guint64 padded = (guint64)size + (size & 1);
  guint64 header = 0;

  if (self->offset + padded > self->riff_end)
    return _cin_image_scan_fail (self, "a chunk runs past the end of the container");

  if (memcmp (fourcc, "VP8X", 4) == 0)
    {
      header = EXTENDED_HEADER;
      self->state = WEBP_EXTENDED;
    }
  else if (memcmp (fourcc, "VP8 ", 4) == 0)
    {
      header = LOSSY_HEADER;
      self->state = WEBP_LOSSY;
    }
  else if (memcmp (fourcc, "VP8L", 4) == 0)
    {
      header = LOSSLESS_HEADER;
      self->state = WEBP_LOSSLESS;
    }
  else
    {
      /* Animation frames carry their image inside. */
      if (memcmp (fourcc, "ANMF", 4) == 0)
        self->image_seen = TRUE;
      self->state = WEBP_PASS;
    }

  if (size < header)
    return _cin_image_scan_fail (self, "an image chunk too short for its header");
  self->skip = padded - header;
  return TRUE;
}

/* A frame's size; it must fit the canvas when an extended header set one. */
static gboolean
on_image_size (CinImageScan *self,
               guint         width,
               guint         height)
{
  if (width == 0 || height == 0)
    return _cin_image_scan_fail (self, "an image header with no size");
  if (self->has_size && (width > self->width || height > self->height))
    return _cin_image_scan_fail (self, "an image larger than its canvas");
  _cin_image_scan_found_size (self, width, height);
  self->image_seen = TRUE;
  self->state = WEBP_PASS;
  return TRUE;
}

static void
after_chunk (CinImageScan *self)
{
  if (self->offset < self->riff_end)
    {
      self->state = WEBP_CHUNK;
      return;
    }

  self->complete = self->image_seen;
  if (!self->complete)
    _cin_image_scan_fail (self, "no image in the container");
  self->state = WEBP_DONE;
}

gboolean
_cin_image_scan_webp (CinImageScan *self,
                      const guint8 *data,
                      gsize         len)
{
  while (len > 0)
    {
      switch (self->state)
        {
        case WEBP_HEADER:
          {
            guint32 size;

            if (!_cin_image_scan_gather (self, &data, &len, 12))
              break;
            size = _cin_read_le32 (self->field + 4);
            if (memcmp (self->field, "RIFF", 4) != 0 || memcmp (self->field + 8, "WEBP", 4) != 0)
              return _cin_image_scan_fail (self, "no RIFF WEBP header");
            if (size < 4 + 8)
              return _cin_image_scan_fail (self, "a container too small for an image");
            self->riff_end = 8 + (guint64)size;
            self->state = WEBP_CHUNK;
          }
          break;

        case WEBP_CHUNK:
          if (!_cin_image_scan_gather (self, &data, &len, 8))
            break;
          if (!on_chunk (self, self->field, _cin_read_le32 (self->field + 4)))
            return FALSE;
          break;

        case WEBP_EXTENDED:
          if (!_cin_image_scan_gather (self, &data, &len, EXTENDED_HEADER))
            break;
          /* Flags and reserved bytes, then the canvas size minus one. */
          _cin_image_scan_found_size (self, read_le24 (self->field + 4) + 1,
                                      read_le24 (self->field + 7) + 1);
          self->state = WEBP_PASS;
          break;

        case WEBP_LOSSY:
          if (!_cin_image_scan_gather (self, &data, &len, LOSSY_HEADER))
            break;
          /* A 3-byte frame tag, the start code 9D 01 2A, then 14-bit
           * width and height, each with 2 bits of upscaling above. */
          if (self->field[3] != 0x9d || self->field[4] != 0x01 || self->field[5] != 0x2a)
            return _cin_image_scan_fail (self, "no VP8 start code");
          if (!on_image_size (self, ((guint)self->field[7] << 8 | self->field[6]) & 0x3fff,
                              ((guint)self->field[9] << 8 | self->field[8]) & 0x3fff))
            return FALSE;
          break;

        case WEBP_LOSSLESS:
          {
            guint32 bits;

            if (!_cin_image_scan_gather (self, &data, &len, LOSSLESS_HEADER))
              break;
            /* A signature byte, then 14 bits each of width and height,
             * minus one. */
            if (self->field[0] != 0x2f)
              return _cin_image_scan_fail (self, "no VP8L signature");
            bits = _cin_read_le32 (self->field + 1);
            if (!on_image_size (self, (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
              return FALSE;
          }
          break;

        case WEBP_PASS:
          if (!_cin_image_scan_pass (self, &data, &len))
            break;
          after_chunk (self);
          if (self->problem != NULL)
            return FALSE;
          break;

        case WEBP_DONE:
          self->offset += len;
          len = 0;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* A chunk whose header was its last bytes ended with this feed. */
  if (self->state == WEBP_PASS && self->skip == 0)
    {
      after_chunk (self);
      if (self->problem != NULL)
        return FALSE;
    }

  return TRUE;
}
