/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-secret"
/* memmem() */
#define _GNU_SOURCE

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "cin-api-client.h"
#include "cin-profiles.h"
#include "cin-secret.h"
#include "cin-store.h"
#include "sync-test-server.h"

/* Runs against a real gnome-keyring-daemon, started here with a fresh
 * login keyring in private HOME and XDG dirs, on the private session bus
 * meson gives this test (dbus-run-session, see meson.build): the bus is
 * this test's alone, so it never reaches a developer's own keyring. */

#define KEYRING_PASSWORD   "cinnabar test keyring"
#define KEYRING_BUS_NAME   "org.freedesktop.secrets"
#define KEYRING_START_WAIT (20 * G_TIME_SPAN_SECOND)

static char *test_root;      /* HOME and the XDG dirs are inside */
static GSubprocess *keyring; /* the daemon */

/* Every log message of this process, printed or not. */
static GMutex log_lock;
static GString *log_text;

static GLogWriterOutput
capture_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

  g_mutex_lock (&log_lock);
  g_string_append (log_text, line);
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_lock);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Before anything reads them: the child processes of
 * g_test_trap_subprocess() inherit the dirs of their parent. */
static void
set_up_private_dirs (void)
{
  const char *inherited = g_getenv ("CIN_TEST_SECRET_ROOT");
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *runtime = NULL;

  if (inherited != NULL)
    {
      test_root = g_strdup (inherited);
      return;
    }

  test_root = g_dir_make_tmp ("cin-secret-test-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (test_root, "home", NULL);
  runtime = g_build_filename (test_root, "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

  g_setenv ("CIN_TEST_SECRET_ROOT", test_root, TRUE);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  {
    g_autofree char *data = g_build_filename (home, ".local", "share", NULL);
    g_autofree char *config = g_build_filename (home, ".config", NULL);
    g_autofree char *cache = g_build_filename (home, ".cache", NULL);

    g_setenv ("XDG_DATA_HOME", data, TRUE);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  }
}

static gboolean
bus_name_has_owner (GDBusConnection *bus,
                    const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* Whatever the bus starts by activation sees the private dirs too, so a
 * stray activation of the keyring can never open the real one. */
static gboolean
set_activation_environment (GDBusConnection  *bus,
                            GError          **error)
{
  static const char *names[] = {
    "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
  };
  g_autoptr(GVariantBuilder) env = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GVariant) reply = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_variant_builder_add (env, "{ss}", names[i], g_getenv (names[i]));
  /* No display for the keyring's unlock prompter: there is nobody to
   * answer it, so it fails at once instead of waiting for ever. */
  g_variant_builder_add (env, "{ss}", "DISPLAY", "");
  g_variant_builder_add (env, "{ss}", "WAYLAND_DISPLAY", "");
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", env), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  return reply != NULL;
}

static void keyring_child_setup (gpointer user_data);

static gboolean
start_keyring (GError **error)
{
  g_autofree char *log_path = g_build_filename (test_root, "gnome-keyring.log", NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  GOutputStream *input;
  gint64 deadline;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (bus == NULL)
    return FALSE;
  if (bus_name_has_owner (bus, KEYRING_BUS_NAME))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "a Secret Service already runs on this bus; run the test through meson, which gives it a bus of its own");
      return FALSE;
    }
  if (!set_activation_environment (bus, error))
    return FALSE;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* Not on our stderr: meson waits for every holder of it to go. */
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, keyring_child_setup, NULL, NULL);
  /* --unlock reads the password from stdin and, with no login keyring in
   * the fresh XDG_DATA_HOME, makes one with it and unlocks it. */
  keyring = g_subprocess_launcher_spawn (launcher, error, "gnome-keyring-daemon",
                                         "--foreground", "--unlock", "--components=secrets",
                                         NULL);
  if (keyring == NULL)
    return FALSE;

  input = g_subprocess_get_stdin_pipe (keyring);
  if (!g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL, error) ||
      !g_output_stream_close (input, NULL, error))
    return FALSE;

  deadline = g_get_monotonic_time () + KEYRING_START_WAIT;
  while (!bus_name_has_owner (bus, KEYRING_BUS_NAME))
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      /* The identifier goes once the daemon has exited. */
      if (g_subprocess_get_identifier (keyring) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "gnome-keyring-daemon exited before it took %s", KEYRING_BUS_NAME);
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "gnome-keyring-daemon did not take %s within %d s",
                       KEYRING_BUS_NAME, (int)(KEYRING_START_WAIT / G_TIME_SPAN_SECOND));
          return FALSE;
        }
      g_usleep (20 * 1000);
    }

  return TRUE;
}

