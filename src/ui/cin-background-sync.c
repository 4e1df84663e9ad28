/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-background-sync"

#include "cin-background-sync.h"
#include "cin-secret.h"

/* A round goes over the account profiles one at a time; a pass over one
 * profile is: its token → its store opened → an engine started → the
 * engine's first run over → the engine stopped → the store closed. Every
 * step checks the pass's cancellable, which releasing the profile or
 * stopping cancels; a pass always ends in end_pass(). */

struct _CinBackgroundSync
{
  GObject                   parent_instance;

  /* Owned */
  CinProfiles              *profiles;
  char                     *open_id;     /* (nullable) the application's */
  GQueue                    queue;       /* profile ids left in this round */
  GPtrArray                *releases;    /* GTasks waiting for the pass to end */

  /* The pass under way, all NULL between passes */
  CinProfile               *profile;
  GCancellable             *cancellable;
  CinApiClient             *client;
  CinStore                 *store;
  CinSyncEngine            *engine;
  guint                     settle_id;

  CinBackgroundEngineSetup  setup;
  gpointer                  setup_data;
  guint                     timer_id;    /* while started */
};

G_DEFINE_FINAL_TYPE (CinBackgroundSync, cin_background_sync, G_TYPE_OBJECT)

enum {
  SYNCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void next_pass (CinBackgroundSync *self);

/* Ends the pass, whatever step it reached; the store is closed already. */
static void
end_pass (CinBackgroundSync *self)
{
  g_autoptr(GPtrArray) releases = g_steal_pointer (&self->releases);

  g_clear_object (&self->profile);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  self->releases = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < releases->len; i++)
    g_task_return_boolean (g_ptr_array_index (releases, i), TRUE);

  next_pass (self);
}

static void
on_store_closed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CinBackgroundSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (cin_profile_get_id (self->profile));

  if (!cin_store_close_finish (CIN_STORE (source), result, &error))
    g_warning ("Could not close the drafts of profile %s: %s", id, error->message);
  g_clear_object (&self->store);
  g_signal_emit (self, signals[SYNCED], 0, id);
  end_pass (self);
}

/* Stops the engine and closes the store: the pass is over. */
static void
finish_pass (CinBackgroundSync *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      cin_sync_engine_stop (self->engine);
      g_clear_object (&self->engine);
    }
  cin_store_close_async (self->store, NULL, on_store_closed_cb, g_object_ref (self));
}

static gboolean
on_settled_cb (gpointer user_data)
{
  CinBackgroundSync *self = user_data;

  self->settle_id = 0;
  /* A run that ended only to start the next at once is not the end. */
  if (self->engine != NULL && !cin_sync_engine_get_busy (self->engine))
    finish_pass (self);
  return G_SOURCE_REMOVE;
}

static void
on_engine_busy_cb (CinSyncEngine     *engine,
                   GParamSpec        *pspec,
                   CinBackgroundSync *self)
{
  if (!cin_sync_engine_get_busy (engine) && self->settle_id == 0)
    self->settle_id = g_idle_add (on_settled_cb, self);
}

static void
on_store_opened_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CinBackgroundSync) self = user_data;
  g_autoptr(GError) error = NULL;

  self->store = cin_store_open_finish (result, &error);
  if (self->store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not open the drafts of profile %s to sync them: %s",
                   cin_profile_get_id (self->profile), error->message);
      end_pass (self);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      finish_pass (self);
      return;
    }

  g_debug ("Syncing profile %s in the background", cin_profile_get_id (self->profile));
  self->engine = cin_sync_engine_new (self->store, self->client);
  if (self->setup != NULL)
    self->setup (self->engine, self->profile, self->setup_data);
  g_signal_connect (self->engine, "notify::busy", G_CALLBACK (on_engine_busy_cb), self);
  cin_sync_engine_start (self->engine);
}

static void
on_token_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CinBackgroundSync) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = cin_secret_lookup_token_finish (result, &error);

  /* Signed out, no keyring, or released meanwhile: nothing to do. */
  if (token == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      cin_secret_token_free (token);
      end_pass (self);
      return;
    }

  self->client = cin_api_client_new (cin_profile_get_server (self->profile));
  cin_api_client_set_token (self->client, token);
  cin_secret_token_free (token);
  cin_store_open_async (cin_profile_get_store_path (self->profile), self->cancellable,
                        on_store_opened_cb, g_object_ref (self));
}

