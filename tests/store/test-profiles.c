/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-profiles"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cin-paths.h"
#include "cin-profile-copy.h"
#include "cin-profiles.h"
#include "store-test-util.h"

/* Every test works in a fresh data dir of its own, with real stores and
 * real files; the run's XDG dirs are private (G_TEST_OPTION_ISOLATE_DIRS). */

typedef struct {
  char *tmp;
  char *data_dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->tmp = store_test_make_tmp_dir ();
  fixture->data_dir = g_build_filename (fixture->tmp, "cinnabar", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  store_test_rm_rf (fixture->tmp);
  g_clear_pointer (&fixture->tmp, g_free);
  g_clear_pointer (&fixture->data_dir, g_free);
}

static CinProfiles *
open_profiles (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  CinProfiles *profiles = cin_profiles_open_sync (data_dir, &error);

  g_assert_no_error (error);
  g_assert_true (CIN_IS_PROFILES (profiles));
  return profiles;
}

static CinProfile *
create_account (CinProfiles *profiles,
                const char  *server,
                const char  *handle,
                const char  *display_name)
{
  g_autoptr(GError) error = NULL;
  CinProfile *profile = cin_profiles_create_account_sync (profiles, server, handle, display_name, &error);

  g_assert_no_error (error);
  g_assert_true (CIN_IS_PROFILE (profile));
  return profile;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
profile_json_path (CinProfile *profile)
{
  return g_build_filename (cin_profile_get_dir (profile), "profile.json", NULL);
}

static guint
count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_fresh (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autoptr(GPtrArray) list = cin_profiles_list (profiles);
  g_autoptr(GPtrArray) errors = cin_profiles_list_errors (profiles);
  g_autoptr(CinProfile) local = cin_profiles_get_local (profiles);
  g_autoptr(CinProfile) active = cin_profiles_get_active (profiles);
  g_autofree char *dir = g_build_filename (fixture->data_dir, "profiles", "local", NULL);
  g_autofree char *store = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *media = g_build_filename (dir, "media", NULL);
  g_autofree char *json = profile_json_path (local);

  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (g_ptr_array_index (list, 0) == local);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_true (active == local);
  g_assert_cmpstr (cin_profile_get_id (local), ==, CIN_PROFILE_LOCAL_ID);
  g_assert_cmpint (cin_profile_get_kind (local), ==, CIN_PROFILE_KIND_LOCAL);
  g_assert_null (cin_profile_get_server (local));
  g_assert_null (cin_profile_get_handle (local));
  g_assert_cmpstr (cin_profile_get_display_name (local), !=, "");
  g_assert_cmpstr (cin_profile_get_dir (local), ==, dir);
  g_assert_cmpstr (cin_profile_get_store_path (local), ==, store);
  g_assert_cmpstr (cin_profile_get_media_dir (local), ==, media);
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
}

/* The user's data dir: the local profile is where the app kept its store
 * and photos before profiles. */
static void
test_default_dir (void)
{
  g_autoptr(CinProfiles) profiles = open_profiles (NULL);
  g_autoptr(CinProfile) local = cin_profiles_get_local (profiles);
  g_autofree char *store = cin_paths_get_store_path ("local");
  g_autofree char *dir = cin_paths_get_profile_dir ("local");
  g_autofree char *media = g_build_filename (dir, "media", NULL);

  g_assert_cmpstr (cin_profile_get_store_path (local), ==, store);
  g_assert_cmpstr (cin_profile_get_media_dir (local), ==, media);
  g_assert_true (g_str_has_prefix (cin_profiles_get_data_dir (profiles), g_get_user_data_dir ()));
}

/* A photo file of @size random bytes in @media_dir, named as the media
 * library names them; returns its SHA-256. */
static char *
make_media_file (const char *media_dir,
                 const char *extension,
                 gsize       size)
{
  g_autofree guint8 *bytes = g_malloc (size);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  char *sha256;

  for (gsize i = 0; i < size; i++)
    bytes[i] = g_random_int_range (0, 256);
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes, size);
  name = g_strconcat (sha256, ".", extension, NULL);
  path = g_build_filename (media_dir, name, NULL);
  write_file (path, (const char *)bytes, size);
  return sha256;
}

static char *
media_path (const char *media_dir,
            const char *sha256,
            const char *extension)
{
  g_autofree char *name = g_strconcat (sha256, ".", extension, NULL);

  return g_build_filename (media_dir, name, NULL);
}

static CinNote *
make_photo_note (const char *media_dir,
                 char      **sha256_out)
{
  CinNote *note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autofree char *first = make_media_file (media_dir, "jpg", 64 * 1024);
  g_autofree char *second = make_media_file (media_dir, "png", 3000);
  g_autoptr(CinPhoto) photo1 = cin_photo_new (first, "image/jpeg", 1080, 1440);
  g_autoptr(CinPhoto) photo2 = cin_photo_new (second, "image/png", 800, 800);
  const char *topics[] = { "春日穿搭", "OOTD", NULL };

  cin_note_set_title (note, "春天的第一套穿搭 🌸");
  cin_note_set_body (note, "今天试了三种搭配，最后选了这套。\nWhich one do you like?");
  cin_note_set_topics (note, topics);
  cin_note_insert_photo (note, 0, photo1);
  cin_note_insert_photo (note, 1, photo2);
  if (sha256_out != NULL)
    *sha256_out = g_strdup (first);
  return note;
}

static void
test_adopt_existing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->data_dir, "profiles", "local", NULL);
  g_autofree char *store_path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *media_dir = g_build_filename (dir, "media", NULL);
  g_autofree char *json = g_build_filename (dir, "profile.json", NULL);
  g_autofree char *first = NULL;
  g_autofree char *store_sha = NULL;
  g_autofree char *photo_path = NULL;
  g_autofree char *photo_sha = NULL;
  g_autoptr(CinNote) note = NULL;
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(CinProfiles) profiles = NULL;
  g_autoptr(CinProfile) local = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  CinStore *store;

  /* A data dir as the app left it before profiles: a store with a photo
   * draft and its media, no profile.json. */
  store = store_test_open (store_path, &error);
  g_assert_no_error (error);
  note = make_photo_note (media_dir, &first);
  g_assert_true (store_test_save (store, note, &error));
  g_assert_no_error (error);
  store_test_close (store);
  g_object_unref (store);
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
  store_sha = store_test_file_sha256 (store_path);
  photo_path = media_path (media_dir, first, "jpg");
  photo_sha = store_test_file_sha256 (photo_path);

  profiles = open_profiles (fixture->data_dir);
  local = cin_profiles_get_local (profiles);
  errors = cin_profiles_list_errors (profiles);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_cmpstr (cin_profile_get_store_path (local), ==, store_path);
  g_assert_cmpstr (cin_profile_get_media_dir (local), ==, media_dir);
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));

  /* Adopted where it was: the files are the same files. */
  {
    g_autofree char *after = store_test_file_sha256 (store_path);
    g_autofree char *photo_after = store_test_file_sha256 (photo_path);

    g_assert_cmpstr (after, ==, store_sha);
    g_assert_cmpstr (photo_after, ==, photo_sha);
  }
  g_assert_cmpuint (count_entries (media_dir), ==, 2);

  store = store_test_open (cin_profile_get_store_path (local), &error);
  g_assert_no_error (error);
  loaded = store_test_load (store, cin_note_get_id (note), &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (note, loaded);
  store_test_close (store);
  g_object_unref (store);

  /* Opening again changes nothing. */
  {
    g_autoptr(CinProfiles) again = open_profiles (fixture->data_dir);
    g_autoptr(GPtrArray) list = cin_profiles_list (again);

    g_assert_cmpuint (list->len, ==, 1);
  }
}

