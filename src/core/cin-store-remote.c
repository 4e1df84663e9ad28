/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-remote"

#include <string.h>

#include "cin-store-sync-private.h"

/* What comes from the server: pages of the change feed, applied with the
 * cursor in one transaction so a crash never skips or repeats a page, and
 * the progress of uploads. */

static gboolean
local_rev_is (CinStoreWriter  *writer,
              const char      *id,
              const char      *rev,
              gboolean        *same,
              gboolean        *exists,
              GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer, "SELECT rev FROM notes WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }
  *exists = rc == SQLITE_ROW;
  *same = rc == SQLITE_ROW && g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), rev) == 0;
  return TRUE;
}

/* The stored file's name for what the server calls @remote_sha256: the
 * same, unless this store uploaded it from a different file. */
static gboolean
local_sha256 (CinStoreWriter  *writer,
              const char      *remote_sha256,
              char           **local,
              char           **local_mime,
              GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  /* The stored file's type too: a HEIC photo went up as JPEG. */
  stmt = _cin_store_writer_prepare (writer,
    "SELECT u.sha256, (SELECT mime FROM media m WHERE m.sha256 = u.sha256 LIMIT 1) "
    "FROM uploads u WHERE u.remote_sha256 = ?1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, remote_sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }
  *local = g_strdup (rc == SQLITE_ROW ? (const char *)sqlite3_column_text (stmt, 0) : remote_sha256);
  *local_mime = rc == SQLITE_ROW ? g_strdup ((const char *)sqlite3_column_text (stmt, 1)) : NULL;
  return TRUE;
}

CinNote *
_cin_store_localize_note (CinStoreWriter  *writer,
                          CinNote         *remote,
                          GError         **error)
{
  g_autoptr(CinNote) note = NULL;

  /* Most notes name no photo this store uploaded under another name. */
  if (cin_note_get_n_photos (remote) == 0)
    return g_object_ref (remote);
  note = cin_note_copy (remote);

  for (guint i = 0; i < cin_note_get_n_photos (note); i++)
    {
      CinPhoto *photo = cin_note_get_photo (note, i);
      g_autofree char *local = NULL;
      g_autofree char *local_mime = NULL;

      if (!local_sha256 (writer, cin_photo_get_sha256 (photo), &local, &local_mime, error))
        return NULL;
      if (!g_str_equal (local, cin_photo_get_sha256 (photo)))
        {
          g_autoptr(CinPhoto) stored =
            cin_photo_with_file (photo, local, local_mime != NULL ? local_mime : cin_photo_get_mime (photo));

          cin_note_replace_photo (note, i, stored);
        }
    }
  return g_steal_pointer (&note);
}

/* What holds for the whole page: applying it writes neither table. */
typedef struct {
  gboolean outbox_empty;   /* no local edit waits for any note */
  gboolean uploads_empty;  /* no photo was uploaded under another name */
} PageState;

static gboolean
apply_change (CinStoreWriter   *writer,
              CinRemoteChange  *change,
              CinApplyFlags     flags,
              const PageState  *state,
              GError          **error)
{
  g_autoptr(CinNote) local = NULL;
  gboolean pending = FALSE;
  gboolean same = FALSE;
  gboolean exists = FALSE;

  if ((flags & CIN_APPLY_RESYNC) &&
      !_cin_store_writer_run_with_text (writer, "INSERT OR IGNORE INTO temp.resync_seen (id) VALUES (?1)", change->id, error))
    return FALSE;

  /* Local edits wait to be sent: sending them meets this version as a
   * 412 and merges there, so nothing the creator typed is overwritten. */
  if (!state->outbox_empty && !_cin_store_outbox_has_rows (writer, change->id, &pending, error))
    return FALSE;
  if (pending)
    return TRUE;

  if (change->note == NULL)
    return _cin_store_writer_run_with_text (writer, "DELETE FROM notes WHERE id = ?1", change->id, error);

  /* Our own change coming back. */
  if (!local_rev_is (writer, change->id, change->rev, &same, &exists, error))
    return FALSE;
  if (same)
    return TRUE;

  local = state->uploads_empty ? g_object_ref (change->note)
                               : _cin_store_localize_note (writer, change->note, error);
  return local != NULL && _cin_store_write_server_note_full (writer, local, !exists, error);
}

static gboolean
set_cursor (CinStoreWriter  *writer,
            const char      *cursor,
            GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "INSERT INTO sync_cursor (id, cursor, updated_at) VALUES (1, ?1, ?2) "
    "ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cursor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  return _cin_store_writer_step (writer, stmt, error);
}

static gboolean
apply_page (CinStoreWriter   *writer,
            gpointer          data,
            GError          **error)
{
  CinApplyRequest *request = data;
  sqlite3 *db = _cin_store_writer_get_db (writer);
  PageState state = { FALSE, FALSE };

  if (request->flags & CIN_APPLY_RESYNC_FIRST)
    {
      /* The temp schema belongs to this connection, and the writer has
       * the only one. */
      if (!_cin_store_exec (db, "CREATE TEMP TABLE IF NOT EXISTS resync_seen (id TEXT PRIMARY KEY)", error) ||
          !_cin_store_exec (db, "DELETE FROM temp.resync_seen", error))
        return FALSE;
    }

  /* Asked once rather than for every note and photo: a first pull
   * meets both tables empty. */
  if (!_cin_store_writer_query_bool (writer,
                                     "SELECT NOT EXISTS (SELECT 1 FROM outbox WHERE entity_kind = 'note')",
                                     NULL, &state.outbox_empty, error) ||
      !_cin_store_writer_query_bool (writer, "SELECT NOT EXISTS (SELECT 1 FROM uploads)",
                                     NULL, &state.uploads_empty, error))
    return FALSE;

  for (guint i = 0; i < request->changes->len; i++)
    {
      if (!apply_change (writer, g_ptr_array_index (request->changes, i), request->flags, &state, error))
        return FALSE;
    }

  /* Deleted on the server while the cursor had expired, so no tombstone
   * came: a note synced before, untouched here since, and not in the
   * full listing, is gone there. */
  if ((request->flags & CIN_APPLY_RESYNC_LAST) &&
      !_cin_store_exec (db,
        "DELETE FROM notes WHERE rev IS NOT NULL AND sync_state = 'synced' "
        "AND id NOT IN (SELECT id FROM temp.resync_seen) "
        "AND id NOT IN (SELECT entity_id FROM outbox WHERE entity_kind = 'note')", error))
    return FALSE;

  /* A resync's cursor is kept only with its last page: stopped in the
   * middle, the next start meets the old cursor's 410 and reads everything
   * again, so the notes gone from the server are still found. */
  if ((request->flags & CIN_APPLY_RESYNC) && !(request->flags & CIN_APPLY_RESYNC_LAST))
    return TRUE;
  return set_cursor (writer, request->cursor, error);
}

void
_cin_store_apply_job (CinStoreWriter *writer,
                      GTask          *task)
{
  sqlite3 *db = _cin_store_writer_get_db (writer);
  GError *error = NULL;
  gboolean applied;

  /* Room for the indexes keyed by random ids (notes, photos, files) as a
   * page of hundreds of notes grows them: in SQLite's default 2 MB their
   * pages are spilled into the WAL in the middle of the transaction and
   * read back a few rows later. Only while a page is applied: the rest of
   * the time the draft box's memory matters more. */
  sqlite3_exec (db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
  applied = _cin_store_writer_transaction (writer, apply_page, g_task_get_task_data (task), &error);
  sqlite3_exec (db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);

  if (applied)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
_cin_store_cursor_job (CinStoreWriter *writer,
                       GTask          *task)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer, "SELECT cursor FROM sync_cursor WHERE id = 1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, _cin_store_writer_get_db (writer), rc);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task,
                         rc == SQLITE_ROW ? g_strdup ((const char *)sqlite3_column_text (stmt, 0)) : NULL,
                         g_free);
}

/* Uploads */

void
_cin_store_get_upload_job (CinStoreWriter *writer,
                           GTask          *task)
{
  CinUploadRequest *request = g_task_get_task_data (task);
  g_autoptr(CinUploadState) state = g_new0 (CinUploadState, 1);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer,
    "SELECT url, offset, length, done, remote_sha256 FROM uploads WHERE sha256 = ?1", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, request->sha256, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      state->url = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      state->offset = (guint64)sqlite3_column_int64 (stmt, 1);
      state->length = (guint64)sqlite3_column_int64 (stmt, 2);
      state->done = sqlite3_column_int (stmt, 3) != 0;
      state->remote_sha256 = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
    }
  else if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, _cin_store_writer_get_db (writer), rc);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&state), (GDestroyNotify)cin_upload_state_free);
}

