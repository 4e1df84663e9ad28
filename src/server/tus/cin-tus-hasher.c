/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-hasher"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-tus-hasher.h"
#include "cin-tus-sha256.h"

#define READ_SIZE (1024 * 1024)

struct _CinTusHasher
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GCond            cond;

  /* Owned */
  char            *part_path;
  CinTusSha256    *sha256;  /* touched by the thread only, while it runs */

  /* Under @mutex */
  guint64          published;
  guint64          hashed;
  gboolean         patch_open;
  gboolean         running;
  gboolean         failed;
  gboolean         cancelled;
};

CinTusHasher *
cin_tus_hasher_new (const char *part_path)
{
  CinTusHasher *self = g_new0 (CinTusHasher, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->part_path = g_strdup (part_path);
  self->sha256 = cin_tus_sha256_new ();
  return self;
}

CinTusHasher *
cin_tus_hasher_ref (CinTusHasher *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cin_tus_hasher_cancel (CinTusHasher *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->cancelled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
cin_tus_hasher_unref (CinTusHasher *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  cin_tus_sha256_free (self->sha256);
  g_free (self->part_path);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

static gpointer
hash_in_thread (gpointer data)
{
  CinTusHasher *self = data;
  g_autofree guint8 *buffer = g_malloc (READ_SIZE);
  int fd = g_open (self->part_path, O_RDONLY | O_CLOEXEC, 0);

  g_mutex_lock (&self->mutex);
  if (fd < 0)
    self->failed = TRUE;

  while (!self->failed && !self->cancelled)
    {
      guint64 at = self->hashed;
      gsize want;
      gssize n;

      if (at == self->published)
        {
          if (!self->patch_open)
            break;
          g_cond_wait (&self->cond, &self->mutex);
          continue;
        }

      want = (gsize) MIN (self->published - at, (guint64) READ_SIZE);
      g_mutex_unlock (&self->mutex);
      do
        n = pread (fd, buffer, want, (off_t) at);
      while (n < 0 && errno == EINTR);
      if (n > 0)
        cin_tus_sha256_update (self->sha256, buffer, (gsize) n);
      g_mutex_lock (&self->mutex);

      if (n <= 0)
        self->failed = TRUE;
      else
        self->hashed += (guint64) n;
      g_cond_broadcast (&self->cond);
    }

  self->running = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  if (fd >= 0)
    g_close (fd, NULL);
  cin_tus_hasher_unref (self);
  return NULL;
}

void
cin_tus_hasher_begin (CinTusHasher *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->patch_open = TRUE;
  if (!self->running && !self->failed && !self->cancelled)
    {
      self->running = TRUE;
      g_thread_unref (g_thread_new ("cin-tus-hasher", hash_in_thread, cin_tus_hasher_ref (self)));
    }
  g_mutex_unlock (&self->mutex);
}

void
cin_tus_hasher_publish (CinTusHasher *self,
                        guint64       offset)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  g_warn_if_fail (offset >= self->published);
  self->published = offset;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
cin_tus_hasher_end (CinTusHasher *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->patch_open = FALSE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

char *
cin_tus_hasher_finish (CinTusHasher *self,
                       guint64       length)
{
  char *digest = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->mutex);
  /* No PATCH is open any more: the thread ends once it has caught up. */
  while (self->running && !self->failed && !self->cancelled)
    g_cond_wait (&self->cond, &self->mutex);
  if (!self->running && !self->failed && !self->cancelled && self->hashed == length)
    digest = cin_tus_sha256_dup_hex (self->sha256);
  /* Nothing more goes into a finished checksum. */
  self->cancelled = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  return digest;
}
