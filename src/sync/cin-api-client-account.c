/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include "cin-api-client-private.h"

/* The account: sign up (POST /v1/accounts) and who the token belongs to
 * (GET /v1/session). Signing in and out live with the core, which keeps
 * the token. */

void
cin_api_account_free (CinApiAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->handle);
  g_clear_pointer (&account->created_at, g_date_time_unref);
  g_free (account);
}

static CinApiAccount *
decode_account (JsonNode  *root,
                GError   **error)
{
  JsonObject *object = json_node_get_object (root);
  const char *handle = _cin_api_json_get_string (object, "handle");
  g_autoptr(GDateTime) created_at = _cin_api_json_dup_time (object, "created_at");
  CinApiAccount *account;

  if (handle == NULL || *handle == '\0' || created_at == NULL)
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("not an account"));
      return NULL;
    }
  account = g_new0 (CinApiAccount, 1);
  account->handle = g_strdup (handle);
  account->created_at = g_steal_pointer (&created_at);
  return account;
}

void
cin_api_client_sign_up_async (CinApiClient        *self,
                              const char          *handle,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  GTask *task;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (handle != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_sign_up_async, cancellable, callback, user_data);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_POST, "/v1/accounts");
  _cin_api_set_json_body (msg, _cin_api_credentials_json (handle, password));
  _cin_api_client_send_json (self, task, msg,
                             (CinApiDecodeFunc)decode_account, (GDestroyNotify)cin_api_account_free);
}

CinApiAccount *
cin_api_client_sign_up_finish (CinApiClient   *self,
                               GAsyncResult   *result,
                               CinApiFailure **failure,
                               GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_sign_up_async, failure, error);
}

void
cin_api_client_get_account_async (CinApiClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_get_account_async, cancellable, callback, user_data);

  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, "/v1/session");
  _cin_api_client_send_json (self, task, msg,
                             (CinApiDecodeFunc)decode_account, (GDestroyNotify)cin_api_account_free);
}

CinApiAccount *
cin_api_client_get_account_finish (CinApiClient   *self,
                                   GAsyncResult   *result,
                                   CinApiFailure **failure,
                                   GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_get_account_async, failure, error);
}