static void
test_create_find_remove (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autoptr(CinProfile) alice = NULL;
  g_autoptr(CinProfile) again = NULL;
  g_autoptr(CinProfile) found = NULL;
  g_autoptr(CinProfile) other_server = NULL;
  g_autoptr(CinProfile) other_port = NULL;
  g_autoptr(CinProfile) bob = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_dir = NULL;

  alice = create_account (profiles, "HTTPS://Cinnabar.Example/", "@alice", "Alice 的小店");
  g_assert_cmpstr (cin_profile_get_id (alice), ==, "alice@cinnabar.example");
  g_assert_cmpint (cin_profile_get_kind (alice), ==, CIN_PROFILE_KIND_ACCOUNT);
  g_assert_cmpstr (cin_profile_get_server (alice), ==, "https://cinnabar.example");
  g_assert_cmpstr (cin_profile_get_handle (alice), ==, "alice");
  g_assert_cmpstr (cin_profile_get_display_name (alice), ==, "Alice 的小店");
  alice_dir = g_strdup (cin_profile_get_dir (alice));
  g_assert_true (g_file_test (alice_dir, G_FILE_TEST_IS_DIR));

  /* One account, one profile. */
  again = create_account (profiles, "https://cinnabar.example", "alice", NULL);
  g_assert_true (again == alice);

  found = cin_profiles_find_account (profiles, "https://cinnabar.example:443", "alice");
  g_assert_true (found == alice);
  g_clear_object (&found);
  found = cin_profiles_find (profiles, "alice@cinnabar.example");
  g_assert_true (found == alice);
  g_clear_object (&found);
  g_assert_null (cin_profiles_find_account (profiles, "https://cinnabar.example", "Alice"));
  g_assert_null (cin_profiles_find_account (profiles, "https://other.example", "alice"));
  g_assert_null (cin_profiles_find (profiles, "nobody"));

  /* The same handle elsewhere is another account. */
  other_server = create_account (profiles, "https://other.example", "alice", NULL);
  other_port = create_account (profiles, "http://cinnabar.example:8080/api/", "alice", NULL);
  bob = create_account (profiles, "https://cinnabar.example", "bob", NULL);
  g_assert_cmpstr (cin_profile_get_id (other_server), ==, "alice@other.example");
  g_assert_cmpstr (cin_profile_get_id (other_port), ==, "alice@cinnabar.example-8080");
  g_assert_cmpstr (cin_profile_get_server (other_port), ==, "http://cinnabar.example:8080/api");
  g_assert_cmpstr (cin_profile_get_display_name (bob), ==, "@bob");

  list = cin_profiles_list (profiles);
  g_assert_cmpuint (list->len, ==, 5);
  g_assert_cmpint (cin_profile_get_kind (g_ptr_array_index (list, 0)), ==, CIN_PROFILE_KIND_LOCAL);
  for (guint i = 2; i < list->len; i++)
    g_assert_cmpint (g_utf8_collate (cin_profile_get_display_name (g_ptr_array_index (list, i - 1)),
                                     cin_profile_get_display_name (g_ptr_array_index (list, i))), <=, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* What is on disk is what opens next time. */
  g_assert_true (cin_profiles_set_active_sync (profiles, "alice@cinnabar.example", &error));
  g_assert_no_error (error);
  {
    g_autoptr(CinProfiles) reopened = open_profiles (fixture->data_dir);
    g_autoptr(GPtrArray) relist = cin_profiles_list (reopened);
    g_autoptr(CinProfile) active = cin_profiles_get_active (reopened);
    g_autoptr(CinProfile) refound = cin_profiles_find_account (reopened, "https://cinnabar.example", "alice");

    g_assert_cmpuint (relist->len, ==, 5);
    g_assert_cmpstr (cin_profile_get_id (active), ==, "alice@cinnabar.example");
    g_assert_nonnull (refound);
    g_assert_cmpstr (cin_profile_get_display_name (refound), ==, "Alice 的小店");
  }

  g_assert_false (cin_profiles_set_active_sync (profiles, "nobody", &error));
  g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Removing takes the whole folder, and the active profile falls back. */
  write_file (cin_profile_get_store_path (alice), "drafts", -1);
  {
    g_autofree char *photo = g_build_filename (cin_profile_get_media_dir (alice), "photo.jpg", NULL);

    write_file (photo, "jpeg", -1);
  }
  g_assert_true (cin_profiles_remove_sync (profiles, "alice@cinnabar.example", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (alice_dir, G_FILE_TEST_EXISTS));
  g_assert_null (cin_profiles_find (profiles, "alice@cinnabar.example"));
  {
    g_autoptr(CinProfile) active = cin_profiles_get_active (profiles);
    g_autofree char *profiles_dir = g_build_filename (fixture->data_dir, "profiles", NULL);

    g_assert_cmpstr (cin_profile_get_id (active), ==, CIN_PROFILE_LOCAL_ID);
    /* local and the three other accounts; nothing hidden left over */
    g_assert_cmpuint (count_entries (profiles_dir), ==, 4);
  }
  {
    g_autoptr(CinProfiles) reopened = open_profiles (fixture->data_dir);
    g_autoptr(GPtrArray) relist = cin_profiles_list (reopened);
    g_autoptr(CinProfile) active = cin_profiles_get_active (reopened);

    g_assert_cmpuint (relist->len, ==, 4);
    g_assert_cmpstr (cin_profile_get_id (active), ==, CIN_PROFILE_LOCAL_ID);
  }

  g_assert_false (cin_profiles_remove_sync (profiles, "alice@cinnabar.example", &error));
  g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cin_profiles_remove_sync (profiles, CIN_PROFILE_LOCAL_ID, &error));
  g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_LOCAL);
  g_clear_error (&error);

  /* Made again after removing: a fresh folder of the same name. */
  g_clear_object (&alice);
  alice = create_account (profiles, "https://cinnabar.example", "alice", NULL);
  g_assert_cmpstr (cin_profile_get_dir (alice), ==, alice_dir);
  g_assert_false (g_file_test (cin_profile_get_store_path (alice), G_FILE_TEST_EXISTS));
}

