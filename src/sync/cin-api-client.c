/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cin-api-changes-reader-private.h"
#include "cin-api-client-private.h"
#include "cin-api-watch-private.h"
#include "cin-note-json.h"

struct _CinApiClient
{
  GObject parent_instance;

  /* Owned */
  SoupSession *session;
  char        *base_uri;  /* without a trailing slash */
  char        *token;     /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (CinApiClient, cin_api_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URI,
  PROP_TOKEN,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  SoupMessage      *msg;
  CinApiAnswer      answer;
  CinApiDecodeFunc  decode;      /* CIN_API_ANSWER_JSON */
  GDestroyNotify    value_free;  /* CIN_API_ANSWER_JSON */
  CinApiFailure    *failure;     /* (owned) (nullable) set when the call failed */
  GBytes           *body;        /* (owned) (nullable) a 2xx answer, decoded in a thread */
  guint             status;
  CinApiWatch       watch;       /* the caller's cancel, or the whole request's deadline */
} Call;

static void
call_free (Call *call)
{
  _cin_api_watch_clear (&call->watch);
  g_clear_object (&call->msg);
  g_clear_pointer (&call->failure, cin_api_failure_free);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call);
}

void
cin_api_session_free (CinApiSession *session)
{
  if (session == NULL)
    return;
  g_free (session->token);
  g_free (session->handle);
  g_clear_pointer (&session->expires_at, g_date_time_unref);
  g_free (session);
}

void
_cin_api_change_free (CinApiChange *change)
{
  g_free (change->cursor);
  g_free (change->kind);
  g_free (change->id);
  g_free (change->rev);
  g_clear_object (&change->note);
  g_free (change);
}

void
cin_api_changes_page_free (CinApiChangesPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page);
}

static CinApiSession *
decode_session (JsonObject  *object,
                GError     **error)
{
  g_autoptr(CinApiSession) session = g_new0 (CinApiSession, 1);
  const char *token = _cin_api_json_get_string (object, "token");
  const char *handle = _cin_api_json_get_string (object, "handle");
  const char *expires_at = _cin_api_json_get_string (object, "expires_at");

  if (token == NULL || *token == '\0' || handle == NULL || expires_at == NULL ||
      (session->expires_at = g_date_time_new_from_iso8601 (expires_at, NULL)) == NULL)
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a session"));
      return NULL;
    }
  session->token = g_strdup (token);
  session->handle = g_strdup (handle);
  return g_steal_pointer (&session);
}

static CinApiChange *
decode_change (JsonNode *node)
{
  CinApiChange *change;
  JsonObject *object;
  JsonNode *entity;
  const char *cursor, *kind, *id, *rev;
  gboolean deleted;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  cursor = _cin_api_json_get_string (object, "cursor");
  kind = _cin_api_json_get_string (object, "kind");
  id = _cin_api_json_get_string (object, "id");
  rev = _cin_api_json_get_string (object, "rev");
  entity = json_object_get_member (object, "entity");
  if (cursor == NULL || kind == NULL || id == NULL || rev == NULL || entity == NULL ||
      !_cin_api_json_get_boolean (object, "deleted", &deleted) ||
      (!JSON_NODE_HOLDS_NULL (entity) && !JSON_NODE_HOLDS_OBJECT (entity)) ||
      (!deleted && JSON_NODE_HOLDS_NULL (entity)))
    return NULL;

  change = g_new0 (CinApiChange, 1);
  change->cursor = g_strdup (cursor);
  change->kind = g_strdup (kind);
  change->id = g_strdup (id);
  change->rev = g_strdup (rev);
  change->deleted = deleted;
  if (JSON_NODE_HOLDS_OBJECT (entity) && g_str_equal (kind, "note"))
    {
      change->note = cin_note_from_json (entity, NULL);
      if (change->note == NULL)
        {
          _cin_api_change_free (change);
          return NULL;
        }
    }
  return change;
}

