/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-client"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cin-api-error-private.h"
#include "cin-api-watch-private.h"
#include "cin-tus-client-private.h"
#include "cin-tus-client.h"

#define TUS_VERSION         "1.0.0"
#define OFFSET_OCTET_STREAM "application/offset+octet-stream"

/* A PATCH answered 409 (offset mismatch) or 423 (another PATCH still
 * running: one of ours the server has not yet seen cut off, or from a run
 * that was killed) is retried after asking for the offset again, with
 * growing pauses, for longer than cinnabar-server takes to drop a
 * request whose body stopped coming (20 s). */
#define RETRY_FOR_US       (30 * G_USEC_PER_SEC)
#define RETRY_DELAY_MS     100
#define MAX_RETRY_DELAY_MS 1000

static gint64 retry_period_us = RETRY_FOR_US;

typedef struct {
  /* Owned */
  CinApiClient       *client;
  GFile              *file;
  char               *sha256;
  char               *mime;          /* (nullable) */
  char               *resume_url;    /* (nullable) */
  GFileInputStream   *stream;        /* (nullable) until opened */
  char               *upload_url;    /* (nullable) until created or found */
  SoupMessage        *msg;           /* (nullable) the request sent last */
  gulong              wrote_handler;  /* on @msg */
  CinApiWatch         watch;          /* @msg's: the caller's cancel, or a stall */
  CinApiFailure      *failure;       /* (nullable) set when the upload failed */
  gpointer            progress_data;
  GDestroyNotify      progress_destroy;

  CinTusProgressFunc  progress;
  gsize               chunk_size;
  guint64             length;
  guint64             offset;        /* the server's, as last heard */
  gsize               sent;          /* the body of the PATCH in flight */
  guint               offset_retries;
  gint64              retry_period;
  gint64              retry_until;   /* monotonic; 0 when not retrying */
  gboolean            resuming;      /* HEAD of @resume_url: 404/410 start anew */
} Upload;

typedef struct {
  GInputStream *stream;
  guint64       offset;
  gsize         length;
} ChunkRead;

static void read_next_chunk (GTask *task);
static void send_patch      (GTask *task, GBytes *chunk);
static void create_upload   (GTask *task);

static void
upload_free (Upload *upload)
{
  if (upload->progress_destroy != NULL)
    g_clear_pointer (&upload->progress_data, upload->progress_destroy);
  g_clear_object (&upload->client);
  g_clear_object (&upload->file);
  g_clear_object (&upload->stream);
  g_clear_pointer (&upload->sha256, g_free);
  g_clear_pointer (&upload->mime, g_free);
  g_clear_pointer (&upload->resume_url, g_free);
  g_clear_pointer (&upload->upload_url, g_free);
  g_clear_signal_handler (&upload->wrote_handler, upload->msg);
  g_clear_object (&upload->msg);
  _cin_api_watch_clear (&upload->watch);
  g_clear_pointer (&upload->failure, cin_api_failure_free);
  g_free (upload);
}

static void
chunk_read_free (ChunkRead *read)
{
  g_clear_object (&read->stream);
  g_free (read);
}

/* Failing */

static void
fail_with_transport (GTask        *task,
                     const GError *error)
{
  Upload *upload = g_task_get_task_data (task);

  upload->failure = cin_api_failure_new ();
  if (upload->watch.timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_new_error (task, CIN_API_ERROR, CIN_API_ERROR_TIMEOUT, "%s",
                             _("The server stopped answering while a photo was going up. "
                               "The upload goes on from where it was later."));
  else
    g_task_return_error (task, _cin_api_error_from_transport (error));
}

static void
fail_with_response (GTask       *task,
                    SoupMessage *msg,
                    GBytes      *body)
{
  Upload *upload = g_task_get_task_data (task);

  upload->failure = cin_api_failure_new ();
  g_task_return_error (task, _cin_api_error_from_response (msg, body, upload->failure));
}

/* The upload stayed locked by another request: one the server will drop
 * in time, so the engine should come back later, not give up. */
static void
fail_with_locked (GTask       *task,
                  SoupMessage *msg,
                  GBytes      *body)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The failure keeps the server's own reason. */
  upload->failure = cin_api_failure_new ();
  error = _cin_api_error_from_response (msg, body, upload->failure);
  if (upload->failure->retry_after < 0)
    upload->failure->retry_after = MAX (1, upload->retry_period / G_USEC_PER_SEC);
  g_task_return_error (task, g_error_new_literal (CIN_API_ERROR, CIN_API_ERROR_TOO_MANY_REQUESTS,
                                                  _("The server is still busy with an earlier attempt "
                                                    "to upload this file. Syncing will try again later.")));
}

