/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-autosave"

#include "cin-store-private.h"
#include "store-test-util.h"

typedef struct {
  char        *dir;
  CinStore    *store;
  CinAutosave *autosave;

  /* What the autosave said */
  GArray      *saved_generations;  /* of guint64 */
  GArray      *saved_times;        /* of gint64, monotonic */
  GPtrArray   *failures;           /* of GError */
  guint        error_notifies;
  guint        pending_notifies;

  /* Saves started, seen through notify::updated-at on the live note (a
   * retry of the same snapshot sets the same time and is not seen) */
  GArray      *start_times;        /* of gint64, monotonic */
  int          in_flight;
  int          max_in_flight;
} Fixture;

static void
on_saved_cb (CinAutosave *autosave,
             CinNote     *note,
             guint64      generation,
             Fixture     *fixture)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (fixture->saved_generations, generation);
  g_array_append_val (fixture->saved_times, now);
  fixture->in_flight--;
}

static void
on_failed_cb (CinAutosave *autosave,
              CinNote     *note,
              GError      *error,
              Fixture     *fixture)
{
  g_test_message ("failed: %s", error->message);
  g_ptr_array_add (fixture->failures, g_error_copy (error));
  fixture->in_flight--;
}

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              Fixture    *fixture)
{
  if (g_str_equal (pspec->name, "error"))
    fixture->error_notifies++;
  else if (g_str_equal (pspec->name, "pending"))
    fixture->pending_notifies++;
}

static void
on_updated_at_cb (CinNote    *note,
                  GParamSpec *pspec,
                  Fixture    *fixture)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (fixture->start_times, now);
  fixture->in_flight++;
  fixture->max_in_flight = MAX (fixture->max_in_flight, fixture->in_flight);
}

static void
make_autosave (Fixture *fixture,
               guint    debounce_ms)
{
  g_clear_object (&fixture->autosave);
  fixture->autosave = cin_autosave_new (fixture->store, debounce_ms);
  g_signal_connect (fixture->autosave, "saved", G_CALLBACK (on_saved_cb), fixture);
  g_signal_connect (fixture->autosave, "failed", G_CALLBACK (on_failed_cb), fixture);
  g_signal_connect (fixture->autosave, "notify", G_CALLBACK (on_notify_cb), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_tmp_dir ();
  path = g_build_filename (fixture->dir, "drafts.db", NULL);
  fixture->store = store_test_open (path, &error);
  g_assert_no_error (error);

  fixture->saved_generations = g_array_new (FALSE, FALSE, sizeof (guint64));
  fixture->saved_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->start_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->failures = g_ptr_array_new_with_free_func ((GDestroyNotify)g_error_free);

  make_autosave (fixture, GPOINTER_TO_UINT (data));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->autosave);
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  store_test_rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->saved_generations, g_array_unref);
  g_clear_pointer (&fixture->saved_times, g_array_unref);
  g_clear_pointer (&fixture->start_times, g_array_unref);
  g_clear_pointer (&fixture->failures, g_ptr_array_unref);
}

static void
watch (Fixture *fixture,
       CinNote *note)
{
  g_signal_connect (note, "notify::updated-at", G_CALLBACK (on_updated_at_cb), fixture);
  cin_autosave_watch (fixture->autosave, note);
}

static CinNote *
watched_note (Fixture    *fixture,
              const char *id)
{
  CinNote *note = cin_note_new_with_id (id, CIN_NOTE_KIND_PHOTO);

  watch (fixture, note);
  return note;
}

static void
type_text (CinNote    *note,
           const char *text)
{
  g_autofree char *body = g_strconcat (cin_note_get_body (note), text, NULL);

  cin_note_set_body (note, body);
}

static gboolean
not_pending (gpointer data)
{
  Fixture *fixture = data;

  /* "pending" drops in the same dispatch that emits "saved". */
  return !cin_autosave_get_pending (fixture->autosave);
}

