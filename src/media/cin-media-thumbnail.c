/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-thumbnail"

#include <glib/gstdio.h>

#include "cin-image-decode.h"
#include "cin-media-error-private.h"
#include "cin-media-library-private.h"
#include "cin-sha256.h"

/* A thumbnail request is answered from memory, or joins the job already
 * making that thumbnail, or queues a new job. A job reads the disk cache,
 * else decodes the stored photo at the size asked for and caches it. Its
 * requests (waiters) are answered together on the library's context.
 *
 * Cancelling a request answers it at once. When no request still waits
 * for a job, the job's own cancellable is cancelled right in the cancel
 * handler (any thread), so a queued job is dropped unrun and a running one
 * stops at its next chunk. */

typedef struct _ThumbnailJob ThumbnailJob;

typedef struct {
  ThumbnailJob *job;
  GTask        *task;
  gulong        cancelled_id;
  GSource      *cancelled_source;
} Waiter;

struct _ThumbnailJob
{
  CinMediaJob       job;
  gatomicrefcount   ref_count;   /* the pool's, and one per waiter */
  CinMediaLibrary  *library;
  char             *key;
  char             *sha256;
  char             *photo_path;
  guint             size;
  guint64           max_pixels;
  GCancellable     *cancellable; /* cancelled once no request waits */
  int               live_waiters;  /* atomic: requests not cancelled */
  GPtrArray        *waiters;     /* of Waiter; the library's thread only */

  /* Results */
  GdkTexture       *texture;
  GError           *error;
};

static void request_thumbnail (CinMediaLibrary *self,
                               GTask           *task,
                               const char      *sha256,
                               const char      *photo_path,
                               guint            size);

static ThumbnailJob *
thumbnail_job_ref (ThumbnailJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
thumbnail_job_unref (ThumbnailJob *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  g_assert (job->waiters->len == 0);
  g_ptr_array_unref (job->waiters);
  g_clear_object (&job->library);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->texture);
  g_clear_error (&job->error);
  g_free (job->key);
  g_free (job->sha256);
  g_free (job->photo_path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ThumbnailJob, thumbnail_job_unref)

static void
waiter_free (Waiter *waiter)
{
  GCancellable *cancellable = g_task_get_cancellable (waiter->task);

  /* Waits for a handler running in another thread, so the job it uses
   * outlives it. */
  if (waiter->cancelled_id != 0)
    g_cancellable_disconnect (cancellable, waiter->cancelled_id);
  if (waiter->cancelled_source != NULL)
    {
      g_source_destroy (waiter->cancelled_source);
      g_source_unref (waiter->cancelled_source);
    }
  g_object_unref (waiter->task);
  thumbnail_job_unref (waiter->job);
  g_free (waiter);
}

/* Any thread, inside g_cancellable_cancel(). */
static void
on_waiter_cancelled_cb (GCancellable *cancellable,
                        ThumbnailJob *job)
{
  if (g_atomic_int_dec_and_test (&job->live_waiters))
    g_cancellable_cancel (job->cancellable);
}

static void
forget_job (CinMediaLibrary *self,
            ThumbnailJob    *job)
{
  if (g_hash_table_lookup (self->thumbnail_jobs, job->key) == job)
    g_hash_table_remove (self->thumbnail_jobs, job->key);
}

/* The library's thread, soon after the request's cancellable fired. */
static gboolean
on_waiter_cancelled_source_cb (GCancellable *cancellable,
                               gpointer      user_data)
{
  Waiter *waiter = user_data;
  ThumbnailJob *job = waiter->job;
  g_autoptr(GTask) task = g_object_ref (waiter->task);

  /* Answered already, the job having finished first. */
  if (!g_ptr_array_remove (job->waiters, waiter))
    return G_SOURCE_REMOVE;
  if (job->waiters->len == 0)
    forget_job (job->library, job);
  waiter_free (waiter);

  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
add_waiter (ThumbnailJob *job,
            GTask        *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Waiter *waiter = g_new0 (Waiter, 1);

  waiter->job = thumbnail_job_ref (job);
  waiter->task = g_object_ref (task);
  g_ptr_array_add (job->waiters, waiter);
  g_atomic_int_inc (&job->live_waiters);

  if (cancellable == NULL)
    return;

  waiter->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_waiter_cancelled_cb),
                                                job, NULL);
  waiter->cancelled_source = g_cancellable_source_new (cancellable);
  g_source_set_callback (waiter->cancelled_source, G_SOURCE_FUNC (on_waiter_cancelled_source_cb),
                         waiter, NULL);
  g_source_set_static_name (waiter->cancelled_source, "[cin-media] thumbnail cancelled");
  g_source_attach (waiter->cancelled_source, job->library->context);
}

