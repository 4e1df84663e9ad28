/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo-paintable"

#include "cin-photo-paintable.h"

struct _CinPhotoPaintable
{
  GObject       parent_instance;

  CinPhoto     *photo;
  GdkTexture   *texture;      /* (nullable) until loaded */
  GError       *error;        /* (nullable) */
  GCancellable *cancellable;
  int           width;        /* intrinsic: the crop's shape at the size asked */
  int           height;
};

static void cin_photo_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CinPhotoPaintable, cin_photo_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, cin_photo_paintable_iface_init))

static void
snapshot (GdkPaintable *paintable,
          GdkSnapshot  *snapshot,
          double        width,
          double        height)
{
  CinPhotoPaintable *self = CIN_PHOTO_PAINTABLE (paintable);
  guint crop_x, crop_y, crop_w, crop_h;
  double scale_x, scale_y;
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, 0, width, height);

  if (self->texture == NULL)
    {
      GdkRGBA grey = { 0.5, 0.5, 0.5, 0.15 };

      gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &grey, &bounds);
      return;
    }

  /* The crop is in the photo's displayed pixels; the thumbnail is the
   * whole photo, smaller. Draw the whole thumbnail scaled so the crop
   * fills the area, clipped to it. */
  cin_photo_get_crop_rect (self->photo, &crop_x, &crop_y, &crop_w, &crop_h);
  if (crop_w == 0 || crop_h == 0)
    return;
  scale_x = width / crop_w;
  scale_y = height / crop_h;

  gtk_snapshot_push_clip (GTK_SNAPSHOT (snapshot), &bounds);
  gtk_snapshot_append_texture (GTK_SNAPSHOT (snapshot), self->texture,
                               &GRAPHENE_RECT_INIT (-(double)crop_x * scale_x,
                                                    -(double)crop_y * scale_y,
                                                    cin_photo_get_width (self->photo) * scale_x,
                                                    cin_photo_get_height (self->photo) * scale_y));
  gtk_snapshot_pop (GTK_SNAPSHOT (snapshot));
}

static int
get_intrinsic_width (GdkPaintable *paintable)
{
  return CIN_PHOTO_PAINTABLE (paintable)->width;
}

static int
get_intrinsic_height (GdkPaintable *paintable)
{
  return CIN_PHOTO_PAINTABLE (paintable)->height;
}

static void
cin_photo_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = snapshot;
  iface->get_intrinsic_width = get_intrinsic_width;
  iface->get_intrinsic_height = get_intrinsic_height;
}

static void
cin_photo_paintable_dispose (GObject *object)
{
  CinPhotoPaintable *self = CIN_PHOTO_PAINTABLE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->texture);

  G_OBJECT_CLASS (cin_photo_paintable_parent_class)->dispose (object);
}

static void
cin_photo_paintable_finalize (GObject *object)
{
  CinPhotoPaintable *self = CIN_PHOTO_PAINTABLE (object);

  g_clear_pointer (&self->photo, cin_photo_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cin_photo_paintable_parent_class)->finalize (object);
}

static void
cin_photo_paintable_class_init (CinPhotoPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cin_photo_paintable_dispose;
  object_class->finalize = cin_photo_paintable_finalize;
}

static void
cin_photo_paintable_init (CinPhotoPaintable *self)
{
  self->cancellable = g_cancellable_new ();
}

static void
thumbnail_loaded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CinPhotoPaintable) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = cin_media_library_load_thumbnail_finish (CIN_MEDIA_LIBRARY (object),
                                                                           result, &error);

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("No thumbnail for %s: %s", cin_photo_get_sha256 (self->photo), error->message);
          self->error = g_steal_pointer (&error);
        }
      return;
    }

  g_set_object (&self->texture, texture);
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

GdkPaintable *
cin_photo_paintable_new (CinMediaLibrary *library,
                         CinPhoto        *photo,
                         int              size)
{
  CinPhotoPaintable *self;
  guint crop_w, crop_h;
  double scale;

  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (library), NULL);
  g_return_val_if_fail (photo != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  self = g_object_new (CIN_TYPE_PHOTO_PAINTABLE, NULL);
  self->photo = cin_photo_ref (photo);

  cin_photo_get_crop_rect (photo, NULL, NULL, &crop_w, &crop_h);
  scale = crop_w > 0 && crop_h > 0 ? (double)size / MAX (crop_w, crop_h) : 1.0;
  self->width = MAX (1, (int)(crop_w * scale + 0.5));
  self->height = MAX (1, (int)(crop_h * scale + 0.5));

  /* The thumbnail must cover the crop at @size, so the whole photo is
   * asked for a little larger when the crop takes only part of it, at one
   * of a few sizes, so every view shares the thumbnails the import made. */
  {
    guint full = MAX (cin_photo_get_width (photo), cin_photo_get_height (photo));
    guint wanted = (guint)MIN ((double)G_MAXINT, full * scale + 0.5);
    GdkTexture *ready;

    wanted = wanted <= CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE ? CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE
           : wanted <= 2 * CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE ? 2 * CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE
           : 4 * CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE;
    ready = cin_media_library_peek_thumbnail (library, cin_photo_get_sha256 (photo), wanted);
    if (ready != NULL)
      self->texture = g_object_ref (ready);
    else
      cin_media_library_load_thumbnail_async (library, cin_photo_get_sha256 (photo),
                                              cin_photo_get_mime (photo), wanted,
                                              self->cancellable, thumbnail_loaded_cb,
                                              g_object_ref (self));
  }

  return GDK_PAINTABLE (self);
}

gboolean
cin_photo_paintable_is_loaded (CinPhotoPaintable *self)
{
  g_return_val_if_fail (CIN_IS_PHOTO_PAINTABLE (self), FALSE);
  return self->texture != NULL;
}

const GError *
cin_photo_paintable_get_error (CinPhotoPaintable *self)
{
  g_return_val_if_fail (CIN_IS_PHOTO_PAINTABLE (self), NULL);
  return self->error;
}

GdkPaintable *
cin_photo_paintable_for_library (CinPhoto *photo,
                                 int       size,
                                 gpointer  library)
{
  return cin_photo_paintable_new (CIN_MEDIA_LIBRARY (library), photo, size);
}
