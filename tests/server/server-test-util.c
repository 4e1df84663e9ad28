/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "server-test-util"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <glib/gstdio.h>

#include "server-test-util.h"

static const char *
server_binary (void)
{
  const char *env = g_getenv ("CINNABAR_SERVER");

  return env != NULL ? env : CIN_SERVER_PATH;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          rm_rf (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

/* The port from the one line the server prints once it listens. */
static guint
read_listening_port (GSubprocess *process)
{
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "listening on http://127.0.0.1:";

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  g_assert_true (g_str_has_suffix (line, "/"));
  return (guint)g_ascii_strtoull (line + strlen (prefix), NULL, 10);
}

/* In the server, before exec: it dies with the test, so a test that
 * aborts leaves no server behind. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

TestServer *
test_server_start (const char *first_arg,
                   ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  TestServer *server = g_new0 (TestServer, 1);
  gboolean demo = FALSE;
  va_list args;

  server->data_dir = g_dir_make_tmp ("cin-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->clock_file = g_build_filename (server->data_dir, "clock-offset", NULL);
  g_file_set_contents (server->clock_file, "0", -1, &error);
  g_assert_no_error (error);

  g_ptr_array_add (argv, g_strdup (server_binary ()));
  g_ptr_array_add (argv, g_strdup ("--port=0"));
  g_ptr_array_add (argv, g_strdup_printf ("--clock-offset-file=%s", server->clock_file));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    {
      /* "--demo" alone: the demo in this test's data dir. */
      if (strcmp (arg, "--demo") == 0)
        {
          g_ptr_array_add (argv, g_strdup_printf ("--demo=%s/data", server->data_dir));
          demo = TRUE;
        }
      else
        g_ptr_array_add (argv, g_strdup (arg));
    }
  va_end (args);
  if (!demo)
    g_ptr_array_add (argv, g_strdup_printf ("--data-dir=%s/data", server->data_dir));
  g_ptr_array_add (argv, NULL);

  /* The log goes to a file the tests read, to check what it holds. */
  server->log_file = g_build_filename (server->data_dir, "server.log", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_file);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  server->argv = g_strdupv ((char **)argv->pdata);

  server->port = read_listening_port (server->process);
  g_assert_cmpuint (server->port, >, 0);
  server->base_url = g_strdup_printf ("http://127.0.0.1:%u", server->port);

  server->session = soup_session_new_with_options ("timeout", 30, NULL);
  return server;
}

void
test_server_stop (TestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_if_exited (server->process) ||
          g_subprocess_get_exit_status (server->process) != 0)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (server->log_file, &log, NULL, NULL);
          g_printerr ("%s", log ? log : "");
        }
      g_assert_true (g_subprocess_get_if_exited (server->process));
      g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
    }

  g_clear_object (&server->session);
  g_clear_object (&server->process);
  rm_rf (server->data_dir);
  g_free (server->data_dir);
  g_free (server->clock_file);
  g_free (server->log_file);
  g_free (server->base_url);
  g_strfreev (server->argv);
  g_free (server);
}

void
test_server_kill (TestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
}

void
test_server_restart (TestServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int log_fd;

  test_server_kill (server);
  /* Its idle keep-alive connections lead to the dead process. */
  soup_session_abort (server->session);

  for (guint i = 0; server->argv[i] != NULL; i++)
    {
      if (g_str_has_prefix (server->argv[i], "--port="))
        g_ptr_array_add (argv, g_strdup_printf ("--port=%u", server->port));
      else
        g_ptr_array_add (argv, g_strdup (server->argv[i]));
    }
  g_ptr_array_add (argv, NULL);

  /* Appended to, so the log of the first run stays readable. */
  log_fd = g_open (server->log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  g_assert_cmpint (log_fd, >=, 0);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (read_listening_port (server->process), ==, server->port);
}

void
test_server_advance_clock (TestServer *server,
                           gint64      seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *updated = NULL;
  gint64 offset;

  g_file_get_contents (server->clock_file, &text, NULL, &error);
  g_assert_no_error (error);
  offset = g_ascii_strtoll (text, NULL, 10) + seconds;
  updated = g_strdup_printf ("%" G_GINT64_FORMAT, offset);
  g_file_set_contents (server->clock_file, updated, -1, &error);
  g_assert_no_error (error);
}

TestResponse *
test_server_request (TestServer *server,
                     const char *method,
                     const char *path,
                     const char *token,
                     const char *body,
                     ...)
{
  g_autofree char *url = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;
  TestResponse *response;
  const char *content_type = "application/json";
  const char *media_type;
  va_list args;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (request_headers, "Authorization", value);
    }

  va_start (args, body);
  for (const char *name = va_arg (args, const char *); name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        content_type = value;
      else
        soup_message_headers_replace (request_headers, name, value);
    }
  va_end (args);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  response = g_new0 (TestResponse, 1);
  response->body = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  media_type = soup_message_headers_get_content_type (response->headers, NULL);
  response->content_type = g_strdup (media_type);

  /* A HEAD answer names the type of a body it does not carry. */
  if (g_bytes_get_size (response->body) > 0 && media_type != NULL &&
      (strcmp (media_type, "application/json") == 0 ||
       strcmp (media_type, "application/problem+json") == 0))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (response->body, &size);

      json_parser_load_from_data (parser, data, size, &error);
      g_assert_no_error (error);
      response->json = json_node_ref (json_parser_get_root (parser));
    }
  return response;
}