static void
fail_with_invalid_response (GTask       *task,
                            SoupMessage *msg,
                            const char  *why)
{
  Upload *upload = g_task_get_task_data (task);

  upload->failure = cin_api_failure_new ();
  upload->failure->status = soup_message_get_status (msg);
  g_task_return_error (task, _cin_api_error_invalid_response (why));
}

static void
fail_with_local (GTask  *task,
                 GError *error)
{
  Upload *upload = g_task_get_task_data (task);
  g_autofree char *name = NULL;

  upload->failure = cin_api_failure_new ();
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  name = g_file_get_parse_name (upload->file);
  g_task_return_new_error (task, error->domain, error->code,
                           _("Could not read “%s” to upload it (%s). "
                             "Check that the file is still there and readable."),
                           name, error->message);
  g_error_free (error);
}

/* Talking tus */

static gboolean
parse_size (const char *text,
            guint64    *value)
{
  guint64 result = 0;
  gsize i;

  if (text == NULL)
    return FALSE;
  for (i = 0; text[i] != '\0'; i++)
    {
      if (!g_ascii_isdigit (text[i]) || i >= 19)
        return FALSE;
      result = result * 10 + (guint64)(text[i] - '0');
    }
  if (i == 0)
    return FALSE;
  *value = result;
  return TRUE;
}

static SoupMessage *
new_tus_message (Upload     *upload,
                 const char *method,
                 const char *uri)
{
  const char *token = cin_api_client_get_token (upload->client);
  SoupMessage *msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Tus-Resumable", TUS_VERSION);
  soup_message_headers_replace (headers, "Accept", "application/problem+json");
  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  return msg;
}

/* A request that sends nothing and hears nothing for the client's
 * timeout is given up: libsoup's own timeout does not fire on a
 * connection that stays open and silent. */
static void
on_wrote_body_data_cb (SoupMessage *msg,
                       guint        size,
                       Upload      *upload)
{
  _cin_api_watch_arm (&upload->watch, cin_api_client_get_timeout (upload->client));
}

static void
send_message (GTask               *task,
              SoupMessage         *msg,
              GAsyncReadyCallback  callback)
{
  Upload *upload = g_task_get_task_data (task);

  g_clear_signal_handler (&upload->wrote_handler, upload->msg);
  g_set_object (&upload->msg, msg);
  _cin_api_watch_clear (&upload->watch);
  _cin_api_watch_init (&upload->watch, g_task_get_cancellable (task));
  _cin_api_watch_arm (&upload->watch, cin_api_client_get_timeout (upload->client));
  upload->wrote_handler = g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data_cb),
                                            upload);
  soup_session_send_and_read_async (cin_api_client_get_session (upload->client), msg,
                                    G_PRIORITY_DEFAULT, upload->watch.cancellable, callback, task);
}

static void
report_progress (Upload *upload)
{
  g_assert (upload->upload_url != NULL);

  if (upload->progress != NULL)
    upload->progress (upload->upload_url, upload->offset, upload->length, upload->progress_data);
}

static void
finish_upload (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);

  g_debug ("Upload of %" G_GUINT64_FORMAT " bytes complete", upload->length);
  g_task_return_pointer (task, g_strdup (upload->upload_url), g_free);
}

/* Where the server is at, once known: the next chunk, or when the server
 * has every byte, an empty PATCH. That one asks the server whether the
 * file passed its checks: HEAD tells the offset, not the verdict, and a
 * refused file is gone. */
static void
go_on (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);

  if (upload->offset == upload->length)
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

      send_patch (task, empty);
      return;
    }
  read_next_chunk (task);
}

