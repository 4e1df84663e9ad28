/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one byte range of a "Range: bytes=…" request header that the media
 * download answers with 206. Anything else the server may ignore by
 * RFC 9110 §14.2 (another unit, several ranges, bad syntax) is answered
 * with the whole file. */

typedef enum {
  CIN_HTTP_RANGE_WHOLE,          /* no usable Range: send everything, 200 */
  CIN_HTTP_RANGE_PARTIAL,        /* send [first, last], 206 */
  CIN_HTTP_RANGE_UNSATISFIABLE,  /* 416 with "Content-Range: bytes * / size" */
} CinHttpRange;

CinHttpRange  cin_http_range_parse  (const char *header,
                                     guint64     size,
                                     guint64    *first,
                                     guint64    *last);

G_END_DECLS
