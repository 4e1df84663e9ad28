/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test-server"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sync-test-server.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("CINNABAR_SERVER");

  return path != NULL ? path : CIN_SERVER_PATH;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

SyncTestServer *
sync_test_server_start (const char *first_arg,
                        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  va_list args;
  SyncTestServer *server = g_new0 (SyncTestServer, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) create = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *log = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "listening on http://127.0.0.1:";

  server->data_dir = g_dir_make_tmp ("cin-sync-test-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (server->data_dir, "data", NULL);
  log = g_build_filename (server->data_dir, "server.log", NULL);

  /* The account is made offline, its password on stdin; what it says on
   * stdout must not end up in this test's TAP output. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  create = g_subprocess_launcher_spawn (launcher, &error, server_binary (), "--data-dir", data,
                                        "--create-account", SYNC_TEST_HANDLE, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (create, SYNC_TEST_PASSWORD "\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (create, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&launcher);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_ptr_array_add (argv, g_strdup (server_binary ()));
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  g_ptr_array_add (argv, g_strdup_printf ("--data-dir=%s", data));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  server->base_uri = g_strdup (line + strlen ("listening on "));
  return server;
}

void
sync_test_server_stop (SyncTestServer *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
  remove_tree (server->data_dir);
  g_free (server->data_dir);
  g_free (server->base_uri);
  g_free (server);
}

void
sync_test_store_result (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
sync_test_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}
