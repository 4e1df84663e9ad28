/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include "cin-api-client-private.h"
#include "cin-note-json.h"

/* /v1/notes: list, PUT, GET, DELETE and the publish, schedule and
 * unpublish actions. */

void
cin_api_client_list_notes_async (CinApiClient        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_api_client_list_notes_async);

  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, "/v1/notes");
  _cin_api_client_send_json (self, g_steal_pointer (&task), msg,
                             (CinApiDecodeFunc)_cin_api_decode_note_page, (GDestroyNotify)cin_api_page_free);
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (CIN_IS_NOTE (note));
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_api_client_put_note_async);

  id = _cin_api_escape_segment (cin_note_get_id (note));
  path = g_strdup_printf ("/v1/notes/%s", id);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_PUT, path);
  headers = soup_message_get_request_headers (msg);
  if (if_match_rev == NULL)
    soup_message_headers_replace (headers, "If-None-Match", "*");
  else
    {
      g_autofree char *etag = _cin_api_quote_rev (if_match_rev);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  _cin_api_set_json_body (msg, cin_note_to_json_string (note));
  _cin_api_client_send_call (self, g_steal_pointer (&task), msg, CIN_API_ANSWER_NOTE);
}

CinNote *
cin_api_client_put_note_finish (CinApiClient   *self,
                                GAsyncResult   *result,
                                char          **rev,
                                CinApiFailure **failure,
                                GError        **error)
{
  CinNote *note;

  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_api_client_put_note_async, NULL);

  _cin_api_client_take_failure (result, failure);
  note = g_task_propagate_pointer (G_TASK (result), error);
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (if_match_rev != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_api_client_delete_note_async);

  escaped = _cin_api_escape_segment (id);
  path = g_strdup_printf ("/v1/notes/%s", escaped);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_DELETE, path);
  headers = soup_message_get_request_headers (msg);
  etag = _cin_api_quote_rev (if_match_rev);
  soup_message_headers_replace (headers, "If-Match", etag);
  soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  _cin_api_client_send_call (self, g_steal_pointer (&task), msg, CIN_API_ANSWER_NOTHING);
}

gboolean
cin_api_client_delete_note_finish (CinApiClient   *self,
                                   GAsyncResult   *result,
                                   CinApiFailure **failure,
                                   GError        **error)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_api_client_delete_note_async, FALSE);

  _cin_api_client_take_failure (result, failure);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cin_api_client_get_note_async (CinApiClient        *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_api_client_get_note_async);

  escaped = _cin_api_escape_segment (id);
  path = g_strdup_printf ("/v1/notes/%s", escaped);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path);
  _cin_api_client_send_call (self, g_steal_pointer (&task), msg, CIN_API_ANSWER_NOTE);
}

CinNote *
cin_api_client_get_note_finish (CinApiClient   *self,
                                GAsyncResult   *result,
                                CinApiFailure **failure,
                                GError        **error)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_api_client_get_note_async, NULL);

  _cin_api_client_take_failure (result, failure);
  return g_task_propagate_pointer (G_TASK (result), error);
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *headers;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (action < G_N_ELEMENTS (verbs));
  g_return_if_fail (if_match_rev != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_api_client_change_state_async);

  escaped = _cin_api_escape_segment (id);
  path = g_strdup_printf ("/v1/notes/%s/%s", escaped, verbs[action]);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_POST, path);
  headers = soup_message_get_request_headers (msg);
  etag = _cin_api_quote_rev (if_match_rev);
  soup_message_headers_replace (headers, "If-Match", etag);
  soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  _cin_api_set_json_body (msg, action == CIN_API_NOTE_SCHEDULE ? schedule_body (at) : g_strdup ("{}"));
  _cin_api_client_send_call (self, g_steal_pointer (&task), msg, CIN_API_ANSWER_NOTE);
}

CinNote *
cin_api_client_change_state_finish (CinApiClient   *self,
                                    GAsyncResult   *result,
                                    CinApiFailure **failure,
                                    GError        **error)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_api_client_change_state_async, NULL);

  _cin_api_client_take_failure (result, failure);
  return g_task_propagate_pointer (G_TASK (result), error);
}

