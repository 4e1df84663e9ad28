/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-storage-sqlite-schema"

#include "cin-storage-sqlite-private.h"

/* Migrations only move forward: a released step is never edited, a change
 * is a new step, run in one transaction with its bump of user_version. */

static const char migrate_to_v1[] =
  /* Times are unix microseconds. horizon: the oldest change-feed cursor
   * that has seen every tombstone of the account still (see prune). */
  "CREATE TABLE accounts ("
  "  id            INTEGER PRIMARY KEY,"
  "  handle        TEXT NOT NULL UNIQUE,"
  "  password_hash TEXT NOT NULL,"
  "  created_at    INTEGER NOT NULL,"
  "  horizon       INTEGER NOT NULL DEFAULT 0"
  ");"
  /* A session is found by the SHA-256 of its bearer token. */
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id),"
  "  expires_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX sessions_by_expiry ON sessions (expires_at);"
  "CREATE TABLE idempotency ("
  "  account_id   INTEGER NOT NULL,"
  "  key          TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status       INTEGER NOT NULL,"
  "  content_type TEXT,"
  "  body         BLOB,"
  "  etag         TEXT,"
  "  location     TEXT,"
  "  created_at   INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX idempotency_by_age ON idempotency (created_at);"
  /* Every kind of entity in one table: an entity's row is also its one
   * entry in the change feed, at position seq, so the feed needs no
   * compaction. seq comes from counters, never reused even when the row
   * holding the highest one is pruned. */
  "CREATE TABLE entities ("
  "  kind           TEXT NOT NULL,"
  "  id             TEXT NOT NULL,"
  "  account_id     INTEGER NOT NULL REFERENCES accounts (id),"
  "  seq            INTEGER NOT NULL UNIQUE,"
  "  rev            INTEGER NOT NULL,"
  "  deleted        INTEGER NOT NULL DEFAULT 0,"
  "  json           TEXT,"
  "  created_at     INTEGER NOT NULL,"
  "  updated_at     INTEGER NOT NULL,"
  "  listed         INTEGER NOT NULL DEFAULT 0,"
  "  published_at   INTEGER NOT NULL DEFAULT 0,"
  "  publish_due_at INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (kind, id)"
  ");"
  "CREATE INDEX entities_feed ON entities (account_id, seq);"
  "CREATE INDEX entities_by_kind ON entities (account_id, kind, created_at);"
  "CREATE INDEX entities_listed ON entities (published_at DESC, id DESC) WHERE listed;"
  "CREATE INDEX entities_due ON entities (publish_due_at) WHERE publish_due_at > 0;"
  "CREATE INDEX entities_tombstones ON entities (updated_at) WHERE deleted;"
  "CREATE TABLE counters ("
  "  name  TEXT PRIMARY KEY NOT NULL,"
  "  value INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "INSERT INTO counters VALUES ('seq', 0);"
  /* Full-text search over listed notes only; rowid is the entity's. The
   * trigram tokenizer finds any substring of three characters or more,
   * which suits Chinese, written without spaces between words; shorter
   * queries fall back to LIKE on the same table. */
  "CREATE VIRTUAL TABLE notes_fts USING fts5 (text, tokenize = 'trigram');";

/* Pages are read from an index alone: the feed's and explore's indexes
 * hold every column their pages read but the JSON, which comes from the
 * cache of entity versions by seq (cin-storage-sqlite-cache.c). */
static const char migrate_to_v2[] =
  "DROP INDEX entities_feed;"
  "CREATE INDEX entities_feed ON entities (account_id, seq, kind, id, rev, deleted);"
  "DROP INDEX entities_listed;"
  "CREATE INDEX entities_listed ON entities (published_at DESC, id DESC, kind, seq, listed) "
  "  WHERE listed;";

/* Who follows whom, and the topics of listed notes for GET /v1/topics.
 * topic_uses holds a row per listed note and topic (note is the entity's
 * rowid, as in notes_fts); the triggers keep each topic's count of notes
 * in topics, which the suggestions read in order of use without grouping
 * every use. A topic no note carries any more is dropped. The topics of
 * the notes already listed are indexed here, folded with cin_fold(), the
 * function the storage registers on its connection
 * (cin_storage_fold_topic()). */
static const char migrate_to_v3[] =
  "CREATE TABLE follows ("
  "  follower    INTEGER NOT NULL REFERENCES accounts (id),"
  "  followee    INTEGER NOT NULL REFERENCES accounts (id),"
  "  followed_at INTEGER NOT NULL,"
  "  PRIMARY KEY (follower, followee),"
  "  CHECK (follower <> followee)"
  ") WITHOUT ROWID;"
  "CREATE INDEX follows_by_time ON follows (follower, followed_at DESC, followee DESC);"
  "CREATE TABLE topics ("
  "  name   TEXT PRIMARY KEY NOT NULL,"
  "  folded TEXT NOT NULL,"
  "  notes  INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX topics_by_use ON topics (notes DESC, name, folded);"
  "CREATE TABLE topic_uses ("
  "  note INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  PRIMARY KEY (note, name)"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER topic_used AFTER INSERT ON topic_uses BEGIN"
  "  UPDATE topics SET notes = notes + 1 WHERE name = NEW.name;"
  "END;"
  "CREATE TRIGGER topic_unused AFTER DELETE ON topic_uses BEGIN"
  "  UPDATE topics SET notes = notes - 1 WHERE name = OLD.name;"
  "  DELETE FROM topics WHERE name = OLD.name AND notes <= 0;"
  "END;"
  "INSERT INTO topics (name, folded, notes) "
  "  SELECT t.value, cin_fold (t.value), 0 FROM entities e, json_each (e.json, '$.topics') t "
  "  WHERE e.listed AND e.kind = 'note' AND t.type = 'text' GROUP BY t.value;"
  "INSERT OR IGNORE INTO topic_uses (note, name) "
  "  SELECT e.rowid, t.value FROM entities e, json_each (e.json, '$.topics') t "
  "  WHERE e.listed AND e.kind = 'note' AND t.type = 'text';";

static const char * const migrations[] = {
  migrate_to_v1,
  migrate_to_v2,
  migrate_to_v3,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CIN_STORAGE_SQLITE_SCHEMA_VERSION);

static gboolean
read_version (sqlite3  *db,
              int      *version,
              GError  **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      _cin_sqlite_set_error (db, error);
      return FALSE;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cin_sqlite_set_error (db, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
_cin_sqlite_migrate (sqlite3  *db,
                     GError  **error)
{
  int version;

  if (!read_version (db, &version, error))
    return FALSE;

  if (version > CIN_STORAGE_SQLITE_SCHEMA_VERSION)
    {
      g_set_error (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_FAILED,
                   "The database is at schema version %d, newer than this "
                   "server's %d. Run a newer cinnabar-server.",
                   version, CIN_STORAGE_SQLITE_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < CIN_STORAGE_SQLITE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!_cin_sqlite_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!_cin_sqlite_exec (db, migrations[version], error) ||
          !_cin_sqlite_exec (db, bump, error) ||
          !_cin_sqlite_exec (db, "COMMIT", error))
        {
          _cin_sqlite_exec (db, "ROLLBACK", NULL);
          return FALSE;
        }
      g_info ("Migrated the database to schema version %d", version + 1);
    }

  return TRUE;
}
