/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-outbox"

#include "cin-note-json.h"
#include "cin-note-merge.h"
#include "cin-store-private.h"
#include "cin-store-sync-private.h"

/* The outbox: one row per change waiting for the server, in order per
 * note. A put row's payload stays NULL while the creator keeps editing, so
 * consecutive edits share one request; the first attempt freezes it with
 * its Idempotency-Key, and a later edit queues a new row behind it. A row
 * the server refused (parked) never reached it, so an edit may reuse it
 * with a fresh payload and key. */

static char *
new_idempotency_key (void)
{
  return g_uuid_string_random ();
}

/* The newest row of @note_id, if any. */
typedef struct {
  gint64       id;
  CinOutboxOp  op;
  guint        attempts;
  gboolean     parked;
} TailRow;

static gboolean
read_tail_row (CinStoreWriter  *writer,
               const char      *note_id,
               TailRow         *tail,
               gboolean        *found,
               GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer,
    "SELECT id, op, attempts, parked FROM outbox "
    "WHERE entity_kind = 'note' AND entity_id = ?1 ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }

  tail->id = sqlite3_column_int64 (stmt, 0);
  if (!cin_outbox_op_from_string ((const char *)sqlite3_column_text (stmt, 1), &tail->op))
    {
      _cin_store_set_unreadable_row_error (error, _cin_store_writer_get_db (writer), "op");
      return FALSE;
    }
  tail->attempts = (guint)sqlite3_column_int (stmt, 2);
  tail->parked = sqlite3_column_int (stmt, 3) != 0;
  return TRUE;
}

