/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-tus-client"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-tus-client-private.h"
#include "cin-tus-client.h"
#include "sync-test-server.h"
#include "tus-test-media.h"

#define CHILD_FLAG      "--upload-child"
#define CHILD_TOKEN_ENV "CIN_TUS_TEST_TOKEN"

typedef struct {
  TestServer   *server;
  CinApiClient *client;
  char         *dir;
  /* What the client sent, counted on the wire */
  guint64       patch_bytes;     /* body bytes of PATCH requests written */
  guint         patches;
  gint64        first_patch_offset;
  GCancellable *cancel_after;    /* (nullable) cancelled once patch_bytes passes... */
  guint64       cancel_at;       /* ...this many bytes */
} Fixture;

typedef struct {
  GPtrArray    *urls;
  GArray       *offsets;  /* guint64 */
  guint64       length;
  GCancellable *cancel;   /* (nullable) cancelled on the first call */
} Progress;

static void
progress_clear (Progress *progress)
{
  g_clear_pointer (&progress->urls, g_ptr_array_unref);
  g_clear_pointer (&progress->offsets, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Progress, progress_clear)

static void
progress_init (Progress *progress)
{
  progress->urls = g_ptr_array_new_with_free_func (g_free);
  progress->offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  progress->length = 0;
  progress->cancel = NULL;
}

static void
on_progress_cb (const char *upload_url,
                guint64     offset,
                guint64     length,
                gpointer    user_data)
{
  Progress *progress = user_data;

  g_ptr_array_add (progress->urls, g_strdup (upload_url));
  g_array_append_val (progress->offsets, offset);
  progress->length = length;
  if (progress->cancel != NULL)
    g_cancellable_cancel (progress->cancel);
}

static guint64
progress_offset (Progress *progress,
                 guint     i)
{
  return g_array_index (progress->offsets, guint64, i);
}

static guint64
progress_last_offset (Progress *progress)
{
  g_assert_cmpuint (progress->offsets->len, >, 0);
  return progress_offset (progress, progress->offsets->len - 1);
}

static void
on_wrote_body_data_cb (SoupMessage *msg,
                       guint        chunk_size,
                       gpointer     user_data)
{
  Fixture *fixture = user_data;

  fixture->patch_bytes += chunk_size;
  if (fixture->cancel_after != NULL && fixture->patch_bytes >= fixture->cancel_at)
    g_cancellable_cancel (fixture->cancel_after);
}

static void
on_request_queued_cb (SoupSession *session,
                      SoupMessage *msg,
                      gpointer     user_data)
{
  Fixture *fixture = user_data;
  const char *offset;

  if (!g_str_equal (soup_message_get_method (msg), "PATCH"))
    return;
  fixture->patches++;
  offset = soup_message_headers_get_one (soup_message_get_request_headers (msg), "Upload-Offset");
  g_assert_nonnull (offset);
  if (fixture->first_patch_offset < 0)
    fixture->first_patch_offset = g_ascii_strtoll (offset, NULL, 10);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data_cb), fixture);
}

static void
reset_counts (Fixture *fixture)
{
  fixture->patch_bytes = 0;
  fixture->patches = 0;
  fixture->first_patch_offset = -1;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(GError) error = NULL;

  fixture->server = test_server_start (NULL);
  sync_test_add_account (fixture->server);
  fixture->client = cin_api_client_new (fixture->server->base_url);
  cin_api_client_set_timeout (fixture->client, 20);
  cin_api_client_sign_in_async (fixture->client, SYNC_TEST_HANDLE, SYNC_TEST_PASSWORD, NULL,
                                sync_test_store_result, &result);
  sync_test_wait (&result);
  session = cin_api_client_sign_in_finish (fixture->client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);

  fixture->dir = g_dir_make_tmp ("test-tus-client-XXXXXX", &error);
  g_assert_no_error (error);
  reset_counts (fixture);
  g_signal_connect (cin_api_client_get_session (fixture->client), "request-queued",
                    G_CALLBACK (on_request_queued_cb), fixture);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (cin_api_client_get_session (fixture->client), fixture);
  g_clear_object (&fixture->client);
  test_server_stop (fixture->server);
  remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize)g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static char *
