/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"
/* setresuid(), setresgid() */
#define _GNU_SOURCE

#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-store-private.h"
#include "cin-store-sync.h"
#include "store-test-util.h"

/* An unprivileged user for the read-only test when the suite runs as
 * root, which ignores permission bits. */
#define NOBODY_UID 65534
#define NOBODY_GID 65534

typedef struct {
  char     *dir;
  char     *path;
  CinStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = store_test_make_tmp_dir ();
  fixture->path = g_build_filename (fixture->dir, "profile", "drafts.db", NULL);
  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_true (CIN_IS_STORE (fixture->store));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->store != NULL)
    store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  store_test_rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  fixture->store = cin_store_open_sync (fixture->path, &error);
  g_assert_no_error (error);
}

static void
test_open_creates_private_dir (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *profile_dir = g_path_get_dirname (fixture->path);
  sqlite3 *db;
  GStatBuf st;

  g_assert_cmpint (g_stat (profile_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpstr (cin_store_get_path (fixture->store), ==, fixture->path);

  store_test_close (fixture->store);
  g_clear_object (&fixture->store);

  db = store_test_sqlite_open (fixture->path);
  g_assert_cmpint (store_test_sqlite_int (db, "PRAGMA user_version"), ==, cin_store_schema_version ());
  g_assert_cmpint (cin_store_schema_version (), ==, CIN_STORE_SCHEMA_VERSION);
  g_autofree char *mode = store_test_sqlite_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  sqlite3_close (db);
}

static void
test_save_load_round_trip (Fixture       *fixture,
                           gconstpointer  data)
{
  for (guint variant = 0; variant < 6; variant++)
    {
      g_autofree char *id = g_strdup_printf ("note-%u", variant);
      g_autoptr(CinNote) note = store_test_make_note (id, variant);
      g_autoptr(CinNote) loaded = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (store_test_save (fixture->store, note, &error));
      g_assert_no_error (error);

      loaded = store_test_load (fixture->store, id, &error);
      g_assert_no_error (error);
      g_assert_true (loaded != note);
      store_test_assert_notes_equal (note, loaded);
    }

  /* And after the file was closed and opened again. */
  reopen (fixture);
  for (guint variant = 0; variant < 6; variant++)
    {
      g_autofree char *id = g_strdup_printf ("note-%u", variant);
      g_autoptr(CinNote) note = store_test_make_note (id, variant);
      g_autoptr(CinNote) loaded = NULL;
      g_autoptr(GError) error = NULL;

      loaded = store_test_load (fixture->store, id, &error);
      g_assert_no_error (error);
      store_test_assert_notes_equal (note, loaded);
    }
}

static void
test_save_copies_before_returning (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(CinNote) note = store_test_make_note ("copied", 1);
  g_autoptr(CinNote) expected = cin_note_copy (note);
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cin_store_save_note_async (fixture->store, note, NULL, store_test_result_cb, &result);
  /* Edits after the call are not part of this save. */
  cin_note_set_title (note, "changed after the call");
  cin_note_set_body (note, "");
  g_assert_true (cin_store_save_note_finish (fixture->store, store_test_wait (&result), &error));
  g_assert_no_error (error);

  loaded = store_test_load (fixture->store, "copied", &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (expected, loaded);
}

static void
test_save_upserts_and_keeps_other_columns (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(CinNote) note = store_test_make_note ("upsert", 2);
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *cover = NULL;
  sqlite3 *db;

  g_assert_true (store_test_save (fixture->store, note, &error));
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);

  /* Columns CinNote does not carry, as sync and media will set them. */
  db = store_test_sqlite_open (fixture->path);
  store_test_sqlite_exec (db, "UPDATE notes SET base = '{\"id\":\"upsert\"}', "
                              "cover = 'sha256:c0ffee' WHERE id = 'upsert'");
  sqlite3_close (db);
  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);

  cin_note_set_title (note, "新标题 🍓");
  cin_note_set_updated_at (note, cin_note_get_updated_at (note) + 5);
  g_assert_true (store_test_save (fixture->store, note, &error));
  g_assert_no_error (error);

  /* Saving a note in the trash keeps it there. */
  g_assert_true (store_test_trash (fixture->store, "upsert", &error));
  cin_note_set_body (note, "edited while in the trash");
  g_assert_true (store_test_save (fixture->store, note, &error));
  notes = store_test_list (fixture->store, CIN_NOTE_SORT_UPDATED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);
  loaded = store_test_load (fixture->store, "upsert", &error);
  g_assert_no_error (error);
  /* An edit of a note the server never had leaves it "created", whatever
   * the editor's copy says: the sync state is the store's. */
  cin_note_set_sync_state (note, CIN_SYNC_STATE_CREATED);
  store_test_assert_notes_equal (note, loaded);

  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  db = store_test_sqlite_open (fixture->path);
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM notes"), ==, 1);
  /* The three saves share one waiting request; the trash queued a delete
   * behind it, held back for the undo. */
  {
    g_autofree char *ops = store_test_sqlite_text (db, "SELECT group_concat (op) FROM "
                                                       "(SELECT op FROM outbox ORDER BY id)");
    g_assert_cmpstr (ops, ==, "put,delete");
    g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM outbox WHERE op = 'delete' "
                                                "AND next_attempt_at > created_at"), ==, 1);
  }
  base = store_test_sqlite_text (db, "SELECT base FROM notes");
  cover = store_test_sqlite_text (db, "SELECT cover FROM notes");
  g_assert_cmpstr (base, ==, "{\"id\":\"upsert\"}");
  g_assert_cmpstr (cover, ==, "sha256:c0ffee");
  sqlite3_close (db);
}

