/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-store.h"

G_BEGIN_DECLS

/* What the sync engine asks of a profile's store: the outbox of edits
 * waiting for the server, the server's changes applied page by page, and
 * how far each media upload got. Every call runs on the store's writer
 * thread like the rest of CinStore, each in one transaction.
 *
 * Saving a note (cin_store_save_note_async()) puts a "put" row in the
 * outbox in the same transaction; consecutive saves share the row until
 * the engine first sends it. Its payload and Idempotency-Key are frozen at
 * that first attempt, so every retry sends the same request. Trashing a
 * note queues a "delete" CIN_STORE_DELETE_GRACE_USEC ahead, so that an undo
 * within it never reaches the server. */

#define CIN_STORE_DELETE_GRACE_USEC (10 * G_USEC_PER_SEC)

typedef enum {
  CIN_OUTBOX_PUT,
  CIN_OUTBOX_DELETE,
  CIN_OUTBOX_PUBLISH,
  CIN_OUTBOX_SCHEDULE,
  CIN_OUTBOX_UNPUBLISH,
} CinOutboxOp;

const char *cin_outbox_op_to_string   (CinOutboxOp  op);
gboolean    cin_outbox_op_from_string (const char  *str,
                                       CinOutboxOp *op);

/* One claimed outbox row: the request to send now. */
typedef struct {
  gint64       id;
  char        *note_id;
  CinOutboxOp  op;
  CinNote     *note;             /* (nullable) put: the note to send */
  gint64       scheduled_at;     /* schedule: when to publish */
  char        *idempotency_key;
  char        *rev;              /* (nullable) If-Match; NULL creates */
  guint        attempts;         /* this one included */
} CinOutboxItem;

void cin_outbox_item_free (CinOutboxItem *item);

/* A row as the sync status lists it. */
typedef struct {
  char        *note_id;
  char        *title;            /* the note's title now, "" when gone */
  CinOutboxOp  op;
  gboolean     parked;           /* refused: waits for the creator */
  guint        attempts;
  char        *last_error;       /* (nullable) the reason of the last failure */
} CinOutboxEntry;

void cin_outbox_entry_free (CinOutboxEntry *entry);

/* Claims the oldest row due at @now of a note with no older row waiting,
 * freezing its payload and counting the attempt. Returns NULL with no
 * error when nothing is due; *@next_due is then the earliest time a row
 * comes due, or 0 when the outbox holds nothing that will. */
