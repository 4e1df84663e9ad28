/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-window-account"

#include <glib/gi18n.h>

#include "cin-autosave.h"
#include "cin-profile-copy.h"
#include "cin-window-private.h"

/* The window's part in accounts: the profile switcher, the sign-in page,
 * the sync status and copying a draft to another profile. */

static CinProfile *
get_profile (CinWindow *self)
{
  CinApplication *app = _cin_window_get_app (self);

  return app ? cin_application_get_profile (app) : NULL;
}

gboolean
_cin_window_is_account (CinWindow *self)
{
  CinProfile *profile = get_profile (self);

  return profile != NULL && cin_profile_get_kind (profile) == CIN_PROFILE_KIND_ACCOUNT;
}

/* Profiles */

/* An item per profile but @skip (nullable), each activating @action with
 * the profile's id. */
static void
append_profile_items (GMenu       *menu,
                      CinProfiles *profiles,
                      CinProfile  *skip,
                      const char  *action)
{
  g_autoptr(GPtrArray) list = cin_profiles_list (profiles);

  for (guint i = 0; i < list->len; i++)
    {
      CinProfile *profile = g_ptr_array_index (list, i);
      const char *id = cin_profile_get_id (profile);
      g_autoptr(GMenuItem) item = NULL;

      if (skip != NULL && g_str_equal (id, cin_profile_get_id (skip)))
        continue;
      item = g_menu_item_new (cin_profile_get_display_name (profile), NULL);
      g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
      g_menu_append_item (menu, item);
    }
}

static void
update_copy_menu (CinWindow *self)
{
  CinApplication *app = _cin_window_get_app (self);
  CinProfiles *profiles = app ? cin_application_get_profiles (app) : NULL;
  CinProfile *active = get_profile (self);
  g_autoptr(GMenu) submenu = g_menu_new ();

  g_menu_remove_all (self->copy_section);
  if (profiles == NULL || active == NULL)
    return;

  append_profile_items (submenu, profiles, active, "account.copy-to");
  if (g_menu_model_get_n_items (G_MENU_MODEL (submenu)) > 0)
    g_menu_append_submenu (self->copy_section, _("_Copy to"), G_MENU_MODEL (submenu));
}

static void
update_profile_menu (CinWindow *self)
{
  CinApplication *app = _cin_window_get_app (self);
  CinProfiles *profiles = app ? cin_application_get_profiles (app) : NULL;
  CinProfile *active = get_profile (self);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) list_section = g_menu_new ();
  g_autoptr(GMenu) account_section = g_menu_new ();
  GAction *action;

  if (profiles != NULL)
    append_profile_items (list_section, profiles, NULL, "account.profile");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (list_section));
  g_menu_append (account_section, _("_Add Account…"), "account.add");
  g_menu_append (account_section, _("_Sign Out"), "account.sign-out");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (account_section));
  gtk_menu_button_set_menu_model (self->profile_button, G_MENU_MODEL (menu));

  action = g_action_map_lookup_action (G_ACTION_MAP (self->account_actions), "profile");
  if (active != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action),
                               g_variant_new_string (cin_profile_get_id (active)));
  action = g_action_map_lookup_action (G_ACTION_MAP (self->account_actions), "sign-out");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), _cin_window_is_account (self));
}

/* The header says whose drafts these are and, for an account, where its
 * sync stands: "@mei · Syncing 2 of 5". */
static void
update_drafts_subtitle (CinWindow *self)
{
  CinApplication *app = _cin_window_get_app (self);
  CinProfile *profile = app != NULL ? cin_application_get_profile (app) : NULL;
  const char *status = cin_sync_status_button_get_label (self->sync_status);
  g_autofree char *subtitle = NULL;

  if (profile == NULL || !_cin_window_is_account (self))
    subtitle = g_strdup ("");
  else if (gtk_widget_get_visible (GTK_WIDGET (self->sync_status)) && status != NULL && *status != '\0')
    /* Translators: the draft list's subtitle: the account, then its sync
     * status, e.g. "@mei · Synced". */
    subtitle = g_strdup_printf (_("%s · %s"), cin_profile_get_display_name (profile), status);
  else
    subtitle = g_strdup (cin_profile_get_display_name (profile));
  adw_window_title_set_subtitle (self->drafts_title, subtitle);
}

static void
on_sync_status_changed_cb (CinWindow  *self,
                           GParamSpec *pspec,
                           GtkWidget  *sync_status)
{
  update_drafts_subtitle (self);
}

