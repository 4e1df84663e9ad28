/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-server-request"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cin-server-private.h"
#include "cin-storage-sqlite-private.h"

/* libFuzzer target: the bytes a client sends, given to a whole
 * cinnabar-server over a socket pair, in process. That is libsoup's request
 * parser, then the server's early handler (body limits from the headers),
 * routing, the bearer token, the query parameters of /v1/changes,
 * /v1/explore and /v1/search, the precondition and idempotency headers
 * (If-Match, If-None-Match, Idempotency-Key), JSON bodies and the note
 * codec and rules behind PUT /v1/notes/{id}, and SQLite.
 *
 * One server serves every input, but each finds it as new (an empty
 * database, counters from zero, empty caches), so that a crash reproduces
 * from its input alone. Two accounts are there, signed in with fixed
 * tokens the seed corpus uses ("Authorization: Bearer cin_fuzz", and
 * cin_other for the second). Any crash, sanitizer report, GLib critical,
 * answer that is not HTTP, or 500 is a bug.
 *
 * Two routes answer 404 here: tus uploads (/v1/uploads) have their own
 * tests, and finish work on threads this target would not wait for; and
 * sign-up (POST /v1/accounts) hashes with yescrypt, tens of milliseconds
 * by design, which would slow every input that reaches it (its body is
 * read as sign-in's is, which stays). */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define FUZZ_TOKEN "cin_fuzz"
#define OTHER_TOKEN "cin_other"

/* Back to a new server's state, much faster than making one: the tables
 * emptied and the feed counter back to zero (so the cache of entity
 * versions by seq must go too), the in-memory caches emptied. */
static void
reset_server (CinServer *server)
{
  CinStorageSqlite *sqlite = (CinStorageSqlite *)server->storage;
  g_autoptr(GError) error = NULL;

  if (!_cin_sqlite_exec (sqlite->db,
                         "BEGIN IMMEDIATE;"
                         "DELETE FROM notes_fts; DELETE FROM entities; DELETE FROM idempotency;"
                         "DELETE FROM topic_uses; DELETE FROM topics; DELETE FROM follows;"
                         "DELETE FROM sessions; DELETE FROM accounts;"
                         "UPDATE counters SET value = 0;"
                         "COMMIT", &error))
    g_error ("Could not empty the database: %s", error->message);
  _cin_sqlite_json_cache_free (sqlite->json_cache);
  sqlite->json_cache = _cin_sqlite_json_cache_new (1024 * 1024);
  g_hash_table_remove_all (server->session_cache);
  g_hash_table_remove_all (server->signin_failures);
}

static void
add_signed_in_account (CinServer  *server,
                       const char *handle,
                       const char *token)
{
  CinStorage *storage = server->storage;
  g_autofree char *token_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  gint64 now = _cin_server_now (server);
  gint64 account_id;

  /* No password: nobody signs in as these, they are signed in already. */
  if (!storage->ops->account_create (storage, handle, "*", now, &account_id, NULL) ||
      !storage->ops->session_create (storage, token_hash, account_id,
                                     now + CIN_USEC_PER_SEC * 60 * 60, NULL))
    g_error ("Could not make the fuzzing account %s", handle);
}

static void
refuse_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* libsoup keeps a connection open for the next request only while the
 * server listens somewhere; nothing connects to this port. */
