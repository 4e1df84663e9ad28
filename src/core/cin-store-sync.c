/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-store-sync"

#include "cin-store-sync-private.h"

/* The public front of the sync jobs: each call copies what it is given
 * into the task and queues the job on the writer thread. */

static const char * const op_names[] = {
  [CIN_OUTBOX_PUT] = "put",
  [CIN_OUTBOX_DELETE] = "delete",
  [CIN_OUTBOX_PUBLISH] = "publish",
  [CIN_OUTBOX_SCHEDULE] = "schedule",
  [CIN_OUTBOX_UNPUBLISH] = "unpublish",
};

const char *
cin_outbox_op_to_string (CinOutboxOp op)
{
  g_return_val_if_fail (op < G_N_ELEMENTS (op_names), NULL);

  return op_names[op];
}

gboolean
cin_outbox_op_from_string (const char  *str,
                           CinOutboxOp *op)
{
  g_return_val_if_fail (op != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (op_names); i++)
    {
      if (g_str_equal (str, op_names[i]))
        {
          *op = i;
          return TRUE;
        }
    }
  /* Rows written before sync existed named creation and update apart. */
  if (g_str_equal (str, "create") || g_str_equal (str, "update"))
    {
      *op = CIN_OUTBOX_PUT;
      return TRUE;
    }
  return FALSE;
}

void
cin_outbox_item_free (CinOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->note_id);
  g_clear_object (&item->note);
  g_free (item->idempotency_key);
  g_free (item->rev);
  g_free (item);
}

void
cin_outbox_entry_free (CinOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->note_id);
  g_free (entry->title);
  g_free (entry->last_error);
  g_free (entry);
}

CinRemoteChange *
cin_remote_change_new (const char *id,
                       const char *rev,
                       CinNote    *note)
{
  CinRemoteChange *change;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (note == NULL || CIN_IS_NOTE (note), NULL);

  change = g_new0 (CinRemoteChange, 1);
  change->id = g_strdup (id);
  change->rev = g_strdup (rev);
  change->note = note != NULL ? g_object_ref (note) : NULL;
  return change;
}

void
cin_remote_change_free (CinRemoteChange *change)
{
  if (change == NULL)
    return;
  g_free (change->id);
  g_free (change->rev);
  g_clear_object (&change->note);
  g_free (change);
}

void
cin_upload_state_free (CinUploadState *state)
{
  if (state == NULL)
    return;
  g_free (state->remote_sha256);
  g_free (state->url);
  g_free (state);
}

void
_cin_row_result_free (CinRowResult *result)
{
  g_clear_object (&result->note);
  g_free (result->reason);
  g_free (result->note_id);
  g_free (result->copy_id);
  g_free (result);
}

void
_cin_apply_request_free (CinApplyRequest *request)
{
  g_ptr_array_unref (request->changes);
  g_free (request->cursor);
  g_free (request);
}

void
_cin_upload_request_free (CinUploadRequest *request)
{
  g_free (request->sha256);
  cin_upload_state_free (request->state);
  g_free (request);
}

static void
push_row_job (CinStore            *self,
              CinRowResult        *data,
              gpointer             source_tag,
              CinStoreJobFunc      func,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = _cin_store_task_new (self, source_tag, cancellable, callback, user_data);

  g_task_set_task_data (task, data, (GDestroyNotify)_cin_row_result_free);
  _cin_store_push (self, task, func);
}

static CinRowResult *
row_result_new (gint64   row_id,
                CinNote *note)
{
  CinRowResult *data = g_new0 (CinRowResult, 1);

  data->row_id = row_id;
  data->note = note != NULL ? cin_note_copy (note) : NULL;
  return data;
}

/* The outbox */

void
cin_store_claim_outbox_async (CinStore            *self,
                              gint64               now,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CinClaimRequest *request;

  g_return_if_fail (CIN_IS_STORE (self));

  task = _cin_store_task_new (self, cin_store_claim_outbox_async, cancellable, callback, user_data);
  request = g_new0 (CinClaimRequest, 1);
  request->now = now;
  g_task_set_task_data (task, request, g_free);
  _cin_store_push (self, task, _cin_store_claim_job);
}