static void
test_load_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CinNote) note = NULL;
  g_autoptr(GError) error = NULL;

  note = store_test_load (fixture->store, "no-such-note", &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
  g_assert_null (note);
}

static CinNote *
note_with (const char *id,
           const char *title,
           gint64      created_at,
           gint64      updated_at)
{
  CinNote *note = cin_note_new_with_id (id, CIN_NOTE_KIND_PHOTO);

  cin_note_set_title (note, title);
  cin_note_set_created_at (note, created_at);
  cin_note_set_updated_at (note, updated_at);
  return note;
}

static void
assert_order (GPtrArray  *summaries,
              const char *expected)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < summaries->len; i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "",
                            cin_note_summary_get_id (g_ptr_array_index (summaries, i)));
  g_assert_cmpstr (ids->str, ==, expected);
}

/* The summaries come back in the order the draft box keeps them in. */
static void
assert_sorted_as_draft_box (GPtrArray   *summaries,
                            CinNoteSort  sort)
{
  for (guint i = 1; i < summaries->len; i++)
    g_assert_cmpint (cin_note_summary_compare (g_ptr_array_index (summaries, i - 1),
                                               g_ptr_array_index (summaries, i), sort), <, 0);
}

static void
test_list_sorts (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CinNote *notes[] = {
    note_with ("a", "banana", 300, 1000),
    note_with ("b", "Apple", 100, 3000),
    note_with ("c", "", 200, 2000),
    note_with ("d", "cherry 🍒", 400, 500),
    note_with ("e", "apple", 50, 4000),
    note_with ("f", "trashed", 999, 9999),
  };

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_assert_true (store_test_save (fixture->store, notes[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (store_test_trash (fixture->store, "f", &error));

  {
    g_autoptr(GPtrArray) list = store_test_list (fixture->store, CIN_NOTE_SORT_UPDATED, &error);
    g_assert_no_error (error);
    assert_order (list, "e b c a d");
    assert_sorted_as_draft_box (list, CIN_NOTE_SORT_UPDATED);
  }
  {
    g_autoptr(GPtrArray) list = store_test_list (fixture->store, CIN_NOTE_SORT_CREATED, &error);
    g_assert_no_error (error);
    assert_order (list, "d a c b e");
    assert_sorted_as_draft_box (list, CIN_NOTE_SORT_CREATED);
  }
  {
    /* C.UTF-8 collates by code point, so "Apple" < "apple"; an untitled
     * draft goes last. */
    g_autoptr(GPtrArray) list = store_test_list (fixture->store, CIN_NOTE_SORT_TITLE, &error);
    CinNoteSummary *first;

    g_assert_no_error (error);
    assert_order (list, "b e a d c");
    assert_sorted_as_draft_box (list, CIN_NOTE_SORT_TITLE);
    first = g_ptr_array_index (list, 0);
    g_assert_cmpstr (cin_note_summary_get_title (first), ==, "Apple");
    g_assert_cmpint (cin_note_summary_get_created_at (first), ==, 100);
    g_assert_cmpint (cin_note_summary_get_updated_at (first), ==, 3000);
  }

  {
    /* The draft box's first page: the same order, cut short. */
    g_autoptr(GPtrArray) updated = store_test_list_first (fixture->store, CIN_NOTE_SORT_UPDATED, 2, &error);
    g_autoptr(GPtrArray) title = store_test_list_first (fixture->store, CIN_NOTE_SORT_TITLE, 3, &error);
    g_autoptr(GPtrArray) more = store_test_list_first (fixture->store, CIN_NOTE_SORT_CREATED, 99, &error);

    g_assert_no_error (error);
    assert_order (updated, "e b");
    assert_order (title, "b e a");
    assert_order (more, "d a c b e");
  }

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    g_object_unref (notes[i]);
}

static const char *
excerpt_of (CinStore   *store,
            const char *body)
{
  static char *excerpt;
  g_autoptr(CinNote) note = cin_note_new_with_id ("excerpt", CIN_NOTE_KIND_PHOTO);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNoteSummary) from_note = NULL;

  cin_note_set_body (note, body);
  g_assert_true (store_test_save (store, note, &error));
  list = store_test_list (store, CIN_NOTE_SORT_UPDATED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* The store reads only the start of the body; the summary the window
   * makes from the whole note must say the same. */
  from_note = cin_note_summary_new_from_note (note);
  g_free (excerpt);
  excerpt = g_strdup (cin_note_summary_get_excerpt (g_ptr_array_index (list, 0)));
  g_assert_cmpstr (excerpt, ==, cin_note_summary_get_excerpt (from_note));
  return excerpt;
}

static void
test_list_excerpts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) long_line = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) exact = g_string_new (NULL);

  for (guint i = 0; i < 100; i++)
    g_string_append (long_line, "春");
  for (guint i = 0; i < CIN_NOTE_EXCERPT_CHARS; i++)
    g_string_append (expected, "春");
  g_string_assign (exact, expected->str);
  g_string_append (expected, "…");

  g_assert_cmpstr (excerpt_of (fixture->store, ""), ==, "");
  g_assert_cmpstr (excerpt_of (fixture->store, "第一行\n第二行"), ==, "第一行");
  g_assert_cmpstr (excerpt_of (fixture->store, "\n\r\n  \t 空行之后\r\nnext"), ==, "空行之后");
  g_assert_cmpstr (excerpt_of (fixture->store, long_line->str), ==, expected->str);
  g_assert_cmpstr (excerpt_of (fixture->store, exact->str), ==, exact->str);
  g_assert_cmpstr (excerpt_of (fixture->store, "👩‍👩‍👧 family"), ==, "👩‍👩‍👧 family");
}

