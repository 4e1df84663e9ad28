/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo-download"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cin-api-client-private.h"
#include "cin-api-watch-private.h"
#include "cin-photo-download.h"

/* The answer is read from the network on the main context, READ_SIZE at
 * a time, and each piece written by GIO's worker threads before the next
 * is read: one piece of memory, and the main thread never touches the
 * disk. */
#define READ_SIZE (64 * 1024)

typedef struct {
  /* Owned */
  CinApiClient  *client;
  char          *sha256;
  GFile         *file;
  GFile         *part;
  SoupMessage   *msg;          /* (nullable) the request under way */
  GInputStream  *body;         /* (nullable) its answer */
  GOutputStream *out;          /* (nullable) the .part, open for appending */
  CinApiFailure *failure;      /* (nullable) why it failed */
  CinApiWatch    watch;        /* the caller's cancel, or a stall */

  guint64        max_bytes;
  guint64        have;         /* bytes in the .part when the request went out */
  guint64        received;     /* bytes in the .part now */
  guint64        expected;     /* the whole file's length, 0 when not told */
  gboolean       started_over; /* a 416: the .part was dropped once */
} Download;

static void send_request (GTask *task);

static void
download_free (Download *download)
{
  _cin_api_watch_clear (&download->watch);
  g_clear_object (&download->client);
  g_clear_pointer (&download->sha256, g_free);
  g_clear_object (&download->file);
  g_clear_object (&download->part);
  g_clear_object (&download->msg);
  g_clear_object (&download->body);
  g_clear_object (&download->out);
  g_clear_pointer (&download->failure, cin_api_failure_free);
  g_free (download);
}

/* Failing */

/* @error from libsoup, or with @local from writing the file: a stall is
 * a timeout, the caller's cancel stays a cancel. The .part is kept: the
 * next run goes on from it. */
static void
fail_with (GTask        *task,
           const GError *error,
           gboolean      local)
{
  Download *download = g_task_get_task_data (task);

  g_debug ("Download of %s stopped at %" G_GUINT64_FORMAT " bytes: %s",
           download->sha256, download->received, error->message);
  _cin_api_watch_arm (&download->watch, 0);
  download->failure = cin_api_failure_new ();
  if (download->watch.timed_out)
    g_task_return_new_error (task, CIN_API_ERROR, CIN_API_ERROR_TIMEOUT, "%s",
                             _("The server stopped sending a photo. It will be fetched again later."));
  else if (local || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_error (task, _cin_api_error_from_transport (error));
}

/* An answer that breaks the contract: what came is dropped, so the next
 * run starts from nothing rather than from bad bytes. */
static void
fail_with_invalid (GTask      *task,
                   const char *why)
{
  Download *download = g_task_get_task_data (task);

  g_debug ("Download of %s: %s", download->sha256, why);
  _cin_api_watch_arm (&download->watch, 0);
  if (download->out != NULL)
    g_output_stream_close_async (download->out, G_PRIORITY_LOW, NULL, NULL, NULL);
  g_file_delete_async (download->part, G_PRIORITY_LOW, NULL, NULL, NULL);
  download->failure = cin_api_failure_new ();
  if (download->msg != NULL)
    download->failure->status = soup_message_get_status (download->msg);
  g_task_return_error (task, _cin_api_error_invalid_response (why));
}

/* Receiving */

/* Restarted whenever bytes arrive: libsoup's own timeout does not fire
 * while a connection stays open and silent. */
static void
watch_for_stall (Download *download)
{
  _cin_api_watch_arm (&download->watch, cin_api_client_get_timeout (download->client));
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Download *download = task_data;
  g_autofree char *part_path = g_file_get_path (download->part);
  g_autofree char *path = g_file_get_path (download->file);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  int fd, saved_errno;
  gssize n;

  fd = g_open (part_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    goto failed;
  while ((n = read (fd, buffer, 1024 * 1024)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        goto failed;
      g_checksum_update (checksum, buffer, (gsize) n);
    }

  if (!g_str_equal (g_checksum_get_string (checksum), download->sha256))
    {
      g_close (fd, NULL);
      g_unlink (part_path);
      g_task_return_new_error (task, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE, "%s",
                               _("The photo the server sent is damaged. It will be fetched again later."));
      return;
    }

  /* The data is on disk before the name says the file is whole. */
  if (fsync (fd) != 0 || !g_close (fd, NULL))
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (g_rename (part_path, path) != 0)
    goto failed;
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd >= 0)
    {
      fsync (fd);
      g_close (fd, NULL);
    }
  g_task_return_boolean (task, TRUE);
  return;

failed:
  saved_errno = errno;
  if (fd >= 0)
    g_close (fd, NULL);
  g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           _("Could not save a photo from the server in “%s”: %s"),
                           dir, g_strerror (saved_errno));
}

static void
on_verified_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      download->failure = cin_api_failure_new ();
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("Fetched %s (%" G_GUINT64_FORMAT " bytes, %" G_GUINT64_FORMAT " resumed)",
           download->sha256, download->received, download->have);
  g_task_return_boolean (task, TRUE);
}