static void
wait_until_saved (Fixture *fixture)
{
  g_assert_true (store_test_run_until (not_pending, fixture, 10000));
}

static void
run_for (guint ms)
{
  GMainContext *context = g_main_context_default ();
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GSource) wake = g_timeout_source_new (1);

      g_source_set_dummy_callback (wake);
      g_source_attach (wake, context);
      g_main_context_iteration (context, TRUE);
      g_source_destroy (wake);
    }
}

static void
assert_stored_equals (Fixture *fixture,
                      CinNote *note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) loaded = store_test_load (fixture->store, cin_note_get_id (note), &error);

  g_assert_no_error (error);
  store_test_assert_notes_equal (note, loaded);
}

static guint64
last_saved (Fixture *fixture)
{
  g_assert_cmpuint (fixture->saved_generations->len, >, 0);
  return g_array_index (fixture->saved_generations, guint64, fixture->saved_generations->len - 1);
}

/* Typing without pause still saves within the window of the first edit. */
typedef struct {
  Fixture *fixture;
  CinNote *note;
  guint    keystrokes;
  gint64   first_edit;
  gint64   last_edit;
} Typist;

static gboolean
on_keystroke_cb (gpointer user_data)
{
  Typist *typist = user_data;

  /* Taken before the edit, so it is never later than the autosave's. */
  typist->last_edit = g_get_monotonic_time ();
  type_text (typist->note, typist->keystrokes % 2 ? "字" : "a");
  if (typist->keystrokes++ == 0)
    typist->first_edit = typist->last_edit;

  return typist->keystrokes < 35 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
test_debounce_from_first_edit (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "typing");
  Typist typist = { fixture, note, 0, 0, 0 };
  gint64 first_save;

  /* 35 keystrokes, 20 ms apart: 700 ms of typing with a 200 ms window. */
  g_timeout_add (20, on_keystroke_cb, &typist);
  while (typist.keystrokes < 35)
    g_main_context_iteration (NULL, TRUE);
  wait_until_saved (fixture);

  g_assert_cmpuint (fixture->saved_generations->len, >=, 2);
  first_save = g_array_index (fixture->saved_times, gint64, 0);
  /* Not before the window (the timer aims a millisecond early to make up
   * for poll()'s rounding), and not pushed back by later keystrokes. */
  g_assert_cmpint (g_array_index (fixture->start_times, gint64, 0) - typist.first_edit,
                   >=, 199 * 1000);
  g_assert_cmpint (first_save, <, typist.last_edit);
  g_assert_cmpint (g_array_index (fixture->start_times, gint64, 0) - typist.first_edit,
                   <, 200 * 1000 + 150 * 1000);

  for (guint i = 1; i < fixture->saved_generations->len; i++)
    g_assert_cmpuint (g_array_index (fixture->saved_generations, guint64, i), >,
                      g_array_index (fixture->saved_generations, guint64, i - 1));
  g_assert_cmpuint (last_saved (fixture), ==, cin_autosave_get_generation (fixture->autosave, note));
  g_assert_cmpuint (cin_autosave_get_generation (fixture->autosave, note), ==, 35);
  g_assert_cmpint (fixture->max_in_flight, ==, 1);
  assert_stored_equals (fixture, note);
}

static void
test_coalesces (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "burst");

  g_assert_false (cin_autosave_get_pending (fixture->autosave));
  for (guint i = 0; i < 50; i++)
    type_text (note, "🌸");
  g_assert_true (cin_autosave_get_pending (fixture->autosave));
  g_assert_cmpuint (cin_autosave_get_generation (fixture->autosave, note), ==, 50);

  wait_until_saved (fixture);
  /* Leave room for a stray second save to show up. */
  run_for (100);

  g_assert_cmpuint (fixture->saved_generations->len, ==, 1);
  g_assert_cmpuint (last_saved (fixture), ==, 50);
  g_assert_cmpuint (fixture->start_times->len, ==, 1);
  g_assert_cmpuint (fixture->pending_notifies, ==, 2);
  assert_stored_equals (fixture, note);
}

