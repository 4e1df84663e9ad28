/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-migrations"

#include "cin-store-private.h"
#include "store-test-util.h"

/* For every schema an older Cinnabar left behind: build the file at that
 * version with the real migrations, fill it with rows as that version wrote
 * them, open it with the current store and check that nothing was lost. */

typedef void (*FillFunc) (sqlite3 *db);

/* Version 0 is a brand-new, empty file. */
static void
fill_v0 (sqlite3 *db)
{
}

static const char v1_notes_columns[] =
  "id, kind, title, body, topics, mentions, location, visibility, original, cover, "
  "state, scheduled_at, created_at, updated_at, rev, sync_state, base";

static void
fill_v1 (sqlite3 *db)
{
  store_test_sqlite_exec (db,
    "INSERT INTO notes (id, kind, title, body, topics, mentions, location, visibility,"
    "                   original, cover, state, scheduled_at, created_at, updated_at,"
    "                   rev, sync_state, base) VALUES"
    " ('6a1d4c9e-0000-4000-8000-000000000001', 'photo', '春日穿搭🌸 第1篇',"
    "  '今天的穿搭 👩‍🎨\n第二行 🇨🇳 café', '[\"穿搭\",\"OOTD\"]', '[\"@小红薯\"]',"
    "  '上海·静安寺', 'mutual', 1, 'sha256:ab12', 'scheduled', 1767225600123456,"
    "  1735689600000001, 1735689700000002, 'rev-7', 'modified',"
    "  '{\"id\":\"6a1d4c9e-0000-4000-8000-000000000001\",\"title\":\"旧标题\"}'),"
    " ('6a1d4c9e-0000-4000-8000-000000000002', 'video', '', '', '[]', '[]',"
    "  NULL, 'only-me', 0, NULL, 'draft', NULL, 1735689600000003, 1735689600000003,"
    "  NULL, 'created', NULL);"
    "INSERT INTO notes (id, kind, created_at, updated_at) VALUES"
    " ('6a1d4c9e-0000-4000-8000-000000000003', 'photo', 1, 2);"
    "INSERT INTO outbox (entity_kind, entity_id, op, payload, idempotency_key, base_rev,"
    "                    attempts, next_attempt_at, last_error, created_at) VALUES"
    " ('note', '6a1d4c9e-0000-4000-8000-000000000001', 'update', '{\"title\":\"春日\"}',"
    "  'idem-😀-1', 'rev-7', 3, 1735689800000000, '503 服务不可用', 1735689700000002);"
    "INSERT INTO sync_cursor (id, cursor, updated_at) VALUES (1, 'cursor-🌸-42', 1735689700000009);");
}

/* Version 2 added the trash: one note in it, one out. */
static void
fill_v2 (sqlite3 *db)
{
  fill_v1 (db);
  store_test_sqlite_exec (db,
    "INSERT INTO notes (id, kind, title, created_at, updated_at, trashed_at) VALUES"
    " ('6a1d4c9e-0000-4000-8000-000000000004', 'photo', '已删除 🗑', 5, 6, 1735689900000000);");
}

/* Version 3 added photos: one on the first note. */
static void
fill_v3 (sqlite3 *db)
{
  fill_v2 (db);
  store_test_sqlite_exec (db,
    "INSERT INTO media (id, note_id, position, sha256, mime, width, height, alt_text) VALUES"
    " ('6a1d4c9e-0000-4000-8000-0000000000f1', '6a1d4c9e-0000-4000-8000-000000000001', 0,"
    "  'ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12', 'image/jpeg',"
    "  3024, 4032, '窗边 ☕');");
}

static void
fill_v4 (sqlite3 *db)
{
  fill_v3 (db);
  /* An upload cut off halfway, which must resume after the upgrade. */
  store_test_sqlite_exec (db,
    "INSERT INTO uploads (sha256, remote_sha256, url, offset, length, done, updated_at) VALUES"
    " ('ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12',"
    "  'ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12',"
    "  'http://127.0.0.1:1/v1/uploads/0a', 65536, 131072, 0, 1735689800000000);");
}

static const FillFunc fills[] = {
  fill_v0,
  fill_v1,
  fill_v2,
  fill_v3,
  fill_v4,
};

/* A new schema version needs a fill function here. */
G_STATIC_ASSERT (G_N_ELEMENTS (fills) == CIN_STORE_SCHEMA_VERSION);

