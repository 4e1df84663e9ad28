/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "store-test-util"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "store-test-util.h"

char *
store_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cin-store-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
store_test_rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* A test may have left it read-only on purpose. */
      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          store_test_rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
store_test_result_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
store_test_wait (GAsyncResult **result)
{
  GMainContext *context = g_main_context_get_thread_default ();

  while (*result == NULL)
    g_main_context_iteration (context, TRUE);

  return *result;
}

CinStore *
store_test_open (const char  *path,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_open_async (path, NULL, store_test_result_cb, &result);
  return cin_store_open_finish (store_test_wait (&result), error);
}

gboolean
store_test_save (CinStore  *store,
                 CinNote   *note,
                 GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_save_note_async (store, note, NULL, store_test_result_cb, &result);
  return cin_store_save_note_finish (store, store_test_wait (&result), error);
}

CinNote *
store_test_load (CinStore    *store,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_load_note_async (store, id, NULL, store_test_result_cb, &result);
  return cin_store_load_note_finish (store, store_test_wait (&result), error);
}

GPtrArray *
store_test_list_first (CinStore     *store,
                       CinNoteSort   sort,
                       guint         limit,
                       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_list_summaries_async (store, sort, limit, NULL, store_test_result_cb, &result);
  return cin_store_list_summaries_finish (store, store_test_wait (&result), error);
}

GPtrArray *
store_test_list (CinStore     *store,
                 CinNoteSort   sort,
                 GError      **error)
{
  return store_test_list_first (store, sort, 0, error);
}

GHashTable *
store_test_search (CinStore    *store,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_search_notes_async (store, text, NULL, store_test_result_cb, &result);
  return cin_store_search_notes_finish (store, store_test_wait (&result), error);
}

gboolean
store_test_trash (CinStore    *store,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_trash_note_async (store, id, NULL, store_test_result_cb, &result);
  return cin_store_trash_note_finish (store, store_test_wait (&result), error);
}

gboolean
store_test_restore (CinStore    *store,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_restore_note_async (store, id, NULL, store_test_result_cb, &result);
  return cin_store_restore_note_finish (store, store_test_wait (&result), error);
}

gboolean
store_test_purge (CinStore  *store,
                  GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_purge_trash_async (store, NULL, store_test_result_cb, &result);
  return cin_store_purge_trash_finish (store, store_test_wait (&result), error);
}

void
store_test_close (CinStore *store)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cin_store_close_async (store, NULL, store_test_result_cb, &result);
  cin_store_close_finish (store, store_test_wait (&result), &error);
  g_assert_no_error (error);
}

gboolean
store_test_flush (CinAutosave  *autosave,
                  GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_autosave_flush_async (autosave, NULL, store_test_result_cb, &result);
  return cin_autosave_flush_finish (autosave, store_test_wait (&result), error);
}

static gboolean
on_deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
store_test_run_until (gboolean (*condition) (gpointer),
                      gpointer   data,
                      guint      timeout_ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *deadline = g_timeout_source_new (timeout_ms);

  g_source_set_callback (deadline, on_deadline_cb, &expired, NULL);
  g_source_attach (deadline, context);

  while (!condition (data) && !expired)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  return condition (data);
}

char *
store_test_file_sha256 (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, len);
}

CinNote *
store_test_make_note (const char *id,
                      guint       variant)
{
  const char * const topics[] = { "春日穿搭", "OOTD", "🌸花花", NULL };
  const char * const mentions[] = { "@小红薯", "@Café_Ami", NULL };
  g_autofree char *title = g_strdup_printf ("第%u篇 春日穿搭🌸✨", variant);
  g_autofree char *body = g_strdup_printf ("今天的穿搭分享 👩‍🎨\n"
                                           "第二行: café, naïve, 한국어, 🇨🇳🇫🇷\n"
                                           "variant %u — 👍🏽 ZWJ 👨‍👩‍👧‍👦", variant);
  CinNote *note = cin_note_new_with_id (id, variant % 2 ? CIN_NOTE_KIND_VIDEO : CIN_NOTE_KIND_PHOTO);

  cin_note_set_title (note, title);
  cin_note_set_body (note, body);
  cin_note_set_topics (note, topics);
  cin_note_set_mentions (note, mentions);
  cin_note_set_location (note, variant % 3 ? "上海·静安寺" : NULL);
  cin_note_set_visibility (note, variant % 3);
  cin_note_set_original (note, variant % 2);
  cin_note_set_state (note, variant % 2 ? CIN_NOTE_STATE_SCHEDULED : CIN_NOTE_STATE_DRAFT);
  cin_note_set_scheduled_at (note, variant % 2 ? G_GINT64_CONSTANT (1767225600123456) : 0);
  cin_note_set_created_at (note, G_GINT64_CONSTANT (1735689600000001) + variant);
  cin_note_set_updated_at (note, G_GINT64_CONSTANT (1735689600000001) + 1000 * variant);
  cin_note_set_rev (note, variant % 2 ? "rev-42" : NULL);
  cin_note_set_sync_state (note, variant % 4);

  /* Photo notes get variant % 4 photos, cropped and described. */
  for (guint i = 0; cin_note_get_kind (note) == CIN_NOTE_KIND_PHOTO && i < variant % 4; i++)
    {
      g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)&i, sizeof i);
      g_autofree char *seed = g_strdup_printf ("%s/%u", id, i);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_MD5, seed, -1);
      g_autofree char *alt = g_strdup_printf ("第%u张：窗边的咖啡 ☕ %u", i + 1, variant);
      g_autofree char *photo_id = NULL;
      g_autoptr(CinPhoto) photo = NULL;

      /* The same note and place always make the same photo id. */
      photo_id = g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s", hash, hash + 8, hash + 12, hash + 15, hash + 18);
      photo = cin_photo_new_full (photo_id, sha256, i % 2 ? "image/png" : "image/jpeg",
                                                      3024 + i, 4032 - i, i % 4, 0.25 * i, 0.75,
                                                      i == 1 ? "" : alt);

      cin_note_insert_photo (note, i, photo);
    }

  return note;
}