static void
on_head_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  SoupMessage *msg = upload->msg;
  SoupMessageHeaders *headers;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint64 offset, length;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      fail_with_transport (task, error);
      return;
    }

  status = soup_message_get_status (msg);
  if (upload->resuming && (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE))
    {
      g_debug ("The upload to resume is gone (HTTP %u); starting a new one", status);
      create_upload (g_steal_pointer (&task));
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      fail_with_response (task, msg, body);
      return;
    }

  headers = soup_message_get_response_headers (msg);
  if (!parse_size (soup_message_headers_get_one (headers, "Upload-Offset"), &offset) ||
      !parse_size (soup_message_headers_get_one (headers, "Upload-Length"), &length) ||
      offset > length)
    {
      fail_with_invalid_response (task, msg, "HEAD without a valid Upload-Offset and Upload-Length");
      return;
    }
  if (length != upload->length)
    {
      if (upload->resuming)
        {
          /* An upload of another version of the file. */
          g_debug ("The upload to resume is %" G_GUINT64_FORMAT " bytes long, the file %"
                   G_GUINT64_FORMAT "; starting a new one", length, upload->length);
          create_upload (g_steal_pointer (&task));
          return;
        }
      fail_with_invalid_response (task, msg, "the upload's length changed");
      return;
    }

  upload->offset = offset;
  if (upload->resuming)
    {
      upload->resuming = FALSE;
      g_debug ("Resuming an upload at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
               offset, length);
      report_progress (upload);
    }
  go_on (g_steal_pointer (&task));
}

static void
send_head (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = new_tus_message (upload, SOUP_METHOD_HEAD, upload->upload_url);

  g_assert (msg != NULL);
  send_message (task, msg, on_head_cb);
}

static gboolean
on_retry_wait_done_cb (GCancellable *cancellable,
                       gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);

  if (g_cancellable_is_cancelled (cancellable))
    {
      upload->failure = cin_api_failure_new ();
      g_task_return_error_if_cancelled (task);
      return G_SOURCE_REMOVE;
    }
  send_head (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/* Asks for the offset again after a pause, or at once on cancellation. */
static void
retry_after_head (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GSource) wait = g_cancellable_source_new (g_task_get_cancellable (task));
  guint delay_ms = MIN (RETRY_DELAY_MS * upload->offset_retries, MAX_RETRY_DELAY_MS);

  g_source_set_ready_time (wait, g_get_monotonic_time () + (gint64)delay_ms * 1000);
  g_source_set_callback (wait, G_SOURCE_FUNC (on_retry_wait_done_cb), task, g_object_unref);
  g_source_set_static_name (wait, "[cin-tus-client] retry");
  g_source_attach (wait, g_task_get_context (task));
}

static void
on_patched_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  SoupMessage *msg = upload->msg;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint64 offset;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      fail_with_transport (task, error);
      return;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_CONFLICT || status == SOUP_STATUS_LOCKED)
    {
      if (upload->retry_until == 0)
        upload->retry_until = g_get_monotonic_time () + upload->retry_period;
      if (g_get_monotonic_time () < upload->retry_until)
        {
          g_debug ("PATCH at %" G_GUINT64_FORMAT " answered %u; asking for the offset",
                   upload->offset, status);
          upload->offset_retries++;
          retry_after_head (g_steal_pointer (&task));
          return;
        }
      if (status == SOUP_STATUS_LOCKED)
        {
          fail_with_locked (task, msg, body);
          return;
        }
      fail_with_response (task, msg, body);
      return;
    }
  if (status != SOUP_STATUS_NO_CONTENT && status != SOUP_STATUS_OK)
    {
      fail_with_response (task, msg, body);
      return;
    }

  /* The server takes the whole body or refuses it. */
  if (!parse_size (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Upload-Offset"), &offset) ||
      offset != upload->offset + upload->sent)
    {
      fail_with_invalid_response (task, msg, "PATCH answered with an unexpected Upload-Offset");
      return;
    }

  upload->offset_retries = 0;
  upload->retry_until = 0;
  upload->offset = offset;
  if (upload->sent > 0)
    report_progress (upload);
  if (upload->offset == upload->length)
    {
      finish_upload (task);
      return;
    }
  read_next_chunk (g_steal_pointer (&task));
}

