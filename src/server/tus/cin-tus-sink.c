/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-sink"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cin-tus-sink.h"

/* Large enough that a write costs little per byte, small enough that an
 * upload's memory stays flat whatever the file size. */
#define BUFFER_SIZE (1024 * 1024)

struct _CinTusSink
{
  int      fd;
  char    *path;
  gsize    buffered;
  guint64  written;
  GError  *error;  /* (nullable) the first failure; later writes are dropped */
  guint8   buffer[BUFFER_SIZE];
};

CinTusSink *
cin_tus_sink_open (const char  *path,
                   GError     **error)
{
  CinTusSink *sink;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_WRONLY | O_APPEND | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not open “%s”: %s", path, g_strerror (saved_errno));
      return NULL;
    }

  sink = g_malloc (sizeof *sink);
  sink->fd = fd;
  sink->path = g_strdup (path);
  sink->buffered = 0;
  sink->written = 0;
  sink->error = NULL;
  return sink;
}

static gboolean
flush (CinTusSink *sink)
{
  gsize done = 0;

  while (done < sink->buffered && sink->error == NULL)
    {
      gssize n = write (sink->fd, sink->buffer + done, sink->buffered - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (&sink->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not write “%s”: %s", sink->path, g_strerror (saved_errno));
          break;
        }
      done += (gsize) n;
      sink->written += (guint64) n;
    }
  sink->buffered = 0;
  return sink->error == NULL;
}

gboolean
cin_tus_sink_write (CinTusSink   *sink,
                    const guint8 *data,
                    gsize         length,
                    GError      **error)
{
  g_return_val_if_fail (sink != NULL, FALSE);

  while (length > 0 && sink->error == NULL)
    {
      gsize take = MIN (length, BUFFER_SIZE - sink->buffered);

      memcpy (sink->buffer + sink->buffered, data, take);
      sink->buffered += take;
      data += take;
      length -= take;
      if (sink->buffered == BUFFER_SIZE)
        flush (sink);
    }

  if (sink->error != NULL)
    {
      g_propagate_error (error, g_error_copy (sink->error));
      return FALSE;
    }
  return TRUE;
}

guint64
cin_tus_sink_get_written (CinTusSink *sink)
{
  g_return_val_if_fail (sink != NULL, 0);
  return sink->written;
}

gboolean
cin_tus_sink_close (CinTusSink  *sink,
                    GError     **error)
{
  g_autoptr(GError) close_error = NULL;
  gboolean ok;

  g_return_val_if_fail (sink != NULL, FALSE);

  flush (sink);
  if (fsync (sink->fd) != 0 && sink->error == NULL)
    {
      int saved_errno = errno;

      g_set_error (&sink->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not sync “%s”: %s", sink->path, g_strerror (saved_errno));
    }
  if (!g_close (sink->fd, &close_error) && sink->error == NULL)
    g_set_error (&sink->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "Could not close “%s”: %s", sink->path, close_error->message);

  ok = sink->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&sink->error));
  g_free (sink->path);
  g_free (sink);
  return ok;
}
