/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-writer"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cin-store-private.h"

/* The connection: one thread owns it and runs every statement, in the
 * order they were asked for. FIFO order is what makes autosave safe: a
 * newer snapshot of a note can never be overwritten by an older one. The
 * connection is opened with SQLITE_OPEN_NOMUTEX because no other thread
 * ever touches it. This file also opens the file, and says what SQLite's
 * errors mean in words a creator can act on. */

struct _CinStoreWriter
{
  gatomicrefcount  ref_count;

  GThread         *thread;
  GAsyncQueue     *queue;          /* (owned) of Job */

  GMutex           mutex;
  gboolean         closing;        /* guarded by @mutex */

  /* Writer thread only */
  sqlite3         *db;             /* (owned) (nullable) */
  GHashTable      *statements;     /* (owned) SQL text's address → sqlite3_stmt */
};

typedef struct {
  CinStoreJobFunc  func;           /* NULL: close the database and exit */
  GTask           *task;           /* (owned) (nullable) */
} Job;

/* What SQLite errors mean to a creator */

static const char *
db_path (sqlite3 *db)
{
  const char *path = db ? sqlite3_db_filename (db, "main") : NULL;

  return path != NULL && *path != '\0' ? path : _("(temporary database)");
}

static void
set_read_only_error (GError     **error,
                     const char  *path)
{
  g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_READ_ONLY,
               _("Drafts can't be saved: Cinnabar isn't allowed to write to “%s”. "
                 "Make the file and its folder writable for your user; your text "
                 "stays open and is saved as soon as it can be."),
               path);
}

static void
set_disk_full_error (GError **error)
{
  g_set_error_literal (error, CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL,
                       _("Drafts can't be saved: the disk is full. Free some space; "
                         "your text stays open and is saved as soon as there is room."));
}

static gboolean
errno_is_read_only (int err)
{
  return err == EACCES || err == EPERM || err == EROFS;
}

static gboolean
errno_is_disk_full (int err)
{
#ifdef EDQUOT
  if (err == EDQUOT)
    return TRUE;
#endif
  return err == ENOSPC;
}

/* Whether the folder that would hold @path's journal can't be written. */
static gboolean
folder_is_read_only (const char *path)
{
  g_autofree char *dir = NULL;

  if (path == NULL || *path == '\0')
    return FALSE;

  dir = g_path_get_dirname (path);
  return access (dir, W_OK) != 0 && errno_is_read_only (errno);
}

static void
set_sqlite_error_for_path (GError     **error,
                           sqlite3     *db,
                           int          rc,
                           const char  *path)
{
  int sys_errno = db ? sqlite3_system_errno (db) : 0;
  const char *detail;

  /* sqlite3_errmsg() describes the connection's latest error, which is only
   * this one if the codes agree. */
  if (db != NULL && sqlite3_extended_errcode (db) == rc)
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      set_disk_full_error (error);
      return;

    case SQLITE_READONLY:
    case SQLITE_PERM:
      set_read_only_error (error, path);
      return;

    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      /* After EACCES on a file it may not create, SQLite tries a read-only
       * open, and the errno it keeps is that attempt's ENOENT. */
      if (errno_is_read_only (sys_errno) ||
          ((rc & 0xff) == SQLITE_CANTOPEN && folder_is_read_only (path)))
        set_read_only_error (error, path);
      else if (errno_is_disk_full (sys_errno))
        set_disk_full_error (error);
      else
        g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                     _("Cinnabar could not read or write the draft database “%s” (%s). "
                       "Check that the disk is connected and healthy, then try again."),
                     path, sys_errno ? g_strerror (sys_errno) : detail);
      return;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CORRUPT,
                   _("The draft database “%s” is damaged (%s). Quit Cinnabar, keep a "
                     "copy of the file and restore the profile folder from a backup."),
                   path, detail);
      return;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                   _("The draft database “%s” is in use by another program (%s). "
                     "Close other copies of Cinnabar and try again."),
                   path, detail);
      return;

    default:
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                   _("Something went wrong with the draft database “%s” (%s). "
                     "Try again; if it keeps happening, restart Cinnabar."),
                   path, detail);
      return;
    }
}

void
_cin_store_set_sqlite_error (GError  **error,
                             sqlite3  *db,
                             int       rc)
{
  set_sqlite_error_for_path (error, db, rc, db_path (db));
}

void
_cin_store_set_newer_schema_error (GError     **error,
                                   const char  *path,
                                   int          found)
{
  g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NEWER_SCHEMA,
               _("The draft database “%s” was written by a newer version of Cinnabar "
                 "(schema %d; this version reads up to %d). Update Cinnabar to open "
                 "it. Nothing has been changed."),
               path, found, CIN_STORE_SCHEMA_VERSION);
}

