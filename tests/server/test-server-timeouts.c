/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-timeouts"

#include <string.h>

#include "server-test-util.h"

/* How long a connection may take: a request trickling in a byte at a time
 * is answered 408 and cut off, a body sent at a fair pace is not, and
 * kept-alive connections are closed when idle, or when their client has
 * gone (which libsoup 3.2 alone never does). The server runs with
 * --request-timeout=2 --idle-timeout=2; the bounds below leave room for
 * a loaded machine and the sanitizer build. */

#define PAUSE_MS 200

static TestServer *
start_server (void)
{
  return test_server_start ("--request-timeout=2", "--idle-timeout=2", NULL);
}

static GSocket *
connect_to (TestServer *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
  socket = g_object_ref (g_socket_connection_get_socket (connection));
  /* The socket outlives the connection object only if this says so. */
  g_object_set_data_full (G_OBJECT (socket), "connection", g_steal_pointer (&connection), g_object_unref);
  return socket;
}

/* Whatever the server sent within @timeout_ms, or until it closed. */
static GString *
read_answer (GSocket *socket,
             guint    timeout_ms,
             gboolean *closed)
{
  GString *answer = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_GINT64_CONSTANT (1000);
  char buffer[4096];

  *closed = FALSE;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      gssize got;

      if (!g_socket_condition_timed_wait (socket, G_IO_IN, deadline - g_get_monotonic_time (), NULL, NULL))
        break;
      got = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (got <= 0)
        {
          *closed = TRUE;
          break;
        }
      g_string_append_len (answer, buffer, got);
    }
  return answer;
}

/* Sends @data a byte every PAUSE_MS until the server answers or closes;
 * returns the answer, and how long it took in *@seconds. */
static GString *
trickle (GSocket    *socket,
         const char *data,
         double     *seconds)
{
  gint64 start = g_get_monotonic_time ();
  GString *answer = g_string_new (NULL);

  for (gsize i = 0; data[i] != '\0'; i++)
    {
      gboolean closed;
      g_autoptr(GString) got = NULL;

      if (g_socket_send (socket, data + i, 1, NULL, NULL) != 1)
        break;
      got = read_answer (socket, PAUSE_MS, &closed);
      g_string_append_len (answer, got->str, got->len);
      if (closed)
        break;
    }
  *seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;
  return answer;
}

static void
assert_timed_out (GString *answer,
                  double   seconds)
{
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 408 "));
  g_assert_nonnull (strstr (answer->str, "Connection: close"));
  g_assert_nonnull (strstr (answer->str, "urn:cinnabar:problem:request-timeout"));
  /* The limit is 2 s (checked every half second); a byte every 0.2 s
   * would take far longer than this to finish. */
  g_assert_cmpfloat (seconds, >=, 1.5);
  g_assert_cmpfloat (seconds, <, 8.0);
}

static void
assert_still_serving (TestServer *server)
{
  g_autoptr(TestResponse) response = test_server_request (server, "GET", "/v1/explore", NULL, NULL, NULL);

  g_assert_cmpuint (response->status, ==, 200);
}

static void
test_slow_headers (void)
{
  TestServer *server = start_server ();
  g_autoptr(GSocket) socket = connect_to (server);
  g_autoptr(GString) answer = NULL;
  g_autofree char *request = g_strdup_printf ("GET /v1/explore HTTP/1.1\r\nHost: x\r\nX-Slow: %0200d\r\n\r\n", 0);
  double seconds;

  answer = trickle (socket, request, &seconds);
  assert_timed_out (answer, seconds);
  assert_still_serving (server);
  test_server_stop (server);
}

