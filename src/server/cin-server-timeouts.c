/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-timeouts"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/tcp.h>

#include "cin-server-private.h"

/* How long a connection may take. libsoup 3.2 waits for ever: a client
 * sending a byte a second holds a connection (and its buffers) as long as
 * it likes, and many such clients hold them all.
 *
 *   - A request's headers must all have come within request_timeout of its
 *     first byte.
 *   - Its body must keep coming: every request_timeout, at least
 *     CIN_SERVER_BODY_MIN_RATE bytes a second of it. (Measured in the
 *     kernel's count of bytes received on the TCP connection, which also
 *     sees the bodies tus streams to disk.)
 *   - A connection kept alive between requests is closed after
 *     idle_timeout, or as soon as its client has closed its end.
 *
 * A request past its time is taken from libsoup and answered 408, and
 * the connection closed once its client stops sending
 * (cin-server-linger.c). The last rule also makes up for a libsoup 3.2
 * bug (fixed in 3.3.0): a connection its client closes while idle is never
 * released, and its file descriptor stays open for good. Its memory, a
 * few KiB, still leaks until libsoup is newer.
 *
 * Answering takes as long as it takes: no timeout for slow readers. */

typedef enum {
  CONNECTION_READING,     /* a request is coming */
  CONNECTION_ANSWERING,   /* read; the server is working on it or answering */
  CONNECTION_IDLE,        /* between requests */
} ConnectionState;

typedef struct {
  CinServer         *server;
  GSocket           *socket;       /* (unowned) the connection holds it */
  SoupServerMessage *msg;          /* (nullable) weak: the request coming */
  ConnectionState    state;
  gint64             since;        /* monotonic µs, in this state since */
  /* Reading the body: the window of request_timeout being watched, and
   * the bytes received on the connection when it began. */
  gboolean           body_started;
  gint64             window_start;
  guint64            window_bytes;
} Connection;

#define USEC_PER_MSEC G_GINT64_CONSTANT (1000)

static void
on_socket_finalized (gpointer  user_data,
                     GObject  *where_the_socket_was)
{
  Connection *connection = user_data;

  connection->socket = NULL;
  g_hash_table_remove (connection->server->connections, where_the_socket_was);
}

static void
connection_free (Connection *connection)
{
  if (connection->socket != NULL)
    g_object_weak_unref (G_OBJECT (connection->socket), on_socket_finalized, connection);
  g_clear_weak_pointer (&connection->msg);
  g_free (connection);
}

static void
connection_forget (Connection *connection)
{
  GSocket *socket = connection->socket;

  g_hash_table_remove (connection->server->connections, socket);
}

/* What the kernel received on the connection so far, or FALSE when it is
 * not TCP (then only the time limits apply). */
static gboolean
bytes_received (GSocket *socket,
                guint64 *bytes)
{
  struct tcp_info info;
  socklen_t size = sizeof info;

  memset (&info, 0, sizeof info);
  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &size) != 0 ||
      size < G_STRUCT_OFFSET (struct tcp_info, tcpi_bytes_received) + sizeof info.tcpi_bytes_received)
    return FALSE;
  *bytes = info.tcpi_bytes_received;
  return TRUE;
}

typedef enum {
  PEER_QUIET,      /* connected, nothing to read */
  PEER_SENDING,    /* bytes wait to be read: a request is coming */
  PEER_GONE,       /* closed its end, or the connection broke */
} PeerState;

static PeerState
peer_state (GSocket *socket)
{
  char byte;
  gssize got = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (got > 0)
    return PEER_SENDING;
  if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return PEER_QUIET;
  return PEER_GONE;
}

/* A whole HTTP answer with a problem+json body, written without libsoup
 * (the connection is no longer its). @detail holds no quote. */
static char *
format_problem (guint       status,
                const char *phrase,
                const char *type,
                const char *detail)
{
  g_autofree char *body = g_strdup_printf ("{\"type\":\"urn:cinnabar:problem:%s\",\"title\":\"%s\","
                                           "\"status\":%u,\"detail\":\"%s\"}",
                                           type, phrase, status, detail);

  return g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/problem+json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n%s",
                          status, phrase, strlen (body), body);
}

static Connection *
connection_for (CinServer         *self,
                SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Connection *connection;

  /* A connection handed over as a stream (no socket) is its giver's
   * business. */
  if (socket == NULL)
    return NULL;
  connection = g_hash_table_lookup (self->connections, socket);
  if (connection == NULL)
    {
      connection = g_new0 (Connection, 1);
      connection->server = self;
      connection->socket = socket;
      g_object_weak_ref (G_OBJECT (socket), on_socket_finalized, connection);
      g_hash_table_insert (self->connections, socket, connection);
    }
  return connection;
}

static void
enter (Connection      *connection,
       ConnectionState  state)
{
  connection->state = state;
  connection->since = g_get_monotonic_time ();
  connection->body_started = FALSE;
}

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  Connection *connection = connection_for (user_data, msg);

  if (connection == NULL)
    return;
  enter (connection, CONNECTION_READING);
  g_set_weak_pointer (&connection->msg, msg);
}