static void
next_pass (CinBackgroundSync *self)
{
  g_autofree char *id = NULL;

  g_assert (self->profile == NULL);

  while (self->timer_id != 0 && (id = g_queue_pop_head (&self->queue)) != NULL)
    {
      if (g_strcmp0 (id, self->open_id) != 0 &&
          (self->profile = cin_profiles_find (self->profiles, id)) != NULL)
        break;
      g_clear_pointer (&id, g_free);
    }
  if (self->profile == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  cin_secret_lookup_token_async (cin_profile_get_server (self->profile),
                                 cin_profile_get_handle (self->profile),
                                 self->cancellable, on_token_cb, g_object_ref (self));
}

static void
start_round (CinBackgroundSync *self)
{
  g_autoptr(GPtrArray) profiles = NULL;

  /* A round is under way while a pass is. */
  if (self->timer_id == 0 || self->profile != NULL)
    return;

  profiles = cin_profiles_list (self->profiles);
  for (guint i = 0; i < profiles->len; i++)
    {
      CinProfile *profile = g_ptr_array_index (profiles, i);

      if (cin_profile_get_kind (profile) == CIN_PROFILE_KIND_ACCOUNT)
        g_queue_push_tail (&self->queue, g_strdup (cin_profile_get_id (profile)));
    }
  next_pass (self);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  start_round (user_data);
  return G_SOURCE_CONTINUE;
}

/* Cuts the pass under way short; it still ends in end_pass(). */
static void
cancel_pass (CinBackgroundSync *self)
{
  if (self->profile == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    finish_pass (self);
}

void
cin_background_sync_set_open (CinBackgroundSync *self,
                              const char        *profile_id)
{
  g_return_if_fail (CIN_IS_BACKGROUND_SYNC (self));

  g_free (self->open_id);
  self->open_id = g_strdup (profile_id);
}

void
cin_background_sync_start (CinBackgroundSync *self)
{
  g_return_if_fail (CIN_IS_BACKGROUND_SYNC (self));

  /* At launch no profile was left behind: the first round can wait. */
  if (self->timer_id == 0)
    {
      self->timer_id = g_timeout_add_seconds (CIN_BACKGROUND_SYNC_INTERVAL, on_timer_cb, self);
      return;
    }
  start_round (self);
}

void
cin_background_sync_stop (CinBackgroundSync *self)
{
  g_return_if_fail (CIN_IS_BACKGROUND_SYNC (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_queue_clear_full (&self->queue, g_free);
  cancel_pass (self);
}

void
cin_background_sync_release_async (CinBackgroundSync   *self,
                                   const char          *profile_id,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GList *queued;

  g_return_if_fail (CIN_IS_BACKGROUND_SYNC (self));
  g_return_if_fail (profile_id != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, cin_background_sync_release_async);

  queued = g_queue_find_custom (&self->queue, profile_id, (GCompareFunc)g_strcmp0);
  if (queued != NULL)
    {
      g_free (queued->data);
      g_queue_delete_link (&self->queue, queued);
    }

  if (self->profile == NULL || !g_str_equal (cin_profile_get_id (self->profile), profile_id))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->releases, g_steal_pointer (&task));
  cancel_pass (self);
}

void
cin_background_sync_release_finish (CinBackgroundSync *self,
                                    GAsyncResult      *result)
{
  g_return_if_fail (g_task_is_valid (result, self));

  g_task_propagate_boolean (G_TASK (result), NULL);
}

gboolean
cin_background_sync_get_busy (CinBackgroundSync *self)
{
  g_return_val_if_fail (CIN_IS_BACKGROUND_SYNC (self), FALSE);

  return self->profile != NULL;
}

static void
cin_background_sync_dispose (GObject *object)
{
  CinBackgroundSync *self = CIN_BACKGROUND_SYNC (object);

  /* A pass holds a reference while it runs: by now none is left. */
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_queue_clear_full (&self->queue, g_free);
  g_clear_object (&self->profiles);

  G_OBJECT_CLASS (cin_background_sync_parent_class)->dispose (object);
}

static void
cin_background_sync_finalize (GObject *object)
{
  CinBackgroundSync *self = CIN_BACKGROUND_SYNC (object);

  g_clear_pointer (&self->releases, g_ptr_array_unref);
  g_free (self->open_id);

  G_OBJECT_CLASS (cin_background_sync_parent_class)->finalize (object);
}

static void
cin_background_sync_class_init (CinBackgroundSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cin_background_sync_dispose;
  object_class->finalize = cin_background_sync_finalize;

  signals[SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cin_background_sync_init (CinBackgroundSync *self)
{
  g_queue_init (&self->queue);
  self->releases = g_ptr_array_new_with_free_func (g_object_unref);
}

CinBackgroundSync *
cin_background_sync_new (CinProfiles              *profiles,
                         CinBackgroundEngineSetup  setup,
                         gpointer                  setup_data)
{
  CinBackgroundSync *self;

  g_return_val_if_fail (CIN_IS_PROFILES (profiles), NULL);

  self = g_object_new (CIN_TYPE_BACKGROUND_SYNC, NULL);
  self->profiles = g_object_ref (profiles);
  self->setup = setup;
  self->setup_data = setup_data;
  return self;
}
