/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-storage-sqlite"

#include <errno.h>

#include <glib/gstdio.h>

#include "cin-storage-sqlite-private.h"

/* The SQLite back end: one file in the data dir, WAL so that readers never
 * wait for the writer, a busy timeout so that a second process (the
 * sqlite3 tool, a backup) is waited for rather than failed on, and short
 * transactions (one request each). */

#define BUSY_TIMEOUT_MS 5000
/* Room for the JSON of some 40,000 typical notes. */
#define JSON_CACHE_MAX_BYTES (32 * 1024 * 1024)

void
_cin_sqlite_set_error (sqlite3  *db,
                       GError  **error)
{
  int code = sqlite3_extended_errcode (db);

  g_set_error (error, CIN_STORAGE_ERROR,
               (code & 0xff) == SQLITE_CONSTRAINT ? CIN_STORAGE_ERROR_EXISTS
                                                   : CIN_STORAGE_ERROR_FAILED,
               "SQLite: %s", sqlite3_errmsg (db));
}

gboolean
_cin_sqlite_exec (sqlite3     *db,
                  const char  *sql,
                  GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  _cin_sqlite_set_error (db, error);
  return FALSE;
}

sqlite3_stmt *
_cin_sqlite_prepare (CinStorage   *storage,
                     const char   *sql,
                     GError      **error)
{
  CinStorageSqlite *self = (CinStorageSqlite *)storage;
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _cin_sqlite_set_error (self->db, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer)sql, stmt);
  return stmt;
}

