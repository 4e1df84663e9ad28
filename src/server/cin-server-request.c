/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-request"

#include <string.h>

#include "cin-server-json.h"
#include "cin-server-private.h"

const char *
cin_request_param (CinRequest *request,
                   guint       index)
{
  g_assert (index < request->n_params);
  return request->params[index];
}

const char *
cin_request_query (CinRequest *request,
                   const char *name)
{
  if (request->query == NULL)
    return NULL;
  return g_hash_table_lookup (request->query, name);
}

const char *
cin_request_header (CinRequest *request,
                    const char *name)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);

  return soup_message_headers_get_one (headers, name);
}

gboolean
cin_request_read_limit (CinRequest *request,
                        guint      *limit)
{
  const char *text = cin_request_query (request, "limit");
  guint64 value;

  *limit = CIN_REQUEST_DEFAULT_LIMIT;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, CIN_REQUEST_MAX_LIMIT, &value, NULL))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-limit", "limit",
                           "“limit” must be a whole number from 1 to %d.", CIN_REQUEST_MAX_LIMIT);
      return FALSE;
    }
  *limit = value;
  return TRUE;
}

gboolean
cin_request_split_cursor (const char  *cursor,
                          gint64      *number,
                          const char **rest)
{
  const char *dot = strchr (cursor, '.');
  g_autofree char *digits = dot != NULL ? g_strndup (cursor, dot - cursor) : NULL;
  guint64 value;

  if (digits == NULL || !g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *number = (gint64)value;
  *rest = dot + 1;
  return TRUE;
}

void
cin_request_answer_invalid_cursor (CinRequest *request,
                                   const char *param)
{
  cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-cursor", param,
                       "“%s” must be a cursor this server gave, or left out.", param);
}

void
cin_item_page_init (CinItemPage *page,
                    guint        limit,
                    gsize        item_size)
{
  *page = (CinItemPage) { g_string_sized_new (item_size * limit + 64), limit, 0, FALSE };
  g_string_append (page->text, "{\"items\":[");
}

void
cin_item_page_clear (CinItemPage *page)
{
  if (page->text != NULL)
    g_string_free (g_steal_pointer (&page->text), TRUE);
}

gboolean
cin_item_page_add (CinItemPage *page)
{
  if (page->shown == page->limit)
    {
      page->more = TRUE;
      return FALSE;
    }
  if (page->shown++ > 0)
    g_string_append_c (page->text, ',');
  return TRUE;
}

void
cin_request_respond_item_page (CinRequest  *request,
                               CinItemPage *page,
                               const char  *next_cursor)
{
  g_string_append (page->text, "],\"cursor\":");
  if (page->more)
    cin_server_json_append_string (page->text, next_cursor);
  else
    g_string_append (page->text, "null");
  g_string_append_c (page->text, '}');
  cin_request_respond_json_text (request, SOUP_STATUS_OK, g_steal_pointer (&page->text));
}

char *
cin_request_dup_query_text (CinRequest *request)
{
  const char *q = cin_request_query (request, "q");
  g_autofree char *query = NULL;

  if (q == NULL || !g_utf8_validate (q, -1, NULL))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-query", "q",
                           "Give the text to search for as “q”.");
      return NULL;
    }
  query = g_strstrip (g_strdup (q));
  if (*query == '\0' || g_utf8_strlen (query, -1) > CIN_REQUEST_QUERY_MAX)
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-query", "q",
                           "“q” must be 1 to %d characters.", CIN_REQUEST_QUERY_MAX);
      return NULL;
    }
  return g_steal_pointer (&query);
}

static void
set_response (CinRequest *request,
              guint       status,
              const char *content_type,
              GBytes     *body)
{
  request->status = status;
  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
  g_clear_pointer (&request->response_body, g_bytes_unref);
  request->response_body = body;
}

void
cin_request_respond_json (CinRequest *request,
                          guint       status,
                          JsonNode   *node)
{
  char *text = cin_server_json_to_string (node);

  set_response (request, status, "application/json", g_bytes_new_take (text, strlen (text)));
}

void
cin_request_respond_json_text (CinRequest *request,
                               guint       status,
                               GString    *text)
{
  set_response (request, status, "application/json", g_string_free_to_bytes (text));
}

void
cin_request_respond_empty (CinRequest *request,
                           guint       status)
{
  set_response (request, status, NULL, NULL);
}

static const char *
status_phrase (guint status)
{
  switch (status)
    {
    case CIN_STATUS_PRECONDITION_REQUIRED:
      return "Precondition Required";
    case CIN_STATUS_TOO_MANY_REQUESTS:
      return "Too Many Requests";
    default:
      return soup_status_get_phrase (status);
    }
}

/* Problem types are URNs: stable names to branch on, not pages to load. */
void
cin_request_problem_with (CinRequest *request,
                          guint       status,
                          const char *type,
                          const char *field,
                          JsonObject *extra,
                          const char *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *type_uri = g_strconcat ("urn:cinnabar:problem:", type, NULL);
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type_uri);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, status_phrase (status));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  if (extra != NULL)
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (object, name, json_node_copy (member));
    }

  text = cin_server_json_to_string (node);
  set_response (request, status, "application/problem+json",
                g_bytes_new_take (text, strlen (text)));
}

void
cin_request_problem (CinRequest *request,
                     guint       status,
                     const char *type,
                     const char *field,
                     const char *detail_format,
                     ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);

  cin_request_problem_with (request, status, type, field, NULL, detail);
}

/* The cause goes to the log, not to the client: it may name files. */
void
cin_request_internal_error (CinRequest   *request,
                            const GError *error)
{
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                    "MESSAGE", "%s %s failed: %s", request->method,
                    request->route ? request->route->path : request->path,
                    error ? error->message : "unknown error");
  cin_request_problem (request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", NULL,
                       "The server could not complete the request. Try again later.");
}
