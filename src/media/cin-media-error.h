/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Why a photo could not be imported, thumbnailed or prepared for upload.
 * Every message is translated, names the file as a person knows it, and
 * says what to do. */

#define CIN_MEDIA_ERROR (cin_media_error_quark ())

typedef enum {
  CIN_MEDIA_ERROR_NOT_FOUND,          /* gone between choosing and copying */
  CIN_MEDIA_ERROR_UNREADABLE,         /* a folder, no permission, a read error */
  CIN_MEDIA_ERROR_EMPTY,              /* zero bytes */
  CIN_MEDIA_ERROR_TOO_LARGE,          /* more bytes than the platform takes */
  CIN_MEDIA_ERROR_TOO_MANY_PIXELS,    /* its header claims more than we decode */
  CIN_MEDIA_ERROR_UNSUPPORTED_FORMAT, /* by content not JPEG, PNG, WebP or HEIC */
  CIN_MEDIA_ERROR_NO_DECODER,         /* HEIC without libheif, WebP without its loader */
  CIN_MEDIA_ERROR_TRUNCATED,          /* the file ends before the image does */
  CIN_MEDIA_ERROR_CORRUPT,            /* the image data does not decode */
  CIN_MEDIA_ERROR_NO_SPACE,           /* the disk is full */
  CIN_MEDIA_ERROR_STORE_FAILED,       /* writing a copy failed otherwise */
  CIN_MEDIA_ERROR_MISSING,            /* a stored photo is gone from the media dir */
} CinMediaError;

GQuark cin_media_error_quark (void);

G_END_DECLS
