/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The acceptance test for "a kill -9 never loses a saved draft": a child
 * types into several notes through CinAutosave and reports every save;
 * this kills it with SIGKILL at random moments, hundreds of times against
 * the same file, and after every kill checks with plain SQLite that the
 * file is intact and every reported save is there, byte for byte. */
#define G_LOG_DOMAIN "test-crash"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cin-store.h"
#include "crash-content.h"
#include "store-test-util.h"

#define N_NOTES      4
#define DEBOUNCE_MS  10

typedef enum {
  KILL_WHILE_TYPING,     /* 0–150 ms after the child is ready */
  KILL_AFTER_SAVED,      /* the moment the k-th "saved" line arrives */
  KILL_WHILE_STARTING,   /* 0–30 ms after spawning: opening, migrating */
} KillMode;

typedef struct {
  GMainLoop        *loop;
  GSubprocess      *child;
  GDataInputStream *out;
  KillMode          mode;
  guint             kill_after_saves;
  guint             saves;
  gboolean          ready;
  gboolean          killed;
  gboolean          exited;
  gboolean          eof;
  GSource          *kill_timer;
  int               last_step[N_NOTES];   /* -1: nothing reported */
} Run;

static void
kill_child (Run *run)
{
  if (run->killed)
    return;
  run->killed = TRUE;
  g_subprocess_force_exit (run->child);
  if (run->kill_timer != NULL)
    {
      g_source_destroy (run->kill_timer);
      g_clear_pointer (&run->kill_timer, g_source_unref);
    }
}

static gboolean
on_kill_timer_cb (gpointer user_data)
{
  Run *run = user_data;

  g_clear_pointer (&run->kill_timer, g_source_unref);
  kill_child (run);
  return G_SOURCE_REMOVE;
}

static void
arm_kill_timer (Run   *run,
                guint  delay_ms)
{
  g_assert (run->kill_timer == NULL);
  run->kill_timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (run->kill_timer, on_kill_timer_cb, run, NULL);
  g_source_attach (run->kill_timer, NULL);
}

static void
maybe_quit (Run *run)
{
  if (run->eof && run->exited)
    g_main_loop_quit (run->loop);
}

static void
handle_line (Run        *run,
             const char *line)
{
  if (g_str_equal (line, "ready"))
    {
      run->ready = TRUE;
      if (run->mode == KILL_WHILE_TYPING)
        arm_kill_timer (run, g_test_rand_int_range (0, 151));
      else if (run->mode == KILL_AFTER_SAVED)
        arm_kill_timer (run, 3000);  /* in case the saves never come */
      return;
    }

  if (g_str_has_prefix (line, "saved "))
    {
      g_auto(GStrv) parts = g_strsplit (line, " ", -1);
      guint index, step;

      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      g_assert_true (g_str_has_prefix (parts[1], "crash-note-"));
      index = atoi (parts[1] + strlen ("crash-note-"));
      step = atoi (parts[2]);
      g_assert_cmpuint (index, <, N_NOTES);
      /* Saves of one note are reported in order. */
      g_assert_cmpint ((int)step, >=, run->last_step[index]);
      run->last_step[index] = step;
      run->saves++;

      if (run->mode == KILL_AFTER_SAVED && run->saves == run->kill_after_saves)
        kill_child (run);
      return;
    }

  g_error ("Unexpected line from the child: %s", line);
}

static void
on_line_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (run->out, result, NULL, &error);
  g_assert_no_error (error);

  if (line == NULL)
    {
      run->eof = TRUE;
      maybe_quit (run);
      return;
    }

  handle_line (run, line);
  g_data_input_stream_read_line_async (run->out, G_PRIORITY_DEFAULT, NULL, on_line_cb, run);
}

static void
on_child_exited_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (run->child, result, &error);
  g_assert_no_error (error);

  /* Nothing but our SIGKILL may end it: a save that failed exits 1. */
  if (!(g_subprocess_get_if_signaled (run->child) &&
        g_subprocess_get_term_sig (run->child) == SIGKILL))
    g_error ("The crash child ended on its own (status %d)",
             g_subprocess_get_status (run->child));

  run->exited = TRUE;
  maybe_quit (run);
}

