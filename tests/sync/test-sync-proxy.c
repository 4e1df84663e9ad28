/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-proxy"

#include <string.h>

#include "sync-test-proxy.h"
#include "sync-test-server.h"

/* The fault-injecting proxy, with libsoup against the real server through
 * it: what passes, what each fault does, and a server restarted on its
 * port behind it. */

typedef struct {
  TestServer    *server;
  SyncTestProxy *proxy;
  SoupSession   *session;   /* through the proxy */
  char          *token;
} Fixture;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  GError             *error;
} Reply;

static void
reply_free (Reply *reply)
{
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  fixture->token = test_server_sign_up (fixture->server, "walker");
  fixture->proxy = sync_test_proxy_new (fixture->server->base_url);
  fixture->session = soup_session_new_with_options ("timeout", 10, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->proxy, sync_test_proxy_free);
  test_server_stop (fixture->server);
  g_free (fixture->token);
}

static SoupMessage *
new_message (const char *base_url,
             const char *method,
             const char *path,
             const char *token,
             const char *json)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
    }
  if (json != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      g_autofree char *key = test_idempotency_key ();

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_message_headers_replace (headers, "Idempotency-Key", key);
      if (strcmp (method, "PUT") == 0)
        soup_message_headers_replace (headers, "If-None-Match", "*");
    }
  return msg;
}

