/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-client"

#include <string.h>

#include "cin-api-client.h"
#include "sync-test-server.h"

typedef struct {
  TestServer     *server;
  CinApiClient   *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  sync_test_add_account (fixture->server);
  fixture->client = cin_api_client_new (fixture->server->base_url);
  cin_api_client_set_timeout (fixture->client, 5);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  test_server_stop (fixture->server);
}

static CinApiSession *
sign_in (CinApiClient   *client,
         const char     *password,
         CinApiFailure **failure,
         GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_api_client_sign_in_async (client, SYNC_TEST_HANDLE, password, NULL,
                                sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_api_client_sign_in_finish (client, result, failure, error);
}

static CinNote *
put_note (CinApiClient   *client,
          CinNote        *note,
          const char     *rev,
          const char     *key,
          char          **new_rev,
          CinApiFailure **failure,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_api_client_put_note_async (client, note, rev, key, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_api_client_put_note_finish (client, result, new_rev, failure, error);
}

static CinApiChangesPage *
get_changes (CinApiClient   *client,
             const char     *since,
             guint           limit,
             CinApiFailure **failure,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_api_client_get_changes_async (client, since, limit, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_api_client_get_changes_finish (client, result, failure, error);
}

static CinNote *
new_note (const char *title)
{
  CinNote *note = cin_note_new (CIN_NOTE_KIND_PHOTO);

  cin_note_set_title (note, title);
  cin_note_set_body (note, "今天的咖啡");
  return note;
}

static char *
new_key (void)
{
  return g_uuid_string_random ();
}

static void
signed_in (Fixture *fixture)
{
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = sign_in (fixture->client, SYNC_TEST_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(CinApiSession) refused = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  refused = sign_in (fixture->client, "not the password", &failure, &error);
  g_assert_null (refused);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 401);
  /* The server's reason, not a generic sentence. */
  g_assert_nonnull (failure->detail);
  g_assert_cmpstr (error->message, ==, failure->detail);
  g_assert_null (cin_api_client_get_token (fixture->client));
  g_clear_error (&error);

  session = sign_in (fixture->client, SYNC_TEST_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->handle, ==, SYNC_TEST_HANDLE);
  g_assert_true (g_str_has_prefix (session->token, "cin_"));
  g_assert_nonnull (session->expires_at);
  g_assert_cmpstr (cin_api_client_get_token (fixture->client), ==, session->token);

  cin_api_client_sign_out_async (fixture->client, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  g_assert_true (cin_api_client_sign_out_finish (fixture->client, result, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (cin_api_client_get_token (fixture->client));

  /* The old token is refused now. */
  cin_api_client_set_token (fixture->client, session->token);
  g_assert_null (get_changes (fixture->client, NULL, 0, NULL, &error));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
}

static void
test_put_note (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CinNote) note = new_note ("第一版");
  g_autoptr(CinNote) created = NULL;
  g_autoptr(CinNote) updated = NULL;
  g_autoptr(CinNote) stale = NULL;
  g_autoptr(CinNote) again = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = new_key ();
  g_autofree char *key2 = new_key ();
  g_autofree char *key3 = new_key ();
  g_autofree char *rev1 = NULL;
  g_autofree char *rev2 = NULL;

  signed_in (fixture);

  created = put_note (fixture->client, note, NULL, key, &rev1, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (cin_note_get_id (created), ==, cin_note_get_id (note));
  g_assert_cmpstr (cin_note_get_title (created), ==, "第一版");
  g_assert_nonnull (rev1);
  g_assert_cmpstr (rev1, ==, cin_note_get_rev (created));

  /* Creating the same id again with a new key: it exists. */
  again = put_note (fixture->client, note, NULL, key2, NULL, &failure, &error);
  g_assert_null (again);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PRECONDITION_FAILED);
  g_clear_error (&error);
  g_clear_pointer (&failure, cin_api_failure_free);

  cin_note_set_title (note, "第二版");
  updated = put_note (fixture->client, note, rev1, key2, &rev2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_note_get_title (updated), ==, "第二版");
  g_assert_cmpstr (rev2, !=, rev1);

  /* An update from the first revision is stale: the server's note comes back. */
  cin_note_set_title (note, "另一台电脑");
  stale = put_note (fixture->client, note, rev1, key3, NULL, &failure, &error);
  g_assert_null (stale);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PRECONDITION_FAILED);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 412);
  g_assert_nonnull (failure->current);
  g_assert_nonnull (failure->current_note);
  g_assert_cmpstr (cin_note_get_title (failure->current_note), ==, "第二版");
  g_assert_cmpstr (cin_note_get_rev (failure->current_note), ==, rev2);
  g_assert_false (cin_api_error_is_transient (error));
}

static void
test_idempotent_replay (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(CinNote) note = new_note ("只发一次");
  g_autoptr(CinNote) first = NULL;
  g_autoptr(CinNote) replayed = NULL;
  g_autoptr(CinApiChangesPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = new_key ();

  signed_in (fixture);

  first = put_note (fixture->client, note, NULL, key, NULL, NULL, &error);
  g_assert_no_error (error);
  /* A retry after a lost answer: same request, same key. */
  replayed = put_note (fixture->client, note, NULL, key, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_note_get_rev (replayed), ==, cin_note_get_rev (first));

  page = get_changes (fixture->client, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 1);
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(CinApiChangesPage) bad = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *deleted_id = NULL;
  g_autofree char *deleted_rev = NULL;
  gboolean more = TRUE;
  guint pages = 0;

  signed_in (fixture);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("笔记 %u", i);
      g_autoptr(CinNote) note = new_note (title);
      g_autoptr(CinNote) stored = NULL;
      g_autofree char *key = new_key ();

      stored = put_note (fixture->client, note, NULL, key, NULL, NULL, &error);
      g_assert_no_error (error);
      if (i == 0)
        {
          deleted_id = g_strdup (cin_note_get_id (stored));
          deleted_rev = g_strdup (cin_note_get_rev (stored));
        }
    }

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *key = new_key ();

    cin_api_client_delete_note_async (fixture->client, deleted_id, deleted_rev, key, NULL,
                                      sync_test_store_result, &result);
    sync_test_wait (&result);
    g_assert_true (cin_api_client_delete_note_finish (fixture->client, result, NULL, &error));
    g_assert_no_error (error);
  }

  while (more)
    {
      g_autoptr(CinApiChangesPage) page = get_changes (fixture->client, cursor, 2, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->changes->len, <=, 2);
      for (guint i = 0; i < page->changes->len; i++)
        {
          CinApiChange *change = g_ptr_array_index (page->changes, i);

          g_assert_cmpstr (change->kind, ==, "note");
          g_assert_true (g_hash_table_add (seen, g_strdup (change->id)));
          if (g_strcmp0 (change->id, deleted_id) == 0)
            {
              g_assert_true (change->deleted);
              g_assert_null (change->note);
            }
          else
            {
              g_assert_false (change->deleted);
              g_assert_nonnull (change->note);
              g_assert_cmpstr (cin_note_get_id (change->note), ==, change->id);
            }
        }
      g_free (cursor);
      cursor = g_strdup (page->cursor);
      more = page->more;
      pages++;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
  g_assert_cmpuint (pages, >=, 3);

  /* A malformed cursor is the server's 400 with its reason. */
  bad = get_changes (fixture->client, "yesterday", 0, &failure, &error);
  g_assert_null (bad);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PROBLEM);
  g_assert_cmpuint (failure->status, ==, 400);
  g_assert_cmpstr (error->message, ==, failure->detail);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_assert_null (sign_in (fixture->client, "wrong password", NULL, &error));
      g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
      g_clear_error (&error);
    }
  /* Even the right password waits now, for as long as the server says. */
  session = sign_in (fixture->client, SYNC_TEST_PASSWORD, &failure, &error);
  g_assert_null (session);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_TOO_MANY_REQUESTS);
  g_assert_true (cin_api_error_is_transient (error));
  g_assert_cmpuint (failure->status, ==, 429);
  g_assert_cmpint (failure->retry_after, >, 0);
  g_assert_cmpstr (error->message, ==, failure->detail);
}