CinOutboxItem *
cin_store_claim_outbox_finish (CinStore      *self,
                               GAsyncResult  *result,
                               gint64        *next_due,
                               GError       **error)
{
  CinOutboxItem *item = _cin_store_propagate_pointer (self, result, cin_store_claim_outbox_async, error);

  if (next_due != NULL)
    {
      CinClaimRequest *request = g_task_get_task_data (G_TASK (result));
      *next_due = item == NULL ? request->next_due : 0;
    }
  return item;
}

void
cin_store_outbox_done_async (CinStore            *self,
                             gint64               row_id,
                             CinNote             *remote,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (remote == NULL || CIN_IS_NOTE (remote));

  push_row_job (self, row_result_new (row_id, remote), cin_store_outbox_done_async,
                _cin_store_done_job, cancellable, callback, user_data);
}

gboolean
cin_store_outbox_done_finish (CinStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_outbox_done_async, error);
}

void
cin_store_outbox_retry_async (CinStore            *self,
                              gint64               row_id,
                              gint64               next_attempt_at,
                              const char          *reason,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CinRowResult *data;

  g_return_if_fail (CIN_IS_STORE (self));

  data = row_result_new (row_id, NULL);
  data->next_attempt_at = next_attempt_at;
  data->reason = g_strdup (reason);
  push_row_job (self, data, cin_store_outbox_retry_async, _cin_store_retry_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_outbox_retry_finish (CinStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_outbox_retry_async, error);
}

void
cin_store_outbox_park_async (CinStore            *self,
                             gint64               row_id,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CinRowResult *data;

  g_return_if_fail (CIN_IS_STORE (self));

  data = row_result_new (row_id, NULL);
  data->reason = g_strdup (reason);
  data->park = TRUE;
  push_row_job (self, data, cin_store_outbox_park_async, _cin_store_retry_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_outbox_park_finish (CinStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_outbox_park_async, error);
}

void
cin_store_outbox_unpark_async (CinStore            *self,
                               const char          *note_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (note_id != NULL);

  task = _cin_store_task_new (self, cin_store_outbox_unpark_async, cancellable, callback, user_data);
  g_task_set_task_data (task, g_strdup (note_id), g_free);
  _cin_store_push (self, task, _cin_store_unpark_job);
}

gboolean
cin_store_outbox_unpark_finish (CinStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_outbox_unpark_async, error);
}

void
cin_store_outbox_merge_async (CinStore            *self,
                              gint64               row_id,
                              CinNote             *remote,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (CIN_IS_NOTE (remote));

  push_row_job (self, row_result_new (row_id, remote), cin_store_outbox_merge_async,
                _cin_store_merge_job, cancellable, callback, user_data);
}

gboolean
cin_store_outbox_merge_finish (CinStore      *self,
                               GAsyncResult  *result,
                               char         **conflict_copy_id,
                               GError       **error)
{
  g_autofree char *copy_id = _cin_store_propagate_pointer (self, result, cin_store_outbox_merge_async, error);

  if (copy_id == NULL)
    return FALSE;
  if (conflict_copy_id != NULL)
    *conflict_copy_id = copy_id[0] != '\0' ? g_steal_pointer (&copy_id) : NULL;
  return TRUE;
}

void
cin_store_request_state_async (CinStore            *self,
                               const char          *note_id,
                               CinOutboxOp          op,
                               gint64               at,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  CinRowResult *data;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (note_id != NULL);
  g_return_if_fail (op == CIN_OUTBOX_PUBLISH || op == CIN_OUTBOX_SCHEDULE || op == CIN_OUTBOX_UNPUBLISH);

  data = row_result_new (0, NULL);
  data->note_id = g_strdup (note_id);
  data->op = op;
  data->next_attempt_at = at;
  push_row_job (self, data, cin_store_request_state_async, _cin_store_request_state_job,
                cancellable, callback, user_data);
}

gboolean
cin_store_request_state_finish (CinStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_request_state_async, error);
}