static Reply *
send_request (SoupSession *session,
              const char  *base_url,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *json)
{
  g_autoptr(SoupMessage) msg = new_message (base_url, method, path, token, json);
  Reply *reply = g_new0 (Reply, 1);

  reply->body = soup_session_send_and_read (session, msg, NULL, &reply->error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static Reply *
via_proxy (Fixture    *fixture,
           const char *method,
           const char *path,
           const char *json)
{
  return send_request (fixture->session, sync_test_proxy_get_base_url (fixture->proxy),
                       method, path, fixture->token, json);
}

static Reply *
direct (Fixture    *fixture,
        const char *method,
        const char *path)
{
  return send_request (fixture->server->session, fixture->server->base_url,
                       method, path, fixture->token, NULL);
}

static char *
body_text (Reply *reply)
{
  gsize size;
  const char *data = g_bytes_get_data (reply->body, &size);

  return g_strndup (data, size);
}

static gboolean
is_json (Reply *reply)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (reply->body, &size);

  return json_parser_load_from_data (parser, data, (gssize)size, NULL);
}

static gboolean
is_network_error (const GError *error)
{
  return error != NULL && error->domain == G_IO_ERROR &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A note's PUT path and JSON; the note exists on the server only if the
 * PUT reached it. */
static void
new_note (char **path,
          char **json,
          const char *title)
{
  g_autofree char *id = test_uuid ();

  *path = g_strconcat ("/v1/notes/", id, NULL);
  *json = test_note_json (id, title, "正文");
}

static void
test_pass_through (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) read = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *text = NULL;
  SyncTestProxyEntry *entry;

  new_note (&path, &json, "经过代理");
  created = via_proxy (fixture, "PUT", path, json);
  g_assert_no_error (created->error);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (created->headers, "Connection"), ==, "close");

  read = via_proxy (fixture, "GET", path, NULL);
  g_assert_no_error (read->error);
  g_assert_cmpuint (read->status, ==, 200);
  g_assert_true (is_json (read));
  text = body_text (read);
  g_assert_nonnull (strstr (text, "经过代理"));

  missing = via_proxy (fixture, "GET", "/v1/notes/00000000-0000-4000-8000-000000000000", NULL);
  g_assert_no_error (missing->error);
  g_assert_cmpuint (missing->status, ==, 404);

  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, NULL, NULL), ==, 3);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PUT", "/v1/notes/"), ==, 1);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "GET", NULL), ==, 2);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "get", path), ==, 1);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "DELETE", NULL), ==, 0);

  log = sync_test_proxy_dup_log (fixture->proxy);
  g_assert_cmpuint (log->len, ==, 3);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpstr (entry->method, ==, "PUT");
  g_assert_cmpstr (entry->path, ==, path);
  g_assert_cmpint (entry->fault, ==, SYNC_TEST_FAULT_NONE);
  g_assert_cmpuint (entry->status, ==, 201);
  entry = g_ptr_array_index (log, 2);
  g_assert_cmpuint (entry->status, ==, 404);

  sync_test_proxy_clear_log (fixture->proxy);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, NULL, NULL), ==, 0);
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(Reply) busy = NULL;
  g_autoptr(Reply) limited = NULL;
  g_autoptr(Reply) other_method = NULL;
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *text = NULL;
  SyncTestProxyEntry *entry;

  new_note (&path, &json, "稍后再试");
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STATUS, "PUT", "/v1/notes/", 1, 503, 7);
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STATUS, "PUT", "/v1/notes/", 1, 429, 0);
  g_assert_cmpuint (sync_test_proxy_get_armed (fixture->proxy), ==, 2);

  /* Not the armed method: passes. */
  other_method = via_proxy (fixture, "GET", path, NULL);
  g_assert_cmpuint (other_method->status, ==, 404);

  busy = via_proxy (fixture, "PUT", path, json);
  g_assert_no_error (busy->error);
  g_assert_cmpuint (busy->status, ==, 503);
  g_assert_cmpstr (soup_message_headers_get_one (busy->headers, "Retry-After"), ==, "7");
  g_assert_cmpstr (soup_message_headers_get_content_type (busy->headers, NULL), ==, "application/problem+json");
  g_assert_true (is_json (busy));
  text = body_text (busy);
  g_assert_nonnull (strstr (text, "\"status\":503"));

  limited = via_proxy (fixture, "PUT", path, json);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_null (soup_message_headers_get_one (limited->headers, "Retry-After"));
  g_assert_cmpuint (sync_test_proxy_get_armed (fixture->proxy), ==, 0);

  /* Neither reached the server. */
  missing = direct (fixture, "GET", path);
  g_assert_cmpuint (missing->status, ==, 404);

  created = via_proxy (fixture, "PUT", path, json);
  g_assert_cmpuint (created->status, ==, 201);

  log = sync_test_proxy_dup_log (fixture->proxy);
  g_assert_cmpuint (log->len, ==, 4);
  entry = g_ptr_array_index (log, 1);
  g_assert_cmpint (entry->fault, ==, SYNC_TEST_FAULT_STATUS);
  g_assert_cmpuint (entry->status, ==, 503);
  entry = g_ptr_array_index (log, 2);
  g_assert_cmpuint (entry->status, ==, 429);
  entry = g_ptr_array_index (log, 3);
  g_assert_cmpint (entry->fault, ==, SYNC_TEST_FAULT_NONE);
  g_assert_cmpuint (entry->status, ==, 201);
}

static void
test_garbage_json (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(Reply) garbage = NULL;
  g_autoptr(Reply) changes = NULL;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_GARBAGE_JSON, NULL, "/v1/changes", 1, 0, 0);

  garbage = via_proxy (fixture, "GET", "/v1/changes", NULL);
  g_assert_no_error (garbage->error);
  g_assert_cmpuint (garbage->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (garbage->headers, NULL), ==, "application/json");
  g_assert_cmpuint (g_bytes_get_size (garbage->body), >, 0);
  g_assert_false (is_json (garbage));

  changes = via_proxy (fixture, "GET", "/v1/changes", NULL);
  g_assert_cmpuint (changes->status, ==, 200);
  g_assert_true (is_json (changes));
}