upload (CinApiClient   *client,
        const char     *path,
        const char     *sha256,
        const char     *resume_url,
        gsize           chunk_size,
        Progress       *progress,
        GCancellable   *cancellable,
        CinApiFailure **failure,
        GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_tus_client_upload_async (client, path, sha256, "image/jpeg", resume_url, chunk_size,
                               progress != NULL ? on_progress_cb : NULL, progress, NULL,
                               cancellable, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_tus_client_upload_finish (result, failure, error);
}

/* What the server serves at @url (cin-tus-download.c). */
static GBytes *
download (Fixture    *fixture,
          const char *url)
{
  g_autoptr(TestResponse) response = NULL;

  g_assert_true (g_str_has_prefix (url, fixture->server->base_url));
  response = test_server_request (fixture->server, "GET", url + strlen (fixture->server->base_url),
                                  cin_api_client_get_token (fixture->client), NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  return g_bytes_ref (response->body);
}

static void
assert_served (Fixture    *fixture,
               const char *url,
               GBytes     *expected)
{
  g_autoptr(GBytes) served = download (fixture, url);

  g_assert_cmpuint (g_bytes_get_size (served), ==, g_bytes_get_size (expected));
  g_assert_true (g_bytes_equal (served, expected));
}

/* The server's offset, asked with a tus HEAD. */
static guint64
server_offset (Fixture    *fixture,
               const char *url)
{
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (fixture->server, "HEAD", url + strlen (fixture->server->base_url),
                                  cin_api_client_get_token (fixture->client), NULL,
                                  "Tus-Resumable", "1.0.0", NULL);
  g_assert_cmpuint (response->status, ==, 200);
  return g_ascii_strtoull (test_response_header (response, "Upload-Offset"), NULL, 10);
}

/* Waits until no PATCH holds the upload, as a cut-off one does until the
 * server sees its connection gone: an empty PATCH at the server's offset
 * is taken only then. So the run that follows meets no 423 and sends
 * exactly what is missing. */
static guint64
settled_offset (Fixture    *fixture,
                const char *url)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(TestResponse) response = NULL;
      g_autofree char *offset = g_strdup_printf ("%" G_GUINT64_FORMAT, server_offset (fixture, url));

      response = test_server_request (fixture->server, "PATCH", url + strlen (fixture->server->base_url),
                                      cin_api_client_get_token (fixture->client), "",
                                      "Content-Type", "application/offset+octet-stream",
                                      "Tus-Resumable", "1.0.0",
                                      "Upload-Offset", offset, NULL);
      if (response->status == 204)
        return g_ascii_strtoull (test_response_header (response, "Upload-Offset"), NULL, 10);
      g_assert_true (response->status == 423 || response->status == 409);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
}

static void
test_whole (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = tus_test_jpeg (300 * 1024, 1);
  g_autofree char *path = write_file (fixture, "whole.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_auto(Progress) progress = { 0 };

  progress_init (&progress);
  url = upload (fixture->client, path, sha256, NULL, 0, &progress, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, fixture->server->base_url));

  /* One PATCH with the whole file (it is below the default chunk size). */
  g_assert_cmpuint (fixture->patches, ==, 1);
  g_assert_cmpuint (fixture->patch_bytes, ==, g_bytes_get_size (jpeg));
  /* Created (offset 0, before any byte), then done. */
  g_assert_cmpuint (progress.offsets->len, ==, 2);
  g_assert_cmpuint (progress_offset (&progress, 0), ==, 0);
  g_assert_cmpuint (progress_offset (&progress, 1), ==, g_bytes_get_size (jpeg));
  g_assert_cmpstr (g_ptr_array_index (progress.urls, 0), ==, url);
  g_assert_cmpuint (progress.length, ==, g_bytes_get_size (jpeg));

  assert_served (fixture, url, jpeg);
}

static void
test_chunked (Fixture       *fixture,
              gconstpointer  data)
{
  const gsize chunk = 64 * 1024;
  g_autoptr(GBytes) jpeg = tus_test_jpeg (1024 * 1024, 2);
  gsize length = g_bytes_get_size (jpeg);
  g_autofree char *path = write_file (fixture, "chunked.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_auto(Progress) progress = { 0 };

  progress_init (&progress);
  url = upload (fixture->client, path, sha256, NULL, chunk, &progress, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);

  g_assert_cmpuint (fixture->patches, ==, (length + chunk - 1) / chunk);
  g_assert_cmpuint (fixture->patch_bytes, ==, length);
  g_assert_cmpuint (progress.offsets->len, ==, fixture->patches + 1);
  g_assert_cmpuint (progress_offset (&progress, 0), ==, 0);
  for (guint i = 1; i < progress.offsets->len; i++)
    {
      guint64 step = progress_offset (&progress, i) - progress_offset (&progress, i - 1);

      g_assert_cmpuint (progress_offset (&progress, i), >, progress_offset (&progress, i - 1));
      g_assert_cmpuint (step, <=, chunk);
      g_assert_cmpstr (g_ptr_array_index (progress.urls, i), ==, url);
    }
  g_assert_cmpuint (progress_last_offset (&progress), ==, length);

  assert_served (fixture, url, jpeg);
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  const gsize chunk = 64 * 1024;
  g_autoptr(GBytes) jpeg = tus_test_jpeg (2 * 1024 * 1024, 3);
  guint64 length = g_bytes_get_size (jpeg);
  g_autofree char *path = write_file (fixture, "resume.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *url = NULL;
  g_auto(Progress) first = { 0 };
  g_auto(Progress) second = { 0 };
  guint64 acknowledged, on_server;

  /* Cancelled in the middle of a chunk, about half way. */
  progress_init (&first);
  fixture->cancel_after = cancellable;
  fixture->cancel_at = length / 2 + chunk / 2;
  cut = upload (fixture->client, path, sha256, NULL, chunk, &first, cancellable, &failure, &error);
  fixture->cancel_after = NULL;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cut);
  g_assert_cmpuint (first.offsets->len, >, 1);
  acknowledged = progress_last_offset (&first);
  g_assert_cmpuint (acknowledged, <, length);
  g_assert_cmpuint (acknowledged, >=, length / 2 - chunk);
  on_server = settled_offset (fixture, g_ptr_array_index (first.urls, 0));
  g_assert_cmpuint (on_server, >=, acknowledged);
  g_assert_cmpuint (on_server, <, length);
  g_clear_error (&error);
  g_clear_pointer (&failure, cin_api_failure_free);

  /* Resumed from the server's offset: only what is missing goes up. */
  reset_counts (fixture);
  progress_init (&second);
  url = upload (fixture->client, path, sha256, g_ptr_array_index (first.urls, 0), chunk,
                &second, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, g_ptr_array_index (first.urls, 0));
  g_assert_cmpint (fixture->first_patch_offset, >=, (gint64)acknowledged);
  g_assert_cmpuint (fixture->patch_bytes, ==, length - (guint64)fixture->first_patch_offset);
  g_assert_cmpuint (fixture->patch_bytes, <=, length - acknowledged);
  g_assert_cmpuint (fixture->patch_bytes, <=, length - length / 2 + chunk);
  /* The first call tells where the server was. */
  g_assert_cmpuint (progress_offset (&second, 0), ==, (guint64)fixture->first_patch_offset);
  g_assert_cmpuint (progress_offset (&second, 0), ==, on_server);
  g_assert_cmpuint (progress_last_offset (&second), ==, length);
  assert_served (fixture, url, jpeg);
  g_clear_pointer (&url, g_free);

  /* Resuming a finished upload sends nothing and gives the same URL. */
  reset_counts (fixture);
  url = upload (fixture->client, path, sha256, g_ptr_array_index (first.urls, 0), chunk,
                NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, g_ptr_array_index (first.urls, 0));
  g_assert_cmpuint (fixture->patch_bytes, ==, 0);
}

static void
test_resume_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = tus_test_jpeg (100 * 1024, 4);
  g_autoptr(GBytes) other = tus_test_jpeg (50 * 1024, 5);
  g_autofree char *path = write_file (fixture, "gone.jpg", jpeg);
  g_autofree char *other_path = write_file (fixture, "other.jpg", other);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autofree char *other_sha256 = sha256_of (other);
  g_autofree char *gone = g_strconcat (fixture->server->base_url,
                                       "/v1/uploads/0123456789abcdef0123456789abcdef", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *other_url = NULL;
  g_autofree char *elsewhere_url = NULL;
  g_auto(Progress) progress = { 0 };

  /* The server does not know the URL: a new upload starts. */
  progress_init (&progress);
  url = upload (fixture->client, path, sha256, gone, 0, &progress, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, !=, gone);
  g_assert_cmpuint (progress_offset (&progress, 0), ==, 0);
  g_assert_cmpstr (g_ptr_array_index (progress.urls, 0), ==, url);
  assert_served (fixture, url, jpeg);

  /* A URL of an upload of another length is another file's. */
  other_url = upload (fixture->client, other_path, other_sha256, url, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other_url, !=, url);
  assert_served (fixture, other_url, other);
  assert_served (fixture, url, jpeg);

  /* A stored URL on another server never gets the token. */
  elsewhere_url = upload (fixture->client, path, sha256, "http://example.invalid/v1/uploads/x",
                          0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (elsewhere_url, fixture->server->base_url));
  assert_served (fixture, elsewhere_url, jpeg);
}

/* Discovery: what the server takes, from OPTIONS. */
static void
test_capabilities (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CinTusCapabilities) capabilities = NULL;
  g_autoptr(GError) error = NULL;

  cin_tus_client_get_capabilities_async (fixture->client, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  capabilities = cin_tus_client_get_capabilities_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (capabilities->version, ==, "1.0.0");
  g_assert_true (cin_tus_capabilities_has_extension (capabilities, "creation"));
  g_assert_true (cin_tus_capabilities_has_extension (capabilities, "termination"));
  g_assert_false (cin_tus_capabilities_has_extension (capabilities, "checksum"));
  /* The video limit, the larger of the platform's two. */
  g_assert_cmpuint (capabilities->max_size, >=, 20 * 1000 * 1000);
}

static gboolean
terminate (Fixture     *fixture,
           const char  *url,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_tus_client_terminate_async (fixture->client, url, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_tus_client_terminate_finish (result, NULL, error);
}

/* Termination: the upload is gone from the server; a second DELETE finds
 * nothing. */
static void
test_terminate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = tus_test_jpeg (80 * 1024, 6);
  g_autofree char *path = write_file (fixture, "terminated.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autofree char *url = NULL;
  g_autoptr(TestResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  url = upload (fixture->client, path, sha256, NULL, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_served (fixture, url, jpeg);

  g_assert_true (terminate (fixture, url, &error));
  g_assert_no_error (error);
  response = test_server_request (fixture->server, "GET", url + strlen (fixture->server->base_url),
                                  cin_api_client_get_token (fixture->client), NULL, NULL);
  g_assert_cmpuint (response->status, ==, 404);

  g_assert_false (terminate (fixture, url, &error));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND);
}

/* Another PATCH holds the upload (the server answers 423 Locked): here a
 * raw connection that sent part of its body and waits. */
static GSocketConnection *
hold_upload (Fixture    *fixture,
             const char *url,
             GBytes     *file,
             guint64     offset,
             gsize       sent,
             gsize       announced)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  GOutputStream *out;
  gint64 deadline;

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", fixture->server->port,
                                                NULL, &error);
  g_assert_no_error (error);
  head = g_strdup_printf ("PATCH %s HTTP/1.1\r\n"
                          "Host: 127.0.0.1:%u\r\n"
                          "Tus-Resumable: 1.0.0\r\n"
                          "Authorization: Bearer %s\r\n"
                          "Content-Type: application/offset+octet-stream\r\n"
                          "Upload-Offset: %" G_GUINT64_FORMAT "\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "\r\n",
                          url + strlen (fixture->server->base_url), fixture->server->port,
                          cin_api_client_get_token (fixture->client), offset, announced);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, (const guint8 *)g_bytes_get_data (file, NULL) + offset, sent,
                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_flush (out, NULL, &error);
  g_assert_no_error (error);

  /* Held once the server has taken those bytes. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (server_offset (fixture, url) < offset + sent)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  return g_steal_pointer (&connection);
}

typedef struct {
  GCancellable *cancellable;
  gint64        when;
} TimedCancel;

static gboolean
on_cancel_timeout_cb (gpointer user_data)
{
  TimedCancel *cancel = user_data;

  cancel->when = g_get_monotonic_time ();
  g_cancellable_cancel (cancel->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
on_release_timeout_cb (gpointer user_data)
{
  GSocketConnection *connection = user_data;

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  const gsize chunk = 64 * 1024;
  const gsize held = 10000;
  g_autoptr(GBytes) jpeg = tus_test_jpeg (512 * 1024, 12);
  guint64 length = g_bytes_get_size (jpeg);
  g_autofree char *path = write_file (fixture, "locked.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocketConnection) holder = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *done = NULL;
  g_auto(Progress) first = { 0 };
  g_auto(Progress) second = { 0 };
  TimedCancel cancel = { 0 };
  guint64 start;
  guint patches;

  /* An upload created, cancelled before its first byte. */
  progress_init (&first);
  first.cancel = cancellable;
  url = upload (fixture->client, path, sha256, NULL, chunk, &first, cancellable, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (url);
  g_assert_cmpuint (fixture->patches, ==, 0);
  url = g_strdup (g_ptr_array_index (first.urls, 0));
  start = server_offset (fixture, url);
  g_assert_cmpuint (start, ==, 0);

  holder = hold_upload (fixture, url, jpeg, start, held, 2 * held);

  /* Waiting for the lock to go can be cancelled, at once. */
  reset_counts (fixture);
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  cancel.cancellable = cancellable;
  g_timeout_add (400, on_cancel_timeout_cb, &cancel);
  done = upload (fixture->client, path, sha256, url, chunk, NULL, cancellable, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (done);
  g_assert_cmpint (cancel.when, >, 0);
  g_assert_cmpint (g_get_monotonic_time () - cancel.when, <, G_USEC_PER_SEC / 4);
  /* It tried, was told 423, and asked again. */
  g_assert_cmpuint (fixture->patches, >=, 2);

  /* An upload held for longer than the client waits is to be tried again
   * later: not a refusal to show. */
  reset_counts (fixture);
  _cin_tus_client_set_retry_period (G_USEC_PER_SEC / 2);
  done = upload (fixture->client, path, sha256, url, chunk, NULL, NULL, &failure, &error);
  _cin_tus_client_set_retry_period (0);
  g_assert_null (done);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_TOO_MANY_REQUESTS);
  g_assert_true (cin_api_error_is_transient (error));
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 423);
  g_assert_cmpint (failure->retry_after, >=, 1);
  g_assert_cmpstr (failure->type, ==, "urn:cinnabar:problem:locked");
  g_assert_nonnull (failure->detail);
  g_assert_cmpuint (fixture->patches, >=, 2);
  g_clear_error (&error);
  g_clear_pointer (&failure, cin_api_failure_free);

  /* Once the other PATCH is cut off, the upload goes on from where it
   * left the file. */
  reset_counts (fixture);
  progress_init (&second);
  g_timeout_add (300, on_release_timeout_cb, holder);
  done = upload (fixture->client, path, sha256, url, chunk, &second, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (done, ==, url);
  g_assert_cmpuint (progress_offset (&second, 0), ==, start + held);
  patches = (guint)((length - start - held + chunk - 1) / chunk);
  g_assert_cmpuint (fixture->patches, >, patches);
  g_assert_cmpuint (progress_last_offset (&second), ==, length);
  assert_served (fixture, url, jpeg);
}

static void
test_wrong_sha256 (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = tus_test_jpeg (200 * 1024, 6);
  g_autoptr(GBytes) other = tus_test_jpeg (10, 7);
  g_autofree char *path = write_file (fixture, "wrong.jpg", jpeg);
  g_autofree char *wrong = sha256_of (other);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = upload (fixture->client, path, wrong, NULL, 64 * 1024, NULL, NULL, &failure, &error);
  g_assert_null (url);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PROBLEM);
  g_assert_false (cin_api_error_is_transient (error));
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 460);
  g_assert_cmpstr (failure->type, ==, "urn:cinnabar:problem:checksum-mismatch");
  /* The server's reason is what the user reads. */
  g_assert_nonnull (failure->detail);
  g_assert_cmpstr (error->message, ==, failure->detail);
}

static void
test_not_media (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) noise = tus_test_random (100 * 1024, 8);
  g_autofree char *path = write_file (fixture, "noise.jpg", noise);
  g_autofree char *sha256 = sha256_of (noise);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = upload (fixture->client, path, sha256, NULL, 0, NULL, NULL, &failure, &error);
  g_assert_null (url);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PROBLEM);
  g_assert_false (cin_api_error_is_transient (error));
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 415);
  g_assert_cmpstr (failure->type, ==, "urn:cinnabar:problem:not-media");
}