static gboolean
insert_row (CinStoreWriter  *writer,
            const char      *note_id,
            CinOutboxOp      op,
            const char      *payload,
            const char      *base_rev,
            gint64           next_attempt_at,
            GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  g_autofree char *key = new_idempotency_key ();

  stmt = _cin_store_writer_prepare (writer,
    "INSERT INTO outbox (entity_kind, entity_id, op, payload, idempotency_key, base_rev,"
    "                    next_attempt_at, created_at) "
    "VALUES ('note', ?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cin_outbox_op_to_string (op), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, base_rev, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, next_attempt_at);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  return _cin_store_writer_step (writer, stmt, error);
}

/* Makes @row_id a fresh put: its payload taken when next sent, a new key,
 * due now. Only for a row the server never took. */
static gboolean
reset_row (CinStoreWriter  *writer,
           gint64           row_id,
           GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  g_autofree char *key = new_idempotency_key ();

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE outbox SET payload = CASE WHEN op = 'put' THEN NULL ELSE payload END,"
    "  idempotency_key = ?2, attempts = 0, parked = 0, next_attempt_at = 0, last_error = NULL "
    "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, row_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  return _cin_store_writer_step (writer, stmt, error);
}

static gboolean
delete_row (CinStoreWriter  *writer,
            gint64           row_id,
            GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;

  stmt = _cin_store_writer_prepare (writer, "DELETE FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row_id);
  return _cin_store_writer_step (writer, stmt, error);
}

gboolean
_cin_store_outbox_has_rows (CinStoreWriter  *writer,
                            const char      *note_id,
                            gboolean        *has_rows,
                            GError         **error)
{
  return _cin_store_writer_query_bool (writer,
    "SELECT 1 FROM outbox WHERE entity_kind = 'note' AND entity_id = ?1 LIMIT 1",
    note_id, has_rows, error);
}

static gboolean
is_trashed (CinStoreWriter  *writer,
            const char      *note_id,
            gboolean        *trashed,
            GError         **error)
{
  return _cin_store_writer_query_bool (writer, "SELECT trashed_at IS NOT NULL FROM notes WHERE id = ?1",
                                       note_id, trashed, error);
}

/* Hooks of the edits (cin-store-notes.c) */

gboolean
_cin_store_outbox_note_edited (CinStoreWriter  *writer,
                               const char      *note_id,
                               GError         **error)
{
  TailRow tail = { 0, };
  gboolean found = FALSE;
  gboolean trashed = FALSE;

  /* An edit in the trash goes out if the note is restored. */
  if (!is_trashed (writer, note_id, &trashed, error))
    return FALSE;
  if (trashed)
    return TRUE;

  if (!read_tail_row (writer, note_id, &tail, &found, error))
    return FALSE;

  if (found && tail.op == CIN_OUTBOX_PUT && tail.attempts == 0 && !tail.parked)
    return TRUE;  /* the waiting row will carry this edit too */
  if (found && tail.op == CIN_OUTBOX_PUT && tail.parked)
    return reset_row (writer, tail.id, error);

  return insert_row (writer, note_id, CIN_OUTBOX_PUT, NULL, NULL, 0, error);
}

gboolean
_cin_store_outbox_note_trashed (CinStoreWriter  *writer,
                                const char      *note_id,
                                GError         **error)
{
  g_autoptr(CinNote) note = NULL;

  if (!_cin_store_read_note (writer, note_id, &note, error))
    return FALSE;

  return insert_row (writer, note_id, CIN_OUTBOX_DELETE, NULL,
                     note != NULL ? cin_note_get_rev (note) : NULL,
                     g_get_real_time () + CIN_STORE_DELETE_GRACE_USEC, error);
}

gboolean
_cin_store_outbox_note_restored (CinStoreWriter  *writer,
                                 const char      *note_id,
                                 GError         **error)
{
  /* When the undo came in time the server never hears of the delete;
   * otherwise the note goes back as it is now (as new, once the delete
   * went through). Either way edits made in the trash follow. */
  return _cin_store_writer_run_with_text (writer,
           "DELETE FROM outbox WHERE entity_kind = 'note' AND entity_id = ?1 "
           "AND op = 'delete' AND attempts = 0", note_id, error) &&
         _cin_store_outbox_note_edited (writer, note_id, error);
}

/* Jobs */

typedef struct {
  gint64       id;
  char        *note_id;
  CinOutboxOp  op;
  char        *payload;
  char        *key;
  char        *base_rev;
  guint        attempts;
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->note_id, g_free);
  g_clear_pointer (&row->payload, g_free);
  g_clear_pointer (&row->key, g_free);
  g_clear_pointer (&row->base_rev, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Row, row_clear)

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

#define ROW_COLUMNS "id, entity_id, op, payload, idempotency_key, base_rev, attempts"

static gboolean
row_from_stmt (CinStoreWriter  *writer,
               sqlite3_stmt    *stmt,
               Row             *row,
               GError         **error)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->note_id = dup_column (stmt, 1);
  if (!cin_outbox_op_from_string ((const char *)sqlite3_column_text (stmt, 2), &row->op))
    {
      _cin_store_set_unreadable_row_error (error, _cin_store_writer_get_db (writer), "op");
      return FALSE;
    }
  row->payload = dup_column (stmt, 3);
  row->key = dup_column (stmt, 4);
  row->base_rev = dup_column (stmt, 5);
  row->attempts = (guint)sqlite3_column_int (stmt, 6);
  return TRUE;
}

static gboolean
read_row (CinStoreWriter  *writer,
          gint64           row_id,
          Row             *row,
          gboolean        *found,
          GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer,
    "SELECT " ROW_COLUMNS " FROM outbox WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row_id);
  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }
  return row_from_stmt (writer, stmt, row, error);
}

