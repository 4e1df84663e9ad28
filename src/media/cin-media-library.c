/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-library"

#include <errno.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "cin-image-format.h"
#include "cin-image-reader.h"
#include "cin-media-library-private.h"
#include "cin-paths.h"

/* Thumbnails kept in memory: about 170 of the composer's 360-pixel ones. */
#define TEXTURE_CACHE_BYTES (64 * 1024 * 1024)
/* Imports syncing their copies at once; the disk, not the CPU, bounds it. */
#define DISK_THREADS 4

G_DEFINE_FINAL_TYPE (CinMediaLibrary, cin_media_library, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MEDIA_DIR,
  PROP_THUMBNAIL_DIR,
  PROP_MAX_BYTES,
  PROP_MAX_PIXELS,
  PROP_IMPORT_THUMBNAIL_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
run_job (gpointer data,
         gpointer user_data)
{
  CinMediaJob *job = data;

  job->run (job);
}

/* The background pool's one thread is its own (exclusive), so lowering its
 * priority (Linux sets it per thread) touches nothing else. */
static void
run_background_job (gpointer data,
                    gpointer user_data)
{
  static GPrivate lowered = G_PRIVATE_INIT (NULL);
  CinMediaJob *job = data;

  if (g_private_get (&lowered) == NULL)
    {
      if (setpriority (PRIO_PROCESS, 0, 19) != 0)
        g_debug ("Could not lower the background thread's priority: %s", g_strerror (errno));
      g_private_set (&lowered, GINT_TO_POINTER (TRUE));
    }
  job->run (job);
}

static void
cin_media_library_constructed (GObject *object)
{
  CinMediaLibrary *self = CIN_MEDIA_LIBRARY (object);

  G_OBJECT_CLASS (cin_media_library_parent_class)->constructed (object);

  g_assert (self->media_dir != NULL && self->thumbnail_dir != NULL);

  /* Decoding is all CPU: one thread per core keeps them all busy without
   * photos fighting over caches. Never fails when not exclusive. */
  self->pool = g_thread_pool_new (run_job, self, (int)g_get_num_processors (), FALSE, NULL);
  self->disk_pool = g_thread_pool_new (run_job, self, DISK_THREADS, FALSE, NULL);
  self->background_pool = g_thread_pool_new (run_background_job, self, 1, TRUE, NULL);
}

static void
cin_media_library_finalize (GObject *object)
{
  CinMediaLibrary *self = CIN_MEDIA_LIBRARY (object);

  /* Every job holds a reference, so the pool is idle by now. */
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_thread_pool_free (self->disk_pool, TRUE, TRUE);
  g_thread_pool_free (self->background_pool, TRUE, TRUE);
  g_clear_pointer (&self->thumbnail_jobs, g_hash_table_unref);
  g_clear_pointer (&self->textures, cin_texture_cache_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->media_dir, g_free);
  g_clear_pointer (&self->thumbnail_dir, g_free);

  G_OBJECT_CLASS (cin_media_library_parent_class)->finalize (object);
}

static void
cin_media_library_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CinMediaLibrary *self = CIN_MEDIA_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_MEDIA_DIR:
      g_value_set_string (value, self->media_dir);
      break;
    case PROP_THUMBNAIL_DIR:
      g_value_set_string (value, self->thumbnail_dir);
      break;
    case PROP_MAX_BYTES:
      g_value_set_uint64 (value, self->max_bytes);
      break;
    case PROP_MAX_PIXELS:
      g_value_set_uint64 (value, self->max_pixels);
      break;
    case PROP_IMPORT_THUMBNAIL_SIZE:
      g_value_set_uint (value, self->import_thumbnail_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_media_library_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CinMediaLibrary *self = CIN_MEDIA_LIBRARY (object);

  switch (prop_id)
    {
    case PROP_MEDIA_DIR:
      self->media_dir = g_value_dup_string (value);
      break;
    case PROP_THUMBNAIL_DIR:
      self->thumbnail_dir = g_value_dup_string (value);
      break;
    case PROP_MAX_BYTES:
      cin_media_library_set_max_bytes (self, g_value_get_uint64 (value));
      break;
    case PROP_MAX_PIXELS:
      cin_media_library_set_max_pixels (self, g_value_get_uint64 (value));
      break;
    case PROP_IMPORT_THUMBNAIL_SIZE:
      cin_media_library_set_import_thumbnail_size (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_media_library_class_init (CinMediaLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cin_media_library_constructed;
  object_class->finalize = cin_media_library_finalize;
  object_class->get_property = cin_media_library_get_property;
  object_class->set_property = cin_media_library_set_property;

  properties[PROP_MEDIA_DIR] =
    g_param_spec_string ("media-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THUMBNAIL_DIR] =
    g_param_spec_string ("thumbnail-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BYTES] =
    g_param_spec_uint64 ("max-bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_PIXELS] =
    g_param_spec_uint64 ("max-pixels", NULL, NULL, 1, G_MAXUINT64, CIN_MEDIA_DEFAULT_MAX_PIXELS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMPORT_THUMBNAIL_SIZE] =
    g_param_spec_uint ("import-thumbnail-size", NULL, NULL, 0, G_MAXUINT16,
                       CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_media_library_init (CinMediaLibrary *self)
{
  self->max_pixels = CIN_MEDIA_DEFAULT_MAX_PIXELS;
  self->import_thumbnail_size = CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE;
  self->context = g_main_context_ref_thread_default ();
  self->thumbnail_jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->textures = cin_texture_cache_new (TEXTURE_CACHE_BYTES);
}

CinMediaLibrary *
cin_media_library_new (const char *media_dir,
                       const char *thumbnail_dir)
{
  g_return_val_if_fail (media_dir != NULL, NULL);
  g_return_val_if_fail (thumbnail_dir != NULL, NULL);

  return g_object_new (CIN_TYPE_MEDIA_LIBRARY,
                       "media-dir", media_dir,
                       "thumbnail-dir", thumbnail_dir,
                       NULL);
}

CinMediaLibrary *
cin_media_library_new_for_profile (const char *profile)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *media_dir = NULL;

  g_return_val_if_fail (profile != NULL, NULL);

  profile_dir = cin_paths_get_profile_dir (profile);
  media_dir = g_build_filename (profile_dir, "media", NULL);
  return cin_media_library_new_for_media_dir (media_dir);
}

CinMediaLibrary *
cin_media_library_new_for_media_dir (const char *media_dir)
{
  g_autofree char *thumbnail_dir = g_build_filename (g_get_user_cache_dir (), "cinnabar",
                                                      "thumbnails", NULL);

  g_return_val_if_fail (media_dir != NULL, NULL);

  return cin_media_library_new (media_dir, thumbnail_dir);
}

const char *
cin_media_library_get_media_dir (CinMediaLibrary *self)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  return self->media_dir;
}

const char *
cin_media_library_get_thumbnail_dir (CinMediaLibrary *self)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  return self->thumbnail_dir;
}

guint64
cin_media_library_get_max_bytes (CinMediaLibrary *self)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), 0);
  return self->max_bytes;
}

void
cin_media_library_set_max_bytes (CinMediaLibrary *self,
                                 guint64          max_bytes)
{
  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));

  if (self->max_bytes == max_bytes)
    return;
  self->max_bytes = max_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BYTES]);
}

