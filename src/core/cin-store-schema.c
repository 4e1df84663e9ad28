/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-schema"

#include <glib/gi18n-lib.h>

#include "cin-store-private.h"

/* Migrations only ever move forward: a released step is never edited, a
 * change is a new step. Each step runs in its own transaction together with
 * the bump of PRAGMA user_version, so a crash in the middle of an upgrade
 * leaves the file at the previous whole version and the next start simply
 * carries on. */

static const char migrate_to_v1[] =
  /* Times are unix microseconds, as CinNote keeps them. topics and mentions
   * are JSON arrays of strings; base is the note's JSON as last synced. */
  "CREATE TABLE notes ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  title        TEXT NOT NULL DEFAULT '',"
  "  body         TEXT NOT NULL DEFAULT '',"
  "  topics       TEXT NOT NULL DEFAULT '[]',"
  "  mentions     TEXT NOT NULL DEFAULT '[]',"
  "  location     TEXT,"
  "  visibility   TEXT NOT NULL DEFAULT 'public',"
  "  original     INTEGER NOT NULL DEFAULT 0,"
  "  cover        TEXT,"
  "  state        TEXT NOT NULL DEFAULT 'draft',"
  "  scheduled_at INTEGER,"
  "  created_at   INTEGER NOT NULL,"
  "  updated_at   INTEGER NOT NULL,"
  "  rev          TEXT,"
  "  sync_state   TEXT NOT NULL DEFAULT 'created',"
  "  base         TEXT"
  ");"
  /* One row per mutation waiting to reach the server, written in the same
   * transaction as the edit that caused it. */
  "CREATE TABLE outbox ("
  "  id              INTEGER PRIMARY KEY,"
  "  entity_kind     TEXT NOT NULL,"
  "  entity_id       TEXT NOT NULL,"
  "  op              TEXT NOT NULL,"
  "  payload         TEXT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  base_rev        TEXT,"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error      TEXT,"
  "  created_at      INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_by_next_attempt ON outbox (next_attempt_at);"
  "CREATE INDEX outbox_by_entity ON outbox (entity_kind, entity_id);"
  /* A profile follows one change feed, so there is at most one cursor. */
  "CREATE TABLE sync_cursor ("
  "  id         INTEGER PRIMARY KEY CHECK (id = 1),"
  "  cursor     TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");";

static const char migrate_to_v2[] =
  /* Deleting a draft sets trashed_at so it can be undone; the listing
   * indexes leave the trash out, so the draft box never walks it. There is
   * no title index: titles sort in the collation of the locale (pinyin
   * order under zh_CN), which SQLite can't index without a custom
   * collation that would make the file unreadable to the sqlite3 tool, so
   * that sort happens in C and an index would only slow every autosave. */
  "ALTER TABLE notes ADD COLUMN trashed_at INTEGER;"
  "CREATE INDEX notes_by_updated ON notes (updated_at DESC, id)"
  "  WHERE trashed_at IS NULL;"
  "CREATE INDEX notes_by_created ON notes (created_at DESC, id)"
  "  WHERE trashed_at IS NULL;"
  "CREATE INDEX notes_in_trash ON notes (trashed_at)"
  "  WHERE trashed_at IS NOT NULL;";

static const char migrate_to_v3[] =
  /* A photo note's photos, in order; the first is the cover. The file is
   * the one named by sha256 in the profile's media folder, shared by every
   * row that holds the same content. Each row has its own id so sync can
   * tell a photo moved from a photo replaced; upload_state and remote_id
   * belong to sync, and saving a note leaves them alone. */
  "CREATE TABLE media ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  note_id      TEXT NOT NULL REFERENCES notes (id) ON DELETE CASCADE,"
  "  position     INTEGER NOT NULL,"
  "  kind         TEXT NOT NULL DEFAULT 'photo',"
  "  sha256       TEXT NOT NULL,"
  "  mime         TEXT NOT NULL,"
  "  width        INTEGER NOT NULL,"
  "  height       INTEGER NOT NULL,"
  "  duration_ms  INTEGER,"
  "  crop         TEXT NOT NULL DEFAULT 'none',"
  "  crop_x       REAL NOT NULL DEFAULT 0.5,"
  "  crop_y       REAL NOT NULL DEFAULT 0.5,"
  "  alt_text     TEXT NOT NULL DEFAULT '',"
  "  upload_state TEXT NOT NULL DEFAULT 'pending',"
  "  remote_id    TEXT"
  ");"
  "CREATE INDEX media_by_note ON media (note_id, position);"
  /* Which files are still in use, when unused ones are cleared away. */
  "CREATE INDEX media_by_sha256 ON media (sha256);";

