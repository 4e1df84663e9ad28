/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "cin-image-format.h"

G_BEGIN_DECLS

/* Decodes a JPEG, PNG or WebP fed to it in pieces, at the size it will be
 * shown: JPEG decodes straight to about that size (libjpeg scales while it
 * decodes, CinJpegDecoder), so a thumbnail of a 12-megapixel photo never
 * holds the full image; PNG and WebP go through GdkPixbuf's loaders. Each piece is checked by a CinImageScan before the decoder sees
 * it, so a header claiming too many pixels is refused before anything is
 * allocated for them, and a file that ends early is refused although
 * GdkPixbuf would show it. Blocking: for worker threads. */

typedef struct _CinImageReader CinImageReader;

/* @name: the file's display name, for messages. @size: the longest side
 * wanted, never enlarged; 0 for the full size. */
CinImageReader *cin_image_reader_new              (CinImageFormat   format,
                                                   const char      *name,
                                                   guint            size,
                                                   guint64          max_pixels);
void            cin_image_reader_free             (CinImageReader  *self);

gboolean        cin_image_reader_feed             (CinImageReader  *self,
                                                   const guint8    *data,
                                                   gsize            len,
                                                   GError         **error);
/* After the last piece: the photo as it is meant to be seen (orientation
 * applied), fitting @size × @size. */
GdkPixbuf      *cin_image_reader_finish           (CinImageReader  *self,
                                                   GError         **error);

/* The full size as displayed, and the Exif orientation, once known. */
guint           cin_image_reader_get_width        (CinImageReader  *self);
guint           cin_image_reader_get_height       (CinImageReader  *self);
guint           cin_image_reader_get_orientation  (CinImageReader  *self);
/* Whether any byte reached GdkPixbuf's decoder. */
gboolean        cin_image_reader_has_started      (CinImageReader  *self);

/* The size of @width × @height shrunk to fit @size × @size, aspect kept,
 * at least 1 × 1; unchanged when it already fits or @size is 0. */
void            cin_image_fit_size                (guint            width,
                                                   guint            height,
                                                   guint            size,
                                                   guint           *fit_width,
                                                   guint           *fit_height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinImageReader, cin_image_reader_free)

G_END_DECLS
