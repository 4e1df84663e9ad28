/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-store-private.h"
#include "cin-store-sync.h"

G_BEGIN_DECLS

/* The sync jobs (cin-store-outbox.c, cin-store-remote.c) and the task
 * data cin-store-sync.c hands them. */

typedef struct {
  gint64         now;
  gint64         next_due;   /* set by the job */
  CinOutboxItem *item;       /* (owned) (nullable) set by the job */
} CinClaimRequest;

/* What the engine reports about a row, or asks of a note. */
typedef struct {
  gint64       row_id;
  CinNote     *note;             /* (nullable) the server's note */
  gint64       next_attempt_at;  /* retry: when; request_state: the schedule */
  char        *reason;
  gboolean     park;
  char        *note_id;
  CinOutboxOp  op;
  char        *copy_id;          /* merge: the conflict copy made */
} CinRowResult;

void     _cin_row_result_free          (CinRowResult   *result);

typedef struct {
  GPtrArray     *changes;   /* CinRemoteChange */
  char          *cursor;
  CinApplyFlags  flags;
} CinApplyRequest;

void     _cin_apply_request_free       (CinApplyRequest *request);

typedef struct {
  char           *sha256;
  CinUploadState *state;
} CinUploadRequest;

void     _cin_upload_request_free      (CinUploadRequest *request);

/* @remote with its photos named by the stored files they were uploaded
 * from (cin-store-remote.c). */
CinNote *_cin_store_localize_note      (CinStoreWriter  *writer,
                                        CinNote         *remote,
                                        GError         **error);

gboolean _cin_store_outbox_has_rows    (CinStoreWriter  *writer,
                                        const char      *note_id,
                                        gboolean        *has_rows,
                                        GError         **error);

void     _cin_store_claim_job          (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_done_job           (CinStoreWriter *writer,
                                        GTask          *task);
/* Reschedules, or parks when the data's park is set. */
void     _cin_store_retry_job          (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_unpark_job         (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_merge_job          (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_request_state_job  (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_list_outbox_job    (CinStoreWriter *writer,
                                        GTask          *task);

void     _cin_store_apply_job          (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_cursor_job         (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_get_upload_job     (CinStoreWriter *writer,
                                        GTask          *task);
void     _cin_store_list_note_files_job (CinStoreWriter *writer,
                                         GTask          *task);
void     _cin_store_set_upload_job     (CinStoreWriter *writer,
                                        GTask          *task);

G_END_DECLS
