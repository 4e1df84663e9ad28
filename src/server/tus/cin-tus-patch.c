/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-patch"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-media-sniff.h"
#include "cin-tus-private.h"
#include "cin-tus-problem.h"
#include "cin-tus-sink.h"

#define PATCH_KEY "cin-tus-patch"
#define OFFSET_OCTET_STREAM "application/offset+octet-stream"

/* One PATCH request, from its headers to its answer. It lives on the
 * SoupServerMessage, so it goes when the request goes, finished or cut. */
typedef struct {
  /* Owned */
  CinTus        *tus;
  CinTusUpload  *upload;
  CinTusSink    *sink;      /* (nullable) once closed */
  GError        *refusal;   /* (nullable) the answer, once the body is drained */

  guint64        start_offset;   /* where the body goes in the file */
  guint64        published;      /* what the hasher was told is on disk */
  gboolean       remove_upload;  /* the refusal is about the file itself */
  gboolean       answered;
} Patch;

static gboolean close_sink (Patch *patch);

static void
patch_free (gpointer data)
{
  Patch *patch = data;

  if (patch->sink != NULL)
    close_sink (patch);
  g_clear_error (&patch->refusal);
  g_clear_pointer (&patch->upload, cin_tus_upload_unref);
  g_clear_object (&patch->tus);
  g_free (patch);
}

static void
refuse (Patch  *patch,
        GError *error,
        gboolean remove_upload)
{
  if (patch->refusal == NULL)
    {
      patch->refusal = error;
      patch->remove_upload = remove_upload;
    }
  else
    g_error_free (error);
}