void
cin_store_list_outbox_async (CinStore            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));

  task = _cin_store_task_new (self, cin_store_list_outbox_async, cancellable, callback, user_data);
  _cin_store_push (self, task, _cin_store_list_outbox_job);
}

GPtrArray *
cin_store_list_outbox_finish (CinStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_list_outbox_async, error);
}

/* The change feed */

void
cin_store_apply_changes_async (CinStore            *self,
                               GPtrArray           *changes,
                               const char          *cursor,
                               CinApplyFlags        flags,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CinApplyRequest *request;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (changes != NULL);
  g_return_if_fail (cursor != NULL);

  task = _cin_store_task_new (self, cin_store_apply_changes_async, cancellable, callback, user_data);
  request = g_new0 (CinApplyRequest, 1);
  request->changes = g_ptr_array_ref (changes);
  request->cursor = g_strdup (cursor);
  request->flags = flags;
  g_task_set_task_data (task, request, (GDestroyNotify)_cin_apply_request_free);
  _cin_store_push (self, task, _cin_store_apply_job);
}

gboolean
cin_store_apply_changes_finish (CinStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_apply_changes_async, error);
}

void
cin_store_get_cursor_async (CinStore            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));

  task = _cin_store_task_new (self, cin_store_get_cursor_async, cancellable, callback, user_data);
  _cin_store_push (self, task, _cin_store_cursor_job);
}

char *
cin_store_get_cursor_finish (CinStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_get_cursor_async, error);
}

/* Uploads */

void
cin_store_get_upload_async (CinStore            *self,
                            const char          *sha256,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CinUploadRequest *request;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);

  task = _cin_store_task_new (self, cin_store_get_upload_async, cancellable, callback, user_data);
  request = g_new0 (CinUploadRequest, 1);
  request->sha256 = g_strdup (sha256);
  g_task_set_task_data (task, request, (GDestroyNotify)_cin_upload_request_free);
  _cin_store_push (self, task, _cin_store_get_upload_job);
}

CinUploadState *
cin_store_get_upload_finish (CinStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_get_upload_async, error);
}

void
cin_store_set_upload_async (CinStore             *self,
                            const char           *sha256,
                            const CinUploadState *state,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  CinUploadRequest *request;

  g_return_if_fail (CIN_IS_STORE (self));
  g_return_if_fail (sha256 != NULL);
  g_return_if_fail (state != NULL);

  task = _cin_store_task_new (self, cin_store_set_upload_async, cancellable, callback, user_data);
  request = g_new0 (CinUploadRequest, 1);
  request->sha256 = g_strdup (sha256);
  request->state = g_new0 (CinUploadState, 1);
  request->state->remote_sha256 = g_strdup (state->remote_sha256);
  request->state->url = g_strdup (state->url);
  request->state->offset = state->offset;
  request->state->length = state->length;
  request->state->done = state->done;
  g_task_set_task_data (task, request, (GDestroyNotify)_cin_upload_request_free);
  _cin_store_push (self, task, _cin_store_set_upload_job);
}

gboolean
cin_store_set_upload_finish (CinStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _cin_store_propagate_boolean (self, result, cin_store_set_upload_async, error);
}

void
cin_store_list_note_files_async (CinStore            *self,
                                 const char * const  *note_ids,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CIN_IS_STORE (self));

  task = _cin_store_task_new (self, cin_store_list_note_files_async, cancellable, callback, user_data);
  if (note_ids != NULL)
    g_task_set_task_data (task, g_strdupv ((char **)note_ids), (GDestroyNotify)g_strfreev);
  _cin_store_push (self, task, _cin_store_list_note_files_job);
}

GPtrArray *
cin_store_list_note_files_finish (CinStore      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return _cin_store_propagate_pointer (self, result, cin_store_list_note_files_async, error);
}
