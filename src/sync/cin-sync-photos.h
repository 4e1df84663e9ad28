/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-api-client.h"
#include "cin-store-sync.h"

G_BEGIN_DECLS

/* The sync engine's last step of a run: the photos that notes in the
 * store name but the media dir lacks (notes written on another device)
 * are fetched from the server, one at a time (cin-photo-download.h). */

/* A photo larger than the platform takes (20 MB) is no photo. */
#define CIN_SYNC_PHOTO_MAX_BYTES ((guint64)64 * 1024 * 1024)

/* Called after each photo is in place, with the notes that name it. */
typedef void (*CinSyncPhotoFetched) (const char  *sha256,
                                     GPtrArray   *note_ids,
                                     gpointer     user_data);

/* Asked before each download: TRUE ends the pass early (more urgent work
 * waits, such as an edit to send). */
typedef gboolean (*CinSyncPhotoYield) (gpointer user_data);

/* Fetches every missing photo of the notes @note_ids (NULL for every
 * note in the store). @unavailable (a set of SHA-256s, owned
 * by the caller) holds the files the server said it does not have; they
 * are skipped, and a new 404 is added to it, so a note that names a file
 * no device uploaded costs one request per session, not one per run.
 * Stops at the first failure that is worth trying again later (network,
 * timeout, 5xx, a damaged file) and returns it; other refusals skip the
 * photo. */
void      _cin_sync_fetch_photos_async  (CinStore            *store,
                                         CinApiClient        *client,
                                         const char * const  *note_ids,
                                         const char          *media_dir,
                                         GHashTable          *unavailable,
                                         CinSyncPhotoFetched  fetched,
                                         CinSyncPhotoYield    yield,
                                         gpointer             data,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* @complete is FALSE when the pass yielded before the end. */
gboolean  _cin_sync_fetch_photos_finish (GAsyncResult        *result,
                                         gboolean            *complete,
                                         CinApiFailure      **failure,
                                         GError             **error);

G_END_DECLS
