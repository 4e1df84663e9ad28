/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-sync-following"

#include "cin-api-client-people.h"
#include "cin-sync-following.h"

/* Two steps: the server's list (the client, on the main thread), then the
 * store, which writes it only if it differs from what it holds. */

typedef struct {
  CinStore     *store;   /* (owned) */
  gboolean      changed; /* the list differed from the store's */
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->store);
  g_free (refresh);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *refresh = g_task_get_task_data (task);
  GError *error = NULL;

  if (cin_store_set_following_finish (CIN_STORE (object), result, &refresh->changed, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Refresh *refresh = g_task_get_task_data (task);
  g_auto(GStrv) listed = NULL;
  GError *error = NULL;

  listed = cin_api_client_list_following_finish (CIN_API_CLIENT (object), result, &error);
  if (listed == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cin_store_set_following_async (refresh->store, (const char * const *)listed,
                                 g_task_get_cancellable (task), stored_cb, g_object_ref (task));
}

void
_cin_sync_refresh_following_async (CinStore            *store,
                                   CinApiClient        *client,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Refresh *refresh;

  g_return_if_fail (CIN_IS_STORE (store));
  g_return_if_fail (CIN_IS_API_CLIENT (client));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _cin_sync_refresh_following_async);
  refresh = g_new0 (Refresh, 1);
  refresh->store = g_object_ref (store);
  g_task_set_task_data (task, refresh, (GDestroyNotify)refresh_free);
  cin_api_client_list_following_async (client, cancellable, listed_cb, g_steal_pointer (&task));
}

gboolean
_cin_sync_refresh_following_finish (GAsyncResult  *result,
                                    gboolean      *changed,
                                    GError       **error)
{
  Refresh *refresh;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  refresh = g_task_get_task_data (G_TASK (result));
  if (changed != NULL)
    *changed = refresh->changed;
  return g_task_propagate_boolean (G_TASK (result), error);
}
