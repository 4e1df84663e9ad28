/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cin-ad-check.h"
#include "cin-rules.h"
#include "cin-server.h"
#include "cin-storage.h"

G_BEGIN_DECLS

/* Status codes newer than libsoup 3.2's SoupStatus (RFC 6585). */
#define CIN_STATUS_PRECONDITION_REQUIRED 428
#define CIN_STATUS_TOO_MANY_REQUESTS 429

#define CIN_USEC_PER_SEC G_GINT64_CONSTANT (1000000)

/* The slowest a request body may come, in bytes a second. */
#define CIN_SERVER_BODY_MIN_RATE 1024

/* Where the tus handler (src/server/tus) is mounted. */
#define CIN_SERVER_UPLOADS_PATH "/v1/uploads"

typedef struct _CinRequest CinRequest;

typedef void (*CinRouteHandler) (CinRequest *request);

typedef enum {
  CIN_ROUTE_ANONYMOUS  = 0,
  CIN_ROUTE_AUTH       = 1 << 0,  /* needs a bearer token: 401 without one */
  CIN_ROUTE_MAYBE_AUTH = 1 << 1,  /* reads a token when one is sent */
  CIN_ROUTE_JSON_BODY  = 1 << 2,  /* takes application/json: 415 otherwise */
  /* A mutation of an account's data: needs an Idempotency-Key, runs in one
   * transaction with the record of its response, and a replay of the key
   * answers that record. */
  CIN_ROUTE_MUTATION   = 1 << 3,
} CinRouteFlags;

typedef struct {
  const char      *method;
  const char      *path;      /* a template: /v1/notes/{id} */
  CinRouteFlags    flags;
  CinRouteHandler  handler;
} CinRoute;

#define CIN_REQUEST_MAX_PARAMS 4

/* What lists page by, and how long a search may be. */
#define CIN_REQUEST_DEFAULT_LIMIT 20
#define CIN_REQUEST_MAX_LIMIT 100
#define CIN_REQUEST_QUERY_MAX 100

struct _CinRequest {
  CinServer          *server;
  SoupServerMessage  *msg;
  const CinRoute     *route;
  const char         *method;
  const char         *path;
  GHashTable         *query;       /* (nullable) */
  char               *params[CIN_REQUEST_MAX_PARAMS];
  guint               n_params;
  gint64              account_id;  /* 0 when anonymous */
  gint64              now;         /* the server's clock, µs */
  JsonNode           *body;        /* (nullable) the JSON body */

  /* The response, put on the message once the handler returns, and kept
   * for a replay of the idempotency key. */
  guint               status;
  char               *content_type;
  GBytes             *response_body;
  char               *etag;
  char               *location;
  SoupMessageHeaders *headers;     /* any other response headers */
};

struct _CinServer {
  CinServerConfig  config;
  char            *data_dir;
  char            *clock_offset_file;

  SoupServer      *soup;
  CinStorage      *storage;
  CinRules        *rules;
  CinAdCheck      *ad_check;
  GObject         *tus;        /* (owned) CinTus at /v1/uploads */

  /* Failed sign-ins per handle, for the rate limit (cin-server-auth.c). */
  GHashTable      *signin_failures;
  /* Sessions found, by token hash (cin-server-session-cache.c). */
  GHashTable      *session_cache;
  /* Open connections by socket, and the tick checking their time
   * (cin-server-timeouts.c). */
  GHashTable      *connections;
  guint            timeouts_tick_id;

  guint            in_flight;
  gboolean         draining;
  GSourceFunc      drained_cb;
  gpointer         drained_data;
  guint            drain_timeout_id;
  guint            housekeeping_id;
};

/* The route table (cin-server-routes.c). */
const CinRoute *_cin_server_get_routes     (guint          *n_routes);
/* The route whose template matches @path and @method; when only the path
 * matches, NULL with *@path_matched TRUE (405). Fills @request's params. */
