/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-sync-engine"

#include <glib/gi18n-lib.h>

#include "cin-image-format.h"
#include "cin-note-json.h"
#include "cin-sync-engine.h"
#include "cin-sync-engine-private.h"
#include "cin-api-client-people.h"
#include "cin-sync-photos.h"
#include "cin-tus-client.h"

/* A run: claim the next due outbox row, send it, record the answer in the
 * store, repeat until nothing is due; then pull the change feed page by
 * page. A transient failure ends the run and a timer starts the next one
 * when the retry comes due. The engine never holds a row in memory across
 * runs: the store is the only truth, so a crash or stop loses nothing and
 * the next start carries on from the outbox. */

struct _CinSyncEngine
{
  GObject        parent_instance;

  /* Owned */
  CinStore      *store;
  CinApiClient  *client;
  char          *media_dir;     /* (nullable) */
  GHashTable    *unavailable;   /* photos the server does not have */
  GHashTable    *pulled_notes;  /* ids pulled since their photos were checked */
  gboolean       photos_checked; /* every note's, since the engine started */
  gint64         following_due; /* when to ask who the account follows */
  gint64         following_interval;
  GCancellable  *cancellable;   /* (nullable) while started */

  /* The run */
  gboolean       started;
  gboolean       running;
  gboolean       again;         /* asked to sync during a run */
  gboolean       resync;        /* pulling everything after a 410 */
  gboolean       resync_first;
  guint          timer_id;
  gint64         next_due;      /* the earliest retry, from the last claim */
  guint          pull_failures;
  guint          pull_id;          /* the pull under way */
  gboolean       pull_applying;    /* a batch of its pages is in the store */
  struct _Batch *pull_waiting;     /* (nullable) pages that came meanwhile */
  gboolean       pull_fetched_all; /* its last page came */
  char          *pull_next_cursor; /* (nullable) the page to fetch once the store catches up */

  /* What the window shows */
  CinSyncStatus  status;
  char          *problem;       /* (nullable) */
  gboolean       had_refusal;   /* a row was parked in this run */
  guint          n_parked;      /* rows parked when the run started */
  gboolean       signed_out;    /* the server answered 401 */
  guint          n_done;
  guint          n_total;

  guint          backoff_base_ms;
  guint          backoff_max_ms;
  gsize          chunk_size;
  CinSyncUploadPreparer preparer;
  gpointer       preparer_data;
  GDestroyNotify preparer_destroy;
};

G_DEFINE_FINAL_TYPE (CinSyncEngine, cin_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_PROBLEM,
  PROP_N_DONE,
  PROP_N_TOTAL,
  PROP_BUSY,
  PROP_SIGNED_OUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NOTE_CHANGED,
  CONFLICT,
  PUBLISHED,
  OUTBOX_CHANGED,
  UPLOAD_PROGRESS,
  FOLLOWING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_start     (CinSyncEngine *self);
static void push_next     (CinSyncEngine *self);
static void pull_start    (CinSyncEngine *self);
static void run_finished  (CinSyncEngine *self,
                           gint64         wake_at);

/* What one request is about: the row and its engine. */
typedef struct {
  CinSyncEngine  *engine;       /* (owned) */
  CinOutboxItem  *item;         /* (owned) */
  CinNote        *note;         /* (owned) (nullable) a put: the photos to upload */
  guint           next_photo;
  GHashTable     *remote_names; /* stored file's SHA-256 → the uploaded one's */
} Request;

static Request *
request_new (CinSyncEngine *self,
             CinOutboxItem *item)
{
  Request *request = g_new0 (Request, 1);

  request->engine = g_object_ref (self);
  request->item = item;
  request->remote_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->engine);
  g_clear_pointer (&request->item, cin_outbox_item_free);
  g_clear_object (&request->note);
  g_clear_pointer (&request->remote_names, g_hash_table_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Status */

static void
set_status (CinSyncEngine *self,
            CinSyncStatus  status,
            const char    *problem)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->problem, problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The server no longer takes the token (401): nothing will sync until
 * the creator signs in again, so the app can say so rather than retry. */
static void
set_signed_out (CinSyncEngine *self,
                gboolean       signed_out)
{
  if (self->signed_out == signed_out)
    return;
  self->signed_out = signed_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_OUT]);
}

static void
set_progress (CinSyncEngine *self,
              guint          n_done,
              guint          n_total)
{
  if (self->n_done != n_done)
    {
      self->n_done = n_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
    }
  if (self->n_total != n_total)
    {
      self->n_total = n_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
    }
}