static void
test_invalid_accounts (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  const char *servers[] = {
    "", "cinnabar.example", "ftp://cinnabar.example", "https://", "https://user:pw@cinnabar.example",
    "https://cinnabar.example/?token=1", "not a uri at all",
  };
  const char *handles[] = { "", "@", "a b", "../../etc", "a/b", "tab\there", "bad\xff" };
  g_autofree char *profiles_dir = g_build_filename (fixture->data_dir, "profiles", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (cin_profiles_create_account_sync (profiles, servers[i], "alice", NULL, &error));
      g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_INVALID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (handles); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (cin_profiles_create_account_sync (profiles, "https://cinnabar.example", handles[i], NULL, &error));
      g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_INVALID);
    }
  g_assert_cmpuint (count_entries (profiles_dir), ==, 1);
}

static void
test_json_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autoptr(CinProfile) profile = create_account (profiles, "https://cinnabar.example",
                                                  "小红书创作者", "小红 ✨ \"Studio\"\n");
  g_autoptr(CinProfile) loaded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = profile_json_path (profile);
  g_autofree char *text = read_file (path);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  loaded = cin_profile_load (cin_profile_get_dir (profile), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_profile_get_id (loaded), ==, cin_profile_get_id (profile));
  g_assert_cmpint (cin_profile_get_kind (loaded), ==, CIN_PROFILE_KIND_ACCOUNT);
  g_assert_cmpstr (cin_profile_get_server (loaded), ==, "https://cinnabar.example");
  g_assert_cmpstr (cin_profile_get_handle (loaded), ==, "小红书创作者");
  g_assert_cmpstr (cin_profile_get_display_name (loaded), ==, "小红 ✨ \"Studio\"\n");
  g_assert_cmpstr (cin_profile_get_store_path (loaded), ==, cin_profile_get_store_path (profile));

  /* Just these members: nothing secret goes in. */
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  g_assert_cmpuint (g_list_length (members), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "account");
  g_assert_cmpstr (json_object_get_string_member (object, "server"), ==, "https://cinnabar.example");
  g_assert_cmpstr (json_object_get_string_member (object, "handle"), ==, "小红书创作者");
  g_assert_true (json_object_has_member (object, "display-name"));
  g_assert_null (strstr (text, "token"));

  /* Saving again writes the same file. */
  g_assert_true (cin_profile_save (loaded, cin_profile_get_dir (loaded), &error));
  g_assert_no_error (error);
  {
    g_autofree char *again = read_file (path);

    g_assert_cmpstr (again, ==, text);
  }
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  const char *damaged[] = {
    "{\"version\": 1, \"kind\": \"account\", \"server\": \"https://cinnabar.exa",
    "[]",
    "{\"version\": 1, \"kind\": \"account\", \"handle\": \"alice\"}",
    "{\"version\": \"1\", \"kind\": \"account\", \"server\": \"https://cinnabar.example\", \"handle\": \"alice\"}",
    "{\"version\": 1, \"kind\": \"robot\"}",
    "{\"version\": [1], \"kind\": \"account\"}",
    "{\"version\": 1, \"kind\": \"account\", \"server\": 7, \"handle\": {}}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
      g_autoptr(CinProfile) alice = create_account (profiles, "https://cinnabar.example", "alice", NULL);
      g_autofree char *dir = g_strdup (cin_profile_get_dir (alice));
      g_autofree char *json = profile_json_path (alice);
      g_autofree char *photo = g_build_filename (cin_profile_get_media_dir (alice), "photo.jpg", NULL);
      g_autoptr(CinProfile) loaded = NULL;
      g_autoptr(CinProfiles) reopened = NULL;
      g_autoptr(CinProfile) second = NULL;
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GPtrArray) errors = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      write_file (cin_profile_get_store_path (alice), "drafts", -1);
      write_file (photo, "jpeg", -1);
      write_file (json, damaged[i], -1);

      loaded = cin_profile_load (dir, &error);
      g_assert_null (loaded);
      g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, dir));
      g_assert_nonnull (strstr (error->message, "profile.json"));
      g_clear_error (&error);

      /* The others still open; this one is reported, and left alone. */
      reopened = open_profiles (fixture->data_dir);
      list = cin_profiles_list (reopened);
      errors = cin_profiles_list_errors (reopened);
      g_assert_cmpuint (list->len, ==, 1);
      g_assert_cmpuint (errors->len, ==, 1);
      g_assert_error ((GError *)g_ptr_array_index (errors, 0), CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_CORRUPT);
      g_assert_null (cin_profiles_find_account (reopened, "https://cinnabar.example", "alice"));
      after = read_file (json);
      g_assert_cmpstr (after, ==, damaged[i]);
      g_assert_true (g_file_test (cin_profile_get_store_path (alice), G_FILE_TEST_IS_REGULAR));
      g_assert_true (g_file_test (photo, G_FILE_TEST_IS_REGULAR));

      /* Signing in again makes a folder beside it, never over it. */
      second = create_account (reopened, "https://cinnabar.example", "alice", NULL);
      g_assert_cmpstr (cin_profile_get_id (second), ==, "alice@cinnabar.example-2");
      g_clear_pointer (&after, g_free);
      after = read_file (json);
      g_assert_cmpstr (after, ==, damaged[i]);

      store_test_rm_rf (fixture->data_dir);
    }
}

