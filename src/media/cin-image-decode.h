/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "cin-image-format.h"

G_BEGIN_DECLS

/* Read chunk for every file Cinnabar streams: large enough that a 20 MB
 * photo takes few system calls, small enough to stay in cache. */
#define CIN_MEDIA_CHUNK_SIZE (256 * 1024)

typedef struct {
  CinImageFormat format;
  guint          width;        /* full size, as displayed */
  guint          height;
  guint          orientation;  /* Exif, 1–8 */
} CinImageInfo;

/* Decodes the photo at @path (any format Cinnabar imports, by content) as
 * displayed, fitting @size × @size (0: full size). A missing file is
 * CIN_MEDIA_ERROR_MISSING. Blocking, for worker threads; @cancellable is
 * checked between chunks. */
GdkPixbuf *cin_image_decode_file (const char     *path,
                                  const char     *name,
                                  guint           size,
                                  guint64         max_pixels,
                                  CinImageInfo   *info,
                                  GCancellable   *cancellable,
                                  GError        **error);

G_END_DECLS