static void
test_html (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(Reply) portal = NULL;
  g_autofree char *text = NULL;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_HTML, NULL, NULL, 1, 0, 0);

  portal = via_proxy (fixture, "GET", "/v1/changes", NULL);
  g_assert_no_error (portal->error);
  g_assert_cmpuint (portal->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (portal->headers, NULL), ==, "text/html");
  text = body_text (portal);
  g_assert_nonnull (strstr (text, "<html>"));
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr(Reply) stalled = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(GPtrArray) log = NULL;
  SyncTestProxyEntry *entry;
  gint64 started;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STALL, "GET", NULL, 1, 0, 0);

  started = g_get_monotonic_time ();
  stalled = send_request (impatient, sync_test_proxy_get_base_url (fixture->proxy),
                          "GET", "/v1/changes", fixture->token, NULL);
  g_assert_error (stalled->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);

  after = send_request (impatient, sync_test_proxy_get_base_url (fixture->proxy),
                        "GET", "/v1/changes", fixture->token, NULL);
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);

  log = sync_test_proxy_dup_log (fixture->proxy);
  g_assert_cmpuint (log->len, ==, 2);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpint (entry->fault, ==, SYNC_TEST_FAULT_STALL);
  g_assert_cmpuint (entry->status, ==, 0);
}

/* A stalled connection the client never gives up on ends with the proxy. */
static void
test_stall_until_freed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = new_message (sync_test_proxy_get_base_url (fixture->proxy),
                                            "GET", "/v1/changes", fixture->token, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STALL, NULL, NULL, 1, 0, 0);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    sync_test_store_result, &result);
  while (sync_test_proxy_count (fixture->proxy, NULL, NULL) == 0)
    g_main_context_iteration (NULL, FALSE);

  g_clear_pointer (&fixture->proxy, sync_test_proxy_free);
  sync_test_wait (&result);
  body = soup_session_send_and_read_finish (fixture->session, result, &error);
  g_assert_null (body);
  g_assert_true (is_network_error (error));
}

static void
test_lose_response (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(Reply) lost = NULL;
  g_autoptr(Reply) committed = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *text = NULL;
  SyncTestProxyEntry *entry;

  new_note (&path, &json, "丢失的回应");
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_LOSE_RESPONSE, "PUT", "/v1/notes/", 1, 0, 0);

  lost = via_proxy (fixture, "PUT", path, json);
  g_assert_true (is_network_error (lost->error));

  committed = direct (fixture, "GET", path);
  g_assert_cmpuint (committed->status, ==, 200);
  text = body_text (committed);
  g_assert_nonnull (strstr (text, "丢失的回应"));

  log = sync_test_proxy_dup_log (fixture->proxy);
  g_assert_cmpuint (log->len, ==, 1);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpint (entry->fault, ==, SYNC_TEST_FAULT_LOSE_RESPONSE);
  g_assert_cmpuint (entry->status, ==, 201);
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) missing = NULL;

  new_note (&path, &json, "连接重置");
  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_RESET, "PUT", NULL, 1, 0, 0);

  reset = via_proxy (fixture, "PUT", path, json);
  g_assert_true (is_network_error (reset->error));
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "PUT", path), ==, 1);

  missing = direct (fixture, "GET", path);
  g_assert_cmpuint (missing->status, ==, 404);
}

/* Faults armed for some of many requests in flight at once hit exactly
 * that many. */
static void
test_concurrent (Fixture       *fixture,
                 gconstpointer  data)
{
  enum { N_REQUESTS = 24, N_FAULTED = 5 };
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  GAsyncResult *results[N_REQUESTS] = { NULL };
  guint unavailable = 0;
  guint ok = 0;

  sync_test_proxy_arm (fixture->proxy, SYNC_TEST_FAULT_STATUS, "GET", "/v1/changes", N_FAULTED, 503, 1);

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      SoupMessage *msg = new_message (sync_test_proxy_get_base_url (fixture->proxy),
                                      "GET", "/v1/changes", fixture->token, NULL);

      g_ptr_array_add (messages, msg);
      soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        sync_test_store_result, &results[i]);
    }

  for (guint i = 0; i < N_REQUESTS; i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      guint status;

      sync_test_wait (&results[i]);
      body = soup_session_send_and_read_finish (fixture->session, results[i], &error);
      g_assert_no_error (error);
      status = soup_message_get_status (g_ptr_array_index (messages, i));
      if (status == 503)
        unavailable++;
      else if (status == 200)
        ok++;
      g_clear_object (&results[i]);
    }

  g_assert_cmpuint (unavailable, ==, N_FAULTED);
  g_assert_cmpuint (ok, ==, N_REQUESTS - N_FAULTED);
  g_assert_cmpuint (sync_test_proxy_count (fixture->proxy, "GET", "/v1/changes"), ==, N_REQUESTS);
}