static void
set_running (CinSyncEngine *self,
             gboolean       running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Backoff */

gint64
_cin_sync_backoff_delay_ms (guint attempts,
                            guint base_ms,
                            guint max_ms)
{
  guint64 cap = base_ms;

  /* Full jitter (a random wait up to the exponential cap) spreads the
   * clients a server outage sent away at the same moment. */
  for (guint i = 1; i < attempts && cap < max_ms; i++)
    cap *= 2;
  cap = MIN (cap, (guint64)max_ms);
  if (cap == 0)
    return 0;
  return (gint64)g_random_double_range (0, (double)cap);
}

static gint64
retry_delay_usec (CinSyncEngine       *self,
                  guint                attempts,
                  const CinApiFailure *failure)
{
  if (failure != NULL && failure->retry_after >= 0)
    return failure->retry_after * G_USEC_PER_SEC;
  return _cin_sync_backoff_delay_ms (attempts, self->backoff_base_ms, self->backoff_max_ms) * 1000;
}

/* The timer */

static gboolean
on_timer_cb (gpointer user_data)
{
  CinSyncEngine *self = user_data;

  self->timer_id = 0;
  run_start (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_wake (CinSyncEngine *self,
               gint64         wake_at)
{
  gint64 delay_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (!self->started)
    return;

  delay_ms = MAX (0, (wake_at - g_get_real_time ()) / 1000);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint)MIN (delay_ms, G_MAXUINT),
                                       on_timer_cb, self, NULL);
}

/* Ends the run. The next starts at once if someone asked meanwhile,
 * else at the earliest of @retry_at (unix µs, 0 for none), the next
 * retry the outbox holds and the next periodic pull. */
static void
run_finished (CinSyncEngine *self,
              gint64         retry_at)
{
  gint64 wake_at = g_get_real_time () + CIN_SYNC_ENGINE_PULL_INTERVAL * G_USEC_PER_SEC;

  set_running (self, FALSE);
  g_signal_emit (self, signals[OUTBOX_CHANGED], 0);

  if (!self->started)
    return;
  if (self->again)
    {
      self->again = FALSE;
      run_start (self);
      return;
    }
  if (retry_at > 0)
    wake_at = MIN (wake_at, retry_at);
  if (self->next_due > 0)
    wake_at = MIN (wake_at, self->next_due);
  schedule_wake (self, wake_at);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A store call failed: the disk is full or the file is gone. Nothing was
 * lost (the outbox is unchanged); try again later. */
static void
store_failed (CinSyncEngine *self,
              const GError  *error)
{
  if (is_cancelled (error))
    {
      set_running (self, FALSE);
      return;
    }
  g_warning ("The sync engine could not use the store: %s", error->message);
  set_status (self, CIN_SYNC_STATUS_NEEDS_ATTENTION, error->message);
  run_finished (self, g_get_real_time () + (gint64)self->backoff_max_ms * 1000);
}

/* After a store call on a row: go on with the next. */
/* A row was parked: go on with the next. */
static void
on_parked_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_store_outbox_park_finish (CIN_STORE (source), result, &error))
    {
      store_failed (self, error);
      return;
    }
  push_next (self);
}

static void
on_done_recorded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  CinSyncEngine *self = request->engine;
  g_autoptr(GError) error = NULL;

  if (!cin_store_outbox_done_finish (CIN_STORE (source), result, &error))
    {
      store_failed (self, error);
      return;
    }

  if (self->status == CIN_SYNC_STATUS_OFFLINE)
    set_status (self, CIN_SYNC_STATUS_SYNCING, NULL);
  set_signed_out (self, FALSE);
  set_progress (self, self->n_done + 1, MAX (self->n_total, self->n_done + 1));
  g_signal_emit (self, signals[NOTE_CHANGED], 0, request->item->note_id);
  if (request->item->op != CIN_OUTBOX_PUT && request->item->op != CIN_OUTBOX_DELETE)
    g_signal_emit (self, signals[PUBLISHED], 0, request->item->note_id);
  push_next (self);
}

/* Takes @request. */
static void
row_done (Request *request,
          CinNote *remote)
{
  CinSyncEngine *self = request->engine;

  cin_store_outbox_done_async (self->store, request->item->id, remote, self->cancellable,
                               on_done_recorded_cb, request);
}

static void
on_retry_recorded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_store_outbox_retry_finish (CIN_STORE (source), result, &error))
    {
      store_failed (self, error);
      return;
    }
  /* The server or the network is in trouble: the rest waits too, and
   * there is no point pulling now. */
  run_finished (self, self->next_due);
}

static void
on_merged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  CinSyncEngine *self = request->engine;
  g_autoptr(GError) error = NULL;
  g_autofree char *copy_id = NULL;

  if (!cin_store_outbox_merge_finish (CIN_STORE (source), result, &copy_id, &error))
    {
      store_failed (self, error);
      return;
    }

  g_signal_emit (self, signals[NOTE_CHANGED], 0, request->item->note_id);
  if (copy_id != NULL)
    {
      g_signal_emit (self, signals[NOTE_CHANGED], 0, copy_id);
      g_signal_emit (self, signals[CONFLICT], 0, request->item->note_id, copy_id);
    }
  push_next (self);
}

static CinNote *
current_note_of (const CinApiFailure *failure)
{
  if (failure == NULL)
    return NULL;
  if (failure->current_note != NULL)
    return g_object_ref (failure->current_note);
  if (failure->current != NULL)
    return cin_note_from_json (failure->current, NULL);
  return NULL;
}

/* The row waits, with @reason, until the creator edits the note or asks
 * to try again. */
static void
park (Request    *request,
      const char *reason)
{
  CinSyncEngine *self = request->engine;

  self->had_refusal = TRUE;
  cin_store_outbox_park_async (self->store, request->item->id, reason, self->cancellable,
                               on_parked_cb, g_object_ref (self));
}