static void
on_part_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GTask) verify = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      fail_with (task, error, TRUE);
      return;
    }
  g_clear_object (&download->out);

  verify = g_task_new (NULL, download->watch.cancellable, on_verified_cb, g_steal_pointer (&task));
  g_task_set_source_tag (verify, verify_in_thread);
  g_task_set_task_data (verify, download, NULL);
  g_task_run_in_thread (verify, verify_in_thread);
}

static void read_next (GTask *task);

static void
on_written_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      fail_with (task, error, TRUE);
      return;
    }
  read_next (g_steal_pointer (&task));
}

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      fail_with (task, error, FALSE);
      g_object_unref (task);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0 && download->received < download->expected)
    {
      /* libsoup ends a body cut short like a whole one. What came is
       * kept for the next try. */
      g_debug ("Download of %s cut off at %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes",
               download->sha256, download->received, download->expected);
      _cin_api_watch_arm (&download->watch, 0);
      download->failure = cin_api_failure_new ();
      g_task_return_new_error (task, CIN_API_ERROR, CIN_API_ERROR_NETWORK, "%s",
                               _("The connection was cut while a photo was coming. "
                                 "It will be fetched again later."));
      g_object_unref (task);
      return;
    }
  if (size == 0)
    {
      _cin_api_watch_arm (&download->watch, 0);
      g_output_stream_close_async (download->out, G_PRIORITY_LOW, g_task_get_cancellable (task),
                                   on_part_closed_cb, task);
      return;
    }

  download->received += size;
  if (download->received > download->max_bytes)
    {
      fail_with_invalid (task, "the file is larger than any photo can be");
      g_object_unref (task);
      return;
    }

  watch_for_stall (download);
  /* The bytes stay alive in the task until the write is done. */
  g_object_set_data_full (G_OBJECT (task), "piece", g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
  g_output_stream_write_all_async (download->out, g_bytes_get_data (bytes, NULL), size,
                                   G_PRIORITY_LOW, download->watch.cancellable, on_written_cb, task);
}

static void
read_next (GTask *task)
{
  Download *download = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (download->body, READ_SIZE, G_PRIORITY_LOW,
                                   download->watch.cancellable, on_read_cb, task);
}

/* Opening the .part on a worker thread: emptied first when the answer is
 * the whole file. */
static void
open_part_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Download *download = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) dir = g_file_get_parent (download->part);
  g_autoptr(GError) error = NULL;

  /* A new profile's media dir is made when first needed. */
  if (!g_file_make_directory_with_parents (dir, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  if (download->have == 0 &&
      !g_file_delete (download->part, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);

  out = g_file_append_to (download->part, G_FILE_CREATE_PRIVATE, cancellable, &error);
  if (out == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&out), g_object_unref);
}

static void
on_part_opened_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  download->out = g_task_propagate_pointer (G_TASK (result), &error);
  if (download->out == NULL)
    {
      fail_with (task, error, TRUE);
      g_object_unref (task);
      return;
    }
  download->received = download->have;
  read_next (task);
}

static void
open_part (GTask *task)
{
  Download *download = g_task_get_task_data (task);
  g_autoptr(GTask) open = g_task_new (NULL, download->watch.cancellable, on_part_opened_cb, task);

  g_task_set_source_tag (open, open_part_in_thread);
  g_task_set_task_data (open, download, NULL);
  g_task_run_in_thread (open, open_part_in_thread);
}

