/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

/* The thumbnails shown lately, kept in memory up to a budget of bytes and
 * dropped least recently used first, so scrolling back or reopening a
 * draft shows them in the same frame. One thread only. */

typedef struct _CinTextureCache CinTextureCache;

CinTextureCache *cin_texture_cache_new    (gsize            max_bytes);
void             cin_texture_cache_free   (CinTextureCache *self);

/* Borrowed; NULL when not kept. */
GdkTexture      *cin_texture_cache_lookup (CinTextureCache *self,
                                           const char      *key);
void             cin_texture_cache_insert (CinTextureCache *self,
                                           const char      *key,
                                           GdkTexture      *texture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinTextureCache, cin_texture_cache_free)

G_END_DECLS