/* Decides what a failed request means for its row. */
static void
request_failed (Request             *request,
                const GError        *error,
                const CinApiFailure *failure)
{
  CinSyncEngine *self = request->engine;
  CinOutboxItem *item = request->item;
  g_autoptr(CinNote) current = NULL;

  if (is_cancelled (error))
    {
      set_running (self, FALSE);
      return;
    }

  if (g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_PRECONDITION_FAILED) &&
      (current = current_note_of (failure)) != NULL)
    {
      cin_store_outbox_merge_async (self->store, item->id, current, self->cancellable,
                                    on_merged_cb, request_new (self, g_steal_pointer (&request->item)));
      return;
    }

  /* Deleting what the server no longer has is done. */
  if (item->op == CIN_OUTBOX_DELETE &&
      (g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND) ||
       g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_GONE)))
    {
      row_done (request_new (self, g_steal_pointer (&request->item)), NULL);
      return;
    }

  if (cin_api_error_is_transient (error) ||
      g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE) ||
      g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_PRECONDITION_FAILED) ||
      g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED))
    {
      gint64 retry_at = g_get_real_time () + retry_delay_usec (self, item->attempts, failure);

      if (g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED))
        {
          set_status (self, CIN_SYNC_STATUS_NEEDS_ATTENTION,
                      _("The server no longer accepts this sign-in. Sign in again to go on syncing."));
          set_signed_out (self, TRUE);
        }
      else
        set_status (self, CIN_SYNC_STATUS_OFFLINE, error->message);
      self->next_due = retry_at;
      cin_store_outbox_retry_async (self->store, item->id, retry_at, error->message,
                                    self->cancellable, on_retry_recorded_cb, g_object_ref (self));
      return;
    }

  /* Refused for a reason only the creator can fix. */
  park (request, error->message);
}

/* put and delete */

static void
on_put_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) remote = NULL;

  remote = cin_api_client_put_note_finish (CIN_API_CLIENT (source), result, NULL, &failure, &error);
  if (remote == NULL)
    request_failed (request, error, failure);
  else
    row_done (g_steal_pointer (&request), remote);
}

static void
on_deleted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  if (!cin_api_client_delete_note_finish (CIN_API_CLIENT (source), result, &failure, &error))
    request_failed (request, error, failure);
  else
    row_done (g_steal_pointer (&request), NULL);
}

/* Publishing: change the state, then read the note back */

static void
on_read_back_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) remote = NULL;

  remote = cin_api_client_get_note_finish (CIN_API_CLIENT (source), result, &failure, &error);
  if (remote == NULL)
    {
      /* The change may have happened; sending it again with the same key
       * replays the server's answer, and the read back follows. */
      request_failed (request, error, failure);
      return;
    }
  row_done (g_steal_pointer (&request), remote);
}

static void
on_state_changed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) answer = NULL;
  CinSyncEngine *self = request->engine;
  const char *note_id;

  answer = cin_api_client_change_state_finish (CIN_API_CLIENT (source), result, &failure, &error);
  if (answer == NULL)
    {
      request_failed (request, error, failure);
      return;
    }

  /* Only the note as the server reads it back counts. */
  note_id = request->item->note_id;
  cin_api_client_get_note_async (self->client, note_id, self->cancellable,
                                 on_read_back_cb, g_steal_pointer (&request));
}

static void
change_state (Request *request)
{
  CinSyncEngine *self = request->engine;
  CinOutboxItem *item = request->item;
  CinApiNoteAction action = item->op == CIN_OUTBOX_SCHEDULE ? CIN_API_NOTE_SCHEDULE
                          : item->op == CIN_OUTBOX_UNPUBLISH ? CIN_API_NOTE_UNPUBLISH
                          : CIN_API_NOTE_PUBLISH;

  cin_api_client_change_state_async (self->client, item->note_id, action, item->scheduled_at,
                                     item->rev, item->idempotency_key, self->cancellable,
                                     on_state_changed_cb, request);
}

/* Uploads: a put sends the note's photos first, so the note the server
 * holds only ever names files it has. What goes up may differ from the
 * stored file (the preparer takes out GPS, turns HEIC into JPEG); the
 * note is then sent naming the uploaded file, and the store maps the
 * server's names back whenever it takes a note from the server. */

void
cin_upload_file_free (CinUploadFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->sha256);
  g_free (file);
}

static void put_note (Request *request);
static void upload_next_photo (Request *request);

typedef struct {
  CinSyncEngine *engine;         /* (owned) */
  char          *sha256;         /* the stored file */
  char          *remote_sha256;  /* (nullable) what goes up, when different */
  char          *note_id;
  guint          photo;          /* its place in the note */
  guint          n_photos;
} UploadProgress;

static void
upload_progress_free (gpointer data)
{
  UploadProgress *progress = data;

  g_clear_object (&progress->engine);
  g_free (progress->sha256);
  g_free (progress->remote_sha256);
  g_free (progress->note_id);
  g_free (progress);
}

static void
on_upload_state_saved_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Losing one progress record only means resending one more chunk. */
  if (!cin_store_set_upload_finish (CIN_STORE (source), result, &error) && !is_cancelled (error))
    g_warning ("Could not record an upload's progress: %s", error->message);
}

static void
save_upload_state (CinSyncEngine *self,
                   const char    *sha256,
                   const char    *remote_sha256,
                   const char    *url,
                   guint64        offset,
                   guint64        length,
                   gboolean       done)
{
  CinUploadState state = { (char *)remote_sha256, (char *)url, offset, length, done };

  cin_store_set_upload_async (self->store, sha256, &state, NULL, on_upload_state_saved_cb, NULL);
}

static void
on_upload_progress (const char *upload_url,
                    guint64     offset,
                    guint64     length,
                    gpointer    user_data)
{
  UploadProgress *progress = user_data;

  save_upload_state (progress->engine, progress->sha256, progress->remote_sha256,
                     upload_url, offset, length, FALSE);
  g_signal_emit (progress->engine, signals[UPLOAD_PROGRESS], 0, progress->note_id,
                 progress->photo, progress->n_photos, offset, length);
}

