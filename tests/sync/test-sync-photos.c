/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-photos"

#include <glib/gstdio.h>

#include "cin-image-format.h"
#include "cin-photo-download.h"
#include "sync-test-client.h"
#include "sync-test-photos.h"
#include "sync-test-proxy.h"

/* Photos of notes written on another device: the engine fetches what its
 * notes name and the media dir lacks, from the real cinnabar-server,
 * through a real proxy that cuts, garbles and stalls the downloads. */

#define SETTLE_MS 60000
#define PHOTO_SIZE (600 * 1024)
#define UPLOADS "/v1/uploads/"

typedef struct {
  TestServer        *server;
  SyncTestProxy     *proxy;
  char              *token;
  SyncTestClient    *writer;    /* wrote and published the note */
  SyncTestClient    *reader;    /* another device of the account */
  SyncTestPhotoNote  note;
  char              *reader_media_dir;
  GHashTable        *changed;   /* note ids the reader's engine reported */
} Fixture;

static void
on_note_changed_cb (CinSyncEngine *engine,
                    const char    *id,
                    GHashTable    *changed)
{
  g_hash_table_add (changed, g_strdup (id));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  sync_test_add_account (fixture->server);
  fixture->token = sync_test_sign_in (fixture->server->base_url);
  fixture->proxy = sync_test_proxy_new (fixture->server->base_url);

  fixture->writer = sync_test_client_new (fixture->server->base_url, fixture->token);
  sync_test_make_photo_note (fixture->writer, PHOTO_SIZE, &fixture->note);
  g_assert_true (sync_test_client_settle (fixture->writer, SETTLE_MS));

  fixture->reader = sync_test_client_new (sync_test_proxy_get_base_url (fixture->proxy), fixture->token);
  /* Stalls are found by the timeout; keep it short. */
  cin_api_client_set_timeout (fixture->reader->client, 1);
  fixture->reader_media_dir = sync_test_client_media_dir (fixture->reader);
  fixture->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (fixture->reader->engine, "note-changed", G_CALLBACK (on_note_changed_cb),
                    fixture->changed);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sync_test_client_free (fixture->reader);
  sync_test_client_free (fixture->writer);
  sync_test_proxy_free (fixture->proxy);
  test_server_stop (fixture->server);
  sync_test_photo_note_clear (&fixture->note);
  g_free (fixture->reader_media_dir);
  g_free (fixture->token);
  g_hash_table_unref (fixture->changed);
}

static char *
reader_photo_path (Fixture *fixture)
{
  return cin_image_format_get_photo_path (fixture->reader_media_dir, fixture->note.sha256, "image/jpeg");
}

/* The reader has the writer's photo, byte for byte, and nothing half
 * written beside it. */
static void
assert_reader_has_photo (Fixture *fixture)
{
  g_autofree char *path = reader_photo_path (fixture);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, fixture->note.length);
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)contents, length);
  g_assert_cmpstr (sha256, ==, fixture->note.sha256);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (g_hash_table_contains (fixture->changed, fixture->note.note_id));
}

static GPtrArray *
photo_gets (Fixture *fixture)
{
  g_autoptr(GPtrArray) log = sync_test_proxy_dup_log (fixture->proxy);
  GPtrArray *gets = g_ptr_array_new_with_free_func ((GDestroyNotify)sync_test_proxy_entry_free);

  for (guint i = 0; i < log->len; i++)
    {
      SyncTestProxyEntry *entry = g_ptr_array_index (log, i);

      if (g_str_equal (entry->method, "GET") && g_str_has_prefix (entry->path, UPLOADS))
        g_ptr_array_add (gets, g_ptr_array_steal_index (log, i--));
    }
  return gets;
}

static void
test_fetched_once (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) gets = NULL;
  g_autoptr(CinNote) note = NULL;

  /* A new profile's media dir does not exist yet. */
  g_assert_cmpint (g_rmdir (fixture->reader_media_dir), ==, 0);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  note = sync_test_client_load (fixture->reader, fixture->note.note_id);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (note, 0)), ==, fixture->note.sha256);
  assert_reader_has_photo (fixture);

  /* Once here, it is never fetched again. */
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  gets = photo_gets (fixture);
  g_assert_cmpuint (gets->len, ==, 1);
  g_assert_cmpuint (((SyncTestProxyEntry *)gets->pdata[0])->status, ==, 200);
  g_assert_cmpuint (((SyncTestProxyEntry *)gets->pdata[0])->body_bytes, ==, fixture->note.length);
}

