/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cin-api-error.h"
#include "cin-note.h"

G_BEGIN_DECLS

/* The typed client of the Cinnabar HTTP API (docs/api/openapi.yaml), on
 * one SoupSession, main thread only. Every _finish that fails sets a
 * CIN_API_ERROR (or G_IO_ERROR_CANCELLED) and, when @failure is not NULL,
 * what the engine needs beyond it: status, Retry-After, the problem and,
 * for 412, the server's current entity. */

typedef struct {
  char      *token;
  char      *handle;
  GDateTime *expires_at;
} CinApiSession;

void cin_api_session_free (CinApiSession *session);

typedef struct {
  char     *cursor;
  char     *kind;     /* note, board, product, bookmark */
  char     *id;
  char     *rev;
  gboolean  deleted;
  /* A note's entity decoded, off the main thread; NULL for a tombstone
   * and other kinds, whose entities nothing keeps yet (they are only
   * checked to be objects). A note that does not decode fails the whole
   * page with CIN_API_ERROR_INVALID_RESPONSE. Keeping no JSON lets the
   * page's tree be freed on the thread that built it. */
  CinNote  *note;
} CinApiChange;

typedef struct {
  GPtrArray *changes; /* CinApiChange */
  char      *cursor;  /* send as `since` for the next page */
  gboolean   more;
} CinApiChangesPage;

void cin_api_changes_page_free (CinApiChangesPage *page);

/* A page of a list. Lists of the caller's own entities (notes, boards,
 * bookmarks, products) come whole, so their cursor is always NULL; explore
 * and search page with it. */
typedef struct {
  GPtrArray *items;   /* of what the call says: CinNote, CinApiBoard… */
  char      *cursor;  /* (nullable) send as `cursor` for the next page; NULL on the last */
} CinApiPage;

void cin_api_page_free (CinApiPage *page);

typedef struct {
  char      *handle;
  GDateTime *created_at;
} CinApiAccount;

void cin_api_account_free (CinApiAccount *account);

#define CIN_API_CLIENT_DEFAULT_TIMEOUT 30

#define CIN_TYPE_API_CLIENT (cin_api_client_get_type ())
G_DECLARE_FINAL_TYPE (CinApiClient, cin_api_client, CIN, API_CLIENT, GObject)

CinApiClient      *cin_api_client_new                (const char           *base_uri);
const char        *cin_api_client_get_base_uri       (CinApiClient         *self);
/* The one session every call of this client (and its uploads) goes
 * through. */
SoupSession       *cin_api_client_get_session        (CinApiClient         *self);
/* (nullable) the bearer token; never logged. */
const char        *cin_api_client_get_token          (CinApiClient         *self);
void               cin_api_client_set_token          (CinApiClient         *self,
                                                      const char           *token);
/* Seconds a request may wait for the server before it fails with
 * CIN_API_ERROR_TIMEOUT; 0 waits for ever. */
guint              cin_api_client_get_timeout        (CinApiClient         *self);
void               cin_api_client_set_timeout        (CinApiClient         *self,
                                                      guint                 seconds);

/* POST /v1/accounts: opens an account. It does not sign in: call
 * cin_api_client_sign_in_async() next. A taken handle is
 * CIN_API_ERROR_CONFLICT, a handle or password the server refuses
 * CIN_API_ERROR_PROBLEM (422) with the failure's field naming it. */
void               cin_api_client_sign_up_async      (CinApiClient         *self,
                                                      const char           *handle,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiAccount     *cin_api_client_sign_up_finish     (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* GET /v1/session: the account the token belongs to;
 * CIN_API_ERROR_UNAUTHORIZED when the server no longer knows the token. */
void               cin_api_client_get_account_async  (CinApiClient         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiAccount     *cin_api_client_get_account_finish (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* POST /v1/session; on success the client keeps the token. */
void               cin_api_client_sign_in_async      (CinApiClient         *self,
                                                      const char           *handle,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiSession     *cin_api_client_sign_in_finish     (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* DELETE /v1/session; on success the client forgets the token. */
void               cin_api_client_sign_out_async     (CinApiClient         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean           cin_api_client_sign_out_finish    (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* PUT /v1/notes/{id}: creates when @if_match_rev is NULL (If-None-Match: *),
 * else updates that revision. @idempotency_key is the outbox row's, so a
 * retry reuses it. Returns the note as stored; on 412 the failure holds
 * the server's note in current_note. */
void               cin_api_client_put_note_async     (CinApiClient         *self,
                                                      CinNote              *note,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinNote           *cin_api_client_put_note_finish    (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      char                **rev,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* DELETE /v1/notes/{id} at revision @if_match_rev. */
void               cin_api_client_delete_note_async  (CinApiClient         *self,
                                                      const char           *id,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean           cin_api_client_delete_note_finish (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* GET /v1/notes/{id}: the note as the server has it now. */
void               cin_api_client_get_note_async     (CinApiClient         *self,
                                                      const char           *id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinNote           *cin_api_client_get_note_finish    (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* GET /v1/notes: the caller's live notes (CinNote), in one page; the
 * change feed also has the tombstones. */
void               cin_api_client_list_notes_async   (CinApiClient         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiPage        *cin_api_client_list_notes_finish  (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

typedef enum {
  CIN_API_NOTE_PUBLISH,
  CIN_API_NOTE_SCHEDULE,
  CIN_API_NOTE_UNPUBLISH,
} CinApiNoteAction;

/* POST /v1/notes/{id}/publish, /schedule (at @at, unix µs) or
 * /unpublish, at revision @if_match_rev. Returns the note as changed. */
void               cin_api_client_change_state_async (CinApiClient         *self,
                                                      const char           *id,
                                                      CinApiNoteAction      action,
                                                      gint64                at,
                                                      const char           *if_match_rev,
                                                      const char           *idempotency_key,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinNote           *cin_api_client_change_state_finish (CinApiClient        *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

/* GET /v1/changes: @since NULL starts from the beginning, @limit 0 takes
 * the server's default. The page is parsed on a worker thread, so a big
 * one never holds up the main loop. CIN_API_ERROR_GONE asks for a resync without
 * @since. */
void               cin_api_client_get_changes_async  (CinApiClient         *self,
                                                      const char           *since,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CinApiChangesPage *cin_api_client_get_changes_finish (CinApiClient         *self,
                                                      GAsyncResult         *result,
                                                      CinApiFailure       **failure,
                                                      GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiSession, cin_api_session_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiChangesPage, cin_api_changes_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiPage, cin_api_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiAccount, cin_api_account_free)

G_END_DECLS

/* The rest of the routes, declared apart to keep each header short. */
#include "cin-api-client-collections.h"
#include "cin-api-client-explore.h"
#include "cin-api-client-metrics.h"
