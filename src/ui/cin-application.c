/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-application"

#include <glib/gi18n.h>

#include "cin-ad-check.h"
#include "cin-application.h"
#include "cin-autosave.h"
#include "cin-background-sync.h"
#include "cin-paths.h"
#include "cin-resources.h"
#include "cin-media-library.h"
#include "cin-media-upload.h"
#include "cin-rules.h"
#include "cin-secret.h"
#include "cin-store.h"
#include "cin-window.h"

struct _CinApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  GSettings      *settings;
  CinStore       *store;      /* (nullable) until opened */
  CinAutosave    *autosave;   /* (nullable) until the store is open */
  CinRules       *rules;      /* (nullable) until loaded */
  CinAdCheck     *ad_check;   /* (nullable) until loaded */
  CinMediaLibrary *media;     /* (nullable) the profile's photos and thumbnails */
  CinProfiles    *profiles;   /* (nullable) until opened */
  CinProfile     *profile;    /* (nullable) the one in use */
  CinApiClient   *client;     /* (nullable) an account profile's, once its token is found */
  CinSyncEngine  *engine;     /* (nullable) likewise */
  CinBackgroundSync *background; /* (nullable) until the profiles are open: the others' sync */
  GError         *error;      /* (nullable) why loading failed */
  GCancellable   *cancellable;
  GCancellable   *profile_cancellable; /* what belongs to the profile in use */
  char           *switch_to;  /* (nullable) the profile a switch opens */
  gboolean        signed_out; /* an account profile with no token in the keyring */

  guint           loads_pending;
  gboolean        bench_startup;
};

G_DEFINE_FINAL_TYPE (CinApplication, cin_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_READY,
  PROP_PROFILE,
  PROP_ENGINE,
  PROP_SIGNED_OUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  CinRules   *rules;
  CinAdCheck *ad_check;
} LoadedData;

static void
loaded_data_free (LoadedData *data)
{
  g_clear_pointer (&data->rules, cin_rules_unref);
  g_clear_pointer (&data->ad_check, cin_ad_check_unref);
  g_free (data);
}

static void
set_error (CinApplication *self,
           const GError   *error)
{
  if (self->error == NULL)
    self->error = g_error_copy (error);
}

static void
load_finished (CinApplication *self)
{
  g_assert (self->loads_pending > 0);

  if (--self->loads_pending == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
purge_trash_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cin_store_purge_trash_finish (CIN_STORE (object), result, &error))
    g_warning ("Could not empty the trash of deleted drafts: %s", error->message);
}

static void
on_autosave_saved_cb (CinApplication *self,
                      CinNote        *note,
                      guint64         generation,
                      CinAutosave    *autosave)
{
  /* Every save queued an outbox row: send it now rather than at the
   * next pull. */
  if (self->engine != NULL)
    cin_sync_engine_sync_now (self->engine);
}

static void
set_signed_out (CinApplication *self,
                gboolean        signed_out)
{
  if (self->signed_out == signed_out)
    return;
  self->signed_out = signed_out;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_OUT]);
}

static gboolean
is_account (CinApplication *self)
{
  return self->profile != NULL && cin_profile_get_kind (self->profile) == CIN_PROFILE_KIND_ACCOUNT;
}

/* Stops and drops the engine and its client, if there is one. */
static void
stop_sync (CinApplication *self)
{
  gboolean had_engine = self->engine != NULL;

  if (had_engine)
    cin_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  if (had_engine)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

/* The server refused the token: sync stops until the creator signs in
 * again (which starts a new engine with the new token). Dropped from an
 * idle, as the notification comes from inside the engine. */
static gboolean
drop_refused_engine_cb (gpointer user_data)
{
  g_autoptr(CinApplication) self = user_data;

  if (self->engine == NULL || !cin_sync_engine_get_signed_out (self->engine))
    return G_SOURCE_REMOVE;
  stop_sync (self);
  set_signed_out (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_engine_signed_out_cb (CinSyncEngine  *engine,
                         GParamSpec     *pspec,
                         CinApplication *self)
{
  if (cin_sync_engine_get_signed_out (engine))
    g_idle_add (drop_refused_engine_cb, g_object_ref (self));
}

static void
on_upload_prepared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CinUploadFile) file = g_new0 (CinUploadFile, 1);
  GError *error = NULL;

  file->path = cin_media_library_prepare_upload_finish (CIN_MEDIA_LIBRARY (source), result,
                                                        &file->sha256, &error);
  if (file->path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&file), (GDestroyNotify)cin_upload_file_free);
}

