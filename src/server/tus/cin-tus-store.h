/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cin-media-sniff.h"
#include "cin-tus-hasher.h"

G_BEGIN_DECLS

/* Uploads on disk, so an upload survives the server being killed:
 *
 *   <uploads>/<id>.json   the record: owner, declared length, metadata,
 *                         expected SHA-256, state (written atomically and
 *                         durably, never in place)
 *   <uploads>/<id>.part   the bytes received so far; its size *is* the
 *                         upload offset, so the two cannot disagree
 *   <media>/<id>.<ext>    the file once it is complete and verified
 *
 * Creation makes the .part before the record, deletion removes the record
 * last, and a complete record is written before its .part is renamed into
 * the media folder, so cin_tus_store_new() can tidy up after a crash at
 * any point. Not thread-safe: one thread (the server's) owns the store,
 * except where a function says otherwise. */

typedef struct _CinTusStore CinTusStore;

typedef enum {
  CIN_TUS_UPLOAD_RECEIVING,
  CIN_TUS_UPLOAD_COMPLETE,
} CinTusUploadState;

typedef struct {
  gatomicrefcount    ref_count;

  /* Persisted, fixed at creation */
  char              *id;
  char              *owner;
  guint64            length;
  char              *metadata;    /* (nullable) Upload-Metadata as received */
  char              *sha256;      /* 64 lowercase hex digits */
  gint64             created;     /* Unix time */

  /* Persisted, set once complete */
  CinTusUploadState  state;
  CinMediaFormat     format;
  char              *media_path;  /* (nullable) */
  gboolean           announced;   /* the server was told it is complete */

  /* The .part size (the length once complete) */
  guint64            offset;

  /* In memory only */
  gboolean           busy;        /* a PATCH or the final check holds it */
  CinTusHasher      *hasher;      /* (nullable) until the first PATCH */
  GByteArray        *head;        /* (nullable) first bytes, until sniffed */
  gboolean           sniffed;     /* @format holds what the first bytes say */
} CinTusUpload;

CinTusUpload  *cin_tus_upload_ref           (CinTusUpload  *upload);
void           cin_tus_upload_unref         (CinTusUpload  *upload);

/* Opens (creating them when needed) the two folders and tidies up after a
 * crash. Complete uploads the server was never told about are added to
 * @unannounced (CinTusUpload, owned) when it is not NULL. */
CinTusStore   *cin_tus_store_new            (const char    *uploads_dir,
                                             const char    *media_dir,
                                             GPtrArray     *unannounced,
                                             GError       **error);
void           cin_tus_store_free           (CinTusStore   *store);

CinTusUpload  *cin_tus_store_create         (CinTusStore   *store,
                                             const char    *owner,
                                             guint64        length,
                                             const char    *metadata,
                                             const char    *sha256,
                                             GError       **error);
/* The upload with that id, or NULL (without an error) when there is none.
 * @id must already be known to have the shape of an upload id. */
CinTusUpload  *cin_tus_store_lookup         (CinTusStore   *store,
                                             const char    *id,
                                             GError       **error);
gboolean       cin_tus_store_is_valid_id    (const char    *id);
/* 64 lower-case hex digits: a content id (cin_tus_store_find_complete()). */
gboolean       cin_tus_store_is_valid_sha256 (const char   *text);

/* Whether @owner has completed any upload, from the index alone (complete
 * uploads are indexed by owner and content when the store opens and as
 * each completes): no record is read. */
gboolean       cin_tus_store_owner_has_complete (CinTusStore *store,
                                                 const char  *owner);

/* A complete upload of @owner with this content (64 lowercase hex digits)
 * whose file is still there, or NULL: one lookup in the index and one
 * record read. Of two uploads of the same content, one is indexed; once
 * it is deleted the content is not found, and a client uploads it again. */
CinTusUpload  *cin_tus_store_find_complete  (CinTusStore   *store,
                                             const char    *owner,
                                             const char    *sha256);

/* Rewrites the record (the .part is the data, written elsewhere). */
gboolean       cin_tus_store_save           (CinTusStore   *store,
                                             CinTusUpload  *upload,
                                             GError       **error);
/* Removes the record, the .part and the media file; nothing is left. */
void           cin_tus_store_delete         (CinTusStore   *store,
                                             CinTusUpload  *upload);
/* Lets go of a complete upload, indexing it by its content: it is read
 * from disk when asked for. */
void           cin_tus_store_forget         (CinTusStore   *store,
                                             CinTusUpload  *upload);

char          *cin_tus_store_dup_part_path  (CinTusStore   *store,
                                             CinTusUpload  *upload);
char          *cin_tus_store_dup_media_path (CinTusStore   *store,
                                             CinTusUpload  *upload,
                                             CinMediaFormat format);

/* Records @upload as complete in @format and moves its .part to the media
 * folder, durably. Leaves @upload itself untouched, so it may run on a
 * worker thread while @upload is busy (the fields it reads are fixed). */
gboolean       cin_tus_store_commit_media   (CinTusStore   *store,
                                             CinTusUpload  *upload,
                                             CinMediaFormat format,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinTusUpload, cin_tus_upload_unref)

G_END_DECLS