/* A profile from a newer Cinnabar is not called damaged. */
static void
test_newer (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autoptr(CinProfile) alice = create_account (profiles, "https://cinnabar.example", "alice", NULL);
  g_autofree char *json = profile_json_path (alice);
  g_autoptr(CinProfile) loaded = NULL;
  g_autoptr(CinProfiles) reopened = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;

  write_file (json, "{\"version\": 2, \"kind\": \"account\", \"server\": \"https://cinnabar.example\", "
                    "\"handle\": \"alice\", \"avatar\": \"a.png\"}", -1);
  loaded = cin_profile_load (cin_profile_get_dir (alice), &error);
  g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NEWER);
  g_assert_null (loaded);

  reopened = open_profiles (fixture->data_dir);
  errors = cin_profiles_list_errors (reopened);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_error ((GError *)g_ptr_array_index (errors, 0), CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NEWER);
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));
}

static void
test_corrupt_local (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *json = g_build_filename (fixture->data_dir, "profiles", "local", "profile.json", NULL);
  g_autoptr(CinProfiles) profiles = NULL;
  g_autoptr(CinProfile) local = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *after = NULL;

  write_file (json, "{{{", -1);
  profiles = open_profiles (fixture->data_dir);
  local = cin_profiles_get_local (profiles);
  errors = cin_profiles_list_errors (profiles);

  g_assert_cmpint (cin_profile_get_kind (local), ==, CIN_PROFILE_KIND_LOCAL);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_error ((GError *)g_ptr_array_index (errors, 0), CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_CORRUPT);
  after = read_file (json);
  g_assert_cmpstr (after, ==, "{{{");
}