/* A dead upstream looks like a dead network; restarted on its port, the
 * server is there again behind the proxy with its data. */
static void
test_upstream_down_and_restart (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) read = NULL;
  g_autoptr(Reply) read_direct = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *text = NULL;
  SyncTestProxyEntry *entry;
  guint port = fixture->server->port;

  new_note (&path, &json, "重启之后");
  created = via_proxy (fixture, "PUT", path, json);
  g_assert_cmpuint (created->status, ==, 201);

  test_server_kill (fixture->server);
  g_assert_null (fixture->server->process);
  refused = via_proxy (fixture, "GET", path, NULL);
  g_assert_true (is_network_error (refused->error));

  log = sync_test_proxy_dup_log (fixture->proxy);
  entry = g_ptr_array_index (log, log->len - 1);
  g_assert_cmpint (entry->fault, ==, SYNC_TEST_FAULT_NONE);
  g_assert_cmpuint (entry->status, ==, 0);

  test_server_restart (fixture->server);
  g_assert_cmpuint (fixture->server->port, ==, port);

  read = via_proxy (fixture, "GET", path, NULL);
  g_assert_no_error (read->error);
  g_assert_cmpuint (read->status, ==, 200);
  text = body_text (read);
  g_assert_nonnull (strstr (text, "重启之后"));

  read_direct = direct (fixture, "GET", path);
  g_assert_cmpuint (read_direct->status, ==, 200);
}

/* The test killed the process itself; restart still comes up on the port,
 * and test_server_stop() then stops the new process cleanly. */
static void
test_restart_after_force_exit (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  g_autoptr(Reply) warm_up = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) read = NULL;
  g_autofree char *log_before = NULL;
  g_autofree char *log_after = NULL;

  new_note (&path, &json, "强制退出");
  warm_up = direct (fixture, "GET", "/v1/changes");
  g_assert_cmpuint (warm_up->status, ==, 200);
  created = via_proxy (fixture, "PUT", path, json);
  g_assert_cmpuint (created->status, ==, 201);

  g_file_get_contents (fixture->server->log_file, &log_before, NULL, NULL);
  g_subprocess_force_exit (fixture->server->process);
  test_server_restart (fixture->server);
  test_server_restart (fixture->server);

  /* The direct session's kept-alive connection led to the first process. */
  read = direct (fixture, "GET", path);
  g_assert_no_error (read->error);
  g_assert_cmpuint (read->status, ==, 200);

  g_file_get_contents (fixture->server->log_file, &log_after, NULL, NULL);
  g_assert_true (g_str_has_prefix (log_after, log_before));
}

static void
add_test (const char *name,
          void (*test) (Fixture *, gconstpointer))
{
  g_test_add (name, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/sync/proxy/pass-through", test_pass_through);
  add_test ("/sync/proxy/status", test_status);
  add_test ("/sync/proxy/garbage-json", test_garbage_json);
  add_test ("/sync/proxy/html", test_html);
  add_test ("/sync/proxy/stall", test_stall);
  add_test ("/sync/proxy/stall-until-freed", test_stall_until_freed);
  add_test ("/sync/proxy/lose-response", test_lose_response);
  add_test ("/sync/proxy/reset", test_reset);
  add_test ("/sync/proxy/concurrent", test_concurrent);
  add_test ("/sync/proxy/upstream-down-and-restart", test_upstream_down_and_restart);
  add_test ("/sync/proxy/restart-after-force-exit", test_restart_after_force_exit);

  return g_test_run ();
}