static void
photo_uploaded (Request    *request,
                const char *remote_sha256)
{
  CinPhoto *photo = cin_note_get_photo (request->note, request->next_photo);

  if (remote_sha256 != NULL && !g_str_equal (remote_sha256, cin_photo_get_sha256 (photo)))
    g_hash_table_insert (request->remote_names, g_strdup (cin_photo_get_sha256 (photo)),
                         g_strdup (remote_sha256));
  request->next_photo++;
  upload_next_photo (request);
}

typedef struct {
  Request *request;        /* (owned) */
  char    *remote_sha256;  /* (nullable) */
} Uploading;

static void
on_photo_uploaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Uploading *uploading = user_data;
  g_autoptr(Request) request = g_steal_pointer (&uploading->request);
  g_autofree char *remote_sha256 = g_steal_pointer (&uploading->remote_sha256);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  CinPhoto *photo;

  g_free (uploading);
  url = cin_tus_client_upload_finish (result, &failure, &error);
  if (url == NULL)
    {
      if (error->domain != CIN_API_ERROR && !is_cancelled (error))
        {
          /* The file can't be read: that is the creator's to fix. */
          park (request, error->message);
          return;
        }
      request_failed (request, error, failure);
      return;
    }

  photo = cin_note_get_photo (request->note, request->next_photo);
  save_upload_state (request->engine, cin_photo_get_sha256 (photo), remote_sha256, url, 0, 0, TRUE);
  photo_uploaded (g_steal_pointer (&request), remote_sha256);
}

static char *
media_path (CinSyncEngine *self,
            CinPhoto      *photo)
{
  return cin_image_format_get_photo_path (self->media_dir, cin_photo_get_sha256 (photo),
                                          cin_photo_get_mime (photo));
}

/* Sends @file for the photo being uploaded, from where @state left it. */
static void
upload_file (Request        *request,
             CinUploadState *state,
             CinUploadFile  *file)
{
  CinSyncEngine *self = request->engine;
  CinPhoto *photo = cin_note_get_photo (request->note, request->next_photo);
  gboolean renamed = !g_str_equal (file->sha256, cin_photo_get_sha256 (photo));
  const char *known_remote = state->remote_sha256 != NULL ? state->remote_sha256 : cin_photo_get_sha256 (photo);
  /* An upload begun for other bytes (a preparer that changed) can't go on. */
  const char *resume_url = g_str_equal (known_remote, file->sha256) ? state->url : NULL;
  UploadProgress *progress = g_new0 (UploadProgress, 1);
  Uploading *uploading = g_new0 (Uploading, 1);

  progress->engine = g_object_ref (self);
  progress->sha256 = g_strdup (cin_photo_get_sha256 (photo));
  progress->remote_sha256 = renamed ? g_strdup (file->sha256) : NULL;
  progress->note_id = g_strdup (request->item->note_id);
  progress->photo = request->next_photo;
  progress->n_photos = cin_note_get_n_photos (request->note);
  uploading->remote_sha256 = g_strdup (progress->remote_sha256);
  uploading->request = request;
  cin_tus_client_upload_async (self->client, file->path, file->sha256, cin_photo_get_mime (photo),
                               resume_url, self->chunk_size,
                               on_upload_progress, progress, upload_progress_free,
                               self->cancellable, on_photo_uploaded_cb, uploading);
}

typedef struct {
  Request        *request;  /* (owned) */
  CinUploadState *state;    /* (owned) */
} Preparing;

static void
on_prepared_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Preparing *preparing = user_data;
  g_autoptr(Request) request = g_steal_pointer (&preparing->request);
  g_autoptr(CinUploadState) state = g_steal_pointer (&preparing->state);
  g_autoptr(CinUploadFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_free (preparing);
  file = g_task_propagate_pointer (G_TASK (result), &error);
  if (file == NULL)
    {
      if (is_cancelled (error))
        {
          set_running (request->engine, FALSE);
          return;
        }
      park (request, error->message);
      return;
    }
  upload_file (g_steal_pointer (&request), state, file);
}

static void
on_upload_state_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  CinSyncEngine *self = request->engine;
  g_autoptr(CinUploadState) state = NULL;
  g_autoptr(GError) error = NULL;
  CinPhoto *photo;

  state = cin_store_get_upload_finish (CIN_STORE (source), result, &error);
  if (state == NULL)
    {
      store_failed (self, error);
      return;
    }

  if (state->done)
    {
      photo_uploaded (g_steal_pointer (&request), state->remote_sha256);
      return;
    }

  photo = cin_note_get_photo (request->note, request->next_photo);
  if (self->preparer != NULL)
    {
      Preparing *preparing = g_new0 (Preparing, 1);
      GTask *task;

      preparing->request = g_steal_pointer (&request);
      preparing->state = g_steal_pointer (&state);
      task = g_task_new (self, self->cancellable, on_prepared_cb, preparing);
      g_task_set_source_tag (task, on_upload_state_cb);
      self->preparer (photo, task, self->preparer_data);
      return;
    }

  {
    CinUploadFile file = { media_path (self, photo), (char *)cin_photo_get_sha256 (photo) };

    upload_file (g_steal_pointer (&request), state, &file);
    g_free (file.path);
  }
}

static void
upload_next_photo (Request *request)
{
  CinSyncEngine *self = request->engine;
  CinPhoto *photo;

  if (request->next_photo >= cin_note_get_n_photos (request->note) ||
      (self->media_dir == NULL && self->preparer == NULL))
    {
      put_note (request);
      return;
    }

  photo = cin_note_get_photo (request->note, request->next_photo);
  cin_store_get_upload_async (self->store, cin_photo_get_sha256 (photo), self->cancellable,
                              on_upload_state_cb, request);
}

