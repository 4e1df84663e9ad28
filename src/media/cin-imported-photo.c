/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-imported-photo"

#include "cin-imported-photo.h"

struct _CinImportedPhoto
{
  gatomicrefcount  ref_count;

  char            *sha256;
  char            *path;
  char            *mime;
  char            *name;
  guint            width;
  guint            height;
  guint            orientation;
  guint64          size;
};

G_DEFINE_BOXED_TYPE (CinImportedPhoto, cin_imported_photo,
                     cin_imported_photo_ref, cin_imported_photo_unref)

CinImportedPhoto *
cin_imported_photo_new (const char *sha256,
                        const char *path,
                        const char *mime,
                        const char *name,
                        guint       width,
                        guint       height,
                        guint       orientation,
                        guint64     size)
{
  CinImportedPhoto *self;

  g_return_val_if_fail (sha256 != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (mime != NULL, NULL);
  g_return_val_if_fail (name != NULL && g_utf8_validate (name, -1, NULL), NULL);

  self = g_new0 (CinImportedPhoto, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->sha256 = g_strdup (sha256);
  self->path = g_strdup (path);
  self->mime = g_strdup (mime);
  self->name = g_strdup (name);
  self->width = width;
  self->height = height;
  self->orientation = orientation;
  self->size = size;
  return self;
}

CinImportedPhoto *
cin_imported_photo_ref (CinImportedPhoto *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cin_imported_photo_unref (CinImportedPhoto *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->sha256);
  g_free (self->path);
  g_free (self->mime);
  g_free (self->name);
  g_free (self);
}

#define DEFINE_GETTER(type, name, fallback)                       \
  type                                                            \
  cin_imported_photo_get_##name (const CinImportedPhoto *self)    \
  {                                                               \
    g_return_val_if_fail (self != NULL, fallback);                \
    return self->name;                                            \
  }

DEFINE_GETTER (const char *, sha256, NULL)
DEFINE_GETTER (const char *, path, NULL)
DEFINE_GETTER (const char *, mime, NULL)
DEFINE_GETTER (const char *, name, NULL)
DEFINE_GETTER (guint, width, 0)
DEFINE_GETTER (guint, height, 0)
DEFINE_GETTER (guint, orientation, 1)
DEFINE_GETTER (guint64, size, 0)

double
cin_imported_photo_get_aspect_ratio (const CinImportedPhoto *self)
{
  g_return_val_if_fail (self != NULL, 1.0);

  return self->height > 0 ? (double)self->width / self->height : 1.0;
}

CinPhoto *
cin_imported_photo_to_photo (const CinImportedPhoto *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cin_photo_new (self->sha256, self->mime, self->width, self->height);
}