static void
test_signed_out (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = tus_test_jpeg (10 * 1024, 9);
  g_autofree char *path = write_file (fixture, "signed-out.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  cin_api_client_set_token (fixture->client, NULL);
  url = upload (fixture->client, path, sha256, NULL, 0, NULL, NULL, &failure, &error);
  g_assert_null (url);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (failure->status, ==, 401);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing.jpg", NULL);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = upload (fixture->client, path, "00", NULL, 0, NULL, NULL, &failure, &error);
  g_assert_null (url);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (cin_api_error_is_transient (error));
  g_assert_cmpuint (fixture->patches, ==, 0);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_server_down (void)
{
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(CinApiClient) client = cin_api_client_new (uri);
  g_autoptr(GBytes) jpeg = tus_test_jpeg (10 * 1024, 10);
  g_autofree char *dir = g_dir_make_tmp ("test-tus-client-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "down.jpg", NULL);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autofree char *resume_url = g_strconcat (uri, "/v1/uploads/0123456789abcdef0123456789abcdef", NULL);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL),
                                      (gssize)g_bytes_get_size (jpeg), NULL));
  cin_api_client_set_token (client, "a token");

  url = upload (client, path, sha256, NULL, 0, NULL, NULL, &failure, &error);
  g_assert_null (url);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NETWORK);
  g_assert_true (cin_api_error_is_transient (error));
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&failure, cin_api_failure_free);

  /* Resuming too. */
  url = upload (client, path, sha256, resume_url, 0, NULL, NULL, &failure, &error);
  g_assert_null (url);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NETWORK);
  g_assert_true (cin_api_error_is_transient (error));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The SIGKILL test: this program, run again with CHILD_FLAG, uploads and
 * writes every progress call to a file ("<offset> <url>\n", fsync'd),
 * the way the sync engine keeps it in its store. */

typedef struct {
  int    fd;
  gsize  chunk;
  guint64 last;
} ChildLog;

static void
on_child_progress_cb (const char *upload_url,
                      guint64     offset,
                      guint64     length,
                      gpointer    user_data)
{
  ChildLog *log = user_data;
  g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT " %s\n", offset, upload_url);
  gsize done = 0;

  /* Never more than one chunk in flight past what was recorded. */
  g_assert_cmpuint (offset - log->last, <=, log->chunk);
  log->last = offset;
  while (done < strlen (line))
    {
      gssize n = write (log->fd, line + done, strlen (line) - done);

      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      done += (gsize)n;
    }
  g_assert_cmpint (fsync (log->fd), ==, 0);
}

