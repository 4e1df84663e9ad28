/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* HEIC photos, as iPhones take them, decoded with libheif (optional at
 * build time; GdkPixbuf's own HEIF loader may or may not be installed, so
 * it is not relied on). HEIF carries its orientation as transformations
 * of the image, which libheif applies, not as Exif. */

/* Whether this build can decode HEIC. */
gboolean   cin_heif_is_available (void);

/* The primary image of the HEIF file at @path as displayed, fitting @size
 * × @size (0: full size, with its colour profile as the "icc-profile"
 * option), and its full displayed size. Refuses more than @max_pixels
 * before decoding. Without libheif: CIN_MEDIA_ERROR_NO_DECODER. Blocking. */
GdkPixbuf *cin_heif_decode       (const char  *path,
                                  const char  *name,
                                  guint        size,
                                  guint64      max_pixels,
                                  guint       *width,
                                  guint       *height,
                                  GError     **error);

G_END_DECLS
