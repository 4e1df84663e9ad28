/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-main"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>

#include "cin-server-log.h"
#include "cin-server.h"

/* cinnabar-server [--listen ADDRESS] [--port PORT] --data-dir DIR
 *
 * Once it listens it prints one line on stdout, for scripts and tests to
 * read the port from (useful with --port 0):
 *
 *   listening on http://127.0.0.1:PORT/
 *
 * SIGTERM or SIGINT: stop taking requests, answer those in flight, exit 0. */

#define DRAIN_TIMEOUT_MS 10000

static gboolean
on_drained_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

typedef struct {
  CinServer  *server;
  GMainLoop  *loop;
  gboolean    stopping;
} Runner;

static gboolean
on_stop_signal_cb (gpointer user_data)
{
  Runner *runner = user_data;

  if (!runner->stopping)
    {
      runner->stopping = TRUE;
      cin_server_drain (runner->server, DRAIN_TIMEOUT_MS, on_drained_cb, runner->loop);
    }
  return G_SOURCE_CONTINUE;
}

/* The password comes on stdin, never on the command line, where any
 * user could read it in the process list. */
static char *
read_password_line (void)
{
  char buffer[1100];
  size_t len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  len = strcspn (buffer, "\r\n");
  buffer[len] = '\0';
  return g_strdup (buffer);
}

static int
create_account (CinServer  *server,
                const char *handle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = read_password_line ();

  if (password == NULL)
    {
      g_printerr ("cinnabar-server: give the password on standard input\n");
      return 1;
    }
  if (!cin_server_create_account (server, handle, password, &error))
    {
      g_printerr ("cinnabar-server: can't create “%s”: %s\n", handle, error->message);
      return 1;
    }
  g_print ("created account %s\n", handle);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen_address = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *demo_dir = NULL;
  g_autofree char *clock_offset_file = NULL;
  g_autofree char *new_account = NULL;
  gboolean list_routes = FALSE;
  gboolean verbose = FALSE;
  gint port = 8080;
  gint64 max_body_bytes = 0;
  gint64 tombstone_ttl = 0;
  gint tick_ms = 0;
  gint request_timeout = 0;
  gint idle_timeout = 0;
  CinServerConfig config;
  Runner runner = { 0 };
  guint bound;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen_address,
      "The IP address to listen on (default 127.0.0.1)", "ADDRESS" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      "The TCP port (default 8080; 0 picks a free one)", "PORT" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Where the database and media are kept", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_FILENAME, &demo_dir,
      "Serve DIR as the data dir, filled with a demo account and notes when new", "DIR" },
    { "list-routes", 0, 0, G_OPTION_ARG_NONE, &list_routes,
      "Print every route as METHOD PATH and exit", NULL },
    { "create-account", 0, 0, G_OPTION_ARG_STRING, &new_account,
      "Create an account, its password read from stdin, and exit", "HANDLE" },
    { "max-body-bytes", 0, 0, G_OPTION_ARG_INT64, &max_body_bytes,
      "Refuse request bodies larger than this (default 1 MiB)", "BYTES" },
    { "tombstone-ttl", 0, 0, G_OPTION_ARG_INT64, &tombstone_ttl,
      "Seconds a deletion stays in the change feed (default 30 days)", "SECONDS" },
    { "tick-ms", 0, 0, G_OPTION_ARG_INT, &tick_ms,
      "How often due notes are published and old data pruned (default 1000)", "MS" },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &request_timeout,
      "Seconds a request's headers may take, and each span its body must "
      "bring 1 KiB/s in (default 20)", "SECONDS" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Seconds a kept-alive connection may wait for its next request (default 60)", "SECONDS" },
    { "clock-offset-file", 0, 0, G_OPTION_ARG_FILENAME, &clock_offset_file,
      "For tests: a file holding seconds to add to the clock", "FILE" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log debug messages too", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— the Cinnabar reference API server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cinnabar-server: %s\n", error->message);
      return 2;
    }

  if (list_routes)
    {
      g_autofree char *routes = cin_server_dup_route_list ();

      fputs (routes, stdout);
      return 0;
    }

  if (data_dir != NULL && demo_dir != NULL)
    {
      g_printerr ("cinnabar-server: give --data-dir or --demo, not both\n");
      return 2;
    }
  if (demo_dir != NULL)
    data_dir = g_strdup (demo_dir);
  if (data_dir == NULL)
    {
      g_printerr ("cinnabar-server: give --data-dir DIR (or --demo DIR)\n");
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("cinnabar-server: --port must be 0 to 65535\n");
      return 2;
    }
  if (request_timeout < 0 || request_timeout > 3600 || idle_timeout < 0 || idle_timeout > 3600)
    {
      g_printerr ("cinnabar-server: --request-timeout and --idle-timeout must be 1 to 3600 seconds\n");
      return 2;
    }

  cin_server_log_install (verbose);

  cin_server_config_init (&config);
  config.data_dir = data_dir;
  config.clock_offset_file = clock_offset_file;
  if (max_body_bytes > 0)
    config.max_body_bytes = max_body_bytes;
  if (tombstone_ttl > 0)
    config.tombstone_ttl_usec = tombstone_ttl * G_GINT64_CONSTANT (1000000);
  if (tick_ms > 0)
    config.housekeeping_interval_ms = tick_ms;
  if (request_timeout > 0)
    config.request_timeout_ms = request_timeout * 1000;
  if (idle_timeout > 0)
    config.idle_timeout_ms = idle_timeout * 1000;

  server = cin_server_new (&config, &error);
  if (server == NULL)
    {
      g_printerr ("cinnabar-server: %s\n", error->message);
      return 1;
    }

  if (new_account != NULL)
    return create_account (server, new_account);

  if (demo_dir != NULL && !cin_server_seed_demo (server, &error))
    {
      g_printerr ("cinnabar-server: can't make the demo: %s\n", error->message);
      return 1;
    }

  bound = cin_server_listen (server, listen_address ? listen_address : "127.0.0.1", port, &error);
  if (bound == 0)
    {
      g_printerr ("cinnabar-server: can't listen: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  runner.server = server;
  runner.loop = loop;
  g_unix_signal_add (SIGTERM, on_stop_signal_cb, &runner);
  g_unix_signal_add (SIGINT, on_stop_signal_cb, &runner);

  {
    const char *address = listen_address ? listen_address : "127.0.0.1";
    gboolean ipv6 = strchr (address, ':') != NULL;

    printf ("listening on http://%s%s%s:%u/\n", ipv6 ? "[" : "", address, ipv6 ? "]" : "", bound);
    fflush (stdout);
  }

  g_main_loop_run (loop);
  return 0;
}
