/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-people"

#include "cin-store-sync-private.h"

/* The people the account follows, kept so @mentions complete from them
 * while offline too. Sync writes the server's whole list at once; the
 * composer reads it. */

/* The list as stored, in its order. */
static GStrv
read_following (CinStoreWriter  *writer,
                GError         **error)
{
  g_autoptr(GStrvBuilder) handles = g_strv_builder_new ();
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer, "SELECT handle FROM following ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (handles, (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return NULL;
    }
  return g_strv_builder_end (handles);
}

typedef struct {
  GStrv    handles;  /* the server's list, each name once */
  gboolean changed;
} Replace;

/* Most refreshes find nobody new: then nothing is written. */
static gboolean
replace_following (CinStoreWriter  *writer,
                   gpointer         data,
                   GError         **error)
{
  Replace *replace = data;
  g_auto(GStrv) stored = read_following (writer, error);
  g_autoptr(CinCachedStmt) clear = NULL;

  if (stored == NULL)
    return FALSE;
  replace->changed = !g_strv_equal ((const char * const *)stored, (const char * const *)replace->handles);
  if (!replace->changed)
    return TRUE;

  clear = _cin_store_writer_prepare (writer, "DELETE FROM following", error);
  if (clear == NULL || !_cin_store_writer_step (writer, clear, error))
    return FALSE;
  for (guint i = 0; replace->handles[i] != NULL; i++)
    {
      g_autoptr(CinCachedStmt) stmt = NULL;

      stmt = _cin_store_writer_prepare (writer,
                                        "INSERT INTO following (handle, position) VALUES (?1, ?2)",
                                        error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, replace->handles[i], -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 2, (int)i);
      if (!_cin_store_writer_step (writer, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static void
set_following_job (CinStoreWriter *writer,
                   GTask          *task)
{
  Replace *replace = g_task_get_task_data (task);
  GError *error = NULL;

  if (_cin_store_writer_transaction (writer, replace_following, replace, &error))
    g_task_return_int (task, replace->changed);
  else
    g_task_return_error (task, error);
}

static void
list_following_job (CinStoreWriter *writer,
                    GTask          *task)
{
  GError *error = NULL;
  GStrv handles = read_following (writer, &error);

  if (handles == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, handles, (GDestroyNotify)g_strfreev);
}

static void
replace_free (Replace *replace)
{
  g_strfreev (replace->handles);
  g_free (replace);
}

void
cin_store_set_following_async (CinStore            *self,
                               const char * const  *handles,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) once = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Replace *replace;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (handles != NULL);

  /* A list that names someone twice keeps the first, newest place. */
  for (guint i = 0; handles[i] != NULL; i++)
    {
      g_return_if_fail (g_utf8_validate (handles[i], -1, NULL));
      if (g_hash_table_add (seen, (gpointer)handles[i]))
        g_strv_builder_add (once, handles[i]);
    }

  task = _cin_store_task_new (self, cin_store_set_following_async, cancellable, callback, user_data);
  replace = g_new0 (Replace, 1);
  replace->handles = g_strv_builder_end (once);
  g_task_set_task_data (task, replace, (GDestroyNotify)replace_free);
  _cin_store_push (self, task, set_following_job);
}

gboolean
cin_store_set_following_finish (CinStore      *self,
                                GAsyncResult  *result,
                                gboolean      *changed,
                                GError       **error)
{
  gssize written;

  g_return_val_if_fail (CIN_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_store_set_following_async, FALSE);

  written = g_task_propagate_int (G_TASK (result), error);
  if (changed != NULL)
    *changed = written > 0;
  return written >= 0;
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
