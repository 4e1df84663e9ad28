/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-complete"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cin-media-check.h"
#include "cin-tus-private.h"
#include "cin-tus-problem.h"
#include "cin-tus-sha256.h"

#define READ_SIZE (1024 * 1024)

/* The last byte is in: the file is checked against what the client
 * declared and what its own structure says, off the main thread (hashing
 * gigabytes takes seconds), while the final PATCH waits, paused. */
typedef struct {
  /* Owned */
  SoupServerMessage *msg;
  CinTusUpload      *upload;
  CinTusHasher      *hasher;     /* (nullable) hashed the file as it arrived */
  char              *part_path;
  char              *media_path;

  CinMediaFormat     format;
} Completion;

static void
completion_free (gpointer data)
{
  Completion *completion = data;

  g_clear_object (&completion->msg);
  g_clear_pointer (&completion->upload, cin_tus_upload_unref);
  g_clear_pointer (&completion->hasher, cin_tus_hasher_unref);
  g_free (completion->part_path);
  g_free (completion->media_path);
  g_free (completion);
}

static gboolean
hash_file (int            fd,
           CinTusSha256  *sha256,
           GError       **error)
{
  g_autofree guint8 *buffer = g_malloc (READ_SIZE);
  off_t offset = 0;

  for (;;)
    {
      gssize n = pread (fd, buffer, READ_SIZE, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not read the upload: %s", g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0)
        return TRUE;
      cin_tus_sha256_update (sha256, buffer, (gsize) n);
      offset += n;
    }
}

static gboolean
verify (CinTus      *self,
        Completion  *completion,
        int          fd,
        GError     **error)
{
  CinTusUpload *upload = completion->upload;
  g_autofree char *digest = NULL;

  if (completion->hasher != NULL)
    digest = cin_tus_hasher_finish (completion->hasher, upload->length);
  if (digest == NULL)
    {
      g_autoptr(CinTusSha256) sha256 = cin_tus_sha256_new ();

      g_debug ("Upload %s: hashing the whole file again", upload->id);
      if (!hash_file (fd, sha256, error))
        return FALSE;
      digest = cin_tus_sha256_dup_hex (sha256);
    }
  if (!g_str_equal (digest, upload->sha256))
    {
      g_set_error (error, CIN_TUS_ERROR, CIN_TUS_ERROR_CHECKSUM_MISMATCH,
                   "The file that arrived has SHA-256 %s, but the upload declared %s: "
                   "it changed or was damaged on the way. Upload it again.",
                   digest, upload->sha256);
      return FALSE;
    }

  return cin_media_check_complete (fd, upload->length, completion->format, error);
}

int
_cin_tus_open_for_reading (const char  *path,
                           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not open “%s”: %s", path, g_strerror (saved_errno));
    }
  return fd;
}

static void
complete_in_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  CinTus *self = source_object;
  Completion *completion = task_data;
  GError *error = NULL;
  int fd = _cin_tus_open_for_reading (completion->part_path, &error);
  gboolean ok;

  if (fd < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  ok = verify (self, completion, fd, &error);
  g_close (fd, NULL);

  if (ok)
    ok = cin_tus_store_commit_media (self->store, completion->upload, completion->format, &error);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_complete_done_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CinTus *self = CIN_TUS (source_object);
  Completion *completion = g_task_get_task_data (G_TASK (result));
  CinTusUpload *upload = completion->upload;
  SoupServerMessage *msg = completion->msg;
  g_autoptr(GError) error = NULL;

  upload->busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_debug ("Upload %s refused: %s", upload->id, error->message);
      /* The move may have happened before a later step failed. */
      upload->media_path = g_steal_pointer (&completion->media_path);
      cin_tus_store_delete (self->store, upload);
      cin_tus_problem_respond_error (msg, error);
    }
  else
    {
      g_autofree char *length = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->length);

      g_debug ("Upload %s: complete", upload->id);
      _cin_tus_mark_complete (self, upload, g_steal_pointer (&completion->media_path));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Upload-Offset", length);
      _cin_tus_respond_no_content (msg);
    }
  soup_server_message_unpause (msg);
}

void
_cin_tus_complete (CinTus            *self,
                   SoupServerMessage *msg,
                   CinTusUpload      *upload)
{
  g_autoptr(GTask) task = NULL;
  Completion *completion;

  g_assert (upload->busy);
  g_assert (upload->sniffed);

  completion = g_new0 (Completion, 1);
  completion->msg = g_object_ref (msg);
  completion->upload = cin_tus_upload_ref (upload);
  completion->hasher = upload->hasher != NULL ? cin_tus_hasher_ref (upload->hasher) : NULL;
  completion->part_path = cin_tus_store_dup_part_path (self->store, upload);
  completion->media_path = cin_tus_store_dup_media_path (self->store, upload, upload->format);
  completion->format = upload->format;

  g_debug ("Upload %s: all %" G_GUINT64_FORMAT " bytes are in; checking them",
           upload->id, upload->length);
  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, on_complete_done_cb, NULL);
  g_task_set_source_tag (task, _cin_tus_complete);
  g_task_set_task_data (task, completion, completion_free);
  g_task_run_in_thread (task, complete_in_thread);
}
