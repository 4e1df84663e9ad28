/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "cin-tus.h"
#include "cin-tus-store.h"
#include "tus-test-media.h"

/* Uploads on disk: what survives a restart, and what a crash leaves that
 * the next start tidies up. Each test opens a store, drops it (as a kill
 * would, with nothing flushed on the way out) and opens a new one. */

#define SHA256 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

typedef struct {
  char *root;
  char *uploads;
  char *media;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("cin-tus-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->uploads = g_build_filename (fixture->root, "uploads", NULL);
  fixture->media = g_build_filename (fixture->root, "media", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->uploads);
  g_free (fixture->media);
}

static CinTusStore *
open_store (Fixture   *fixture,
            GPtrArray *unannounced)
{
  g_autoptr(GError) error = NULL;
  CinTusStore *store = cin_tus_store_new (fixture->uploads, fixture->media, unannounced, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint count = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

static void
append_to_part (CinTusStore  *store,
                CinTusUpload *upload,
                const char   *text)
{
  g_autofree char *path = cin_tus_store_dup_part_path (store, upload);
  g_autofree char *contents = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  joined = g_strconcat (contents, text, NULL);
  g_file_set_contents (path, joined, -1, &error);
  g_assert_no_error (error);
}

static void
test_survives_restart (Fixture       *fixture,
                       gconstpointer  data)
{
  CinTusStore *store = open_store (fixture, NULL);
  g_autoptr(CinTusUpload) created = NULL;
  g_autoptr(CinTusUpload) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  created = cin_tus_store_create (store, "alice", 10, "filename YS5wbmc=", SHA256, &error);
  g_assert_no_error (error);
  g_assert_true (cin_tus_store_is_valid_id (created->id));
  g_assert_cmpuint (created->offset, ==, 0);
  id = g_strdup (created->id);
  append_to_part (store, created, "hello");
  cin_tus_store_free (store);

  store = open_store (fixture, NULL);
  found = cin_tus_store_lookup (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->owner, ==, "alice");
  g_assert_cmpuint (found->length, ==, 10);
  g_assert_cmpstr (found->metadata, ==, "filename YS5wbmc=");
  g_assert_cmpstr (found->sha256, ==, SHA256);
  g_assert_cmpint (found->state, ==, CIN_TUS_UPLOAD_RECEIVING);
  g_assert_cmpuint (found->offset, ==, 5);
  /* Nothing of the running hash survives: it starts again from byte 0. */
  g_assert_null (found->hasher);

  cin_tus_store_delete (store, found);
  g_assert_cmpuint (count_files (fixture->uploads), ==, 0);
  g_clear_pointer (&found, cin_tus_upload_unref);
  found = cin_tus_store_lookup (store, id, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  cin_tus_store_free (store);
}

static void
test_unknown_id (Fixture       *fixture,
                 gconstpointer  data)
{
  CinTusStore *store = open_store (fixture, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (cin_tus_store_lookup (store, "0123456789abcdef0123456789abcdef", &error));
  g_assert_no_error (error);
  g_assert_false (cin_tus_store_is_valid_id ("../../etc/passwd"));
  g_assert_false (cin_tus_store_is_valid_id ("0123456789ABCDEF0123456789ABCDEF"));
  g_assert_false (cin_tus_store_is_valid_id ("0123456789abcdef0123456789abcde"));
  g_assert_false (cin_tus_store_is_valid_id (NULL));
  cin_tus_store_free (store);
}

static void
test_commit_media (Fixture       *fixture,
                   gconstpointer  data)
{
  CinTusStore *store = open_store (fixture, NULL);
  g_autoptr(GPtrArray) unannounced = g_ptr_array_new_with_free_func ((GDestroyNotify) cin_tus_upload_unref);
  g_autoptr(CinTusUpload) upload = NULL;
  g_autoptr(CinTusUpload) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *media_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;

  upload = cin_tus_store_create (store, "bob", 5, NULL, SHA256, &error);
  g_assert_no_error (error);
  id = g_strdup (upload->id);
  append_to_part (store, upload, "hello");
  g_assert_true (cin_tus_store_commit_media (store, upload, CIN_MEDIA_FORMAT_PNG, &error));
  g_assert_no_error (error);
  media_path = cin_tus_store_dup_media_path (store, upload, CIN_MEDIA_FORMAT_PNG);
  g_assert_true (g_str_has_suffix (media_path, ".png"));
  g_file_get_contents (media_path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "hello");
  cin_tus_store_free (store);

  /* Never announced before the "crash": announced at the next start. */
  store = open_store (fixture, unannounced);
  g_assert_cmpuint (unannounced->len, ==, 1);
  found = cin_tus_store_lookup (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->state, ==, CIN_TUS_UPLOAD_COMPLETE);
  g_assert_cmpint (found->format, ==, CIN_MEDIA_FORMAT_PNG);
  g_assert_cmpstr (found->media_path, ==, media_path);
  g_assert_cmpuint (found->offset, ==, 5);
  g_assert_false (found->announced);

  found->announced = TRUE;
  g_assert_true (cin_tus_store_save (store, found, &error));
  cin_tus_store_free (store);
  g_ptr_array_set_size (unannounced, 0);
  store = open_store (fixture, unannounced);
  g_assert_cmpuint (unannounced->len, ==, 0);

  cin_tus_store_delete (store, found);
  g_assert_cmpuint (count_files (fixture->uploads), ==, 0);
  g_assert_cmpuint (count_files (fixture->media), ==, 0);
  cin_tus_store_free (store);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* What each crash point leaves behind, and what a start makes of it. */
static void
test_recovery (Fixture       *fixture,
               gconstpointer  data)
{
  CinTusStore *store = open_store (fixture, NULL);
  g_autoptr(GPtrArray) unannounced = g_ptr_array_new_with_free_func ((GDestroyNotify) cin_tus_upload_unref);
  g_autofree char *moved_record = NULL;
  g_autofree char *moved_media = NULL;
  g_autofree char *moved_json = NULL;
  const char *never_created = "11111111111111111111111111111111";
  const char *half_deleted = "22222222222222222222222222222222";
  const char *never_moved = "33333333333333333333333333333333";
  g_autofree char *half_deleted_json = g_strdup_printf (
    "{\"id\":\"%s\",\"owner\":\"a\",\"length\":3,\"sha256\":\"%s\",\"state\":\"receiving\"}",
    half_deleted, SHA256);

  cin_tus_store_free (store);

  /* A crash during creation, after the .part and before the record. */
  write_file (fixture->uploads, "11111111111111111111111111111111.part", "abc");
  /* A crash during deletion, after the .part went and before the record. */
  write_file (fixture->uploads, "22222222222222222222222222222222.json", half_deleted_json);
  /* A crash while g_file_set_contents() wrote a record. */
  write_file (fixture->uploads, "44444444444444444444444444444444.json.8NHT21", "{");
  /* A crash after the complete record and before the move. */
  moved_media = g_build_filename (fixture->media, "33333333333333333333333333333333.png", NULL);
  moved_json = g_strdup_printf (
    "{\"id\":\"%s\",\"owner\":\"a\",\"length\":3,\"sha256\":\"%s\",\"state\":\"complete\","
    "\"format\":\"png\",\"media_path\":\"%s\",\"announced\":false}",
    never_moved, SHA256, moved_media);
  write_file (fixture->uploads, "33333333333333333333333333333333.json", moved_json);
  write_file (fixture->uploads, "33333333333333333333333333333333.part", "png");
  /* Not ours: left alone. */
  write_file (fixture->uploads, "README", "notes");

  store = open_store (fixture, unannounced);
  g_assert_false (g_file_test (never_created, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (unannounced->len, ==, 1);
  g_assert_cmpstr (((CinTusUpload *) unannounced->pdata[0])->id, ==, never_moved);
  g_assert_true (g_file_test (moved_media, G_FILE_TEST_EXISTS));
  /* Left: the moved upload's record and the stranger. */
  g_assert_cmpuint (count_files (fixture->uploads), ==, 2);
  moved_record = g_build_filename (fixture->uploads, "33333333333333333333333333333333.json", NULL);
  g_assert_true (g_file_test (moved_record, G_FILE_TEST_EXISTS));
  cin_tus_store_free (store);
}

/* A file that never came through tus (the demo's photos) becomes a
 * complete upload only if it meets the checks a sent one meets, the
 * whole-file check included, and once per owner and content. */
static void
test_add_complete (Fixture       *fixture,
                   gconstpointer  data)
{
  CinTusLimits limits = { 1 << 20, 1 << 20, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CinTus) tus = cin_tus_new (fixture->uploads, fixture->media, &limits, &error);
  g_autoptr(GBytes) png = tus_test_png (8, 8, 1);
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 8);
  g_autofree char *sha256 = NULL;
  g_autofree char *again = NULL;
  g_autofree char *refused = NULL;
  guint n_media;

  g_assert_no_error (error);
  g_assert_false (cin_tus_owner_has_complete (tus, "7"));

  sha256 = cin_tus_add_complete (tus, "7", png, &error);
  g_assert_no_error (error);
  g_assert_true (cin_tus_has_complete (tus, "7", sha256));
  g_assert_true (cin_tus_owner_has_complete (tus, "7"));
  g_assert_false (cin_tus_has_complete (tus, "8", sha256));
  g_assert_false (cin_tus_owner_has_complete (tus, "8"));

  n_media = count_files (fixture->media);
  again = cin_tus_add_complete (tus, "7", png, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, sha256);
  g_assert_cmpuint (count_files (fixture->media), ==, n_media);

  /* Its header is whole; only the check of the complete file sees the
   * missing end. Nothing of it is kept. */
  refused = cin_tus_add_complete (tus, "7", cut, &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_assert_cmpuint (count_files (fixture->media), ==, n_media);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/tus-store/survives-restart", Fixture, NULL,
              fixture_set_up, test_survives_restart, fixture_tear_down);
  g_test_add ("/tus-store/unknown-id", Fixture, NULL,
              fixture_set_up, test_unknown_id, fixture_tear_down);
  g_test_add ("/tus-store/commit-media", Fixture, NULL,
              fixture_set_up, test_commit_media, fixture_tear_down);
  g_test_add ("/tus-store/add-complete", Fixture, NULL,
              fixture_set_up, test_add_complete, fixture_tear_down);
  g_test_add ("/tus-store/recovery", Fixture, NULL,
              fixture_set_up, test_recovery, fixture_tear_down);

  return g_test_run ();
}