const CinRoute *_cin_server_match_route    (const char     *method,
                                            const char     *path,
                                            CinRequest     *request,
                                            gboolean       *path_matched);

gint64       _cin_server_now               (CinServer      *self);
/* A request counted in flight by the early handler has been answered. */
void         _cin_server_request_done      (CinServer      *self);
/* @msg, if counted in flight, will never finish (its connection is being
 * taken from libsoup): it stops counting now. */
void         _cin_server_forget_in_flight  (CinServer      *self,
                                            SoupServerMessage *msg);
void         _cin_server_on_request_headers (SoupServer       *soup,
                                            SoupServerMessage *msg,
                                            const char       *path,
                                            GHashTable       *query,
                                            gpointer          user_data);

void         _cin_request_init             (CinRequest     *request,
                                            CinServer      *self,
                                            SoupServerMessage *msg,
                                            const char     *path,
                                            GHashTable     *query);
void         _cin_request_clear            (CinRequest     *request);
/* Puts the response on the message. */
void         _cin_request_apply_response   (CinRequest     *request);
void         _cin_request_log      (CinRequest     *request,
                                            gint64          started);
void         _cin_server_housekeeping      (CinServer      *self);
/* Writes @answer on @socket and closes it once the client has closed its
 * end or after a while, reading and dropping what still comes
 * (cin-server-linger.c). Holds @stream, if any, until then. */
void         _cin_server_answer_and_linger (GSocket        *socket,
                                            GIOStream      *stream,
                                            const char     *answer,
                                            gsize           length);
/* Request and idle timeouts (cin-server-timeouts.c). */
void         _cin_server_timeouts_start    (CinServer      *self);
void         _cin_server_timeouts_stop     (CinServer      *self);

/* Request parameters and headers (cin-server-request.c). */
const char  *cin_request_param             (CinRequest     *request,
                                            guint           index);
const char  *cin_request_query             (CinRequest     *request,
                                            const char     *name);
const char  *cin_request_header            (CinRequest     *request,
                                            const char     *name);
/* The "limit" query parameter of a list, CIN_REQUEST_DEFAULT_LIMIT when
 * absent; FALSE after answering 400 when it is not 1 to
 * CIN_REQUEST_MAX_LIMIT. */
gboolean     cin_request_read_limit        (CinRequest     *request,
                                            guint          *limit);
/* The "q" query parameter without its leading and trailing spaces; NULL
 * after answering 400 unless that is 1 to CIN_REQUEST_QUERY_MAX
 * characters of UTF-8. */
char        *cin_request_dup_query_text    (CinRequest     *request);
/* A list cursor "NUMBER.REST", NUMBER from 1 to G_MAXINT64; *@rest points
 * into @cursor, for the caller to check. */
gboolean     cin_request_split_cursor      (const char     *cursor,
                                            gint64         *number,
                                            const char    **rest);
/* The 400 for a cursor in query parameter @param this server did not give. */
void         cin_request_answer_invalid_cursor (CinRequest *request,
                                                const char *param);

/* A list's page, {"items":[…],"cursor":…}, written as its rows are read
 * (cin-server-request.c). One row more than the limit is read: it only
 * says another page follows. */
typedef struct {
  GString *text;     /* (nullable) once answered */
  guint    limit;
  guint    shown;
  gboolean more;
} CinItemPage;

void         cin_item_page_init            (CinItemPage    *page,
                                            guint           limit,
                                            gsize           item_size);
void         cin_item_page_clear           (CinItemPage    *page);
/* Before each row: FALSE for the row after the limit (which sets @more);
 * otherwise TRUE, with the separator written. */
gboolean     cin_item_page_add             (CinItemPage    *page);
/* Answers 200 with the page, @next_cursor its cursor when more follow. */
void         cin_request_respond_item_page (CinRequest     *request,
                                            CinItemPage    *page,
                                            const char     *next_cursor);

