/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test-proxy"

#include <string.h>
#include <sys/socket.h>

#include <libsoup/soup.h>

#include "sync-test-proxy.h"

/* Bigger heads are refused: no request the client makes comes close. */
#define MAX_HEAD_SIZE (64 * 1024)
/* A safety net, so a test that went wrong fails instead of hanging. */
#define IO_TIMEOUT_SECONDS 30

typedef struct {
  SyncTestFault  fault;
  char          *method;       /* (owned) (nullable) */
  char          *path_prefix;  /* (owned) (nullable) */
  guint          times;
  guint          status;
  guint          retry_after;
} ArmedFault;

typedef struct {
  SyncTestProxy *proxy;        /* (unowned) outlives the connection */
  GSocket       *client;       /* (owned) */
  GThread       *thread;       /* (owned) joined by the accept thread or free */
  gint           finished;     /* atomic */
} Connection;

struct _SyncTestProxy
{
  /* Set in new, read-only after */
  char          *upstream_host;
  guint          upstream_port;
  char          *base_url;
  GSocket       *listener;      /* (owned) */
  GCancellable  *cancellable;   /* (owned) cancelled by free, ends all I/O */
  GThread       *accept_thread; /* (owned) */

  /* Accept thread only, then free once that thread is joined */
  GPtrArray     *connections;   /* (element-type Connection) */

  /* Under lock */
  GMutex         lock;
  GPtrArray     *armed;         /* (element-type ArmedFault) */
  GPtrArray     *log;           /* (element-type SyncTestProxyEntry) rc-boxed */
};

typedef struct {
  char       *method;
  char       *target;
  GPtrArray  *headers;          /* "Name: value" lines, in order */
  GByteArray *body;
} Request;

static void
armed_fault_free (ArmedFault *armed)
{
  g_free (armed->method);
  g_free (armed->path_prefix);
  g_free (armed);
}

static void
entry_clear (SyncTestProxyEntry *entry)
{
  g_free (entry->method);
  g_free (entry->path);
}

static void
entry_release (gpointer entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify)entry_clear);
}

void
sync_test_proxy_entry_free (SyncTestProxyEntry *entry)
{
  entry_clear (entry);
  g_free (entry);
}

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->target);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static gboolean
matches (const char *method,
         const char *path_prefix,
         const char *request_method,
         const char *request_target)
{
  return (method == NULL || g_ascii_strcasecmp (method, request_method) == 0) &&
         (path_prefix == NULL || g_str_has_prefix (request_target, path_prefix));
}

static const guint8 *
find_head_end (const guint8 *data,
               gsize         length)
{
  for (gsize i = 0; i + 4 <= length; i++)
    if (memcmp (data + i, "\r\n\r\n", 4) == 0)
      return data + i;
  return NULL;
}

static gboolean
send_all (SyncTestProxy *self,
          GSocket       *socket,
          const void    *data,
          gsize          length)
{
  const char *p = data;

  while (length > 0)
    {
      gssize sent = g_socket_send (socket, p, length, self->cancellable, NULL);

      if (sent <= 0)
        return FALSE;
      p += sent;
      length -= (gsize)sent;
    }
  return TRUE;
}

/* A header that is about this one hop, which a proxy must not pass on. */
static gboolean
is_hop_header (const char *line)
{
  static const char * const hop[] = { "connection:", "keep-alive:", "proxy-connection:", "expect:" };

  for (guint i = 0; i < G_N_ELEMENTS (hop); i++)
    if (g_ascii_strncasecmp (line, hop[i], strlen (hop[i])) == 0)
      return TRUE;
  return FALSE;
}

static const char *
header_value (GPtrArray  *headers,
              const char *name)
{
  gsize length = strlen (name);

  for (guint i = 0; i < headers->len; i++)
    {
      const char *line = g_ptr_array_index (headers, i);

      if (g_ascii_strncasecmp (line, name, length) == 0 && line[length] == ':')
        {
          line += length + 1;
          while (*line == ' ' || *line == '\t')
            line++;
          return line;
        }
    }
  return NULL;
}

/* Reads one request; NULL when the client closed or sent something this
 * proxy does not take (a chunked body, a head too big). */
