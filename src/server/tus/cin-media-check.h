/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cin-media-sniff.h"

G_BEGIN_DECLS

/* Whether a whole file is all there: its container's own structure (PNG
 * chunks up to IEND, JPEG segments up to EOI, MP4 boxes and a 'moov',
 * the Matroska segment size, the RIFF size, whole transport-stream
 * packets) must fit in the bytes received. This catches a file cut short
 * before it was uploaded, which a checksum of the cut file cannot. It does
 * not decode pictures. Reads with pread(), so it may run on any thread. */

#define CIN_MEDIA_ERROR (cin_media_error_quark ())

typedef enum {
  CIN_MEDIA_ERROR_TRUNCATED,  /* the structure runs past the end of the file */
  CIN_MEDIA_ERROR_DAMAGED,    /* the structure makes no sense */
  CIN_MEDIA_ERROR_IO,
} CinMediaError;

GQuark    cin_media_error_quark      (void);

gboolean  cin_media_check_complete   (int              fd,
                                      guint64          size,
                                      CinMediaFormat   format,
                                      GError         **error);

G_END_DECLS
