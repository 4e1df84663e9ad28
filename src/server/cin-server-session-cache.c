/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-session-cache"

#include "cin-server-private.h"

/* Sessions already found in the database, by the SHA-256 of their token,
 * so that a client's every request does not look its token up again.
 *
 * An entry answers until its session expires, or at most
 * CACHE_TTL_USEC after it was read: signing out through the API forgets
 * the entry at once, and the short life bounds how long a session
 * deleted behind the server's back (with the sqlite3 tool) still works.
 * Tokens themselves are never kept, only their hashes, as in the
 * database. */

#define CACHE_TTL_USEC (CIN_USEC_PER_SEC * 10)
/* Past this many entries the cache starts again empty: made-up tokens
 * never reach it (only found sessions do), but many clients could. */
#define CACHE_MAX_ENTRIES 10000

typedef struct {
  gint64 account_id;
  gint64 expires_at;
  gint64 read_at;
} CachedSession;

GHashTable *
_cin_session_cache_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

gint64
_cin_session_cache_lookup (GHashTable *cache,
                           const char *token_hash,
                           gint64      now)
{
  CachedSession *session = g_hash_table_lookup (cache, token_hash);

  if (session == NULL)
    return 0;
  /* A clock moved back (tests move it) must not make an entry young. */
  if (now >= session->expires_at || now - session->read_at >= CACHE_TTL_USEC ||
      now < session->read_at)
    {
      g_hash_table_remove (cache, token_hash);
      return 0;
    }
  return session->account_id;
}

void
_cin_session_cache_remember (GHashTable *cache,
                             const char *token_hash,
                             gint64      account_id,
                             gint64      expires_at,
                             gint64      now)
{
  CachedSession *session = g_new (CachedSession, 1);

  if (g_hash_table_size (cache) >= CACHE_MAX_ENTRIES)
    g_hash_table_remove_all (cache);
  session->account_id = account_id;
  session->expires_at = expires_at;
  session->read_at = now;
  g_hash_table_replace (cache, g_strdup (token_hash), session);
}

void
_cin_session_cache_forget (GHashTable *cache,
                           const char *token_hash)
{
  g_hash_table_remove (cache, token_hash);
}