/* What an engine uploads for a photo: without its GPS position unless
 * the creator chose to share it, and HEIC as JPEG, made by the media
 * library of the engine's profile. */
typedef struct {
  CinMediaLibrary *media;      /* (nullable) until a photo goes up */
  char            *media_dir;
  GSettings       *settings;
} EngineMedia;

static void
engine_media_free (gpointer data)
{
  EngineMedia *engine_media = data;

  g_clear_object (&engine_media->media);
  g_free (engine_media->media_dir);
  g_object_unref (engine_media->settings);
  g_free (engine_media);
}

static void
prepare_upload (CinPhoto *photo,
                GTask    *task,
                gpointer  user_data)
{
  EngineMedia *engine_media = user_data;
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "cinnabar", "uploads", NULL);

  /* A background pass mostly has nothing to upload: its library, and
   * the library's threads, only once a photo goes up. */
  if (engine_media->media == NULL)
    engine_media->media = cin_media_library_new_for_media_dir (engine_media->media_dir);
  cin_media_library_prepare_upload_async (engine_media->media, cin_photo_get_sha256 (photo),
                                          cin_photo_get_mime (photo),
                                          g_settings_get_boolean (engine_media->settings,
                                                                  "keep-photo-location"),
                                          cache_dir, g_task_get_cancellable (task),
                                          on_upload_prepared_cb, task);
}

/* Where @engine takes @profile's photos from and puts them; @media, the
 * open profile's library, or NULL for one made when needed. */
static void
set_up_engine_media (CinApplication  *self,
                     CinSyncEngine   *engine,
                     CinProfile      *profile,
                     CinMediaLibrary *media)
{
  EngineMedia *engine_media = g_new0 (EngineMedia, 1);

  engine_media->media = media != NULL ? g_object_ref (media) : NULL;
  engine_media->media_dir = g_strdup (cin_profile_get_media_dir (profile));
  engine_media->settings = g_object_ref (self->settings);
  cin_sync_engine_set_media_dir (engine, cin_profile_get_media_dir (profile));
  cin_sync_engine_set_upload_preparer (engine, prepare_upload, engine_media, engine_media_free);
}

/* A profile synced in the background has a media library of its own,
 * made if it has a photo to send. */
static void
setup_background_engine (CinSyncEngine *engine,
                         CinProfile    *profile,
                         gpointer       user_data)
{
  set_up_engine_media (user_data, engine, profile, NULL);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = cin_secret_lookup_token_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* No token (signed out, or no keyring): the profile's drafts open, and
   * nothing syncs until the creator signs in again. */
  if (token == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read the account's token from the keyring: %s", error->message);
      set_signed_out (self, TRUE);
      return;
    }
  if (self->store == NULL || self->profile == NULL || self->engine != NULL)
    {
      cin_secret_token_free (token);
      return;
    }

  set_signed_out (self, FALSE);
  self->client = cin_api_client_new (cin_profile_get_server (self->profile));
  cin_api_client_set_token (self->client, token);
  cin_secret_token_free (token);

  self->engine = cin_sync_engine_new (self->store, self->client);
  set_up_engine_media (self, self->engine, self->profile, self->media);
  g_signal_connect_object (self->engine, "notify::signed-out",
                           G_CALLBACK (on_engine_signed_out_cb), self, 0);
  cin_sync_engine_start (self->engine);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
start_sync (CinApplication *self)
{
  if (!is_account (self))
    return;

  cin_secret_lookup_token_async (cin_profile_get_server (self->profile),
                                 cin_profile_get_handle (self->profile),
                                 self->profile_cancellable, token_found_cb, g_object_ref (self));
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinStore) store = cin_store_open_finish (result, &error);

  if (store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error);
    }
  else
    {
      self->store = g_steal_pointer (&store);
      self->autosave = cin_autosave_new (self->store, CIN_AUTOSAVE_DEFAULT_DEBOUNCE_MS);
      g_signal_connect_object (self->autosave, "saved", G_CALLBACK (on_autosave_saved_cb),
                               self, G_CONNECT_SWAPPED);
      /* Drafts deleted in an earlier session are past their undo. */
      cin_store_purge_trash_async (self->store, NULL, purge_trash_cb, NULL);
      start_sync (self);
      if (self->background != NULL)
        cin_background_sync_start (self->background);
    }

  load_finished (self);
}

