/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-storage-sqlite-entities"

#include <string.h>

#include "cin-storage-sqlite-private.h"

#define ENTITY_COLUMNS \
  "e.kind, e.id, e.account_id, e.seq, e.rev, e.deleted, e.json, e.created_at, " \
  "e.updated_at, e.listed, e.published_at, e.publish_due_at"

/* Pages read only what they show, all of it from the page's index
 * (entities_feed, entities_listed: schema v2) but the JSON, which comes
 * from the cache of entity versions (cin-storage-sqlite-cache.c). SQLite
 * then reads no entity's row for a page, which was most of its cost. */
#define FEED_COLUMNS "e.kind, e.id, e.seq, e.rev, e.deleted"
#define LISTED_COLUMNS "e.id, e.published_at, e.seq"

/* Fills @entity from the current row, its strings borrowed from it. */
static void
borrow_row (sqlite3_stmt *stmt,
            CinEntity    *entity)
{
  memset (entity, 0, sizeof *entity);
  entity->kind = (char *)sqlite3_column_text (stmt, 0);
  entity->id = (char *)sqlite3_column_text (stmt, 1);
  entity->account_id = sqlite3_column_int64 (stmt, 2);
  entity->seq = sqlite3_column_int64 (stmt, 3);
  entity->rev = sqlite3_column_int64 (stmt, 4);
  entity->deleted = sqlite3_column_int (stmt, 5) != 0;
  entity->json = (char *)sqlite3_column_text (stmt, 6);
  entity->created_at = sqlite3_column_int64 (stmt, 7);
  entity->updated_at = sqlite3_column_int64 (stmt, 8);
  entity->listed = sqlite3_column_int (stmt, 9) != 0;
  entity->published_at = sqlite3_column_int64 (stmt, 10);
  entity->publish_due_at = sqlite3_column_int64 (stmt, 11);
}

static CinEntity *
entity_from_row (sqlite3_stmt *stmt)
{
  CinEntity row;
  CinEntity *entity;

  borrow_row (stmt, &row);
  entity = cin_entity_new (row.kind, row.id, row.account_id);
  entity->seq = row.seq;
  entity->rev = row.rev;
  entity->deleted = row.deleted;
  entity->json = g_strdup (row.json);
  entity->created_at = row.created_at;
  entity->updated_at = row.updated_at;
  entity->listed = row.listed;
  entity->published_at = row.published_at;
  entity->publish_due_at = row.publish_due_at;
  return entity;
}

/* Steps @stmt to the end, collecting its rows; resets it. */
static GPtrArray *
collect_entities (sqlite3       *db,
                  sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(GPtrArray) entities = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_entity_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entities, entity_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      _cin_sqlite_set_error (db, error);
      _cin_sqlite_done (stmt);
      return NULL;
    }

  _cin_sqlite_done (stmt);
  return g_steal_pointer (&entities);
}

/* The stored JSON of the entity version @seq, from the cache or else its
 * row (then kept, unless a write transaction that could still roll back
 * is open). Valid until the next call. */
static const char *
json_of_version (CinStorage  *storage,
                 gint64       seq,
                 GError     **error)
{
  CinStorageSqlite *self = (CinStorageSqlite *)storage;
  const char *json = _cin_sqlite_json_cache_lookup (self->json_cache, seq);
  sqlite3_stmt *stmt;
  int rc;

  if (json != NULL)
    return json;

  stmt = _cin_sqlite_prepare (storage, "SELECT json FROM entities WHERE seq = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    {
      const char *text = (const char *)sqlite3_column_text (stmt, 0);

      if (self->writing)
        {
          g_free (self->json_scratch);
          json = self->json_scratch = g_strdup (text);
        }
      else
        json = _cin_sqlite_json_cache_insert (self->json_cache, seq, text);
    }
  else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_FAILED,
                 "The entity at %" G_GINT64_FORMAT " in the feed has no JSON", seq);
  else
    _cin_sqlite_set_error (self->db, error);
  _cin_sqlite_done (stmt);
  return json;
}