static void
test_list_repairs_foreign_text (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  /* Another program wrote bytes that are not UTF-8: the draft is still
   * listed, with the bad bytes replaced, and nothing fails. */
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  db = store_test_sqlite_open (fixture->path);
  store_test_sqlite_exec (db, "INSERT INTO notes (id, kind, title, body, created_at, updated_at) "
                              "VALUES ('foreign', 'photo', CAST(X'E698A5FF' AS TEXT), "
                              "CAST(X'C3' AS TEXT), 1, 2)");
  sqlite3_close (db);
  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);

  list = store_test_list (fixture->store, CIN_NOTE_SORT_TITLE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (g_utf8_validate (cin_note_summary_get_title (g_ptr_array_index (list, 0)), -1, NULL));
  g_assert_true (g_str_has_prefix (cin_note_summary_get_title (g_ptr_array_index (list, 0)), "春"));
  g_assert_true (g_utf8_validate (cin_note_summary_get_excerpt (g_ptr_array_index (list, 0)), -1, NULL));
}

static void
assert_found (CinStore   *store,
              const char *text,
              const char *expected_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) found = store_test_search (store, text, &error);
  g_auto(GStrv) expected = g_strsplit (expected_ids, " ", -1);
  guint n_expected = *expected_ids ? g_strv_length (expected) : 0;

  g_assert_no_error (error);
  for (guint i = 0; i < n_expected; i++)
    {
      if (!g_hash_table_contains (found, expected[i]))
        g_error ("searching “%s” did not find %s", text, expected[i]);
    }
  g_assert_cmpuint (g_hash_table_size (found), ==, n_expected);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  struct { const char *id, *title, *body; } notes[] = {
    { "lip", "口红试色 Lipstick", "第一次试这支口红 💄" },
    { "day", "通勤穿搭", "Day 3: 100% cotton_shirt" },
    { "cafe", "Café 探店", "拿铁 LATTE" },
    { "gone", "口红 in the trash", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autoptr(CinNote) note = cin_note_new_with_id (notes[i].id, CIN_NOTE_KIND_PHOTO);

      cin_note_set_title (note, notes[i].title);
      cin_note_set_body (note, notes[i].body);
      g_assert_true (store_test_save (fixture->store, note, &error));
    }
  g_assert_true (store_test_trash (fixture->store, "gone", &error));
  g_assert_no_error (error);

  assert_found (fixture->store, "口红", "lip");          /* title and body, trash left out */
  assert_found (fixture->store, "LIPSTICK", "lip");      /* ASCII in any case */
  assert_found (fixture->store, "latte", "cafe");
  assert_found (fixture->store, "💄", "lip");
  assert_found (fixture->store, "café", "cafe");         /* non-ASCII as typed */
  assert_found (fixture->store, "CAFÉ", "");             /* É is not folded */
  assert_found (fixture->store, "100%", "day");          /* no LIKE wildcards */
  assert_found (fixture->store, "_", "day");
  assert_found (fixture->store, "%", "day");
  assert_found (fixture->store, "探店 x", "");
}

static gint64
media_int (Fixture    *fixture,
           const char *sql)
{
  sqlite3 *db = store_test_sqlite_open (fixture->path);
  gint64 value = store_test_sqlite_int (db, sql);

  sqlite3_close (db);
  return value;
}

