/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "cin-rules.h"

G_BEGIN_DECLS

/* tus 1.0 resumable uploads (core, creation and termination extensions)
 * for cinnabar-server, mounted on the caller's SoupServer below a prefix:
 *
 *   OPTIONS <prefix>        Tus-Version, Tus-Extension, Tus-Max-Size
 *   POST    <prefix>        creation: Upload-Length, Upload-Metadata (which
 *                           must carry "sha256", see cin-tus-metadata.h)
 *   HEAD    <prefix>/<id>   Upload-Offset, Upload-Length, Upload-Metadata
 *   PATCH   <prefix>/<id>   application/offset+octet-stream at Upload-Offset
 *   DELETE  <prefix>/<id>   termination
 *   GET     <prefix>/<id>   the finished file, with Range / If-Range
 *
 * Request bodies stream to disk chunk by chunk, never whole into memory.
 * The file's type is told from its content (JPEG, PNG, WebP photos; MP4,
 * MOV, M4V, Matroska, WebM, MPEG-PS/TS videos) and held to that kind's
 * size limit; once the last byte is in, the SHA-256 the client declared
 * and the container's structure are checked before the file is taken.
 * A refused file is removed with everything about it, and the client gets
 * an application/problem+json answer whose "type" is one of
 *
 *   urn:cinnabar:problem:checksum-mismatch    460
 *   urn:cinnabar:problem:truncated            422  (structure cut short)
 *   urn:cinnabar:problem:damaged              422
 *   urn:cinnabar:problem:not-media            415
 *   urn:cinnabar:problem:format-not-accepted  415  (e.g. HEIC)
 *   urn:cinnabar:problem:too-large            413
 *
 * and, for requests refused without touching the upload: bad-request 400,
 * unauthorized 401, not-found 404, method-not-allowed 405, offset-mismatch
 * 409, unsupported-version 412, beyond-upload-length 413,
 * wrong-content-type 415, locked 423 (another PATCH is running),
 * storage 500.
 *
 * Uploads live on disk (see cin-tus-store.h), so one interrupted by a
 * crash or kill resumes from the offset that reached the disk. */

#define CIN_TYPE_TUS (cin_tus_get_type ())

G_DECLARE_FINAL_TYPE (CinTus, cin_tus, CIN, TUS, GObject)

typedef struct {
  guint64             photo_max_bytes;
  guint64             video_max_bytes;
  /* Photo formats taken, by the rules file's names ("jpeg", "png",
   * "webp"); NULL for those three. Every video container above is taken. */
  const char * const *photo_formats;
} CinTusLimits;

/* The limits of the platform's rules file. @limits borrows from @rules. */
void         cin_tus_limits_init_from_rules (CinTusLimits     *limits,
                                             CinRules         *rules);

/* Who is asking: the account id that owns the uploads the request may
 * see, or NULL to refuse it. On NULL, CinTus answers 401 unless the
 * function has already set a status on @msg. Called once per request
 * (OPTIONS excepted), before the body is read. */
typedef char *(*CinTusAuthFunc) (SoupServerMessage *msg,
                                 gpointer           user_data);

/* Creates the two folders if needed and finishes what a crash
 * interrupted. @uploads_dir and @media_dir should be on one file system,
 * so a finished upload moves into place without a copy. */
CinTus      *cin_tus_new                    (const char         *uploads_dir,
                                             const char         *media_dir,
                                             const CinTusLimits *limits,
                                             GError            **error);

/* Serves tus at @prefix (such as "/v1/uploads") on @server: installs an
 * early handler, which authenticates and streams PATCH bodies to disk as
 * they arrive, and the handler that answers. Call once, after connecting
 * to the signals below: uploads a crash left unannounced are announced
 * from the main loop right after.
 *
 * Below @prefix these handlers take the place of any the server has on a
 * shorter path (libsoup picks the longest match), its early body-size
 * check included: CinTus sets its own limits. Do not cover @prefix with a
 * SoupAuthDomain either: libsoup skips early handlers for requests an
 * auth domain accepts, and PATCH bodies would then pile up in memory.
 * Authenticate in @auth instead. */
void         cin_tus_attach                 (CinTus             *self,
                                             SoupServer         *server,
                                             const char         *prefix,
                                             CinTusAuthFunc      auth,
                                             gpointer            auth_data,
                                             GDestroyNotify      auth_data_destroy);

guint64      cin_tus_get_max_size           (CinTus             *self);

/* Whether @owner has completed an upload of @sha256 (64 lower-case hex
 * digits) and not deleted it. */
gboolean     cin_tus_has_complete           (CinTus             *self,
                                             const char         *owner,
                                             const char         *sha256);
/* Whether @owner has completed any upload. */
gboolean     cin_tus_owner_has_complete     (CinTus             *self,
                                             const char         *owner);

/* Files that never came through tus, such as the --demo account's
 * photos: @bytes become a complete upload of @owner, as if sent and
 * checked, unless @owner has that content already. Returns its SHA-256
 * (64 lower-case hex digits). */
char        *cin_tus_add_complete           (CinTus             *self,
                                             const char         *owner,
                                             GBytes             *bytes,
                                             GError            **error);

/* Signals, emitted on the main thread:
 *
 * CinTus::upload-completed (CinTus *tus, const char *owner,
 *     const char *upload_id, const char *sha256, const char *mime,
 *     guint64 size, const char *path)
 *   A file was received, verified and moved to @path (inside media_dir),
 *   before the client hears its last PATCH succeeded. Record it then. It
 *   is emitted again after a crash that came before CinTus noted it was
 *   emitted, so record by @upload_id, idempotently.
 *
 * CinTus::upload-terminated (CinTus *tus, const char *owner,
 *     const char *upload_id)
 *   The client deleted the upload; its file, if complete, is gone. */

G_END_DECLS