/* Edits while a save is in flight wait for it, then for their own window. */
typedef struct {
  Fixture *fixture;
  CinNote *note;
  gint64   edit_time;
  guint    idle_id;
} InFlightEdit;

static gboolean
on_edit_in_flight_cb (gpointer user_data)
{
  InFlightEdit *edit = user_data;

  edit->idle_id = 0;
  if (edit->fixture->in_flight == 1 && edit->edit_time == 0)
    {
      edit->edit_time = g_get_monotonic_time ();
      type_text (edit->note, "又一行");
    }
  return G_SOURCE_REMOVE;
}

static void
on_save_started_cb (CinNote      *note,
                    GParamSpec   *pspec,
                    InFlightEdit *edit)
{
  if (edit->idle_id == 0 && edit->edit_time == 0)
    edit->idle_id = g_idle_add_full (G_PRIORITY_HIGH, on_edit_in_flight_cb, edit, NULL);
}

static void
test_one_in_flight (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "in-flight");
  InFlightEdit edit = { fixture, note, 0, 0 };
  gint64 second_start;

  g_signal_connect (note, "notify::updated-at", G_CALLBACK (on_save_started_cb), &edit);

  type_text (note, "第一行");
  wait_until_saved (fixture);

  /* The edit landed while the first save was in flight. */
  g_assert_cmpint (edit.edit_time, >, 0);
  g_assert_cmpuint (fixture->start_times->len, ==, 2);
  g_assert_cmpuint (fixture->saved_generations->len, ==, 2);
  g_assert_cmpuint (g_array_index (fixture->saved_generations, guint64, 0), ==, 1);
  g_assert_cmpuint (g_array_index (fixture->saved_generations, guint64, 1), ==, 2);
  g_assert_cmpint (fixture->max_in_flight, ==, 1);

  /* The second save waited for the first one to finish... */
  second_start = g_array_index (fixture->start_times, gint64, 1);
  g_assert_cmpint (second_start, >=, g_array_index (fixture->saved_times, gint64, 0));
  /* ...and for the window its own first edit opened: 100 ms. */
  g_assert_cmpint (second_start - edit.edit_time, >=, 99 * 1000);
  g_assert_cmpint (second_start - edit.edit_time, <, 100 * 1000 + 150 * 1000);
  assert_stored_equals (fixture, note);
}

static gboolean
on_rapid_keystroke_cb (gpointer user_data)
{
  Typist *typist = user_data;

  type_text (typist->note, "x");
  return ++typist->keystrokes < 300 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* With no window at all, saves run back to back, never two at once. */
static void
test_back_to_back (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "back-to-back");
  Typist typist = { fixture, note, 0, 0, 0 };

  g_timeout_add (1, on_rapid_keystroke_cb, &typist);
  while (typist.keystrokes < 300)
    g_main_context_iteration (NULL, TRUE);
  wait_until_saved (fixture);

  g_assert_cmpint (fixture->max_in_flight, ==, 1);
  g_assert_cmpuint (fixture->saved_generations->len, >, 1);
  g_assert_cmpuint (fixture->saved_generations->len, ==, fixture->start_times->len);
  g_assert_cmpuint (last_saved (fixture), ==, 300);
  assert_stored_equals (fixture, note);
}

static void
test_updated_at (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CinNote) note = cin_note_new_with_id ("updated-at", CIN_NOTE_KIND_PHOTO);
  gint64 before, after;

  cin_note_set_updated_at (note, 1);
  watch (fixture, note);
  g_assert_false (cin_autosave_get_pending (fixture->autosave));

  before = g_get_real_time ();
  type_text (note, "edit");
  after = g_get_real_time ();
  wait_until_saved (fixture);
  run_for (100);

  /* The time of the edit, on the live note and on disk, and setting it
   * started no save of its own. */
  g_assert_cmpint (cin_note_get_updated_at (note), >=, before);
  g_assert_cmpint (cin_note_get_updated_at (note), <=, after);
  g_assert_cmpuint (fixture->saved_generations->len, ==, 1);
  g_assert_cmpuint (cin_autosave_get_generation (fixture->autosave, note), ==, 1);
  assert_stored_equals (fixture, note);
}