static GPtrArray *
expected_notes_from_v1 (void)
{
  GPtrArray *notes = g_ptr_array_new_with_free_func (g_object_unref);
  CinNote *note;

  note = cin_note_new_with_id ("6a1d4c9e-0000-4000-8000-000000000001", CIN_NOTE_KIND_PHOTO);
  cin_note_set_title (note, "春日穿搭🌸 第1篇");
  cin_note_set_body (note, "今天的穿搭 👩‍🎨\n第二行 🇨🇳 café");
  cin_note_set_topics (note, (const char * const []) { "穿搭", "OOTD", NULL });
  cin_note_set_mentions (note, (const char * const []) { "@小红薯", NULL });
  cin_note_set_location (note, "上海·静安寺");
  cin_note_set_visibility (note, CIN_VISIBILITY_MUTUAL);
  cin_note_set_original (note, TRUE);
  cin_note_set_state (note, CIN_NOTE_STATE_SCHEDULED);
  cin_note_set_scheduled_at (note, G_GINT64_CONSTANT (1767225600123456));
  cin_note_set_created_at (note, G_GINT64_CONSTANT (1735689600000001));
  cin_note_set_updated_at (note, G_GINT64_CONSTANT (1735689700000002));
  cin_note_set_rev (note, "rev-7");
  cin_note_set_sync_state (note, CIN_SYNC_STATE_MODIFIED);
  g_ptr_array_add (notes, note);

  note = cin_note_new_with_id ("6a1d4c9e-0000-4000-8000-000000000002", CIN_NOTE_KIND_VIDEO);
  cin_note_set_visibility (note, CIN_VISIBILITY_ONLY_ME);
  cin_note_set_created_at (note, G_GINT64_CONSTANT (1735689600000003));
  cin_note_set_updated_at (note, G_GINT64_CONSTANT (1735689600000003));
  g_ptr_array_add (notes, note);

  note = cin_note_new_with_id ("6a1d4c9e-0000-4000-8000-000000000003", CIN_NOTE_KIND_PHOTO);
  cin_note_set_created_at (note, 1);
  cin_note_set_updated_at (note, 2);
  g_ptr_array_add (notes, note);

  return notes;
}

typedef struct {
  char *notes;      /* the columns the old version had */
  char *outbox;
  char *sync_cursor;
} Dump;

static void
dump_clear (Dump *dump)
{
  g_clear_pointer (&dump->notes, g_free);
  g_clear_pointer (&dump->outbox, g_free);
  g_clear_pointer (&dump->sync_cursor, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Dump, dump_clear)

static gboolean
has_table (sqlite3    *db,
           const char *table)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '%s'", table);

  return store_test_sqlite_int (db, sql) > 0;
}

static void
dump_tables (sqlite3 *db,
             Dump    *dump)
{
  if (has_table (db, "notes"))
    {
      g_autofree char *view =
        g_strdup_printf ("(SELECT %s FROM notes)", v1_notes_columns);
      dump->notes = store_test_sqlite_dump (db, view);
      dump->outbox = store_test_sqlite_dump (db, "(SELECT id, entity_kind, entity_id, op, payload, "
                                                 "idempotency_key, base_rev, attempts, next_attempt_at, "
                                                 "last_error, created_at FROM outbox)");
      dump->sync_cursor = store_test_sqlite_dump (db, "sync_cursor");
    }
  else
    {
      dump->notes = g_strdup ("");
      dump->outbox = g_strdup ("");
      dump->sync_cursor = g_strdup ("");
    }
}

static char *
dump_everything (const char *path)
{
  sqlite3 *db = store_test_sqlite_open (path);
  GString *all = g_string_new (NULL);
  const char * const tables[] = { "notes", "media", "outbox", "sync_cursor", "sqlite_schema" };

  g_string_append_printf (all, "user_version=%" G_GINT64_FORMAT "\n",
                          store_test_sqlite_int (db, "PRAGMA user_version"));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *dump = store_test_sqlite_dump (db, tables[i]);
      g_string_append_printf (all, "%s:\n%s", tables[i], dump);
    }
  sqlite3_close (db);

  return g_string_free (all, FALSE);
}

static CinStore *
open_store (const char *path,
            gboolean    async)
{
  g_autoptr(GError) error = NULL;
  CinStore *store;

  store = async ? store_test_open (path, &error) : cin_store_open_sync (path, &error);
  g_assert_no_error (error);
  g_assert_true (CIN_IS_STORE (store));
  return store;
}