/* After a restart the first bytes are on disk, not in memory. */
static gboolean
load_head (CinTus        *self,
           CinTusUpload  *upload,
           GError       **error)
{
  g_autofree char *path = cin_tus_store_dup_part_path (self->store, upload);
  gsize want = (gsize) MIN (upload->offset, (guint64) CIN_MEDIA_SNIFF_BYTES);
  gsize done = 0;
  int fd;

  upload->head = g_byte_array_sized_new (CIN_MEDIA_SNIFF_BYTES);
  g_byte_array_set_size (upload->head, (guint) want);
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  while (fd >= 0 && done < want)
    {
      gssize n = pread (fd, upload->head->data + done, want - done, (off_t) done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  if (fd >= 0)
    g_close (fd, NULL);
  if (done == want)
    return TRUE;

  g_clear_pointer (&upload->head, g_byte_array_unref);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Could not read the start of “%s”", path);
  return FALSE;
}

/* Once enough of the file is in, its first bytes say what it is: a file
 * the platform would not take is refused now, not after the last byte. */
static void
sniff_when_possible (Patch *patch)
{
  CinTusUpload *upload = patch->upload;
  GError *error = NULL;

  if (upload->sniffed ||
      (upload->head->len < CIN_MEDIA_SNIFF_BYTES && upload->offset < upload->length))
    return;

  upload->format = cin_media_sniff (upload->head->data, upload->head->len);
  upload->sniffed = TRUE;
  g_clear_pointer (&upload->head, g_byte_array_unref);
  if (!_cin_tus_check_media (patch->tus, upload, &error))
    refuse (patch, error, TRUE);
}

static void
on_got_chunk_cb (SoupServerMessage *msg,
                 GBytes            *chunk,
                 gpointer           user_data)
{
  Patch *patch = user_data;
  CinTusUpload *upload = patch->upload;
  gsize length;
  const guint8 *data = g_bytes_get_data (chunk, &length);
  GError *error = NULL;

  if (patch->refusal != NULL)
    return;

  if (length > upload->length - upload->offset)
    {
      refuse (patch, g_error_new (CIN_TUS_ERROR, CIN_TUS_ERROR_BEYOND_UPLOAD_LENGTH,
                                  "The body runs past the upload's length of %" G_GUINT64_FORMAT
                                  " bytes; the bytes up to that length are kept.",
                                  upload->length),
              FALSE);
      return;
    }

  if (!cin_tus_sink_write (patch->sink, data, length, &error))
    {
      refuse (patch, error, FALSE);
      return;
    }
  if (patch->start_offset + cin_tus_sink_get_written (patch->sink) != patch->published)
    {
      patch->published = patch->start_offset + cin_tus_sink_get_written (patch->sink);
      cin_tus_hasher_publish (upload->hasher, patch->published);
    }

  if (!upload->sniffed)
    g_byte_array_append (upload->head, data,
                         (guint) MIN (length, CIN_MEDIA_SNIFF_BYTES - upload->head->len));
  upload->offset += length;

  if (!upload->sniffed)
    sniff_when_possible (patch);
}

/* Makes what was received durable and the offset match the .part, even
 * when writing failed half way, and lets the hasher read all of it. */
static gboolean
close_sink (Patch *patch)
{
  CinTusUpload *upload = patch->upload;
  g_autofree char *path = cin_tus_store_dup_part_path (patch->tus->store, upload);
  GError *error = NULL;
  gboolean ok;
  GStatBuf info;

  ok = cin_tus_sink_close (g_steal_pointer (&patch->sink), &error);
  if (!ok)
    {
      if (g_stat (path, &info) == 0)
        upload->offset = MIN ((guint64) info.st_size, upload->length);
      refuse (patch, error, FALSE);
    }
  cin_tus_hasher_publish (upload->hasher, upload->offset);
  cin_tus_hasher_end (upload->hasher);
  return ok;
}

/* A request cut off (the client went away, the connection broke) never
 * reaches the handler: keep what arrived, so the client can resume. */
static void
on_finished_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Patch *patch = user_data;

  if (patch->answered)
    return;
  patch->answered = TRUE;

  if (patch->sink != NULL)
    close_sink (patch);
  if (patch->remove_upload)
    cin_tus_store_delete (patch->tus->store, patch->upload);
  g_debug ("Upload %s: PATCH cut off at %" G_GUINT64_FORMAT,
           patch->upload->id, patch->upload->offset);
  patch->upload->busy = FALSE;
}

static CinTusUpload *
find_upload (CinTus            *self,
             SoupServerMessage *msg,
             const char        *upload_id)
{
  g_autoptr(GError) error = NULL;
  CinTusUpload *upload = cin_tus_store_lookup (self->store, upload_id, &error);

  if (error != NULL)
    {
      cin_tus_problem_respond_error (msg, error);
      return NULL;
    }
  if (upload == NULL || !g_str_equal (upload->owner, _cin_tus_get_owner (msg)))
    {
      g_clear_pointer (&upload, cin_tus_upload_unref);
      _cin_tus_respond_not_found (msg);
      return NULL;
    }
  return upload;
}

void
_cin_tus_patch_start (CinTus            *self,
                      SoupServerMessage *msg,
                      const char        *upload_id)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  g_autoptr(CinTusUpload) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  const char *content_type;
  guint64 offset;
  goffset body_length;
  Patch *patch;

  content_type = soup_message_headers_get_content_type (request, NULL);
  if (g_strcmp0 (content_type, OFFSET_OCTET_STREAM) != 0)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_WRONG_CONTENT_TYPE,
                               "Send PATCH bodies as “Content-Type: " OFFSET_OCTET_STREAM "”.");
      return;
    }
  if (!_cin_tus_parse_size (soup_message_headers_get_one (request, "Upload-Offset"), &offset))
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_BAD_REQUEST,
                               "Send Upload-Offset: where this body starts in the file, digits only.");
      return;
    }

  upload = find_upload (self, msg, upload_id);
  if (upload == NULL)
    return;
  if (upload->busy)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_LOCKED,
                               "Another PATCH to this upload is still running. "
                               "Ask for the offset with HEAD once it is over.");
      return;
    }
  if (offset != upload->offset)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_OFFSET_MISMATCH,
                               "The upload is at offset %" G_GUINT64_FORMAT ", not %" G_GUINT64_FORMAT
                               ". Ask for the offset with HEAD and go on from there.",
                               upload->offset, offset);
      return;
    }
  body_length = soup_message_headers_get_encoding (request) == SOUP_ENCODING_CONTENT_LENGTH
                ? soup_message_headers_get_content_length (request) : -1;
  if (body_length > 0 && (guint64) body_length > upload->length - upload->offset)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_BEYOND_UPLOAD_LENGTH,
                               "The body is %" G_GOFFSET_FORMAT " bytes, but only %" G_GUINT64_FORMAT
                               " are missing from the upload.",
                               body_length, upload->length - upload->offset);
      return;
    }
  if (upload->state == CIN_TUS_UPLOAD_COMPLETE)
    {
      g_autofree char *length = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->length);

      /* A retried last PATCH whose answer was lost. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Upload-Offset", length);
      _cin_tus_respond_no_content (msg);
      return;
    }

  if (!upload->sniffed && upload->head == NULL && !load_head (self, upload, &error))
    {
      cin_tus_problem_respond_error (msg, error);
      return;
    }

  patch = g_new0 (Patch, 1);
  part = cin_tus_store_dup_part_path (self->store, upload);
  patch->sink = cin_tus_sink_open (part, &error);
  if (patch->sink == NULL)
    {
      g_free (patch);
      cin_tus_problem_respond_error (msg, error);
      return;
    }
  patch->tus = g_object_ref (self);
  patch->start_offset = upload->offset;
  patch->published = upload->offset;
  /* After a restart the hasher starts over from byte 0, reading what the
   * previous run left on disk while this body streams in. */
  if (upload->hasher == NULL)
    upload->hasher = cin_tus_hasher_new (part);
  cin_tus_hasher_publish (upload->hasher, upload->offset);
  cin_tus_hasher_begin (upload->hasher);
  patch->upload = g_steal_pointer (&upload);
  patch->upload->busy = TRUE;

  g_debug ("Upload %s: PATCH at %" G_GUINT64_FORMAT, patch->upload->id, patch->start_offset);
  g_object_set_data_full (G_OBJECT (msg), PATCH_KEY, patch, patch_free);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk_cb), patch);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished_cb), patch);
}

void
_cin_tus_patch_respond (CinTus            *self,
                        SoupServerMessage *msg)
{
  Patch *patch = g_object_get_data (G_OBJECT (msg), PATCH_KEY);
  CinTusUpload *upload;
  g_autofree char *offset = NULL;

  if (patch == NULL)
    {
      /* Every PATCH the early handler lets through carries its state. */
      g_critical ("A PATCH reached CinTus without passing its early handler");
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_STORAGE, "The server is misconfigured.");
      return;
    }
  patch->answered = TRUE;
  upload = patch->upload;
  close_sink (patch);

  if (patch->refusal != NULL)
    {
      if (patch->remove_upload)
        cin_tus_store_delete (self->store, upload);
      else
        {
          offset = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->offset);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Upload-Offset", offset);
        }
      upload->busy = FALSE;
      cin_tus_problem_respond_error (msg, patch->refusal);
      return;
    }

  if (upload->offset == upload->length)
    {
      _cin_tus_complete (self, msg, upload);
      return;
    }

  upload->busy = FALSE;
  offset = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->offset);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Upload-Offset", offset);
  _cin_tus_respond_no_content (msg);
}
