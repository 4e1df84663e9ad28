/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-api-client.h"

G_BEGIN_DECLS

/* Fetches a file the account uploaded, by its content: GET
 * /v1/uploads/<sha256> (docs/api/openapi.yaml). A note names its photos by
 * SHA-256, so this is how a device gets the photos of a note written on
 * another one.
 *
 * The bytes go to "<path>.part" as they arrive, written off the main
 * thread; a .part an interrupted run left is continued with a Range
 * request (If-Range on the content's ETag), so a restart fetches only what
 * is missing. Once the answer ends, the whole file's SHA-256 is checked on
 * a worker thread, and the file synced and renamed to @path: @path only
 * ever holds the right bytes. A file that does not match, or an answer
 * longer than @max_bytes, is removed and fails with
 * CIN_API_ERROR_INVALID_RESPONSE. A download that receives nothing for
 * the client's I/O timeout fails with CIN_API_ERROR_TIMEOUT and keeps its
 * .part for next time.
 *
 * Errors are CIN_API_ERROR (404 when the server has no such file),
 * G_IO_ERROR_CANCELLED, or a G_IO_ERROR when the file cannot be
 * written. */

void      cin_photo_download_async  (CinApiClient        *client,
                                     const char          *sha256,
                                     const char          *path,
                                     guint64              max_bytes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* @failure (nullable): the status and Retry-After of a refusal. */
gboolean  cin_photo_download_finish (GAsyncResult        *result,
                                     CinApiFailure      **failure,
                                     GError             **error);

G_END_DECLS