static char *
big_text (gsize min_bytes)
{
  GString *text = g_string_new (NULL);

  while (text->len < min_bytes)
    g_string_append (text, "写满了磁盘的草稿 💾 ");
  return g_string_free (text, FALSE);
}

static gboolean
has_failures (gpointer data)
{
  Fixture *fixture = data;

  return fixture->failures->len > 0;
}

static void
test_failed_then_recovered (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "full");
  g_autoptr(GError) error = NULL;
  g_autofree char *big = big_text (128 * 1024);
  GError *failure;

  type_text (note, "small");
  wait_until_saved (fixture);
  g_assert_null (cin_autosave_get_error (fixture->autosave));

  _cin_store_set_max_page_count (fixture->store, 1, &error);
  g_assert_no_error (error);

  cin_note_set_body (note, big);
  g_assert_true (store_test_run_until (has_failures, fixture, 5000));
  failure = g_ptr_array_index (fixture->failures, 0);
  g_assert_error (failure, CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL);
  g_assert_error ((GError *)cin_autosave_get_error (fixture->autosave),
                  CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL);
  g_assert_cmpuint (fixture->error_notifies, ==, 1);
  /* Still dirty: the edit lives on in memory. */
  g_assert_true (cin_autosave_get_pending (fixture->autosave));
  g_assert_cmpuint (last_saved (fixture), ==, 1);
  {
    g_autoptr(CinNote) loaded = store_test_load (fixture->store, "full", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (cin_note_get_body (loaded), ==, "small");
  }

  /* Space again; the next edit saves everything. */
  _cin_store_set_max_page_count (fixture->store, G_MAXINT32, &error);
  type_text (note, "!");
  wait_until_saved (fixture);
  g_assert_cmpuint (last_saved (fixture), ==, 3);
  g_assert_null (cin_autosave_get_error (fixture->autosave));
  g_assert_cmpuint (fixture->error_notifies, ==, 2);
  assert_stored_equals (fixture, note);
}

static void
test_retried_without_edits (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "retry");
  g_autoptr(GError) error = NULL;
  g_autofree char *big = big_text (128 * 1024);
  gint64 recovered;

  _cin_store_set_max_page_count (fixture->store, 1, &error);
  g_assert_no_error (error);
  cin_note_set_body (note, big);
  g_assert_true (store_test_run_until (has_failures, fixture, 5000));
  g_assert_cmpuint (fixture->saved_generations->len, ==, 0);

  /* Nobody types; the backoff timer (2 s first) gets it there. */
  _cin_store_set_max_page_count (fixture->store, G_MAXINT32, &error);
  recovered = g_get_monotonic_time ();
  wait_until_saved (fixture);
  g_assert_cmpint (g_get_monotonic_time () - recovered, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (last_saved (fixture), ==, 1);
  g_assert_null (cin_autosave_get_error (fixture->autosave));
  assert_stored_equals (fixture, note);
}

static void
test_invalid_text (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "invalid");

  cin_note_set_title (note, "坏\xff");
  g_assert_true (store_test_run_until (has_failures, fixture, 5000));
  g_assert_error ((GError *)g_ptr_array_index (fixture->failures, 0),
                  CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT);
  g_assert_true (cin_autosave_get_pending (fixture->autosave));

  cin_note_set_title (note, "好");
  wait_until_saved (fixture);
  g_assert_null (cin_autosave_get_error (fixture->autosave));
  assert_stored_equals (fixture, note);
}

