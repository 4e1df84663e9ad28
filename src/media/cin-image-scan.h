/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-image-format.h"

G_BEGIN_DECLS

/* Follows a JPEG, PNG or WebP file's structure as its bytes stream past,
 * without decoding: the dimensions its header claims (known before a
 * decoder would allocate for them), its Exif orientation, and whether the
 * file reached its end marker, which decoders do not tell: GdkPixbuf shows
 * a truncated JPEG, PNG or WebP without an error. */

typedef struct _CinImageScan CinImageScan;

CinImageScan *cin_image_scan_new             (CinImageFormat  format);
void          cin_image_scan_free            (CinImageScan   *self);

/* FALSE once the bytes cannot be a file of this format;
 * cin_image_scan_get_problem() says why, for the logs. */
gboolean      cin_image_scan_feed            (CinImageScan   *self,
                                              const guint8   *data,
                                              gsize           len);
gboolean      cin_image_scan_has_size        (CinImageScan   *self);
/* As stored, before the orientation turns it. */
guint         cin_image_scan_get_width       (CinImageScan   *self);
guint         cin_image_scan_get_height      (CinImageScan   *self);
/* Exif orientation, 1–8; 1 when the file has none. WebP's is ignored, as
 * its container format says. */
guint         cin_image_scan_get_orientation (CinImageScan   *self);
/* Whether the end of the image (JPEG EOI, PNG IEND, the RIFF size) was
 * reached; bytes after it are ignored. */
gboolean      cin_image_scan_is_complete     (CinImageScan   *self);
const char   *cin_image_scan_get_problem     (CinImageScan   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinImageScan, cin_image_scan_free)

G_END_DECLS
