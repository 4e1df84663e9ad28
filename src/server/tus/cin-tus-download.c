/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-download"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cin-http-range.h"
#include "cin-media-sniff.h"
#include "cin-tus-private.h"
#include "cin-tus-problem.h"

#define DOWNLOAD_KEY "cin-tus-download"
#define CHUNK_SIZE (256 * 1024)

/* The file goes out a chunk at a time, each read when libsoup has written
 * the one before, so a video of gigabytes costs one chunk of memory. */
typedef struct {
  int      fd;
  guint64  next;   /* file offset of the next chunk */
  guint64  left;   /* bytes still to send */
} Download;

static void
download_free (gpointer data)
{
  Download *download = data;

  g_close (download->fd, NULL);
  g_free (download);
}

static void
append_next_chunk (SoupServerMessage *msg,
                   Download          *download)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize want = (gsize) MIN (download->left, (guint64) CHUNK_SIZE);
  guint8 *buffer;
  gssize n;

  if (download->left == 0)
    {
      soup_message_body_complete (body);
      return;
    }

  buffer = g_malloc (want);
  do
    n = pread (download->fd, buffer, want, (off_t) download->next);
  while (n < 0 && errno == EINTR);

  if (n <= 0)
    {
      /* The headers are out: all that is left is to cut the response
       * short, which the client sees as a broken download. */
      g_warning ("Could not read a media file at %" G_GUINT64_FORMAT ": %s",
                 download->next, n < 0 ? g_strerror (errno) : "unexpected end");
      g_free (buffer);
      soup_message_body_complete (body);
      return;
    }
  download->next += (guint64) n;
  download->left -= (guint64) n;
  soup_message_body_append_bytes (body, g_bytes_new_take (buffer, (gsize) n));
}

static void
on_wrote_chunk_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  append_next_chunk (msg, user_data);
}

void
_cin_tus_download (CinTus            *self,
                   SoupServerMessage *msg,
                   CinTusUpload      *upload)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char *etag = NULL;
  const char *if_range;
  guint64 first = 0, last = upload->length - 1;
  CinHttpRange range;
  Download *download;
  int fd;

  if (upload->state != CIN_TUS_UPLOAD_COMPLETE)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_NOT_FOUND,
                               "The upload is not complete: %" G_GUINT64_FORMAT " of %"
                               G_GUINT64_FORMAT " bytes have arrived. Finish it with PATCH first.",
                               upload->offset, upload->length);
      return;
    }

  fd = g_open (upload->media_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_warning ("Upload %s: its media file is gone: %s", upload->id, g_strerror (errno));
      _cin_tus_respond_not_found (msg);
      return;
    }

  /* The content never changes, so its SHA-256 is a strong validator. */
  etag = g_strdup_printf ("\"%s\"", upload->sha256);
  soup_message_headers_replace (response, "ETag", etag);
  soup_message_headers_replace (response, "Accept-Ranges", "bytes");
  soup_message_headers_replace (response, "Cache-Control", "private, max-age=31536000, immutable");

  /* If-Range with anything but the current ETag (a date, an old tag)
   * asks for the whole file. */
  if_range = soup_message_headers_get_one (request, "If-Range");
  if (if_range != NULL && !g_str_equal (if_range, etag))
    range = CIN_HTTP_RANGE_WHOLE;
  else
    range = cin_http_range_parse (soup_message_headers_get_one (request, "Range"),
                                  upload->length, &first, &last);

  if (range == CIN_HTTP_RANGE_UNSATISFIABLE)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GUINT64_FORMAT, upload->length);

      g_close (fd, NULL);
      soup_message_headers_replace (response, "Content-Range", content_range);
      soup_server_message_set_status (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
      return;
    }
  if (range == CIN_HTTP_RANGE_PARTIAL)
    {
      soup_message_headers_set_content_range (response, (goffset) first, (goffset) last,
                                              (goffset) upload->length);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);

  soup_message_headers_set_content_type (response, cin_media_format_get_mime (upload->format), NULL);
  soup_message_headers_set_content_length (response, (goffset) (last - first + 1));

  download = g_new0 (Download, 1);
  download->fd = fd;
  download->next = first;
  download->left = last - first + 1;
  g_object_set_data_full (G_OBJECT (msg), DOWNLOAD_KEY, download, download_free);

  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk_cb), download);
  append_next_chunk (msg, download);
}