guint64
cin_media_library_get_max_pixels (CinMediaLibrary *self)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), 0);
  return self->max_pixels;
}

void
cin_media_library_set_max_pixels (CinMediaLibrary *self,
                                  guint64          max_pixels)
{
  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (max_pixels > 0);

  if (self->max_pixels == max_pixels)
    return;
  self->max_pixels = max_pixels;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PIXELS]);
}

guint
cin_media_library_get_import_thumbnail_size (CinMediaLibrary *self)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), 0);
  return self->import_thumbnail_size;
}

void
cin_media_library_set_import_thumbnail_size (CinMediaLibrary *self,
                                             guint            size)
{
  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));

  if (self->import_thumbnail_size == size)
    return;
  self->import_thumbnail_size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORT_THUMBNAIL_SIZE]);
}

void
cin_media_library_apply_rules (CinMediaLibrary *self,
                               CinRules        *rules)
{
  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (rules != NULL);

  cin_media_library_set_max_bytes (self, cin_rules_get_photo_max_bytes (rules));
}

char *
cin_media_library_get_photo_path (CinMediaLibrary *self,
                                  const char      *sha256,
                                  const char      *mime)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);
  g_return_val_if_fail (cin_image_format_from_mime (mime) != CIN_IMAGE_FORMAT_UNKNOWN, NULL);

  return cin_image_format_get_photo_path (self->media_dir, sha256, mime);
}

