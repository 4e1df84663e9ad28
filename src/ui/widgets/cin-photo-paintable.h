/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-media-library.h"
#include "cin-photo.h"

G_BEGIN_DECLS

/* A photo of a note as the feed shows it: its thumbnail, cut to the
 * photo's crop. Until the thumbnail is loaded (off the main thread, by the
 * media library) it draws a plain placeholder of the same shape, so
 * layouts never jump. */

#define CIN_TYPE_PHOTO_PAINTABLE (cin_photo_paintable_get_type ())
G_DECLARE_FINAL_TYPE (CinPhotoPaintable, cin_photo_paintable, CIN, PHOTO_PAINTABLE, GObject)

/* @size: the longest side wanted, in device pixels. */
GdkPaintable *cin_photo_paintable_new        (CinMediaLibrary   *library,
                                              CinPhoto          *photo,
                                              int                size);
/* A CinPhotoPaintableFunc whose user data is the CinMediaLibrary. */
GdkPaintable *cin_photo_paintable_for_library (CinPhoto         *photo,
                                               int               size,
                                               gpointer          library);
gboolean      cin_photo_paintable_is_loaded  (CinPhotoPaintable *self);
/* Why the thumbnail could not be loaded, or NULL. */
const GError *cin_photo_paintable_get_error  (CinPhotoPaintable *self);

G_END_DECLS