void
_cin_store_set_unreadable_row_error (GError     **error,
                                     sqlite3     *db,
                                     const char  *what)
{
  g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CORRUPT,
               _("The draft database “%s” holds a draft this version of Cinnabar "
                 "can't read (%s). Update Cinnabar, or restore the profile folder "
                 "from a backup."),
               db_path (db), what);
}

gboolean
_cin_store_exec (sqlite3     *db,
                 const char  *sql,
                 GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      return FALSE;
    }

  return TRUE;
}

/* Opening */

static gboolean
make_parent_dir (const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int saved_errno;

  /* 0700: drafts are private until published. */
  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  if (errno_is_read_only (saved_errno))
    set_read_only_error (error, dir);
  else if (errno_is_disk_full (saved_errno))
    set_disk_full_error (error);
  else
    g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED,
                 _("Cinnabar could not create the folder “%s” for its drafts (%s). "
                   "Check that the path exists and that you may write there."),
                 dir, g_strerror (saved_errno));
  return FALSE;
}

gboolean
_cin_store_query_text (sqlite3     *db,
                       const char  *sql,
                       char       **out_text,
                       GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *out_text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return TRUE;
}

static sqlite3 *
open_database (const char  *path,
               GError     **error)
{
  g_autofree char *journal_mode = NULL;
  sqlite3 *db = NULL;
  int version;
  int rc;

  if (!make_parent_dir (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        NULL);
  if (rc != SQLITE_OK)
    {
      /* A handle that failed to open has no file name to report. */
      set_sqlite_error_for_path (error, db, rc, path);
      goto fail;
    }

  sqlite3_busy_timeout (db, 5000);

  /* Nothing may be written before the version is known: a file from a
   * newer Cinnabar must come out of this byte for byte as it went in, so
   * even the journal mode waits, and closing must not checkpoint a WAL
   * that version left behind into the main file. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  if (!_cin_store_schema_read_version (db, &version, error))
    goto fail;
  if (version > CIN_STORE_SCHEMA_VERSION)
    {
      _cin_store_set_newer_schema_error (error, path, version);
      goto fail;
    }
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  /* SQLite quietly opens a file it may not write read-only; without this
   * the first sign would be a failed autosave. */
  if (sqlite3_db_readonly (db, "main") == 1)
    {
      set_read_only_error (error, path);
      goto fail;
    }

  if (!_cin_store_query_text (db, "PRAGMA journal_mode = WAL", &journal_mode, error))
    goto fail;
  if (g_strcmp0 (journal_mode, "wal") != 0)
    g_debug ("%s stays in journal mode %s", path, journal_mode);

  /* In WAL mode FULL syncs the log on every commit: a save reported done
   * survives a power cut, not only a crash. */
  if (!_cin_store_exec (db, "PRAGMA synchronous = FULL", error) ||
      !_cin_store_exec (db, "PRAGMA foreign_keys = ON", error))
    goto fail;

  /* Every page of a pull writes those indexes' pages again, and each
   * checkpoint copies into the file every page the WAL holds: one every
   * 4000 pages (16 MB) rather than SQLite's 1000 copies a page once for
   * several pulled pages instead of once for each. */
  sqlite3_wal_autocheckpoint (db, 4000);

  if (!_cin_store_schema_migrate (db, CIN_STORE_SCHEMA_VERSION, error))
    goto fail;

  return db;

fail:
  sqlite3_close (db);
  return NULL;
}

gboolean
_cin_store_writer_open (CinStoreWriter  *writer,
                        const char      *path,
                        GError         **error)
{
  sqlite3 *db;

  g_assert (writer != NULL);
  g_assert (writer->db == NULL);

  db = open_database (path, error);
  if (db == NULL)
    return FALSE;

  writer->db = db;
  return TRUE;
}

/* The thread */

static CinStoreWriter *
writer_ref (CinStoreWriter *writer)
{
  g_atomic_ref_count_inc (&writer->ref_count);
  return writer;
}

static void
writer_unref (CinStoreWriter *writer)
{
  if (!g_atomic_ref_count_dec (&writer->ref_count))
    return;

  g_assert (writer->db == NULL);
  g_async_queue_unref (writer->queue);
  g_hash_table_unref (writer->statements);
  g_mutex_clear (&writer->mutex);
  g_free (writer);
}

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_free (job);
}

static void
close_db (CinStoreWriter *writer)
{
  int rc;

  if (writer->db == NULL)
    return;

  g_hash_table_remove_all (writer->statements);

  /* With every statement finalized this can't be SQLITE_BUSY; the last
   * connection to close checkpoints the WAL into the main file. */
  rc = sqlite3_close (writer->db);
  if (rc != SQLITE_OK)
    g_debug ("Closing the draft database: %s", sqlite3_errstr (rc));
  writer->db = NULL;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gpointer
writer_thread_func (gpointer data)
{
  CinStoreWriter *writer = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (writer->queue);

      if (job->func == NULL)
        {
          close_db (writer);
          if (job->task != NULL)
            g_task_return_boolean (job->task, TRUE);
          job_free (job);
          break;
        }

      /* A job cancelled while it waited never touches the database. */
      if (!g_task_return_error_if_cancelled (job->task))
        job->func (writer, job->task);

      /* This may drop the last reference to the store, which then shuts
       * the writer down from this very thread: that is why the thread
       * holds its own reference to @writer. */
      job_free (job);
    }

  writer_unref (writer);
  return NULL;
}

