/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-frame"

#include <signal.h>
#include <string.h>

#include "server-test-util.h"

/* The server as a process and an HTTP endpoint: its port line, its route
 * list, and how it refuses what it must not read. */

static void
test_route_list (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              CIN_SERVER_PATH, "--list-routes", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 4);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_regex_match_simple ("^(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS) /v1(/[a-z{}_]+)+$",
                                         lines[i], 0, 0));
  g_assert_true (g_strv_contains ((const char * const *)lines, "POST /v1/session"));
}

static void
test_not_found_and_method (void)
{
  TestServer *server = test_server_start (NULL);
  g_autoptr(TestResponse) missing = NULL;
  g_autoptr(TestResponse) wrong_method = NULL;

  missing = test_server_request (server, "GET", "/v1/no-such-thing", NULL, NULL, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (missing->content_type, ==, "application/problem+json");
  g_assert_cmpstr (test_response_string (missing, "type"), ==, "urn:cinnabar:problem:not-found");
  g_assert_cmpint (test_response_int (missing, "status"), ==, 404);

  wrong_method = test_server_request (server, "PUT", "/v1/session", NULL, NULL, NULL);
  g_assert_cmpuint (wrong_method->status, ==, 405);
  g_assert_nonnull (strstr (test_response_header (wrong_method, "Allow"), "POST"));
  g_assert_nonnull (strstr (test_response_header (wrong_method, "Allow"), "DELETE"));

  test_server_stop (server);
}

static void
assert_still_serving (TestServer *server)
{
  g_autoptr(TestResponse) response = test_server_request (server, "GET", "/v1/session", NULL, NULL, NULL);

  g_assert_cmpuint (response->status, ==, 401);
}

static void
test_body_limit_before_reading (void)
{
  TestServer *server = test_server_start ("--max-body-bytes=4096", NULL);
  const char *head = "POST /v1/accounts HTTP/1.1\r\nHost: test\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: 5000000000\r\n\r\n{\"handle\":";
  g_autofree char *reply = NULL;
  g_autoptr(TestResponse) big = NULL;
  g_autofree char *body = NULL;
  gint64 started = g_get_monotonic_time ();

  /* Five gigabytes announced, a few bytes sent: the answer must come from
   * the headers alone, at once. */
  reply = test_server_raw_exchange (server, head, strlen (head), 5000);
  g_assert_nonnull (reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (reply, "application/problem+json"));
  g_assert_nonnull (strstr (reply, "body-too-large"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 4 * G_USEC_PER_SEC);

  /* Just over the limit, sent in full by a normal client. */
  body = g_strnfill (5000, ' ');
  memcpy (body, "{\"a\":1}", 7);
  big = test_server_request (server, "POST", "/v1/accounts", NULL, body, NULL);
  g_assert_cmpuint (big->status, ==, 413);

  assert_still_serving (server);
  test_server_stop (server);
}

static void
test_chunked_body_needs_length (void)
{
  TestServer *server = test_server_start (NULL);
  const char *head = "POST /v1/accounts HTTP/1.1\r\nHost: test\r\n"
                     "Content-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n";
  g_autofree char *reply = test_server_raw_exchange (server, head, strlen (head), 5000);

  g_assert_nonnull (reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 411"));
  assert_still_serving (server);
  test_server_stop (server);
}

static void
test_wrong_content_type (void)
{
  TestServer *server = test_server_start (NULL);
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (server, "POST", "/v1/accounts", NULL,
                                  "handle=a&password=b",
                                  "Content-Type", "application/x-www-form-urlencoded", NULL);
  g_assert_cmpuint (response->status, ==, 415);
  g_assert_cmpstr (test_response_string (response, "field"), ==, "Content-Type");
  test_server_stop (server);
}

static void
test_hostile_bodies (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *deep = NULL;
  g_autofree char *deep_request = NULL;
  g_autofree char *reply = NULL;
  const char bad_utf8[] = "{\"handle\":\"\xff\xfe\",\"password\":\"12345678\"}";
  g_autofree char *bad_utf8_request = NULL;
  g_autoptr(TestResponse) not_json = NULL;
  g_autoptr(TestResponse) nul = NULL;

  /* 200,000 levels of arrays would overflow a recursive parser's stack. */
  deep = g_strnfill (200000, '[');
  deep_request = g_strdup_printf ("POST /v1/accounts HTTP/1.1\r\nHost: test\r\n"
                                  "Content-Type: application/json\r\n"
                                  "Content-Length: 200000\r\nConnection: close\r\n\r\n%s", deep);
  reply = test_server_raw_exchange (server, deep_request, strlen (deep_request), 10000);
  g_assert_nonnull (reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 400"));
  g_assert_nonnull (strstr (reply, "invalid-json"));
  g_clear_pointer (&reply, g_free);

  bad_utf8_request = g_strdup_printf ("POST /v1/accounts HTTP/1.1\r\nHost: test\r\n"
                                      "Content-Type: application/json\r\n"
                                      "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n%s",
                                      strlen (bad_utf8), bad_utf8);
  reply = test_server_raw_exchange (server, bad_utf8_request, strlen (bad_utf8_request), 10000);
  g_assert_nonnull (reply);
  g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 400"));
  g_assert_nonnull (strstr (reply, "UTF-8"));

  not_json = test_server_request (server, "POST", "/v1/accounts", NULL, "{\"handle\": ", NULL);
  g_assert_cmpuint (not_json->status, ==, 400);

  nul = test_server_request (server, "POST", "/v1/accounts", NULL,
                             "{\"handle\":\"a\\u0000b\",\"password\":\"12345678\"}", NULL);
  g_assert_cmpuint (nul->status, ==, 400);

  assert_still_serving (server);
  test_server_stop (server);
}

static void
test_huge_headers (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *filler = g_strnfill (300000, 'a');
  g_autofree char *request = g_strdup_printf ("GET /v1/session HTTP/1.1\r\nHost: test\r\n"
                                              "X-Filler: %s\r\n\r\n", filler);
  g_autofree char *reply = test_server_raw_exchange (server, request, strlen (request), 5000);

  /* libsoup stops reading headers past 64 KiB and drops the connection,
   * or answers 400 when it got to parse them: never a success. */
  if (reply != NULL)
    g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 4"));
  assert_still_serving (server);
  test_server_stop (server);
}

typedef struct {
  TestServer *server;
  char       *reply;
} SlowClient;

/* Sends a request one byte a second for its first bytes. */
static gpointer
slow_client_thread (gpointer user_data)
{
  SlowClient *slow = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  const char *request = "GET /v1/nothing HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n";
  GOutputStream *out;
  char buffer[1024];
  gssize got;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", slow->server->port, NULL, NULL);
  g_assert_nonnull (connection);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  for (guint i = 0; i < 3; i++)
    {
      g_output_stream_write_all (out, request + i, 1, NULL, NULL, NULL);
      g_usleep (G_USEC_PER_SEC);
    }
  g_output_stream_write_all (out, request + 3, strlen (request) - 3, NULL, NULL, NULL);

  while ((got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                     buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (reply, buffer, got);
  slow->reply = g_strdup (reply->str);
  return NULL;
}

static void
test_slow_client_does_not_block_others (void)
{
  TestServer *server = test_server_start (NULL);
  SlowClient slow = { server, NULL };
  GThread *thread = g_thread_new ("slow-client", slow_client_thread, &slow);

  g_usleep (G_USEC_PER_SEC / 2);
  for (guint i = 0; i < 10; i++)
    {
      gint64 started = g_get_monotonic_time ();

      assert_still_serving (server);
      g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC / 2);
      g_usleep (G_USEC_PER_SEC / 10);
    }

  g_thread_join (thread);
  g_assert_true (g_str_has_prefix (slow.reply, "HTTP/1.1 404"));
  g_free (slow.reply);
  test_server_stop (server);
}

static void
test_sigterm_drains_in_flight (void)
{
  TestServer *server = test_server_start (NULL);
  const char *body = "{\"handle\":\"drained\",\"password\":\"12345678\"}";
  g_autofree char *head = g_strdup_printf ("POST /v1/accounts HTTP/1.1\r\nHost: test\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n\r\n", strlen (body));
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autofree char *late = NULL;
  GOutputStream *out;
  char buffer[1024];
  gssize got;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_output_stream_write_all (out, body, 10, NULL, NULL, &error);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC / 5);

  g_subprocess_send_signal (server->process, SIGTERM);
  g_usleep (G_USEC_PER_SEC / 2);
  /* Still there, waiting for the request it is reading… */
  g_assert_nonnull (g_subprocess_get_identifier (server->process));

  /* …and refusing new work meanwhile. */
  late = test_server_raw_exchange (server, "GET /v1/session HTTP/1.1\r\nHost: test\r\n\r\n",
                                   strlen ("GET /v1/session HTTP/1.1\r\nHost: test\r\n\r\n"), 5000);
  g_assert_nonnull (late);
  g_assert_true (g_str_has_prefix (late, "HTTP/1.1 503"));

  g_output_stream_write_all (out, body + 10, strlen (body) - 10, NULL, NULL, &error);
  g_assert_no_error (error);
  while ((got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                     buffer, sizeof buffer, NULL, NULL)) > 0)
    g_string_append_len (reply, buffer, got);
  g_assert_true (g_str_has_prefix (reply->str, "HTTP/1.1 201"));

  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
  test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/frame/route-list", test_route_list);
  g_test_add_func ("/server/frame/not-found-and-method", test_not_found_and_method);
  g_test_add_func ("/server/frame/body-limit-before-reading", test_body_limit_before_reading);
  g_test_add_func ("/server/frame/chunked-body-needs-length", test_chunked_body_needs_length);
  g_test_add_func ("/server/frame/wrong-content-type", test_wrong_content_type);
  g_test_add_func ("/server/frame/hostile-bodies", test_hostile_bodies);
  g_test_add_func ("/server/frame/huge-headers", test_huge_headers);
  g_test_add_func ("/server/frame/slow-client", test_slow_client_does_not_block_others);
  g_test_add_func ("/server/frame/sigterm-drains", test_sigterm_drains_in_flight);

  return g_test_run ();
}
