/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-api-client.h"
#include "cin-store-sync.h"

G_BEGIN_DECLS

/* Carries one profile's outbox to the server and the server's changes
 * back, on the main thread: one request at a time, the store doing every
 * write on its own thread. Network errors, timeouts, 408, 429 and 5xx back
 * off exponentially with full jitter (or as Retry-After says) and try
 * again; any other refusal parks the change with the server's reason until
 * the creator edits the note or retries. A 412 merges
 * (cin_store_outbox_merge_async()); a publish counts only once the note
 * read back from the server says so. */

typedef enum {
  CIN_SYNC_STATUS_IDLE,             /* nothing waiting: synced */
  CIN_SYNC_STATUS_SYNCING,
  CIN_SYNC_STATUS_OFFLINE,          /* the server can't be reached; retrying */
  CIN_SYNC_STATUS_NEEDS_ATTENTION,  /* a change was refused, or sign in again */
} CinSyncStatus;

#define CIN_TYPE_SYNC_ENGINE (cin_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (CinSyncEngine, cin_sync_engine, CIN, SYNC_ENGINE, GObject)

CinSyncEngine *cin_sync_engine_new            (CinStore       *store,
                                               CinApiClient   *client);
CinStore      *cin_sync_engine_get_store      (CinSyncEngine  *self);
/* The client the engine speaks through, for the app's own few requests. */
CinApiClient  *cin_sync_engine_get_client     (CinSyncEngine  *self);

/* The folder the profile's media files are in, named by SHA-256; a
 * note's photos are uploaded from there before the note is sent, and at
 * the end of each run the photos that notes from other devices name are
 * fetched into it (note-changed is emitted for their notes). */
void           cin_sync_engine_set_media_dir  (CinSyncEngine  *self,
                                               const char     *media_dir);

/* Starts syncing: now, whenever cin_sync_engine_sync_now() is called
 * (after every save), when a retry comes due and every
 * CIN_SYNC_ENGINE_PULL_INTERVAL seconds. Stopping cancels what is in
 * flight; the outbox keeps it for the next start. */
#define CIN_SYNC_ENGINE_PULL_INTERVAL 60
void           cin_sync_engine_start          (CinSyncEngine  *self);
void           cin_sync_engine_stop           (CinSyncEngine  *self);
void           cin_sync_engine_sync_now       (CinSyncEngine  *self);

CinSyncStatus  cin_sync_engine_get_status     (CinSyncEngine  *self);
/* While syncing: changes sent in this run, and how many there were. */
guint          cin_sync_engine_get_n_done     (CinSyncEngine  *self);
guint          cin_sync_engine_get_n_total    (CinSyncEngine  *self);
/* (nullable) Why the status is offline or needs attention. */
const char    *cin_sync_engine_get_problem    (CinSyncEngine  *self);
/* Whether the server refused the token (401) in the last request; a
 * request that gets through clears it. The app then asks the creator to
 * sign in again. */
gboolean       cin_sync_engine_get_signed_out (CinSyncEngine *self);
/* Whether a run is under way or due at once; FALSE when the engine waits
 * for a timer, an edit or the network. */
gboolean       cin_sync_engine_get_busy       (CinSyncEngine  *self);

/* Backoff: the first retry waits up to @base_ms, each next one twice as
 * long, never more than @max_ms (full jitter: a random time up to that).
 * Tests shorten it; the defaults are 1 s and 5 min. */
void           cin_sync_engine_set_backoff    (CinSyncEngine  *self,
                                               guint           base_ms,
                                               guint           max_ms);

/* The file a photo is uploaded as: the stored one, or a copy made for
 * the upload (GPS taken out, HEIC turned into JPEG). */
typedef struct {
  char *path;
  char *sha256;
} CinUploadFile;

void cin_upload_file_free (CinUploadFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinUploadFile, cin_upload_file_free)

/* Makes the file to upload for @photo and returns it through @task
 * (g_task_return_pointer() with cin_upload_file_free(), or an error that
 * parks the note with its message). The same photo must always give the
 * same bytes, so an upload cut short can resume. Without a preparer the
 * stored file in the media dir goes up as it is. */
typedef void (*CinSyncUploadPreparer) (CinPhoto *photo,
                                       GTask    *task,
                                       gpointer  user_data);

void           cin_sync_engine_set_upload_preparer (CinSyncEngine         *self,
                                                    CinSyncUploadPreparer  preparer,
                                                    gpointer               user_data,
                                                    GDestroyNotify         destroy);

/* The size of each PATCH of an upload; 0 takes the tus client's default.
 * Tests make it small to cut uploads in the middle. */
void           cin_sync_engine_set_upload_chunk_size (CinSyncEngine *self,
                                                      gsize          chunk_size);

/* Signals:
 *   note-changed (const char *id): sync changed or removed the note in the
 *     store (a pull, a merge, the server's answer); reload it.
 *   conflict (const char *id, const char *copy_id): both sides changed
 *     the same text; @id now holds the server's version, @copy_id the
 *     local one.
 *   published (const char *id): the server confirmed the note's new
 *     publishing state, read back after the change.
 *   outbox-changed: what is waiting changed; list it again.
 *   upload-progress (const char *note_id, guint photo, guint n_photos,
 *     guint64 offset, guint64 length): the server has @offset of @length
 *     bytes of the note's photo @photo (from 0) of @n_photos; emitted once
 *     an upload exists on the server and after each chunk, the last with
 *     @offset == @length. Photos already uploaded are not reported.
 *   following-changed: the people the account follows changed in the
 *     store (cin_store_list_following_async()); asked at the end of a
 *     run every 15 minutes. */

G_END_DECLS