/* FEED_COLUMNS */
static gboolean
borrow_feed_row (CinStorage    *storage,
                 sqlite3_stmt  *stmt,
                 CinEntity     *entity,
                 GError       **error)
{
  memset (entity, 0, sizeof *entity);
  entity->kind = (char *)sqlite3_column_text (stmt, 0);
  entity->id = (char *)sqlite3_column_text (stmt, 1);
  entity->seq = sqlite3_column_int64 (stmt, 2);
  entity->rev = sqlite3_column_int64 (stmt, 3);
  entity->deleted = sqlite3_column_int (stmt, 4) != 0;
  if (entity->deleted)
    return TRUE;
  entity->json = (char *)json_of_version (storage, entity->seq, error);
  return entity->json != NULL;
}

/* LISTED_COLUMNS */
static gboolean
borrow_listed_row (CinStorage    *storage,
                   sqlite3_stmt  *stmt,
                   CinEntity     *entity,
                   GError       **error)
{
  memset (entity, 0, sizeof *entity);
  entity->kind = (char *)"note";
  entity->id = (char *)sqlite3_column_text (stmt, 0);
  entity->listed = TRUE;
  entity->published_at = sqlite3_column_int64 (stmt, 1);
  entity->seq = sqlite3_column_int64 (stmt, 2);
  entity->json = (char *)json_of_version (storage, entity->seq, error);
  return entity->json != NULL;
}

typedef gboolean (*BorrowFunc) (CinStorage    *storage,
                                sqlite3_stmt  *stmt,
                                CinEntity     *entity,
                                GError       **error);

/* Steps @stmt, handing each row, as @borrow reads it, to @visit until it
 * says stop; resets it. */
static gboolean
visit_entities (CinStorage          *storage,
                sqlite3_stmt        *stmt,
                BorrowFunc           borrow,
                CinEntityVisitFunc   visit,
                gpointer             user_data,
                GError             **error)
{
  gboolean ok = TRUE;
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CinEntity row;

      if (!borrow (storage, stmt, &row, error))
        {
          ok = FALSE;
          break;
        }
      if (!visit (&row, user_data))
        break;
    }

  if (ok && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cin_sqlite_set_error (db_of (storage), error);
      ok = FALSE;
    }
  _cin_sqlite_done (stmt);
  return ok;
}

CinEntity *
_cin_sqlite_entity_get (CinStorage  *storage,
                        const char  *kind,
                        const char  *id,
                        GError     **error)
{
  sqlite3 *db = db_of (storage);
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT " ENTITY_COLUMNS " FROM entities e "
                              "WHERE e.kind = ? AND e.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);

  found = collect_entities (db, stmt, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND,
                   "No %s with that id", kind);
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

static gboolean
next_seq (CinStorage  *storage,
          gint64      *seq,
          GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "UPDATE counters SET value = value + 1 WHERE name = 'seq' "
                              "RETURNING value", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cin_sqlite_set_error (db, error);
      _cin_sqlite_done (stmt);
      return FALSE;
    }
  *seq = sqlite3_column_int64 (stmt, 0);
  _cin_sqlite_done (stmt);
  return TRUE;
}