static void
send_patch (GTask  *task,
            GBytes *chunk)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = new_tus_message (upload, "PATCH", upload->upload_url);
  g_autofree char *offset = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->offset);
  SoupMessageHeaders *headers;

  g_assert (msg != NULL);
  /* Not with "Expect: 100-continue", which would spare the chunk of a
   * PATCH refused from its headers (423, 409): with libsoup 3.2.3 such
   * PATCHes answered 423 crashed inside libsoup (closing the request body
   * stream), as /tus-client/locked showed. */
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Upload-Offset", offset);
  soup_message_set_request_body_from_bytes (msg, OFFSET_OCTET_STREAM, chunk);
  upload->sent = g_bytes_get_size (chunk);
  send_message (task, msg, on_patched_cb);
}

/* Reading the file, off the main thread */

static void
read_chunk_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ChunkRead *read = task_data;
  g_autofree guint8 *buffer = g_malloc (read->length);
  GError *error = NULL;
  gsize done = 0;

  if (!g_seekable_seek (G_SEEKABLE (read->stream), (goffset)read->offset, G_SEEK_SET,
                        cancellable, &error) ||
      !g_input_stream_read_all (read->stream, buffer, read->length, &done, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (done < read->length)
    {
      g_task_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                      _("The file became shorter while it was being uploaded")));
      return;
    }
  g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&buffer), done),
                         (GDestroyNotify)g_bytes_unref);
}

static void
on_chunk_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_task_propagate_pointer (G_TASK (result), &error);
  if (chunk == NULL)
    {
      fail_with_local (task, error);
      return;
    }
  send_patch (task, chunk);
  g_steal_pointer (&task);
}

static void
read_next_chunk (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GTask) read_task = NULL;
  ChunkRead *read;

  g_assert (upload->offset < upload->length);

  read = g_new0 (ChunkRead, 1);
  read->stream = g_object_ref (G_INPUT_STREAM (upload->stream));
  read->offset = upload->offset;
  read->length = (gsize)MIN ((guint64)upload->chunk_size, upload->length - upload->offset);

  read_task = g_task_new (NULL, g_task_get_cancellable (task), on_chunk_read_cb, task);
  g_task_set_source_tag (read_task, read_next_chunk);
  g_task_set_task_data (read_task, read, (GDestroyNotify)chunk_read_free);
  g_task_run_in_thread (read_task, read_chunk_in_thread);
}

/* Creating */

static void
append_metadata (GString    *header,
                 const char *key,
                 const char *value)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *)value, strlen (value));

  if (header->len > 0)
    g_string_append_c (header, ',');
  g_string_append_printf (header, "%s %s", key, encoded);
}

static void
on_created_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  SoupMessage *msg = upload->msg;
  SoupMessageHeaders *headers;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) location = NULL;
  const char *location_header;
  const char *scheme;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      fail_with_transport (task, error);
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    {
      fail_with_response (task, msg, body);
      return;
    }

  headers = soup_message_get_response_headers (msg);
  location_header = soup_message_headers_get_one (headers, "Location");
  if (location_header != NULL)
    location = g_uri_parse_relative (soup_message_get_uri (msg), location_header,
                                     SOUP_HTTP_URI_FLAGS, NULL);
  scheme = location != NULL ? g_uri_get_scheme (location) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 &&
                         g_ascii_strcasecmp (scheme, "https") != 0))
    {
      fail_with_invalid_response (task, msg, "201 without a usable Location");
      return;
    }

  g_clear_pointer (&upload->upload_url, g_free);
  upload->upload_url = g_uri_to_string (location);
  upload->offset = 0;
  report_progress (upload);
  go_on (g_steal_pointer (&task));
}

