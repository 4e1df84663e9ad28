/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-image-scan.h"

G_BEGIN_DECLS

/* The largest metadata block kept whole to read the orientation from. */
#define CIN_IMAGE_SCAN_MAX_EXIF 65536

struct _CinImageScan
{
  CinImageFormat  format;
  int             state;
  int             next_state;   /* after a skip */
  guint64         offset;       /* bytes consumed so far */

  /* A field gathered across feeds, a span passed over, a block kept. */
  guint8          field[16];
  gsize           field_len;
  guint64         skip;
  GByteArray     *block;
  gsize           block_need;

  /* What was found */
  guint           width;
  guint           height;
  gboolean        has_size;
  guint           orientation;
  gboolean        exif_seen;
  gboolean        image_seen;
  gboolean        complete;
  const char     *problem;

  /* Format state */
  guint8          marker;       /* JPEG: the segment being read */
  guint64         riff_end;     /* WebP: where the container ends */
  guint64         chunk_size;   /* PNG and WebP: the chunk being read */
};

gboolean _cin_image_scan_jpeg   (CinImageScan  *self,
                                 const guint8  *data,
                                 gsize          len);
gboolean _cin_image_scan_png    (CinImageScan  *self,
                                 const guint8  *data,
                                 gsize          len);
gboolean _cin_image_scan_webp   (CinImageScan  *self,
                                 const guint8  *data,
                                 gsize          len);

/* Helpers that consume from (*data, *len) and advance offset. Each returns
 * TRUE once its work is done, FALSE when the bytes ran out first. */
gboolean _cin_image_scan_gather (CinImageScan   *self,
                                 const guint8  **data,
                                 gsize          *len,
                                 gsize           need);
gboolean _cin_image_scan_pass   (CinImageScan   *self,
                                 const guint8  **data,
                                 gsize          *len);
gboolean _cin_image_scan_keep   (CinImageScan   *self,
                                 const guint8  **data,
                                 gsize          *len);
guint8   _cin_image_scan_byte   (CinImageScan   *self,
                                 const guint8  **data,
                                 gsize          *len);
void     _cin_image_scan_found_size (CinImageScan *self,
                                     guint         width,
                                     guint         height);
/* Records the problem; returns FALSE to hand straight back. */
gboolean _cin_image_scan_fail   (CinImageScan   *self,
                                 const char     *problem);

static inline guint32
_cin_read_be32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static inline guint32
_cin_read_le32 (const guint8 *p)
{
  return (guint32)p[3] << 24 | (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];
}

G_END_DECLS
