/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-error"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cin-api-client-private.h"
#include "cin-api-json-private.h"
#include "cin-note-json.h"

G_DEFINE_QUARK (cin-api-error-quark, cin_api_error)

G_DEFINE_BOXED_TYPE (CinApiFailure, cin_api_failure, cin_api_failure_copy, cin_api_failure_free)

CinApiFailure *
cin_api_failure_new (void)
{
  CinApiFailure *failure = g_new0 (CinApiFailure, 1);

  failure->retry_after = -1;
  return failure;
}

CinApiFailure *
cin_api_failure_copy (const CinApiFailure *failure)
{
  CinApiFailure *copy;

  g_return_val_if_fail (failure != NULL, NULL);

  copy = cin_api_failure_new ();
  copy->status = failure->status;
  copy->retry_after = failure->retry_after;
  copy->type = g_strdup (failure->type);
  copy->detail = g_strdup (failure->detail);
  copy->field = g_strdup (failure->field);
  copy->current = failure->current != NULL ? json_node_copy (failure->current) : NULL;
  copy->current_note = failure->current_note != NULL ? cin_note_copy (failure->current_note) : NULL;
  return copy;
}

void
cin_api_failure_free (CinApiFailure *failure)
{
  if (failure == NULL)
    return;
  g_free (failure->type);
  g_free (failure->detail);
  g_free (failure->field);
  g_clear_pointer (&failure->current, json_node_unref);
  g_clear_object (&failure->current_note);
  g_free (failure);
}

gboolean
cin_api_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (error->domain != CIN_API_ERROR)
    return FALSE;
  switch ((CinApiError)error->code)
    {
    case CIN_API_ERROR_NETWORK:
    case CIN_API_ERROR_TIMEOUT:
    case CIN_API_ERROR_TOO_MANY_REQUESTS:
    case CIN_API_ERROR_SERVER:
      return TRUE;
    case CIN_API_ERROR_UNAUTHORIZED:
    case CIN_API_ERROR_NOT_FOUND:
    case CIN_API_ERROR_CONFLICT:
    case CIN_API_ERROR_PRECONDITION_FAILED:
    case CIN_API_ERROR_GONE:
    case CIN_API_ERROR_INVALID_RESPONSE:
    case CIN_API_ERROR_PROBLEM:
    default:
      return FALSE;
    }
}

/* What the user reads for @code when the server gave no reason. */
static char *
message_for (CinApiError code,
             guint       status)
{
  switch (code)
    {
    case CIN_API_ERROR_UNAUTHORIZED:
      return g_strdup (_("You are signed out of the server. Sign in again to keep syncing."));
    case CIN_API_ERROR_NOT_FOUND:
      return g_strdup (_("The server does not have this item."));
    case CIN_API_ERROR_CONFLICT:
      return g_strdup (_("The server refused the change because it conflicts with another one."));
    case CIN_API_ERROR_PRECONDITION_FAILED:
      return g_strdup (_("The item was changed on the server in the meantime; "
                         "the two versions will be merged."));
    case CIN_API_ERROR_GONE:
      return g_strdup (_("The server no longer has the changes since the last sync; "
                         "everything will be synced again."));
    case CIN_API_ERROR_TIMEOUT:
      return g_strdup (_("The server took too long to answer. "
                         "Syncing will try again later."));
    case CIN_API_ERROR_TOO_MANY_REQUESTS:
      return g_strdup (_("The server is busy. Syncing will try again in a moment."));
    case CIN_API_ERROR_SERVER:
      return g_strdup_printf (_("The server ran into a problem (HTTP %u). "
                                "Syncing will try again later."), status);
    case CIN_API_ERROR_PROBLEM:
      return g_strdup_printf (_("The server refused the request (HTTP %u)."), status);
    case CIN_API_ERROR_NETWORK:
    case CIN_API_ERROR_INVALID_RESPONSE:
    default:
      return g_strdup (_("The server sent an answer Cinnabar does not understand. "
                         "Check the server address in the sync settings."));
    }
}

GError *
_cin_api_error_invalid_response (const char *why)
{
  g_autofree char *message = message_for (CIN_API_ERROR_INVALID_RESPONSE, 0);

  /* The technical reason goes to the debug log; the user gets advice. */
  g_debug ("Invalid response: %s", why);
  return g_error_new_literal (CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE, message);
}