/* Responses (cin-server-request.c). Each replaces what was set before. */
void         cin_request_respond_json      (CinRequest     *request,
                                            guint           status,
                                            JsonNode       *node);
/* The same with JSON text already written (from stored JSON); takes
 * @text. */
void         cin_request_respond_json_text (CinRequest     *request,
                                            guint           status,
                                            GString        *text);
void         cin_request_respond_empty     (CinRequest     *request,
                                            guint           status);
/* RFC 9457 application/problem+json. @field names the member or header
 * at fault, when there is one. */
void         cin_request_problem           (CinRequest     *request,
                                            guint           status,
                                            const char     *type,
                                            const char     *field,
                                            const char     *detail_format,
                                            ...) G_GNUC_PRINTF (5, 6);
/* As cin_request_problem(), with extra members added to the object. */
void         cin_request_problem_with      (CinRequest     *request,
                                            guint           status,
                                            const char     *type,
                                            const char     *field,
                                            JsonObject     *extra,
                                            const char     *detail);
void         cin_request_internal_error    (CinRequest     *request,
                                            const GError   *error);

/* Authentication (cin-server-auth.c). */
gboolean     _cin_server_authenticate      (CinRequest     *request,
                                            gboolean        required);
/* The account of an "Authorization: Bearer …" header value, or 0. */
gint64       _cin_server_account_for_authorization (CinServer *self,
                                            const char     *authorization);
char        *_cin_server_hash_password     (const char     *password,
                                            GError        **error);

/* Sessions already found (cin-server-session-cache.c). */
GHashTable  *_cin_session_cache_new        (void);
/* The account of a cached, unexpired session, or 0. */
gint64       _cin_session_cache_lookup     (GHashTable     *cache,
                                            const char     *token_hash,
                                            gint64          now);
void         _cin_session_cache_remember   (GHashTable     *cache,
                                            const char     *token_hash,
                                            gint64          account_id,
                                            gint64          expires_at,
                                            gint64          now);
void         _cin_session_cache_forget     (GHashTable     *cache,
                                            const char     *token_hash);

/* The route handlers, one file per resource. */
void         _cin_route_accounts_create    (CinRequest *request);
void         _cin_route_session_create     (CinRequest *request);
void         _cin_route_session_delete     (CinRequest *request);
void         _cin_route_session_get        (CinRequest *request);
void         _cin_route_notes_list         (CinRequest *request);
void         _cin_route_note_put           (CinRequest *request);
void         _cin_route_note_get           (CinRequest *request);
void         _cin_route_note_delete        (CinRequest *request);
void         _cin_route_note_publish       (CinRequest *request);
void         _cin_route_note_schedule      (CinRequest *request);
void         _cin_route_note_unpublish     (CinRequest *request);
void         _cin_route_changes_list       (CinRequest *request);
void         _cin_route_explore            (CinRequest *request);
void         _cin_route_note_metrics       (CinRequest *request);
void         _cin_route_account_metrics    (CinRequest *request);
void         _cin_route_search             (CinRequest *request);
void         _cin_route_topics             (CinRequest *request);
void         _cin_route_following_list     (CinRequest *request);
void         _cin_route_follow_put         (CinRequest *request);
void         _cin_route_follow_delete      (CinRequest *request);
void         _cin_route_board_put (CinRequest *request);
void         _cin_route_board_get (CinRequest *request);
void         _cin_route_board_delete (CinRequest *request);
void         _cin_route_board_list (CinRequest *request);
void         _cin_route_bookmark_put (CinRequest *request);
void         _cin_route_bookmark_get (CinRequest *request);
void         _cin_route_bookmark_delete (CinRequest *request);
void         _cin_route_bookmark_list (CinRequest *request);
void         _cin_route_product_put (CinRequest *request);
void         _cin_route_product_get (CinRequest *request);
void         _cin_route_product_delete (CinRequest *request);
void         _cin_route_product_list (CinRequest *request);

G_END_DECLS