void
store_test_assert_notes_equal (CinNote *a,
                               CinNote *b)
{
  g_assert_cmpstr (cin_note_get_id (a), ==, cin_note_get_id (b));
  g_assert_cmpint (cin_note_get_kind (a), ==, cin_note_get_kind (b));
  g_assert_cmpstr (cin_note_get_title (a), ==, cin_note_get_title (b));
  g_assert_cmpstr (cin_note_get_body (a), ==, cin_note_get_body (b));
  g_assert_true (g_strv_equal (cin_note_get_topics (a), cin_note_get_topics (b)));
  g_assert_true (g_strv_equal (cin_note_get_mentions (a), cin_note_get_mentions (b)));
  g_assert_cmpstr (cin_note_get_location (a), ==, cin_note_get_location (b));
  g_assert_cmpint (cin_note_get_visibility (a), ==, cin_note_get_visibility (b));
  g_assert_cmpint (cin_note_get_original (a), ==, cin_note_get_original (b));
  g_assert_cmpint (cin_note_get_state (a), ==, cin_note_get_state (b));
  g_assert_cmpint (cin_note_get_scheduled_at (a), ==, cin_note_get_scheduled_at (b));
  g_assert_cmpint (cin_note_get_created_at (a), ==, cin_note_get_created_at (b));
  g_assert_cmpint (cin_note_get_updated_at (a), ==, cin_note_get_updated_at (b));
  g_assert_cmpstr (cin_note_get_rev (a), ==, cin_note_get_rev (b));
  g_assert_cmpint (cin_note_get_sync_state (a), ==, cin_note_get_sync_state (b));
  g_assert_cmpuint (cin_note_get_n_photos (a), ==, cin_note_get_n_photos (b));
  for (guint i = 0; i < cin_note_get_n_photos (a); i++)
    {
      CinPhoto *pa = cin_note_get_photo (a, i);
      CinPhoto *pb = cin_note_get_photo (b, i);

      g_assert_cmpstr (cin_photo_get_id (pa), ==, cin_photo_get_id (pb));
      g_assert_cmpstr (cin_photo_get_sha256 (pa), ==, cin_photo_get_sha256 (pb));
      g_assert_cmpstr (cin_photo_get_mime (pa), ==, cin_photo_get_mime (pb));
      g_assert_cmpstr (cin_photo_get_alt_text (pa), ==, cin_photo_get_alt_text (pb));
      g_assert_cmpuint (cin_photo_get_width (pa), ==, cin_photo_get_width (pb));
      g_assert_cmpuint (cin_photo_get_height (pa), ==, cin_photo_get_height (pb));
      g_assert_cmpint (cin_photo_get_crop (pa), ==, cin_photo_get_crop (pb));
      g_assert_cmpfloat (cin_photo_get_crop_x (pa), ==, cin_photo_get_crop_x (pb));
      g_assert_cmpfloat (cin_photo_get_crop_y (pa), ==, cin_photo_get_crop_y (pb));
      g_assert_true (cin_photo_equal (pa, pb));
    }
}

static sqlite3 *
sqlite_open_flags (const char *path,
                   int         flags)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags, NULL);

  if (rc != SQLITE_OK)
    g_error ("Opening %s: %s", path, sqlite3_errstr (rc));
  sqlite3_busy_timeout (db, 5000);
  return db;
}

sqlite3 *
store_test_sqlite_open (const char *path)
{
  return sqlite_open_flags (path, SQLITE_OPEN_READWRITE);
}

sqlite3 *
store_test_sqlite_open_create (const char *path)
{
  return sqlite_open_flags (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
}

void
store_test_sqlite_exec (sqlite3    *db,
                        const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static sqlite3_stmt *
prepare_one_row (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: no row (%s)", sql, sqlite3_errmsg (db));
  return stmt;
}

gint64
store_test_sqlite_int (sqlite3    *db,
                       const char *sql)
{
  sqlite3_stmt *stmt = prepare_one_row (db, sql);
  gint64 value = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  return value;
}

char *
store_test_sqlite_text (sqlite3    *db,
                        const char *sql)
{
  sqlite3_stmt *stmt = prepare_one_row (db, sql);
  char *value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  return value;
}

char *
store_test_sqlite_dump (sqlite3    *db,
                        const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY 1", table);
  GString *dump = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          int type = sqlite3_column_type (stmt, i);

          g_string_append_printf (dump, "%s%s=%d:", i ? " | " : "",
                                  sqlite3_column_name (stmt, i), type);
          if (type != SQLITE_NULL)
            g_string_append_len (dump, (const char *)sqlite3_column_blob (stmt, i),
                                 sqlite3_column_bytes (stmt, i));
        }
      g_string_append_c (dump, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  return g_string_free (dump, FALSE);
}

GStrv
store_test_topics (CinStore  *store,
                   GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_list_topics_async (store, NULL, store_test_result_cb, &result);
  return cin_store_list_topics_finish (store, store_test_wait (&result), error);
}

GStrv
store_test_mentions (CinStore  *store,
                     GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_list_mentions_async (store, NULL, store_test_result_cb, &result);
  return cin_store_list_mentions_finish (store, store_test_wait (&result), error);
}
