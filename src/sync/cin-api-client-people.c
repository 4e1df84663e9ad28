/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include "cin-api-client-people.h"
#include "cin-api-client-private.h"

/* Following and topics: what the composer completes @mentions and topics
 * from. */

/* The most the server gives a page: the fewest requests for the list. */
#define FOLLOWING_PAGE_LIMIT "100"

static gpointer
decode_followed (JsonNode  *node,
                 GError   **error)
{
  JsonObject *object = json_node_get_object (node);
  const char *handle = _cin_api_json_get_string (object, "handle");
  g_autoptr(GDateTime) followed_at = _cin_api_json_dup_time (object, "followed_at");

  if (handle == NULL || *handle == '\0' || _cin_api_json_get_string (object, "display_name") == NULL ||
      followed_at == NULL)
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a followed account"));
      return NULL;
    }
  return g_strdup (handle);
}

static CinApiPage *
decode_following_page (JsonNode  *root,
                       GError   **error)
{
  g_autoptr(CinApiPage) page = _cin_api_decode_page (root, decode_followed, g_free, error);

  /* Another page after an empty one would never end. */
  if (page != NULL && page->items->len == 0 && page->cursor != NULL)
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("an empty page that says more follow"));
      return NULL;
    }
  return g_steal_pointer (&page);
}

static void fetch_following_page (CinApiClient *self,
                                  GTask        *task,
                                  const char   *cursor);

static void
on_following_page_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CinApiClient *self = CIN_API_CLIENT (source);
  GPtrArray *handles = g_task_get_task_data (task);
  g_autoptr(CinApiPage) page = NULL;
  GError *error = NULL;

  page = _cin_api_client_finish_pointer (self, result, fetch_following_page, NULL, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < page->items->len && handles->len < CIN_API_CLIENT_MAX_FOLLOWING; i++)
    g_ptr_array_add (handles, g_strdup (g_ptr_array_index (page->items, i)));

  if (page->cursor != NULL && handles->len < CIN_API_CLIENT_MAX_FOLLOWING)
    {
      fetch_following_page (self, g_steal_pointer (&task), page->cursor);
      return;
    }
  g_ptr_array_add (handles, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (handles, NULL), (GDestroyNotify)g_strfreev);
}

/* Takes @task. */
static void
fetch_following_page (CinApiClient *self,
                      GTask        *task,
                      const char   *cursor)
{
  g_autoptr(GString) path = g_string_new ("/v1/following");
  g_autoptr(SoupMessage) msg = NULL;
  GTask *page_task;

  _cin_api_append_query (path, "limit", FOLLOWING_PAGE_LIMIT);
  if (cursor != NULL)
    _cin_api_append_query (path, "cursor", cursor);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path->str);
  page_task = _cin_api_client_new_task (self, fetch_following_page, g_task_get_cancellable (task),
                                        on_following_page_cb, task);
  _cin_api_client_send_json (self, page_task, msg,
                             (CinApiDecodeFunc)decode_following_page, (GDestroyNotify)cin_api_page_free);
}

void
cin_api_client_list_following_async (CinApiClient        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_list_following_async, cancellable, callback, user_data);
  g_task_set_task_data (task, g_ptr_array_new_with_free_func (g_free), (GDestroyNotify)g_ptr_array_unref);
  fetch_following_page (self, task, NULL);
}

GStrv
cin_api_client_list_following_finish (CinApiClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (CIN_IS_API_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_api_client_list_following_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* PUT or DELETE /v1/following/{handle}. A follow is idempotent in itself,
 * so each call makes its own key. */
static void
send_follow (CinApiClient        *self,
             const char          *method,
             const char          *handle,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autofree char *escaped = _cin_api_escape_segment (handle);
  g_autofree char *path = g_strconcat ("/v1/following/", escaped, NULL);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(SoupMessage) msg = _cin_api_client_new_message (self, method, path);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  _cin_api_client_send_call (self, _cin_api_client_new_task (self, source_tag, cancellable, callback, user_data),
                             msg, CIN_API_ANSWER_NOTHING);
}

void
cin_api_client_follow_async (CinApiClient        *self,
                             const char          *handle,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (handle != NULL && *handle != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  send_follow (self, SOUP_METHOD_PUT, handle, cin_api_client_follow_async, cancellable, callback, user_data);
}

gboolean
cin_api_client_follow_finish (CinApiClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cin_api_client_finish_boolean (self, result, cin_api_client_follow_async, NULL, error);
}

void
cin_api_client_unfollow_async (CinApiClient        *self,
                               const char          *handle,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (handle != NULL && *handle != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  send_follow (self, SOUP_METHOD_DELETE, handle, cin_api_client_unfollow_async, cancellable, callback,
               user_data);
}

gboolean
cin_api_client_unfollow_finish (CinApiClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cin_api_client_finish_boolean (self, result, cin_api_client_unfollow_async, NULL, error);
}

/* { "name": …, "notes": … } as its name. */
static gpointer
decode_topic (JsonNode  *node,
              GError   **error)
{
  JsonObject *topic = json_node_get_object (node);
  const char *name = _cin_api_json_get_string (topic, "name");
  gint64 notes;

  if (name == NULL || *name == '\0' || !_cin_api_json_get_int (topic, "notes", &notes))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not a topic"));
      return NULL;
    }
  return g_strdup (name);
}

/* { "items": [ topic… ] } as the names. */
static GStrv
decode_topics (JsonNode  *root,
               GError   **error)
{
  g_autoptr(CinApiPage) page = _cin_api_decode_page (root, decode_topic, g_free, error);

  if (page == NULL)
    return NULL;
  g_ptr_array_add (page->items, NULL);
  return (GStrv)g_ptr_array_steal (page->items, NULL);
}

void
cin_api_client_suggest_topics_async (CinApiClient        *self,
                                     const char          *query,
                                     guint                limit,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/v1/topics");
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_suggest_topics_async, cancellable, callback, user_data);
  _cin_api_append_query (path, "q", query);
  if (limit > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", limit);

      _cin_api_append_query (path, "limit", text);
    }
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path->str);
  _cin_api_client_send_json (self, task, msg, (CinApiDecodeFunc)decode_topics, (GDestroyNotify)g_strfreev);
}

GStrv
cin_api_client_suggest_topics_finish (CinApiClient  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_suggest_topics_async, NULL, error);
}
