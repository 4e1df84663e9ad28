/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-test-host"

/* A SoupServer with nothing but CinTus mounted, for the black-box tus
 * tests until cinnabar-server mounts it itself. Prints, like the real
 * server will, "listening on http://127.0.0.1:PORT/", then one line per
 * CinTus signal:
 *
 *   upload-completed owner=… id=… sha256=… mime=… size=… path=…
 *   upload-terminated owner=… id=…
 *
 *   cin-tus-test-host --uploads DIR --media DIR [--prefix /v1/uploads]
 *       [--port N] [--photo-max-bytes N] [--video-max-bytes N]
 *       [--token TOKEN=OWNER …]
 *
 * Limits default to the rules file's. Without --token every request is
 * the account "local"; with tokens, "Authorization: Bearer TOKEN" picks
 * the owner and anything else is refused. */

#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "cin-tus.h"

static char *
authenticate_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  GHashTable *owners = user_data;
  const char *authorization;

  if (g_hash_table_size (owners) == 0)
    return g_strdup ("local");
  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  if (authorization == NULL || !g_str_has_prefix (authorization, "Bearer "))
    return NULL;
  return g_strdup (g_hash_table_lookup (owners, authorization + strlen ("Bearer ")));
}

static void
on_upload_completed_cb (CinTus     *tus,
                        const char *owner,
                        const char *upload_id,
                        const char *sha256,
                        const char *mime,
                        guint64     size,
                        const char *path,
                        gpointer    user_data)
{
  g_print ("upload-completed owner=%s id=%s sha256=%s mime=%s size=%" G_GUINT64_FORMAT " path=%s\n",
           owner, upload_id, sha256, mime, size, path);
  fflush (stdout);
}

static void
on_upload_terminated_cb (CinTus     *tus,
                         const char *owner,
                         const char *upload_id,
                         gpointer    user_data)
{
  g_print ("upload-terminated owner=%s id=%s\n", owner, upload_id);
  fflush (stdout);
}

static gboolean
on_quit_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *uploads_dir = NULL;
  g_autofree char *media_dir = NULL;
  g_autofree char *prefix = NULL;
  g_auto(GStrv) tokens = NULL;
  gint64 photo_max = 0, video_max = 0;
  int port = 0;
  const GOptionEntry entries[] = {
    { "uploads", 0, 0, G_OPTION_ARG_FILENAME, &uploads_dir, "Folder for uploads in progress", "DIR" },
    { "media", 0, 0, G_OPTION_ARG_FILENAME, &media_dir, "Folder for finished media", "DIR" },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix, "Where to mount tus (/v1/uploads)", "PATH" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "photo-max-bytes", 0, 0, G_OPTION_ARG_INT64, &photo_max, "Largest photo", "N" },
    { "video-max-bytes", 0, 0, G_OPTION_ARG_INT64, &video_max, "Largest video", "N" },
    { "token", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tokens, "A bearer token and its account", "TOKEN=OWNER" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- serve tus uploads for tests");
  g_autoptr(GHashTable) owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(CinRules) rules = NULL;
  g_autoptr(CinTus) tus = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  CinTusLimits limits = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (uploads_dir == NULL || media_dir == NULL)
    {
      g_printerr ("--uploads and --media are required\n");
      return 2;
    }

  rules = cin_rules_load_default (&error);
  if (rules == NULL)
    {
      g_printerr ("Could not load the rules: %s\n", error->message);
      return 1;
    }
  cin_tus_limits_init_from_rules (&limits, rules);
  if (photo_max > 0)
    limits.photo_max_bytes = (guint64) photo_max;
  if (video_max > 0)
    limits.video_max_bytes = (guint64) video_max;

  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    {
      const char *equals = strchr (tokens[i], '=');

      if (equals == NULL || equals == tokens[i] || equals[1] == '\0')
        {
          g_printerr ("--token takes TOKEN=OWNER, not “%s”\n", tokens[i]);
          return 2;
        }
      g_hash_table_insert (owners, g_strndup (tokens[i], (gsize) (equals - tokens[i])),
                           g_strdup (equals + 1));
    }

  tus = cin_tus_new (uploads_dir, media_dir, &limits, &error);
  if (tus == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_signal_connect (tus, "upload-completed", G_CALLBACK (on_upload_completed_cb), NULL);
  g_signal_connect (tus, "upload-terminated", G_CALLBACK (on_upload_terminated_cb), NULL);

  server = soup_server_new ("server-header", "cin-tus-test-host ", NULL);
  cin_tus_attach (tus, server, prefix != NULL ? prefix : "/v1/uploads",
                  authenticate_cb, g_hash_table_ref (owners), (GDestroyNotify) g_hash_table_unref);

  if (!soup_server_listen_local (server, (guint) port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("Could not listen: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  g_print ("listening on http://127.0.0.1:%d/\n", g_uri_get_port (uris->data));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_quit_signal_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (server);
  return 0;
}