void
cin_media_thumbnail_size_for (guint  width,
                              guint  height,
                              guint  size,
                              guint *thumbnail_width,
                              guint *thumbnail_height)
{
  g_return_if_fail (thumbnail_width != NULL && thumbnail_height != NULL);

  cin_image_fit_size (width, height, size, thumbnail_width, thumbnail_height);
}

void
_cin_media_library_push (CinMediaLibrary *self,
                         CinMediaJob     *job)
{
  g_thread_pool_push (self->pool, job, NULL);
}

void
_cin_media_library_push_disk (CinMediaLibrary *self,
                              CinMediaJob     *job)
{
  g_thread_pool_push (self->disk_pool, job, NULL);
}

void
_cin_media_library_deliver (CinMediaLibrary *self,
                            GSourceFunc      func,
                            gpointer         data)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  /* Not g_main_context_invoke(): from a worker it may run @func right
   * there when the context is free. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[cin-media] deliver");
  g_source_attach (source, self->context);
}

char *
_cin_media_thumbnail_key (guint       size,
                          const char *sha256)
{
  return g_strdup_printf ("%u/%s", size, sha256);
}

char *
_cin_media_library_get_thumbnail_path (CinMediaLibrary *self,
                                       guint            size,
                                       const char      *sha256,
                                       gboolean         has_alpha)
{
  g_autofree char *size_dir = g_strdup_printf ("%u", size);
  g_autofree char *basename = g_strconcat (sha256, has_alpha ? ".png" : ".jpg", NULL);

  return g_build_filename (self->thumbnail_dir, size_dir, basename, NULL);
}

typedef struct {
  CinMediaJob      job;
  CinMediaLibrary *library;
  guint            size;
  char            *sha256;
  GdkPixbuf       *pixbuf;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_clear_object (&job->library);
  g_clear_object (&job->pixbuf);
  g_free (job->sha256);
  g_free (job);
}

/* Back on the library's thread, where its last reference may go. */
static gboolean
save_done_cb (gpointer data)
{
  save_job_free (data);
  return G_SOURCE_REMOVE;
}

static void
run_save (CinMediaJob *base)
{
  SaveJob *job = (SaveJob *)base;
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (job->pixbuf);
  g_autofree char *path = _cin_media_library_get_thumbnail_path (job->library, job->size, job->sha256,
                                                                 has_alpha);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *encoded = NULL;
  gboolean saved;
  gsize len;

  /* JPEG encodes a thumbnail in half a millisecond where PNG takes eight:
   * PNG only where there is transparency to keep. No fsync: a cache file
   * lost in a crash is made again. */
  if (has_alpha)
    saved = gdk_pixbuf_save_to_buffer (job->pixbuf, &encoded, &len, "png", &error,
                                       "compression", "1", NULL);
  else
    saved = gdk_pixbuf_save_to_buffer (job->pixbuf, &encoded, &len, "jpeg", &error,
                                       "quality", "92", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 || !saved ||
      !g_file_set_contents_full (path, encoded, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_message ("Could not cache the thumbnail %s: %s", path,
               error != NULL ? error->message : g_strerror (errno));

  _cin_media_library_deliver (job->library, save_done_cb, job);
}

void
_cin_media_library_save_thumbnail (CinMediaLibrary *self,
                                   guint            size,
                                   const char      *sha256,
                                   GdkPixbuf       *pixbuf)
{
  SaveJob *job = g_new0 (SaveJob, 1);

  job->job.run = run_save;
  job->library = g_object_ref (self);
  job->size = size;
  job->sha256 = g_strdup (sha256);
  job->pixbuf = g_object_ref (pixbuf);
  g_thread_pool_push (self->background_pool, job, NULL);
}

void
_cin_media_library_remember_thumbnail (CinMediaLibrary *self,
                                       const char      *key,
                                       GdkTexture      *texture)
{
  cin_texture_cache_insert (self->textures, key, texture);
}

GdkTexture *
cin_media_library_peek_thumbnail (CinMediaLibrary *self,
                                  const char      *sha256,
                                  guint            size)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  key = _cin_media_thumbnail_key (size, sha256);
  return cin_texture_cache_lookup (self->textures, key);
}

guint
_cin_media_library_get_thumbnails_decoded (CinMediaLibrary *self)
{
  return (guint)g_atomic_int_get (&self->thumbnails_decoded);
}

guint
_cin_media_library_get_thumbnails_loaded (CinMediaLibrary *self)
{
  return (guint)g_atomic_int_get (&self->thumbnails_loaded);
}
