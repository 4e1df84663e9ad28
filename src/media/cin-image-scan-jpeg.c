/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-scan"

#include <string.h>

#include "cin-exif.h"
#include "cin-image-scan-private.h"

/* A JPEG is a run of marker segments (0xFF, a code, a two-byte length that
 * counts itself, a payload); each start-of-scan segment is followed by
 * entropy-coded data, in which 0xFF is escaped as FF 00 and restart
 * markers FF D0–D7 may appear. The image ends at the EOI marker (FF D9);
 * what follows it (a phone's second image, padding) is not ours to read. */

enum {
  JPEG_SOI,
  JPEG_MARKER,
  JPEG_MARKER_CODE,
  JPEG_LENGTH,
  JPEG_FRAME_HEADER,
  JPEG_APP1,
  JPEG_PASS,
  JPEG_ENTROPY,
  JPEG_ENTROPY_FF,
  JPEG_DONE,
};

#define MARKER_SOI  0xd8
#define MARKER_EOI  0xd9
#define MARKER_SOS  0xda
#define MARKER_APP1 0xe1
#define MARKER_TEM  0x01

static gboolean
is_frame_header (guint8 code)
{
  /* SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  return code >= 0xc0 && code <= 0xcf && code != 0xc4 && code != 0xc8 && code != 0xcc;
}

static gboolean
is_restart (guint8 code)
{
  return code >= 0xd0 && code <= 0xd7;
}

static gboolean
on_marker (CinImageScan *self,
           guint8        code)
{
  if (code == MARKER_EOI)
    {
      if (!self->image_seen)
        return _cin_image_scan_fail (self, "end of image before any image data");
      self->complete = TRUE;
      self->state = JPEG_DONE;
    }
  else if (code == MARKER_SOI)
    return _cin_image_scan_fail (self, "a second start-of-image marker");
  else if (code == 0x00)
    return _cin_image_scan_fail (self, "an escaped 0xFF outside image data");
  else if (is_restart (code) || code == MARKER_TEM)
    self->state = JPEG_MARKER;
  else
    {
      self->marker = code;
      self->state = JPEG_LENGTH;
    }

  return TRUE;
}

static gboolean
on_segment_length (CinImageScan *self,
                   guint         length)
{
  guint payload;

  if (length < 2)
    return _cin_image_scan_fail (self, "a segment shorter than its length field");
  payload = length - 2;

  if (is_frame_header (self->marker))
    {
      if (self->has_size)
        return _cin_image_scan_fail (self, "a second frame header");
      if (payload < 5)
        return _cin_image_scan_fail (self, "a frame header too short for its size");
      self->skip = payload - 5;
      self->state = JPEG_FRAME_HEADER;
    }
  else if (self->marker == MARKER_APP1 && !self->exif_seen)
    {
      g_byte_array_set_size (self->block, 0);
      self->block_need = payload;
      self->state = JPEG_APP1;
    }
  else if (self->marker == MARKER_SOS)
    {
      if (!self->has_size)
        return _cin_image_scan_fail (self, "image data before the frame header");
      self->image_seen = TRUE;
      self->skip = payload;
      self->next_state = JPEG_ENTROPY;
      self->state = JPEG_PASS;
    }
  else
    {
      self->skip = payload;
      self->next_state = JPEG_MARKER;
      self->state = JPEG_PASS;
    }

  return TRUE;
}

static void
on_app1 (CinImageScan *self)
{
  static const guint8 exif_header[6] = { 'E', 'x', 'i', 'f', 0, 0 };

  if (self->block->len > sizeof exif_header &&
      memcmp (self->block->data, exif_header, sizeof exif_header) == 0)
    {
      self->orientation = cin_exif_get_orientation (self->block->data + sizeof exif_header,
                                                    self->block->len - sizeof exif_header);
      self->exif_seen = TRUE;
    }
  g_byte_array_set_size (self->block, 0);
}

gboolean
_cin_image_scan_jpeg (CinImageScan *self,
                      const guint8 *data,
                      gsize         len)
{
  while (len > 0)
    {
      switch (self->state)
        {
        case JPEG_SOI:
          if (!_cin_image_scan_gather (self, &data, &len, 2))
            break;
          if (self->field[0] != 0xff || self->field[1] != MARKER_SOI)
            return _cin_image_scan_fail (self, "no start-of-image marker");
          self->state = JPEG_MARKER;
          break;

        case JPEG_MARKER:
          if (_cin_image_scan_byte (self, &data, &len) != 0xff)
            return _cin_image_scan_fail (self, "a segment ends where no marker starts");
          self->state = JPEG_MARKER_CODE;
          break;

        case JPEG_MARKER_CODE:
          {
            guint8 code = _cin_image_scan_byte (self, &data, &len);

            /* Any number of 0xFF may pad before a marker's code. */
            if (code != 0xff && !on_marker (self, code))
              return FALSE;
          }
          break;

        case JPEG_LENGTH:
          if (!_cin_image_scan_gather (self, &data, &len, 2))
            break;
          if (!on_segment_length (self, (guint)self->field[0] << 8 | self->field[1]))
            return FALSE;
          break;

        case JPEG_FRAME_HEADER:
          {
            guint width, height;

            /* Sample precision, then height and width. */
            if (!_cin_image_scan_gather (self, &data, &len, 5))
              break;
            height = (guint)self->field[1] << 8 | self->field[2];
            width = (guint)self->field[3] << 8 | self->field[4];
            if (width == 0 || height == 0)
              return _cin_image_scan_fail (self, "no size in the frame header");
            _cin_image_scan_found_size (self, width, height);
            self->next_state = JPEG_MARKER;
            self->state = JPEG_PASS;
          }
          break;

        case JPEG_APP1:
          if (!_cin_image_scan_keep (self, &data, &len))
            break;
          on_app1 (self);
          self->state = JPEG_MARKER;
          break;

        case JPEG_PASS:
          if (_cin_image_scan_pass (self, &data, &len))
            self->state = self->next_state;
          break;

        case JPEG_ENTROPY:
          {
            const guint8 *ff = memchr (data, 0xff, len);
            gsize take = ff != NULL ? (gsize)(ff - data) + 1 : len;

            self->offset += take;
            data += take;
            len -= take;
            if (ff != NULL)
              self->state = JPEG_ENTROPY_FF;
          }
          break;

        case JPEG_ENTROPY_FF:
          {
            guint8 code = _cin_image_scan_byte (self, &data, &len);

            if (code == 0x00 || is_restart (code))
              self->state = JPEG_ENTROPY;
            else if (code != 0xff && !on_marker (self, code))
              return FALSE;
          }
          break;

        case JPEG_DONE:
          self->offset += len;
          len = 0;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}
