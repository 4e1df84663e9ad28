/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-linger"

#include "cin-server-private.h"

/* The last answer on a connection whose client is still sending (a
 * request that took too long, headers too large): written, then the
 * connection half closed and what still comes read and dropped until the
 * client closes its end too, for a while at most.
 *
 * Closing at once would be simpler and lose the answer: a socket closed
 * with unread bytes in it sends a reset, and a client that gets the reset
 * before reading the answer never sees it. */

#define LINGER_MS 2000
#define LINGER_MAX_BYTES (1024 * 1024)

typedef struct {
  GSocket   *socket;
  GIOStream *stream;      /* (nullable) what holds the socket, closed with it */
  GSource   *source;
  guint      timeout_id;
  gsize      dropped;
} Linger;

static void
linger_finish (Linger *linger)
{
  g_clear_handle_id (&linger->timeout_id, g_source_remove);
  if (linger->source != NULL)
    {
      g_source_destroy (linger->source);
      g_clear_pointer (&linger->source, g_source_unref);
    }
  if (linger->stream != NULL)
    g_io_stream_close (linger->stream, NULL, NULL);
  g_socket_close (linger->socket, NULL);
  g_clear_object (&linger->stream);
  g_clear_object (&linger->socket);
  g_free (linger);
}

static gboolean
on_linger_timeout_cb (gpointer user_data)
{
  Linger *linger = user_data;

  linger->timeout_id = 0;
  linger_finish (linger);
  return G_SOURCE_REMOVE;
}

static gboolean
on_readable_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  Linger *linger = user_data;
  char buffer[16384];

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize got = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (got < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      /* Closed, broken, or sending more than anyone should. */
      if (got <= 0 || (linger->dropped += got) > LINGER_MAX_BYTES)
        {
          g_clear_pointer (&linger->source, g_source_unref);
          linger_finish (linger);
          return G_SOURCE_REMOVE;
        }
    }
}

void
_cin_server_answer_and_linger (GSocket    *socket,
                               GIOStream  *stream,
                               const char *answer,
                               gsize       length)
{
  Linger *linger = g_new0 (Linger, 1);

  linger->socket = g_object_ref (socket);
  linger->stream = stream != NULL ? g_object_ref (stream) : NULL;
  g_socket_set_blocking (socket, FALSE);
  /* A short answer on a connection that has sent nothing back yet: the
   * send buffer has room for it. */
  g_socket_send (socket, answer, length, NULL, NULL);
  g_socket_shutdown (socket, FALSE, TRUE, NULL);

  linger->source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (linger->source, (GSourceFunc)(void (*)(void))on_readable_cb, linger, NULL);
  g_source_attach (linger->source, NULL);
  linger->timeout_id = g_timeout_add (LINGER_MS, on_linger_timeout_cb, linger);
}