/* The daemon goes with this process, even when an assertion aborts it. */
static void
keyring_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
print_keyring_log (void)
{
  g_autofree char *path = g_build_filename (test_root, "gnome-keyring.log", NULL);
  g_autofree char *text = NULL;

  if (g_file_get_contents (path, &text, NULL, NULL))
    g_printerr ("gnome-keyring-daemon said:\n%s\n", text);
}

static void
stop_keyring (void)
{
  if (keyring == NULL)
    return;
  g_subprocess_send_signal (keyring, SIGTERM);
  g_subprocess_wait (keyring, NULL, NULL);
  g_clear_object (&keyring);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The keyring calls, made synchronous by running the default context. */

static gboolean
store_token (const char  *server,
             const char  *handle,
             const char  *token,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_secret_store_token_async (server, handle, token, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_secret_store_token_finish (result, error);
}

static char *
lookup_token (const char  *server,
              const char  *handle,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_secret_lookup_token_async (server, handle, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_secret_lookup_token_finish (result, error);
}

static gboolean
clear_token (const char  *server,
             const char  *handle,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_secret_clear_token_async (server, handle, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  return cin_secret_clear_token_finish (result, error);
}

static void
assert_token (const char *server,
              const char *handle,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  char *token = lookup_token (server, handle, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
  cin_secret_token_free (token);
}

/* How many keyring items Cinnabar has for this account. */
static guint
count_items (const char *server,
             const char *handle)
{
  g_autoptr(GError) error = NULL;
  /* The schema other tools see, spelled out again as the contract. */
  static const SecretSchema schema = {
    "io.github.cinnabar.Studio.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "handle", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  GList *items = secret_password_search_sync (&schema, SECRET_SEARCH_ALL, NULL, &error,
                                              "server", server,
                                              "handle", handle,
                                              NULL);
  guint n = g_list_length (items);

  g_assert_no_error (error);
  g_list_free_full (items, g_object_unref);
  return n;
}

static void
test_round_trip (void)
{
  const char *server = "https://cinnabar.example";
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = lookup_token (server, "alice", &error);
  g_assert_no_error (error);
  g_assert_null (token);

  g_assert_true (store_token (server, "alice", "first-token-0123456789", &error));
  g_assert_no_error (error);
  assert_token (server, "alice", "first-token-0123456789");

  /* A new sign-in replaces the item, it does not add a second. */
  g_assert_true (store_token (server, "alice", "second-token-9876543210", &error));
  g_assert_no_error (error);
  assert_token (server, "alice", "second-token-9876543210");
  g_assert_cmpuint (count_items (server, "alice"), ==, 1);

  g_assert_true (clear_token (server, "alice", &error));
  g_assert_no_error (error);
  assert_token (server, "alice", NULL);
  g_assert_cmpuint (count_items (server, "alice"), ==, 0);

  /* Clearing again is no error: there is nothing left to forget. */
  g_assert_true (clear_token (server, "alice", &error));
  g_assert_no_error (error);

  /* The server is the same however its address is spelled. */
  g_assert_true (store_token ("HTTPS://Cinnabar.Example:443/", "alice", "third-token-5555", &error));
  g_assert_no_error (error);
  assert_token (server, "alice", "third-token-5555");
  g_assert_cmpuint (count_items (server, "alice"), ==, 1);
  g_assert_true (clear_token ("https://cinnabar.example/", "alice", &error));
  g_assert_no_error (error);
  assert_token (server, "alice", NULL);
}

static void
test_accounts_apart (void)
{
  const struct {
    const char *server;
    const char *handle;
    const char *token;
  } accounts[] = {
    { "https://one.example", "alice", "token-one-alice" },
    { "https://two.example", "alice", "token-two-alice" },
    { "https://one.example", "小红·创作者", "token-one-cjk" },
    { "http://127.0.0.1:8080", "bob", "token-local-bob" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_assert_true (store_token (accounts[i].server, accounts[i].handle, accounts[i].token, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    assert_token (accounts[i].server, accounts[i].handle, accounts[i].token);

  /* The same handle on another server is another account. */
  g_assert_true (clear_token ("https://one.example", "alice", &error));
  g_assert_no_error (error);
  assert_token ("https://one.example", "alice", NULL);
  for (guint i = 1; i < G_N_ELEMENTS (accounts); i++)
    assert_token (accounts[i].server, accounts[i].handle, accounts[i].token);

  for (guint i = 1; i < G_N_ELEMENTS (accounts); i++)
    {
      g_assert_true (clear_token (accounts[i].server, accounts[i].handle, &error));
      g_assert_no_error (error);
      assert_token (accounts[i].server, accounts[i].handle, NULL);
    }
}

static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      /* This child process has not touched the bus yet; point it at a
       * bus that is not there. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cinnabar-test-bus", TRUE);

      g_assert_false (store_token ("https://cinnabar.example", "alice", "never-kept", &error));
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_NO_SERVICE);
      g_assert_nonnull (strstr (error->message, "keyring"));
      g_assert_null (strstr (error->message, "never-kept"));
      g_clear_error (&error);

      token = lookup_token ("https://cinnabar.example", "alice", &error);
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_NO_SERVICE);
      g_assert_null (token);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A session bus of its own with nothing on it, not even a way to start
 * a keyring: a desktop without one. */
#define EMPTY_BUS_CONFIG \
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n" \
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n" \
  "<busconfig>\n" \
  "  <type>session</type>\n" \
  "  <listen>unix:dir=%s</listen>\n" \
  "  <auth>EXTERNAL</auth>\n" \
  "  <policy context=\"default\">\n" \
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n" \
  "    <allow eavesdrop=\"true\"/>\n" \
  "    <allow own=\"*\"/>\n" \
  "  </policy>\n" \
  "</busconfig>\n"

static void
test_no_keyring_on_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) bus = NULL;
      g_autoptr(GDataInputStream) output = NULL;
      g_autofree char *dir = g_build_filename (test_root, "empty-bus", NULL);
      g_autofree char *config_path = g_build_filename (dir, "bus.conf", NULL);
      g_autofree char *config = g_strdup_printf (EMPTY_BUS_CONFIG, dir);
      g_autofree char *address = NULL;
      g_autofree char *token = NULL;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_file_set_contents (config_path, config, -1, &error);
      g_assert_no_error (error);
      bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "dbus-daemon", "--nofork", "--print-address=1",
                              "--config-file", config_path, NULL);
      g_assert_no_error (error);
      output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
      address = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (address);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

      g_assert_false (store_token ("https://cinnabar.example", "alice", "never-kept", &error));
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_NO_SERVICE);
      g_clear_error (&error);
      token = lookup_token ("https://cinnabar.example", "alice", &error);
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_NO_SERVICE);
      g_assert_null (token);

      g_subprocess_force_exit (bus);
      g_subprocess_wait (bus, NULL, NULL);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A locked keyring, and no prompt to unlock it (there is no prompter in
 * the test session): the user hears that the keyring is locked. Runs in a
 * child process, so a prompt that never ends fails on the time limit. */
static void
test_locked (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SecretService) service = NULL;
      g_autoptr(SecretCollection) collection = NULL;
      g_autolist(GDBusProxy) objects = NULL;
      g_autofree char *token = NULL;

      g_assert_true (store_token ("https://cinnabar.example", "locked", "kept-before-locking", &error));
      g_assert_no_error (error);

      service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
      g_assert_no_error (error);
      collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                     SECRET_COLLECTION_NONE, NULL, &error);
      g_assert_no_error (error);
      objects = g_list_append (NULL, g_object_ref (collection));
      secret_service_lock_sync (service, objects, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (secret_collection_get_locked (collection));

      g_assert_false (store_token ("https://cinnabar.example", "locked", "never-kept", &error));
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_LOCKED);
      g_assert_nonnull (strstr (error->message, "locked"));
      g_clear_error (&error);

      /* Still signed in, not signed out: the token is there, locked. */
      token = lookup_token ("https://cinnabar.example", "locked", &error);
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_LOCKED);
      g_assert_null (token);
      g_clear_error (&error);

      /* A sign-out that could not forget the token says so. */
      g_assert_false (clear_token ("https://cinnabar.example", "locked", &error));
      g_assert_error (error, CIN_SECRET_ERROR, CIN_SECRET_ERROR_LOCKED);
      g_clear_error (&error);

      /* An account with nothing stored is still just signed out. */
      token = lookup_token ("https://cinnabar.example", "nobody", &error);
      g_assert_no_error (error);
      g_assert_null (token);
      g_assert_true (clear_token ("https://cinnabar.example", "nobody", &error));
      g_assert_no_error (error);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Every regular file under @path holding @needle, skipping @skip. */
static void
find_in_files (const char *path,
               const char *skip,
               const char *needle,
               GPtrArray  *found)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_strcmp0 (path, skip) == 0)
    return;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    return;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          find_in_files (child, skip, needle, found);
        }
      return;
    }

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        g_ptr_array_add (found, g_strdup (path));
    }
}