/* A note pulled later: only the notes the pull brought are looked at,
 * and its photo comes. */
static void
test_later_note_fetched (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(SyncTestPhotoNote) second = { NULL, };
  g_autofree char *path = NULL;

  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  assert_reader_has_photo (fixture);

  sync_test_make_photo_note (fixture->writer, PHOTO_SIZE, &second);
  g_assert_true (sync_test_client_settle (fixture->writer, SETTLE_MS));
  g_hash_table_remove_all (fixture->changed);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));

  path = cin_image_format_get_photo_path (fixture->reader_media_dir, second.sha256, "image/jpeg");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_hash_table_contains (fixture->changed, second.note_id));
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "GET", UPLOADS), ==, 2);
}

typedef struct {
  Fixture *fixture;
  CinNote *edit;     /* (nullable) written once the first photo is in */
} Interrupt;

static gboolean
any_photo_fetched (const char *media_dir)
{
  g_autoptr(GDir) dir = g_dir_open (media_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".jpg"))
      return TRUE;
  return FALSE;
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cin_store_save_note_finish (CIN_STORE (source), result, &error));
  g_assert_no_error (error);
}

/* The creator writes while photos are coming: the save, and the engine
 * being asked to sync, as the application does on every save. */
static void
edit_after_first_photo (CinSyncEngine *engine,
                        const char    *id,
                        Interrupt     *interrupt)
{
  if (interrupt->edit == NULL || !any_photo_fetched (interrupt->fixture->reader_media_dir))
    return;
  cin_store_save_note_async (interrupt->fixture->reader->store, interrupt->edit, NULL, on_saved_cb, NULL);
  g_clear_object (&interrupt->edit);
  cin_sync_engine_sync_now (engine);
}

/* Many photos to fetch do not hold an edit back: the pass makes way
 * after the photo in flight, and goes on in the next run. */
static void
test_edit_not_held_up (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(SyncTestPhotoNote) second = { NULL, };
  g_auto(SyncTestPhotoNote) third = { NULL, };
  Interrupt interrupt = { fixture, cin_note_new (CIN_NOTE_KIND_VIDEO) };
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *edit_id = g_strdup (cin_note_get_id (interrupt.edit));
  g_autofree char *edit_path = g_strconcat ("/v1/notes/", edit_id, NULL);
  guint put_at = 0, last_get_at = 0;

  sync_test_make_photo_note (fixture->writer, PHOTO_SIZE, &second);
  sync_test_make_photo_note (fixture->writer, PHOTO_SIZE, &third);
  g_assert_true (sync_test_client_settle (fixture->writer, SETTLE_MS));

  cin_note_set_title (interrupt.edit, "路上写的");
  g_signal_connect (fixture->reader->engine, "note-changed", G_CALLBACK (edit_after_first_photo), &interrupt);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  g_signal_handlers_disconnect_by_func (fixture->reader->engine, edit_after_first_photo, &interrupt);
  g_assert_null (interrupt.edit);

  log = sync_test_proxy_dup_log (fixture->proxy);
  for (guint i = 0; i < log->len; i++)
    {
      SyncTestProxyEntry *entry = g_ptr_array_index (log, i);

      if (g_str_equal (entry->method, "PUT") && g_str_equal (entry->path, edit_path))
        put_at = i + 1;
      if (g_str_equal (entry->method, "GET") && g_str_has_prefix (entry->path, UPLOADS))
        last_get_at = i + 1;
    }
  /* The edit went out before the last photo was asked for. */
  g_assert_cmpuint (put_at, >, 0);
  g_assert_cmpuint (put_at, <, last_get_at);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "GET", UPLOADS), ==, 3);
  assert_reader_has_photo (fixture);
}

/* Cut off halfway: the next run asks for the rest only. */
static void
test_cut_off_resumes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) gets = NULL;
  SyncTestProxyEntry *first, *second;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_CUT_BODY, "GET", UPLOADS, 1, 0, 0);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  assert_reader_has_photo (fixture);

  gets = photo_gets (fixture);
  g_assert_cmpuint (gets->len, ==, 2);
  first = gets->pdata[0];
  second = gets->pdata[1];
  g_assert_cmpuint (first->body_bytes, ==, fixture->note.length / 2);
  g_assert_cmpuint (second->status, ==, 206);
  /* At most what the first answer's last read left unwritten again. */
  g_assert_cmpuint (second->body_bytes, <=, fixture->note.length - first->body_bytes + 64 * 1024);
  g_assert_cmpuint (second->body_bytes, <, fixture->note.length);
}

