/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo-source"

#include "cin-photo-source.h"

void
cin_photo_source_set (CinPhotoSource        *source,
                      CinPhotoPaintableFunc  func,
                      gpointer               data,
                      GDestroyNotify         destroy)
{
  cin_photo_source_clear (source);
  source->func = func;
  source->data = data;
  source->destroy = destroy;
}

void
cin_photo_source_clear (CinPhotoSource *source)
{
  GDestroyNotify destroy = source->destroy;
  gpointer data = source->data;

  *source = (CinPhotoSource) { NULL, NULL, NULL };
  if (destroy != NULL)
    destroy (data);
}

GdkPaintable *
cin_photo_source_paint (CinPhotoSource *source,
                        CinPhoto       *photo,
                        int             size)
{
  return source->func != NULL ? source->func (photo, size, source->data) : NULL;
}