static void
test_photos (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CinNote) note = cin_note_new_with_id ("photos", CIN_NOTE_KIND_PHOTO);
  g_autoptr(GError) error = NULL;
  const char *shas[] = { "aaaa", "bbbb", "cccc" };
  g_autofree char *kept_id = NULL;
  sqlite3 *db;

  for (guint i = 0; i < G_N_ELEMENTS (shas); i++)
    {
      g_autoptr(CinPhoto) photo = cin_photo_new (shas[i], "image/jpeg", 1080, 1440);
      cin_note_insert_photo (note, i, photo);
    }
  g_assert_true (store_test_save (fixture->store, note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (media_int (fixture, "SELECT count(*) FROM media WHERE note_id = 'photos'"), ==, 3);

  /* Sync marks the second photo uploaded; the creator then moves it first,
   * crops it, describes it, and removes the third. */
  kept_id = g_strdup (cin_photo_get_id (cin_note_get_photo (note, 1)));
  db = store_test_sqlite_open (fixture->path);
  store_test_sqlite_exec (db, "UPDATE media SET upload_state = 'uploaded', remote_id = 'r-1' "
                              "WHERE sha256 = 'bbbb'");
  sqlite3_close (db);

  cin_note_move_photo (note, 1, 0);
  {
    g_autoptr(CinPhoto) edited = cin_photo_with_crop (cin_note_get_photo (note, 0), CIN_CROP_3_4, 0.5, 0.2);
    g_autoptr(CinPhoto) described = cin_photo_with_alt_text (edited, "咖啡杯的特写 ☕");
    cin_note_replace_photo (note, 0, described);
  }
  cin_note_remove_photo (note, 2);
  g_assert_true (store_test_save (fixture->store, note, &error));
  g_assert_no_error (error);

  {
    g_autoptr(CinNote) loaded = store_test_load (fixture->store, "photos", &error);

    g_assert_no_error (error);
    store_test_assert_notes_equal (note, loaded);
    g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (loaded, 0)), ==, "bbbb");
    g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (loaded, 1)), ==, "aaaa");
    g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (loaded, 0)), ==, kept_id);
  }
  /* The moved photo is still uploaded; the removed one's row is gone. */
  g_assert_cmpint (media_int (fixture, "SELECT count(*) FROM media WHERE note_id = 'photos'"), ==, 2);
  g_assert_cmpint (media_int (fixture, "SELECT count(*) FROM media WHERE upload_state = 'uploaded' "
                                       "AND remote_id = 'r-1' AND position = 0"), ==, 1);

  /* A duplicate shares the files, not the rows. */
  {
    g_autoptr(CinNote) dup = cin_note_duplicate (note);

    g_assert_true (store_test_save (fixture->store, dup, &error));
    g_assert_cmpint (media_int (fixture, "SELECT count(*) FROM media WHERE sha256 = 'bbbb'"), ==, 2);
    g_assert_cmpstr (cin_photo_get_alt_text (cin_note_get_photo (dup, 0)), ==, "咖啡杯的特写 ☕");
  }

  /* Purging the note takes its rows with it. */
  g_assert_true (store_test_trash (fixture->store, "photos", &error));
  g_assert_true (store_test_purge (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (media_int (fixture, "SELECT count(*) FROM media WHERE note_id = 'photos'"), ==, 0);
  g_assert_cmpint (media_int (fixture, "SELECT count(*) FROM media"), ==, 2);
}

static void
test_topics (Fixture       *fixture,
             gconstpointer  data)
{
  struct { const char *id; const char * const topics[4]; } notes[] = {
    { "t1", { "穿搭", "OOTD", NULL } },
    { "t2", { "穿搭", "口红", NULL } },
    { "t3", { "穿搭", "OOTD", "咖啡" } },
    { "t4", { "旧话题", NULL } },
  };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) topics = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autoptr(CinNote) note = cin_note_new_with_id (notes[i].id, CIN_NOTE_KIND_PHOTO);

      cin_note_set_topics (note, notes[i].topics);
      cin_note_set_updated_at (note, 100 + i);
      g_assert_true (store_test_save (fixture->store, note, &error));
    }
  g_assert_true (store_test_trash (fixture->store, "t4", &error));
  g_assert_no_error (error);

  /* Most used first; among equals, the most recently used; none from the
   * trash. */
  topics = store_test_topics (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (topics), ==, 4);
  g_assert_cmpstr (topics[0], ==, "穿搭");
  g_assert_cmpstr (topics[1], ==, "OOTD");
  g_assert_cmpstr (topics[2], ==, "咖啡");
  g_assert_cmpstr (topics[3], ==, "口红");
}

static void
test_mentions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CinNote) a = cin_note_new_with_id ("m1", CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinNote) b = cin_note_new_with_id ("m2", CIN_NOTE_KIND_PHOTO);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) mentions = NULL;

  cin_note_set_mentions (a, (const char * const []) { "小红薯", "alice", NULL });
  cin_note_set_mentions (b, (const char * const []) { "小红薯", NULL });
  g_assert_true (store_test_save (fixture->store, a, &error));
  g_assert_true (store_test_save (fixture->store, b, &error));

  mentions = store_test_mentions (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (mentions), ==, 2);
  g_assert_cmpstr (mentions[0], ==, "小红薯");
  g_assert_cmpstr (mentions[1], ==, "alice");
}

static GStrv
list_following (CinStore  *store,
                GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_store_list_following_async (store, NULL, store_test_result_cb, &result);
  return cin_store_list_following_finish (store, store_test_wait (&result), error);
}

/* Whether the list stored changed. */
static gboolean
set_following (CinStore            *store,
               const char * const  *handles,
               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean changed = FALSE;

  cin_store_set_following_async (store, handles, NULL, store_test_result_cb, &result);
  if (!cin_store_set_following_finish (store, store_test_wait (&result), &changed, error))
    return FALSE;
  return changed;
}