CinApiChangesPage *
_cin_api_decode_changes_page (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(CinApiChangesPage) page = g_new0 (CinApiChangesPage, 1);
  JsonNode *changes = json_object_get_member (object, "changes");
  const char *cursor = _cin_api_json_get_string (object, "cursor");
  JsonArray *array;

  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) || cursor == NULL ||
      !_cin_api_json_get_boolean (object, "more", &page->more))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a page of changes"));
      return NULL;
    }
  page->cursor = g_strdup (cursor);
  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)_cin_api_change_free);
  array = json_node_get_array (changes);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CinApiChange *change = decode_change (json_array_get_element (array, i));

      if (change == NULL)
        {
          g_propagate_error (error, _cin_api_error_invalid_response ("not a change"));
          return NULL;
        }
      g_ptr_array_add (page->changes, change);
    }
  return g_steal_pointer (&page);
}

/* A 412 on a note carries the note as the server has it; one that does not
 * decode cannot be merged, so it is an invalid answer. */
static GError *
decode_current_note (CinApiFailure *failure)
{
  g_autoptr(GError) error = NULL;

  if (failure->current == NULL)
    return _cin_api_error_invalid_response ("412 without the current entity");
  failure->current_note = cin_note_from_json (failure->current, &error);
  if (failure->current_note == NULL)
    return _cin_api_error_invalid_response (error->message);
  return NULL;
}

/* A 2xx answer that does not hold what the route promises. Takes @error. */
static void
return_invalid_answer (GTask  *task,
                       Call   *call,
                       GError *error)
{
  call->failure = cin_api_failure_new ();
  call->failure->status = call->status;
  g_task_return_error (task, error);
}

static JsonNode *
parse_object (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonNode) root = _cin_api_parse_json (body, error);

  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not an object"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* On a worker thread: a page of notes or of changes can be big, so the
 * body is parsed and decoded, notes and all, off the main loop. A session
 * is not: it sets the client's token. */
static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  g_autoptr(JsonNode) root = NULL;
  GDestroyNotify value_free = NULL;
  gpointer value = NULL;

  /* A page of the feed as the server writes it needs no tree. */
  if (call->answer == CIN_API_ANSWER_CHANGES)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (call->body, &size);
      CinApiChangesPage *page = data != NULL ? _cin_api_changes_read (data, size) : NULL;

      if (page != NULL)
        {
          g_clear_pointer (&call->body, g_bytes_unref);
          g_task_return_pointer (task, page, (GDestroyNotify)cin_api_changes_page_free);
          return;
        }
    }

  root = parse_object (call->body, &error);
  g_clear_pointer (&call->body, g_bytes_unref);
  if (root != NULL)
    {
      switch (call->answer)
        {
        case CIN_API_ANSWER_NOTE:
          value = _cin_api_decode_note (root, &error);
          value_free = g_object_unref;
          break;
        case CIN_API_ANSWER_CHANGES:
          value = _cin_api_decode_changes_page (json_node_get_object (root), &error);
          value_free = (GDestroyNotify)cin_api_changes_page_free;
          break;
        case CIN_API_ANSWER_JSON:
          value = call->decode (root, &error);
          value_free = call->value_free;
          break;
        case CIN_API_ANSWER_NOTHING:
        case CIN_API_ANSWER_SESSION:
        default:
          g_assert_not_reached ();
        }
    }
  if (value == NULL)
    return_invalid_answer (task, call, error);
  else
    g_task_return_pointer (task, value, value_free);
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CinApiClient *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  CinApiSession *session;
  guint status;

  _cin_api_watch_arm (&call->watch, 0);
  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      call->failure = cin_api_failure_new ();
      if (call->watch.timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, g_strerror (ETIMEDOUT));
        }
      g_task_return_error (task, _cin_api_error_from_transport (error));
      return;
    }

  status = soup_message_get_status (call->msg);
  if (status < 200 || status > 299)
    {
      GError *failed;

      call->failure = cin_api_failure_new ();
      failed = _cin_api_error_from_response (call->msg, body, call->failure);
      if (status == SOUP_STATUS_PRECONDITION_FAILED && call->answer == CIN_API_ANSWER_NOTE)
        {
          GError *undecodable = decode_current_note (call->failure);

          if (undecodable != NULL)
            {
              g_error_free (failed);
              failed = undecodable;
            }
        }
      g_task_return_error (task, failed);
      return;
    }

  if (call->answer == CIN_API_ANSWER_NOTHING)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  call->status = status;
  if (!_cin_api_response_is_json (call->msg, FALSE))
    {
      return_invalid_answer (task, call, _cin_api_error_invalid_response ("not application/json"));
      return;
    }
  if (call->answer != CIN_API_ANSWER_SESSION)
    {
      call->body = g_bytes_ref (body);
      g_task_run_in_thread (task, decode_in_thread);
      return;
    }

  root = parse_object (body, &error);
  session = root != NULL ? decode_session (json_node_get_object (root), &error) : NULL;
  if (session == NULL)
    {
      return_invalid_answer (task, call, g_steal_pointer (&error));
      return;
    }
  cin_api_client_set_token (self, session->token);
  g_task_return_pointer (task, session, (GDestroyNotify)cin_api_session_free);
}