static int
run_child (int   argc,
           char *argv[])
{
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  ChildLog log = { 0 };

  /* base_url path sha256 chunk log */
  g_assert_cmpint (argc, ==, 7);
  client = cin_api_client_new (argv[2]);
  cin_api_client_set_token (client, g_getenv (CHILD_TOKEN_ENV));
  log.chunk = (gsize)g_ascii_strtoull (argv[5], NULL, 10);
  log.fd = open (argv[6], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  g_assert_cmpint (log.fd, >=, 0);

  cin_tus_client_upload_async (client, argv[3], argv[4], "image/jpeg", NULL, log.chunk,
                               on_child_progress_cb, &log, NULL,
                               NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  url = cin_tus_client_upload_finish (result, NULL, &error);
  g_assert_no_error (error);
  close (log.fd);
  return 0;
}

/* The last complete line of the log: offset and URL. */
static gboolean
read_last_progress (const char  *log_path,
                    guint        min_lines,
                    guint64     *offset,
                    char       **url)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint complete;
  char *space;

  if (!g_file_get_contents (log_path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  /* The last element follows the last newline: incomplete or empty. */
  complete = g_strv_length (lines);
  if (complete > 0)
    complete--;
  if (complete == 0 || complete < min_lines)
    return FALSE;
  space = strchr (lines[complete - 1], ' ');
  g_assert_nonnull (space);
  *offset = g_ascii_strtoull (lines[complete - 1], NULL, 10);
  g_free (*url);
  *url = g_strdup (space + 1);
  return TRUE;
}

static void
test_sigkill (Fixture       *fixture,
              gconstpointer  data)
{
  const gsize chunk = 32 * 1024;
  g_autoptr(GBytes) jpeg = tus_test_jpeg (6 * 1024 * 1024, 11);
  guint64 length = g_bytes_get_size (jpeg);
  g_autofree char *path = write_file (fixture, "killed.jpg", jpeg);
  g_autofree char *sha256 = sha256_of (jpeg);
  g_autofree char *log_path = g_build_filename (fixture->dir, "progress.log", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *chunk_text = g_strdup_printf ("%" G_GSIZE_FORMAT, chunk);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recorded_url = NULL;
  g_autofree char *url = NULL;
  guint64 recorded = 0;
  gint64 deadline;
  g_auto(Progress) progress = { 0 };

  g_assert_nonnull (self);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, CHILD_TOKEN_ENV,
                                cin_api_client_get_token (fixture->client), TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self, CHILD_FLAG,
                                       fixture->server->base_url, path, sha256, chunk_text,
                                       log_path, NULL);
  g_assert_no_error (error);

  /* Killed once a few chunks are on record, with no chance to clean up. */
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!read_last_progress (log_path, 6, &recorded, &recorded_url))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_nonnull (g_subprocess_get_identifier (child));
      g_usleep (1000);
    }
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* What the log says after the kill (a line may have come since). */
  g_assert_true (read_last_progress (log_path, 6, &recorded, &recorded_url));
  g_assert_cmpuint (recorded, >, 0);
  g_assert_cmpuint (recorded, <, length);
  g_assert_cmpuint (settled_offset (fixture, recorded_url), >=, recorded);

  progress_init (&progress);
  url = upload (fixture->client, path, sha256, recorded_url, chunk, &progress, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, recorded_url);
  /* Nothing before the recorded offset goes up again; the child had at
   * most one chunk past it in flight, so at most that one is sent twice. */
  g_assert_cmpint (fixture->first_patch_offset, >=, (gint64)recorded);
  g_assert_cmpint (fixture->first_patch_offset, <=, (gint64)(recorded + chunk));
  g_assert_cmpuint (fixture->patch_bytes, ==, length - (guint64)fixture->first_patch_offset);
  g_assert_cmpuint (fixture->patch_bytes, <=, length - recorded);
  g_assert_cmpuint (progress_last_offset (&progress), ==, length);
  assert_served (fixture, url, jpeg);
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && g_str_equal (argv[1], CHILD_FLAG))
    return run_child (argc, argv);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/tus-client/whole", test_whole);
  ADD ("/tus-client/chunked", test_chunked);
  ADD ("/tus-client/resume", test_resume);
  ADD ("/tus-client/resume-gone", test_resume_gone);
  ADD ("/tus-client/locked", test_locked);
  ADD ("/tus-client/wrong-sha256", test_wrong_sha256);
  ADD ("/tus-client/not-media", test_not_media);
  ADD ("/tus-client/signed-out", test_signed_out);
  ADD ("/tus-client/missing-file", test_missing_file);
  ADD ("/tus-client/sigkill", test_sigkill);
  ADD ("/tus-client/capabilities", test_capabilities);
  ADD ("/tus-client/terminate", test_terminate);
#undef ADD
  g_test_add_func ("/tus-client/server-down", test_server_down);

  return g_test_run ();
}
