/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-people"

#include "cin-store-sync-private.h"

/* The people the account follows, kept so @mentions complete from them
 * while offline too. Sync writes the server's whole list at once; the
 * composer reads it. */

static gboolean
replace_following (CinStoreWriter  *writer,
                   gpointer         data,
                   GError         **error)
{
  const char * const *handles = data;
  g_autoptr(CinCachedStmt) clear = NULL;
  guint position = 0;

  clear = _cin_store_writer_prepare (writer, "DELETE FROM following", error);
  if (clear == NULL || !_cin_store_writer_step (writer, clear, error))
    return FALSE;

  for (guint i = 0; handles[i] != NULL; i++)
    {
      g_autoptr(CinCachedStmt) stmt = NULL;

      /* A list that names someone twice keeps the first, newest place. */
      stmt = _cin_store_writer_prepare (writer,
                                        "INSERT OR IGNORE INTO following (handle, position) VALUES (?1, ?2)",
                                        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, handles[i], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int)position++);
      if (!_cin_store_writer_step (writer, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static void
set_following_job (CinStoreWriter *writer,
                   GTask          *task)
{
  GError *error = NULL;

  if (_cin_store_writer_transaction (writer, replace_following, g_task_get_task_data (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
list_following_job (CinStoreWriter *writer,
                    GTask          *task)
{
  g_autoptr(GStrvBuilder) handles = g_strv_builder_new ();
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer, "SELECT handle FROM following ORDER BY position", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (handles, (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, _cin_store_writer_get_db (writer), rc);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_strv_builder_end (handles), (GDestroyNotify)g_strfreev);
}

void
cin_store_set_following_async (CinStore            *self,
                               const char * const  *handles,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (handles != NULL);

  for (guint i = 0; handles[i] != NULL; i++)
    g_return_if_fail (g_utf8_validate (handles[i], -1, NULL));

  task = _cin_store_task_new (self, cin_store_set_following_async, cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdupv ((char **)handles), (GDestroyNotify)g_strfreev);
  _cin_store_push (self, task, set_following_job);
}

gboolean
cin_store_set_following_finish (CinStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_set_following_async, error);
}

void
cin_store_list_following_async (CinStore            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));

  task = _cin_store_task_new (self, cin_store_list_following_async, cancellable, callback, user_data);
  _cin_store_push (self, task, list_following_job);
}

GStrv
cin_store_list_following_finish (CinStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_list_following_async, error);
}
