/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ui-save-error"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "cin-autosave.h"
#include "cin-paths.h"
#include "cin-store-private.h"
#include "cin-window-private.h"
#include "ui-test-utils.h"

#define TITLE "磁盘满了也不丢"

static char *
stored_body (const char *id)
{
  g_autofree char *path = cin_paths_get_store_path ("local");
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *body = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT body FROM notes WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    body = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return body;
}

static gboolean
saved (gpointer data)
{
  return g_strcmp0 (_cin_window_get_save_status (data), _("Saved")) == 0;
}

static gboolean
banner_shown (gpointer data)
{
  return _cin_window_get_save_error (data) != NULL;
}

static gboolean
banner_gone (gpointer data)
{
  return _cin_window_get_save_error (data) == NULL && saved (data);
}

static void
set_max_pages (CinWindow *window,
               gint64     pages)
{
  CinApplication *app = CIN_APPLICATION (gtk_window_get_application (GTK_WINDOW (window)));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (_cin_store_set_max_page_count (cin_application_get_store (app), pages, &error), >, 0);
  g_assert_no_error (error);
}

static void
disk_full_script (CinWindow *window)
{
  CinComposer *composer = cin_window_get_composer (window);
  GtkTextBuffer *body = cin_composer_get_body_buffer (composer);
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  GtkTextIter start, end;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-draft", NULL);
  id = g_strdup (cin_note_get_id (cin_window_get_current (window)));
  cin_test_type (cin_composer_get_title_buffer (composer), TITLE);
  cin_test_type (body, "第一段");
  cin_test_wait_until (saved, window, "the first save");

  /* The file may not grow by a page: the next save needs more room. */
  set_max_pages (window, 1);
  for (guint i = 0; i < 400; i++)
    g_string_append (long_text, "这一段要写很多字，直到磁盘装不下。");
  gtk_text_buffer_insert_at_cursor (body, long_text->str, -1);
  cin_test_wait_until (banner_shown, window, "the disk-full banner");

  g_assert_cmpstr (_cin_window_get_save_error (window), ==,
                   _("Drafts can't be saved: the disk is full. Free some space; "
                     "your text stays open and is saved as soon as there is room."));
  g_assert_cmpstr (_cin_window_get_save_status (window), ==, _("Not saved"));
  /* What was saved before is still there, untouched. */
  before = stored_body (id);
  g_assert_cmpstr (before, ==, "第一段");

  /* Closing would lose the text: the window stays, with the reason. */
  gtk_window_close (GTK_WINDOW (window));
  cin_test_wait_ms (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_nonnull (_cin_window_get_save_error (window));

  /* Room again: "Save Again" writes everything, and the banner goes. */
  set_max_pages (window, G_MAXINT32);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-now", NULL);
  cin_test_wait_until (banner_gone, window, "the banner to go once saved");

  gtk_text_buffer_get_bounds (body, &start, &end);
  expected = gtk_text_buffer_get_text (body, &start, &end, FALSE);
  after = stored_body (id);
  g_assert_cmpstr (after, ==, expected);

  cin_test_quit (window);
}

static void
test_disk_full (void)
{
  cin_test_ui_run_app (disk_full_script);
}

int
main (int   argc,
      char *argv[])
{
  cin_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/save-error/disk-full", test_disk_full);

  return g_test_run ();
}
