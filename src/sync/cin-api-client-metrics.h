/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"

G_BEGIN_DECLS

/* The numbers the server keeps about the caller's notes and followers,
 * one entry per day (UTC), oldest first. @from and @to (nullable) bound
 * the days: by default the 30 days up to today; at most 366. */

typedef struct {
  GDate   date;
  guint64 impressions;
  guint64 views;
  guint64 cover_clicks;
  guint64 watch_seconds;  /* zero for photo notes */
  guint64 completions;    /* zero for photo notes */
  guint64 likes;
  guint64 collects;
  guint64 comments;
  guint64 shares;
  guint64 follower_gain;
} CinApiNoteDay;

typedef struct {
  char   *note_id;
  GArray *days;           /* CinApiNoteDay; none before the note was published */
} CinApiNoteMetrics;

void cin_api_note_metrics_free (CinApiNoteMetrics *metrics);

typedef struct {
  GDate   date;
  guint64 followers;
  guint64 follower_gain;
} CinApiFollowerDay;

typedef struct {
  GArray *days;           /* CinApiFollowerDay */
} CinApiAccountMetrics;

void cin_api_account_metrics_free (CinApiAccountMetrics *metrics);

/* GET /v1/notes/{id}/metrics: one of the caller's notes. */
void                  cin_api_client_get_note_metrics_async     (CinApiClient         *self,
                                                                 const char           *id,
                                                                 const GDate          *from,
                                                                 const GDate          *to,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
CinApiNoteMetrics    *cin_api_client_get_note_metrics_finish    (CinApiClient         *self,
                                                                 GAsyncResult         *result,
                                                                 CinApiFailure       **failure,
                                                                 GError              **error);

/* GET /v1/account/metrics: the caller's followers. */
void                  cin_api_client_get_account_metrics_async  (CinApiClient         *self,
                                                                 const GDate          *from,
                                                                 const GDate          *to,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
CinApiAccountMetrics *cin_api_client_get_account_metrics_finish (CinApiClient         *self,
                                                                 GAsyncResult         *result,
                                                                 CinApiFailure       **failure,
                                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiNoteMetrics, cin_api_note_metrics_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinApiAccountMetrics, cin_api_account_metrics_free)

G_END_DECLS
