/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-storage-sqlite-people"

#include "cin-storage-sqlite-private.h"

/* Who follows whom (follows), and the topics of listed notes (topics and
 * topic_uses, schema v3), kept as notes are put. */

static void
sql_fold (sqlite3_context  *context,
          int               n_args,
          sqlite3_value   **args)
{
  const char *text = (const char *)sqlite3_value_text (args[0]);
  g_autofree char *folded = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      sqlite3_result_null (context);
      return;
    }
  folded = cin_storage_fold_topic (text);
  sqlite3_result_text (context, folded, -1, SQLITE_TRANSIENT);
}

gboolean
_cin_sqlite_add_functions (sqlite3  *db,
                           GError  **error)
{
  if (sqlite3_create_function_v2 (db, "cin_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  sql_fold, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  _cin_sqlite_set_error (db, error);
  return FALSE;
}

/* Topics */

/* As the migration to schema v3 indexed the notes published before it,
 * from the stored JSON, for one row; an empty topic is no topic. */
#define NOTE_TOPICS_OF_ROW \
  "FROM entities e, json_each (e.json, '$.topics') t " \
  "WHERE e.rowid = ?1 AND e.listed AND e.kind = 'note' AND t.type = 'text' AND t.value <> ''"

gboolean
_cin_sqlite_index_topics (CinStorage  *storage,
                          gint64       rowid,
                          GError     **error)
{
  const char * const steps[] = {
    /* The triggers on topic_uses count, and drop what nothing carries. */
    "DELETE FROM topic_uses WHERE note = ?1",
    "INSERT INTO topics (name, folded, notes) SELECT t.value, cin_fold (t.value), 0 "
    NOTE_TOPICS_OF_ROW " ON CONFLICT (name) DO NOTHING",
    /* OR IGNORE: a note that names a topic twice counts once. */
    "INSERT OR IGNORE INTO topic_uses (note, name) SELECT e.rowid, t.value " NOTE_TOPICS_OF_ROW,
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = _cin_sqlite_prepare (storage, steps[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!_cin_sqlite_run (db_of (storage), stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Walks topics_by_use in order, so the page stops after @limit matches
 * rather than sorting every topic; the index holds the folded name, so
 * the match reads no row. */
gboolean
_cin_sqlite_topics_suggest (CinStorage          *storage,
                            const char          *query,
                            guint                limit,
                            CinTopicVisitFunc    visit,
                            gpointer             user_data,
                            GError             **error)
{
  g_autofree char *folded = cin_storage_fold_topic (query);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT name, notes FROM topics INDEXED BY topics_by_use "
                              "WHERE instr (folded, ?1) > 0 "
                              "ORDER BY notes DESC, name LIMIT ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CinTopicUse topic = {
        .name = (const char *)sqlite3_column_text (stmt, 0),
        .notes = sqlite3_column_int64 (stmt, 1),
      };

      if (!visit (&topic, user_data))
        break;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cin_sqlite_set_error (db_of (storage), error);
      ok = FALSE;
    }
  _cin_sqlite_done (stmt);
  return ok;
}

/* Follows */

gboolean
_cin_sqlite_follow_put (CinStorage  *storage,
                        gint64       follower,
                        gint64       followee,
                        gint64       now,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage,
                              "INSERT INTO follows (follower, followee, followed_at) VALUES (?, ?, ?) "
                              "ON CONFLICT (follower, followee) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, follower);
  sqlite3_bind_int64 (stmt, 2, followee);
  sqlite3_bind_int64 (stmt, 3, now);
  return _cin_sqlite_run (db_of (storage), stmt, error);
}

gboolean
_cin_sqlite_follow_delete (CinStorage  *storage,
                           gint64       follower,
                           gint64       followee,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _cin_sqlite_prepare (storage, "DELETE FROM follows WHERE follower = ? AND followee = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, follower);
  sqlite3_bind_int64 (stmt, 2, followee);
  return _cin_sqlite_run (db_of (storage), stmt, error);
}

/* From follows_by_time, in its order; the cursor is a range on it. */
gboolean
_cin_sqlite_following_list (CinStorage          *storage,
                            gint64               follower,
                            gint64               after_followed_at,
                            gint64               after_account_id,
                            guint                limit,
                            CinFollowVisitFunc   visit,
                            gpointer             user_data,
                            GError             **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  stmt = _cin_sqlite_prepare (storage,
                              "SELECT f.followee, a.handle, f.followed_at "
                              "FROM follows f JOIN accounts a ON a.id = f.followee "
                              "WHERE f.follower = ?1 AND (f.followed_at, f.followee) < (?2, ?3) "
                              "ORDER BY f.followed_at DESC, f.followee DESC LIMIT ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, follower);
  sqlite3_bind_int64 (stmt, 2, after_followed_at != 0 ? after_followed_at : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, after_followed_at != 0 ? after_account_id : G_MAXINT64);
  sqlite3_bind_int (stmt, 4, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CinFollow follow = {
        .account_id = sqlite3_column_int64 (stmt, 0),
        .handle = (const char *)sqlite3_column_text (stmt, 1),
        .followed_at = sqlite3_column_int64 (stmt, 2),
      };

      if (!visit (&follow, user_data))
        break;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cin_sqlite_set_error (db_of (storage), error);
      ok = FALSE;
    }
  _cin_sqlite_done (stmt);
  return ok;
}
