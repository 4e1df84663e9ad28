/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The password test_server_sign_up() gives every account. */
#define TEST_PASSWORD "correct horse battery"

/* A real cinnabar-server on 127.0.0.1 with --port 0 and a fresh data dir,
 * spoken to over HTTP like any client would. */

typedef struct {
  GSubprocess *process;
  char        *data_dir;
  char        *clock_file;   /* --clock-offset-file, see test_server_advance_clock() */
  char        *log_file;     /* the server's stderr */
  char        *base_url;     /* http://127.0.0.1:PORT */
  guint        port;
  SoupSession *session;
  GStrv        argv;         /* what it was started with, for test_server_restart() */
} TestServer;

typedef struct {
  guint               status;
  char               *content_type;  /* (nullable) media type only */
  GBytes             *body;
  JsonNode           *json;          /* (nullable) when the body is JSON */
  SoupMessageHeaders *headers;
} TestResponse;

/* Extra command-line arguments, NULL-terminated; "--demo" serves the
 * demo from the test's data dir. */
TestServer   *test_server_start          (const char   *first_arg,
                                          ...);
/* SIGTERM, then checks that the server exits 0, and removes its data.
 * A test that stopped the process itself clears server->process first. */
void          test_server_stop           (TestServer   *server);
/* SIGKILLs the server and waits for it to die, leaving its data dir;
 * server->process is NULL after. */
void          test_server_kill           (TestServer   *server);
/* Starts the server again, with the arguments it first had, on the same
 * port and data dir: for a test that killed it (test_server_kill()) or
 * stopped it and cleared server->process; one still running is killed
 * first. Its log is appended to, and server->session's connections to the
 * old process are dropped. */
void          test_server_restart        (TestServer   *server);
/* Moves the server's clock @seconds ahead of the current offset. */
void          test_server_advance_clock  (TestServer   *server,
                                          gint64        seconds);

/* @token and @body may be NULL; a body is sent as application/json unless
 * a "Content-Type" header follows. Then header name/value pairs, NULL
 * ended. */
TestResponse *test_server_request        (TestServer   *server,
                                          const char   *method,
                                          const char   *path,
                                          const char   *token,
                                          const char   *body,
                                          ...) G_GNUC_NULL_TERMINATED;
void          test_response_free         (TestResponse *response);
const char   *test_response_header       (TestResponse *response,
                                          const char   *name);
/* A top-level member of the JSON object response, or NULL. */
const char   *test_response_string       (TestResponse *response,
                                          const char   *member);
gint64        test_response_int          (TestResponse *response,
                                          const char   *member);
JsonObject   *test_response_object       (TestResponse *response);
char         *test_response_text         (TestResponse *response);

/* Creates an account and signs in; returns the bearer token. */
char         *test_server_sign_up        (TestServer   *server,
                                          const char   *handle);

/* Sends @request as raw bytes on a new TCP connection and returns what
 * came back before the server closed or @timeout_ms passed (NULL on a
 * reset). */
char         *test_server_raw_exchange   (TestServer   *server,
                                          const char   *request,
                                          gsize         length,
                                          guint         timeout_ms);

/* A fresh random UUID and a unique idempotency key. */
char         *test_uuid                  (void);
char         *test_idempotency_key       (void);

/* The JSON of a valid draft note with @id, for PUT /v1/notes/{id}: a
 * video note, which publishes without photo uploads. */
char         *test_note_json             (const char   *id,
                                          const char   *title,
                                          const char   *body);

/* PUTs @json as a new note of @token's account (201) and, when
 * @publish, publishes it (200); fails the test otherwise. Returns the
 * note's id; *@etag (when not NULL) is its latest ETag. */
char         *test_server_put_note       (TestServer   *server,
                                          const char   *token,
                                          const char   *json,
                                          gboolean      publish,
                                          char        **etag);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestResponse, test_response_free)

G_END_DECLS
