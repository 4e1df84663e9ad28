/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-api-client.h"

G_BEGIN_DECLS

/* Resumable media uploads to the server's tus 1.0 endpoint,
 * <base_uri>/v1/uploads (core, creation; see docs/api/openapi.yaml and
 * src/server/tus/cin-tus.h), through the CinApiClient's session and
 * token. The file is read a chunk at a time off the main thread and sent
 * as one PATCH per chunk, so an interrupted upload resumes from the
 * server's offset.
 *
 * Errors are CIN_API_ERROR (with cin_api_error_is_transient() telling a
 * retry from a refusal: a wrong SHA-256 is CIN_API_ERROR_PROBLEM with the
 * failure's status 460 and the server's reason; an upload another request
 * keeps locked (423) for longer than the server lets a stalled request
 * live is CIN_API_ERROR_TOO_MANY_REQUESTS with a Retry-After),
 * G_IO_ERROR_CANCELLED, or a G_IO_ERROR when the local file cannot be
 * read. */

#define CIN_TUS_CLIENT_DEFAULT_CHUNK_SIZE (4 * 1024 * 1024)

/* Called on the main context of the caller of
 * cin_tus_client_upload_async(): once the upload exists on the server
 * (created, at offset 0, before any byte is sent; or found again at
 * @resume_url, at its offset), then after each PATCH the server
 * acknowledged, with the new offset. A caller that keeps @upload_url and
 * @offset from each call, and passes @upload_url back as @resume_url,
 * sends at most one chunk again after a crash. */
typedef void (*CinTusProgressFunc) (const char *upload_url,
                                    guint64     offset,
                                    guint64     length,
                                    gpointer    user_data);

/* Uploads the file at @path, whose whole-file SHA-256 is @sha256 (64 hex
 * digits; the server checks it once the last byte is in) and whose type
 * is @mime (nullable; the server tells the type from the content).
 * @resume_url (nullable) is an upload URL from an earlier run: when the
 * server still has it, for a file of this size, the upload goes on from
 * the server's offset; else a new upload starts. @chunk_size 0 takes
 * CIN_TUS_CLIENT_DEFAULT_CHUNK_SIZE. */
void   cin_tus_client_upload_async  (CinApiClient        *client,
                                     const char          *path,
                                     const char          *sha256,
                                     const char          *mime,
                                     const char          *resume_url,
                                     gsize                chunk_size,
                                     CinTusProgressFunc   progress,
                                     gpointer             progress_data,
                                     GDestroyNotify       progress_destroy,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

/* Returns the URL of the finished upload, or NULL with @error set and,
 * when @failure is not NULL, what the engine needs beyond it (status,
 * Retry-After, the problem). */
char  *cin_tus_client_upload_finish (GAsyncResult        *result,
                                     CinApiFailure      **failure,
                                     GError             **error);

/* OPTIONS /v1/uploads (tus discovery), in cin-tus-client-server.c: what
 * the server takes. */
typedef struct {
  char     *version;     /* Tus-Version, e.g. "1.0.0" */
  char    **extensions;  /* Tus-Extension, e.g. { "creation", "termination" } */
  guint64   max_size;    /* Tus-Max-Size, 0 when the server names none */
} CinTusCapabilities;

void                cin_tus_capabilities_free         (CinTusCapabilities *capabilities);
gboolean            cin_tus_capabilities_has_extension (const CinTusCapabilities *capabilities,
                                                        const char               *extension);

void                cin_tus_client_get_capabilities_async  (CinApiClient        *client,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
CinTusCapabilities *cin_tus_client_get_capabilities_finish (GAsyncResult        *result,
                                                            GError             **error);

/* DELETE @upload_url (tus termination): an upload that will never be
 * finished, or a finished one no note needs, is removed from the server.
 * CIN_API_ERROR_NOT_FOUND when there is no such upload of this account. */
void                cin_tus_client_terminate_async    (CinApiClient        *client,
                                                       const char          *upload_url,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            cin_tus_client_terminate_finish   (GAsyncResult        *result,
                                                       CinApiFailure      **failure,
                                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinTusCapabilities, cin_tus_capabilities_free)

G_END_DECLS
