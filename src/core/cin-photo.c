/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo"

#include <math.h>
#include <string.h>

#include "cin-photo.h"

struct _CinPhoto
{
  gatomicrefcount  ref_count;

  char            *id;
  char            *sha256;
  char            *mime;
  char            *alt_text;
  guint            width;
  guint            height;
  CinCropAspect    crop;
  double           crop_x;
  double           crop_y;
};

G_DEFINE_BOXED_TYPE (CinPhoto, cin_photo, cin_photo_ref, cin_photo_unref)

static const char * const crop_names[] = {
  [CIN_CROP_NONE] = "none",
  [CIN_CROP_3_4] = "3:4",
  [CIN_CROP_1_1] = "1:1",
  [CIN_CROP_4_3] = "4:3",
};

static double
clamp_position (double value)
{
  return isfinite (value) ? CLAMP (value, 0.0, 1.0) : 0.5;
}

CinPhoto *
cin_photo_new_full (const char    *id,
                    const char    *sha256,
                    const char    *mime,
                    guint          width,
                    guint          height,
                    CinCropAspect  crop,
                    double         crop_x,
                    double         crop_y,
                    const char    *alt_text)
{
  CinPhoto *self;

  g_return_val_if_fail (sha256 != NULL, NULL);
  g_return_val_if_fail (mime != NULL, NULL);
  g_return_val_if_fail (crop <= CIN_CROP_4_3, NULL);

  self = g_new0 (CinPhoto, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  self->sha256 = g_strdup (sha256);
  self->mime = g_strdup (mime);
  self->alt_text = g_strdup (alt_text != NULL ? alt_text : "");
  self->width = width;
  self->height = height;
  self->crop = crop;
  self->crop_x = clamp_position (crop_x);
  self->crop_y = clamp_position (crop_y);

  return self;
}

CinPhoto *
cin_photo_new (const char *sha256,
               const char *mime,
               guint       width,
               guint       height)
{
  return cin_photo_new_full (NULL, sha256, mime, width, height, CIN_CROP_NONE, 0.5, 0.5, NULL);
}

CinPhoto *
cin_photo_ref (CinPhoto *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cin_photo_unref (CinPhoto *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->sha256);
  g_free (self->mime);
  g_free (self->alt_text);
  g_free (self);
}

#define DEFINE_GETTER(type, name, fallback)             \
  type                                                  \
  cin_photo_get_##name (const CinPhoto *self)           \
  {                                                     \
    g_return_val_if_fail (self != NULL, fallback);      \
    return self->name;                                  \
  }

DEFINE_GETTER (const char *, id, NULL)
DEFINE_GETTER (const char *, sha256, NULL)
DEFINE_GETTER (const char *, mime, NULL)
DEFINE_GETTER (guint, width, 0)
DEFINE_GETTER (guint, height, 0)
DEFINE_GETTER (CinCropAspect, crop, CIN_CROP_NONE)
DEFINE_GETTER (double, crop_x, 0.5)
DEFINE_GETTER (double, crop_y, 0.5)
DEFINE_GETTER (const char *, alt_text, NULL)

CinPhoto *
cin_photo_with_alt_text (const CinPhoto *self,
                         const char     *alt_text)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cin_photo_new_full (self->id, self->sha256, self->mime, self->width, self->height,
                             self->crop, self->crop_x, self->crop_y, alt_text);
}

CinPhoto *
cin_photo_with_crop (const CinPhoto *self,
                     CinCropAspect   crop,
                     double          crop_x,
                     double          crop_y)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cin_photo_new_full (self->id, self->sha256, self->mime, self->width, self->height,
                             crop, crop_x, crop_y, self->alt_text);
}

CinPhoto *
cin_photo_with_file (const CinPhoto *self,
                     const char     *sha256,
                     const char     *mime)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sha256 != NULL && mime != NULL, NULL);

  return cin_photo_new_full (self->id, sha256, mime, self->width, self->height,
                             self->crop, self->crop_x, self->crop_y, self->alt_text);
}

CinPhoto *
cin_photo_with_new_id (const CinPhoto *self)
{
  g_autofree char *id = g_uuid_string_random ();

  g_return_val_if_fail (self != NULL, NULL);

  return cin_photo_new_full (id, self->sha256, self->mime, self->width, self->height,
                             self->crop, self->crop_x, self->crop_y, self->alt_text);
}

gboolean
cin_photo_equal (const CinPhoto *a,
                 const CinPhoto *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_str_equal (a->id, b->id) && g_str_equal (a->sha256, b->sha256) &&
         g_str_equal (a->mime, b->mime) && g_str_equal (a->alt_text, b->alt_text) &&
         a->width == b->width && a->height == b->height && a->crop == b->crop &&
         a->crop_x == b->crop_x && a->crop_y == b->crop_y;
}

void
cin_photo_get_crop_rect (const CinPhoto *self,
                         guint          *x,
                         guint          *y,
                         guint          *width,
                         guint          *height)
{
  guint num, den;
  guint w, h;

  g_return_if_fail (self != NULL);

  switch (self->crop)
    {
    case CIN_CROP_3_4: num = 3; den = 4; break;
    case CIN_CROP_1_1: num = 1; den = 1; break;
    case CIN_CROP_4_3: num = 4; den = 3; break;
    case CIN_CROP_NONE:
    default:
      num = self->width; den = self->height; break;
    }

  /* The largest window of that shape inside the photo. */
  w = self->width;
  h = den > 0 ? (guint)(((guint64)w * den) / MAX (num, 1)) : self->height;
  if (h > self->height)
    {
      h = self->height;
      w = (guint)(((guint64)h * num) / MAX (den, 1));
    }

  if (x != NULL)
    *x = (guint)lround ((self->width - w) * self->crop_x);
  if (y != NULL)
    *y = (guint)lround ((self->height - h) * self->crop_y);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

const char *
cin_crop_aspect_to_string (CinCropAspect crop)
{
  g_return_val_if_fail (crop <= CIN_CROP_4_3, NULL);
  return crop_names[crop];
}

gboolean
cin_crop_aspect_from_string (const char    *str,
                             CinCropAspect *crop)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (crop_names); i++)
    {
      if (g_str_equal (str, crop_names[i]))
        {
          *crop = i;
          return TRUE;
        }
    }

  return FALSE;
}
