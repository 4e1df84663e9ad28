/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* A JPEG decoded with libjpeg itself, fed in pieces (libjpeg suspends
 * where a piece ends), straight to about @size with libjpeg's scaling.
 * About a tenth faster than GdkPixbuf's loader on a phone photo, and it
 * hears libjpeg's warnings: data so damaged that libjpeg fills it in grey
 * fails the decode instead of showing. The caller checks the structure
 * and the pixel count first (CinImageScan). Blocking. */

typedef struct _CinJpegDecoder CinJpegDecoder;

/* @size: the longest side wanted (0: full size, with its colour profile
 * as the "icc-profile" option). The result is at least that large, up to
 * twice, for the caller to scale. */
CinJpegDecoder *cin_jpeg_decoder_new         (guint            size);
void            cin_jpeg_decoder_free        (CinJpegDecoder  *self);

/* FALSE once the data cannot be decoded; cin_jpeg_decoder_get_problem()
 * says why, for the logs. */
gboolean        cin_jpeg_decoder_feed        (CinJpegDecoder  *self,
                                              const guint8    *data,
                                              gsize            len);
/* After the last piece, as stored (no orientation applied). */
GdkPixbuf      *cin_jpeg_decoder_finish      (CinJpegDecoder  *self);
const char     *cin_jpeg_decoder_get_problem (CinJpegDecoder  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinJpegDecoder, cin_jpeg_decoder_free)

G_END_DECLS
