/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>

#include "cin-photo.h"

G_BEGIN_DECLS

/* Where a widget that shows photos gets them drawn from: a function and
 * its data, which the window sets once the media library exists. */

/* A paintable showing @photo, cropped as the feed crops it, about @size
 * pixels on its long side; it may draw a placeholder until it is loaded. */
typedef GdkPaintable *(*CinPhotoPaintableFunc) (CinPhoto *photo,
                                                int       size,
                                                gpointer  user_data);

typedef struct {
  CinPhotoPaintableFunc func;
  gpointer              data;
  GDestroyNotify        destroy;
} CinPhotoSource;

/* Replaces what @source held, letting go of the old data. */
void          cin_photo_source_set   (CinPhotoSource        *source,
                                      CinPhotoPaintableFunc  func,
                                      gpointer               data,
                                      GDestroyNotify         destroy);
void          cin_photo_source_clear (CinPhotoSource        *source);
/* NULL while there is no function yet. */
GdkPaintable *cin_photo_source_paint (CinPhotoSource        *source,
                                      CinPhoto              *photo,
                                      int                    size);

G_END_DECLS
