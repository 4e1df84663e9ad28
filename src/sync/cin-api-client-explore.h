/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"

G_BEGIN_DECLS

/* What anyone may read, without signing in: published public notes,
 * newest first (explore) or best match first (search). Both answer a
 * CinApiPage of CinNote; pass its cursor back for the next page.
 * @limit 0 takes the server's default (20; at most 100). */

/* GET /v1/explore */
void        cin_api_client_explore_async  (CinApiClient         *self,
                                           const char           *cursor,
                                           guint                 limit,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
CinApiPage *cin_api_client_explore_finish (CinApiClient         *self,
                                           GAsyncResult         *result,
                                           CinApiFailure       **failure,
                                           GError              **error);

/* GET /v1/search: notes whose title, body or topics hold @query (1 to 100
 * characters, matched as a phrase). */
void        cin_api_client_search_async   (CinApiClient         *self,
                                           const char           *query,
                                           const char           *cursor,
                                           guint                 limit,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
CinApiPage *cin_api_client_search_finish  (CinApiClient         *self,
                                           GAsyncResult         *result,
                                           CinApiFailure       **failure,
                                           GError              **error);

G_END_DECLS
