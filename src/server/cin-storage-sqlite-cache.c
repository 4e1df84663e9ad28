/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-storage-sqlite-cache"

#include <string.h>

#include "cin-storage-sqlite-private.h"

/* The stored JSON of entity versions, by their change-feed position
 * (seq), most recently used kept, up to a size.
 *
 * A seq names one version of one entity for ever: every put takes a new
 * one from a counter that never goes back, and a row keeps its seq until
 * it changes. So an entry can't go stale and needs no invalidation; the
 * only care is never to keep the JSON of a write that could still roll
 * back (the caller fills the cache only outside write transactions).
 *
 * With it, a page is read from its covering index alone and the JSON
 * taken from here, instead of SQLite reading every entity's row. */

typedef struct {
  gint64  seq;
  GList   link;     /* in recency; data is the entry */
  gsize   size;     /* bytes counted against the limit */
  char    json[];
} Entry;

struct _CinSqliteJsonCache {
  GHashTable *entries;   /* &entry->seq → entry */
  GQueue      recency;   /* most recently used first */
  gsize       bytes;
  gsize       max_bytes;
};

CinSqliteJsonCache *
_cin_sqlite_json_cache_new (gsize max_bytes)
{
  CinSqliteJsonCache *cache = g_new0 (CinSqliteJsonCache, 1);

  cache->entries = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_queue_init (&cache->recency);
  cache->max_bytes = max_bytes;
  return cache;
}

void
_cin_sqlite_json_cache_free (CinSqliteJsonCache *cache)
{
  GList *link;

  if (cache == NULL)
    return;
  while ((link = g_queue_pop_head_link (&cache->recency)) != NULL)
    g_free (link->data);
  g_hash_table_unref (cache->entries);
  g_free (cache);
}

const char *
_cin_sqlite_json_cache_lookup (CinSqliteJsonCache *cache,
                               gint64              seq)
{
  Entry *entry = g_hash_table_lookup (cache->entries, &seq);

  if (entry == NULL)
    return NULL;
  g_queue_unlink (&cache->recency, &entry->link);
  g_queue_push_head_link (&cache->recency, &entry->link);
  return entry->json;
}

const char *
_cin_sqlite_json_cache_insert (CinSqliteJsonCache *cache,
                               gint64              seq,
                               const char         *json)
{
  gsize len = strlen (json);
  Entry *entry = g_hash_table_lookup (cache->entries, &seq);

  if (entry != NULL)
    return entry->json;

  entry = g_malloc (sizeof *entry + len + 1);
  entry->seq = seq;
  entry->link.data = entry;
  entry->link.prev = entry->link.next = NULL;
  /* What the entry costs, roughly: its text, itself and its slot. */
  entry->size = sizeof *entry + len + 1 + 2 * sizeof (gpointer);
  memcpy (entry->json, json, len + 1);
  g_queue_push_head_link (&cache->recency, &entry->link);
  g_hash_table_insert (cache->entries, &entry->seq, entry);
  cache->bytes += entry->size;

  /* Never the entry just added: it is at the head. */
  while (cache->bytes > cache->max_bytes && cache->recency.length > 1)
    {
      GList *oldest = g_queue_pop_tail_link (&cache->recency);
      Entry *evicted = oldest->data;

      g_hash_table_remove (cache->entries, &evicted->seq);
      cache->bytes -= evicted->size;
      g_free (evicted);
    }
  return entry->json;
}