static Request *
read_request (SyncTestProxy *self,
              GSocket       *socket)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) request_line = NULL;
  const guint8 *head_end = NULL;
  const char *value;
  guint64 content_length = 0;
  gsize head_length;
  guint8 chunk[16 * 1024];

  while ((head_end = find_head_end (buffer->data, buffer->len)) == NULL)
    {
      gssize got;

      if (buffer->len > MAX_HEAD_SIZE)
        return NULL;
      got = g_socket_receive (socket, (char *)chunk, sizeof chunk, self->cancellable, NULL);
      if (got <= 0)
        return NULL;
      g_byte_array_append (buffer, chunk, (guint)got);
    }

  head_length = (gsize)(head_end - buffer->data);
  {
    g_autofree char *head = g_strndup ((const char *)buffer->data, head_length);

    lines = g_strsplit (head, "\r\n", -1);
  }
  request_line = g_strsplit (lines[0], " ", 3);
  if (g_strv_length (request_line) != 3 || !g_str_has_prefix (request_line[2], "HTTP/1."))
    return NULL;
  request->method = g_strdup (request_line[0]);
  request->target = g_strdup (request_line[1]);
  request->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; lines[i] != NULL; i++)
    g_ptr_array_add (request->headers, g_strdup (lines[i]));

  value = header_value (request->headers, "Transfer-Encoding");
  if (value != NULL && g_ascii_strcasecmp (value, "identity") != 0)
    return NULL;
  value = header_value (request->headers, "Content-Length");
  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &content_length, NULL))
    return NULL;

  /* The proxy is the hop the client waits on, so it says go ahead; the
   * upstream never sees the Expect header. */
  value = header_value (request->headers, "Expect");
  if (value != NULL && g_ascii_strcasecmp (value, "100-continue") == 0)
    {
      static const char go_ahead[] = "HTTP/1.1 100 Continue\r\n\r\n";

      if (!send_all (self, socket, go_ahead, strlen (go_ahead)))
        return NULL;
    }

  request->body = g_byte_array_new ();
  g_byte_array_append (request->body, buffer->data + head_length + 4,
                       buffer->len - (guint)head_length - 4);
  while (request->body->len < content_length)
    {
      gssize got = g_socket_receive (socket, (char *)chunk,
                                     MIN (sizeof chunk, content_length - request->body->len),
                                     self->cancellable, NULL);

      if (got <= 0)
        return NULL;
      g_byte_array_append (request->body, chunk, (guint)got);
    }
  /* Anything past the body would be a pipelined request: not for us. */
  g_byte_array_set_size (request->body, (guint)content_length);

  return g_steal_pointer (&request);
}

/* Logs @request and takes the first armed fault it matches. */
static SyncTestProxyEntry *
log_request (SyncTestProxy *self,
             Request       *request,
             ArmedFault    *fault_out)
{
  SyncTestProxyEntry *entry = g_rc_box_new0 (SyncTestProxyEntry);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  entry->method = g_strdup (request->method);
  entry->path = g_strdup (request->target);
  entry->fault = SYNC_TEST_FAULT_NONE;

  for (guint i = 0; i < self->armed->len; i++)
    {
      ArmedFault *armed = g_ptr_array_index (self->armed, i);

      if (!matches (armed->method, armed->path_prefix, request->method, request->target))
        continue;
      entry->fault = armed->fault;
      fault_out->status = armed->status;
      fault_out->retry_after = armed->retry_after;
      if (--armed->times == 0)
        g_ptr_array_remove_index (self->armed, i);
      break;
    }
  fault_out->fault = entry->fault;

  g_ptr_array_add (self->log, g_rc_box_acquire (entry));
  return entry;
}

static void
set_status (SyncTestProxy      *self,
            SyncTestProxyEntry *entry,
            guint               status)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  entry->status = status;
}

/* Sends @response (head and body) to the client, only the first half of
 * the body when @cut, and logs how much of the body went. */
static void
relay_response (SyncTestProxy      *self,
                GSocket            *socket,
                SyncTestProxyEntry *entry,
                GByteArray         *response,
                gboolean            cut)
{
  gsize head = (gsize)(find_head_end (response->data, response->len) - response->data) + 4;
  gsize body = response->len - head;
  gsize sent = cut ? body / 2 : body;

  if (!send_all (self, socket, response->data, head + sent))
    return;
  g_mutex_lock (&self->lock);
  entry->body_bytes = sent;
  g_mutex_unlock (&self->lock);
}