void
_cin_store_set_upload_job (CinStoreWriter *writer,
                           GTask          *task)
{
  CinUploadRequest *request = g_task_get_task_data (task);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "INSERT INTO uploads (sha256, url, offset, length, done, updated_at, remote_sha256) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (sha256) DO UPDATE SET url = excluded.url, offset = excluded.offset, "
    "  length = excluded.length, done = excluded.done, updated_at = excluded.updated_at, "
    "  remote_sha256 = excluded.remote_sha256",
    &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, request->sha256, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, request->state->url, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, (gint64)request->state->offset);
      sqlite3_bind_int64 (stmt, 4, (gint64)request->state->length);
      sqlite3_bind_int (stmt, 5, request->state->done ? 1 : 0);
      sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
      sqlite3_bind_text (stmt, 7, request->state->remote_sha256, -1, SQLITE_STATIC);
    }
  if (stmt == NULL || !_cin_store_writer_step (writer, stmt, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Media files */

void
cin_note_file_free (CinNoteFile *file)
{
  if (file == NULL)
    return;
  g_free (file->note_id);
  g_free (file->sha256);
  g_free (file->mime);
  g_free (file);
}

static gboolean
step_note_files (CinStoreWriter  *writer,
                 sqlite3_stmt    *stmt,
                 GPtrArray       *files,
                 GError         **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CinNoteFile *file = g_new0 (CinNoteFile, 1);

      file->note_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      file->sha256 = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      file->mime = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      g_ptr_array_add (files, file);
    }
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }
  return TRUE;
}

