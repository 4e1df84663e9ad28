/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-application"

#include <glib/gi18n.h>

#include "cin-ad-check.h"
#include "cin-application.h"
#include "cin-autosave.h"
#include "cin-paths.h"
#include "cin-resources.h"
#include "cin-media-library.h"
#include "cin-rules.h"
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
  CinMediaLibrary *media;     /* the profile's photos and thumbnails */
  GError         *error;      /* (nullable) why loading failed */
  GCancellable   *cancellable;

  guint           loads_pending;
  gboolean        bench_startup;
};

G_DEFINE_FINAL_TYPE (CinApplication, cin_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_READY,
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
      /* Drafts deleted in an earlier session are past their undo. */
      cin_store_purge_trash_async (self->store, NULL, purge_trash_cb, NULL);
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
      cin_media_library_apply_rules (self->media, self->rules);
      loaded_data_free (data);
    }

  load_finished (self);
}

static void
start_loading (CinApplication *self)
{
  g_autofree char *store_path = cin_paths_get_store_path ("local");
  g_autoptr(GTask) task = NULL;

  g_assert (self->loads_pending == 0);

  self->loads_pending = 2;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);

  if (self->store == NULL)
    cin_store_open_async (store_path, self->cancellable, store_opened_cb, g_object_ref (self));
  else
    self->loads_pending--;

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
  self->media = cin_media_library_new_for_profile ("local");
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

  g_clear_object (&self->autosave);
  g_clear_object (&self->store);
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