SoupMessage *
_cin_api_client_new_message (CinApiClient *self,
                             const char   *method,
                             const char   *path_and_query)
{
  g_autofree char *uri = g_strconcat (self->base_uri, path_and_query, NULL);
  SoupMessage *msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers;

  g_assert (msg != NULL);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");
  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  return msg;
}

static void
send_call (CinApiClient *self,
           GTask        *task,
           SoupMessage  *msg,
           Call         *call)
{
  call->msg = g_object_ref (msg);
  _cin_api_watch_init (&call->watch, g_task_get_cancellable (task));
  /* Twice the I/O timeout for the whole exchange: enough for a big page
   * on a slow link, short enough that a stalled server is given up on. */
  _cin_api_watch_arm (&call->watch, soup_session_get_timeout (self->session) * 2);
  g_task_set_task_data (task, call, (GDestroyNotify)call_free);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, call->watch.cancellable,
                                    on_sent_cb, task);
}

void
_cin_api_client_send_call (CinApiClient *self,
                           GTask        *task,
                           SoupMessage  *msg,
                           CinApiAnswer  answer)
{
  Call *call = g_new0 (Call, 1);

  g_assert (answer != CIN_API_ANSWER_JSON);
  call->answer = answer;
  send_call (self, task, msg, call);
}

void
_cin_api_client_send_json (CinApiClient     *self,
                           GTask            *task,
                           SoupMessage      *msg,
                           CinApiDecodeFunc  decode,
                           GDestroyNotify    value_free)
{
  Call *call = g_new0 (Call, 1);

  g_assert (decode != NULL && value_free != NULL);
  call->answer = CIN_API_ANSWER_JSON;
  call->decode = decode;
  call->value_free = value_free;
  send_call (self, task, msg, call);
}

void
_cin_api_client_take_failure (GAsyncResult   *result,
                              CinApiFailure **failure)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  if (failure != NULL)
    *failure = call != NULL ? g_steal_pointer (&call->failure) : NULL;
}

gpointer
_cin_api_client_finish_pointer (CinApiClient   *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                CinApiFailure **failure,
                                GError        **error)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  _cin_api_client_take_failure (result, failure);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
_cin_api_client_finish_boolean (CinApiClient   *self,
                                GAsyncResult   *result,
                                gpointer        source_tag,
                                CinApiFailure **failure,
                                GError        **error)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  _cin_api_client_take_failure (result, failure);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cin_api_client_sign_in_async (CinApiClient        *self,
                              const char          *handle,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (handle != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  msg = _cin_api_client_new_message (self, SOUP_METHOD_POST, "/v1/session");
  _cin_api_set_json_body (msg, _cin_api_credentials_json (handle, password));
  _cin_api_client_send_call (self,
                             _cin_api_client_new_task (self, cin_api_client_sign_in_async,
                                                       cancellable, callback, user_data),
                             msg, CIN_API_ANSWER_SESSION);
}

CinApiSession *
cin_api_client_sign_in_finish (CinApiClient   *self,
                               GAsyncResult   *result,
                               CinApiFailure **failure,
                               GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_sign_in_async, failure, error);
}

static void
on_signed_out_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CinApiClient *self = CIN_API_CLIENT (source);
  Call *call = g_task_get_task_data (G_TASK (result));

  /* A token the server no longer knows is as signed out as can be. */
  if (g_task_propagate_boolean (G_TASK (result), &error) ||
      g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED))
    {
      cin_api_client_set_token (self, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&call->failure), (GDestroyNotify)cin_api_failure_free);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
