/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-demo-photo"

#include <stdio.h>
#include <jpeglib.h>
#include <math.h>

#include "cin-server-demo-photo.h"

#define QUALITY 82

static guint8
channel (guint32 rgb,
         guint   shift,
         double  light)
{
  double value = ((rgb >> shift) & 0xff) * light;

  return (guint8)CLAMP (value, 0, 255);
}

GBytes *
_cin_server_demo_photo (guint32 rgb,
                        guint   variant)
{
  struct jpeg_compress_struct jpeg;
  struct jpeg_error_mgr jerr;
  g_autofree guint8 *row = g_malloc (CIN_DEMO_PHOTO_WIDTH * 3);
  unsigned char *out = NULL;
  unsigned long out_size = 0;
  /* The subject's place, from the variant. */
  double cx = CIN_DEMO_PHOTO_WIDTH * (0.3 + 0.4 * ((variant * 37) % 11) / 10.0);
  double cy = CIN_DEMO_PHOTO_HEIGHT * (0.45 + 0.25 * ((variant * 53) % 7) / 6.0);
  double radius = CIN_DEMO_PHOTO_WIDTH * (0.18 + 0.04 * (variant % 3));
  GBytes *bytes;

  /* Bad input can't happen here: the defaults abort on a libjpeg error. */
  jpeg.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&jpeg);
  jpeg_mem_dest (&jpeg, &out, &out_size);
  jpeg.image_width = CIN_DEMO_PHOTO_WIDTH;
  jpeg.image_height = CIN_DEMO_PHOTO_HEIGHT;
  jpeg.input_components = 3;
  jpeg.in_color_space = JCS_RGB;
  jpeg_set_defaults (&jpeg);
  jpeg_set_quality (&jpeg, QUALITY, TRUE);
  jpeg_start_compress (&jpeg, TRUE);

  while (jpeg.next_scanline < jpeg.image_height)
    {
      double y = jpeg.next_scanline;
      JSAMPROW rows[1] = { row };

      for (guint x = 0; x < CIN_DEMO_PHOTO_WIDTH; x++)
        {
          double distance = hypot (x - cx, y - cy);
          /* Light from the top, a lit disc, a soft edge around it. */
          double light = 1.25 - 0.55 * y / CIN_DEMO_PHOTO_HEIGHT;

          if (distance < radius)
            light += 0.35;
          else if (distance < radius * 1.15)
            light += 0.35 * (radius * 1.15 - distance) / (radius * 0.15);
          row[3 * x] = channel (rgb, 16, light);
          row[3 * x + 1] = channel (rgb, 8, light);
          row[3 * x + 2] = channel (rgb, 0, light);
        }
      jpeg_write_scanlines (&jpeg, rows, 1);
    }

  jpeg_finish_compress (&jpeg);
  jpeg_destroy_compress (&jpeg);
  bytes = g_bytes_new (out, out_size);
  free (out);
  return bytes;
}
