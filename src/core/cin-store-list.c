/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-list"

#include <string.h>

#include "cin-store-private.h"

/* The lists the UI reads, on the writer thread: summaries of every note
 * not in the trash, in the order asked for; the ids of those a search
 * matches; and the topics and people the creator has used. None reads more of a body
 * than it needs: a summary takes the start of the first line, and the
 * search runs inside SQLite. */

/* Enough of the body for the excerpt once leading blank lines are gone:
 * one character more than it shows (the 81 below) tells it to add "…".
 * Whether a refused change waits is asked in the same query, through
 * outbox_by_entity, so the draft box still costs one query. */
G_STATIC_ASSERT (CIN_NOTE_EXCERPT_CHARS + 1 == 81);
#define SUMMARY_COLUMNS \
  "id, title, substr(ltrim(body, char(32, 9, 10, 13)), 1, 81), created_at, updated_at, " \
  "state, sync_state, conflict_of IS NOT NULL, " \
  "EXISTS (SELECT 1 FROM outbox WHERE outbox.entity_kind = 'note' " \
  "        AND outbox.entity_id = notes.id AND outbox.parked)"

enum {
  COL_ID,
  COL_TITLE,
  COL_BODY_START,
  COL_CREATED_AT,
  COL_UPDATED_AT,
  COL_STATE,
  COL_SYNC_STATE,
  COL_CONFLICT_COPY,
  COL_REFUSED,
};

/* The text of a column, as SQLite holds it when it is valid UTF-8 (no
 * copy: the summary makes the only one), else repaired into @repaired: a
 * file another program wrote may hold text that is not UTF-8, and the
 * list shows it repaired rather than refusing the whole draft box. */
static const char *
peek_valid_text (sqlite3_stmt  *stmt,
                 int            column,
                 char         **repaired)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);
  int len = sqlite3_column_bytes (stmt, column);

  if (text == NULL)
    return "";
  if (g_utf8_validate_len (text, len, NULL))
    return text;
  *repaired = g_utf8_make_valid (text, len);
  return *repaired;
}

static CinNoteSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *repaired_title = NULL;
  g_autofree char *repaired_body = NULL;
  const char *title = peek_valid_text (stmt, COL_TITLE, &repaired_title);
  const char *body_start = peek_valid_text (stmt, COL_BODY_START, &repaired_body);
  CinNoteSummary *summary;
  CinNoteState state = CIN_NOTE_STATE_DRAFT;
  CinSyncState sync_state = CIN_SYNC_STATE_CREATED;

  summary = cin_note_summary_new ((const char *)sqlite3_column_text (stmt, COL_ID),
                                  title, body_start,
                                  sqlite3_column_int64 (stmt, COL_CREATED_AT),
                                  sqlite3_column_int64 (stmt, COL_UPDATED_AT));
  /* An unknown value shows as a draft never synced rather than hiding
   * the note from the list. */
  cin_note_state_from_string ((const char *)sqlite3_column_text (stmt, COL_STATE), &state);
  cin_sync_state_from_string ((const char *)sqlite3_column_text (stmt, COL_SYNC_STATE), &sync_state);
  cin_note_summary_set_sync (summary, state, sync_state,
                             sqlite3_column_int (stmt, COL_REFUSED) != 0,
                             sqlite3_column_int (stmt, COL_CONFLICT_COPY) != 0);
  return summary;
}

static int
compare_by_title (gconstpointer a,
                  gconstpointer b)
{
  return cin_note_summary_compare (*(CinNoteSummary **)a, *(CinNoteSummary **)b,
                                   CIN_NOTE_SORT_TITLE);
}

/* Every row of @sql as a summary, or NULL with @error set. */
static GPtrArray *
read_summaries (CinStoreWriter     *writer,
                const char         *sql,
                const CinListQuery *query,
                GError            **error)
{
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(GPtrArray) summaries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  stmt = _cin_store_writer_prepare (writer, sql, error);
  if (stmt == NULL)
    return NULL;

  if (query->sort != CIN_NOTE_SORT_TITLE)
    sqlite3_bind_int64 (stmt, 1, query->limit > 0 ? (sqlite3_int64)query->limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, COL_ID) != SQLITE_TEXT)
        {
          _cin_store_set_unreadable_row_error (error, db, "id");
          return NULL;
        }
      g_ptr_array_add (summaries, summary_from_row (stmt));
    }
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      return NULL;
    }

  return g_steal_pointer (&summaries);
}