static void
on_profile_changed_cb (CinWindow      *self,
                       GParamSpec     *pspec,
                       CinApplication *app)
{
  CinProfile *profile = cin_application_get_profile (app);
  gboolean account = _cin_window_is_account (self);

  /* Work for the last profile (reloads, publishing) is not wanted now. */
  g_cancellable_cancel (self->profile_cancellable);
  g_clear_object (&self->profile_cancellable);
  self->profile_cancellable = g_cancellable_new ();
  _cin_window_sync_forget (self);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->profile_button),
                               account ? cin_profile_get_display_name (profile) : _("Accounts"));
  gtk_widget_set_visible (GTK_WIDGET (self->sync_status), FALSE);
  update_drafts_subtitle (self);
  cin_draft_box_set_show_sync (self->draft_box, account);
  update_profile_menu (self);
  update_copy_menu (self);
  _cin_window_update_publish (self);
}

static void
on_engine_changed_cb (CinWindow      *self,
                      GParamSpec     *pspec,
                      CinApplication *app)
{
  CinSyncEngine *engine = cin_application_get_engine (app);
  gboolean signed_out = cin_application_get_signed_out (app);

  cin_sync_status_button_set_engine (self->sync_status, engine);
  cin_sync_status_button_set_signed_out (self->sync_status, signed_out);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_status), engine != NULL || signed_out);
  _cin_window_sync_set_engine (self, engine);
}

static void
profile_action_cb (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  CinWindow *self = user_data;
  CinApplication *app = _cin_window_get_app (self);

  if (app != NULL)
    cin_application_switch_profile (app, g_variant_get_string (param, NULL));
}

static void
add_account_action_cb (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  CinWindow *self = user_data;
  CinApplication *app = _cin_window_get_app (self);
  g_autofree char *server = NULL;

  if (app == NULL || cin_application_get_profiles (app) == NULL)
    return;

  server = g_settings_get_string (cin_application_get_settings (app), "default-server");
  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
  cin_sign_in_page_reset (self->sign_in_page, cin_application_get_profiles (app), server);
}

/* Signing in again to the account profile in use: its address and handle
 * are known, only the password is asked for. */
static void
sign_in_again_action_cb (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  CinWindow *self = user_data;
  CinApplication *app = _cin_window_get_app (self);
  CinProfile *profile = get_profile (self);

  if (app == NULL || cin_application_get_profiles (app) == NULL || !_cin_window_is_account (self))
    return;

  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
  cin_sign_in_page_reset (self->sign_in_page, cin_application_get_profiles (app), NULL);
  cin_sign_in_page_fill_account (self->sign_in_page, cin_profile_get_server (profile),
                                 cin_profile_get_handle (profile));
}

static void
sign_out_action_cb (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  CinWindow *self = user_data;
  CinApplication *app = _cin_window_get_app (self);

  if (app != NULL)
    cin_application_sign_out (app);
}

static void
on_signed_in_cb (CinWindow     *self,
                 const char    *profile_id,
                 CinSignInPage *page)
{
  CinApplication *app = _cin_window_get_app (self);

  gtk_stack_set_visible_child_name (self->main_stack, "content");
  if (app != NULL)
    cin_application_switch_profile (app, profile_id);
}

static void
on_sign_in_cancelled_cb (CinWindow     *self,
                         CinSignInPage *page)
{
  gtk_stack_set_visible_child_name (self->main_stack, "content");
}

/* Copying a draft to another profile: its store is opened for the copy
 * and closed after, the profile in use staying as it is. */

typedef struct {
  CinWindow  *window;
  CinProfile *dest;
  CinStore   *dest_store;
  char       *note_id;
} CopyJob;

static void
copy_job_free (CopyJob *job)
{
  job->window->n_copying--;
  g_object_unref (job->window);
  g_object_unref (job->dest);
  g_clear_object (&job->dest_store);
  g_free (job->note_id);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CopyJob, copy_job_free)

static void
dest_closed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cin_store_close_finish (CIN_STORE (object), result, &error))
    g_warning ("Could not close the other profile's drafts: %s", error->message);
}

static void
note_copied_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CopyJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) copy = cin_profile_copy_note_finish (result, &error);
  g_autofree char *text = NULL;

  cin_store_close_async (job->dest_store, NULL, dest_closed_cb, NULL);

  if (copy == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _cin_window_show_error (job->window, error);
      return;
    }

  /* Translators: a toast; %s names the profile the draft went to. */
  text = g_strdup_printf (_("Draft copied to %s"), cin_profile_get_display_name (job->dest));
  _cin_window_show_toast (job->window, adw_toast_new (text));
}