/* The oldest due row that heads its note's queue. */
static gboolean
find_due_row (CinStoreWriter  *writer,
              gint64           now,
              Row             *row,
              gboolean        *found,
              gint64          *next_due,
              GError         **error)
{
  int rc;

  {
    g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
      "SELECT " ROW_COLUMNS " FROM outbox o "
      "WHERE o.parked = 0 AND o.next_attempt_at <= ?1 AND o.id = "
      "  (SELECT min(id) FROM outbox p WHERE p.entity_kind = o.entity_kind "
      "                                  AND p.entity_id = o.entity_id) "
      "ORDER BY o.id LIMIT 1", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, now);
    rc = sqlite3_step (stmt);
    *found = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW)
      return row_from_stmt (writer, stmt, row, error);
    if (rc != SQLITE_DONE)
      {
        _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
        return FALSE;
      }
  }

  {
    g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
      "SELECT min(o.next_attempt_at) FROM outbox o "
      "WHERE o.parked = 0 AND o.id = "
      "  (SELECT min(id) FROM outbox p WHERE p.entity_kind = o.entity_kind "
      "                                  AND p.entity_id = o.entity_id)", error);

    if (stmt == NULL)
      return FALSE;
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW)
      {
        _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
        return FALSE;
      }
    /* Due rows have been claimed: what is left comes due later; 0 is
     * "nothing", and a row due "at 0" was claimed above. */
    *next_due = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? 0 : MAX (sqlite3_column_int64 (stmt, 0), 1);
  }

  return TRUE;
}

static gboolean
freeze_attempt (CinStoreWriter  *writer,
                gint64           row_id,
                const char      *payload,
                GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE outbox SET payload = ?2, attempts = attempts + 1 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row_id);
  sqlite3_bind_text (stmt, 2, payload, -1, SQLITE_STATIC);
  return _cin_store_writer_step (writer, stmt, error);
}

/* Turns @row into the request to send, or sets *@item to NULL when the
 * row has nothing left to do (its note is gone, or never reached the
 * server) and is dropped. */
static gboolean
claim_row (CinStoreWriter  *writer,
           Row             *row,
           CinOutboxItem  **out_item,
           GError         **error)
{
  g_autoptr(CinOutboxItem) item = g_new0 (CinOutboxItem, 1);
  g_autoptr(CinNote) note = NULL;
  g_autofree char *payload = NULL;
  const char *rev;

  *out_item = NULL;
  if (!_cin_store_read_note (writer, row->note_id, &note, error))
    return FALSE;

  rev = note != NULL ? cin_note_get_rev (note) : row->base_rev;
  if ((note == NULL && row->op != CIN_OUTBOX_DELETE) ||
      (rev == NULL && row->op != CIN_OUTBOX_PUT))
    return delete_row (writer, row->id, error);

  if (row->op == CIN_OUTBOX_PUT)
    {
      /* A retry sends the very request the first attempt sent. */
      payload = row->payload != NULL ? g_strdup (row->payload) : cin_note_to_json_string (note);
      item->note = cin_note_from_json_string (payload, error);
      if (item->note == NULL)
        return FALSE;
    }
  else
    {
      payload = g_strdup (row->payload);
      if (row->op == CIN_OUTBOX_SCHEDULE && payload != NULL)
        item->scheduled_at = g_ascii_strtoll (payload, NULL, 10);
    }

  if (!freeze_attempt (writer, row->id, payload, error))
    return FALSE;

  item->id = row->id;
  item->note_id = g_strdup (row->note_id);
  item->op = row->op;
  item->idempotency_key = g_strdup (row->key);
  item->rev = g_strdup (rev);
  item->attempts = row->attempts + 1;
  *out_item = g_steal_pointer (&item);
  return TRUE;
}

static gboolean
claim (CinStoreWriter  *writer,
       gint64           now,
       CinOutboxItem  **item,
       gint64          *next_due,
       GError         **error)
{
  *item = NULL;
  *next_due = 0;

  /* Rows with nothing left to do are dropped on the way. */
  for (;;)
    {
      g_auto(Row) row = { 0, };
      gboolean found = FALSE;

      if (!find_due_row (writer, now, &row, &found, next_due, error))
        return FALSE;
      if (!found)
        return TRUE;
      if (!claim_row (writer, &row, item, error))
        return FALSE;
      if (*item != NULL)
        return TRUE;
    }
}

static gboolean
claim_in_transaction (CinStoreWriter  *writer,
                      gpointer         data,
                      GError         **error)
{
  CinClaimRequest *request = data;

  return claim (writer, request->now, &request->item, &request->next_due, error);
}

