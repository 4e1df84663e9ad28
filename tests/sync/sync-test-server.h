/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "server-test-util.h"

G_BEGIN_DECLS

/* The sync tests run the real cinnabar-server the way the server tests
 * do (tests/server/server-test-util.h), with one account in it. */

#define SYNC_TEST_HANDLE   "alice"
#define SYNC_TEST_PASSWORD TEST_PASSWORD

/* Makes the account SYNC_TEST_HANDLE / SYNC_TEST_PASSWORD on @server. */
void            sync_test_add_account  (TestServer     *server);

/* Runs the default main context until *@result is set. */
void            sync_test_wait         (GAsyncResult  **result);
void            sync_test_store_result (GObject        *source,
                                        GAsyncResult   *result,
                                        gpointer        user_data);

/* Runs cin_api_client_NAME_async (@client, ARGS…, no cancellable) to the
 * end and gives what cin_api_client_NAME_finish (@client, result, @error)
 * returns. */
#define SYNC_TEST_CALL(name, client, error, ...)                                             \
  ({                                                                                         \
    g_autoptr(GAsyncResult) result_ = NULL;                                                  \
    cin_api_client_##name##_async (client, ##__VA_ARGS__, NULL, sync_test_store_result,      \
                                   &result_);                                                \
    sync_test_wait (&result_);                                                               \
    cin_api_client_##name##_finish (client, result_, error);                                 \
  })

G_END_DECLS
