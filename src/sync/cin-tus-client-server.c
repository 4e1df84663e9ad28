/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-client"

#include <libsoup/soup.h>
#include <string.h>

#include "cin-api-client-private.h"
#include "cin-tus-client.h"

/* The tus routes beside the upload itself: discovery and termination.
 * Both go through the API client's call plumbing, so they share its
 * deadline and its reading of errors. */

#define TUS_VERSION "1.0.0"

void
cin_tus_capabilities_free (CinTusCapabilities *capabilities)
{
  if (capabilities == NULL)
    return;
  g_free (capabilities->version);
  g_strfreev (capabilities->extensions);
  g_free (capabilities);
}

gboolean
cin_tus_capabilities_has_extension (const CinTusCapabilities *capabilities,
                                    const char               *extension)
{
  g_return_val_if_fail (capabilities != NULL, FALSE);
  g_return_val_if_fail (extension != NULL, FALSE);

  return g_strv_contains ((const char * const *)capabilities->extensions, extension);
}

static void
on_options_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  g_autoptr(CinTusCapabilities) capabilities = g_new0 (CinTusCapabilities, 1);
  g_auto(GStrv) extensions = NULL;
  g_autoptr(GError) error = NULL;
  const char *version = soup_message_headers_get_one (headers, "Tus-Version");
  const char *max_size = soup_message_headers_get_one (headers, "Tus-Max-Size");
  GStrvBuilder *builder;

  if (!_cin_api_client_finish_boolean (CIN_API_CLIENT (source), result,
                                       cin_tus_client_get_capabilities_async, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (version == NULL)
    {
      g_task_return_error (task, _cin_api_error_invalid_response ("OPTIONS without Tus-Version"));
      return;
    }

  capabilities->version = g_strdup (version);
  builder = g_strv_builder_new ();
  extensions = g_strsplit (soup_message_headers_get_one (headers, "Tus-Extension") ?: "", ",", -1);
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      g_strstrip (extensions[i]);
      if (*extensions[i] != '\0')
        g_strv_builder_add (builder, extensions[i]);
    }
  capabilities->extensions = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  if (max_size != NULL && !g_ascii_string_to_unsigned (max_size, 10, 0, G_MAXUINT64,
                                                       &capabilities->max_size, NULL))
    {
      g_task_return_error (task, _cin_api_error_invalid_response ("a Tus-Max-Size that is no size"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&capabilities), (GDestroyNotify)cin_tus_capabilities_free);
}

void
cin_tus_client_get_capabilities_async (CinApiClient        *client,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  SoupMessage *msg;

  g_return_if_fail (CIN_IS_API_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_tus_client_get_capabilities_async);
  msg = _cin_api_client_new_message (client, "OPTIONS", "/v1/uploads");
  g_task_set_task_data (task, g_object_ref (msg), g_object_unref);
  _cin_api_client_send_call (client,
                             _cin_api_client_new_task (client, cin_tus_client_get_capabilities_async,
                                                       cancellable, on_options_cb, task),
                             msg, CIN_API_ANSWER_NOTHING);
  g_object_unref (msg);
}

CinTusCapabilities *
cin_tus_client_get_capabilities_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_tus_client_get_capabilities_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cin_tus_client_terminate_async (CinApiClient        *client,
                                const char          *upload_url,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *base;
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (client));
  g_return_if_fail (upload_url != NULL);

  task = _cin_api_client_new_task (client, cin_tus_client_terminate_async, cancellable, callback, user_data);
  /* Upload URLs are the server's Location: the same host as the API. */
  uri = g_uri_parse (upload_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_task_return_error (task, _cin_api_error_invalid_response ("an upload URL that is no URL"));
      g_object_unref (task);
      return;
    }
  base = cin_api_client_get_base_uri (client);
  msg = _cin_api_client_new_message (client, SOUP_METHOD_DELETE,
                                     g_str_has_prefix (upload_url, base) ? upload_url + strlen (base)
                                                                         : g_uri_get_path (uri));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Tus-Resumable", TUS_VERSION);
  _cin_api_client_send_call (client, task, msg, CIN_API_ANSWER_NOTHING);
}

gboolean
cin_tus_client_terminate_finish (GAsyncResult   *result,
                                 CinApiFailure **failure,
                                 GError        **error)
{
  GObject *client = g_task_get_source_object (G_TASK (result));

  return _cin_api_client_finish_boolean (CIN_API_CLIENT (client), result, cin_tus_client_terminate_async,
                                         failure, error);
}
