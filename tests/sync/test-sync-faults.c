/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-faults"

#include <signal.h>
#include <string.h>

#include "cin-image-format.h"
#include "cin-note-json.h"
#include "store-test-util.h"
#include "sync-test-client.h"
#include "sync-test-photos.h"
#include "sync-test-proxy.h"

/* The sync engine through bad networks and a failing server: the real
 * cinnabar-server, killed and restarted, and a real TCP proxy in front of
 * it that loses, refuses, garbles or stalls chosen requests. Whatever
 * happens, every note ends on the server once, as the client has it. */

#define SETTLE_MS 60000

typedef struct {
  TestServer    *server;
  SyncTestProxy *proxy;
  char          *token;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  sync_test_add_account (fixture->server);
  fixture->token = sync_test_sign_in (fixture->server->base_url);
  fixture->proxy = sync_test_proxy_new (fixture->server->base_url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sync_test_proxy_free (fixture->proxy);
  test_server_stop (fixture->server);
  g_free (fixture->token);
}

static SyncTestClient *
client_through_proxy (Fixture *fixture)
{
  SyncTestClient *client = sync_test_client_new (sync_test_proxy_get_base_url (fixture->proxy),
                                                 fixture->token);

  /* Stalls are detected by the timeout; keep it short. */
  cin_api_client_set_timeout (client->client, 1);
  return client;
}

static CinNote *
make_note (const char *title)
{
  CinNote *note = cin_note_new (CIN_NOTE_KIND_VIDEO);

  cin_note_set_title (note, title);
  cin_note_set_body (note, "正文 ✨");
  return note;
}

static CinNote *
server_note (Fixture    *fixture,
             const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/notes/%s", id);
  g_autoptr(TestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  CinNote *note;

  response = test_server_request (fixture->server, "GET", path, fixture->token, NULL, NULL);
  if (response->status == 404)
    return NULL;
  g_assert_cmpuint (response->status, ==, 200);
  note = cin_note_from_json (response->json, &error);
  g_assert_no_error (error);
  return note;
}

static gint64
server_note_count (Fixture *fixture)
{
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (fixture->server, "GET", "/v1/notes?limit=100", fixture->token, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (response->json), "items"));
}

/* The server holds exactly the client's notes, as the client has them. */
static void
assert_server_equals_client (Fixture        *fixture,
                             SyncTestClient *client)
{
  g_autoptr(GPtrArray) notes = sync_test_client_notes (client);

  g_assert_cmpint (server_note_count (fixture), ==, notes->len);
  for (guint i = 0; i < notes->len; i++)
    {
      CinNote *local = g_ptr_array_index (notes, i);
      g_autoptr(CinNote) remote = server_note (fixture, cin_note_get_id (local));

      g_assert_nonnull (remote);
      g_assert_cmpstr (cin_note_get_title (remote), ==, cin_note_get_title (local));
      g_assert_cmpstr (cin_note_get_body (remote), ==, cin_note_get_body (local));
      g_assert_cmpstr (cin_note_get_rev (remote), ==, cin_note_get_rev (local));
      g_assert_cmpint (cin_note_get_sync_state (local), ==, CIN_SYNC_STATE_SYNCED);
    }
}

/* Every PUT the server took for @id: a create once, the rest updates. */
static guint
server_creates_of (Fixture    *fixture,
                   const char *id)
{
  g_autoptr(TestResponse) response = NULL;
  JsonArray *changes;
  guint seen = 0;

  response = test_server_request (fixture->server, "GET", "/v1/changes?limit=500", fixture->token, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  changes = json_object_get_array_member (json_node_get_object (response->json), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      /* The feed keeps the latest change per entity; a second create of
       * the same id would have been refused, so a note present once with
       * no tombstone was created once. */
      if (g_str_equal (json_object_get_string_member (change, "id"), id))
        {
          g_assert_false (json_object_get_boolean_member (change, "deleted"));
          seen++;
        }
    }
  return seen;
}

/* Offline: 100 edits with the server down, then the server up. */
static void
test_offline_edits (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_object_unref);

  test_server_kill (fixture->server);
  cin_sync_engine_start (client->engine);

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *title = g_strdup_printf ("离线第%u改", i);
      CinNote *note;

      if (i < 10)
        g_ptr_array_add (notes, make_note ("新"));
      note = g_ptr_array_index (notes, i % 10);
      cin_note_set_title (note, title);
      sync_test_client_save (client, note);
      cin_sync_engine_sync_now (client->engine);
      sync_test_run_for (5);
    }
  g_assert_false (sync_test_client_settle (client, 500));
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_OFFLINE);
  g_assert_nonnull (cin_sync_engine_get_problem (client->engine));

  test_server_restart (fixture->server);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_IDLE);
  assert_server_equals_client (fixture, client);
  g_assert_cmpint (server_note_count (fixture), ==, 10);
  for (guint i = 0; i < notes->len; i++)
    {
      const char *id = cin_note_get_id (g_ptr_array_index (notes, i));
      g_autoptr(CinNote) remote = server_note (fixture, id);
      g_autofree char *title = g_strdup_printf ("离线第%u改", 90 + i);

      g_assert_cmpstr (cin_note_get_title (remote), ==, title);
      g_assert_cmpuint (server_creates_of (fixture, id), ==, 1);
    }
}