static int
compare_by_sha256 (gconstpointer a,
                   gconstpointer b)
{
  const CinNoteFile *file_a = *(const CinNoteFile * const *)a;
  const CinNoteFile *file_b = *(const CinNoteFile * const *)b;

  return strcmp (file_a->sha256, file_b->sha256);
}

/* The rows come sorted by file, so a caller can group a file's notes. */
void
_cin_store_list_note_files_job (CinStoreWriter *writer,
                                GTask          *task)
{
  const char * const *note_ids = g_task_get_task_data (task);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_note_file_free);
  GError *error = NULL;

  if (note_ids == NULL)
    {
      g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
        "SELECT m.note_id, m.sha256, m.mime FROM media m JOIN notes n ON n.id = m.note_id "
        "WHERE n.trashed_at IS NULL ORDER BY m.sha256", &error);

      if (stmt == NULL || !step_note_files (writer, stmt, files, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      for (guint i = 0; note_ids[i] != NULL; i++)
        {
          g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
            "SELECT m.note_id, m.sha256, m.mime FROM media m JOIN notes n ON n.id = m.note_id "
            "WHERE m.note_id = ?1 AND n.trashed_at IS NULL", &error);

          if (stmt == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          sqlite3_bind_text (stmt, 1, note_ids[i], -1, SQLITE_STATIC);
          if (!step_note_files (writer, stmt, files, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
      g_ptr_array_sort (files, compare_by_sha256);
    }
  g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify)g_ptr_array_unref);
}