static void
listen_somewhere (CinServer *server)
{
  g_autoptr(GError) error = NULL;

  if (!soup_server_listen_local (server->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Could not listen: %s", error->message);
}

static CinServer *
start_server (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  CinServerConfig config;
  CinServer *server;

  cin_server_config_init (&config);
  config.data_dir = data_dir;
  config.max_body_bytes = 64 * 1024;
  /* No scheduler tick: nothing may happen between inputs. */
  config.housekeeping_interval_ms = 0;
  server = cin_server_new (&config, &error);
  if (server == NULL)
    g_error ("Could not start the server: %s", error->message);

  listen_somewhere (server);
  soup_server_add_early_handler (server->soup, CIN_SERVER_UPLOADS_PATH, refuse_cb, NULL, NULL);
  soup_server_add_early_handler (server->soup, "/v1/accounts", refuse_cb, NULL, NULL);
  return server;
}

/* Each answer must be HTTP, and none a 500: a stranger's bytes must not
 * make the server fail. */
static void
check_answers (const char *out,
               gsize       size)
{
  const char *end;

  if (size == 0)
    return;
  end = out + size;
  if (size < 12 || memcmp (out, "HTTP/1.", 7) != 0)
    g_error ("The server answered something that is not HTTP: %.*s", (int)MIN (size, 64), out);
  for (const char *p = out; p != NULL && p + 12 <= end;
       p = g_strstr_len (p + 1, end - p - 1, "\r\nHTTP/1.1 "))
    {
      const char *status = p[0] == '\r' ? p + 2 + 9 : p + 9;

      if (status + 3 <= end && memcmp (status, "500", 3) == 0)
        g_error ("The server answered 500 Internal Server Error");
    }
}

/* Reads what the server has answered so far into @answers; TRUE if it
 * read anything. */
static gboolean
read_answers (int         client,
              GByteArray *answers,
              gboolean   *closed)
{
  gboolean got = FALSE;
  guint8 buffer[16384];
  gssize n;

  while ((n = recv (client, buffer, sizeof buffer, MSG_DONTWAIT)) > 0)
    {
      g_byte_array_append (answers, buffer, n);
      got = TRUE;
    }
  if (n == 0)
    *closed = TRUE;
  else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
    *closed = TRUE;
  return got;
}

/* Runs the server and the client's side of the connection until neither
 * has anything left to do: the server waits for bytes that will not come,
 * or has closed. */
static void
run_until_quiet (int         client,
                 const guint8 **to_send,
                 gsize       *left,
                 GByteArray  *answers,
                 gboolean    *closed)
{
  gboolean busy = TRUE;

  while (busy && !*closed)
    {
      busy = g_main_context_iteration (NULL, FALSE);
      if (*left > 0)
        {
          gssize n = send (client, *to_send, *left, MSG_DONTWAIT | MSG_NOSIGNAL);

          if (n > 0)
            {
              *to_send += n;
              *left -= n;
              busy = TRUE;
            }
        }
      if (read_answers (client, answers, closed))
        busy = TRUE;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static CinServer *server;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) answers = g_byte_array_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback, 8080);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (loopback, 40000);
  const guint8 *to_send = data;
  gsize left = size;
  gboolean closed = FALSE;
  int fds[2];

  if (server == NULL)
    {
      /* In $TMPDIR, left there: libFuzzer ends the process without
       * running exit handlers. build-aux/fuzz.sh gives a scratch dir. */
      g_autofree char *data_dir = g_dir_make_tmp ("cin-fuzz-request-XXXXXX", &error);
      g_autofree char *server_dir = NULL;

      if (data_dir == NULL)
        g_error ("No temporary dir: %s", error->message);
      /* A critical is a broken promise inside the server, a bug like a
       * crash. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
      server_dir = g_build_filename (data_dir, "data", NULL);
      server = start_server (server_dir);
    }
  reset_server (server);
  add_signed_in_account (server, "fuzz", FUZZ_TOKEN);
  add_signed_in_account (server, "other", OTHER_TOKEN);

  /* A socket pair rather than memory streams: libsoup stops reading
   * pipelined requests once its stream says end-of-file, so the client
   * end is only shut once the server has answered all it could. */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    g_error ("socketpair: %s", g_strerror (errno));
  socket = g_socket_new_from_fd (fds[1], &error);
  if (socket == NULL)
    g_error ("No socket: %s", error->message);
  connection = g_socket_connection_factory_create_connection (socket);
  if (!soup_server_accept_iostream (server->soup, G_IO_STREAM (connection), local, remote, &error))
    g_error ("libsoup did not take the connection: %s", error->message);

  /* A loop that never ends is a hang, for libFuzzer to report. */
  run_until_quiet (fds[0], &to_send, &left, answers, &closed);
  /* The server ends the connection, not the client: libsoup 3.2 leaks a
   * connection its client closes while idle (fixed in 3.3.0), which
   * would grow the fuzzer past its memory limit. Ending the server's
   * connections ends its listener too, so it listens again. */
  soup_server_disconnect (server->soup);
  run_until_quiet (fds[0], &to_send, &left, answers, &closed);
  close (fds[0]);
  listen_somewhere (server);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* For writing seeds: what the server answered them. */
  if (g_getenv ("CIN_FUZZ_PRINT_ANSWERS") != NULL)
    fwrite (answers->data, 1, answers->len, stdout);
  check_answers ((const char *)answers->data, answers->len);
  return 0;
}