static void
dest_opened_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CopyJob) job = user_data;
  g_autoptr(GError) error = NULL;
  CinApplication *app = _cin_window_get_app (job->window);
  CinProfile *source = app ? cin_application_get_profile (app) : NULL;
  CinStore *store = _cin_window_get_store (job->window);
  CinStore *dest_store;
  const char *dest_media_dir;
  const char *note_id;
  GCancellable *cancellable;

  job->dest_store = cin_store_open_finish (result, &error);
  if (job->dest_store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _cin_window_show_error (job->window, error);
      return;
    }
  if (source == NULL || store == NULL)
    {
      cin_store_close_async (job->dest_store, NULL, dest_closed_cb, NULL);
      return;
    }

  dest_store = job->dest_store;
  dest_media_dir = cin_profile_get_media_dir (job->dest);
  note_id = job->note_id;
  cancellable = job->window->profile_cancellable;
  cin_profile_copy_note_async (store, cin_profile_get_media_dir (source), note_id,
                               dest_store, dest_media_dir, cancellable, note_copied_cb,
                               g_steal_pointer (&job));
}

static void
copy_flushed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CopyJob) job = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  const char *path;

  if (!cin_autosave_flush_finish (CIN_AUTOSAVE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _cin_window_show_error (job->window, error);
      return;
    }

  path = cin_profile_get_store_path (job->dest);
  cancellable = job->window->profile_cancellable;
  cin_store_open_async (path, cancellable, dest_opened_cb, g_steal_pointer (&job));
}

static void
copy_to_action_cb (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  CinWindow *self = user_data;
  CinApplication *app = _cin_window_get_app (self);
  CinProfiles *profiles = app ? cin_application_get_profiles (app) : NULL;
  CinAutosave *autosave = _cin_window_get_autosave (self);
  g_autoptr(CinProfile) dest = NULL;
  CopyJob *job;

  if (self->current == NULL || profiles == NULL || autosave == NULL)
    return;
  dest = cin_profiles_find (profiles, g_variant_get_string (param, NULL));
  if (dest == NULL)
    return;

  job = g_new0 (CopyJob, 1);
  job->window = g_object_ref (self);
  self->n_copying++;
  job->dest = g_steal_pointer (&dest);
  job->note_id = g_strdup (cin_note_get_id (self->current));
  /* The copy is of the text as it is on screen. */
  cin_autosave_flush_async (autosave, self->profile_cancellable, copy_flushed_cb, job);
}

static const GActionEntry account_entries[] = {
  { "profile", NULL, "s", "''", profile_action_cb },
  { "add", add_account_action_cb },
  { "sign-in", sign_in_again_action_cb },
  { "sign-out", sign_out_action_cb },
  { "copy-to", copy_to_action_cb, "s" },
};

void
_cin_window_account_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, CinWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, drafts_title);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, profile_button);
  gtk_widget_class_bind_template_child (widget_class, CinWindow, copy_section);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_cancelled_cb);

  _cin_window_sync_class_init (widget_class);
}

void
_cin_window_account_init (CinWindow *self)
{
  self->profile_cancellable = g_cancellable_new ();

  self->account_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->account_actions), account_entries,
                                   G_N_ELEMENTS (account_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "account", G_ACTION_GROUP (self->account_actions));

  _cin_window_sync_init (self);
  g_signal_connect_object (self->sync_status, "notify::label",
                           G_CALLBACK (on_sync_status_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync_status, "notify::visible",
                           G_CALLBACK (on_sync_status_changed_cb), self, G_CONNECT_SWAPPED);
  update_profile_menu (self);
}

void
_cin_window_account_attach (CinWindow *self)
{
  CinApplication *app = _cin_window_get_app (self);

  g_signal_connect_object (app, "notify::profile", G_CALLBACK (on_profile_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::engine", G_CALLBACK (on_engine_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (app, "notify::signed-out", G_CALLBACK (on_engine_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_profile_changed_cb (self, NULL, app);
  on_engine_changed_cb (self, NULL, app);
}

void
_cin_window_account_dispose (CinWindow *self)
{
  g_cancellable_cancel (self->profile_cancellable);
  g_clear_object (&self->profile_cancellable);
  g_clear_object (&self->account_actions);
  _cin_window_sync_dispose (self);
}