void
_cin_sqlite_done (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
_cin_sqlite_run (sqlite3       *db,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    _cin_sqlite_set_error (db, error);
  _cin_sqlite_done (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

char *
_cin_sqlite_dup_text (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
sqlite_close (CinStorage *storage)
{
  CinStorageSqlite *self = (CinStorageSqlite *)storage;

  /* Finalizes the statements, which sqlite3_close() needs. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->json_cache, _cin_sqlite_json_cache_free);
  g_free (self->json_scratch);
  sqlite3_close (self->db);
  g_free (self);
}

static gboolean
run_literal (CinStorage  *storage,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = _cin_sqlite_prepare (storage, sql, error);

  return stmt != NULL && _cin_sqlite_run (db_of (storage), stmt, error);
}

static gboolean
sqlite_begin (CinStorage  *storage,
              GError     **error)
{
  CinStorageSqlite *self = (CinStorageSqlite *)storage;

  /* IMMEDIATE: take the write lock up front, so a read-then-write request
   * can't fail half way with SQLITE_BUSY. */
  if (!run_literal (storage, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->writing = TRUE;
  return TRUE;
}

static gboolean
sqlite_begin_read (CinStorage  *storage,
                   GError     **error)
{
  /* DEFERRED: the read lock is taken by the first read. */
  return run_literal (storage, "BEGIN DEFERRED", error);
}

static gboolean
sqlite_commit (CinStorage  *storage,
               GError     **error)
{
  CinStorageSqlite *self = (CinStorageSqlite *)storage;
  gboolean done = run_literal (storage, "COMMIT", error);

  self->writing = self->writing && !sqlite3_get_autocommit (self->db);
  return done;
}

static void
sqlite_rollback (CinStorage *storage)
{
  CinStorageSqlite *self = (CinStorageSqlite *)storage;

  if (!sqlite3_get_autocommit (self->db))
    run_literal (storage, "ROLLBACK", NULL);
  self->writing = self->writing && !sqlite3_get_autocommit (self->db);
}

/* Accounts */

static gboolean
sqlite_account_create (CinStorage  *storage,
                       const char  *handle,
                       const char  *password_hash,
                       gint64       now,
                       gint64      *account_id,
                       GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "INSERT INTO accounts (handle, password_hash, created_at) "
                              "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, handle, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_cin_sqlite_run (db, stmt, error))
    return FALSE;
  *account_id = sqlite3_last_insert_rowid (db);
  return TRUE;
}

static CinAccount *
read_account (sqlite3       *db,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  CinAccount *account = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      account = g_new0 (CinAccount, 1);
      account->id = sqlite3_column_int64 (stmt, 0);
      account->handle = _cin_sqlite_dup_text (stmt, 1);
      account->password_hash = _cin_sqlite_dup_text (stmt, 2);
      account->created_at = sqlite3_column_int64 (stmt, 3);
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND,
                         "No such account");
  else
    _cin_sqlite_set_error (db, error);

  _cin_sqlite_done (stmt);
  return account;
}

static CinAccount *
sqlite_account_find (CinStorage  *storage,
                     const char  *handle,
                     GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT id, handle, password_hash, created_at "
                              "FROM accounts WHERE handle = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, handle, -1, SQLITE_TRANSIENT);
  return read_account (db, stmt, error);
}

static CinAccount *
sqlite_account_get (CinStorage  *storage,
                    gint64       account_id,
                    GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT id, handle, password_hash, created_at "
                              "FROM accounts WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  return read_account (db, stmt, error);
}

/* Sessions */

static gboolean
sqlite_session_create (CinStorage  *storage,
                       const char  *token_hash,
                       gint64       account_id,
                       gint64       expires_at,
                       GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "INSERT INTO sessions (token_hash, account_id, expires_at) "
                              "VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, account_id);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  return _cin_sqlite_run (db, stmt, error);
}

static gboolean
sqlite_session_find (CinStorage  *storage,
                     const char  *token_hash,
                     gint64       now,
                     gint64      *account_id,
                     gint64      *expires_at,
                     GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT account_id, expires_at FROM sessions "
                              "WHERE token_hash = ? AND expires_at > ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *account_id = sqlite3_column_int64 (stmt, 0);
      *expires_at = sqlite3_column_int64 (stmt, 1);
      found = TRUE;
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND,
                         "No such session");
  else
    _cin_sqlite_set_error (db, error);
  _cin_sqlite_done (stmt);
  return found;
}

static gboolean
sqlite_session_delete (CinStorage  *storage,
                       const char  *token_hash,
                       GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage, "DELETE FROM sessions WHERE token_hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  return _cin_sqlite_run (db, stmt, error);
}

/* Idempotency records */

static CinStoredResponse *
sqlite_idempotency_find (CinStorage  *storage,
                         gint64       account_id,
                         const char  *key,
                         GError     **error)
{
  sqlite3 *db = db_of (storage);
  CinStoredResponse *response = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT request_hash, status, content_type, body, etag, location "
                              "FROM idempotency WHERE account_id = ? AND key = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      response = g_new0 (CinStoredResponse, 1);
      response->request_hash = _cin_sqlite_dup_text (stmt, 0);
      response->status = sqlite3_column_int (stmt, 1);
      response->content_type = _cin_sqlite_dup_text (stmt, 2);
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        response->body = g_bytes_new (sqlite3_column_blob (stmt, 3),
                                      sqlite3_column_bytes (stmt, 3));
      response->etag = _cin_sqlite_dup_text (stmt, 4);
      response->location = _cin_sqlite_dup_text (stmt, 5);
    }
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND,
                         "No such idempotency key");
  else
    _cin_sqlite_set_error (db, error);
  _cin_sqlite_done (stmt);
  return response;
}

static gboolean
sqlite_idempotency_save (CinStorage               *storage,
                         gint64                    account_id,
                         const char               *key,
                         const CinStoredResponse  *response,
                         gint64                    now,
                         GError                  **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "INSERT INTO idempotency (account_id, key, request_hash, status, "
                              "  content_type, body, etag, location, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, response->request_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, response->status);
  sqlite3_bind_text (stmt, 5, response->content_type, -1, SQLITE_TRANSIENT);
  if (response->body != NULL)
    {
      gsize size;
      gconstpointer data = g_bytes_get_data (response->body, &size);

      sqlite3_bind_blob64 (stmt, 6, data ? data : "", size, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 7, response->etag, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, response->location, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, now);
  return _cin_sqlite_run (db, stmt, error);
}

/* Housekeeping */

#define IDEMPOTENCY_KEEP_USEC (G_GINT64_CONSTANT (1000000) * 60 * 60 * 24)

static gboolean
sqlite_prune (CinStorage  *storage,
              gint64       tombstones_before,
              gint64       now,
              GError     **error)
{
  sqlite3 *db = db_of (storage);
  sqlite3_stmt *stmt;

  if (!sqlite_begin (storage, error))
    return FALSE;

  stmt = _cin_sqlite_prepare (storage, "DELETE FROM sessions WHERE expires_at <= ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!_cin_sqlite_run (db, stmt, error))
    goto fail;

  stmt = _cin_sqlite_prepare (storage, "DELETE FROM idempotency WHERE created_at < ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now - IDEMPOTENCY_KEEP_USEC);
  if (!_cin_sqlite_run (db, stmt, error))
    goto fail;

  if (!_cin_sqlite_prune_tombstones (storage, tombstones_before, error))
    goto fail;

  return sqlite_commit (storage, error);

fail:
  sqlite_rollback (storage);
  return FALSE;
}

static const CinStorageOps sqlite_ops = {
  .close = sqlite_close,
  .begin = sqlite_begin,
  .begin_read = sqlite_begin_read,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .account_create = sqlite_account_create,
  .account_find = sqlite_account_find,
  .account_get = sqlite_account_get,
  .session_create = sqlite_session_create,
  .session_find = sqlite_session_find,
  .session_delete = sqlite_session_delete,
  .idempotency_find = sqlite_idempotency_find,
  .idempotency_save = sqlite_idempotency_save,
  .entity_get = _cin_sqlite_entity_get,
  .entity_put = _cin_sqlite_entity_put,
  .entity_list = _cin_sqlite_entity_list,
  .changes_list = _cin_sqlite_changes_list,
  .changes_horizon = _cin_sqlite_changes_horizon,
  .prune = sqlite_prune,
  .explore_list = _cin_sqlite_explore_list,
  .explore_search = _cin_sqlite_explore_search,
  .notes_due = _cin_sqlite_notes_due,
  .follow_put = _cin_sqlite_follow_put,
  .follow_delete = _cin_sqlite_follow_delete,
  .following_list = _cin_sqlite_following_list,
  .topics_suggest = _cin_sqlite_topics_suggest,
};

CinStorage *
cin_storage_sqlite_open (const char  *dir,
                         GError     **error)
{
  g_autofree char *path = NULL;
  CinStorageSqlite *self;
  sqlite3 *db = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_FAILED,
                   "Can't create the data dir %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  path = g_build_filename (dir, "cinnabar-server.db", NULL);
  /* NOMUTEX: the connection is only ever used from the server's one
   * thread, so SQLite's per-call locking is pure cost. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_FAILED,
                   "Can't open %s: %s", path, db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  /* NORMAL is durable across process crashes in WAL mode; only a power
   * cut can lose the last transactions, which clients then retry with the
   * same idempotency keys. */
  if (!_cin_sqlite_exec (db, "PRAGMA journal_mode = WAL", error) ||
      !_cin_sqlite_exec (db, "PRAGMA synchronous = NORMAL", error) ||
      !_cin_sqlite_exec (db, "PRAGMA foreign_keys = ON", error) ||
      !_cin_sqlite_add_functions (db, error) ||
      !_cin_sqlite_migrate (db, error))
    {
      g_prefix_error (error, "%s: ", path);
      sqlite3_close (db);
      return NULL;
    }

  self = g_new0 (CinStorageSqlite, 1);
  self->parent.ops = &sqlite_ops;
  self->db = db;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
  self->json_cache = _cin_sqlite_json_cache_new (JSON_CACHE_MAX_BYTES);
  return &self->parent;
}
