/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The baseline of the server benchmark: a SoupServer whose one handler
 * answers every request with the same small JSON body, so what it serves
 * per second is libsoup's own limit on this machine. Prints the same line
 * cinnabar-server does: "listening on http://127.0.0.1:PORT/". */
#define G_LOG_DOMAIN "bench-soup-fixed"

#include <libsoup/soup.h>
#include <stdio.h>

static const char body[] = "{\"ok\":true}";

static void
answer_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    body, sizeof body - 1);
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, answer_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Could not listen: %s", error->message);

  uris = soup_server_get_uris (server);
  printf ("listening on http://127.0.0.1:%d/\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  g_main_loop_run (loop);
  return 0;
}
