/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"
#include "cin-store-sync.h"

G_BEGIN_DECLS

/* The people the account follows, fetched from the server and kept in the
 * store for completing @mentions. People are followed and unfollowed on
 * the phone, and rarely: the engine asks again after this long. */
#define CIN_SYNC_FOLLOWING_INTERVAL (15 * 60 * G_USEC_PER_SEC)

/* Lists the follows (GET /v1/following, every page) and replaces what the
 * store holds. @changed says whether the list differs from what was there,
 * so the composer reads it again only when it must. */
void      _cin_sync_refresh_following_async  (CinStore            *store,
                                              CinApiClient        *client,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  _cin_sync_refresh_following_finish (GAsyncResult        *result,
                                              gboolean            *changed,
                                              GError             **error);

G_END_DECLS
