/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-store-sync.h"
#include "cin-sync-engine.h"
#include "sync-test-server.h"

G_BEGIN_DECLS

/* One Cinnabar client as the sync tests run it: a real store file in its
 * own folder, an API client signed in to @base_url and a sync engine with
 * a short backoff, all on the default main context. */
typedef struct {
  char          *dir;
  CinStore      *store;
  CinApiClient  *client;
  CinSyncEngine *engine;
  guint          conflicts;   /* "conflict" signals seen */
} SyncTestClient;

SyncTestClient *sync_test_client_new        (const char     *base_url,
                                             const char     *token);
void            sync_test_client_free       (SyncTestClient *client);
/* Signs in as SYNC_TEST_HANDLE and returns the token. */
char           *sync_test_sign_in           (const char     *base_url);

void            sync_test_client_save       (SyncTestClient *client,
                                             CinNote        *note);
CinNote        *sync_test_client_load       (SyncTestClient *client,
                                             const char     *id);
/* Every note not in the trash (CinNote), sorted by id. */
GPtrArray      *sync_test_client_notes      (SyncTestClient *client);
/* The outbox (CinOutboxEntry). */
GPtrArray      *sync_test_client_outbox     (SyncTestClient *client);
/* Asks the engine to sync and runs the loop until it has nothing left to
 * send and is idle, or @timeout_ms pass (then FALSE). */
gboolean        sync_test_client_settle     (SyncTestClient *client,
                                             guint           timeout_ms);

/* Runs the default main loop for @ms. */
void            sync_test_run_for           (guint           ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncTestClient, sync_test_client_free)

G_END_DECLS