void
_cin_store_list_job (CinStoreWriter *writer,
                     GTask          *task)
{
  const CinListQuery *query = g_task_get_task_data (task);
  CinNoteSort sort = query->sort;
  g_autoptr(GPtrArray) summaries = NULL;
  GError *error = NULL;
  const char *sql;

  /* The ORDER BY clauses match cin_note_summary_compare(), ties included,
   * so the draft box finds the list already in order. Titles sort in the
   * collation of the locale, which SQLite does not have: in C, below. */
  switch (sort)
    {
    case CIN_NOTE_SORT_CREATED:
      sql = "SELECT " SUMMARY_COLUMNS " FROM notes WHERE trashed_at IS NULL "
            "ORDER BY created_at DESC, updated_at DESC, id LIMIT ?1";
      break;
    case CIN_NOTE_SORT_TITLE:
      sql = "SELECT " SUMMARY_COLUMNS " FROM notes WHERE trashed_at IS NULL";
      break;
    case CIN_NOTE_SORT_UPDATED:
    default:
      sql = "SELECT " SUMMARY_COLUMNS " FROM notes WHERE trashed_at IS NULL "
            "ORDER BY updated_at DESC, id LIMIT ?1";
      break;
    }

  summaries = read_summaries (writer, sql, query, &error);

  /* A listing of every note walks the whole table, filling the page
   * cache (2 MB by default) with pages nothing is about to read again:
   * the composer loads one note, by its primary key. Give them back now
   * rather than hold them for the life of the store. */
  if (query->limit == 0 || sort == CIN_NOTE_SORT_TITLE)
    sqlite3_db_release_memory (_cin_store_writer_get_db (writer));

  if (summaries == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (sort == CIN_NOTE_SORT_TITLE)
    {
      g_ptr_array_sort (summaries, compare_by_title);
      if (query->limit > 0 && summaries->len > query->limit)
        g_ptr_array_set_size (summaries, query->limit);
    }

  g_task_return_pointer (task, g_steal_pointer (&summaries), (GDestroyNotify)g_ptr_array_unref);
}

/* The ids of the notes @needle_lowered is in, or NULL with @error set. */
static GHashTable *
find_matches (CinStoreWriter *writer,
              const char     *needle_lowered,
              GError        **error)
{
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(CinCachedStmt) stmt = NULL;
  int rc;

  /* SQLite's lower() folds ASCII only, as the search promises: "Day"
   * finds "day", and Chinese text matches as typed. */
  stmt = _cin_store_writer_prepare (writer,
    "SELECT id FROM notes WHERE trashed_at IS NULL "
    "AND (instr(lower(title), ?1) > 0 OR instr(lower(body), ?1) > 0)",
    error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, needle_lowered, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (error, db, rc);
      return NULL;
    }

  return g_steal_pointer (&ids);
}

void
_cin_store_search_job (CinStoreWriter *writer,
                       GTask          *task)
{
  const char *needle = g_task_get_task_data (task);
  GError *error = NULL;
  /* The pages a search reads stay cached: the next search, a keystroke
   * later, reads the same ones. (A full listing gives its pages back.) */
  GHashTable *ids = find_matches (writer, needle, &error);

  if (ids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ids, (GDestroyNotify)g_hash_table_unref);
}

#define TAGS_SQL(column) \
  "SELECT tag.value FROM notes, json_each (notes." column ") AS tag " \
  "WHERE notes.trashed_at IS NULL AND json_valid (notes." column ") " \
  "AND tag.type = 'text' " \
  "GROUP BY tag.value ORDER BY count(*) DESC, max(notes.updated_at) DESC LIMIT 500"

/* The task data names the column: "topics" or "mentions", both JSON
 * arrays of strings. */
void
_cin_store_tags_job (CinStoreWriter *writer,
                     GTask          *task)
{
  const char *column = g_task_get_task_data (task);
  sqlite3 *db = _cin_store_writer_get_db (writer);
  g_autoptr(GStrvBuilder) topics = g_strv_builder_new ();
  g_autoptr(CinCachedStmt) stmt = NULL;
  GError *error = NULL;
  int rc;

  g_assert (g_str_equal (column, "topics") || g_str_equal (column, "mentions"));

  /* Most used first: what the creator reaches for is at the top. A
   * column name cannot be bound, so each column has its own constant
   * text, prepared once. */
  stmt = _cin_store_writer_prepare (writer,
                                    g_str_equal (column, "topics")
                                    ? TAGS_SQL ("topics") : TAGS_SQL ("mentions"),
                                    &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *topic = (const char *)sqlite3_column_text (stmt, 0);

      if (topic != NULL && g_utf8_validate (topic, -1, NULL))
        g_strv_builder_add (topics, topic);
    }
  if (rc != SQLITE_DONE)
    {
      _cin_store_set_sqlite_error (&error, db, rc);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_strv_builder_end (topics), (GDestroyNotify)g_strfreev);
}