/* A 200 whose bytes are not the photo (a portal's page, garbage): thrown
 * away, never named as the photo, fetched again. */
static void
test_damaged_answer_refetched (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) gets = NULL;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_GARBAGE_JSON, "GET", UPLOADS, 1, 0, 0);
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_HTML, "GET", UPLOADS, 1, 0, 0);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  assert_reader_has_photo (fixture);
  gets = photo_gets (fixture);
  g_assert_cmpuint (gets->len, ==, 3);
  /* The good answer was the whole file: nothing of the bad ones was kept
   * to resume from. */
  g_assert_cmpuint (((SyncTestProxyEntry *)gets->pdata[2])->status, ==, 200);
}

static void
test_stall_times_out (Fixture       *fixture,
                      gconstpointer  data)
{
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STALL, "GET", UPLOADS, 1, 0, 0);
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STATUS, "GET", UPLOADS, 1, 503, 0);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  assert_reader_has_photo (fixture);
  g_assert_cmpuint (sync_test_proxy_get_armed (fixture->proxy), ==, 0);
}

/* A note naming a file nobody uploaded: asked for once, then left alone;
 * sync is not held up by it. */
static void
test_missing_on_server_asked_once (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinPhoto) photo = cin_photo_new ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                             "image/png", 800, 800);
  SyncTestClient *writer = fixture->writer;
  g_autoptr(GPtrArray) gets = NULL;

  /* Without a media dir the writer sends the note without uploading. */
  cin_sync_engine_set_media_dir (writer->engine, NULL);
  cin_note_set_title (note, "照片还没传");
  cin_note_insert_photo (note, 0, photo);
  sync_test_client_save (writer, note);
  g_assert_true (sync_test_client_settle (writer, SETTLE_MS));

  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));
  g_assert_cmpint (cin_sync_engine_get_status (fixture->reader->engine), ==, CIN_SYNC_STATUS_IDLE);
  assert_reader_has_photo (fixture);
  g_assert_true (sync_test_client_settle (fixture->reader, SETTLE_MS));

  gets = photo_gets (fixture);
  /* The real photo, and the missing one once. */
  g_assert_cmpuint (gets->len, ==, 2);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "GET", UPLOADS "0123456789abcdef"), ==, 1);
}

/* The download on its own: a .part that does not belong to the file is
 * found out by the checksum and replaced. */
static void
test_foreign_part_replaced (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = reader_photo_path (fixture);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_set_contents (part, "these are not the photo's first bytes", -1, &error);
  g_assert_no_error (error);
  cin_photo_download_async (fixture->reader->client, fixture->note.sha256, path, 0, NULL,
                            sync_test_store_result, &result);
  sync_test_wait (&result);
  /* The stranger's bytes plus the rest do not hash right: refused, and
   * the .part gone, so the next attempt starts clean. */
  g_assert_false (cin_photo_download_finish (result, NULL, &error));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  g_clear_object (&result);
  g_clear_error (&error);
  cin_photo_download_async (fixture->reader->client, fixture->note.sha256, path, 0, NULL,
                            sync_test_store_result, &result);
  sync_test_wait (&result);
  g_assert_true (cin_photo_download_finish (result, NULL, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, fixture->note.length);
}

/* An answer longer than the caller allows is not kept. */
static void
test_oversized_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = reader_photo_path (fixture);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cin_photo_download_async (fixture->reader->client, fixture->note.sha256, path, 1000, NULL,
                            sync_test_store_result, &result);
  sync_test_wait (&result);
  g_assert_false (cin_photo_download_finish (result, NULL, &error));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE);
  /* The .part is removed after the failure is returned. */
  sync_test_run_for (100);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/photos/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("fetched-once", test_fetched_once);
  ADD ("later-note-fetched", test_later_note_fetched);
  ADD ("edit-not-held-up", test_edit_not_held_up);
  ADD ("cut-off-resumes", test_cut_off_resumes);
  ADD ("damaged-answer-refetched", test_damaged_answer_refetched);
  ADD ("stall-times-out", test_stall_times_out);
  ADD ("missing-on-server-asked-once", test_missing_on_server_asked_once);
  ADD ("foreign-part-replaced", test_foreign_part_replaced);
  ADD ("oversized-refused", test_oversized_refused);
#undef ADD

  return g_test_run ();
}