static gboolean
index_for_search (CinStorage  *storage,
                  gint64       rowid,
                  CinEntity   *entity,
                  GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage, "DELETE FROM notes_fts WHERE rowid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (!_cin_sqlite_run (db, stmt, error))
    return FALSE;

  if (!entity->listed || entity->deleted || entity->search_text == NULL)
    return TRUE;

  stmt = _cin_sqlite_prepare (storage, "INSERT INTO notes_fts (rowid, text) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, entity->search_text, -1, SQLITE_TRANSIENT);
  return _cin_sqlite_run (db, stmt, error);
}

gboolean
_cin_sqlite_entity_put (CinStorage  *storage,
                        CinEntity   *entity,
                        GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;
  gint64 rowid;

  if (!next_seq (storage, &entity->seq, error))
    return FALSE;

  /* An upsert, not INSERT OR REPLACE: the rowid must stay, it keys the
   * full-text and topic indexes. */
  stmt = _cin_sqlite_prepare (storage,
                              "INSERT INTO entities (kind, id, account_id, seq, rev, deleted, json, "
                              "  created_at, updated_at, listed, published_at, publish_due_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (kind, id) DO UPDATE SET "
                              "  account_id = excluded.account_id, seq = excluded.seq, "
                              "  rev = excluded.rev, deleted = excluded.deleted, json = excluded.json, "
                              "  created_at = excluded.created_at, updated_at = excluded.updated_at, "
                              "  listed = excluded.listed, published_at = excluded.published_at, "
                              "  publish_due_at = excluded.publish_due_at "
                              "RETURNING rowid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity->kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entity->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, entity->account_id);
  sqlite3_bind_int64 (stmt, 4, entity->seq);
  sqlite3_bind_int64 (stmt, 5, entity->rev);
  sqlite3_bind_int (stmt, 6, entity->deleted);
  sqlite3_bind_text (stmt, 7, entity->json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 8, entity->created_at);
  sqlite3_bind_int64 (stmt, 9, entity->updated_at);
  sqlite3_bind_int (stmt, 10, entity->listed && !entity->deleted);
  sqlite3_bind_int64 (stmt, 11, entity->published_at);
  sqlite3_bind_int64 (stmt, 12, entity->deleted ? 0 : entity->publish_due_at);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cin_sqlite_set_error (db, error);
      _cin_sqlite_done (stmt);
      return FALSE;
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  _cin_sqlite_done (stmt);

  return index_for_search (storage, rowid, entity, error) &&
         _cin_sqlite_index_topics (storage, rowid, error);
}

GPtrArray *
_cin_sqlite_entity_list (CinStorage  *storage,
                         gint64       account_id,
                         const char  *kind,
                         GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT " ENTITY_COLUMNS " FROM entities e "
                              "WHERE e.account_id = ? AND e.kind = ? AND NOT e.deleted "
                              "ORDER BY e.created_at, e.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  return collect_entities (db, stmt, error);
}

gboolean
_cin_sqlite_changes_list (CinStorage          *storage,
                          gint64               account_id,
                          gint64               since,
                          guint                limit,
                          CinEntityVisitFunc   visit,
                          gpointer             user_data,
                          GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT " FEED_COLUMNS " FROM entities e "
                              "WHERE e.account_id = ? AND e.seq > ? "
                              "ORDER BY e.seq LIMIT ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int (stmt, 3, limit);
  return visit_entities (storage, stmt, borrow_feed_row, visit, user_data, error);
}

gint64
_cin_sqlite_changes_horizon (CinStorage  *storage,
                             gint64       account_id,
                             GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;
  gint64 horizon = -1;

  stmt = _cin_sqlite_prepare (storage, "SELECT horizon FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    horizon = sqlite3_column_int64 (stmt, 0);
  else
    _cin_sqlite_set_error (db, error);
  _cin_sqlite_done (stmt);
  return horizon;
}

/* A cursor from before a forgotten tombstone has missed that deletion, so
 * the account's horizon moves past the newest one forgotten. The tick
 * runs this every second: "GROUP BY +account_id" makes SQLite read the
 * old tombstones from entities_tombstones rather than walk every entity
 * in entities_feed to group them. */
gboolean
_cin_sqlite_prune_tombstones (CinStorage  *storage,
                              gint64       before,
                              GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "UPDATE accounts SET horizon = max (horizon, pruned.seq) "
                              "FROM (SELECT account_id, max (seq) AS seq FROM entities "
                              "      WHERE deleted AND updated_at < ?1 GROUP BY +account_id) AS pruned "
                              "WHERE accounts.id = pruned.account_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before);
  if (!_cin_sqlite_run (db, stmt, error))
    return FALSE;

  stmt = _cin_sqlite_prepare (storage, "DELETE FROM entities WHERE deleted AND updated_at < ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before);
  return _cin_sqlite_run (db, stmt, error);
}

/* SQLite has no statistics here (no ANALYZE), and then takes "kind =
 * 'note'" for the most selective term: it would read every note through
 * the (kind, id) key and sort them all for each page. The unary "+" keeps
 * that term out of index choice, so the page is read in order from
 * entities_listed and stops after @limit rows (the index holds kind, so
 * the filter reads no row); the cursor is a range on that index, not a
 * filter. Only public boards share the index, all at its far end
 * (published_at 0). */
gboolean
_cin_sqlite_explore_list (CinStorage          *storage,
                          gint64               after_published_at,
                          const char          *after_id,
                          guint                limit,
                          CinEntityVisitFunc   visit,
                          gpointer             user_data,
                          GError             **error)
{
  sqlite3_stmt *stmt;

  if (after_published_at == 0)
    stmt = _cin_sqlite_prepare (storage,
                                "SELECT " LISTED_COLUMNS " FROM entities e "
                                "WHERE e.listed AND +e.kind = 'note' "
                                "ORDER BY e.published_at DESC, e.id DESC LIMIT ?3", error);
  else
    stmt = _cin_sqlite_prepare (storage,
                                "SELECT " LISTED_COLUMNS " FROM entities e "
                                "WHERE e.listed AND +e.kind = 'note' "
                                "  AND (e.published_at, e.id) < (?1, ?2) "
                                "ORDER BY e.published_at DESC, e.id DESC LIMIT ?3", error);
  if (stmt == NULL)
    return FALSE;
  if (after_published_at != 0)
    {
      sqlite3_bind_int64 (stmt, 1, after_published_at);
      sqlite3_bind_text (stmt, 2, after_id, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int (stmt, 3, limit);
  return visit_entities (storage, stmt, borrow_listed_row, visit, user_data, error);
}

static char *
escape_like (const char *query)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = query; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* The query as one FTS5 phrase: the user's quotes and operators are text. */
static char *
quote_phrase (const char *query)
{
  GString *phrase = g_string_new ("\"");

  for (const char *p = query; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

gboolean
_cin_sqlite_explore_search (CinStorage          *storage,
                            const char          *query,
                            guint                offset,
                            guint                limit,
                            CinEntityVisitFunc   visit,
                            gpointer             user_data,
                            GError             **error)
{
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;

  /* A trigram index holds nothing shorter than three characters, so a
   * one- or two-character query (常见 in Chinese: 护肤, 咖啡) scans the
   * indexed text with LIKE instead. */
  if (g_utf8_strlen (query, -1) >= 3)
    {
      pattern = quote_phrase (query);
      stmt = _cin_sqlite_prepare (storage,
                                  "SELECT " LISTED_COLUMNS " FROM notes_fts f "
                                  "JOIN entities e ON e.rowid = f.rowid "
                                  "WHERE notes_fts MATCH ?1 AND e.listed "
                                  "ORDER BY f.rank, e.published_at DESC, e.id DESC "
                                  "LIMIT ?2 OFFSET ?3", error);
    }
  else
    {
      pattern = escape_like (query);
      stmt = _cin_sqlite_prepare (storage,
                                  "SELECT " LISTED_COLUMNS " FROM notes_fts f "
                                  "JOIN entities e ON e.rowid = f.rowid "
                                  "WHERE f.text LIKE ?1 ESCAPE '\\' AND e.listed "
                                  "ORDER BY e.published_at DESC, e.id DESC "
                                  "LIMIT ?2 OFFSET ?3", error);
    }
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, limit);
  sqlite3_bind_int (stmt, 3, offset);
  return visit_entities (storage, stmt, borrow_listed_row, visit, user_data, error);
}

GPtrArray *
_cin_sqlite_notes_due (CinStorage  *storage,
                       gint64       now,
                       GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  /* "+": from entities_due, not every note (see explore_list). The tick
   * runs this every second. */
  stmt = _cin_sqlite_prepare (storage,
                              "SELECT " ENTITY_COLUMNS " FROM entities e "
                              "WHERE +e.kind = 'note' AND e.publish_due_at > 0 "
                              "  AND e.publish_due_at <= ? AND NOT e.deleted "
                              "ORDER BY e.publish_due_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  return collect_entities (db, stmt, error);
}