cin_api_client_sign_out_async (CinApiClient        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_api_client_sign_out_async);
  if (self->token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  inner = g_task_new (self, cancellable, on_signed_out_cb, g_steal_pointer (&task));
  msg = _cin_api_client_new_message (self, SOUP_METHOD_DELETE, "/v1/session");
  _cin_api_client_send_call (self, g_steal_pointer (&inner), msg, CIN_API_ANSWER_NOTHING);
}

gboolean
cin_api_client_sign_out_finish (CinApiClient   *self,
                                GAsyncResult   *result,
                                CinApiFailure **failure,
                                GError        **error)
{
  CinApiFailure *task_failure;

  g_return_val_if_fail (CIN_IS_API_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_api_client_sign_out_async, FALSE);

  /* The outer task's data is the failure itself, not a Call. */
  task_failure = g_task_get_task_data (G_TASK (result));
  if (failure != NULL)
    *failure = task_failure != NULL ? cin_api_failure_copy (task_failure) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cin_api_client_get_changes_async (CinApiClient        *self,
                                  const char          *since,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GString) path = g_string_new ("/v1/changes");

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (since != NULL)
    _cin_api_append_query (path, "since", since);
  if (limit > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", limit);

      _cin_api_append_query (path, "limit", text);
    }
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path->str);
  _cin_api_client_send_call (self,
                             _cin_api_client_new_task (self, cin_api_client_get_changes_async,
                                                       cancellable, callback, user_data),
                             msg, CIN_API_ANSWER_CHANGES);
}

CinApiChangesPage *
cin_api_client_get_changes_finish (CinApiClient   *self,
                                   GAsyncResult   *result,
                                   CinApiFailure **failure,
                                   GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_get_changes_async, failure, error);
}

const char *
cin_api_client_get_base_uri (CinApiClient *self)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);

  return self->base_uri;
}

SoupSession *
cin_api_client_get_session (CinApiClient *self)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);

  return self->session;
}

const char *
cin_api_client_get_token (CinApiClient *self)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);

  return self->token;
}

void
cin_api_client_set_token (CinApiClient *self,
                          const char   *token)
{
  g_return_if_fail (CIN_IS_API_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

guint
cin_api_client_get_timeout (CinApiClient *self)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), 0);

  return soup_session_get_timeout (self->session);
}

void
cin_api_client_set_timeout (CinApiClient *self,
                            guint         seconds)
{
  g_return_if_fail (CIN_IS_API_CLIENT (self));

  if (soup_session_get_timeout (self->session) == seconds)
    return;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static void
cin_api_client_finalize (GObject *object)
{
  CinApiClient *self = CIN_API_CLIENT (object);

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->base_uri, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (cin_api_client_parent_class)->finalize (object);
}

static void
cin_api_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CinApiClient *self = CIN_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      g_value_set_string (value, self->base_uri);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, cin_api_client_get_timeout (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_api_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CinApiClient *self = CIN_API_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URI:
      {
        const char *uri = g_value_get_string (value);
        gsize length = uri != NULL ? strlen (uri) : 0;

        /* Paths are appended, so a base with a path prefix works too. */
        while (length > 0 && uri[length - 1] == '/')
          length--;
        self->base_uri = g_strndup (uri != NULL ? uri : "", length);
      }
      break;
    case PROP_TOKEN:
      cin_api_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      cin_api_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_api_client_class_init (CinApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cin_api_client_finalize;
  object_class->get_property = cin_api_client_get_property;
  object_class->set_property = cin_api_client_set_property;

  properties[PROP_BASE_URI] =
    g_param_spec_string ("base-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, CIN_API_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_api_client_init (CinApiClient *self)
{
  self->session = soup_session_new_with_options ("timeout", CIN_API_CLIENT_DEFAULT_TIMEOUT,
                                                  "user-agent", "Cinnabar/" CIN_VERSION " ",
                                                  NULL);
}

CinApiClient *
cin_api_client_new (const char *base_uri)
{
  g_return_val_if_fail (base_uri != NULL, NULL);

  return g_object_new (CIN_TYPE_API_CLIENT, "base-uri", base_uri, NULL);
}