/* Worker: the cached file, when it is there and whole. */
static GdkPixbuf *
load_cached (ThumbnailJob *job)
{
  for (int has_alpha = 0; has_alpha <= 1; has_alpha++)
    {
      g_autofree char *path = _cin_media_library_get_thumbnail_path (job->library, job->size, job->sha256,
                                                                     has_alpha);
      g_autoptr(GError) error = NULL;
      CinImageInfo info;
      GdkPixbuf *pixbuf;

      pixbuf = cin_image_decode_file (path, path, 0, job->max_pixels, &info, job->cancellable, &error);
      if (pixbuf != NULL)
        return pixbuf;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return NULL;
      if (!g_error_matches (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_MISSING))
        {
          g_debug ("Dropping the unreadable cached thumbnail %s: %s", path, error->message);
          g_unlink (path);
        }
    }

  return NULL;
}

static gboolean
thumbnail_done_cb (gpointer data)
{
  g_autoptr(ThumbnailJob) job = data;
  CinMediaLibrary *self = job->library;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&job->waiters);
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func (g_object_unref);

  /* Answering may start new requests, for this job's key too. */
  job->waiters = g_ptr_array_new ();
  forget_job (self, job);

  if (job->texture != NULL)
    _cin_media_library_remember_thumbnail (self, job->key, job->texture);

  /* Every waiter is let go before any is answered: an answer that runs a
   * main loop must not meet a cancel source of the next. */
  for (guint i = 0; i < waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (waiters, i);

      g_ptr_array_add (tasks, g_object_ref (waiter->task));
      waiter_free (waiter);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (job->texture != NULL)
        g_task_return_pointer (task, g_object_ref (job->texture), g_object_unref);
      else if (g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
               !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        /* It joined just as the last other request was cancelled. */
        request_thumbnail (self, task, job->sha256, job->photo_path, job->size);
      else
        g_task_return_error (task, g_error_copy (job->error));
    }

  return G_SOURCE_REMOVE;
}

static void
run_thumbnail (CinMediaJob *base)
{
  ThumbnailJob *job = (ThumbnailJob *)base;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    goto out;

  pixbuf = load_cached (job);
  if (pixbuf != NULL)
    g_atomic_int_inc (&job->library->thumbnails_loaded);
  else if (!g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    {
      g_autofree char *name = g_path_get_basename (job->photo_path);
      CinImageInfo info;

      g_atomic_int_inc (&job->library->thumbnails_decoded);
      pixbuf = cin_image_decode_file (job->photo_path, name, job->size, job->max_pixels, &info,
                                      job->cancellable, &job->error);
      /* Nobody waits for it any more: the window may be closing. */
      if (pixbuf != NULL && !g_cancellable_is_cancelled (job->cancellable))
        _cin_media_library_save_thumbnail (job->library, job->size, job->sha256, pixbuf);
    }

  if (pixbuf != NULL)
    job->texture = gdk_texture_new_for_pixbuf (pixbuf);

out:
  _cin_media_library_deliver (job->library, thumbnail_done_cb, job);
}

static void
request_thumbnail (CinMediaLibrary *self,
                   GTask           *task,
                   const char      *sha256,
                   const char      *photo_path,
                   guint            size)
{
  g_autofree char *key = _cin_media_thumbnail_key (size, sha256);
  ThumbnailJob *job = g_hash_table_lookup (self->thumbnail_jobs, key);

  if (job != NULL && !g_cancellable_is_cancelled (job->cancellable))
    {
      add_waiter (job, task);
      return;
    }

  job = g_new0 (ThumbnailJob, 1);
  job->job.run = run_thumbnail;
  g_atomic_ref_count_init (&job->ref_count);
  job->library = g_object_ref (self);
  job->key = g_steal_pointer (&key);
  job->sha256 = g_strdup (sha256);
  job->photo_path = g_strdup (photo_path);
  job->size = size;
  job->max_pixels = self->max_pixels;
  job->cancellable = g_cancellable_new ();
  job->waiters = g_ptr_array_new ();

  g_hash_table_replace (self->thumbnail_jobs, g_strdup (job->key), job);
  add_waiter (job, task);
  /* The pool's reference, dropped once the job is answered. */
  _cin_media_library_push (self, &job->job);
}

void
cin_media_library_load_thumbnail_async (CinMediaLibrary     *self,
                                        const char          *sha256,
                                        const char          *mime,
                                        guint                size,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *photo_path = NULL;
  GdkTexture *texture;

  g_return_if_fail (CIN_IS_MEDIA_LIBRARY (self));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (mime != NULL);
  g_return_if_fail (size > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_media_library_load_thumbnail_async);

  /* The hash names files: anything else could point outside the dirs. */
  if (!cin_sha256_is_valid (sha256) || cin_image_format_from_mime (mime) == CIN_IMAGE_FORMAT_UNKNOWN)
    {
      g_autofree char *path = g_build_filename (self->media_dir, sha256, NULL);
      GError *error = NULL;

      _cin_media_error_missing (&error, path);
      g_task_return_error (task, error);
      return;
    }

  texture = cin_media_library_peek_thumbnail (self, sha256, size);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }

  photo_path = cin_media_library_get_photo_path (self, sha256, mime);
  request_thumbnail (self, task, sha256, photo_path, size);
}

GdkTexture *
cin_media_library_load_thumbnail_finish (CinMediaLibrary  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (CIN_IS_MEDIA_LIBRARY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_media_library_load_thumbnail_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
