/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-temp-file"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-temp-file.h"

gboolean
cin_temp_file_open (CinTempFile *self,
                    const char  *dir,
                    const char  *prefix)
{
  g_autofree char *template = g_strconcat (prefix, "XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, template, NULL);

  g_return_val_if_fail (self->fd < 0 && self->path == NULL, FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return FALSE;
  self->fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (self->fd < 0)
    return FALSE;

  self->path = g_steal_pointer (&path);
  return TRUE;
}

gboolean
cin_temp_file_write (CinTempFile  *self,
                     const guint8 *data,
                     gsize         len)
{
  g_return_val_if_fail (self->fd >= 0, FALSE);

  while (len > 0)
    {
      gssize n = write (self->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      len -= (gsize)n;
    }

  return TRUE;
}

/* So the rename itself is on disk once the caller reports success. */
static gboolean
sync_dir_of (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean synced;

  if (fd < 0)
    return FALSE;
  synced = fsync (fd) == 0;
  g_close (fd, NULL);
  return synced;
}

gboolean
cin_temp_file_commit (CinTempFile *self,
                      const char  *path)
{
  int fd = self->fd;

  g_return_val_if_fail (self->fd >= 0 && self->path != NULL, FALSE);

  self->fd = -1;
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      errno = saved_errno;
      return FALSE;
    }
  if (!g_close (fd, NULL) || g_rename (self->path, path) != 0)
    return FALSE;

  g_clear_pointer (&self->path, g_free);
  if (!sync_dir_of (path))
    g_warning ("Could not sync the folder of %s: %s", path, g_strerror (errno));
  return TRUE;
}

void
cin_temp_file_discard (CinTempFile *self)
{
  int saved_errno = errno;

  if (self->fd >= 0)
    g_close (self->fd, NULL);
  if (self->path != NULL)
    g_unlink (self->path);
  g_clear_pointer (&self->path, g_free);
  self->fd = -1;
  errno = saved_errno;
}