static const char migrate_to_v4[] =
  /* Sync. A row the server refused is parked until the creator edits the
   * note or asks to try again; a draft made from the local side of a
   * conflict names the note it split from; an upload's tus URL and
   * acknowledged offset are kept per file (by content, as the media
   * folder is), so an upload resumes after a restart. What is uploaded
   * may differ from the stored file (GPS taken out, HEIC as JPEG):
   * remote_sha256 names it, and the server's notes name that. */
  "ALTER TABLE outbox ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE notes ADD COLUMN conflict_of TEXT;"
  "CREATE TABLE uploads ("
  "  sha256        TEXT PRIMARY KEY NOT NULL,"
  "  remote_sha256 TEXT,"
  "  url        TEXT,"
  "  offset     INTEGER NOT NULL DEFAULT 0,"
  "  length     INTEGER NOT NULL DEFAULT 0,"
  "  done       INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX uploads_by_remote ON uploads (remote_sha256);";

static const char migrate_to_v5[] =
  /* The people the account follows, as the server last listed them, so
   * @mentions complete from them offline too. position keeps the
   * server's order: the most recently followed first. */
  "CREATE TABLE following ("
  "  handle   TEXT PRIMARY KEY NOT NULL,"
  "  position INTEGER NOT NULL"
  ");";

/* migrations[i] takes a database from version i to version i + 1. */
static const char * const migrations[] = {
  migrate_to_v1,
  migrate_to_v2,
  migrate_to_v3,
  migrate_to_v4,
  migrate_to_v5,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CIN_STORE_SCHEMA_VERSION);

int
cin_store_schema_version (void)
{
  return CIN_STORE_SCHEMA_VERSION;
}

gboolean
_cin_store_schema_read_version (sqlite3  *db,
                                int      *version,
                                GError  **error)
{
  g_autofree char *text = NULL;

  g_assert (db != NULL);
  g_assert (version != NULL);

  if (!_cin_store_query_text (db, "PRAGMA user_version", &text, error))
    return FALSE;

  *version = (int)g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

static gboolean
migrate_one_step (sqlite3  *db,
                  int       from_version,
                  GError  **error)
{
  g_autofree char *set_version = NULL;
  int found;

  /* IMMEDIATE takes the write lock before reading the version, so two
   * processes opening the same profile can't both run the same step. */
  if (!_cin_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!_cin_store_schema_read_version (db, &found, error))
    goto rollback;

  if (found == from_version)
    {
      set_version = g_strdup_printf ("PRAGMA user_version = %d", from_version + 1);
      if (!_cin_store_exec (db, migrations[from_version], error) ||
          !_cin_store_exec (db, set_version, error))
        goto rollback;
      g_debug ("Migrated %s to schema %d",
               sqlite3_db_filename (db, "main"), from_version + 1);
    }

  if (!_cin_store_exec (db, "COMMIT", error))
    goto rollback;

  return TRUE;

rollback:
  /* Without an open transaction (it failed to start, or SQLite already
   * rolled it back after an I/O error) this fails harmlessly. */
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
_cin_store_schema_migrate (sqlite3  *db,
                           int       target_version,
                           GError  **error)
{
  int version;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (target_version >= 0, FALSE);
  g_return_val_if_fail (target_version <= CIN_STORE_SCHEMA_VERSION, FALSE);

  if (!_cin_store_schema_read_version (db, &version, error))
    return FALSE;

  if (version > CIN_STORE_SCHEMA_VERSION)
    {
      _cin_store_set_newer_schema_error (error, sqlite3_db_filename (db, "main"), version);
      return FALSE;
    }

  if (version < 0)
    {
      /* Only another program writes a negative user_version. */
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CORRUPT,
                   _("“%s” is not a Cinnabar draft database (its schema version is %d). "
                     "Move it out of the profile folder; Cinnabar has not changed it."),
                   sqlite3_db_filename (db, "main"), version);
      return FALSE;
    }

  for (int v = version; v < target_version; v++)
    {
      if (!migrate_one_step (db, v, error))
        return FALSE;
    }

  return TRUE;
}