void
_cin_store_claim_job (CinStoreWriter *writer,
                      GTask          *task)
{
  CinClaimRequest *request = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_cin_store_writer_transaction (writer, claim_in_transaction, request, &error))
    {
      g_clear_pointer (&request->item, cin_outbox_item_free);
      g_task_return_error (task, error);
      return;
    }

  /* NULL with no error: nothing due. */
  g_task_return_pointer (task, g_steal_pointer (&request->item), (GDestroyNotify)cin_outbox_item_free);
}

/* done */

static gboolean
set_sync_columns (CinStoreWriter  *writer,
                  CinNote         *remote,
                  GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  g_autofree char *base = cin_note_to_json_string (remote);
  gint64 scheduled_at = cin_note_get_scheduled_at (remote);

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE notes SET rev = ?2, base = ?3, state = ?4, scheduled_at = ?5 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cin_note_get_id (remote), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cin_note_get_rev (remote), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, base, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, cin_note_state_to_string (cin_note_get_state (remote)), -1, SQLITE_STATIC);
  if (scheduled_at != 0)
    sqlite3_bind_int64 (stmt, 5, scheduled_at);
  return _cin_store_writer_step (writer, stmt, error);
}

static gboolean
forget_server_copy (CinStoreWriter  *writer,
                    const char      *note_id,
                    GError         **error)
{
  return _cin_store_writer_run_with_text (writer,
    "UPDATE notes SET rev = NULL, base = NULL, sync_state = 'created' WHERE id = ?1", note_id, error);
}

static gboolean
done (CinStoreWriter  *writer,
      gint64           row_id,
      CinNote         *remote,
      GError         **error)
{
  g_auto(Row) row = { 0, };
  gboolean found = FALSE;
  gboolean pending = FALSE;
  gboolean exists = FALSE;

  if (!read_row (writer, row_id, &row, &found, error))
    return FALSE;
  if (!found)
    return TRUE;  /* answered twice */
  if (!delete_row (writer, row_id, error) ||
      !_cin_store_outbox_has_rows (writer, row.note_id, &pending, error) ||
      !_cin_store_note_exists (writer, row.note_id, &exists, error))
    return FALSE;
  if (!exists)
    return TRUE;  /* purged meanwhile */

  if (remote == NULL)
    return forget_server_copy (writer, row.note_id, error);

  /* With nothing else waiting, what the server has is what the creator
   * has: take it whole, so both sides are the same to the byte. Else
   * only the revision and base move, under the newer local edits. */
  if (!pending)
    return _cin_store_write_server_note (writer, remote, error);
  return set_sync_columns (writer, remote, error);
}

/* The server's note, its photos named as the store names them. */
static gboolean
localize (CinStoreWriter  *writer,
          CinRowResult    *result,
          GError         **error)
{
  CinNote *local;

  if (result->note == NULL)
    return TRUE;
  local = _cin_store_localize_note (writer, result->note, error);
  if (local == NULL)
    return FALSE;
  g_object_unref (result->note);
  result->note = local;
  return TRUE;
}

static gboolean
done_in_transaction (CinStoreWriter  *writer,
                     gpointer         data,
                     GError         **error)
{
  CinRowResult *result = data;

  return localize (writer, result, error) &&
         done (writer, result->row_id, result->note, error);
}

