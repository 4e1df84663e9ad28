/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test"

#include "store-test-util.h"
#include "sync-test-client.h"

static void
on_conflict_cb (CinSyncEngine  *engine,
                const char     *id,
                const char     *copy_id,
                SyncTestClient *client)
{
  client->conflicts++;
}

SyncTestClient *
sync_test_client_new (const char *base_url,
                      const char *token)
{
  SyncTestClient *client = g_new0 (SyncTestClient, 1);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  client->dir = store_test_make_tmp_dir ();
  path = g_build_filename (client->dir, "drafts.db", NULL);
  client->store = store_test_open (path, &error);
  g_assert_no_error (error);
  client->client = cin_api_client_new (base_url);
  cin_api_client_set_timeout (client->client, 5);
  cin_api_client_set_token (client->client, token);
  client->engine = cin_sync_engine_new (client->store, client->client);
  cin_sync_engine_set_backoff (client->engine, 20, 300);
  g_signal_connect (client->engine, "conflict", G_CALLBACK (on_conflict_cb), client);
  return client;
}

void
sync_test_client_free (SyncTestClient *client)
{
  if (client == NULL)
    return;
  cin_sync_engine_stop (client->engine);
  g_clear_object (&client->engine);
  g_clear_object (&client->client);
  store_test_close (client->store);
  g_clear_object (&client->store);
  store_test_rm_rf (client->dir);
  g_free (client->dir);
  g_free (client);
}

char *
sync_test_sign_in (const char *base_url)
{
  g_autoptr(CinApiClient) api = cin_api_client_new (base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(GError) error = NULL;

  cin_api_client_sign_in_async (api, SYNC_TEST_HANDLE, SYNC_TEST_PASSWORD, NULL,
                                store_test_result_cb, &result);
  session = cin_api_client_sign_in_finish (api, store_test_wait (&result), NULL, &error);
  g_assert_no_error (error);
  return g_strdup (session->token);
}

void
sync_test_client_save (SyncTestClient *client,
                       CinNote        *note)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (store_test_save (client->store, note, &error));
  g_assert_no_error (error);
}

CinNote *
sync_test_client_load (SyncTestClient *client,
                       const char     *id)
{
  g_autoptr(GError) error = NULL;
  CinNote *note = store_test_load (client->store, id, &error);

  g_assert_no_error (error);
  return note;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (cin_note_get_id (*(CinNote **)a), cin_note_get_id (*(CinNote **)b));
}

GPtrArray *
sync_test_client_notes (SyncTestClient *client)
{
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *notes = g_ptr_array_new_with_free_func (g_object_unref);

  summaries = store_test_list (client->store, CIN_NOTE_SORT_CREATED, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < summaries->len; i++)
    g_ptr_array_add (notes, sync_test_client_load (client,
                                                   cin_note_summary_get_id (g_ptr_array_index (summaries, i))));
  g_ptr_array_sort (notes, compare_ids);
  return notes;
}

GPtrArray *
sync_test_client_outbox (SyncTestClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  cin_store_list_outbox_async (client->store, NULL, store_test_result_cb, &result);
  entries = cin_store_list_outbox_finish (client->store, store_test_wait (&result), &error);
  g_assert_no_error (error);
  return entries;
}

static gboolean
outbox_is_empty (SyncTestClient *client)
{
  g_autoptr(GPtrArray) entries = sync_test_client_outbox (client);

  return entries->len == 0;
}

gboolean
sync_test_client_settle (SyncTestClient *client,
                         guint           timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  cin_sync_engine_start (client->engine);
  cin_sync_engine_sync_now (client->engine);
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      if (!cin_sync_engine_get_busy (client->engine))
        {
          /* Done when nothing waits and the last run, its pull
           * included, got through. */
          if (outbox_is_empty (client) && !cin_sync_engine_get_busy (client->engine) &&
              cin_sync_engine_get_status (client->engine) != CIN_SYNC_STATUS_OFFLINE)
            return TRUE;
          /* Retries wait for their time: let it come. */
          sync_test_run_for (10);
          if (!cin_sync_engine_get_busy (client->engine))
            cin_sync_engine_sync_now (client->engine);
        }
    }
  return FALSE;
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

void
sync_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
