/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-texture-cache"

#include "cin-texture-cache.h"

typedef struct {
  char       *key;
  GdkTexture *texture;
  gsize       bytes;
} Entry;

struct _CinTextureCache
{
  gsize       max_bytes;
  gsize       bytes;
  GQueue      entries;  /* of Entry, most recently used first */
  GHashTable *links;    /* key → its GList link in entries */
};

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_object_unref (entry->texture);
  g_free (entry);
}

CinTextureCache *
cin_texture_cache_new (gsize max_bytes)
{
  CinTextureCache *self = g_new0 (CinTextureCache, 1);

  self->max_bytes = max_bytes;
  g_queue_init (&self->entries);
  self->links = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
cin_texture_cache_free (CinTextureCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_destroy (self->links);
  g_queue_clear_full (&self->entries, (GDestroyNotify)entry_free);
  g_free (self);
}

GdkTexture *
cin_texture_cache_lookup (CinTextureCache *self,
                          const char      *key)
{
  GList *link = g_hash_table_lookup (self->links, key);

  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->entries, link);
  g_queue_push_head_link (&self->entries, link);
  return ((Entry *)link->data)->texture;
}

static void
remove_link (CinTextureCache *self,
             GList           *link)
{
  Entry *entry = link->data;

  g_hash_table_remove (self->links, entry->key);
  g_queue_delete_link (&self->entries, link);
  self->bytes -= entry->bytes;
  entry_free (entry);
}

void
cin_texture_cache_insert (CinTextureCache *self,
                          const char      *key,
                          GdkTexture      *texture)
{
  GList *link = g_hash_table_lookup (self->links, key);
  Entry *entry;

  g_return_if_fail (GDK_IS_TEXTURE (texture));

  if (link != NULL)
    remove_link (self, link);

  entry = g_new0 (Entry, 1);
  entry->key = g_strdup (key);
  entry->texture = g_object_ref (texture);
  entry->bytes = (gsize)gdk_texture_get_width (texture) * (gsize)gdk_texture_get_height (texture) * 4;
  if (entry->bytes > self->max_bytes)
    {
      entry_free (entry);
      return;
    }

  g_queue_push_head (&self->entries, entry);
  g_hash_table_insert (self->links, entry->key, self->entries.head);
  self->bytes += entry->bytes;

  while (self->bytes > self->max_bytes)
    remove_link (self, self->entries.tail);
}