void
_cin_store_done_job (CinStoreWriter *writer,
                     GTask          *task)
{
  GError *error = NULL;

  if (_cin_store_writer_transaction (writer, done_in_transaction, g_task_get_task_data (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* retry, park, unpark */

void
_cin_store_retry_job (CinStoreWriter *writer,
                      GTask          *task)
{
  CinRowResult *result = g_task_get_task_data (task);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE outbox SET next_attempt_at = ?2, last_error = ?3, parked = ?4 WHERE id = ?1", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, result->row_id);
      sqlite3_bind_int64 (stmt, 2, result->next_attempt_at);
      sqlite3_bind_text (stmt, 3, result->reason, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, result->park ? 1 : 0);
    }
  if (stmt == NULL || !_cin_store_writer_step (writer, stmt, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
unpark (CinStoreWriter  *writer,
        gpointer         data,
        GError         **error)
{
  const char *note_id = data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  {
    g_autoptr(CinCachedStmt) stmt = _cin_store_writer_prepare (writer,
      "SELECT id FROM outbox WHERE entity_kind = 'note' AND entity_id = ?1 AND parked != 0", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_STATIC);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        g_array_append_val (ids, id);
      }
  }

  for (guint i = 0; i < ids->len; i++)
    {
      if (!reset_row (writer, g_array_index (ids, gint64, i), error))
        return FALSE;
    }
  return TRUE;
}

void
_cin_store_unpark_job (CinStoreWriter *writer,
                       GTask          *task)
{
  GError *error = NULL;

  if (_cin_store_writer_transaction (writer, unpark, g_task_get_task_data (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* merge (412) */

static gboolean
read_base (CinStoreWriter  *writer,
           const char      *note_id,
           CinNote        **base,
           GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;
  const char *json;
  int rc;

  *base = NULL;
  stmt = _cin_store_writer_prepare (writer, "SELECT base FROM notes WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, note_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, _cin_store_writer_get_db (writer), rc);
      return FALSE;
    }
  json = rc == SQLITE_ROW ? (const char *)sqlite3_column_text (stmt, 0) : NULL;
  /* A base an older build wrote that no longer decodes is as good as
   * none: the merge then treats every difference as a change. */
  if (json != NULL)
    *base = cin_note_from_json_string (json, NULL);
  return TRUE;
}

static gboolean
delete_put_rows (CinStoreWriter  *writer,
                 const char      *note_id,
                 GError         **error)
{
  return _cin_store_writer_run_with_text (writer,
    "DELETE FROM outbox WHERE entity_kind = 'note' AND entity_id = ?1 AND op = 'put'", note_id, error);
}

static gboolean
set_conflict_of (CinStoreWriter  *writer,
                 const char      *copy_id,
                 const char      *note_id,
                 GError         **error)
{
  g_autoptr(CinCachedStmt) stmt = NULL;

  stmt = _cin_store_writer_prepare (writer,
    "UPDATE notes SET conflict_of = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, copy_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, note_id, -1, SQLITE_STATIC);
  return _cin_store_writer_step (writer, stmt, error);
}

/* The local side of a conflict becomes a new draft, queued to be sent. */
static gboolean
make_conflict_copy (CinStoreWriter  *writer,
                    CinNote         *local,
                    char           **copy_id,
                    GError         **error)
{
  g_autoptr(CinNote) copy = cin_note_duplicate (local);

  cin_note_set_created_at (copy, cin_note_get_created_at (local));
  cin_note_set_updated_at (copy, cin_note_get_updated_at (local));
  if (!_cin_store_save_note (writer, copy, error) ||
      !set_conflict_of (writer, cin_note_get_id (copy), cin_note_get_id (local), error))
    return FALSE;

  *copy_id = g_strdup (cin_note_get_id (copy));
  return TRUE;
}

static gboolean
merge (CinStoreWriter  *writer,
       gint64           row_id,
       CinNote         *remote,
       char           **copy_id,
       GError         **error)
{
  g_auto(Row) row = { 0, };
  g_autoptr(CinNote) local = NULL;
  g_autoptr(CinNote) base = NULL;
  g_autoptr(CinNote) merged = NULL;
  gboolean found = FALSE;
  gboolean conflict = FALSE;

  *copy_id = NULL;
  if (!read_row (writer, row_id, &row, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  if (!_cin_store_read_note (writer, row.note_id, &local, error) ||
      !read_base (writer, row.note_id, &base, error))
    return FALSE;

  if (local == NULL)
    return delete_row (writer, row_id, error);

  switch (row.op)
    {
    case CIN_OUTBOX_DELETE:
      /* Deleted here, changed there: keeping the server's words beats
       * dropping them, so the note comes back from the trash. */
      return delete_row (writer, row_id, error) &&
             _cin_store_write_server_note (writer, remote, error) &&
             _cin_store_untrash (writer, row.note_id, error);

    case CIN_OUTBOX_PUBLISH:
    case CIN_OUTBOX_SCHEDULE:
    case CIN_OUTBOX_UNPUBLISH:
      /* Only puts can wait before a state change, and none does: the note
       * changed elsewhere. Take it, and ask again at its revision. */
      return _cin_store_write_server_note (writer, remote, error) &&
             reset_row (writer, row_id, error);

    case CIN_OUTBOX_PUT:
    default:
      break;
    }

  /* The note as it is now holds this row's edit and any made since. */
  merged = cin_note_merge (base, local, remote, &conflict);
  if (conflict)
    return make_conflict_copy (writer, local, copy_id, error) &&
           delete_put_rows (writer, row.note_id, error) &&
           _cin_store_write_server_note (writer, remote, error);

  if (cin_note_same_content (merged, remote))
    return delete_put_rows (writer, row.note_id, error) &&
           _cin_store_write_server_note (writer, remote, error);

  /* The merge goes out as a fresh request on top of the server's
   * revision; later rows of the note fold into it. */
  if (!_cin_store_write_server_note (writer, remote, error) ||
      !delete_put_rows (writer, row.note_id, error))
    return FALSE;
  cin_note_set_rev (merged, cin_note_get_rev (remote));
  return _cin_store_save_note (writer, merged, error);
}

static gboolean
merge_in_transaction (CinStoreWriter  *writer,
                      gpointer         data,
                      GError         **error)
{
  CinRowResult *result = data;

  return localize (writer, result, error) &&
         merge (writer, result->row_id, result->note, &result->copy_id, error);
}

void
_cin_store_merge_job (CinStoreWriter *writer,
                      GTask          *task)
{
  CinRowResult *result = g_task_get_task_data (task);
  GError *error = NULL;

  if (!_cin_store_writer_transaction (writer, merge_in_transaction, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* "" for a clean merge, so NULL only ever means an error. */
  g_task_return_pointer (task, result->copy_id != NULL ? g_steal_pointer (&result->copy_id) : g_strdup (""),
                         g_free);
}

/* Publishing */

void
_cin_store_request_state_job (CinStoreWriter *writer,
                              GTask          *task)
{
  CinRowResult *request = g_task_get_task_data (task);
  g_autofree char *payload = NULL;
  gboolean exists = FALSE;
  GError *error = NULL;

  if (!_cin_store_note_exists (writer, request->note_id, &exists, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!exists)
    {
      _cin_store_set_not_found_error (&error);
      g_task_return_error (task, error);
      return;
    }

  if (request->op == CIN_OUTBOX_SCHEDULE)
    payload = g_strdup_printf ("%" G_GINT64_FORMAT, request->next_attempt_at);
  if (!insert_row (writer, request->note_id, request->op, payload, NULL, 0, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The status list */

void
_cin_store_list_outbox_job (CinStoreWriter *writer,
                            GTask          *task)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_outbox_entry_free);
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer,
    "SELECT o.entity_id, coalesce (n.title, ''), o.op, o.parked, o.attempts, o.last_error "
    "FROM outbox o LEFT JOIN notes n ON n.id = o.entity_id "
    "WHERE o.entity_kind = 'note' ORDER BY o.id", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CinOutboxEntry *entry = g_new0 (CinOutboxEntry, 1);

      entry->note_id = dup_column (stmt, 0);
      entry->title = dup_column (stmt, 1);
      if (!cin_outbox_op_from_string ((const char *)sqlite3_column_text (stmt, 2), &entry->op))
        entry->op = CIN_OUTBOX_PUT;
      entry->parked = sqlite3_column_int (stmt, 3) != 0;
      entry->attempts = (guint)sqlite3_column_int (stmt, 4);
      entry->last_error = dup_column (stmt, 5);
      g_ptr_array_add (entries, entry);
    }
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, _cin_store_writer_get_db (writer), rc);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&entries), (GDestroyNotify)g_ptr_array_unref);
}