/* The note as the server names its photos. */
static CinNote *
wire_note (Request *request)
{
  CinNote *note = cin_note_copy (request->item->note);

  for (guint i = 0; i < cin_note_get_n_photos (note); i++)
    {
      CinPhoto *photo = cin_note_get_photo (note, i);
      const char *remote = g_hash_table_lookup (request->remote_names, cin_photo_get_sha256 (photo));

      if (remote != NULL)
        {
          /* Preparers keep the format, but for HEIC, which goes up as
           * JPEG. */
          const char *mime = cin_photo_get_mime (photo);
          gboolean heif = g_str_equal (mime, "image/heic") || g_str_equal (mime, "image/heif");
          g_autoptr(CinPhoto) renamed = cin_photo_with_file (photo, remote, heif ? "image/jpeg" : mime);

          cin_note_replace_photo (note, i, renamed);
        }
    }
  return note;
}

static void
put_note (Request *request)
{
  CinSyncEngine *self = request->engine;
  CinOutboxItem *item = request->item;
  g_autoptr(CinNote) note = wire_note (request);

  cin_api_client_put_note_async (self->client, note, item->rev, item->idempotency_key,
                                 self->cancellable, on_put_cb, request);
}

/* The loop */

static void
send_item (CinSyncEngine *self,
           CinOutboxItem *item)
{
  g_autoptr(Request) request = request_new (self, item);

  switch (item->op)
    {
    case CIN_OUTBOX_PUT:
      request->note = g_object_ref (item->note);
      upload_next_photo (g_steal_pointer (&request));
      break;

    case CIN_OUTBOX_DELETE:
      cin_api_client_delete_note_async (self->client, item->note_id, item->rev,
                                        item->idempotency_key, self->cancellable,
                                        on_deleted_cb, g_steal_pointer (&request));
      break;

    case CIN_OUTBOX_PUBLISH:
    case CIN_OUTBOX_SCHEDULE:
    case CIN_OUTBOX_UNPUBLISH:
    default:
      change_state (g_steal_pointer (&request));
      break;
    }
}

static void
on_claimed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  CinOutboxItem *item;
  gint64 next_due = 0;

  item = cin_store_claim_outbox_finish (CIN_STORE (source), result, &next_due, &error);
  if (error != NULL)
    {
      store_failed (self, error);
      return;
    }

  if (item == NULL)
    {
      self->next_due = next_due;
      pull_start (self);
      return;
    }

  /* Offline stays offline until a request gets through. */
  if (self->status == CIN_SYNC_STATUS_IDLE)
    set_status (self, CIN_SYNC_STATUS_SYNCING, NULL);
  send_item (self, item);
}

static void
push_next (CinSyncEngine *self)
{
  if (!self->started)
    {
      set_running (self, FALSE);
      return;
    }
  cin_store_claim_outbox_async (self->store, g_get_real_time (), self->cancellable,
                                on_claimed_cb, g_object_ref (self));
}

static void
on_outbox_counted_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint waiting = 0;
  guint parked = 0;

  entries = cin_store_list_outbox_finish (CIN_STORE (source), result, &error);
  if (entries == NULL)
    {
      store_failed (self, error);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      CinOutboxEntry *entry = g_ptr_array_index (entries, i);
      waiting += entry->parked ? 0 : 1;
      parked += entry->parked ? 1 : 0;
    }
  self->n_parked = parked;
  set_progress (self, 0, waiting);
  push_next (self);
}

static void
run_start (CinSyncEngine *self)
{
  if (!self->started)
    return;
  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  g_clear_handle_id (&self->timer_id, g_source_remove);
  set_running (self, TRUE);
  self->had_refusal = FALSE;
  self->next_due = 0;
  cin_store_list_outbox_async (self->store, self->cancellable, on_outbox_counted_cb, g_object_ref (self));
}

/* Pull
 *
 * Pages of up to CIN_SYNC_PULL_PAGE changes, decoded off the main thread
 * by the client; the next pages are fetched while the store applies the
 * ones before. Pages that come while the store is busy wait, and go to
 * the store together, up to CIN_SYNC_PULL_BATCH changes in one
 * transaction with the last one's cursor: each commit writes every index
 * page the transaction touched, and notes keyed by random ids touch many,
 * so fewer commits write much less. Each pull has a number, so answers to
 * one that failed or was replaced (a 410 starts over) change nothing but
 * the store. */

#define CIN_SYNC_PULL_PAGE  500
#define CIN_SYNC_PULL_BATCH 1000

static void pull_page (CinSyncEngine *self,
                       const char    *since);

static void pull_failed (CinSyncEngine       *self,
                         const GError        *error,
                         const CinApiFailure *failure);

/* The run went through: everything sent, everything pulled, every photo
 * the notes name is here, the follow list asked for when it was due. */
static void
run_done (CinSyncEngine *self)
{
  self->pull_failures = 0;
  if (self->had_refusal || self->n_parked > 0)
    set_status (self, CIN_SYNC_STATUS_NEEDS_ATTENTION,
                _("The server refused a change. Open the note to see why."));
  else
    set_status (self, CIN_SYNC_STATUS_IDLE, NULL);
  run_finished (self, 0);
}

/* The people the account follows, fetched from the server and kept in the
 * store for completing @mentions. People are followed and unfollowed on
 * the phone, and rarely: the engine asks again after this long. A follow
 * list that did not come costs completion, not the run: it is asked again
 * a little later. */
#define FOLLOWING_INTERVAL_USEC (15 * 60 * G_USEC_PER_SEC)
#define FOLLOWING_RETRY_USEC    (5 * 60 * G_USEC_PER_SEC)