static void
test_odd_names (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autofree char *profiles_dir = g_build_filename (fixture->data_dir, "profiles", NULL);
  g_autoptr(GString) long_handle = g_string_new (NULL);
  const struct {
    const char *server;
    const char *handle;
    const char *id;
  } cases[] = {
    { "https://cinnabar.example", "小红书创作者", "小红书创作者@cinnabar.example" },
    { "https://xn--fiq228c.example", "Ünïcødé", "Ünïcødé@xn--fiq228c.example" },
    { "https://cinnabar.example", ".hidden", "_hidden@cinnabar.example" },
    { "https://cinnabar.example", "a:b*c?\"<>|", "a-b-c-----@cinnabar.example" },
    { "https://cinnabar.example", "a;b*c?\"<>|", "a-b-c-----@cinnabar.example-2" },
    { "https://cinnabar.example", "🌸bloom", "-bloom@cinnabar.example" },
    { "http://[::1]:8080", "local-dev", "local-dev@--1-8080" },
    { "https://cinnabar.example", "local", "local@cinnabar.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CinProfile) profile = create_account (profiles, cases[i].server, cases[i].handle, NULL);
      g_autoptr(CinProfile) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *parent = g_path_get_dirname (cin_profile_get_dir (profile));

      g_assert_cmpstr (cin_profile_get_id (profile), ==, cases[i].id);
      g_assert_cmpstr (parent, ==, profiles_dir);
      loaded = cin_profile_load (cin_profile_get_dir (profile), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (cin_profile_get_handle (loaded), ==, cases[i].handle[0] == '@' ? cases[i].handle + 1 : cases[i].handle);
    }

  /* Long CJK handles still fit a file name (255 bytes). */
  for (guint i = 0; i < 200; i++)
    g_string_append (long_handle, "创");
  {
    g_autoptr(CinProfile) profile = create_account (profiles, "https://cinnabar.example", long_handle->str, NULL);

    g_assert_cmpuint (strlen (cin_profile_get_id (profile)), <=, 255);
    g_assert_cmpstr (cin_profile_get_handle (profile), ==, long_handle->str);
  }

  /* A decomposed handle is the same account as the composed one. */
  {
    g_autoptr(CinProfile) composed = cin_profiles_find_account (profiles, "https://xn--fiq228c.example", "Ünïcødé");
    g_autoptr(CinProfile) decomposed = cin_profiles_find_account (profiles, "https://xn--fiq228c.example",
                                                                  "U\xcc\x88" "n\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9");

    g_assert_nonnull (composed);
    g_assert_true (composed == decomposed);
  }

  {
    g_autoptr(CinProfiles) reopened = open_profiles (fixture->data_dir);
    g_autoptr(GPtrArray) list = cin_profiles_list (reopened);
    g_autoptr(GPtrArray) errors = cin_profiles_list_errors (reopened);

    g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (cases) + 2);
    g_assert_cmpuint (errors->len, ==, 0);
  }
}

static void
copy_note (CinStore    *source,
           const char  *source_media,
           const char  *id,
           CinStore    *dest,
           const char  *dest_media,
           CinNote    **copy,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_profile_copy_note_async (source, source_media, id, dest, dest_media, NULL,
                               store_test_result_cb, &result);
  *copy = cin_profile_copy_note_finish (store_test_wait (&result), error);
}

static void
test_copy_photo_draft (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autoptr(CinProfile) local = cin_profiles_get_local (profiles);
  g_autoptr(CinProfile) account = create_account (profiles, "https://cinnabar.example", "小红", NULL);
  g_autoptr(CinStore) source = NULL;
  g_autoptr(CinStore) dest = NULL;
  g_autoptr(CinNote) note = NULL;
  g_autoptr(CinNote) copy = NULL;
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(CinNote) original = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;

  source = store_test_open (cin_profile_get_store_path (local), &error);
  g_assert_no_error (error);
  dest = store_test_open (cin_profile_get_store_path (account), &error);
  g_assert_no_error (error);

  note = make_photo_note (cin_profile_get_media_dir (local), NULL);
  cin_note_set_rev (note, "7");
  cin_note_set_sync_state (note, CIN_SYNC_STATE_SYNCED);
  g_assert_true (store_test_save (source, note, &error));
  g_assert_no_error (error);

  copy_note (source, cin_profile_get_media_dir (local), cin_note_get_id (note),
             dest, cin_profile_get_media_dir (account), &copy, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);

  /* A new local draft with the same content. */
  g_assert_cmpstr (cin_note_get_id (copy), !=, cin_note_get_id (note));
  g_assert_cmpstr (cin_note_get_title (copy), ==, cin_note_get_title (note));
  g_assert_cmpstr (cin_note_get_body (copy), ==, cin_note_get_body (note));
  g_assert_true (g_strv_equal (cin_note_get_topics (copy), cin_note_get_topics (note)));
  g_assert_null (cin_note_get_rev (copy));
  g_assert_cmpint (cin_note_get_sync_state (copy), ==, CIN_SYNC_STATE_CREATED);
  g_assert_cmpint (cin_note_get_state (copy), ==, CIN_NOTE_STATE_DRAFT);
  g_assert_cmpuint (cin_note_get_n_photos (copy), ==, 2);

  loaded = store_test_load (dest, cin_note_get_id (copy), &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (copy, loaded);

  /* Every photo file is in the other profile too, byte for byte. */
  for (guint i = 0; i < cin_note_get_n_photos (copy); i++)
    {
      CinPhoto *photo = cin_note_get_photo (copy, i);
      CinPhoto *source_photo = cin_note_get_photo (note, i);
      const char *extension = i == 0 ? "jpg" : "png";
      g_autofree char *from = media_path (cin_profile_get_media_dir (local), cin_photo_get_sha256 (photo), extension);
      g_autofree char *to = media_path (cin_profile_get_media_dir (account), cin_photo_get_sha256 (photo), extension);
      g_autofree char *to_sha = NULL;

      g_assert_cmpstr (cin_photo_get_sha256 (photo), ==, cin_photo_get_sha256 (source_photo));
      g_assert_cmpstr (cin_photo_get_id (photo), !=, cin_photo_get_id (source_photo));
      g_assert_true (g_file_test (from, G_FILE_TEST_IS_REGULAR));
      to_sha = store_test_file_sha256 (to);
      g_assert_cmpstr (to_sha, ==, cin_photo_get_sha256 (photo));
    }
  /* Nothing half-copied left beside them. */
  g_assert_cmpuint (count_entries (cin_profile_get_media_dir (account)), ==, 2);

  /* The original is untouched. */
  original = store_test_load (source, cin_note_get_id (note), &error);
  g_assert_no_error (error);
  store_test_assert_notes_equal (note, original);

  /* Copying it again makes another draft; the files are already there. */
  g_clear_object (&copy);
  copy_note (source, cin_profile_get_media_dir (local), cin_note_get_id (note),
             dest, cin_profile_get_media_dir (account), &copy, &error);
  g_assert_no_error (error);
  summaries = store_test_list (dest, CIN_NOTE_SORT_UPDATED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summaries->len, ==, 2);
  g_clear_pointer (&summaries, g_ptr_array_unref);

  /* A draft whose photo file is gone is not copied at all. */
  {
    g_autoptr(CinNote) broken = make_photo_note (cin_profile_get_media_dir (local), NULL);
    g_autoptr(CinNote) nothing = NULL;
    g_autofree char *gone = media_path (cin_profile_get_media_dir (local),
                                        cin_photo_get_sha256 (cin_note_get_photo (broken, 1)), "png");

    g_assert_true (store_test_save (source, broken, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_unlink (gone), ==, 0);

    copy_note (source, cin_profile_get_media_dir (local), cin_note_get_id (broken),
               dest, cin_profile_get_media_dir (account), &nothing, &error);
    g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_MISSING_MEDIA);
    g_assert_null (nothing);
    g_clear_error (&error);

    summaries = store_test_list (dest, CIN_NOTE_SORT_UPDATED, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (summaries->len, ==, 2);
  }

  /* Unknown note: the store's own error. */
  {
    g_autoptr(CinNote) nothing = NULL;

    copy_note (source, cin_profile_get_media_dir (local), "00000000-0000-4000-8000-000000000000",
               dest, cin_profile_get_media_dir (account), &nothing, &error);
    g_assert_error (error, CIN_STORE_ERROR, CIN_STORE_ERROR_NOT_FOUND);
    g_assert_null (nothing);
    g_clear_error (&error);
  }

  store_test_close (source);
  store_test_close (dest);
}

/* The async calls, as the app makes them from the main thread. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CinProfiles) profiles = NULL;
  g_autoptr(CinProfile) profile = NULL;
  g_autoptr(CinProfile) active = NULL;
  g_autoptr(GError) error = NULL;

  cin_profiles_open_async (fixture->data_dir, NULL, store_test_result_cb, &result);
  profiles = cin_profiles_open_finish (store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  cin_profiles_create_account_async (profiles, "https://cinnabar.example", "alice", NULL, NULL,
                                     store_test_result_cb, &result);
  profile = cin_profiles_create_account_finish (profiles, store_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_profile_get_id (profile), ==, "alice@cinnabar.example");
  g_clear_object (&result);

  cin_profiles_set_active_async (profiles, cin_profile_get_id (profile), NULL, store_test_result_cb, &result);
  g_assert_true (cin_profiles_set_active_finish (profiles, store_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  active = cin_profiles_get_active (profiles);
  g_assert_true (active == profile);
  g_clear_object (&active);

  cin_profiles_remove_async (profiles, cin_profile_get_id (profile), NULL, store_test_result_cb, &result);
  g_assert_true (cin_profiles_remove_finish (profiles, store_test_wait (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  active = cin_profiles_get_active (profiles);
  g_assert_cmpstr (cin_profile_get_id (active), ==, CIN_PROFILE_LOCAL_ID);

  cin_profiles_remove_async (profiles, CIN_PROFILE_LOCAL_ID, NULL, store_test_result_cb, &result);
  g_assert_false (cin_profiles_remove_finish (profiles, store_test_wait (&result), &error));
  g_assert_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_LOCAL);
}

/* Threads creating the same accounts at once get one folder each. */
typedef struct {
  CinProfiles *profiles;
  guint        n;
} RaceData;

static gpointer
race_thread (gpointer user_data)
{
  RaceData *race = user_data;

  for (guint i = 0; i < race->n; i++)
    {
      g_autofree char *handle = g_strdup_printf ("user%u", i);
      g_autoptr(CinProfile) profile = cin_profiles_create_account_sync (race->profiles, "https://cinnabar.example",
                                                                        handle, NULL, NULL);

      g_assert_nonnull (profile);
    }
  return NULL;
}

static void
test_threads (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CinProfiles) profiles = open_profiles (fixture->data_dir);
  g_autofree char *profiles_dir = g_build_filename (fixture->data_dir, "profiles", NULL);
  RaceData race = { profiles, 20 };
  GThread *threads[4];
  g_autoptr(GPtrArray) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("race", race_thread, &race);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  list = cin_profiles_list (profiles);
  g_assert_cmpuint (list->len, ==, race.n + 1);
  g_assert_cmpuint (count_entries (profiles_dir), ==, race.n + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/profiles/fresh", test_fresh);
  g_test_add_func ("/profiles/default-dir", test_default_dir);
  ADD ("/profiles/adopt-existing", test_adopt_existing);
  ADD ("/profiles/create-find-remove", test_create_find_remove);
  ADD ("/profiles/invalid-accounts", test_invalid_accounts);
  ADD ("/profiles/json-round-trip", test_json_round_trip);
  ADD ("/profiles/corrupt", test_corrupt);
  ADD ("/profiles/corrupt-local", test_corrupt_local);
  ADD ("/profiles/newer", test_newer);
  ADD ("/profiles/odd-names", test_odd_names);
  ADD ("/profiles/copy-photo-draft", test_copy_photo_draft);
  ADD ("/profiles/async", test_async);
  ADD ("/profiles/threads", test_threads);

#undef ADD

  return g_test_run ();
}