static void
test_from_version (gconstpointer data)
{
  int version = GPOINTER_TO_INT (data);
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *everything = NULL;
  g_autofree char *everything_again = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Dump) before = { NULL, };
  g_auto(Dump) after = { NULL, };
  CinStore *store;
  sqlite3 *db;

  /* The file as the older release left it. */
  db = store_test_sqlite_open_create (path);
  g_assert_true (_cin_store_schema_migrate (db, version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_sqlite_int (db, "PRAGMA user_version"), ==, version);
  fills[version] (db);
  dump_tables (db, &before);
  sqlite3_close (db);

  store = open_store (path, version % 2 == 0);

  expected = version >= 1 ? expected_notes_from_v1 () : g_ptr_array_new_with_free_func (g_object_unref);
  if (version >= 3)
    {
      g_autoptr(CinPhoto) photo =
        cin_photo_new_full ("6a1d4c9e-0000-4000-8000-0000000000f1",
                            "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
                            "image/jpeg", 3024, 4032, CIN_CROP_NONE, 0.5, 0.5, "窗边 ☕");

      cin_note_insert_photo (g_ptr_array_index (expected, 0), 0, photo);
    }
  for (guint i = 0; i < expected->len; i++)
    {
      CinNote *note = g_ptr_array_index (expected, i);
      g_autoptr(CinNote) loaded = store_test_load (store, cin_note_get_id (note), &error);

      g_assert_no_error (error);
      store_test_assert_notes_equal (note, loaded);
    }
  if (version >= 2)
    {
      g_autoptr(CinNote) trashed = store_test_load (store, "6a1d4c9e-0000-4000-8000-000000000004", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (cin_note_get_title (trashed), ==, "已删除 🗑");
      g_assert_cmpuint (cin_note_get_n_photos (trashed), ==, 0);
    }
  {
    /* Nothing that was there before the trash existed is in the trash. */
    g_autoptr(GPtrArray) listed = store_test_list (store, CIN_NOTE_SORT_CREATED, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (listed->len, ==, expected->len);
  }

  store_test_close (store);
  g_object_unref (store);

  db = store_test_sqlite_open (path);
  g_assert_cmpint (store_test_sqlite_int (db, "PRAGMA user_version"), ==, cin_store_schema_version ());
  /* The trash holds what it held, and nothing older went into it. */
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM notes WHERE trashed_at IS NOT NULL"),
                   ==, version >= 2 ? 1 : 0);
  /* A note saved before photos existed has none. */
  if (version >= 1)
    g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM media"), ==, version >= 3 ? 1 : 0);
  /* Nothing was parked or uploaded before sync existed; an upload under
   * way stays where it got to. */
  if (version >= 1)
    {
      g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM outbox WHERE parked != 0"), ==, 0);
      g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM uploads"), ==, version >= 4 ? 1 : 0);
    }
  if (version >= 4)
    g_assert_cmpint (store_test_sqlite_int (db, "SELECT offset FROM uploads"), ==, 65536);
  /* Nobody is followed until the server says so. */
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM following"), ==, 0);
  dump_tables (db, &after);
  sqlite3_close (db);

  /* Every byte of every row the old version wrote, cover and base too. */
  if (version >= 1)
    {
      g_assert_cmpstr (before.notes, ==, after.notes);
      g_assert_cmpstr (before.outbox, ==, after.outbox);
      g_assert_cmpstr (before.sync_cursor, ==, after.sync_cursor);
    }

  /* Opening again changes nothing. */
  everything = dump_everything (path);
  store = open_store (path, version % 2 != 0);
  store_test_close (store);
  g_object_unref (store);
  everything_again = dump_everything (path);
  g_assert_cmpstr (everything, ==, everything_again);

  store_test_rm_rf (dir);
}

/* A step that fails leaves the file at the version before it. */
static void
test_failed_step_rolls_back (void)
{
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinStore) store = NULL;
  sqlite3 *db;

  db = store_test_sqlite_open_create (path);
  g_assert_true (_cin_store_schema_migrate (db, 1, &error));
  fill_v1 (db);
  /* Something in the way of step 2, in the middle of it. */
  store_test_sqlite_exec (db, "CREATE TABLE notes_by_created (x)");
  sqlite3_close (db);

  store = cin_store_open_sync (path, &error);
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_FAILED);
  g_assert_null (store);
  g_clear_error (&error);

  db = store_test_sqlite_open (path);
  g_assert_cmpint (store_test_sqlite_int (db, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM pragma_table_info('notes') "
                                              "WHERE name = 'trashed_at'"), ==, 0);
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM sqlite_schema "
                                              "WHERE name = 'notes_by_updated'"), ==, 0);
  g_assert_cmpint (store_test_sqlite_int (db, "SELECT count(*) FROM notes"), ==, 3);
  store_test_sqlite_exec (db, "DROP TABLE notes_by_created");
  sqlite3_close (db);

  store = cin_store_open_sync (path, &error);
  g_assert_no_error (error);
  store_test_close (store);

  store_test_rm_rf (dir);
}

static void
test_migrate_never_goes_back (void)
{
  g_autofree char *dir = store_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  db = store_test_sqlite_open_create (path);
  g_assert_true (_cin_store_schema_migrate (db, CIN_STORE_SCHEMA_VERSION, &error));
  g_assert_true (_cin_store_schema_migrate (db, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_sqlite_int (db, "PRAGMA user_version"), ==, CIN_STORE_SCHEMA_VERSION);

  sql = g_strdup_printf ("PRAGMA user_version = %d", CIN_STORE_SCHEMA_VERSION + 1);
  store_test_sqlite_exec (db, sql);
  g_assert_false (_cin_store_schema_migrate (db, CIN_STORE_SCHEMA_VERSION, &error));
  g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NEWER_SCHEMA);
  sqlite3_close (db);

  store_test_rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (int v = 0; v < CIN_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *path = g_strdup_printf ("/store/migrations/from-v%d", v);
      g_test_add_data_func (path, GINT_TO_POINTER (v), test_from_version);
    }
  g_test_add_func ("/store/migrations/failed-step-rolls-back", test_failed_step_rolls_back);
  g_test_add_func ("/store/migrations/never-goes-back", test_migrate_never_goes_back);

  return g_test_run ();
}