/* The server dies while a request is in flight, and comes back. */
static void
test_server_killed_mid_request (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_autoptr(CinNote) note = make_note ("半路断电");

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STALL, "PUT", "/v1/notes/", 1, 0, 0);
  sync_test_client_save (client, note);
  cin_sync_engine_start (client->engine);
  while (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/") == 0)
    g_main_context_iteration (NULL, TRUE);
  test_server_kill (fixture->server);
  sync_test_run_for (300);
  test_server_restart (fixture->server);

  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_server_equals_client (fixture, client);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/"), >=, 2);
}

/* The server committed but the answer never came: the retry carries the
 * same Idempotency-Key and creates nothing twice. */
static void
test_lost_response (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_autoptr(CinNote) note = make_note ("回信丢了");
  g_autoptr(CinNote) committed = NULL;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_LOSE_RESPONSE, "PUT", "/v1/notes/", 1, 0, 0);
  sync_test_client_save (client, note);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpuint (sync_test_proxy_get_armed (fixture->proxy), ==, 0);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/"), ==, 2);
  assert_server_equals_client (fixture, client);
  committed = server_note (fixture, cin_note_get_id (note));
  g_assert_cmpuint (server_creates_of (fixture, cin_note_get_id (note)), ==, 1);

  /* The same for an update. */
  cin_note_set_title (note, "更新的回信也丢了");
  sync_test_client_save (client, note);
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_LOSE_RESPONSE, "PUT", "/v1/notes/", 1, 0, 0);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_server_equals_client (fixture, client);
  {
    g_autoptr(CinNote) updated = server_note (fixture, cin_note_get_id (note));

    /* One revision on from the create: the retry was a replay, not a
     * second update. */
    g_assert_cmpstr (cin_note_get_title (updated), ==, "更新的回信也丢了");
    g_assert_cmpint (g_ascii_strtoll (cin_note_get_rev (updated), NULL, 10), ==,
                     g_ascii_strtoll (cin_note_get_rev (committed), NULL, 10) + 1);
  }
}

static void
run_status_fault (Fixture *fixture,
                  guint    status)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_autoptr(CinNote) note = make_note ("请稍后");

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STATUS, "PUT", "/v1/notes/", 1, status, 1);
  sync_test_client_save (client, note);
  cin_sync_engine_start (client->engine);
  while (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/") == 0)
    g_main_context_iteration (NULL, TRUE);

  /* Retry-After: 1 holds the next try back a second, far longer than the
   * test's 20 ms backoff would. */
  sync_test_run_for (600);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/"), ==, 1);
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_OFFLINE);

  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/"), ==, 2);
  assert_server_equals_client (fixture, client);
}

static void
test_too_many_requests (Fixture       *fixture,
                        gconstpointer  data)
{
  run_status_fault (fixture, 429);
}