CinStoreWriter *
_cin_store_writer_new (void)
{
  CinStoreWriter *writer = g_new0 (CinStoreWriter, 1);

  g_atomic_ref_count_init (&writer->ref_count);
  g_mutex_init (&writer->mutex);
  writer->queue = g_async_queue_new_full ((GDestroyNotify)job_free);
  writer->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  writer->thread = g_thread_new ("cin-store-writer", writer_thread_func,
                                 writer_ref (writer));

  return writer;
}

static gboolean
mark_closing (CinStoreWriter *writer)
{
  gboolean was_closing;

  g_mutex_lock (&writer->mutex);
  was_closing = writer->closing;
  writer->closing = TRUE;
  g_mutex_unlock (&writer->mutex);

  return was_closing;
}

static void
push_job (CinStoreWriter  *writer,
          CinStoreJobFunc  func,
          GTask           *task)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->task = task ? g_object_ref (task) : NULL;
  g_async_queue_push (writer->queue, job);
}

static void
return_closed (GTask *task)
{
  g_task_return_new_error (task, CIN_STORE_ERROR, CIN_STORE_ERROR_CLOSED,
                           _("The draft database is already closed. "
                             "Open the profile again to keep working."));
}

void
_cin_store_writer_push (CinStoreWriter  *writer,
                        GTask           *task,
                        CinStoreJobFunc  func)
{
  gboolean closing;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  /* Checked and queued under the lock, so nothing slips in behind the
   * close job and waits forever. */
  g_mutex_lock (&writer->mutex);
  closing = writer->closing;
  if (!closing)
    push_job (writer, func, task);
  g_mutex_unlock (&writer->mutex);

  if (closing)
    return_closed (task);
}

void
_cin_store_writer_push_close (CinStoreWriter *writer,
                              GTask          *task)
{
  gboolean was_closing;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (G_IS_TASK (task));

  g_mutex_lock (&writer->mutex);
  was_closing = writer->closing;
  writer->closing = TRUE;
  if (!was_closing)
    push_job (writer, NULL, task);
  g_mutex_unlock (&writer->mutex);

  if (was_closing)
    return_closed (task);
}

void
_cin_store_writer_shutdown (CinStoreWriter *writer)
{
  GThread *thread;

  g_return_if_fail (writer != NULL);

  if (!mark_closing (writer))
    push_job (writer, NULL, NULL);

  thread = g_steal_pointer (&writer->thread);
  if (thread == g_thread_self ())
    g_thread_unref (thread);
  else
    g_thread_join (thread);

  writer_unref (writer);
}

sqlite3 *
_cin_store_writer_get_db (CinStoreWriter *writer)
{
  g_assert (writer != NULL);

  return writer->db;
}

sqlite3_stmt *
_cin_store_writer_prepare (CinStoreWriter  *writer,
                           const char      *sql,
                           GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_assert (writer != NULL);
  g_assert (sql != NULL);

  if (writer->db == NULL)
    {
      g_set_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CLOSED,
                   _("The draft database is already closed. "
                     "Open the profile again to keep working."));
      return NULL;
    }

  /* The texts are literals, so their address names them: hashing a
   * long statement's text for every row of a pull showed in profiles.
   * (The same text at two addresses is prepared twice, which is all.) */
  stmt = g_hash_table_lookup (writer->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (writer->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cin_store_set_sqlite_error (error, writer->db, rc);
      return NULL;
    }

  g_hash_table_insert (writer->statements, (gpointer)sql, stmt);
  return stmt;
}

gboolean
_cin_store_writer_query_bool (CinStoreWriter  *writer,
                              const char      *sql,
                              const char      *text,
                              gboolean        *result,
                              GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }
  *result = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

gboolean
_cin_store_writer_run_with_text (CinStoreWriter  *writer,
                                 const char      *sql,
                                 const char      *text,
                                 GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  return _cin_store_writer_step (writer, stmt, error);
}

gboolean
_cin_store_writer_transaction (CinStoreWriter          *writer,
                               CinStoreTransactionFunc  body,
                               gpointer                 data,
                               GError                 **error)
{
  sqlite3 *db = _cin_store_writer_get_db (writer);

  if (!_cin_store_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!body (writer, data, error) || !_cin_store_exec (db, "COMMIT", error))
    {
      /* After an I/O error SQLite may have rolled back already; then this
       * fails harmlessly. */
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
_cin_store_writer_step (CinStoreWriter  *writer,
                        sqlite3_stmt    *stmt,
                        GError         **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }

  return TRUE;
}
