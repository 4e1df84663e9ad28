/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-early"

#include <string.h>

#include "cin-server-private.h"

/* The early handler runs once a request's headers are in, before any of
 * its body is read. It counts the request as in flight (for draining) and
 * refuses a body over the limit, or one without a length, from the
 * headers alone.
 *
 * libsoup 3.2 reads a body even once its status is set (only a client's
 * "Expect: 100-continue" stops that), so a refused request stops keeping
 * its body at once, and, from the next main-loop turn, its connection is
 * taken from libsoup, the answer written directly and the connection
 * closed: a client sending gigabytes gets its 413 at once and the server
 * reads no further. */

#define UPLOADS_PREFIX "/v1/uploads/"

typedef struct {
  CinServer         *server;
  SoupServerMessage *msg;
  GBytes            *response;   /* the whole HTTP response, headers too */
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_object_unref (refusal->msg);
  g_bytes_unref (refusal->response);
  g_free (refusal);
}

static void
on_message_got_body_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "cin-body-read", GINT_TO_POINTER (TRUE));
}

static void
on_message_finished_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "cin-finished", GINT_TO_POINTER (TRUE));
  _cin_server_request_done (user_data);
}

void
_cin_server_forget_in_flight (CinServer         *self,
                              SoupServerMessage *msg)
{
  if (g_signal_handlers_disconnect_by_func (msg, on_message_finished_cb, self) > 0)
    _cin_server_request_done (self);
}

static void
on_refusal_written_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
on_refuse_now_cb (gpointer user_data)
{
  Refusal *refusal = user_data;
  GObject *msg = G_OBJECT (refusal->msg);
  GIOStream *stream;
  gconstpointer data;
  gsize size;

  /* Once the body is in, libsoup answers by itself; taking the connection
   * then could cut its answer in half. */
  if (g_object_get_data (msg, "cin-body-read") || g_object_get_data (msg, "cin-finished"))
    return G_SOURCE_REMOVE;

  /* A stolen message never finishes, so it leaves the in-flight count
   * here. */
  g_signal_handlers_disconnect_by_func (msg, on_message_finished_cb, refusal->server);
  stream = soup_server_message_steal_connection (refusal->msg);
  _cin_server_request_done (refusal->server);
  if (stream == NULL)
    return G_SOURCE_REMOVE;

  data = g_bytes_get_data (refusal->response, &size);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), data, size,
                                   G_PRIORITY_DEFAULT, NULL, on_refusal_written_cb, stream);
  return G_SOURCE_REMOVE;
}

static GBytes *
format_raw_response (CinRequest *request)
{
  GString *raw = g_string_new (NULL);
  gsize size = 0;
  gconstpointer body = request->response_body ? g_bytes_get_data (request->response_body, &size) : NULL;

  g_string_append_printf (raw, "HTTP/1.1 %u %s\r\n", request->status,
                          soup_status_get_phrase (request->status));
  g_string_append_printf (raw, "Content-Type: %s\r\n", request->content_type);
  g_string_append_printf (raw, "Content-Length: %" G_GSIZE_FORMAT "\r\n", size);
  g_string_append (raw, "Connection: close\r\n\r\n");
  g_string_append_len (raw, body, size);
  return g_string_free_to_bytes (raw);
}

static void
refuse (CinRequest *request)
{
  Refusal *refusal;

  g_signal_connect (request->msg, "got-body", G_CALLBACK (on_message_got_body_cb), NULL);
  soup_message_headers_replace (request->headers, "Connection", "close");
  _cin_request_apply_response (request);
  _cin_request_log (request, g_get_monotonic_time ());
  soup_message_body_set_accumulate (soup_server_message_get_request_body (request->msg), FALSE);

  refusal = g_new0 (Refusal, 1);
  refusal->server = request->server;
  refusal->msg = g_object_ref (request->msg);
  refusal->response = format_raw_response (request);
  g_idle_add_full (G_PRIORITY_HIGH, on_refuse_now_cb, refusal, (GDestroyNotify)refusal_free);
}

void
_cin_server_on_request_headers (SoupServer        *soup,
                                SoupServerMessage *msg,
                                const char        *path,
                                GHashTable        *query,
                                gpointer           user_data)
{
  CinServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  gboolean unmeasured, too_large;
  CinRequest request;

  self->in_flight++;
  g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished_cb), self);

  unmeasured = encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF;
  too_large = encoding == SOUP_ENCODING_CONTENT_LENGTH &&
              (guint64)soup_message_headers_get_content_length (headers) > self->config.max_body_bytes;
  /* tus uploads stream their bodies and set their own limits. Most
   * requests pass, and a CinRequest is only made for a refusal. */
  if (!self->draining && (g_str_has_prefix (path, UPLOADS_PREFIX) || (!unmeasured && !too_large)))
    return;

  _cin_request_init (&request, self, msg, path, query);
  /* Requests whose headers came before the drain began are answered;
   * later ones are turned away. */
  if (self->draining)
    {
      soup_message_headers_replace (request.headers, "Retry-After", "1");
      cin_request_problem (&request, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting-down", NULL,
                           "The server is shutting down. Try again shortly.");
    }
  else if (unmeasured)
    cin_request_problem (&request, SOUP_STATUS_LENGTH_REQUIRED, "length-required",
                         "Content-Length",
                         "Send a Content-Length with the body; chunked bodies are not taken.");
  else
    cin_request_problem (&request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                         "Content-Length",
                         "The body is larger than %" G_GSIZE_FORMAT " bytes.",
                         self->config.max_body_bytes);

  refuse (&request);
  _cin_request_clear (&request);
}
