/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"
#include "cin-api-error-private.h"

G_BEGIN_DECLS

/* The request plumbing the route files (cin-api-client-*.c) share with
 * the core in cin-api-client.c: build a message, send it as the task's
 * call, and decode what a successful answer holds. */

/* What a successful answer holds. */
typedef enum {
  CIN_API_ANSWER_NOTHING,   /* 2xx, the body unread: the task returns TRUE */
  CIN_API_ANSWER_SESSION,   /* a session, whose token the client keeps */
  CIN_API_ANSWER_NOTE,      /* a note with a rev; 412 decodes current_note */
  CIN_API_ANSWER_CHANGES,   /* a CinApiChangesPage */
  CIN_API_ANSWER_JSON,      /* a JSON object, turned into the task's value by a decoder */
} CinApiAnswer;

/* Turns a successful answer's JSON object into the task's value, or
 * returns NULL with a CIN_API_ERROR_INVALID_RESPONSE. */
typedef gpointer (*CinApiDecodeFunc) (JsonNode  *root,
                                      GError   **error);

/* A task for a call whose async function is @source_tag. */
GTask       *_cin_api_client_new_task     (CinApiClient        *self,
                                           gpointer             source_tag,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* A message to @path_and_query under the base URI, asking for JSON and
 * carrying the bearer token when there is one. */
SoupMessage *_cin_api_client_new_message  (CinApiClient      *self,
                                           const char        *method,
                                           const char        *path_and_query);
/* Sends @msg as @task's call; the task returns per @answer. Takes @task. */
void         _cin_api_client_send_call    (CinApiClient      *self,
                                           GTask             *task,
                                           SoupMessage       *msg,
                                           CinApiAnswer       answer);
/* Sends @msg as @task's call; a successful answer is an object that
 * @decode turns into the task's pointer, freed with @value_free. Takes
 * @task. */
void         _cin_api_client_send_json    (CinApiClient      *self,
                                           GTask             *task,
                                           SoupMessage       *msg,
                                           CinApiDecodeFunc   decode,
                                           GDestroyNotify     value_free);
/* Hands the failure to the caller when there is one and it asked. */
void         _cin_api_client_take_failure (GAsyncResult      *result,
                                           CinApiFailure    **failure);
/* The _finish of a call whose task returns a pointer. */
gpointer     _cin_api_client_finish_pointer (CinApiClient    *self,
                                           GAsyncResult      *result,
                                           gpointer           source_tag,
                                           CinApiFailure    **failure,
                                           GError           **error);
/* The _finish of a call whose task returns a boolean. */
gboolean     _cin_api_client_finish_boolean (CinApiClient    *self,
                                           GAsyncResult      *result,
                                           gpointer           source_tag,
                                           CinApiFailure    **failure,
                                           GError           **error);

/* Takes @json. */
void         _cin_api_set_json_body       (SoupMessage       *msg,
                                           char              *json);
/* Sets If-Match: "@if_match_rev", or If-None-Match: * when it is NULL,
 * and the Idempotency-Key. */
void         _cin_api_set_change_headers  (SoupMessage       *msg,
                                           const char        *if_match_rev,
                                           const char        *idempotency_key);
/* { "handle": @handle, "password": @password }, the body that signs up
 * and signs in. */
char        *_cin_api_credentials_json    (const char        *handle,
                                           const char        *password);
char        *_cin_api_escape_segment      (const char        *segment);
char        *_cin_api_quote_rev           (const char        *rev);
/* Appends "?name=value" or "&name=value", the value escaped. */
void         _cin_api_append_query        (GString           *path,
                                           const char        *name,
                                           const char        *value);

/* Members of a decoded object; NULL or FALSE when absent or of another
 * type. */
const char  *_cin_api_json_get_string     (JsonObject        *object,
                                           const char        *member);
gboolean     _cin_api_json_get_boolean    (JsonObject        *object,
                                           const char        *member,
                                           gboolean          *value);
gboolean     _cin_api_json_get_int        (JsonObject        *object,
                                           const char        *member,
                                           gint64            *value);
/* An RFC 3339 time member, or NULL. */
GDateTime   *_cin_api_json_dup_time       (JsonObject        *object,
                                           const char        *member);
/* A note as the server answers it (with a rev), or NULL with a
 * CIN_API_ERROR_INVALID_RESPONSE. */
CinNote     *_cin_api_decode_note         (JsonNode          *node,
                                           GError           **error);
/* { "items": [...], "cursor": string | null (or absent) } with each item
 * turned into an element by @decode_item (freed with @item_free). */
CinApiPage  *_cin_api_decode_page         (JsonNode          *root,
                                           CinApiDecodeFunc   decode_item,
                                           GDestroyNotify     item_free,
                                           GError           **error);
/* A page of notes (CinNote). */
CinApiPage  *_cin_api_decode_note_page    (JsonNode          *root,
                                           GError           **error);

G_END_DECLS