/* Runs on a worker thread: the rules and word lists are files on disk. */
static void
load_rules_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  LoadedData *data = g_new0 (LoadedData, 1);

  data->rules = cin_rules_load_default (&error);
  if (data->rules != NULL)
    data->ad_check = cin_ad_check_load_default (&error);

  if (error != NULL)
    {
      loaded_data_free (data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, data, (GDestroyNotify)loaded_data_free);
}

static void
rules_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CinApplication *self = CIN_APPLICATION (object);
  g_autoptr(GError) error = NULL;
  LoadedData *data = g_task_propagate_pointer (G_TASK (result), &error);

  if (data == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error);
    }
  else
    {
      self->rules = g_steal_pointer (&data->rules);
      self->ad_check = g_steal_pointer (&data->ad_check);
      if (self->media != NULL)
        cin_media_library_apply_rules (self->media, self->rules);
      loaded_data_free (data);
    }

  load_finished (self);
}

static void
open_active_profile (CinApplication *self)
{
  g_autoptr(CinProfile) profile = cin_profiles_get_active (self->profiles);

  g_set_object (&self->profile, profile);
  cin_background_sync_set_open (self->background, cin_profile_get_id (profile));
  set_signed_out (self, FALSE);
  g_clear_object (&self->media);
  self->media = cin_media_library_new_for_media_dir (cin_profile_get_media_dir (profile));
  if (self->rules != NULL)
    cin_media_library_apply_rules (self->media, self->rules);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);

  cin_store_open_async (cin_profile_get_store_path (profile), self->cancellable,
                        store_opened_cb, g_object_ref (self));
}

static void
profiles_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinProfiles) profiles = cin_profiles_open_finish (result, &error);

  if (profiles == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error);
      load_finished (self);
      return;
    }

  self->profiles = g_steal_pointer (&profiles);
  if (self->background == NULL)
    self->background = cin_background_sync_new (self->profiles, setup_background_engine, self);
  open_active_profile (self);
}

static void
start_loading (CinApplication *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (self->loads_pending == 0);

  self->loads_pending = 2;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);

  /* The profiles are folders on disk: read off the main thread, and
   * from them the store of the one in use. */
  if (self->store != NULL)
    self->loads_pending--;
  else if (self->profiles == NULL)
    cin_profiles_open_async (NULL, self->cancellable, profiles_opened_cb, g_object_ref (self));
  else
    open_active_profile (self);

  if (self->rules != NULL)
    {
      load_finished (self);
      return;
    }

  task = g_task_new (self, self->cancellable, rules_loaded_cb, NULL);
  g_task_set_source_tag (task, start_loading);
  g_task_run_in_thread (task, load_rules_thread);
}

void
cin_application_reload (CinApplication *self)
{
  g_return_if_fail (CIN_IS_APPLICATION (self));

  if (self->loads_pending > 0)
    return;

  g_clear_error (&self->error);
  start_loading (self);
}

