/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-notes"

#include <string.h>

#include "cin-note-json.h"
#include "cin-store-private.h"
#include "cin-text.h"

/* The notes table: rows to CinNote and back, and the jobs on notes the
 * writer thread runs for cin-store.c. Saving is an UPSERT of every field
 * CinNote has; the columns it does not carry (cover, base, trashed_at) are
 * left as they are, so a note saved while in the trash stays there. The
 * error messages are made in cin-store.c and cin-store-writer.c. */

#define NOTE_COLUMNS \
  "id, kind, title, body, topics, mentions, location, visibility, original, " \
  "state, scheduled_at, created_at, updated_at, rev, sync_state"

enum {
  COL_ID,
  COL_KIND,
  COL_TITLE,
  COL_BODY,
  COL_TOPICS,
  COL_MENTIONS,
  COL_LOCATION,
  COL_VISIBILITY,
  COL_ORIGINAL,
  COL_STATE,
  COL_SCHEDULED_AT,
  COL_CREATED_AT,
  COL_UPDATED_AT,
  COL_REV,
  COL_SYNC_STATE,
};

/* Rows */

static gboolean
validate_field (const char    *text,
                CinNoteField   field,
                GError       **error)
{
  g_autoptr(GError) text_error = NULL;

  if (text == NULL || cin_text_validate (text, -1, &text_error))
    return TRUE;

  _cin_store_set_invalid_text_error (error, field, text_error);
  return FALSE;
}

