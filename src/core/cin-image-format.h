/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The photo formats Cinnabar imports, told apart by their first bytes,
 * never by a file's name. */

typedef enum {
  CIN_IMAGE_FORMAT_UNKNOWN,
  CIN_IMAGE_FORMAT_JPEG,
  CIN_IMAGE_FORMAT_PNG,
  CIN_IMAGE_FORMAT_WEBP,
  CIN_IMAGE_FORMAT_HEIF,  /* HEIC and other HEVC-coded HEIF, as iPhones save */
} CinImageFormat;

/* Enough leading bytes for cin_image_format_sniff() to decide. */
#define CIN_IMAGE_SNIFF_BYTES 64

CinImageFormat  cin_image_format_sniff          (const guint8   *data,
                                                 gsize           len);
/* "image/jpeg", "image/png", "image/webp", "image/heic"; NULL for unknown. */
const char     *cin_image_format_get_mime       (CinImageFormat  format);
/* The stored file's extension: "jpg", "png", "webp", "heic". */
const char     *cin_image_format_get_extension  (CinImageFormat  format);
CinImageFormat  cin_image_format_from_mime      (const char     *mime);

/* Where a profile keeps a photo: <media_dir>/<sha256>.<extension of mime>
 * (the JPEG extension for a type it does not know). */
char           *cin_image_format_get_photo_path (const char     *media_dir,
                                                 const char     *sha256,
                                                 const char     *mime);

G_END_DECLS