static GByteArray *
build_request (Request *request)
{
  g_autoptr(GString) head = g_string_new (NULL);
  GByteArray *bytes;

  g_string_append_printf (head, "%s %s HTTP/1.1\r\n", request->method, request->target);
  for (guint i = 0; i < request->headers->len; i++)
    {
      const char *line = g_ptr_array_index (request->headers, i);

      if (!is_hop_header (line))
        g_string_append_printf (head, "%s\r\n", line);
    }
  g_string_append (head, "Connection: close\r\n\r\n");

  bytes = g_byte_array_sized_new ((guint)head->len + request->body->len);
  g_byte_array_append (bytes, (const guint8 *)head->str, (guint)head->len);
  g_byte_array_append (bytes, request->body->data, request->body->len);
  return bytes;
}

/* Sends @request upstream and reads its response to the end; NULL when
 * the upstream could not be reached or closed before a whole head. */
static GByteArray *
exchange_upstream (SyncTestProxy *self,
                   Request       *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) outgoing = build_request (request);
  g_autoptr(GByteArray) response = g_byte_array_new ();
  GSocket *socket;
  guint8 chunk[16 * 1024];

  g_socket_client_set_timeout (client, IO_TIMEOUT_SECONDS);
  connection = g_socket_client_connect_to_host (client, self->upstream_host,
                                                (guint16)self->upstream_port,
                                                self->cancellable, NULL);
  if (connection == NULL)
    return NULL;
  socket = g_socket_connection_get_socket (connection);
  if (!send_all (self, socket, outgoing->data, outgoing->len))
    return NULL;

  for (;;)
    {
      gssize got = g_socket_receive (socket, (char *)chunk, sizeof chunk, self->cancellable, NULL);

      if (got <= 0)
        break;
      g_byte_array_append (response, chunk, (guint)got);
    }

  if (find_head_end (response->data, response->len) == NULL)
    return NULL;
  return g_steal_pointer (&response);
}

/* The upstream's response with "Connection: close" in place of its own
 * hop headers; its status in @status. */
static GByteArray *
rewrite_response (GByteArray *response,
                  guint      *status)
{
  const guint8 *head_end = find_head_end (response->data, response->len);
  gsize head_length = (gsize)(head_end - response->data);
  g_autofree char *head = g_strndup ((const char *)response->data, head_length);
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);
  g_autoptr(GString) rewritten = g_string_new (NULL);
  GByteArray *bytes;

  *status = 0;
  if (g_str_has_prefix (lines[0], "HTTP/1.") && strlen (lines[0]) >= 12)
    *status = (guint)g_ascii_strtoull (lines[0] + 9, NULL, 10);

  g_string_append_printf (rewritten, "%s\r\n", lines[0]);
  for (guint i = 1; lines[i] != NULL; i++)
    if (!is_hop_header (lines[i]))
      g_string_append_printf (rewritten, "%s\r\n", lines[i]);
  g_string_append (rewritten, "Connection: close\r\n\r\n");

  bytes = g_byte_array_sized_new ((guint)rewritten->len + response->len - (guint)head_length);
  g_byte_array_append (bytes, (const guint8 *)rewritten->str, (guint)rewritten->len);
  g_byte_array_append (bytes, head_end + 4, response->len - (guint)head_length - 4);
  return bytes;
}

static void
send_canned (SyncTestProxy *self,
             GSocket       *socket,
             guint          status,
             const char    *content_type,
             const char    *extra_headers,
             const char    *body)
{
  g_autofree char *response = NULL;

  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: %s\r\n"
                              "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                              "%s"
                              "Connection: close\r\n"
                              "\r\n"
                              "%s",
                              status, soup_status_get_phrase (status),
                              content_type, strlen (body), extra_headers, body);
  send_all (self, socket, response, strlen (response));
}