static void
on_problem_read_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GBytes) body = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  _cin_api_watch_arm (&download->watch, 0);
  if (body == NULL)
    body = g_bytes_new (NULL, 0);
  download->failure = cin_api_failure_new ();
  g_task_return_error (task, _cin_api_error_from_response (download->msg, body, download->failure));
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  g_autoptr(GError) error = NULL;
  goffset first, last, total;
  goffset length;
  guint status;

  download->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (download->body == NULL)
    {
      fail_with (task, error, FALSE);
      return;
    }

  status = soup_message_get_status (download->msg);
  headers = soup_message_get_response_headers (download->msg);
  switch (status)
    {
    case SOUP_STATUS_OK:
      download->have = 0;
      length = soup_message_headers_get_content_length (headers);
      if ((guint64) length > download->max_bytes)
        {
          fail_with_invalid (task, "the file is larger than any photo can be");
          return;
        }
      if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
        download->expected = (guint64) length;
      open_part (g_steal_pointer (&task));
      return;

    case SOUP_STATUS_PARTIAL_CONTENT:
      /* A total of -1 is "*": a length the server does not know. */
      if (!soup_message_headers_get_content_range (headers, &first, &last, &total) ||
          total < 0 || (guint64) first != download->have || last + 1 != total)
        {
          fail_with_invalid (task, "206 without the range asked for");
          return;
        }
      if ((guint64) total > download->max_bytes)
        {
          fail_with_invalid (task, "the file is larger than any photo can be");
          return;
        }
      download->expected = (guint64) total;
      open_part (g_steal_pointer (&task));
      return;

    case SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE:
      /* The .part is at least as long as the file and yet was never
       * renamed: something else wrote to it. Start from nothing, once. */
      if (download->have > 0 && !download->started_over)
        {
          download->started_over = TRUE;
          download->have = 0;
          g_clear_object (&download->body);
          send_request (g_steal_pointer (&task));
          return;
        }
      break;

    default:
      break;
    }

  g_input_stream_read_bytes_async (download->body, READ_SIZE, G_PRIORITY_LOW, download->watch.cancellable,
                                   on_problem_read_cb, g_steal_pointer (&task));
}

static void
send_request (GTask *task)
{
  Download *download = g_task_get_task_data (task);
  g_autofree char *path = g_strconcat ("/v1/uploads/", download->sha256, NULL);
  SoupMessageHeaders *headers;

  g_clear_object (&download->msg);
  download->msg = _cin_api_client_new_message (download->client, "GET", path);
  headers = soup_message_get_request_headers (download->msg);
  soup_message_headers_replace (headers, "Accept", "*/*");
  if (download->have > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%s\"", download->sha256);

      soup_message_headers_set_range (headers, (goffset) download->have, -1);
      soup_message_headers_replace (headers, "If-Range", etag);
    }

  watch_for_stall (download);
  soup_session_send_async (cin_api_client_get_session (download->client), download->msg,
                           G_PRIORITY_LOW, download->watch.cancellable, on_sent_cb, task);
}

static void
on_part_info_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);

  /* No .part, or one that cannot be read: from the start. */
  download->have = info != NULL ? (guint64) MAX (g_file_info_get_size (info), 0) : 0;
  if (download->have > download->max_bytes)
    download->have = 0;
  send_request (task);
}

void
cin_photo_download_async (CinApiClient        *client,
                          const char          *sha256,
                          const char          *path,
                          guint64              max_bytes,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *part_path = NULL;
  Download *download;

  g_return_if_fail (CIN_IS_API_CLIENT (client));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (path != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_photo_download_async);

  download = g_new0 (Download, 1);
  download->client = g_object_ref (client);
  download->sha256 = g_ascii_strdown (sha256, -1);
  download->file = g_file_new_for_path (path);
  part_path = g_strconcat (path, ".part", NULL);
  download->part = g_file_new_for_path (part_path);
  download->max_bytes = max_bytes > 0 ? max_bytes : G_MAXUINT64;
  _cin_api_watch_init (&download->watch, cancellable);
  g_task_set_task_data (task, download, (GDestroyNotify)download_free);

  g_file_query_info_async (download->part, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_LOW, download->watch.cancellable, on_part_info_cb,
                           g_steal_pointer (&task));
}

gboolean
cin_photo_download_finish (GAsyncResult   *result,
                           CinApiFailure **failure,
                           GError        **error)
{
  GTask *task = G_TASK (result);
  Download *download;

  g_return_val_if_fail (g_task_get_source_tag (task) == cin_photo_download_async, FALSE);

  download = g_task_get_task_data (task);
  if (failure != NULL && download->failure != NULL)
    *failure = g_steal_pointer (&download->failure);
  return g_task_propagate_boolean (task, error);
}
