/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-drafts"

#include <sqlite3.h>

#include "cin-paths.h"
#include "cin-store.h"
#include "ui-test-utils.h"

#define TYPED_TITLE "春日穿搭 Spring"
#define TYPED_BODY  "第一次试这支口红 💄\n颜色很显白，适合通勤。"

static CinNoteSummary *
find_by_title (CinWindow  *window,
               const char *title)
{
  GListModel *drafts = cin_draft_box_get_drafts (cin_window_get_draft_box (window));

  for (guint i = 0; i < g_list_model_get_n_items (drafts); i++)
    {
      g_autoptr(CinNoteSummary) summary = g_list_model_get_item (drafts, i);

      if (g_str_equal (cin_note_summary_get_title (summary), title))
        return summary;
    }

  return NULL;
}

static void
open_by_title (CinWindow  *window,
               const char *title)
{
  CinNoteSummary *summary = find_by_title (window, title);

  g_assert_nonnull (summary);
  cin_test_open_draft (window, cin_note_summary_get_id (summary));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Reads the draft database behind the app's back, as a second process
 * would: what is there is what survives a crash. */
static char *
stored_column (const char *id,
               const char *column)
{
  g_autofree char *path = cin_paths_get_store_path ("local");
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM notes WHERE id = ?", column);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL
                      ? "NULL" : (const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static gboolean
one_draft_shown (gpointer data)
{
  return g_list_model_get_n_items (cin_draft_box_get_shown (cin_window_get_draft_box (data))) == 1;
}

/* --- type, quit, restart ------------------------------------------------ */

static void
type_and_quit_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);

  g_assert_cmpuint (g_list_model_get_n_items (cin_draft_box_get_drafts (cin_window_get_draft_box (window))), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  g_assert_nonnull (cin_window_get_current (window));

  cin_test_type (cin_composer_get_title_buffer (composer), TYPED_TITLE);
  cin_test_type (cin_composer_get_body_buffer (composer), TYPED_BODY);

  g_assert_cmpstr (cin_note_get_title (cin_window_get_current (window)), ==, TYPED_TITLE);
  cin_test_quit (window);
}

static void
find_after_restart_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  CinNoteSummary *summary = find_by_title (window, TYPED_TITLE);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  g_assert_nonnull (summary);
  g_assert_cmpstr (cin_note_summary_get_excerpt (summary), ==, "第一次试这支口红 💄");
  g_assert_true (one_draft_shown (window));

  cin_test_open_draft (window, cin_note_summary_get_id (summary));
  g_assert_cmpstr (cin_note_get_body (cin_window_get_current (window)), ==, TYPED_BODY);
  title = buffer_text (cin_composer_get_title_buffer (composer));
  body = buffer_text (cin_composer_get_body_buffer (composer));
  g_assert_cmpstr (title, ==, TYPED_TITLE);
  g_assert_cmpstr (body, ==, TYPED_BODY);

  cin_test_quit (window);
}

static void
test_restart_type (void)
{
  cin_test_ui_run_app (type_and_quit_script);
}

static void
test_restart_find (void)
{
  cin_test_ui_run_app (find_after_restart_script);
}

static void
test_type_quit_restart (void)
{
  cin_test_run_then_restart ("/ui/drafts/restart/subprocess/type", "/ui/drafts/restart/subprocess/find");
}

/* --- delete and undo ------------------------------------------------------ */

static char *deleted_id;

static gboolean
is_trashed (gpointer id)
{
  g_autofree char *trashed_at = stored_column (id, "trashed_at");

  return trashed_at != NULL && !g_str_equal (trashed_at, "NULL");
}

static gboolean
is_restored (gpointer id)
{
  g_autofree char *trashed_at = stored_column (id, "trashed_at");

  return g_strcmp0 (trashed_at, "NULL") == 0;
}

static gboolean
is_current (gpointer data)
{
  CinWindow *window = data;

  return cin_window_get_current (window) != NULL &&
         g_strcmp0 (cin_note_get_id (cin_window_get_current (window)), deleted_id) == 0;
}

static void
write_drafts (CinWindow *window,
              guint      n)
{
  CinComposer *composer = cin_window_get_composer (window);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("草稿 %u", i + 1);

      gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
      cin_test_type (cin_composer_get_title_buffer (composer), title);
      cin_test_type (cin_composer_get_body_buffer (composer), "正文");
    }
}

