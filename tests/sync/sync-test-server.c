/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test"

#include "sync-test-server.h"

void
sync_test_add_account (TestServer *server)
{
  /* Signing up signs in too; the tests sign in again through the client. */
  g_autofree char *token = test_server_sign_up (server, SYNC_TEST_HANDLE);

  g_assert_nonnull (token);
}

void
sync_test_store_result (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
sync_test_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}