static void
verify_file (const char *path,
             guint       run_number,
             const Run  *run,
             guint      *n_checked)
{
  g_autofree char *integrity = NULL;
  gboolean reported = FALSE;
  sqlite3_stmt *stmt = NULL;
  gboolean seen[N_NOTES] = { FALSE, };
  sqlite3 *db;
  int rc;

  for (guint i = 0; i < N_NOTES; i++)
    reported |= run->last_step[i] >= 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* Killed before SQLite even created the file. */
      g_assert_false (reported);
      return;
    }

  /* As the app would find it after the crash: opening recovers the WAL. */
  db = store_test_sqlite_open (path);
  integrity = store_test_sqlite_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  if (store_test_sqlite_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'notes'") == 0)
    {
      /* Killed before the first migration committed. */
      g_assert_false (reported);
      sqlite3_close (db);
      return;
    }
  g_assert_cmpint (store_test_sqlite_int (db, "PRAGMA user_version"), ==, cin_store_schema_version ());

  rc = sqlite3_prepare_v2 (db, "SELECT id, title, body FROM notes", -1, &stmt, NULL);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *)sqlite3_column_text (stmt, 0);
      const char *title = (const char *)sqlite3_column_text (stmt, 1);
      g_autofree char *body = g_strndup ((const char *)sqlite3_column_blob (stmt, 2),
                                         sqlite3_column_bytes (stmt, 2));
      g_autofree char *expected_id = NULL;
      g_autofree char *expected_body = NULL;
      guint index, stored_run, step;

      /* Every row is one whole version some run typed. */
      if (!crash_content_parse_title (title, &index, &stored_run, &step))
        g_error ("Run %u: note %s has a title no run wrote: %s", run_number, id, title);
      g_assert_cmpuint (index, <, N_NOTES);
      expected_id = crash_content_note_id (index);
      g_assert_cmpstr (id, ==, expected_id);
      expected_body = crash_content_body (index, stored_run, step);
      g_assert_cmpuint (strlen (body), ==, (gsize)sqlite3_column_bytes (stmt, 2));
      g_assert_cmpstr (body, ==, expected_body);
      g_assert_cmpuint (stored_run, <=, run_number);

      /* And nothing reported saved was lost. */
      if (run->last_step[index] >= 0)
        {
          g_assert_cmpuint (stored_run, ==, run_number);
          g_assert_cmpuint (step, >=, (guint)run->last_step[index]);
        }

      seen[index] = TRUE;
      (*n_checked)++;
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  for (guint i = 0; i < N_NOTES; i++)
    {
      if (run->last_step[i] >= 0)
        g_assert_true (seen[i]);
    }
}

static guint
n_iterations (void)
{
  const char *env = g_getenv ("CIN_CRASH_ITERATIONS");

  if (env != NULL)
    return MAX (1, atoi (env));
  return g_test_thorough () ? 1000 : 200;
}

static void
test_kill_while_saving (void)
{
  g_autofree char *child_path = g_test_build_filename (G_TEST_BUILT, "store-crash-child", NULL);
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *n_notes = g_strdup_printf ("%u", N_NOTES);
  g_autofree char *debounce = g_strdup_printf ("%u", DEBOUNCE_MS);
  guint iterations = n_iterations ();
  guint counts[3] = { 0, };
  guint total_saves = 0;
  guint runs_with_saves = 0;
  guint rows_checked = 0;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (g_file_test (child_path, G_FILE_TEST_IS_EXECUTABLE));

  for (guint i = 1; i <= iterations; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
      g_autofree char *run_arg = g_strdup_printf ("%u", i);
      Run run = { 0, };
      guint roll = g_test_rand_int_range (0, 100);

      run.loop = loop;
      run.mode = roll < 10 ? KILL_WHILE_STARTING : roll < 50 ? KILL_AFTER_SAVED : KILL_WHILE_TYPING;
      run.kill_after_saves = g_test_rand_int_range (1, 9);
      for (guint n = 0; n < N_NOTES; n++)
        run.last_step[n] = -1;
      counts[run.mode]++;

      run.child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    child_path, path, run_arg, n_notes, debounce, NULL);
      g_assert_no_error (error);
      run.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run.child));

      if (run.mode == KILL_WHILE_STARTING)
        arm_kill_timer (&run, g_test_rand_int_range (0, 31));

      g_data_input_stream_read_line_async (run.out, G_PRIORITY_DEFAULT, NULL, on_line_cb, &run);
      g_subprocess_wait_async (run.child, NULL, on_child_exited_cb, &run);
      g_main_loop_run (loop);

      g_assert_true (run.killed);
      if (run.kill_timer != NULL)
        {
          g_source_destroy (run.kill_timer);
          g_clear_pointer (&run.kill_timer, g_source_unref);
        }

      verify_file (path, i, &run, &rows_checked);

      total_saves += run.saves;
      runs_with_saves += run.saves > 0;
      g_clear_object (&run.out);
      g_clear_object (&run.child);
    }

  g_test_message ("%u kills (%u while typing, %u right after a save, %u while starting) "
                  "in %.1f s; %u saves reported in %u runs; %u rows checked",
                  iterations, counts[KILL_WHILE_TYPING], counts[KILL_AFTER_SAVED],
                  counts[KILL_WHILE_STARTING],
                  (g_get_monotonic_time () - start) / 1e6,
                  total_saves, runs_with_saves, rows_checked);

  /* The test proves nothing if the child never got to save. */
  g_assert_cmpuint (runs_with_saves, >=, iterations / 3);

  store_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/crash/kill-while-saving", test_kill_while_saving);

  return g_test_run ();
}
