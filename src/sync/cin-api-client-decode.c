/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include <string.h>

#include "cin-api-client-private.h"
#include "cin-note-json.h"

/* The helpers every route file uses to build requests and read answers. */

void
cin_api_page_free (CinApiPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->cursor);
  g_free (page);
}

GTask *
_cin_api_client_new_task (CinApiClient        *self,
                          gpointer             source_tag,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

void
_cin_api_set_json_body (SoupMessage *msg,
                        char        *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (json, strlen (json));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

char *
_cin_api_credentials_json (const char *handle,
                           const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "handle");
  json_builder_add_string_value (builder, handle);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

char *
_cin_api_escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

char *
_cin_api_quote_rev (const char *rev)
{
  return g_strdup_printf ("\"%s\"", rev);
}

void
_cin_api_set_change_headers (SoupMessage *msg,
                             const char  *if_match_rev,
                             const char  *idempotency_key)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (if_match_rev == NULL)
    soup_message_headers_replace (headers, "If-None-Match", "*");
  else
    {
      g_autofree char *etag = _cin_api_quote_rev (if_match_rev);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
}

void
_cin_api_append_query (GString    *path,
                       const char *name,
                       const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (path, "%c%s=%s", strchr (path->str, '?') != NULL ? '&' : '?', name, escaped);
}

const char *
_cin_api_json_get_string (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
_cin_api_json_get_boolean (JsonObject *object,
                           const char *member,
                           gboolean   *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_cin_api_json_get_int (JsonObject *object,
                       const char *member,
                       gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

GDateTime *
_cin_api_json_dup_time (JsonObject *object,
                        const char *member)
{
  const char *text = _cin_api_json_get_string (object, member);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

CinNote *
_cin_api_decode_note (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(GError) codec_error = NULL;
  g_autoptr(CinNote) note = cin_note_from_json (node, &codec_error);

  if (note == NULL || cin_note_get_rev (note) == NULL)
    {
      g_propagate_error (error, _cin_api_error_invalid_response (codec_error != NULL ? codec_error->message
                                                                                     : "a note without rev"));
      return NULL;
    }
  return g_steal_pointer (&note);
}

CinApiPage *
_cin_api_decode_page (JsonNode          *root,
                      CinApiDecodeFunc   decode_item,
                      GDestroyNotify     item_free,
                      GError           **error)
{
  g_autoptr(CinApiPage) page = g_new0 (CinApiPage, 1);
  JsonObject *object = json_node_get_object (root);
  JsonNode *items = json_object_get_member (object, "items");
  JsonNode *cursor = json_object_get_member (object, "cursor");
  JsonArray *array;

  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items) ||
      (cursor != NULL && !JSON_NODE_HOLDS_NULL (cursor) && _cin_api_json_get_string (object, "cursor") == NULL))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a page"));
      return NULL;
    }
  page->cursor = g_strdup (_cin_api_json_get_string (object, "cursor"));
  page->items = g_ptr_array_new_with_free_func (item_free);
  array = json_node_get_array (items);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_propagate_error (error, _cin_api_error_invalid_response ("a page item that is not an object"));
          return NULL;
        }
      item = decode_item (element, error);
      if (item == NULL)
        return NULL;
      g_ptr_array_add (page->items, item);
    }
  return g_steal_pointer (&page);
}

CinApiPage *
_cin_api_decode_note_page (JsonNode  *root,
                           GError   **error)
{
  return _cin_api_decode_page (root, (CinApiDecodeFunc)_cin_api_decode_note, g_object_unref, error);
}