static void
quit_flushed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A failed save keeps the text on screen, so quitting now would lose it:
   * the window stays and says why instead. */
  if (!cin_autosave_flush_finish (CIN_AUTOSAVE (object), result, &error))
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      g_warning ("Not quitting: the last edits could not be saved: %s", error->message);
      if (window != NULL)
        gtk_window_present (window);
      return;
    }

  g_application_quit (G_APPLICATION (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CinApplication *self = user_data;

  if (self->autosave == NULL)
    {
      g_application_quit (G_APPLICATION (self));
      return;
    }

  cin_autosave_flush_async (self->autosave, NULL, quit_flushed_cb, g_object_ref (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  CinApplication *self = user_data;
  const char *developers[] = { "The Cinnabar developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", CIN_APP_ID,
                        "application-name", _("Cinnabar"),
                        "developer-name", _("The Cinnabar developers"),
                        "version", CIN_VERSION,
                        "comments", _("Write, check and keep notes for RED-style platforms"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
cin_application_startup (GApplication *app)
{
  CinApplication *self = CIN_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *duplicate_accels[] = { "<Control><Shift>d", NULL };
  static const char *delete_accels[] = { "<Control>Delete", NULL };
  static const char *preview_accels[] = { "<Control><Shift>p", NULL };

  cin_register_resource ();

  G_APPLICATION_CLASS (cin_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-draft", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.duplicate-draft", duplicate_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.delete-draft", delete_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.preview", preview_accels);

  self->settings = g_settings_new (CIN_APP_ID);
  {
    /* A check item in the main menu, the setting itself behind it. */
    g_autoptr(GAction) keep_location = g_settings_create_action (self->settings, "keep-photo-location");

    g_action_map_add_action (G_ACTION_MAP (self), keep_location);
  }
  start_loading (self);
}

static void
cin_application_activate (GApplication *app)
{
  CinApplication *self = CIN_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (cin_window_new (self, self->bench_startup));

  gtk_window_present (window);
}

static int
cin_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  CinApplication *self = CIN_APPLICATION (app);

  if (g_variant_dict_contains (options, "bench-startup"))
    {
      /* Measured runs must not hand over to an instance that is already up. */
      self->bench_startup = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
cin_application_shutdown (GApplication *app)
{
  CinApplication *self = CIN_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (cin_application_parent_class)->shutdown (app);
}

static void
cin_application_dispose (GObject *object)
{
  CinApplication *self = CIN_APPLICATION (object);

  if (self->engine != NULL)
    cin_sync_engine_stop (self->engine);
  if (self->background != NULL)
    cin_background_sync_stop (self->background);
  g_clear_object (&self->background);
  g_clear_object (&self->engine);
  g_clear_object (&self->client);
  g_clear_object (&self->autosave);
  g_clear_object (&self->store);
  g_clear_object (&self->profile);
  g_clear_object (&self->profiles);
  g_clear_object (&self->profile_cancellable);
  g_clear_pointer (&self->switch_to, g_free);
  g_clear_object (&self->media);
  g_clear_pointer (&self->rules, cin_rules_unref);
  g_clear_pointer (&self->ad_check, cin_ad_check_unref);
  g_clear_error (&self->error);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cin_application_parent_class)->dispose (object);
}

static void
cin_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CinApplication *self = CIN_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, cin_application_get_ready (self));
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_SIGNED_OUT:
      g_value_set_boolean (value, self->signed_out);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cin_application_class_init (CinApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cin_application_dispose;
  object_class->get_property = cin_application_get_property;

  app_class->startup = cin_application_startup;
  app_class->activate = cin_application_activate;
  app_class->handle_local_options = cin_application_handle_local_options;
  app_class->shutdown = cin_application_shutdown;

  /* TRUE once the store and the rules are loaded, or loading failed. */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, CIN_TYPE_PROFILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* TRUE for an account profile whose token is not in the keyring: its
   * drafts open, nothing syncs until the creator signs in again. */
  properties[PROP_SIGNED_OUT] =
    g_param_spec_boolean ("signed-out", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, CIN_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cin_application_init (CinApplication *self)
{
  static const GOptionEntry entries[] = {
    { "bench-startup", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print start-up timings once the draft box is shown, then quit"), NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  self->profile_cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

CinApplication *
cin_application_new (GApplicationFlags flags)
{
  return g_object_new (CIN_TYPE_APPLICATION,
                       "application-id", CIN_APP_ID,
                       "flags", flags,
                       "resource-base-path", "/io/github/cinnabar/Studio",
                       NULL);
}

CinStore *
cin_application_get_store (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->store;
}

CinAutosave *
cin_application_get_autosave (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->autosave;
}

CinRules *
cin_application_get_rules (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->rules;
}

CinAdCheck *
cin_application_get_ad_check (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->ad_check;
}

const GError *
cin_application_get_error (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->error;
}

CinMediaLibrary *
cin_application_get_media_library (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->media;
}

gboolean
cin_application_get_ready (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), FALSE);
  return self->loads_pending == 0;
}

GSettings *
cin_application_get_settings (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->settings;
}

CinProfiles *
cin_application_get_profiles (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->profiles;
}

CinProfile *
cin_application_get_profile (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->profile;
}

gboolean
cin_application_get_signed_out (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), FALSE);
  return self->signed_out;
}

CinBackgroundSync *
cin_application_get_background_sync (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->background;
}

CinSyncEngine *
cin_application_get_engine (CinApplication *self)
{
  g_return_val_if_fail (CIN_IS_APPLICATION (self), NULL);
  return self->engine;
}

/* Switching: save → stop syncing → close the store → remember the new
 * profile → open it (start_loading), each step once the last is done. */

static void
switch_failed (CinApplication *self,
               const GError   *error)
{
  set_error (self, error);
  load_finished (self);
}

static void
active_set_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_profiles_set_active_finish (CIN_PROFILES (object), result, &error))
    {
      switch_failed (self, error);
      return;
    }

  /* start_loading() counts the loads again from zero. */
  self->loads_pending = 0;
  start_loading (self);
}

static void
released_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autofree char *id = g_steal_pointer (&self->switch_to);

  cin_background_sync_release_finish (CIN_BACKGROUND_SYNC (object), result);
  cin_profiles_set_active_async (self->profiles, id, self->cancellable,
                                 active_set_cb, g_object_ref (self));
}

/* The profile to open may be syncing in the background: its store is
 * closed there first. */
static void
release_and_open (CinApplication *self)
{
  cin_background_sync_release_async (self->background, self->switch_to, released_cb, g_object_ref (self));
}

static void
store_closed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_store_close_finish (CIN_STORE (object), result, &error))
    g_warning ("Could not close the drafts of the last profile: %s", error->message);

  release_and_open (self);
}

static void
switch_flushed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CinApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinStore) store = NULL;

  /* A failed save keeps the profile open: its edits exist nowhere else. */
  if (!cin_autosave_flush_finish (CIN_AUTOSAVE (object), result, &error))
    {
      g_clear_pointer (&self->switch_to, g_free);
      load_finished (self);
      return;
    }

  g_cancellable_cancel (self->profile_cancellable);
  g_clear_object (&self->profile_cancellable);
  self->profile_cancellable = g_cancellable_new ();
  stop_sync (self);
  g_clear_object (&self->autosave);
  store = g_steal_pointer (&self->store);
  cin_store_close_async (store, NULL, store_closed_cb, g_object_ref (self));
}