GError *
_cin_api_error_from_transport (const GError *error)
{
  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_autofree char *message = message_for (CIN_API_ERROR_TIMEOUT, 0);

      return g_error_new_literal (CIN_API_ERROR, CIN_API_ERROR_TIMEOUT, message);
    }

  /* libsoup could not read the answer as HTTP. */
  if (error->domain == SOUP_SESSION_ERROR)
    return _cin_api_error_invalid_response (error->message);

  return g_error_new (CIN_API_ERROR, CIN_API_ERROR_NETWORK,
                      _("Could not reach the server (%s). "
                        "Check the network connection; syncing will try again."),
                      error->message);
}

gboolean
_cin_api_response_is_json (SoupMessage *msg,
                           gboolean     problem)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);

  if (type == NULL)
    return FALSE;
  return g_ascii_strcasecmp (type, "application/json") == 0 ||
         (problem && g_ascii_strcasecmp (type, "application/problem+json") == 0);
}

JsonNode *
_cin_api_parse_json (GBytes  *body,
                     GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  /* The reader checks for itself that the text is UTF-8 without a NUL,
   * so the common case reads it once. */
  root = data != NULL && size > 0 && size <= G_MAXSSIZE ? _cin_api_json_read (data, size) : NULL;
  if (root != NULL)
    return root;
  if (data == NULL || size == 0 || size > G_MAXSSIZE ||
      !g_utf8_validate (data, (gssize)size, NULL) ||
      memchr (data, '\0', size) != NULL || cin_json_has_escaped_nul (data, (gssize)size))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("empty, not UTF-8 or with a NUL"));
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize)size, &local_error))
    {
      g_propagate_error (error, _cin_api_error_invalid_response (local_error->message));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  value += strspn (value, " \t");
  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoull (value, &end, 10);
      return end != NULL && *end == '\0' ? (gint64)MIN (seconds, (guint64)G_MAXINT32) : -1;
    }
  /* An HTTP date: how long from now, never negative. */
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / G_USEC_PER_SEC);
}

static void
read_problem (GBytes        *body,
              CinApiFailure *failure)
{
  g_autoptr(JsonNode) root = _cin_api_parse_json (body, NULL);
  JsonObject *object;
  JsonNode *current;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  failure->type = g_strdup (_cin_api_json_get_string (object, "type"));
  failure->detail = g_strdup (_cin_api_json_get_string (object, "detail"));
  failure->field = g_strdup (_cin_api_json_get_string (object, "field"));
  current = json_object_get_member (object, "current");
  if (current != NULL && JSON_NODE_HOLDS_OBJECT (current))
    failure->current = json_node_copy (current);
}

static CinApiError
code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:          return CIN_API_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_NOT_FOUND:             return CIN_API_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:              return CIN_API_ERROR_CONFLICT;
    case SOUP_STATUS_PRECONDITION_FAILED:   return CIN_API_ERROR_PRECONDITION_FAILED;
    case SOUP_STATUS_GONE:                  return CIN_API_ERROR_GONE;
    case SOUP_STATUS_REQUEST_TIMEOUT:       return CIN_API_ERROR_TIMEOUT;
    case 429:                               return CIN_API_ERROR_TOO_MANY_REQUESTS;
    default:
      if (status >= 500 && status < 600)
        return CIN_API_ERROR_SERVER;
      if (status >= 400 && status < 500)
        return CIN_API_ERROR_PROBLEM;
      return CIN_API_ERROR_INVALID_RESPONSE;
    }
}

GError *
_cin_api_error_from_response (SoupMessage   *msg,
                              GBytes        *body,
                              CinApiFailure *failure)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  guint status = soup_message_get_status (msg);
  CinApiError code = code_for_status (status);
  g_autofree char *message = NULL;

  g_assert (failure != NULL);

  failure->status = status;
  failure->retry_after = parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));
  /* A proxy's HTML error page is still that status, just without reasons. */
  if (_cin_api_response_is_json (msg, TRUE))
    read_problem (body, failure);

  if (code == CIN_API_ERROR_INVALID_RESPONSE)
    return _cin_api_error_invalid_response ("unexpected status");
  if (failure->detail != NULL && *failure->detail != '\0')
    return g_error_new_literal (CIN_API_ERROR, code, failure->detail);
  message = message_for (code, status);
  return g_error_new_literal (CIN_API_ERROR, code, message);
}