static void
delete_and_undo_script (CinWindow *window)
{
  CinDraftBox *box = cin_window_get_draft_box (window);
  GListModel *drafts = cin_draft_box_get_drafts (box);
  GVariant *target;

  write_drafts (window, 3);
  g_assert_cmpuint (g_list_model_get_n_items (drafts), ==, 3);

  open_by_title (window, "草稿 2");
  deleted_id = g_strdup (cin_note_get_id (cin_window_get_current (window)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-draft", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (drafts), ==, 2);
  g_assert_null (find_by_title (window, "草稿 2"));
  g_assert_null (cin_window_get_current (window));
  cin_test_wait_until (is_trashed, deleted_id, "the draft to reach the trash");

  /* What the toast's Undo button activates. */
  target = g_variant_new_string (deleted_id);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.undo-delete", target);
  cin_test_wait_until (is_current, window, "the deleted draft to come back");
  g_assert_cmpuint (g_list_model_get_n_items (drafts), ==, 3);
  g_assert_nonnull (find_by_title (window, "草稿 2"));
  cin_test_wait_until (is_restored, deleted_id, "the draft to leave the trash");

  /* A second delete, not undone, must stay deleted across a restart. */
  open_by_title (window, "草稿 3");
  g_free (deleted_id);
  deleted_id = g_strdup (cin_note_get_id (cin_window_get_current (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-draft", NULL);
  cin_test_wait_until (is_trashed, deleted_id, "the draft to reach the trash");

  cin_test_quit (window);
}

static gboolean
is_purged (gpointer id)
{
  g_autofree char *value = stored_column (id, "id");

  return value == NULL;
}

static void
deleted_stays_deleted_script (CinWindow *window)
{
  g_autofree char *body = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (cin_draft_box_get_drafts (cin_window_get_draft_box (window))), ==, 2);
  g_assert_nonnull (find_by_title (window, "草稿 1"));
  g_assert_nonnull (find_by_title (window, "草稿 2"));
  g_assert_null (find_by_title (window, "草稿 3"));
  body = stored_column (cin_note_summary_get_id (find_by_title (window, "草稿 2")), "body");
  g_assert_cmpstr (body, ==, "正文");
  /* Past its undo, a deleted draft leaves the file for good. */
  cin_test_wait_until (is_purged, deleted_id, "the trash to be emptied");

  cin_test_quit (window);
}

static void
test_delete_undo_run (void)
{
  g_autofree char *id_file = g_build_filename (g_getenv ("CIN_TEST_HOME"), "deleted-id", NULL);

  cin_test_ui_run_app (delete_and_undo_script);
  g_assert_true (g_file_set_contents (id_file, deleted_id, -1, NULL));
}

static void
test_delete_undo_restart (void)
{
  g_autofree char *id_file = g_build_filename (g_getenv ("CIN_TEST_HOME"), "deleted-id", NULL);

  g_assert_true (g_file_get_contents (id_file, &deleted_id, NULL, NULL));
  cin_test_ui_run_app (deleted_stays_deleted_script);
}

static void
test_delete_undo (void)
{
  cin_test_run_then_restart ("/ui/drafts/delete/subprocess/run", "/ui/drafts/delete/subprocess/restart");
}

static void
count_frame_cb (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

/* A window left alone draws nothing: no animation on a page it doesn't
 * show keeps the frame clock running (the loading page's spinner did). */
static void
idle_window_script (CinWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint frames = 0;

  /* No text caret blinking, and the page change to the drafts is over. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  cin_test_wait_ms (1000);

  g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &frames);
  cin_test_wait_ms (1000);
  g_signal_handlers_disconnect_by_func (clock, count_frame_cb, &frames);
  g_assert_cmpuint (frames, ==, 0);

  cin_test_quit (window);
}

static void
test_idle_window (void)
{
  cin_test_ui_run_app (idle_window_script);
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  /* Each pair of runs gets a home of its own. */
  g_test_add_func ("/ui/drafts/restart", test_type_quit_restart);
  g_test_add_func ("/ui/drafts/restart/subprocess/type", test_restart_type);
  g_test_add_func ("/ui/drafts/restart/subprocess/find", test_restart_find);
  g_test_add_func ("/ui/drafts/delete", test_delete_undo);
  g_test_add_func ("/ui/drafts/delete/subprocess/run", test_delete_undo_run);
  g_test_add_func ("/ui/drafts/delete/subprocess/restart", test_delete_undo_restart);
  g_test_add_func ("/ui/drafts/idle", test_idle_window);

  return g_test_run ();
}