static void
test_unavailable (Fixture       *fixture,
                  gconstpointer  data)
{
  run_status_fault (fixture, 503);
}

/* A garbled, HTML or silent answer, to a push and to a pull, is retried
 * and the client recovers. */
static void
run_bad_answer (Fixture       *fixture,
                SyncTestFault  fault)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_autoptr(CinNote) note = make_note ("乱码");

  sync_test_proxy_arm (fixture->proxy, fault, "PUT", "/v1/notes/", 2, 0, 0);
  sync_test_proxy_arm (fixture->proxy, fault, "GET", "/v1/changes", 2, 0, 0);
  sync_test_client_save (client, note);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpuint (sync_test_proxy_get_armed (fixture->proxy), ==, 0);
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_IDLE);
  assert_server_equals_client (fixture, client);
}

static void
test_garbage_json (Fixture       *fixture,
                   gconstpointer  data)
{
  run_bad_answer (fixture, SYNC_TEST_FAULT_GARBAGE_JSON);
}

static void
test_html_page (Fixture       *fixture,
                gconstpointer  data)
{
  run_bad_answer (fixture, SYNC_TEST_FAULT_HTML);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  run_bad_answer (fixture, SYNC_TEST_FAULT_STALL);
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  run_bad_answer (fixture, SYNC_TEST_FAULT_RESET);
}

/* Photo notes: publishing uploads the photos first; a client killed with
 * SIGKILL in the middle of an upload resumes from the server's offset. */

#define CHUNK (64 * 1024)

static void
assert_published (Fixture        *fixture,
                  SyncTestClient *client,
                  const char     *note_id)
{
  g_autoptr(CinNote) remote = server_note (fixture, note_id);
  g_autoptr(CinNote) local = sync_test_client_load (client, note_id);

  g_assert_nonnull (remote);
  g_assert_cmpint (cin_note_get_state (remote), ==, CIN_NOTE_STATE_PUBLISHED);
  g_assert_cmpint (cin_note_get_state (local), ==, CIN_NOTE_STATE_PUBLISHED);
  g_assert_cmpuint (cin_note_get_n_photos (remote), ==, 1);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (remote, 0)), ==,
                   cin_photo_get_sha256 (cin_note_get_photo (local, 0)));
}

/* What upload-progress reported, in order. */
typedef struct {
  char    *note_id;
  guint    photo;
  guint    n_photos;
  guint64  offset;
  guint64  length;
} ProgressReport;

static void
progress_report_free (ProgressReport *report)
{
  g_free (report->note_id);
  g_free (report);
}

static void
on_upload_progress_cb (CinSyncEngine *engine,
                       const char    *note_id,
                       guint          photo,
                       guint          n_photos,
                       guint64        offset,
                       guint64        length,
                       GPtrArray     *reports)
{
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->note_id = g_strdup (note_id);
  report->photo = photo;
  report->n_photos = n_photos;
  report->offset = offset;
  report->length = length;
  g_ptr_array_add (reports, report);
}

static void
test_publish_photo_note (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_auto(SyncTestPhotoNote) photo_note = { NULL, };
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func ((GDestroyNotify)progress_report_free);
  ProgressReport *last;

  sync_test_make_photo_note (client, 2 * 1024 * 1024, &photo_note);
  cin_sync_engine_set_upload_chunk_size (client->engine, CHUNK);
  g_signal_connect (client->engine, "upload-progress", G_CALLBACK (on_upload_progress_cb), reports);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_published (fixture, client, photo_note.note_id);

  /* Progress: from 0 when the upload was made, one report per chunk,
   * rising, ending at the whole file. */
  g_assert_cmpuint (reports->len, ==, 1 + (photo_note.length + CHUNK - 1) / CHUNK);
  for (guint i = 0; i < reports->len; i++)
    {
      ProgressReport *report = g_ptr_array_index (reports, i);

      g_assert_cmpstr (report->note_id, ==, photo_note.note_id);
      g_assert_cmpuint (report->photo, ==, 0);
      g_assert_cmpuint (report->n_photos, ==, 1);
      g_assert_cmpuint (report->length, ==, photo_note.length);
      g_assert_cmpuint (report->offset, ==, MIN ((guint64)i * CHUNK, photo_note.length));
    }
  last = g_ptr_array_index (reports, reports->len - 1);
  g_assert_cmpuint (last->offset, ==, last->length);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PATCH", "/v1/uploads/"), ==,
                    (photo_note.length + CHUNK - 1) / CHUNK);
  /* The read back came after the publish. */
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "POST", "/v1/notes/"), ==, 1);
}