static void
test_slow_body (void)
{
  TestServer *server = start_server ();
  g_autoptr(GSocket) socket = connect_to (server);
  g_autoptr(GString) answer = NULL;
  const char body[] = "{\"handle\":\"nobody\",\"password\":\"not the password at all\"}";
  g_autofree char *headers = g_strdup_printf ("POST /v1/session HTTP/1.1\r\nHost: x\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                              sizeof body - 1);
  double seconds;

  g_assert_cmpint (g_socket_send (socket, headers, strlen (headers), NULL, NULL), ==, strlen (headers));
  answer = trickle (socket, body, &seconds);
  assert_timed_out (answer, seconds);
  assert_still_serving (server);
  test_server_stop (server);
}

/* 1 KiB every 0.2 s is five times the slowest rate allowed: the request is
 * answered as usual (401: nobody has that handle). */
static void
test_steady_body (void)
{
  TestServer *server = start_server ();
  g_autoptr(GSocket) socket = connect_to (server);
  g_autoptr(GString) body = g_string_new ("{\"handle\":\"nobody\",\"password\":\"");
  g_autoptr(GString) answer = NULL;
  g_autofree char *headers = NULL;
  gboolean closed;
  gsize sent = 0;

  for (guint i = 0; i < 6000; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");
  headers = g_strdup_printf ("POST /v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", body->len);
  g_assert_cmpint (g_socket_send (socket, headers, strlen (headers), NULL, NULL), ==, strlen (headers));
  while (sent < body->len)
    {
      gsize piece = MIN (1024, body->len - sent);

      g_assert_cmpint (g_socket_send (socket, body->str + sent, piece, NULL, NULL), ==, piece);
      sent += piece;
      g_usleep (PAUSE_MS * 1000);
    }

  answer = read_answer (socket, 5000, &closed);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 401 "));
  test_server_stop (server);
}

static void
test_idle_connection_closed (void)
{
  TestServer *server = start_server ();
  g_autoptr(GSocket) socket = connect_to (server);
  const char request[] = "GET /v1/explore HTTP/1.1\r\nHost: x\r\n\r\n";
  g_autoptr(GString) answer = NULL;
  gint64 start;
  double seconds;
  gboolean closed;

  g_assert_cmpint (g_socket_send (socket, request, sizeof request - 1, NULL, NULL), ==, sizeof request - 1);
  start = g_get_monotonic_time ();
  answer = read_answer (socket, 10000, &closed);
  seconds = (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC;

  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 "));
  g_assert_true (closed);
  g_assert_cmpfloat (seconds, >=, 1.5);
  g_assert_cmpfloat (seconds, <, 8.0);
  test_server_stop (server);
}

static guint
count_open_files (TestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* Clients that close kept-alive connections between requests: the server
 * lets go of each, rather than keeping its socket open for good. */
static void
test_closed_connections_released (void)
{
  TestServer *server = start_server ();
  const char request[] = "GET /v1/explore HTTP/1.1\r\nHost: x\r\n\r\n";
  guint before, after = 0;
  gint64 deadline;

  assert_still_serving (server);
  before = count_open_files (server);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GSocket) socket = connect_to (server);
      g_autoptr(GString) answer = NULL;
      gboolean closed;

      g_assert_cmpint (g_socket_send (socket, request, sizeof request - 1, NULL, NULL), ==, sizeof request - 1);
      answer = read_answer (socket, 200, &closed);
      g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 "));
      g_socket_close (socket, NULL);
    }

  /* Well before the idle timeout would close them anyway. */
  deadline = g_get_monotonic_time () + 1500 * G_GINT64_CONSTANT (1000);
  while (g_get_monotonic_time () < deadline && (after = count_open_files (server)) > before)
    g_usleep (50 * 1000);
  g_assert_cmpuint (after, <=, before);
  test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/timeouts/slow-headers", test_slow_headers);
  g_test_add_func ("/server/timeouts/slow-body", test_slow_body);
  g_test_add_func ("/server/timeouts/steady-body", test_steady_body);
  g_test_add_func ("/server/timeouts/idle-connection-closed", test_idle_connection_closed);
  g_test_add_func ("/server/timeouts/closed-connections-released", test_closed_connections_released);

  return g_test_run ();
}