void
cin_application_switch_profile (CinApplication *self,
                                const char     *id)
{
  g_return_if_fail (CIN_IS_APPLICATION (self));
  g_return_if_fail (id != NULL);

  if (self->profiles == NULL || self->loads_pending > 0 || self->switch_to != NULL)
    return;
  if (self->profile != NULL && g_str_equal (cin_profile_get_id (self->profile), id) &&
      self->store != NULL)
    {
      /* Signed in again to the profile in use: its token is back. */
      if (self->engine == NULL)
        start_sync (self);
      return;
    }

  self->switch_to = g_strdup (id);
  g_clear_error (&self->error);
  /* One load pending: the window shows its spinner until the new
   * profile's store is open. */
  self->loads_pending = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);

  if (self->autosave != NULL)
    {
      cin_autosave_flush_async (self->autosave, NULL, switch_flushed_cb, g_object_ref (self));
      return;
    }

  /* No store is open (it failed to): nothing to save or close. */
  release_and_open (self);
}

typedef struct {
  CinApplication *app;
  char           *server;
  char           *handle;
} SignOut;

static void
sign_out_free (SignOut *data)
{
  g_object_unref (data->app);
  g_free (data->server);
  g_free (data->handle);
  g_free (data);
}

static void
token_cleared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SignOut *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_secret_clear_token_finish (result, &error))
    g_warning ("Could not remove the account's token from the keyring: %s", error->message);

  cin_application_switch_profile (data->app, CIN_PROFILE_LOCAL_ID);
  sign_out_free (data);
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SignOut *data = user_data;
  g_autoptr(GError) error = NULL;

  /* Offline, the session stays valid on the server until it expires;
   * the token is forgotten here all the same. */
  if (!cin_api_client_sign_out_finish (CIN_API_CLIENT (object), result, NULL, &error))
    g_message ("Signing out on the server failed: %s", error->message);

  cin_secret_clear_token_async (data->server, data->handle, NULL, token_cleared_cb, data);
}

void
cin_application_sign_out (CinApplication *self)
{
  SignOut *data;

  g_return_if_fail (CIN_IS_APPLICATION (self));

  if (!is_account (self))
    return;

  data = g_new0 (SignOut, 1);
  data->app = g_object_ref (self);
  data->server = g_strdup (cin_profile_get_server (self->profile));
  data->handle = g_strdup (cin_profile_get_handle (self->profile));

  if (self->engine != NULL)
    cin_sync_engine_stop (self->engine);
  if (self->client != NULL)
    cin_api_client_sign_out_async (self->client, NULL, signed_out_cb, data);
  else
    cin_secret_clear_token_async (data->server, data->handle, NULL, token_cleared_cb, data);
}