/* The end of a follow-list refresh: @error from the server or the store. */
static void
following_refreshed (CinSyncEngine *self,
                     gboolean       changed,
                     GError        *error)
{
  if (error != NULL)
    {
      if (is_cancelled (error))
        {
          set_running (self, FALSE);
          return;
        }
      g_debug ("Could not list the people the account follows: %s", error->message);
      self->following_due = g_get_real_time () + FOLLOWING_RETRY_USEC;
    }
  else
    {
      self->following_due = g_get_real_time () + self->following_interval;
      if (changed)
        g_signal_emit (self, signals[FOLLOWING_CHANGED], 0);
    }
  run_done (self);
}

static void
on_following_stored_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;

  cin_store_set_following_finish (CIN_STORE (source), result, &changed, &error);
  following_refreshed (self, changed, error);
}

/* The store writes the list only if it differs from what it holds, and
 * says so: the composer reads it again only when it must. */
static void
on_following_listed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) listed = cin_api_client_list_following_finish (CIN_API_CLIENT (source), result, &error);

  if (listed == NULL)
    {
      following_refreshed (self, FALSE, error);
      return;
    }
  cin_store_set_following_async (self->store, (const char * const *)listed, self->cancellable,
                                 on_following_stored_cb, g_object_ref (self));
}

/* Everything sent and pulled: last, and only now and then, who the
 * account follows; an edit waiting to be sent goes first. */
static void
run_succeeded (CinSyncEngine *self)
{
  if (self->again || g_get_real_time () < self->following_due)
    {
      run_done (self);
      return;
    }
  cin_api_client_list_following_async (self->client, self->cancellable,
                                       on_following_listed_cb, g_object_ref (self));
}

static void
on_photo_fetched (const char *sha256,
                  GPtrArray  *note_ids,
                  gpointer    user_data)
{
  CinSyncEngine *self = user_data;

  for (guint i = 0; i < note_ids->len; i++)
    g_signal_emit (self, signals[NOTE_CHANGED], 0, g_ptr_array_index (note_ids, i));
}

static void
on_photos_fetched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  gboolean complete = FALSE;

  if (!_cin_sync_fetch_photos_finish (result, &complete, &failure, &error))
    {
      /* Like a page that did not come: back off, say why, try again,
       * looking at every note then. */
      self->photos_checked = FALSE;
      pull_failed (self, error, failure);
      return;
    }
  /* A pass that made way for an edit goes on in the next run. */
  self->photos_checked = complete;
  run_succeeded (self);
}

/* Photos of a large account can take long: an edit to send comes first. */
static gboolean
photos_should_yield (gpointer user_data)
{
  CinSyncEngine *self = user_data;

  return self->again;
}

/* The notes of other devices name photos this one may not have yet: after
 * a start every note is looked at (a download may have been cut off by a
 * crash), then only those the pulls brought. */
static void
pull_finished (CinSyncEngine *self)
{
  g_autofree char **note_ids = NULL;

  set_signed_out (self, FALSE);
  self->pull_id++;
  if (self->media_dir == NULL || (self->photos_checked && g_hash_table_size (self->pulled_notes) == 0))
    {
      run_succeeded (self);
      return;
    }
  if (self->photos_checked)
    note_ids = (char **)g_hash_table_get_keys_as_array (self->pulled_notes, NULL);
  _cin_sync_fetch_photos_async (self->store, self->client, (const char * const *)note_ids,
                                self->media_dir, self->unavailable, on_photo_fetched,
                                photos_should_yield, self, self->cancellable,
                                on_photos_fetched_cb, g_object_ref (self));
  /* The keys were copied by the call. */
  g_hash_table_remove_all (self->pulled_notes);
}

/* Pages of one pull, applied in one transaction. */
typedef struct _Batch {
  CinSyncEngine *engine;   /* (owned) (nullable) once sent */
  guint          pull_id;
  GPtrArray     *changes;  /* CinRemoteChange */
  char          *cursor;   /* the last page's */
  CinApplyFlags  flags;
} Batch;

static Batch *
batch_new (CinSyncEngine *self)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->pull_id = self->pull_id;
  batch->changes = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_remote_change_free);
  batch->flags = CIN_APPLY_NORMAL;
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->engine);
  g_clear_pointer (&batch->changes, g_ptr_array_unref);
  g_free (batch->cursor);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

/* @page's changes go after @batch's, its cursor and flags with them. */
static void
batch_append (Batch *batch,
              Batch *page)
{
  g_ptr_array_extend_and_steal (batch->changes, g_steal_pointer (&page->changes));
  g_free (batch->cursor);
  batch->cursor = g_steal_pointer (&page->cursor);
  batch->flags |= page->flags;
  batch_free (page);
}

static void on_batch_applied_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data);

static void
apply_batch (CinSyncEngine *self,
             Batch         *batch)
{
  self->pull_applying = TRUE;
  batch->engine = g_object_ref (self);
  cin_store_apply_changes_async (self->store, batch->changes, batch->cursor, batch->flags,
                                 self->cancellable, on_batch_applied_cb, batch);
}

static guint
n_waiting (CinSyncEngine *self)
{
  return self->pull_waiting != NULL ? self->pull_waiting->changes->len : 0;
}