static void
test_cursor_gone (void)
{
  TestServer *server = test_server_start ("--tombstone-ttl=1", "--tick-ms=100", NULL);
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(CinNote) first = new_note ("留下");
  g_autoptr(CinNote) second = new_note ("删掉");
  g_autoptr(CinNote) stored = NULL;
  g_autoptr(CinApiChangesPage) page = NULL;
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key1 = new_key ();
  g_autofree char *key2 = new_key ();
  g_autofree char *key3 = new_key ();
  g_autofree char *cursor = NULL;
  gint64 deadline;

  sync_test_add_account (server);
  client = cin_api_client_new (server->base_url);

  session = sign_in (client, SYNC_TEST_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = put_note (client, first, NULL, key1, NULL, NULL, &error);
  g_assert_no_error (error);
  page = get_changes (client, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  cursor = g_strdup (page->cursor);

  /* A deletion after the cursor, forgotten once its tombstone expires. */
  g_clear_object (&stored);
  stored = put_note (client, second, NULL, key2, NULL, NULL, &error);
  g_assert_no_error (error);
  cin_api_client_delete_note_async (client, cin_note_get_id (stored), cin_note_get_rev (stored),
                                    key3, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  g_assert_true (cin_api_client_delete_note_finish (client, result, NULL, &error));
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(CinApiChangesPage) later = get_changes (client, cursor, 0, NULL, &error);

      if (later == NULL || g_get_monotonic_time () > deadline)
        break;
      g_usleep (200 * 1000);
    }
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_GONE);
  g_assert_false (cin_api_error_is_transient (error));

  g_clear_object (&client);
  test_server_stop (server);
}

/* A port nothing listens on: bound, then closed. */
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
  g_autofree char *uri = g_strdup_printf ("http://127.0.0.1:%u/", closed_port ());
  g_autoptr(CinApiClient) client = cin_api_client_new (uri);
  g_autoptr(CinApiChangesPage) page = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  page = get_changes (client, NULL, 0, &failure, &error);
  g_assert_null (page);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NETWORK);
  g_assert_true (cin_api_error_is_transient (error));
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, 0);
}