static void
send_status_fault (SyncTestProxy *self,
                   GSocket       *socket,
                   ArmedFault    *fault)
{
  g_autofree char *retry_after = NULL;
  g_autofree char *body = NULL;

  if (fault->retry_after > 0)
    retry_after = g_strdup_printf ("Retry-After: %u\r\n", fault->retry_after);
  body = g_strdup_printf ("{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%u,"
                          "\"detail\":\"Answered by the sync test proxy.\"}",
                          soup_status_get_phrase (fault->status), fault->status);
  send_canned (self, socket, fault->status, "application/problem+json",
               retry_after != NULL ? retry_after : "", body);
}

/* Holds the connection until the client closes it or the proxy is freed;
 * whatever more the client sends is dropped. */
static void
stall (SyncTestProxy *self,
       GSocket       *socket)
{
  char chunk[4096];

  g_socket_set_timeout (socket, 0);
  while (g_socket_condition_wait (socket, G_IO_IN, self->cancellable, NULL))
    if (g_socket_receive (socket, chunk, sizeof chunk, self->cancellable, NULL) <= 0)
      break;
}

static void
reset (GSocket *socket)
{
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  /* A zero linger makes close() send RST instead of FIN. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
}

static gpointer
connection_thread (gpointer data)
{
  Connection *connection = data;
  SyncTestProxy *self = connection->proxy;
  GSocket *socket = connection->client;
  g_autoptr(Request) request = NULL;
  g_autoptr(GByteArray) response = NULL;
  g_autoptr(GByteArray) rewritten = NULL;
  SyncTestProxyEntry *entry;
  ArmedFault fault = { 0 };
  guint status = 0;

  request = read_request (self, socket);
  if (request == NULL)
    goto out;
  entry = log_request (self, request, &fault);

  switch (fault.fault)
    {
    case SYNC_TEST_FAULT_NONE:
    case SYNC_TEST_FAULT_LOSE_RESPONSE:
    case SYNC_TEST_FAULT_CUT_BODY:
      response = exchange_upstream (self, request);
      if (response == NULL)
        break;
      rewritten = rewrite_response (response, &status);
      set_status (self, entry, status);
      if (fault.fault != SYNC_TEST_FAULT_LOSE_RESPONSE)
        relay_response (self, socket, entry, rewritten, fault.fault == SYNC_TEST_FAULT_CUT_BODY);
      break;

    case SYNC_TEST_FAULT_STATUS:
      set_status (self, entry, fault.status);
      send_status_fault (self, socket, &fault);
      break;

    case SYNC_TEST_FAULT_GARBAGE_JSON:
      set_status (self, entry, 200);
      send_canned (self, socket, 200, "application/json", "",
                   "{\"notes\":[{\"id\":\"a1b2\",\"title\":<<<garbage>>>");
      break;

    case SYNC_TEST_FAULT_HTML:
      set_status (self, entry, 200);
      send_canned (self, socket, 200, "text/html; charset=utf-8", "",
                   "<!DOCTYPE html>\n<html><head><title>Sign in to Wi-Fi</title></head>\n"
                   "<body><h1>Welcome to Airport Free Wi-Fi</h1>\n"
                   "<p>Please accept the terms to continue.</p></body></html>\n");
      break;

    case SYNC_TEST_FAULT_STALL:
      stall (self, socket);
      break;

    case SYNC_TEST_FAULT_RESET:
      reset (socket);
      break;

    default:
      g_assert_not_reached ();
    }

  entry_release (entry);

out:
  g_socket_close (socket, NULL);
  g_atomic_int_set (&connection->finished, TRUE);
  return NULL;
}

static void
connection_join (Connection *connection)
{
  g_thread_join (connection->thread);
  g_object_unref (connection->client);
  g_free (connection);
}

static void
reap_finished (SyncTestProxy *self)
{
  for (guint i = self->connections->len; i > 0; i--)
    {
      Connection *connection = g_ptr_array_index (self->connections, i - 1);

      if (g_atomic_int_get (&connection->finished))
        {
          g_ptr_array_remove_index_fast (self->connections, i - 1);
          connection_join (connection);
        }
    }
}

static gpointer
accept_thread (gpointer data)
{
  SyncTestProxy *self = data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      GSocket *client = g_socket_accept (self->listener, self->cancellable, &error);
      Connection *connection;

      if (client == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          g_warning ("The sync test proxy could not accept: %s", error->message);
          continue;
        }

      reap_finished (self);
      g_socket_set_blocking (client, TRUE);
      g_socket_set_timeout (client, IO_TIMEOUT_SECONDS);
      connection = g_new0 (Connection, 1);
      connection->proxy = self;
      connection->client = client;
      g_ptr_array_add (self->connections, connection);
      connection->thread = g_thread_new ("sync-test-proxy-conn", connection_thread, connection);
    }
  return NULL;
}

SyncTestProxy *
sync_test_proxy_new (const char *upstream_base_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  SyncTestProxy *self;

  g_return_val_if_fail (upstream_base_url != NULL, NULL);

  uri = g_uri_parse (upstream_base_url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  self = g_new0 (SyncTestProxy, 1);
  g_mutex_init (&self->lock);
  self->upstream_host = g_strdup (g_uri_get_host (uri));
  self->upstream_port = (guint)g_uri_get_port (uri);
  self->armed = g_ptr_array_new_with_free_func ((GDestroyNotify)armed_fault_free);
  self->log = g_ptr_array_new_with_free_func (entry_release);
  self->connections = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (self->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (self->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->listener, &error);
  g_assert_no_error (error);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  self->accept_thread = g_thread_new ("sync-test-proxy", accept_thread, self);
  return self;
}

void
sync_test_proxy_free (SyncTestProxy *self)
{
  g_return_if_fail (self != NULL);

  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->accept_thread);
  g_socket_close (self->listener, NULL);
  for (guint i = 0; i < self->connections->len; i++)
    connection_join (g_ptr_array_index (self->connections, i));

  g_ptr_array_unref (self->connections);
  g_ptr_array_unref (self->armed);
  g_ptr_array_unref (self->log);
  g_object_unref (self->listener);
  g_object_unref (self->cancellable);
  g_mutex_clear (&self->lock);
  g_free (self->upstream_host);
  g_free (self->base_url);
  g_free (self);
}

const char *
sync_test_proxy_get_base_url (SyncTestProxy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base_url;
}

void
sync_test_proxy_arm (SyncTestProxy *self,
                     SyncTestFault  fault,
                     const char    *method,
                     const char    *path_prefix,
                     guint          times,
                     guint          status,
                     guint          retry_after)
{
  g_autoptr(GMutexLocker) locker = NULL;
  ArmedFault *armed;

  g_return_if_fail (self != NULL);
  g_return_if_fail (fault != SYNC_TEST_FAULT_NONE);
  g_return_if_fail (fault != SYNC_TEST_FAULT_STATUS || (status >= 100 && status <= 599));

  if (times == 0)
    return;

  armed = g_new0 (ArmedFault, 1);
  armed->fault = fault;
  armed->method = g_strdup (method);
  armed->path_prefix = g_strdup (path_prefix);
  armed->times = times;
  armed->status = status;
  armed->retry_after = retry_after;

  locker = g_mutex_locker_new (&self->lock);
  g_ptr_array_add (self->armed, armed);
}

guint
sync_test_proxy_get_armed (SyncTestProxy *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint left = 0;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->armed->len; i++)
    left += ((ArmedFault *)g_ptr_array_index (self->armed, i))->times;
  return left;
}

guint
sync_test_proxy_count (SyncTestProxy *self,
                       const char    *method,
                       const char    *path_prefix)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint count = 0;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->log->len; i++)
    {
      SyncTestProxyEntry *entry = g_ptr_array_index (self->log, i);

      if (matches (method, path_prefix, entry->method, entry->path))
        count++;
    }
  return count;
}

GPtrArray *
sync_test_proxy_dup_log (SyncTestProxy *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GPtrArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  copy = g_ptr_array_new_full (self->log->len, (GDestroyNotify)sync_test_proxy_entry_free);
  for (guint i = 0; i < self->log->len; i++)
    {
      SyncTestProxyEntry *entry = g_ptr_array_index (self->log, i);
      SyncTestProxyEntry *dup = g_new0 (SyncTestProxyEntry, 1);

      dup->method = g_strdup (entry->method);
      dup->path = g_strdup (entry->path);
      dup->fault = entry->fault;
      dup->status = entry->status;
      dup->body_bytes = entry->body_bytes;
      g_ptr_array_add (copy, dup);
    }
  return copy;
}

void
sync_test_proxy_clear_log (SyncTestProxy *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->lock);
  g_ptr_array_set_size (self->log, 0);
}