static void
on_batch_applied_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Batch) batch = user_data;
  CinSyncEngine *self = batch->engine;
  g_autoptr(GError) error = NULL;
  gboolean current = batch->pull_id == self->pull_id;

  if (current)
    self->pull_applying = FALSE;
  if (!cin_store_apply_changes_finish (CIN_STORE (source), result, &error))
    {
      if (current)
        {
          self->pull_id++;
          g_clear_pointer (&self->pull_waiting, batch_free);
          store_failed (self, error);
        }
      return;
    }

  for (guint i = 0; i < batch->changes->len; i++)
    {
      CinRemoteChange *change = g_ptr_array_index (batch->changes, i);

      /* Only once every note's photos were looked at does a pull need to
       * say which notes to look at again; and only notes with photos. */
      if (self->media_dir != NULL && self->photos_checked &&
          change->note != NULL && cin_note_get_n_photos (change->note) > 0)
        g_hash_table_add (self->pulled_notes, g_strdup (change->id));
      g_signal_emit (self, signals[NOTE_CHANGED], 0, change->id);
    }

  if (!current || !self->started)
    return;
  if (self->pull_waiting != NULL)
    apply_batch (self, g_steal_pointer (&self->pull_waiting));
  if (self->pull_next_cursor != NULL)
    {
      g_autofree char *since = g_steal_pointer (&self->pull_next_cursor);

      pull_page (self, since);
      return;
    }
  if (self->pull_fetched_all && !self->pull_applying)
    {
      self->resync = FALSE;
      pull_finished (self);
    }
}

static void
pull_failed (CinSyncEngine       *self,
             const GError        *error,
             const CinApiFailure *failure)
{
  gint64 retry_at;

  self->pull_id++;
  g_clear_pointer (&self->pull_next_cursor, g_free);
  g_clear_pointer (&self->pull_waiting, batch_free);
  if (is_cancelled (error))
    {
      set_running (self, FALSE);
      return;
    }

  if (g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_GONE))
    {
      /* The cursor expired: read everything again. Local edits wait in
       * the outbox, and applying leaves their notes alone. */
      self->resync = TRUE;
      self->resync_first = TRUE;
      self->pull_applying = FALSE;
      self->pull_fetched_all = FALSE;
      pull_page (self, NULL);
      return;
    }

  self->pull_failures++;
  retry_at = g_get_real_time () + retry_delay_usec (self, self->pull_failures, failure);
  if (g_error_matches (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED))
    {
      set_status (self, CIN_SYNC_STATUS_NEEDS_ATTENTION,
                  _("The server no longer accepts this sign-in. Sign in again to go on syncing."));
      set_signed_out (self, TRUE);
    }
  else
    set_status (self, CIN_SYNC_STATUS_OFFLINE, error->message);
  run_finished (self, retry_at);
}

typedef struct {
  CinSyncEngine *engine;   /* (owned) */
  guint          pull_id;
} Fetch;

static void
on_changes_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(CinSyncEngine) self = g_steal_pointer (&fetch->engine);
  gboolean current = fetch->pull_id == self->pull_id;
  g_autoptr(CinApiChangesPage) answer = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Batch) page = NULL;

  g_free (fetch);
  answer = cin_api_client_get_changes_finish (CIN_API_CLIENT (source), result, &failure, &error);
  if (!current)
    return;
  if (answer == NULL)
    {
      pull_failed (self, error, failure);
      return;
    }

  page = batch_new (self);
  page->cursor = g_strdup (answer->cursor);

  for (guint i = 0; i < answer->changes->len; i++)
    {
      CinApiChange *change = g_ptr_array_index (answer->changes, i);

      /* Boards, bookmarks and products have no place in the store yet;
       * the cursor moves past them all the same. */
      if (g_strcmp0 (change->kind, "note") != 0)
        continue;
      g_ptr_array_add (page->changes, cin_remote_change_new (change->id, change->rev, change->note));
    }

  if (self->resync)
    {
      page->flags |= CIN_APPLY_RESYNC;
      if (self->resync_first)
        page->flags |= CIN_APPLY_RESYNC_FIRST;
      if (!answer->more)
        page->flags |= CIN_APPLY_RESYNC_LAST;
      self->resync_first = FALSE;
    }

  if (!self->pull_applying)
    apply_batch (self, g_steal_pointer (&page));
  else if (self->pull_waiting == NULL)
    self->pull_waiting = g_steal_pointer (&page);
  else
    batch_append (self->pull_waiting, g_steal_pointer (&page));

  if (!answer->more)
    self->pull_fetched_all = TRUE;
  else if (n_waiting (self) < CIN_SYNC_PULL_BATCH)
    pull_page (self, answer->cursor);
  else
    self->pull_next_cursor = g_strdup (answer->cursor);
}

static void
pull_page (CinSyncEngine *self,
           const char    *since)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->engine = g_object_ref (self);
  fetch->pull_id = self->pull_id;
  cin_api_client_get_changes_async (self->client, since, CIN_SYNC_PULL_PAGE, self->cancellable,
                                    on_changes_cb, fetch);
}

static void
on_cursor_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CinSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  cursor = cin_store_get_cursor_finish (CIN_STORE (source), result, &error);
  if (error != NULL)
    {
      store_failed (self, error);
      return;
    }
  pull_page (self, cursor);
}

static void
pull_start (CinSyncEngine *self)
{
  if (!self->started)
    {
      set_running (self, FALSE);
      return;
    }
  self->pull_id++;
  self->pull_applying = FALSE;
  self->pull_fetched_all = FALSE;
  g_clear_pointer (&self->pull_next_cursor, g_free);
  g_clear_pointer (&self->pull_waiting, batch_free);
  if (self->resync)
    {
      pull_page (self, NULL);
      return;
    }
  cin_store_get_cursor_async (self->store, self->cancellable, on_cursor_cb, g_object_ref (self));
}

/* Public */