void
test_response_free (TestResponse *response)
{
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

const char *
test_response_header (TestResponse *response,
                      const char   *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

JsonObject *
test_response_object (TestResponse *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

const char *
test_response_string (TestResponse *response,
                      const char   *member)
{
  JsonObject *object = test_response_object (response);
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
test_response_int (TestResponse *response,
                   const char   *member)
{
  return json_object_get_int_member (test_response_object (response), member);
}

char *
test_response_text (TestResponse *response)
{
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  return g_strndup (data, size);
}

char *
test_server_sign_up (TestServer *server,
                     const char *handle)
{
  g_autofree char *body = g_strdup_printf ("{\"handle\":\"%s\",\"password\":\"%s\"}", handle, TEST_PASSWORD);
  g_autoptr(TestResponse) created = NULL;
  g_autoptr(TestResponse) session = NULL;

  created = test_server_request (server, "POST", "/v1/accounts", NULL, body, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  session = test_server_request (server, "POST", "/v1/session", NULL, body, NULL);
  g_assert_cmpuint (session->status, ==, 201);
  g_assert_nonnull (test_response_string (session, "token"));
  return g_strdup (test_response_string (session, "token"));
}

char *
test_server_raw_exchange (TestServer *server,
                          const char *request,
                          gsize       length,
                          guint       timeout_ms)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) reply = g_string_new (NULL);
  GSocket *socket;
  char buffer[4096];

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, (timeout_ms + 999) / 1000);

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  request, length, NULL, NULL, &error))
    return NULL;

  for (;;)
    {
      gssize got = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (got <= 0)
        break;
      g_string_append_len (reply, buffer, got);
    }

  if (reply->len == 0)
    return NULL;
  return g_strdup (reply->str);
}

char *
test_uuid (void)
{
  return g_uuid_string_random ();
}

char *
test_idempotency_key (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strconcat ("test-", uuid, NULL);
}

char *
test_note_json (const char *id,
                const char *title,
                const char *body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "video");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "咖啡");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, "2026-01-01T08:00:00.000000Z");
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, "2026-01-01T08:00:00.000000Z");
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
test_server_put_note (TestServer  *server,
                      const char  *token,
                      const char  *json,
                      gboolean     publish,
                      char       **etag)
{
  g_autofree char *id = test_uuid ();
  g_autofree char *path = g_strconcat ("/v1/notes/", id, NULL);
  g_autofree char *publish_path = g_strconcat (path, "/publish", NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autofree char *publish_key = test_idempotency_key ();
  g_autoptr(TestResponse) created = NULL;
  g_autoptr(TestResponse) published = NULL;
  TestResponse *latest;

  created = test_server_request (server, "PUT", path, token, json,
                                 "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  latest = created;
  if (publish)
    {
      published = test_server_request (server, "POST", publish_path, token, NULL,
                                       "If-Match", test_response_header (created, "ETag"),
                                       "Idempotency-Key", publish_key, NULL);
      g_assert_cmpuint (published->status, ==, 200);
      latest = published;
    }
  if (etag != NULL)
    *etag = g_strdup (test_response_header (latest, "ETag"));
  return g_steal_pointer (&id);
}
