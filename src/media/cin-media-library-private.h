/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "cin-media-library.h"
#include "cin-texture-cache.h"

G_BEGIN_DECLS

struct _CinMediaLibrary
{
  GObject          parent_instance;

  /* Owned; the paths never change, so workers read them as they are */
  char            *media_dir;
  char            *thumbnail_dir;
  GMainContext    *context;         /* where results are delivered */
  GThreadPool     *pool;            /* decoding: one thread per core */
  GThreadPool     *disk_pool;       /* waiting for fsync */
  GThreadPool     *background_pool; /* one thread at the lowest priority */
  GHashTable      *thumbnail_jobs;  /* key → ThumbnailJob in flight; this thread's */
  CinTextureCache *textures;

  /* Settings, copied into each job when it is queued */
  guint64          max_bytes;
  guint64          max_pixels;
  guint            import_thumbnail_size;

  /* Whether an import has removed what crashed imports left (atomic) */
  int              stale_temp_files_swept;

  /* Counted by workers (atomic), for tests */
  guint            thumbnails_decoded;
  guint            thumbnails_loaded;
};

/* A unit of work for the pool. Each kind embeds this first and frees
 * itself through its delivery on the library's context. */
typedef struct _CinMediaJob CinMediaJob;
struct _CinMediaJob
{
  void (*run) (CinMediaJob *job);
};

void        _cin_media_library_push       (CinMediaLibrary *self,
                                           CinMediaJob     *job);
/* For work that mostly waits for the disk, so decoding never idles
 * behind an fsync. */
void        _cin_media_library_push_disk  (CinMediaLibrary *self,
                                           CinMediaJob     *job);
/* From a worker: calls @func (@data) on the library's context. */
void        _cin_media_library_deliver    (CinMediaLibrary *self,
                                           GSourceFunc      func,
                                           gpointer         data);

/* "<size>/<sha256>": a thumbnail's name in memory, in flight and on disk. */
char       *_cin_media_thumbnail_key      (guint            size,
                                           const char      *sha256);
/* The cache file: <thumbnail dir>/<size>/<sha256>.jpg, or .png for a
 * thumbnail with transparency. */
char       *_cin_media_library_get_thumbnail_path (CinMediaLibrary *self,
                                                   guint            size,
                                                   const char      *sha256,
                                                   gboolean         has_alpha);
/* Any thread: writes the cache file (atomically) later, on a thread at
 * the lowest priority, so decoding what is on screen comes first. A cache
 * that cannot be written only costs a decode next time, so failures are
 * only logged. */
void        _cin_media_library_save_thumbnail     (CinMediaLibrary *self,
                                                   guint            size,
                                                   const char      *sha256,
                                                   GdkPixbuf       *pixbuf);
/* This thread: keeps @texture in memory. */
void        _cin_media_library_remember_thumbnail (CinMediaLibrary *self,
                                                   const char      *key,
                                                   GdkTexture      *texture);

/* For tests: thumbnails decoded from stored photos, and read back from the
 * disk cache, by this library so far. */
guint       _cin_media_library_get_thumbnails_decoded (CinMediaLibrary *self);
guint       _cin_media_library_get_thumbnails_loaded  (CinMediaLibrary *self);

G_END_DECLS