/* A "server" that answers every connection with @answer, or with nothing
 * (holding the connection open) when @answer is NULL. It runs in its own
 * threads, as the client needs the main context to send the request. */
static GMutex held_lock;
static GPtrArray *held;

static gboolean
on_run_cb (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source,
           gpointer                user_data)
{
  const char *answer = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buffer[4096];

  /* Read the request head so the answer does not race it. */
  g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                       buffer, sizeof buffer, NULL, NULL);
  if (answer == NULL)
    {
      g_mutex_lock (&held_lock);
      g_ptr_array_add (held, g_object_ref (connection));
      g_mutex_unlock (&held_lock);
      return TRUE;
    }
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static GError *
changes_from_fake (const char     *answer,
                   guint           timeout,
                   CinApiFailure **failure)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(CinApiChangesPage) page = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (on_run_cb), (gpointer)answer);
  uri = g_strdup_printf ("http://127.0.0.1:%u/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = cin_api_client_new (uri);
  cin_api_client_set_token (client, "cin_not_checked_by_this_server");
  cin_api_client_set_timeout (client, timeout);

  page = get_changes (client, NULL, 0, failure, &error);
  g_assert_null (page);
  g_mutex_lock (&held_lock);
  g_ptr_array_set_size (held, 0);
  g_mutex_unlock (&held_lock);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  return g_steal_pointer (&error);
}

static void
test_invalid_response (void)
{
  static const char *answers[] = {
    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{\"changes",
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]",
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"more\":true}",
    "SSH-2.0-OpenSSH_9.2\r\n\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(CinApiFailure) failure = NULL;
      g_autoptr(GError) error = changes_from_fake (answers[i], 5, &failure);

      g_test_message ("answer %u", i);
      g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE);
      g_assert_false (cin_api_error_is_transient (error));
    }
}

static void
test_http_errors (void)
{
  static const char problem[] =
    "{\"type\":\"urn:cinnabar:problem:rate-limited\",\"title\":\"Slow down\","
    "\"status\":429,\"detail\":\"Wait a bit.\"}";
  g_autofree char *busy_answer = g_strdup_printf (
    "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 42\r\n"
    "Content-Type: application/problem+json\r\nContent-Length: %zu\r\n\r\n%s",
    strlen (problem), problem);
  g_autoptr(CinApiFailure) busy_failure = NULL;
  g_autoptr(CinApiFailure) html_failure = NULL;
  g_autoptr(GError) busy = changes_from_fake (busy_answer, 5, &busy_failure);
  g_autoptr(GError) html = changes_from_fake (
    "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>",
    5, &html_failure);

  g_assert_error (busy, CIN_API_ERROR, CIN_API_ERROR_TOO_MANY_REQUESTS);
  g_assert_cmpstr (busy->message, ==, "Wait a bit.");
  g_assert_cmpint (busy_failure->retry_after, ==, 42);
  g_assert_cmpstr (busy_failure->type, ==, "urn:cinnabar:problem:rate-limited");
  g_assert_true (cin_api_error_is_transient (busy));

  g_assert_error (html, CIN_API_ERROR, CIN_API_ERROR_SERVER);
  g_assert_cmpuint (html_failure->status, ==, 502);
  g_assert_cmpint (html_failure->retry_after, ==, -1);
  g_assert_nonnull (strstr (html->message, "502"));
}

static void
on_stalled_cancel_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinApiChangesPage) page = NULL;
  gboolean *done = user_data;

  page = cin_api_client_get_changes_finish (CIN_API_CLIENT (source), result, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancelled (void)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  gboolean done = FALSE;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (on_run_cb), NULL);
  uri = g_strdup_printf ("http://127.0.0.1:%u/", port);
  client = cin_api_client_new (uri);

  cin_api_client_get_changes_async (client, NULL, 0, cancellable, on_stalled_cancel_cb, &done);
  g_timeout_add (100, cancel_cb, cancellable);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  g_mutex_lock (&held_lock);
  g_ptr_array_set_size (held, 0);
  g_mutex_unlock (&held_lock);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_stalled_server (void)
{
  g_autoptr(CinApiFailure) failure = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GError) error = changes_from_fake (NULL, 1, &failure);

  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_TIMEOUT);
  g_assert_true (cin_api_error_is_transient (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  held = g_ptr_array_new_with_free_func (g_object_unref);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/api-client/sign-in", test_sign_in);
  ADD ("/api-client/put-note", test_put_note);
  ADD ("/api-client/idempotent-replay", test_idempotent_replay);
  ADD ("/api-client/changes", test_changes);
  ADD ("/api-client/rate-limited", test_rate_limited);
#undef ADD
  g_test_add_func ("/api-client/server-down", test_server_down);
  g_test_add_func ("/api-client/invalid-response", test_invalid_response);
  g_test_add_func ("/api-client/http-errors", test_http_errors);
  g_test_add_func ("/api-client/stalled-server", test_stalled_server);
  g_test_add_func ("/api-client/cancelled", test_cancelled);
  g_test_add_func ("/api-client/cursor-gone", test_cursor_gone);

  return g_test_run ();
}