static void
on_request_read_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Connection *connection = connection_for (user_data, msg);

  if (connection == NULL)
    return;
  enter (connection, CONNECTION_ANSWERING);
  g_clear_weak_pointer (&connection->msg);
}

static void
on_request_finished_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  Connection *connection = connection_for (user_data, msg);

  if (connection == NULL)
    return;
  enter (connection, CONNECTION_IDLE);
  g_clear_weak_pointer (&connection->msg);
}

static void
log_timeout (Connection *connection,
             const char *what)
{
  SoupServerMessage *msg = connection->msg;
  const char *method = msg != NULL ? soup_server_message_get_method (msg) : NULL;

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "METHOD", method != NULL ? method : "(unread)",
                    "STATUS", "408",
                    "MESSAGE", "%s", what);
}

/* Answers 408 and ends the connection: taken from libsoup, which would
 * otherwise go on waiting for the request. */
static void
time_out_request (Connection *connection,
                  const char *what)
{
  CinServer *self = connection->server;
  g_autoptr(SoupServerMessage) msg = g_object_ref (connection->msg);
  g_autofree char *answer = NULL;
  g_autoptr(GIOStream) stream = NULL;
  GSocket *socket;

  log_timeout (connection, what);
  enter (connection, CONNECTION_ANSWERING);
  g_clear_weak_pointer (&connection->msg);

  /* Taken, it never finishes: if the early handler counted it, it
   * stops counting. */
  _cin_server_forget_in_flight (self, msg);
  stream = soup_server_message_steal_connection (msg);
  socket = stream != NULL ? g_object_get_data (G_OBJECT (stream), "GSocket") : NULL;
  if (socket == NULL)
    return;
  answer = format_problem (SOUP_STATUS_REQUEST_TIMEOUT, "Request Timeout", "request-timeout",
                           "The request did not arrive in time. Send it again, without pausing.");
  _cin_server_answer_and_linger (socket, stream, answer, strlen (answer));
}

/* Closes a connection between requests. libsoup 3.2 would notice, but
 * never release it (see the top of the file), so the socket is closed
 * here; libsoup's own close of it later does nothing. */
static void
close_idle (Connection *connection)
{
  g_socket_close (connection->socket, NULL);
  connection_forget (connection);
}

/* Whether @connection broke a rule; answers or closes it then. */
static void
check (Connection *connection,
       gint64      now)
{
  CinServer *self = connection->server;
  gint64 request_timeout = self->config.request_timeout_ms * USEC_PER_MSEC;
  gint64 idle_timeout = self->config.idle_timeout_ms * USEC_PER_MSEC;
  guint64 bytes;

  switch (connection->state)
    {
    case CONNECTION_IDLE:
      switch (peer_state (connection->socket))
        {
        case PEER_GONE:
          close_idle (connection);
          break;
        case PEER_QUIET:
          if (now - connection->since >= idle_timeout)
            close_idle (connection);
          break;
        case PEER_SENDING:
        default:
          break;
        }
      return;

    case CONNECTION_ANSWERING:
      return;

    case CONNECTION_READING:
      /* Refused by the early handler: the connection left libsoup. */
      if (connection->msg == NULL)
        return;
      if (soup_server_message_get_method (connection->msg) == NULL)
        {
          if (now - connection->since >= request_timeout)
            time_out_request (connection, "request headers timed out");
          return;
        }
      if (!bytes_received (connection->socket, &bytes))
        return;
      if (!connection->body_started)
        {
          connection->body_started = TRUE;
          connection->window_start = now;
          connection->window_bytes = bytes;
          return;
        }
      if (now - connection->window_start < request_timeout)
        return;
      if (bytes - connection->window_bytes <
          (guint64)CIN_SERVER_BODY_MIN_RATE * self->config.request_timeout_ms / 1000)
        {
          time_out_request (connection, "request body too slow");
          return;
        }
      connection->window_start = now;
      connection->window_bytes = bytes;
      return;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
on_tick_cb (gpointer user_data)
{
  CinServer *self = user_data;
  g_autoptr(GPtrArray) connections = g_ptr_array_sized_new (g_hash_table_size (self->connections));
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer connection;

  /* A copy: checking may forget a connection. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &connection))
    g_ptr_array_add (connections, connection);
  for (guint i = 0; i < connections->len; i++)
    check (g_ptr_array_index (connections, i), now);
  return G_SOURCE_CONTINUE;
}

void
_cin_server_timeouts_start (CinServer *self)
{
  guint shortest = MIN (self->config.request_timeout_ms, self->config.idle_timeout_ms);

  self->connections = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify)connection_free);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-read", G_CALLBACK (on_request_read_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_finished_cb), self);
  /* Checked four times in the shortest limit, at most once a second: a
   * limit is kept to within a quarter of itself. */
  self->timeouts_tick_id = g_timeout_add (CLAMP (shortest / 4, 10, 1000), on_tick_cb, self);
}

void
_cin_server_timeouts_stop (CinServer *self)
{
  g_clear_handle_id (&self->timeouts_tick_id, g_source_remove);
  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_pointer (&self->connections, g_hash_table_unref);
}