void           cin_store_claim_outbox_async   (CinStore             *self,
                                               gint64                now,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CinOutboxItem *cin_store_claim_outbox_finish  (CinStore             *self,
                                               GAsyncResult         *result,
                                               gint64               *next_due,
                                               GError              **error);

/* The server took the row's request and answered @remote (NULL for a
 * delete): the row goes, the note takes the server's revision as its new
 * base and, when nothing else of it waits, the server's version. */
void           cin_store_outbox_done_async    (CinStore             *self,
                                               gint64                row_id,
                                               CinNote              *remote,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_outbox_done_finish   (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* A transient failure: try again at @next_attempt_at (unix µs). */
void           cin_store_outbox_retry_async   (CinStore             *self,
                                               gint64                row_id,
                                               gint64                next_attempt_at,
                                               const char           *reason,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_outbox_retry_finish  (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The server refused the request: the row waits until the creator edits
 * the note or asks to try again (cin_store_outbox_unpark_async()). */
void           cin_store_outbox_park_async    (CinStore             *self,
                                               gint64                row_id,
                                               const char           *reason,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_outbox_park_finish   (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void           cin_store_outbox_unpark_async  (CinStore             *self,
                                               const char           *note_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_outbox_unpark_finish (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The server answered 412 with @remote, its current note: merges it with
 * the note as it is now against the last synced version
 * (cin_note_merge()). Clean, the merge becomes the note, to be sent again
 * if it differs from @remote. In conflict, the note becomes @remote and
 * the local version a new draft (its conflict copy), whose id
 * *@conflict_copy_id is; NULL otherwise. */
void           cin_store_outbox_merge_async   (CinStore             *self,
                                               gint64                row_id,
                                               CinNote              *remote,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_outbox_merge_finish  (CinStore             *self,
                                               GAsyncResult         *result,
                                               char                **conflict_copy_id,
                                               GError              **error);

/* Queues publishing (or scheduling at @at, or unpublishing) @note_id
 * after what is already queued for it. */
void           cin_store_request_state_async  (CinStore             *self,
                                               const char           *note_id,
                                               CinOutboxOp           op,
                                               gint64                at,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_request_state_finish (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Every row waiting, oldest first, as CinOutboxEntry. */
void           cin_store_list_outbox_async    (CinStore             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray     *cin_store_list_outbox_finish   (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The change feed */

/* One change to a note from the feed: @note NULL is a tombstone. */
typedef struct {
  char    *id;
  char    *rev;
  CinNote *note;
} CinRemoteChange;

CinRemoteChange *cin_remote_change_new  (const char *id,
                                         const char *rev,
                                         CinNote    *note);
void             cin_remote_change_free (CinRemoteChange *change);

typedef enum {
  CIN_APPLY_NORMAL          = 0,
  /* A page of a full resync (after 410). */
  CIN_APPLY_RESYNC          = 1 << 0,
  /* The resync's first page: forget what an earlier one saw. */
  CIN_APPLY_RESYNC_FIRST    = 1 << 1,
  /* The resync's last page: notes synced before but not seen in it were
   * deleted on the server while the cursor was expired, and go. */
  CIN_APPLY_RESYNC_LAST     = 1 << 2,
} CinApplyFlags;

/* Applies a page of changes (CinRemoteChange) and moves the cursor to
 * @cursor, in one transaction. A note with edits waiting in the outbox
 * is left as it is: sending them meets the server's version (412) and
 * merges there. */
void           cin_store_apply_changes_async  (CinStore             *self,
                                               GPtrArray            *changes,
                                               const char           *cursor,
                                               CinApplyFlags         flags,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean       cin_store_apply_changes_finish (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* The cursor to pull from, NULL before the first pull. */
void           cin_store_get_cursor_async     (CinStore             *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char          *cin_store_get_cursor_finish    (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Uploads */

/* How far the upload of the media file @sha256 got. The server's notes
 * name a photo by what was uploaded (remote_sha256); the store turns them
 * back into the stored file's name whenever it takes a note from the
 * server, so local notes always name local files. */
typedef struct {
  char    *remote_sha256; /* (nullable) of the bytes uploaded, when they
                           * differ from the stored file's */
  char    *url;      /* (nullable) the tus upload, once created */
  guint64  offset;   /* bytes the server acknowledged */
  guint64  length;
  gboolean done;
} CinUploadState;

void cin_upload_state_free (CinUploadState *state);

void            cin_store_get_upload_async    (CinStore             *self,
                                               const char           *sha256,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* A state with no url when the upload never started. */
CinUploadState *cin_store_get_upload_finish   (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void            cin_store_set_upload_async    (CinStore             *self,
                                               const char           *sha256,
                                               const CinUploadState *state,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        cin_store_set_upload_finish   (CinStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Media files */

/* A photo file a note in the store names (the trash left out): the
 * profile's media dir should hold it. A note from another device names
 * files this one may not have yet. */
typedef struct {
  char *note_id;
  char *sha256;
  char *mime;
} CinNoteFile;

void cin_note_file_free (CinNoteFile *file);

/* @note_ids (nullable): only these notes' files; NULL for every note's. */
void            cin_store_list_note_files_async  (CinStore             *self,
                                                  const char * const   *note_ids,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
/* (element-type CinNoteFile) */
GPtrArray      *cin_store_list_note_files_finish (CinStore             *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Replaces the people the account follows with @handles, as the server
 * lists them: the most recently followed first
 * (cin_store_list_following_async() reads them). *@changed says whether
 * they differ from what was stored; when not, nothing is written. */
void            cin_store_set_following_async    (CinStore             *self,
                                                  const char * const   *handles,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        cin_store_set_following_finish   (CinStore             *self,
                                                  GAsyncResult         *result,
                                                  gboolean             *changed,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinOutboxItem, cin_outbox_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinOutboxEntry, cin_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinRemoteChange, cin_remote_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinUploadState, cin_upload_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinNoteFile, cin_note_file_free)

G_END_DECLS
