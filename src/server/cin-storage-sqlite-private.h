/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "cin-storage.h"

G_BEGIN_DECLS

typedef struct _CinSqliteJsonCache CinSqliteJsonCache;

typedef struct {
  CinStorage  parent;
  sqlite3    *db;
  /* Prepared statements by their SQL text: preparing costs more than
   * running most of them, so each is prepared once and reset after use. */
  GHashTable *statements;
  /* Between begin() and its commit() or rollback(). */
  gboolean    writing;
  CinSqliteJsonCache *json_cache;
  char       *json_scratch;  /* a version's JSON read while writing */
} CinStorageSqlite;

static inline sqlite3 *
db_of (CinStorage *storage)
{
  return ((CinStorageSqlite *)storage)->db;
}

#define CIN_STORAGE_SQLITE_SCHEMA_VERSION 3

/* The stored JSON of entity versions by seq (cin-storage-sqlite-cache.c). */
CinSqliteJsonCache *_cin_sqlite_json_cache_new (gsize max_bytes);
void      _cin_sqlite_json_cache_free (CinSqliteJsonCache *cache);
/* The JSON of version @seq, or NULL; valid until the next insert. */
const char *_cin_sqlite_json_cache_lookup (CinSqliteJsonCache *cache,
                                    gint64         seq);
/* Keeps @json as version @seq's, and returns the kept copy (valid until
 * the next insert). */
const char *_cin_sqlite_json_cache_insert (CinSqliteJsonCache *cache,
                                    gint64         seq,
                                    const char    *json);

gboolean  _cin_sqlite_migrate      (sqlite3       *db,
                                    GError       **error);

gboolean  _cin_sqlite_exec         (sqlite3       *db,
                                    const char    *sql,
                                    GError       **error);
/* The statement for @sql, prepared on its first use and kept. The caller
 * binds and steps it, then hands it back with _cin_sqlite_done(), which
 * every path must reach: a statement left mid-way holds its read
 * transaction open. @sql must be a string literal, never built text. */
sqlite3_stmt *_cin_sqlite_prepare  (CinStorage    *storage,
                                    const char    *sql,
                                    GError       **error);
/* Resets @stmt and clears its bindings, for its next use. */
void      _cin_sqlite_done         (sqlite3_stmt  *stmt);
/* Steps a statement that returns no row, then _cin_sqlite_done(). */
gboolean  _cin_sqlite_run          (sqlite3       *db,
                                    sqlite3_stmt  *stmt,
                                    GError       **error);
void      _cin_sqlite_set_error    (sqlite3       *db,
                                    GError       **error);
char     *_cin_sqlite_dup_text     (sqlite3_stmt  *stmt,
                                    int            column);

/* Entities, the change feed and explore (cin-storage-sqlite-entities.c). */
CinEntity *_cin_sqlite_entity_get  (CinStorage    *storage,
                                    const char    *kind,
                                    const char    *id,
                                    GError       **error);
gboolean  _cin_sqlite_entity_put   (CinStorage    *storage,
                                    CinEntity     *entity,
                                    GError       **error);
GPtrArray *_cin_sqlite_entity_list (CinStorage    *storage,
                                    gint64         account_id,
                                    const char    *kind,
                                    GError       **error);
gboolean  _cin_sqlite_changes_list (CinStorage   *storage,
                                    gint64         account_id,
                                    gint64         since,
                                    guint          limit,
                                    CinEntityVisitFunc visit,
                                    gpointer       user_data,
                                    GError       **error);
gint64    _cin_sqlite_changes_horizon (CinStorage *storage,
                                    gint64         account_id,
                                    GError       **error);
gboolean  _cin_sqlite_prune_tombstones (CinStorage *storage,
                                    gint64         before,
                                    GError       **error);
gboolean  _cin_sqlite_explore_list (CinStorage   *storage,
                                    gint64         after_published_at,
                                    const char    *after_id,
                                    guint          limit,
                                    CinEntityVisitFunc visit,
                                    gpointer       user_data,
                                    GError       **error);
gboolean  _cin_sqlite_explore_search (CinStorage  *storage,
                                    const char    *query,
                                    guint          offset,
                                    guint          limit,
                                    CinEntityVisitFunc visit,
                                    gpointer       user_data,
                                    GError       **error);
GPtrArray *_cin_sqlite_notes_due   (CinStorage    *storage,
                                    gint64         now,
                                    GError       **error);

/* Follows and topics (cin-storage-sqlite-people.c). */
/* Registers cin_fold(), cin_storage_fold_topic() in SQL, on @db: the
 * migration to schema v3 indexes the topics already published with it. */
gboolean  _cin_sqlite_add_functions (sqlite3      *db,
                                    GError       **error);
/* Indexes the topics of the entity at @rowid, as stored: none unless it
 * is a listed note. */
gboolean  _cin_sqlite_index_topics (CinStorage    *storage,
                                    gint64         rowid,
                                    GError       **error);
gboolean  _cin_sqlite_follow_put   (CinStorage    *storage,
                                    gint64         follower,
                                    gint64         followee,
                                    gint64         now,
                                    GError       **error);
gboolean  _cin_sqlite_follow_delete (CinStorage   *storage,
                                    gint64         follower,
                                    gint64         followee,
                                    GError       **error);
gboolean  _cin_sqlite_following_list (CinStorage  *storage,
                                    gint64         follower,
                                    gint64         after_followed_at,
                                    gint64         after_account_id,
                                    guint          limit,
                                    CinFollowVisitFunc visit,
                                    gpointer       user_data,
                                    GError       **error);
gboolean  _cin_sqlite_topics_suggest (CinStorage  *storage,
                                    const char    *query,
                                    guint          limit,
                                    CinTopicVisitFunc visit,
                                    gpointer       user_data,
                                    GError       **error);

G_END_DECLS