void
cin_sync_engine_start (CinSyncEngine *self)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->photos_checked = FALSE;
  g_set_object (&self->cancellable, NULL);
  self->cancellable = g_cancellable_new ();
  run_start (self);
}

void
cin_sync_engine_stop (CinSyncEngine *self)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  if (!self->started)
    return;
  self->started = FALSE;
  self->again = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

void
cin_sync_engine_sync_now (CinSyncEngine *self)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  run_start (self);
}

CinSyncStatus
cin_sync_engine_get_status (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), CIN_SYNC_STATUS_IDLE);
  return self->status;
}

guint
cin_sync_engine_get_n_done (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), 0);
  return self->n_done;
}

guint
cin_sync_engine_get_n_total (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), 0);
  return self->n_total;
}

const char *
cin_sync_engine_get_problem (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), NULL);
  return self->problem;
}

gboolean
cin_sync_engine_get_signed_out (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), FALSE);
  return self->signed_out;
}

gboolean
cin_sync_engine_get_busy (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), FALSE);
  return self->running;
}

void
cin_sync_engine_set_backoff (CinSyncEngine *self,
                             guint          base_ms,
                             guint          max_ms)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));
  g_return_if_fail (base_ms <= max_ms);

  self->backoff_base_ms = base_ms;
  self->backoff_max_ms = max_ms;
}

void
cin_sync_engine_set_upload_chunk_size (CinSyncEngine *self,
                                       gsize          chunk_size)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  self->chunk_size = chunk_size;
}

void
cin_sync_engine_set_upload_preparer (CinSyncEngine         *self,
                                     CinSyncUploadPreparer  preparer,
                                     gpointer               user_data,
                                     GDestroyNotify         destroy)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  if (self->preparer_destroy != NULL)
    self->preparer_destroy (self->preparer_data);
  self->preparer = preparer;
  self->preparer_data = user_data;
  self->preparer_destroy = destroy;
}

void
cin_sync_engine_set_media_dir (CinSyncEngine *self,
                               const char    *media_dir)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  g_free (self->media_dir);
  self->media_dir = g_strdup (media_dir);
}

CinStore *
cin_sync_engine_get_store (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

CinApiClient *
cin_sync_engine_get_client (CinSyncEngine *self)
{
  g_return_val_if_fail (CIN_IS_SYNC_ENGINE (self), NULL);

  return self->client;
}

/* GObject */

static void
cin_sync_engine_dispose (GObject *object)
{
  CinSyncEngine *self = CIN_SYNC_ENGINE (object);

  cin_sync_engine_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cin_sync_engine_parent_class)->dispose (object);
}

static void
cin_sync_engine_finalize (GObject *object)
{
  CinSyncEngine *self = CIN_SYNC_ENGINE (object);

  g_clear_pointer (&self->media_dir, g_free);
  g_clear_pointer (&self->unavailable, g_hash_table_unref);
  g_clear_pointer (&self->pulled_notes, g_hash_table_unref);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->pull_next_cursor, g_free);
  g_clear_pointer (&self->pull_waiting, batch_free);
  if (self->preparer_destroy != NULL)
    self->preparer_destroy (self->preparer_data);

  G_OBJECT_CLASS (cin_sync_engine_parent_class)->finalize (object);
}

static void
cin_sync_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CinSyncEngine *self = CIN_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATUS: g_value_set_int (value, self->status); break;
    case PROP_PROBLEM: g_value_set_string (value, self->problem); break;
    case PROP_N_DONE: g_value_set_uint (value, self->n_done); break;
    case PROP_N_TOTAL: g_value_set_uint (value, self->n_total); break;
    case PROP_BUSY: g_value_set_boolean (value, self->running); break;
    case PROP_SIGNED_OUT: g_value_set_boolean (value, self->signed_out); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_sync_engine_class_init (CinSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cin_sync_engine_dispose;
  object_class->finalize = cin_sync_engine_finalize;
  object_class->get_property = cin_sync_engine_get_property;

  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, CIN_SYNC_STATUS_IDLE, CIN_SYNC_STATUS_NEEDS_ATTENTION,
                      CIN_SYNC_STATUS_IDLE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SIGNED_OUT] =
    g_param_spec_boolean ("signed-out", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NOTE_CHANGED] =
    g_signal_new ("note-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CONFLICT] =
    g_signal_new ("conflict", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[PUBLISHED] =
    g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OUTBOX_CHANGED] =
    g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[UPLOAD_PROGRESS] =
    g_signal_new ("upload-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT64,
                  G_TYPE_UINT64);
  signals[FOLLOWING_CHANGED] =
    g_signal_new ("following-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
cin_sync_engine_init (CinSyncEngine *self)
{
  self->backoff_base_ms = 1000;
  self->backoff_max_ms = 5 * 60 * 1000;
  self->following_interval = FOLLOWING_INTERVAL_USEC;
  self->unavailable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->pulled_notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
_cin_sync_engine_set_following_interval (CinSyncEngine *self,
                                         gint64         interval_usec)
{
  g_return_if_fail (CIN_IS_SYNC_ENGINE (self));

  self->following_interval = interval_usec;
  self->following_due = MIN (self->following_due, g_get_real_time () + interval_usec);
}

CinSyncEngine *
cin_sync_engine_new (CinStore     *store,
                     CinApiClient *client)
{
  CinSyncEngine *self;

  g_return_val_if_fail (CIN_IS_STORE (store), NULL);
  g_return_val_if_fail (CIN_IS_API_CLIENT (client), NULL);

  self = g_object_new (CIN_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  return self;
}