static GPtrArray *
files_holding (const char *needle)
{
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  /* HOME holds the data, config and cache dirs; the runtime dir the
   * keyring's sockets. */
  find_in_files (test_root, keyrings, needle, found);
  return found;
}

static void
test_sign_in_token_only_in_keyring (void)
{
  TestServer *server = test_server_start (NULL);
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(CinProfiles) profiles = NULL;
  g_autoptr(CinProfile) profile = NULL;
  g_autofree char *probe_dir = NULL;
  g_autofree char *probe = NULL;
  const char *base_uri;

  sync_test_add_account (server);
  client = cin_api_client_new (server->base_url);
  cin_api_client_set_timeout (client, 10);
  base_uri = cin_api_client_get_base_uri (client);

  cin_api_client_sign_in_async (client, SYNC_TEST_HANDLE, SYNC_TEST_PASSWORD, NULL,
                                sync_test_store_result, &result);
  sync_test_wait (&result);
  session = cin_api_client_sign_in_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpuint (strlen (session->token), >=, 16);

  g_assert_true (store_token (base_uri, session->handle, session->token, &error));
  g_assert_no_error (error);
  assert_token (base_uri, session->handle, session->token);

  /* What else signing in writes: the account's profile, made active,
   * and its store, in the user's (private) data dir. */
  profiles = cin_profiles_open_sync (NULL, &error);
  g_assert_no_error (error);
  profile = cin_profiles_create_account_sync (profiles, base_uri, session->handle, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cin_profile_get_dir (profile), g_get_user_data_dir ()));
  g_assert_true (cin_profiles_set_active_sync (profiles, cin_profile_get_id (profile), &error));
  g_assert_no_error (error);
  {
    g_autoptr(GAsyncResult) store_result = NULL;
    g_autoptr(CinStore) store = NULL;

    cin_store_open_async (cin_profile_get_store_path (profile), NULL, sync_test_store_result, &store_result);
    sync_test_wait (&store_result);
    store = cin_store_open_finish (store_result, &error);
    g_assert_no_error (error);
    g_clear_object (&store_result);
    cin_store_close_async (store, NULL, sync_test_store_result, &store_result);
    sync_test_wait (&store_result);
    g_assert_true (cin_store_close_finish (store, store_result, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_test (cin_profile_get_store_path (profile), G_FILE_TEST_IS_REGULAR));

  /* The search finds a token where there is one. */
  probe_dir = g_build_filename (g_get_user_cache_dir (), "cinnabar", NULL);
  g_assert_cmpint (g_mkdir_with_parents (probe_dir, 0700), ==, 0);
  probe = g_build_filename (probe_dir, "probe", NULL);
  g_assert_true (g_file_set_contents (probe, session->token, -1, NULL));
  found = files_holding (session->token);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (found, 0), ==, probe);
  g_assert_cmpint (g_unlink (probe), ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = files_holding (session->token);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("The token is in %s", (const char *)g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);

  /* The keyring writes its file encrypted. */
  {
    g_autofree char *login = g_build_filename (g_get_user_data_dir (), "keyrings", "login.keyring", NULL);
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (login, &contents, &length, NULL));
    g_assert_null (memmem (contents, length, session->token, strlen (session->token)));
  }

  g_mutex_lock (&log_lock);
  g_assert_cmpuint (log_text->len, >, 0);
  g_assert_null (strstr (log_text->str, session->token));
  g_mutex_unlock (&log_lock);

  g_assert_true (clear_token (base_uri, session->handle, &error));
  g_assert_no_error (error);
  test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  set_up_private_dirs ();
  /* Debug messages are made (and captured) too, and printed on stderr,
   * away from the TAP on stdout. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (capture_log_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  if (!g_test_subprocess () && !start_keyring (&error))
    {
      g_printerr ("test-secret: could not start gnome-keyring-daemon: %s\n"
                  "Install gnome-keyring (bash build-aux/install-deps.sh) and run this test "
                  "through meson, under dbus-run-session.\n",
                  error->message);
      print_keyring_log ();
      g_print ("Bail out! gnome-keyring-daemon did not start: %s\n", error->message);
      stop_keyring ();
      rm_rf (test_root);
      return 1;
    }

  /* Before the keyring is touched: libsecret keeps its connection. */
  g_test_add_func ("/secret/no-keyring", test_no_keyring);
  g_test_add_func ("/secret/no-keyring-on-bus", test_no_keyring_on_bus);
  g_test_add_func ("/secret/round-trip", test_round_trip);
  g_test_add_func ("/secret/accounts-apart", test_accounts_apart);
  g_test_add_func ("/secret/sign-in-token-only-in-keyring", test_sign_in_token_only_in_keyring);
  /* Last: it leaves the keyring locked. */
  g_test_add_func ("/secret/locked", test_locked);

  status = g_test_run ();

  if (!g_test_subprocess ())
    {
      stop_keyring ();
      rm_rf (test_root);
    }
  g_free (test_root);
  g_string_free (log_text, TRUE);
  return status;
}