static gboolean
validate_strv (const char * const  *strv,
               CinNoteField         field,
               GError             **error)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (!validate_field (strv[i], field, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_photos (GPtrArray  *photos,
                 GError    **error)
{
  for (guint i = 0; i < photos->len; i++)
    {
      if (!validate_field (cin_photo_get_alt_text (g_ptr_array_index (photos, i)),
                           CIN_NOTE_FIELD_PHOTOS, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
validate_note (CinNote  *note,
               GError  **error)
{
  return validate_field (cin_note_get_id (note), CIN_NOTE_FIELD_ID, error) &&
         validate_field (cin_note_get_title (note), CIN_NOTE_FIELD_TITLE, error) &&
         validate_field (cin_note_get_body (note), CIN_NOTE_FIELD_BODY, error) &&
         validate_strv (cin_note_get_topics (note), CIN_NOTE_FIELD_TOPICS, error) &&
         validate_strv (cin_note_get_mentions (note), CIN_NOTE_FIELD_MENTIONS, error) &&
         validate_field (cin_note_get_location (note), CIN_NOTE_FIELD_LOCATION, error) &&
         validate_field (cin_note_get_rev (note), CIN_NOTE_FIELD_REV, error) &&
         validate_photos (cin_note_get_photos (note), error);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

static GStrv
strv_column (sqlite3_stmt  *stmt,
             int            column,
             GError       **error)
{
  const char *json = column_text (stmt, column);

  return cin_strv_from_json_string (json ? json : "[]", error);
}

static CinNote *
note_from_row (sqlite3       *db,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr(CinNote) note = NULL;
  g_autoptr(GError) json_error = NULL;
  g_auto(GStrv) topics = NULL;
  g_auto(GStrv) mentions = NULL;
  CinNoteKind kind;
  CinVisibility visibility;
  CinNoteState state;
  CinSyncState sync_state;
  const char *id = column_text (stmt, COL_ID);

  if (id == NULL || !cin_note_kind_from_string (column_text (stmt, COL_KIND), &kind))
    {
      _cin_store_set_unreadable_row_error (error, db, "kind");
      return NULL;
    }
  if (!cin_visibility_from_string (column_text (stmt, COL_VISIBILITY), &visibility))
    {
      _cin_store_set_unreadable_row_error (error, db, "visibility");
      return NULL;
    }
  if (!cin_note_state_from_string (column_text (stmt, COL_STATE), &state))
    {
      _cin_store_set_unreadable_row_error (error, db, "state");
      return NULL;
    }
  if (!cin_sync_state_from_string (column_text (stmt, COL_SYNC_STATE), &sync_state))
    {
      _cin_store_set_unreadable_row_error (error, db, "sync_state");
      return NULL;
    }
  if (!(topics = strv_column (stmt, COL_TOPICS, &json_error)) ||
      !(mentions = strv_column (stmt, COL_MENTIONS, &json_error)))
    {
      _cin_store_set_unreadable_row_error (error, db, json_error->message);
      return NULL;
    }

  note = cin_note_new_with_id (id, kind);
  cin_note_set_title (note, column_text (stmt, COL_TITLE));
  cin_note_set_body (note, column_text (stmt, COL_BODY));
  cin_note_set_topics (note, (const char * const *)topics);
  cin_note_set_mentions (note, (const char * const *)mentions);
  cin_note_set_location (note, column_text (stmt, COL_LOCATION));
  cin_note_set_visibility (note, visibility);
  cin_note_set_original (note, sqlite3_column_int (stmt, COL_ORIGINAL) != 0);
  cin_note_set_state (note, state);
  cin_note_set_scheduled_at (note, sqlite3_column_int64 (stmt, COL_SCHEDULED_AT));
  cin_note_set_created_at (note, sqlite3_column_int64 (stmt, COL_CREATED_AT));
  cin_note_set_updated_at (note, sqlite3_column_int64 (stmt, COL_UPDATED_AT));
  cin_note_set_rev (note, column_text (stmt, COL_REV));
  cin_note_set_sync_state (note, sync_state);

  return g_steal_pointer (&note);
}

/* Jobs, on the writer thread */

/* The creator's edit keeps what belongs to sync (the revision, the
 * publishing state) as the store has it, since the editor's copy of a note
 * may be older than the engine's last answer, and marks the note changed
 * since it was last synced. A new note is written as it is. */
#define UPSERT_FROM_EDITOR \
  "INSERT INTO notes (" NOTE_COLUMNS ") " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) " \
  "ON CONFLICT (id) DO UPDATE SET " \
  "  kind = excluded.kind, title = excluded.title, body = excluded.body, " \
  "  topics = excluded.topics, mentions = excluded.mentions, " \
  "  location = excluded.location, visibility = excluded.visibility, " \
  "  original = excluded.original, " \
  "  scheduled_at = excluded.scheduled_at, created_at = excluded.created_at, " \
  "  updated_at = excluded.updated_at, " \
  "  sync_state = CASE WHEN notes.rev IS NULL THEN 'created' ELSE 'modified' END"

/* The server's version replaces every field it has; the note stays in
 * the trash if it is there. */
#define UPSERT_FROM_SERVER \
  "INSERT INTO notes (" NOTE_COLUMNS ", base) " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) " \
  "ON CONFLICT (id) DO UPDATE SET " \
  "  kind = excluded.kind, title = excluded.title, body = excluded.body, " \
  "  topics = excluded.topics, mentions = excluded.mentions, " \
  "  location = excluded.location, visibility = excluded.visibility, " \
  "  original = excluded.original, state = excluded.state, " \
  "  scheduled_at = excluded.scheduled_at, created_at = excluded.created_at, " \
  "  updated_at = excluded.updated_at, rev = excluded.rev, " \
  "  sync_state = excluded.sync_state, base = excluded.base"

/* @base is the server's JSON of the note, with @from_server. */
static gboolean
upsert_note (CinStoreWriter  *writer,
             CinNote         *note,
             gboolean         from_server,
             const char      *base,
             GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  g_autofree char *topics = NULL;
  g_autofree char *mentions = NULL;
  gint64 scheduled_at;

  stmt = from_server ? _cin_store_writer_prepare (writer, UPSERT_FROM_SERVER, error)
                     : _cin_store_writer_prepare (writer, UPSERT_FROM_EDITOR, error);
  if (stmt == NULL)
    return FALSE;

  topics = cin_strv_to_json_string (cin_note_get_topics (note));
  mentions = cin_strv_to_json_string (cin_note_get_mentions (note));
  scheduled_at = cin_note_get_scheduled_at (note);

  sqlite3_bind_text (stmt, 1 + COL_ID, cin_note_get_id (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_KIND, cin_note_kind_to_string (cin_note_get_kind (note)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_TITLE, cin_note_get_title (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_BODY, cin_note_get_body (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_TOPICS, topics, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_MENTIONS, mentions, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_LOCATION, cin_note_get_location (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_VISIBILITY, cin_visibility_to_string (cin_note_get_visibility (note)), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 1 + COL_ORIGINAL, cin_note_get_original (note) ? 1 : 0);
  sqlite3_bind_text (stmt, 1 + COL_STATE, cin_note_state_to_string (cin_note_get_state (note)), -1, SQLITE_STATIC);
  if (scheduled_at != 0)
    sqlite3_bind_int64 (stmt, 1 + COL_SCHEDULED_AT, scheduled_at);
  sqlite3_bind_int64 (stmt, 1 + COL_CREATED_AT, cin_note_get_created_at (note));
  sqlite3_bind_int64 (stmt, 1 + COL_UPDATED_AT, cin_note_get_updated_at (note));
  sqlite3_bind_text (stmt, 1 + COL_REV, cin_note_get_rev (note), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 1 + COL_SYNC_STATE,
                     cin_sync_state_to_string (from_server ? CIN_SYNC_STATE_SYNCED
                                                           : cin_note_get_sync_state (note)),
                     -1, SQLITE_STATIC);
  if (from_server)
    sqlite3_bind_text (stmt, 16, base, -1, SQLITE_STATIC);

  return _cin_store_writer_step (writer, stmt, error);
}

/* A synced note keeps no base (it is its own): the first edit keeps the
 * version it starts from, for a merge with the server's later. */
static gboolean
capture_base (CinStoreWriter  *writer,
              const char      *id,
              GError         **error)
{
  g_autoptr(CinNote) synced = NULL;
  g_autofree char *json = NULL;
  gboolean needed = FALSE;

  if (!_cin_store_writer_query_bool (writer,
        "SELECT 1 FROM notes WHERE id = ?1 AND sync_state = 'synced' AND base IS NULL",
        id, &needed, error))
    return FALSE;
  if (!needed)
    return TRUE;

  if (!_cin_store_read_note (writer, id, &synced, error))
    return FALSE;
  json = cin_note_to_json_string (synced);

  {
    g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
      "UPDATE notes SET base = ?2 WHERE id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
    return _cin_store_writer_step (writer, stmt, error);
  }
}

gboolean
_cin_store_save_note (CinStoreWriter  *writer,
                      CinNote         *note,
                      GError         **error)
{
  return capture_base (writer, cin_note_get_id (note), error) &&
         upsert_note (writer, note, FALSE, NULL, error) &&
         _cin_store_save_photos (writer, note, TRUE, error) &&
         _cin_store_outbox_note_edited (writer, cin_note_get_id (note), error);
}

static gboolean
save_in_transaction (CinStoreWriter  *writer,
                     gpointer         note,
                     GError         **error)
{
  return _cin_store_save_note (writer, note, error);
}

void
_cin_store_save_job (CinStoreWriter *writer,
                     GTask          *task)
{
  CinNote *note = g_task_get_task_data (task);
  GError *error = NULL;

  /* Checked before the transaction, so invalid text never takes the
   * write lock. One transaction: the note, its photos and its outbox row
   * are either the old version or the new one, never a mix. */
  if (!validate_note (note, &error) ||
      !_cin_store_writer_transaction (writer, save_in_transaction, note, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

gboolean
_cin_store_untrash (CinStoreWriter  *writer,
                    const char      *id,
                    GError         **error)
{
  return _cin_store_writer_run_with_text (writer, "UPDATE notes SET trashed_at = NULL WHERE id = ?1",
                                          id, error);
}

gboolean
_cin_store_write_server_note_full (CinStoreWriter  *writer,
                                   CinNote         *remote,
                                   gboolean         is_new,
                                   GError         **error)
{
  if (!validate_note (remote, error))
    return FALSE;

  /* Synced, the note is its own base: none is kept until the creator
   * edits it (capture_base()), which spares encoding every pulled note. */
  return upsert_note (writer, remote, TRUE, NULL, error) &&
         _cin_store_save_photos (writer, remote, !is_new, error);
}

gboolean
_cin_store_write_server_note (CinStoreWriter  *writer,
                              CinNote         *remote,
                              GError         **error)
{
  return _cin_store_write_server_note_full (writer, remote, FALSE, error);
}

gboolean
_cin_store_read_note (CinStoreWriter  *writer,
                      const char      *id,
                      CinNote        **out_note,
                      GError         **error)
{
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(CinCachedStmt) stmt = NULL;
  g_autoptr(CinNote) note = NULL;
  int rc;

  *out_note = NULL;
  stmt = _cin_store_writer_prepare (writer,
    "SELECT " NOTE_COLUMNS " FROM notes WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      return FALSE;
    }

  note = note_from_row (db, stmt, error);
  if (note == NULL || !_cin_store_load_photos (writer, note, error))
    return FALSE;

  *out_note = g_steal_pointer (&note);
  return TRUE;
}

void
_cin_store_load_job (CinStoreWriter *writer,
                     GTask          *task)
{
  const char *id = g_task_get_task_data (task);
  GError *error = NULL;
  CinNote *note;

  if (!_cin_store_read_note (writer, id, &note, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (note == NULL)
    {
      _cin_store_set_not_found_error (&error);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, note, g_object_unref);
}

gboolean
_cin_store_note_exists (CinStoreWriter  *writer,
                        const char      *id,
                        gboolean        *exists,
                        GError         **error)
{
  return _cin_store_writer_query_bool (writer, "SELECT 1 FROM notes WHERE id = ?1", id, exists, error);
}

static gboolean
trash (CinStoreWriter  *writer,
       gpointer         data,
       GError         **error)
{
  const char *id = data;
  g_autoptr(CinCachedStmt) stmt = NULL;
  gboolean exists = TRUE;

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE notes SET trashed_at = ?2 WHERE id = ?1 AND trashed_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (!_cin_store_writer_step (writer, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cin_store_writer_get_db (writer)) > 0)
    return _cin_store_outbox_note_trashed (writer, id, error);

  /* Trashing what is already in the trash is not an error: a double
   * click must not show one. */
  if (!_cin_store_note_exists (writer, id, &exists, error))
    return FALSE;
  if (!exists)
    {
      _cin_store_set_not_found_error (error);
      return FALSE;
    }
  return TRUE;
}

void
_cin_store_trash_job (CinStoreWriter *writer,
                      GTask          *task)
{
  GError *error = NULL;

  if (_cin_store_writer_transaction (writer, trash, g_task_get_task_data (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
restore (CinStoreWriter  *writer,
         gpointer         data,
         GError         **error)
{
  const char *id = data;
  g_autoptr(CinCachedStmt) stmt = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE notes SET trashed_at = NULL WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!_cin_store_writer_step (writer, stmt, error))
    return FALSE;

  if (sqlite3_changes (_cin_store_writer_get_db (writer)) == 0)
    {
      _cin_store_set_not_found_error (error);
      return FALSE;
    }

  return _cin_store_outbox_note_restored (writer, id, error);
}

void
_cin_store_restore_job (CinStoreWriter *writer,
                        GTask          *task)
{
  GError *error = NULL;

  if (_cin_store_writer_transaction (writer, restore, g_task_get_task_data (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
_cin_store_purge_job (CinStoreWriter *writer,
                      GTask          *task)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "DELETE FROM notes WHERE trashed_at IS NOT NULL", &error);
  if (stmt == NULL || !_cin_store_writer_step (writer, stmt, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