/* A PATCH the server never answers: given up after the timeout, and the
 * upload resumes from the server's offset. */
static void
test_upload_stall (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_auto(SyncTestPhotoNote) photo_note = { NULL, };

  sync_test_make_photo_note (client, 512 * 1024, &photo_note);
  cin_sync_engine_set_upload_chunk_size (client->engine, CHUNK);
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STALL, "PATCH", "/v1/uploads/", 1, 0, 0);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpuint (sync_test_proxy_get_armed (fixture->proxy), ==, 0);
  assert_published (fixture, client, photo_note.note_id);
}

/* A preparer that uploads a different file than the stored one (as GPS
 * stripping does): a copy with bytes after the JPEG's end. */
static void
append_bytes_preparer (CinPhoto *photo,
                       GTask    *task,
                       gpointer  user_data)
{
  const char *media_dir = user_data;
  g_autofree char *path = cin_image_format_get_photo_path (media_dir, cin_photo_get_sha256 (photo), "image/jpeg");
  g_autofree char *contents = NULL;
  g_autoptr(GString) copy = NULL;
  g_autoptr(GError) error = NULL;
  CinUploadFile *file;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  copy = g_string_new_len (contents, length);
  g_string_append (copy, "trailing");
  file = g_new0 (CinUploadFile, 1);
  file->path = g_strconcat (path, ".upload", NULL);
  file->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)copy->str, copy->len);
  g_file_set_contents (file->path, copy->str, copy->len, &error);
  g_assert_no_error (error);
  g_task_return_pointer (task, file, (GDestroyNotify)cin_upload_file_free);
  g_object_unref (task);
}

static void
test_uploaded_file_differs (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_autoptr(SyncTestClient) other = client_through_proxy (fixture);
  g_auto(SyncTestPhotoNote) photo_note = { NULL, };
  g_autoptr(CinNote) local = NULL;
  g_autoptr(CinNote) remote = NULL;
  g_autoptr(CinNote) on_other = NULL;
  const char *local_sha256;

  sync_test_make_photo_note (client, 2 * 1024 * 1024, &photo_note);
  cin_sync_engine_set_upload_chunk_size (client->engine, CHUNK);
  cin_sync_engine_set_upload_preparer (client->engine, append_bytes_preparer,
                                       g_strdup (photo_note.media_dir), g_free);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));

  local = sync_test_client_load (client, photo_note.note_id);
  remote = server_note (fixture, photo_note.note_id);
  local_sha256 = cin_photo_get_sha256 (cin_note_get_photo (local, 0));
  /* The server names the file it got; the client keeps naming its own. */
  g_assert_cmpint (cin_note_get_state (remote), ==, CIN_NOTE_STATE_PUBLISHED);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (remote, 0)), !=, local_sha256);
  g_assert_cmpstr (cin_photo_get_id (cin_note_get_photo (remote, 0)), ==,
                   cin_photo_get_id (cin_note_get_photo (local, 0)));
  g_assert_cmpint (cin_note_get_sync_state (local), ==, CIN_SYNC_STATE_SYNCED);

  /* An edit goes out naming the uploaded file again, uploading nothing. */
  cin_note_set_body (local, "改一下正文");
  sync_test_client_save (client, local);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "POST", "/v1/uploads"), ==, 1);
  {
    g_autoptr(CinNote) edited = server_note (fixture, photo_note.note_id);
    g_autoptr(CinNote) reloaded = sync_test_client_load (client, photo_note.note_id);

    g_assert_cmpstr (cin_note_get_body (edited), ==, "改一下正文");
    g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (edited, 0)), ==,
                     cin_photo_get_sha256 (cin_note_get_photo (remote, 0)));
    g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (reloaded, 0)), ==, local_sha256);
  }

  /* Another client sees the server's name. */
  g_assert_true (sync_test_client_settle (other, SETTLE_MS));
  on_other = sync_test_client_load (other, photo_note.note_id);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (on_other, 0)), ==,
                   cin_photo_get_sha256 (cin_note_get_photo (remote, 0)));
}

