/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-writer"

#include <glib/gi18n-lib.h>

#include "cin-store-private.h"

/* One thread owns the SQLite connection and runs every statement, in the
 * order they were asked for. FIFO order is what makes autosave safe: a
 * newer snapshot of a note can never be overwritten by an older one. The
 * connection is opened with SQLITE_OPEN_NOMUTEX because no other thread
 * ever touches it. */

struct _CinStoreWriter
{
  gatomicrefcount  ref_count;

  GThread         *thread;
  GAsyncQueue     *queue;          /* (owned) of Job */

  GMutex           mutex;
  gboolean         closing;        /* guarded by @mutex */

  /* Writer thread only */
  sqlite3         *db;             /* (owned) (nullable) */
  GHashTable      *statements;     /* (owned) SQL text → sqlite3_stmt */
};

typedef struct {
  CinStoreJobFunc  func;           /* NULL: close the database and exit */
  GTask           *task;           /* (owned) (nullable) */
} Job;

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
  writer->statements = g_hash_table_new_full (g_str_hash, g_str_equal,
                                              NULL, finalize_statement);
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

void
_cin_store_writer_set_db (CinStoreWriter *writer,
                          sqlite3        *db)
{
  g_assert (writer != NULL);
  g_assert (writer->db == NULL);

  writer->db = db;
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
