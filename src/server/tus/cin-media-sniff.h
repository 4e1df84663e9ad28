/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a file is, told from its first bytes (its magic numbers), never
 * from its name: the server takes photos and videos only, and a file named
 * "cat.jpg" may be anything. */

typedef enum {
  CIN_MEDIA_KIND_NONE,
  CIN_MEDIA_KIND_PHOTO,
  CIN_MEDIA_KIND_VIDEO,
} CinMediaKind;

typedef enum {
  CIN_MEDIA_FORMAT_UNKNOWN,
  CIN_MEDIA_FORMAT_JPEG,
  CIN_MEDIA_FORMAT_PNG,
  CIN_MEDIA_FORMAT_WEBP,
  CIN_MEDIA_FORMAT_HEIF,      /* HEIC/AVIF stills: a photo the platform does not take */
  CIN_MEDIA_FORMAT_MP4,       /* ISO base media: mp4, 3gp */
  CIN_MEDIA_FORMAT_M4V,
  CIN_MEDIA_FORMAT_MOV,
  CIN_MEDIA_FORMAT_MATROSKA,
  CIN_MEDIA_FORMAT_WEBM,
  CIN_MEDIA_FORMAT_MPEG_PS,
  CIN_MEDIA_FORMAT_MPEG_TS,
} CinMediaFormat;

/* Every signature below is decided within this many first bytes. Give
 * cin_media_sniff() this many, or the whole file when it is shorter. */
#define CIN_MEDIA_SNIFF_BYTES 4096

CinMediaFormat  cin_media_sniff                  (const guint8   *head,
                                                  gsize           head_len);

CinMediaKind    cin_media_format_get_kind        (CinMediaFormat  format);
/* "image/jpeg", "video/mp4", …; "application/octet-stream" for UNKNOWN. */
const char     *cin_media_format_get_mime        (CinMediaFormat  format);
/* The name the rules file uses in "photos.formats" ("jpeg", "png", "webp",
 * "heif", "mp4", …), also the file name extension the server stores it
 * under (except "jpeg", stored as ".jpg"). */
const char     *cin_media_format_get_name        (CinMediaFormat  format);
const char     *cin_media_format_get_extension   (CinMediaFormat  format);
/* The format with that name, or UNKNOWN. */
CinMediaFormat  cin_media_format_from_name       (const char     *name);

G_END_DECLS