/* The server's list replaces the last one whole, in its order, and is
 * there after a restart (offline completion reads it). */
static void
test_following (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) second = NULL;
  g_auto(GStrv) reopened = NULL;

  none = list_following (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  g_assert_true (set_following (fixture->store, (const char * const []) { "zoe", "小红薯", "alice", NULL }, &error));
  g_assert_no_error (error);
  first = list_following (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *)first, (const char * const []) { "zoe", "小红薯", "alice", NULL }));

  /* Unfollowed people go; a name listed twice keeps its first place. */
  g_assert_true (set_following (fixture->store, (const char * const []) { "bo", "alice", "bo", NULL }, &error));
  g_assert_no_error (error);
  second = list_following (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *)second, (const char * const []) { "bo", "alice", NULL }));

  /* The same list again changes nothing. */
  g_assert_false (set_following (fixture->store, (const char * const []) { "bo", "alice", NULL }, &error));
  g_assert_no_error (error);

  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);
  reopened = list_following (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *)reopened, (const char * const *)second));
}

static void
test_trash_restore_purge (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(CinNote) keep = store_test_make_note ("keep", 1);
  g_autoptr(CinNote) drop = store_test_make_note ("drop", 2);
  g_autoptr(GError) error = NULL;

  g_assert_true (store_test_save (fixture->store, keep, &error));
  g_assert_true (store_test_save (fixture->store, drop, &error));

  /* Trash, and undo. */
  g_assert_true (store_test_trash (fixture->store, "drop", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) list = store_test_list (fixture->store, CIN_NOTE_SORT_UPDATED, &error);
    assert_order (list, "keep");
  }
  /* Twice is harmless. */
  g_assert_true (store_test_trash (fixture->store, "drop", &error));
  g_assert_no_error (error);
  g_assert_true (store_test_restore (fixture->store, "drop", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) list = store_test_list (fixture->store, CIN_NOTE_SORT_UPDATED, &error);
    g_autoptr(CinNote) loaded = store_test_load (fixture->store, "drop", &error);
    assert_order (list, "drop keep");
    store_test_assert_notes_equal (drop, loaded);
  }

  /* Purging removes only what is in the trash. */
  g_assert_true (store_test_trash (fixture->store, "drop", &error));
  g_assert_true (store_test_purge (fixture->store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CinNote) gone = store_test_load (fixture->store, "drop", &error);
    g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
    g_assert_null (gone);
    g_clear_error (&error);
  }
  {
    g_autoptr(CinNote) kept = store_test_load (fixture->store, "keep", &error);
    g_assert_no_error (error);
    store_test_assert_notes_equal (keep, kept);
  }

  g_assert_false (store_test_restore (fixture->store, "drop", &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (store_test_trash (fixture->store, "never-was", &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
}

static void
test_closed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CinNote) note = store_test_make_note ("late", 0);
  g_autoptr(GAsyncResult) save_result = NULL;
  g_autoptr(GAsyncResult) close_result = NULL;
  g_autoptr(GAsyncResult) second_close = NULL;
  g_autoptr(GError) error = NULL;

  /* A save queued before close is written; close waits for it. */
  cin_store_save_note_async (fixture->store, note, NULL, store_test_result_cb, &save_result);
  cin_store_close_async (fixture->store, NULL, store_test_result_cb, &close_result);
  g_assert_true (cin_store_close_finish (fixture->store, store_test_wait (&close_result), &error));
  g_assert_no_error (error);
  g_assert_nonnull (save_result);
  g_assert_true (cin_store_save_note_finish (fixture->store, save_result, &error));
  g_assert_no_error (error);

  g_assert_false (store_test_save (fixture->store, note, &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CLOSED);
  g_clear_error (&error);

  cin_store_close_async (fixture->store, NULL, store_test_result_cb, &second_close);
  g_assert_false (cin_store_close_finish (fixture->store, store_test_wait (&second_close), &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_object (&fixture->store);

  fixture->store = store_test_open (fixture->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(CinNote) loaded = store_test_load (fixture->store, "late", &error);
    g_assert_no_error (error);
    store_test_assert_notes_equal (note, loaded);
  }
}

static void
test_fifo_order (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CinNote) note = store_test_make_note ("fifo", 0);
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *results[100] = { NULL, };

  /* Many snapshots in a row: the last one asked for is the one kept. */
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autofree char *title = g_strdup_printf ("版本 %u", i);

      cin_note_set_title (note, title);
      cin_store_save_note_async (fixture->store, note, NULL, store_test_result_cb, &results[i]);
    }

  store_test_wait (&results[G_N_ELEMENTS (results) - 1]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      /* Callbacks came in order: every earlier one is there too. */
      g_assert_nonnull (results[i]);
      g_assert_true (cin_store_save_note_finish (fixture->store, results[i], &error));
      g_assert_no_error (error);
      g_clear_object (&results[i]);
    }

  loaded = store_test_load (fixture->store, "fifo", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_note_get_title (loaded), ==, "版本 99");
}

typedef struct {
  CinStore *store;
  GThread  *callback_thread;
  gboolean  saved;
} ThreadData;

static void
on_thread_save_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->callback_thread = g_thread_self ();
  data->saved = cin_store_save_note_finish (CIN_STORE (object), result, &error);
  g_assert_no_error (error);
}

static gpointer
save_from_thread (gpointer user_data)
{
  ThreadData *data = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(CinNote) note = store_test_make_note ("from-thread", 3);

  g_main_context_push_thread_default (context);
  cin_store_save_note_async (data->store, note, NULL, on_thread_save_cb, data);
  while (data->callback_thread == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return g_thread_self ();
}

static void
test_callback_on_caller_context (Fixture       *fixture,
                                 gconstpointer  data)
{
  ThreadData thread_data = { fixture->store, NULL, FALSE };
  GThread *thread = g_thread_new ("saver", save_from_thread, &thread_data);
  GThread *saver = g_thread_join (thread);

  g_assert_true (thread_data.saved);
  g_assert_true (thread_data.callback_thread == saver);
}

static void
test_cancelled_before_running (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CinNote) note = store_test_make_note ("cancelled", 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) loaded = NULL;

  g_cancellable_cancel (cancellable);
  cin_store_save_note_async (fixture->store, note, cancellable, store_test_result_cb, &result);
  g_assert_false (cin_store_save_note_finish (fixture->store, store_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  loaded = store_test_load (fixture->store, "cancelled", &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
}

static void
assert_invalid_text_keeps_saved (Fixture    *fixture,
                                 CinNote    *saved,
                                 CinNote    *bad)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) loaded = NULL;

  g_assert_false (store_test_save (fixture->store, bad, &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  loaded = store_test_load (fixture->store, cin_note_get_id (saved), &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (saved, loaded);
}

static void
test_invalid_text (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CinNote) saved = store_test_make_note ("valid", 1);
  g_autoptr(GError) error = NULL;
  const char * const bad_topics[] = { "好", "bad \xc0\xaf overlong", NULL };

  g_assert_true (store_test_save (fixture->store, saved, &error));
  g_assert_no_error (error);

  {
    g_autoptr(CinNote) bad = cin_note_copy (saved);
    cin_note_set_title (bad, "标题 \xff\xfe");
    assert_invalid_text_keeps_saved (fixture, saved, bad);
  }
  {
    /* A truncated sequence: a half-pasted emoji. */
    g_autoptr(CinNote) bad = cin_note_copy (saved);
    cin_note_set_body (bad, "正文 \xf0\x9f\x8c");
    assert_invalid_text_keeps_saved (fixture, saved, bad);
  }
  {
    /* A UTF-16 surrogate encoded as UTF-8 (CESU-8). */
    g_autoptr(CinNote) bad = cin_note_copy (saved);
    cin_note_set_location (bad, "\xed\xa0\x80");
    assert_invalid_text_keeps_saved (fixture, saved, bad);
  }
  {
    g_autoptr(CinNote) bad = cin_note_copy (saved);
    cin_note_set_topics (bad, bad_topics);
    assert_invalid_text_keeps_saved (fixture, saved, bad);
  }
  {
    /* Alt text on a photo, as pasted from somewhere broken. */
    g_autoptr(CinNote) bad = store_test_make_note ("valid", 2);
    g_autoptr(CinPhoto) photo = cin_photo_new ("c0ffee", "image/jpeg", 300, 400);
    g_autoptr(CinPhoto) described = cin_photo_with_alt_text (photo, "猫 \xc3");

    g_assert_true (store_test_save (fixture->store, saved, &error));
    cin_note_set_photos (bad, NULL);
    cin_note_insert_photo (bad, 0, described);
    assert_invalid_text_keeps_saved (fixture, saved, bad);
  }
  {
    /* A new note with bad text is not written at all. */
    g_autoptr(CinNote) bad = cin_note_new_with_id ("never-written", CIN_NOTE_KIND_PHOTO);
    g_autoptr(CinNote) loaded = NULL;
    cin_note_set_mentions (bad, (const char * const []) { "@\x80", NULL });
    g_assert_false (store_test_save (fixture->store, bad, &error));
    g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_INVALID_TEXT);
    g_clear_error (&error);
    loaded = store_test_load (fixture->store, "never-written", &error);
    g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
  }
}

static char *
big_text (const char *unit,
          gsize       min_bytes)
{
  GString *text = g_string_new (NULL);

  while (text->len < min_bytes)
    g_string_append (text, unit);
  return g_string_free (text, FALSE);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CinNote) saved = store_test_make_note ("saved", 1);
  g_autoptr(CinNote) edited = NULL;
  g_autoptr(CinNote) fresh = store_test_make_note ("fresh", 2);
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = big_text ("满满的一页笔记 🌸 full page. ", 256 * 1024);
  g_autofree char *saved_body = NULL;
  gint64 pages;
  sqlite3 *db;

  g_assert_true (store_test_save (fixture->store, saved, &error));
  g_assert_no_error (error);

  /* No room to grow: SQLite answers SQLITE_FULL as on a full disk. */
  pages = _cin_store_set_max_page_count (fixture->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pages, >, 1);

  edited = cin_note_copy (saved);
  cin_note_set_body (edited, big);
  g_assert_false (store_test_save (fixture->store, edited, &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_clear_error (&error);

  cin_note_set_body (fresh, big);
  g_assert_false (store_test_save (fixture->store, fresh, &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_DISK_FULL);
  g_clear_error (&error);

  /* What was saved before is all there, and reading still works. */
  loaded = store_test_load (fixture->store, "saved", &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (saved, loaded);
  g_clear_object (&loaded);

  /* Room again: the very next save goes through. */
  pages = _cin_store_set_max_page_count (fixture->store, G_MAXINT32, &error);
  g_assert_no_error (error);
  g_assert_true (store_test_save (fixture->store, edited, &error));
  g_assert_no_error (error);
  loaded = store_test_load (fixture->store, "saved", &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (edited, loaded);

  /* And byte for byte in the file. */
  store_test_close (fixture->store);
  g_clear_object (&fixture->store);
  db = store_test_sqlite_open (fixture->path);
  saved_body = store_test_sqlite_text (db, "SELECT body FROM notes WHERE id = 'saved'");
  g_assert_cmpstr (saved_body, ==, big);
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM notes WHERE id = 'fresh'"), ==, 0);
  sqlite3_close (db);
}

static void
test_newer_schema (void)
{
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(CinStore) store = NULL;
  g_autoptr(CinNote) note = store_test_make_note ("from-the-future", 1);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (store_test_save (store, note, &error));
  store_test_close (store);
  g_clear_object (&store);

  db = store_test_sqlite_open (path);
  sql = g_strdup_printf ("PRAGMA user_version = %d", cin_store_schema_version () + 5);
  store_test_sqlite_exec (db, sql);
  sqlite3_close (db);

  before = store_test_file_sha256 (path);

  /* Both ways of opening. */
  store = cin_store_open_sync (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (store);
  g_test_message ("%s", error->message);
  expected = g_strdup_printf ("schema %d; this version reads up to %d",
                              cin_store_schema_version () + 5, cin_store_schema_version ());
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  store = store_test_open (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (store);

  after = store_test_file_sha256 (path);
  g_assert_cmpstr (before, ==, after);

  store_test_rm_rf (dir);
}

/* A newer Cinnabar killed mid-session leaves its last commits in the WAL:
 * opening must neither checkpoint them into the file nor touch the log. */
static void
test_newer_schema_in_wal (void)
{
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *db_before = NULL;
  g_autofree char *wal_before = NULL;
  g_autofree char *db_after = NULL;
  g_autofree char *wal_after = NULL;
  g_autoptr(CinStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  store_test_close (store);
  g_clear_object (&store);

  db = store_test_sqlite_open (path);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  store_test_sqlite_exec (db, "PRAGMA wal_autocheckpoint = 0");
  sql = g_strdup_printf ("PRAGMA user_version = %d", cin_store_schema_version () + 1);
  store_test_sqlite_exec (db, sql);
  store_test_sqlite_exec (db, "CREATE TABLE from_the_future (x)");
  sqlite3_close (db);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  db_before = store_test_file_sha256 (path);
  wal_before = store_test_file_sha256 (wal);

  store = cin_store_open_sync (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NEWER_SCHEMA);
  g_assert_null (store);

  db_after = store_test_file_sha256 (path);
  wal_after = store_test_file_sha256 (wal);
  g_assert_cmpstr (db_before, ==, db_after);
  g_assert_cmpstr (wal_before, ==, wal_after);

  store_test_rm_rf (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(CinStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint8 garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_test_rand_int_range (0, 256);
  g_file_set_contents (path, (const char *)garbage, sizeof garbage, &error);
  g_assert_no_error (error);
  before = store_test_file_sha256 (path);

  store = cin_store_open_sync (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_null (store);

  after = store_test_file_sha256 (path);
  g_assert_cmpstr (before, ==, after);

  store_test_rm_rf (dir);
}

/* The read-only test, run in a subprocess that can give up root. */

static gboolean
drop_privileges (void)
{
  if (geteuid () != 0)
    return TRUE;

  return setgroups (0, NULL) == 0 &&
         setresgid (NOBODY_GID, NOBODY_GID, NOBODY_GID) == 0 &&
         setresuid (NOBODY_UID, NOBODY_UID, NOBODY_UID) == 0 &&
         geteuid () == NOBODY_UID;
}

/* Whether a forked child can become nobody: a container may deny it. */
static gboolean
can_drop_privileges (void)
{
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (drop_privileges () ? 0 : 1);
  if (pid < 0 || waitpid (pid, &status, 0) != pid)
    return FALSE;

  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* nobody has to reach the folder through every parent. */
static gboolean
others_can_traverse_parents (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);

  while (TRUE)
    {
      g_autofree char *next = NULL;
      GStatBuf st;

      if (g_stat (parent, &st) != 0 || (st.st_mode & S_IXOTH) == 0)
        return FALSE;
      next = g_path_get_dirname (parent);
      if (g_str_equal (next, parent))
        return TRUE;
      g_free (parent);
      parent = g_steal_pointer (&next);
    }
}

static void
chown_tree (const char *path,
            uid_t       uid,
            gid_t       gid)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_cmpint (lchown (path, uid, gid), ==, 0);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      chown_tree (child, uid, gid);
    }
}

static void
assert_read_only_open (const char *path)
{
  g_autoptr(CinStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = cin_store_open_sync (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_READ_ONLY);
  g_assert_null (store);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "writable"));
}

static void
read_only_subprocess (void)
{
  const char *profile = g_getenv ("CIN_TEST_READ_ONLY_PROFILE");
  g_autofree char *path = g_build_filename (profile, "drafts.db", NULL);
  g_autofree char *new_path = g_build_filename (profile, "other.db", NULL);
  g_autofree char *nested_path = g_build_filename (profile, "sub", "drafts.db", NULL);

  g_assert_nonnull (profile);
  g_assert_true (drop_privileges ());
  /* The folder really is unwritable for this process. */
  g_assert_cmpint (access (profile, W_OK), !=, 0);
  g_assert_cmpint (access (path, R_OK), ==, 0);

  /* The existing drafts, a new database, and a folder to create. */
  assert_read_only_open (path);
  assert_read_only_open (new_path);
  assert_read_only_open (nested_path);

  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
}

static void
test_read_only (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CinStore) store = NULL;
  g_autoptr(CinNote) note = store_test_make_note ("kept", 1);
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean as_root = geteuid () == 0;

  if (g_test_subprocess ())
    {
      read_only_subprocess ();
      return;
    }

  dir = store_test_make_tmp_dir ();
  profile = g_build_filename (dir, "profile", NULL);
  path = g_build_filename (profile, "drafts.db", NULL);

  if (as_root)
    {
      if (!can_drop_privileges ())
        {
          g_test_skip ("Running as root, and can't switch to an unprivileged user");
          store_test_rm_rf (dir);
          return;
        }
      /* Only the top folder is ours to open up; the parents must let
       * others through already. */
      g_assert_cmpint (g_chmod (dir, 0711), ==, 0);
      if (!others_can_traverse_parents (dir))
        {
          g_test_skip ("The temporary folder's parents are closed to other users");
          store_test_rm_rf (dir);
          return;
        }
    }

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (store_test_save (store, note, &error));
  store_test_close (store);
  g_clear_object (&store);

  if (as_root)
    chown_tree (profile, NOBODY_UID, NOBODY_GID);
  g_assert_cmpint (g_chmod (profile, 0500), ==, 0);

  g_setenv ("CIN_TEST_READ_ONLY_PROFILE", profile, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CIN_TEST_READ_ONLY_PROFILE");

  /* Permissions back: every saved draft is still there. */
  g_assert_cmpint (g_chmod (profile, 0700), ==, 0);
  if (as_root)
    chown_tree (profile, 0, 0);

  g_test_trap_assert_passed ();

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  loaded = store_test_load (store, "kept", &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (note, loaded);
  store_test_close (store);

  store_test_rm_rf (dir);
}

/* A read-only file in a writable folder: SQLite would open it read-only
 * without a word; the store says so up front. Root ignores file modes. */
static void
test_read_only_file (void)
{
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(CinStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("Root may write a read-only file; test_read_only covers this as nobody");
      store_test_rm_rf (dir);
      return;
    }

  store = store_test_open (path, &error);
  g_assert_no_error (error);
  store_test_close (store);
  g_clear_object (&store);

  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  store = cin_store_open_sync (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_READ_ONLY);

  store_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("open/creates-private-dir", test_open_creates_private_dir);
  ADD ("save/round-trip", test_save_load_round_trip);
  ADD ("save/copies-before-returning", test_save_copies_before_returning);
  ADD ("save/upsert-keeps-other-columns", test_save_upserts_and_keeps_other_columns);
  ADD ("save/invalid-text", test_invalid_text);
  ADD ("save/disk-full", test_disk_full);
  ADD ("load/not-found", test_load_not_found);
  ADD ("save/photos", test_photos);
  ADD ("list/sorts", test_list_sorts);
  ADD ("list/excerpts", test_list_excerpts);
  ADD ("list/repairs-foreign-text", test_list_repairs_foreign_text);
  ADD ("search/ascii-folded-and-exact", test_search);
  ADD ("list/topics", test_topics);
  ADD ("list/mentions", test_mentions);
  ADD ("list/following", test_following);
  ADD ("trash/restore-purge", test_trash_restore_purge);
  ADD ("close/then-closed", test_closed);
  ADD ("writer/fifo-order", test_fifo_order);
  ADD ("writer/callback-on-caller-context", test_callback_on_caller_context);
  ADD ("writer/cancelled-before-running", test_cancelled_before_running);

#undef ADD

  g_test_add_func ("/store/open/newer-schema", test_newer_schema);
  g_test_add_func ("/store/open/newer-schema-in-wal", test_newer_schema_in_wal);
  g_test_add_func ("/store/open/not-a-database", test_not_a_database);
  g_test_add_func ("/store/open/read-only", test_read_only);
  g_test_add_func ("/store/open/read-only-file", test_read_only_file);

  return g_test_run ();
}