static void
create_upload (GTask *task)
{
  Upload *upload = g_task_get_task_data (task);
  g_autofree char *uri = g_strconcat (cin_api_client_get_base_uri (upload->client), "/v1/uploads", NULL);
  g_autoptr(SoupMessage) msg = new_tus_message (upload, SOUP_METHOD_POST, uri);
  g_autoptr(GString) metadata = g_string_new (NULL);
  g_autofree char *length = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->length);
  g_autofree char *filename = g_file_get_basename (upload->file);
  g_autofree char *display_name = g_filename_display_name (filename);
  SoupMessageHeaders *headers;

  upload->resuming = FALSE;
  if (msg == NULL)
    {
      upload->failure = cin_api_failure_new ();
      g_task_return_error (task, _cin_api_error_invalid_response ("the base URI is not a URI"));
      g_object_unref (task);
      return;
    }

  append_metadata (metadata, "filename", display_name);
  if (upload->mime != NULL)
    append_metadata (metadata, "filetype", upload->mime);
  append_metadata (metadata, "sha256", upload->sha256);

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Upload-Length", length);
  soup_message_headers_replace (headers, "Upload-Metadata", metadata->str);
  send_message (task, msg, on_created_cb);
}

/* Starting */

/* A stored URL only gets the token when it points at the client's own
 * server. */
static gboolean
is_on_server (const char *url,
              const char *base_uri)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) base = g_uri_parse (base_uri, SOUP_HTTP_URI_FLAGS, NULL);

  return uri != NULL && base != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (base)) == 0 &&
         g_uri_get_host (uri) != NULL && g_uri_get_host (base) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (base)) == 0 &&
         g_uri_get_port (uri) == g_uri_get_port (base);
}

static void
on_file_measured_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  GError *error = NULL;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (source), result, &error);
  if (info == NULL)
    {
      fail_with_local (task, error);
      return;
    }
  upload->length = (guint64)g_file_info_get_size (info);

  if (upload->resume_url != NULL &&
      is_on_server (upload->resume_url, cin_api_client_get_base_uri (upload->client)))
    {
      upload->upload_url = g_strdup (upload->resume_url);
      upload->resuming = TRUE;
      send_head (g_steal_pointer (&task));
      return;
    }
  create_upload (g_steal_pointer (&task));
}

static void
on_file_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  GError *error = NULL;

  upload->stream = g_file_read_finish (G_FILE (source), result, &error);
  if (upload->stream == NULL)
    {
      fail_with_local (task, error);
      return;
    }
  g_file_input_stream_query_info_async (upload->stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                        on_file_measured_cb, task);
  g_steal_pointer (&task);
}

void
cin_tus_client_upload_async (CinApiClient        *client,
                             const char          *path,
                             const char          *sha256,
                             const char          *mime,
                             const char          *resume_url,
                             gsize                chunk_size,
                             CinTusProgressFunc   progress,
                             gpointer             progress_data,
                             GDestroyNotify       progress_destroy,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Upload *upload;

  g_return_if_fail (CIN_IS_API_CLIENT (client));
  g_return_if_fail (path != NULL);
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  upload = g_new0 (Upload, 1);
  upload->client = g_object_ref (client);
  upload->file = g_file_new_for_path (path);
  upload->sha256 = g_strdup (sha256);
  upload->mime = g_strdup (mime);
  upload->resume_url = g_strdup (resume_url);
  upload->chunk_size = chunk_size > 0 ? chunk_size : CIN_TUS_CLIENT_DEFAULT_CHUNK_SIZE;
  upload->progress = progress;
  upload->progress_data = progress_data;
  upload->progress_destroy = progress_destroy;
  upload->retry_period = retry_period_us;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_tus_client_upload_async);
  g_task_set_task_data (task, upload, (GDestroyNotify)upload_free);

  g_file_read_async (upload->file, G_PRIORITY_DEFAULT, cancellable,
                     on_file_opened_cb, g_steal_pointer (&task));
}

char *
cin_tus_client_upload_finish (GAsyncResult   *result,
                              CinApiFailure **failure,
                              GError        **error)
{
  Upload *upload;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_tus_client_upload_async, NULL);

  upload = g_task_get_task_data (G_TASK (result));
  if (failure != NULL)
    *failure = g_steal_pointer (&upload->failure);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_cin_tus_client_set_retry_period (gint64 usec)
{
  retry_period_us = usec > 0 ? usec : RETRY_FOR_US;
}