static gint64
uploaded_offset (const char *store_path)
{
  sqlite3 *db = store_test_sqlite_open (store_path);
  gint64 offset = store_test_sqlite_int (db, "SELECT coalesce (max (offset), 0) FROM uploads");

  sqlite3_close (db);
  return offset;
}

static void
test_killed_mid_upload (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = client_through_proxy (fixture);
  g_auto(SyncTestPhotoNote) photo_note = { NULL, };
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  gint64 offset_at_kill;
  guint patches_before;
  guint patches_after;

  sync_test_make_photo_note (client, 2 * 1024 * 1024, &photo_note);
  cin_sync_engine_set_upload_chunk_size (client->engine, CHUNK);

  /* The uploader is this program, run as a child with the same store. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path, "--uploader",
                            sync_test_proxy_get_base_url (fixture->proxy), fixture->token,
                            photo_note.store_path, photo_note.media_dir, NULL);
  g_assert_no_error (error);
  while (uploaded_offset (photo_note.store_path) < (gint64)(photo_note.length / 3))
    sync_test_run_for (5);
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  offset_at_kill = uploaded_offset (photo_note.store_path);
  patches_before = sync_test_proxy_count (fixture->proxy, "PATCH", "/v1/uploads/");
  g_assert_cmpint (offset_at_kill, <, (gint64)photo_note.length);

  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_published (fixture, client, photo_note.note_id);

  /* It went on from the server's offset: at most the chunk in flight at
   * the kill went again. */
  patches_after = sync_test_proxy_count (fixture->proxy, "PATCH", "/v1/uploads/") - patches_before;
  g_assert_cmpuint (patches_after, <=, (photo_note.length - offset_at_kill + CHUNK - 1) / CHUNK + 1);
  g_assert_cmpuint (patches_after, <, (photo_note.length + CHUNK - 1) / CHUNK);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "POST", "/v1/uploads"), ==, 1);
}

/* The child: publishes what the store holds until it is killed. */
static int
run_uploader (char **argv)
{
  g_autoptr(CinStore) store = NULL;
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(CinSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  store = store_test_open (argv[4], &error);
  g_assert_no_error (error);
  client = cin_api_client_new (argv[2]);
  cin_api_client_set_token (client, argv[3]);
  engine = cin_sync_engine_new (store, client);
  cin_sync_engine_set_media_dir (engine, argv[5]);
  cin_sync_engine_set_upload_chunk_size (engine, CHUNK);
  cin_sync_engine_start (engine);
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  /* Only 127.0.0.1 is spoken to. GNOME's proxy resolver would look for
   * its settings schema in the isolated XDG dirs and abort. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  if (argc == 6 && g_str_equal (argv[1], "--uploader"))
    return run_uploader (argv);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/faults/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("offline-edits", test_offline_edits);
  ADD ("server-killed-mid-request", test_server_killed_mid_request);
  ADD ("lost-response", test_lost_response);
  ADD ("429-retry-after", test_too_many_requests);
  ADD ("503-retry-after", test_unavailable);
  ADD ("garbage-json", test_garbage_json);
  ADD ("html-page", test_html_page);
  ADD ("stall", test_stall);
  ADD ("reset", test_reset);
  ADD ("publish-photo-note", test_publish_photo_note);
  ADD ("upload-stall", test_upload_stall);
  ADD ("killed-mid-upload", test_killed_mid_upload);
  ADD ("uploaded-file-differs", test_uploaded_file_differs);

  return g_test_run ();
}
