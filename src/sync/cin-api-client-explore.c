/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include "cin-api-client-private.h"

/* Explore and search: pages of published public notes. */

static void
send_page_query (CinApiClient *self,
                 GTask        *task,
                 GString      *path,
                 const char   *cursor,
                 guint         limit)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (cursor != NULL)
    _cin_api_append_query (path, "cursor", cursor);
  if (limit > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", limit);

      _cin_api_append_query (path, "limit", text);
    }
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path->str);
  _cin_api_client_send_json (self, task, msg,
                             (CinApiDecodeFunc)_cin_api_decode_note_page, (GDestroyNotify)cin_api_page_free);
}

void
cin_api_client_explore_async (CinApiClient        *self,
                              const char          *cursor,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/v1/explore");
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_explore_async, cancellable, callback, user_data);
  send_page_query (self, task, path, cursor, limit);
}

CinApiPage *
cin_api_client_explore_finish (CinApiClient   *self,
                               GAsyncResult   *result,
                               CinApiFailure **failure,
                               GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_explore_async, failure, error);
}

void
cin_api_client_search_async (CinApiClient        *self,
                             const char          *query,
                             const char          *cursor,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/v1/search");
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_search_async, cancellable, callback, user_data);
  _cin_api_append_query (path, "q", query);
  send_page_query (self, task, path, cursor, limit);
}

CinApiPage *
cin_api_client_search_finish (CinApiClient   *self,
                              GAsyncResult   *result,
                              CinApiFailure **failure,
                              GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_search_async, failure, error);
}