static void
test_flush (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CinNote) a = watched_note (fixture, "flush-a");
  g_autoptr(CinNote) b = watched_note (fixture, "flush-b");
  g_autoptr(CinNote) clean = watched_note (fixture, "flush-clean");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing pending: done at once. */
  g_assert_true (store_test_flush (fixture->autosave, &error));
  g_assert_no_error (error);

  /* The window is a minute: only the flush can have saved these. */
  type_text (a, "甲");
  type_text (b, "乙");
  type_text (b, "丙");
  g_assert_true (store_test_flush (fixture->autosave, &error));
  g_assert_no_error (error);
  g_assert_false (cin_autosave_get_pending (fixture->autosave));
  assert_stored_equals (fixture, a);
  assert_stored_equals (fixture, b);
  {
    g_autoptr(CinNote) loaded = store_test_load (fixture->store, "flush-clean", &error);
    g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Edits after the flush began are not waited for, nor lost. */
  type_text (a, "丁");
  cin_autosave_flush_async (fixture->autosave, NULL, store_test_result_cb, &result);
  type_text (a, "戊");
  g_assert_true (cin_autosave_flush_finish (fixture->autosave, store_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (cin_autosave_get_pending (fixture->autosave));
  g_assert_true (store_test_flush (fixture->autosave, &error));
  assert_stored_equals (fixture, a);

  /* A flush that can't finish says why. */
  _cin_store_set_max_page_count (fixture->store, 1, &error);
  g_assert_no_error (error);
  {
    g_autofree char *big = big_text (128 * 1024);
    cin_note_set_body (b, big);
  }
  g_assert_false (store_test_flush (fixture->autosave, &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);
  g_assert_true (cin_autosave_get_pending (fixture->autosave));

  /* And a flush is a retry. */
  _cin_store_set_max_page_count (fixture->store, G_MAXINT32, &error);
  g_assert_true (store_test_flush (fixture->autosave, &error));
  g_assert_no_error (error);
  g_assert_false (cin_autosave_get_pending (fixture->autosave));
  assert_stored_equals (fixture, b);
}

static gboolean
has_saves (gpointer data)
{
  Fixture *fixture = data;

  return fixture->saved_generations->len > 0;
}

static void
test_unwatch_saves (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(CinNote) note = watched_note (fixture, "unwatched");
  g_autoptr(CinNote) clean = watched_note (fixture, "unwatched-clean");
  g_autoptr(GError) error = NULL;

  type_text (note, "关掉编辑器之前");
  cin_autosave_unwatch (fixture->autosave, note);
  cin_autosave_unwatch (fixture->autosave, clean);

  /* Saved at once, not after the minute-long window. */
  g_assert_true (store_test_run_until (has_saves, fixture, 5000));
  g_assert_cmpuint (last_saved (fixture), ==, 1);
  assert_stored_equals (fixture, note);
  g_assert_false (cin_autosave_get_pending (fixture->autosave));

  /* Forgotten now: later edits are not saved. */
  g_assert_cmpuint (cin_autosave_get_generation (fixture->autosave, note), ==, 0);
  type_text (note, "之后");
  g_assert_false (cin_autosave_get_pending (fixture->autosave));
  g_assert_true (store_test_flush (fixture->autosave, &error));
  g_assert_cmpuint (fixture->saved_generations->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, debounce_ms, func) \
  g_test_add ("/store/autosave/" path, Fixture, GUINT_TO_POINTER (debounce_ms), \
              fixture_set_up, func, fixture_tear_down)

  ADD ("debounce-from-first-edit", 200, test_debounce_from_first_edit);
  ADD ("coalesces", 50, test_coalesces);
  ADD ("one-in-flight", 100, test_one_in_flight);
  ADD ("back-to-back", 0, test_back_to_back);
  ADD ("updated-at", 20, test_updated_at);
  ADD ("failed-then-recovered", 20, test_failed_then_recovered);
  ADD ("retried-without-edits", 20, test_retried_without_edits);
  ADD ("invalid-text", 20, test_invalid_text);
  ADD ("flush", 60000, test_flush);
  ADD ("unwatch-saves", 60000, test_unwatch_saves);

#undef ADD

  return g_test_run ();
}
