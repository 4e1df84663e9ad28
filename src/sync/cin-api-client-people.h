/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"

G_BEGIN_DECLS

/* The people the creator follows, for @mentions, and the topics in use,
 * for completing a topic. Failures are CIN_API_ERROR as every call's;
 * these calls hand no CinApiFailure. */

/* The most list_following gathers: past it the list is cut short. */
#define CIN_API_CLIENT_MAX_FOLLOWING 10000

/* GET /v1/following, every page: the handles the caller follows, most
 * recently followed first (at most CIN_API_CLIENT_MAX_FOLLOWING). */
void      cin_api_client_list_following_async   (CinApiClient         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GStrv     cin_api_client_list_following_finish  (CinApiClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* PUT /v1/following/{handle}: follow @handle; following again is no
 * error. */
void      cin_api_client_follow_async           (CinApiClient         *self,
                                                 const char           *handle,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean  cin_api_client_follow_finish          (CinApiClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* DELETE /v1/following/{handle}: stop following @handle; unfollowing one
 * not followed is no error. */
void      cin_api_client_unfollow_async         (CinApiClient         *self,
                                                 const char           *handle,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean  cin_api_client_unfollow_finish        (CinApiClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* GET /v1/topics: the names of topics on published public notes that
 * hold @query (1 to 100 characters, any case), most used first. @limit 0
 * takes the server's default (20; at most 100). */
void      cin_api_client_suggest_topics_async   (CinApiClient         *self,
                                                 const char           *query,
                                                 guint                 limit,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GStrv     cin_api_client_suggest_topics_finish  (CinApiClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
