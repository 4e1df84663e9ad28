/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include "cin-api-client-private.h"
#include "cin-note-json.h"

/* /v1/notes: list, PUT, GET, DELETE and the publish, schedule and
 * unpublish actions. */

/* /v1/notes/{id}, then @action when there is one. */
static char *
note_path (const char *id,
           const char *action)
{
  g_autofree char *escaped = _cin_api_escape_segment (id);

  return g_strconcat ("/v1/notes/", escaped, action != NULL ? "/" : NULL, action, NULL);
}

void
cin_api_client_list_notes_async (CinApiClient        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, "/v1/notes");
  task = _cin_api_client_new_task (self, cin_api_client_list_notes_async, cancellable, callback, user_data);
  _cin_api_client_send_json (self, task, msg, (CinApiDecodeFunc)_cin_api_decode_note_page,
                             (GDestroyNotify)cin_api_page_free);
}

CinApiPage *
cin_api_client_list_notes_finish (CinApiClient   *self,
                                  GAsyncResult   *result,
                                  CinApiFailure **failure,
                                  GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_list_notes_async, failure, error);
}

void
cin_api_client_put_note_async (CinApiClient        *self,
                               CinNote             *note,
                               const char          *if_match_rev,
                               const char          *idempotency_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = note_path (cin_note_get_id (note), NULL);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_PUT, path);
  _cin_api_set_change_headers (msg, if_match_rev, idempotency_key);
  _cin_api_set_json_body (msg, cin_note_to_json_string (note));
  task = _cin_api_client_new_task (self, cin_api_client_put_note_async, cancellable, callback, user_data);
  _cin_api_client_send_call (self, task, msg, CIN_API_ANSWER_NOTE);
}

CinNote *
cin_api_client_put_note_finish (CinApiClient   *self,
                                GAsyncResult   *result,
                                char          **rev,
                                CinApiFailure **failure,
                                GError        **error)
{
  CinNote *note = _cin_api_client_finish_pointer (self, result, cin_api_client_put_note_async,
                                                  failure, error);

  if (rev != NULL)
    *rev = note != NULL ? g_strdup (cin_note_get_rev (note)) : NULL;
  return note;
}

void
cin_api_client_delete_note_async (CinApiClient        *self,
                                  const char          *id,
                                  const char          *if_match_rev,
                                  const char          *idempotency_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (if_match_rev != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = note_path (id, NULL);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_DELETE, path);
  _cin_api_set_change_headers (msg, if_match_rev, idempotency_key);
  task = _cin_api_client_new_task (self, cin_api_client_delete_note_async, cancellable, callback, user_data);
  _cin_api_client_send_call (self, task, msg, CIN_API_ANSWER_NOTHING);
}

gboolean
cin_api_client_delete_note_finish (CinApiClient   *self,
                                   GAsyncResult   *result,
                                   CinApiFailure **failure,
                                   GError        **error)
{
  return _cin_api_client_finish_boolean (self, result, cin_api_client_delete_note_async, failure, error);
}

void
cin_api_client_get_note_async (CinApiClient        *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = note_path (id, NULL);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path);
  task = _cin_api_client_new_task (self, cin_api_client_get_note_async, cancellable, callback, user_data);
  _cin_api_client_send_call (self, task, msg, CIN_API_ANSWER_NOTE);
}

CinNote *
cin_api_client_get_note_finish (CinApiClient   *self,
                                GAsyncResult   *result,
                                CinApiFailure **failure,
                                GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_get_note_async, failure, error);
}

static char *
schedule_body (gint64 at)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autofree char *text = NULL;

  if (time == NULL)
    time = g_date_time_new_from_unix_utc (0);
  text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  return g_strdup_printf ("{\"at\":\"%s\"}", text);
}

void
cin_api_client_change_state_async (CinApiClient        *self,
                                   const char          *id,
                                   CinApiNoteAction     action,
                                   gint64               at,
                                   const char          *if_match_rev,
                                   const char          *idempotency_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  static const char * const verbs[] = {
    [CIN_API_NOTE_PUBLISH] = "publish",
    [CIN_API_NOTE_SCHEDULE] = "schedule",
    [CIN_API_NOTE_UNPUBLISH] = "unpublish",
  };
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;
  g_autofree char *path = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (action < G_N_ELEMENTS (verbs));
  g_return_if_fail (if_match_rev != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = note_path (id, verbs[action]);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_POST, path);
  _cin_api_set_change_headers (msg, if_match_rev, idempotency_key);
  _cin_api_set_json_body (msg, action == CIN_API_NOTE_SCHEDULE ? schedule_body (at) : g_strdup ("{}"));
  task = _cin_api_client_new_task (self, cin_api_client_change_state_async, cancellable, callback, user_data);
  _cin_api_client_send_call (self, task, msg, CIN_API_ANSWER_NOTE);
}

CinNote *
cin_api_client_change_state_finish (CinApiClient   *self,
                                    GAsyncResult   *result,
                                    CinApiFailure **failure,
                                    GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_change_state_async, failure, error);
}
