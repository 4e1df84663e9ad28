/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-sign-in-page"

#include <glib/gi18n.h>

#include "cin-api-client.h"
#include "cin-secret.h"
#include "cin-sign-in-page.h"

struct _CinSignInPage
{
  GtkWidget     parent_instance;

  /* Template widgets */
  AdwEntryRow  *server_row;
  AdwEntryRow  *handle_row;
  AdwEntryRow  *password_row;
  GtkLabel     *error_label;
  GtkSpinner   *spinner;

  /* Owned */
  CinProfiles  *profiles;     /* (nullable) */
  CinApiClient *client;       /* (nullable) while signing in */
  CinProfile   *profile;      /* (nullable) made for the account */
  char         *token;        /* (nullable) until it is in the keyring */
  GCancellable *cancellable;  /* (nullable) while signing in */
};

G_DEFINE_FINAL_TYPE (CinSignInPage, cin_sign_in_page, GTK_TYPE_WIDGET)

enum {
  SIGNED_IN,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_token (CinSignInPage *self)
{
  g_clear_pointer (&self->token, cin_secret_token_free);
}

static void
show_error (CinSignInPage *self,
            const char    *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (CinSignInPage *self,
          gboolean       busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* Read-only rather than insensitive: a focused entry made insensitive
   * loses its focus-out in GTK 4.8 and warns. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->handle_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", !busy);
}

static void
finish (CinSignInPage *self,
        const char    *error_message)
{
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  clear_token (self);
  set_busy (self, FALSE);
  show_error (self, error_message);
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CinSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinProfile) profile = g_steal_pointer (&self->profile);

  if (!cin_secret_store_token_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s says why the keyring refused. */
      message = g_strdup_printf (_("Signed in, but the sign-in could not be kept in the keyring: %s. Unlock the keyring and try again."),
                                 error->message);
      finish (self, message);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  finish (self, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, cin_profile_get_id (profile));
}

static void
profile_created_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CinSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinProfile) profile = NULL;

  profile = cin_profiles_create_account_finish (CIN_PROFILES (object), result, &error);
  if (profile == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (self, error->message);
      return;
    }

  /* Named by the profile's own normalized server and handle: the
   * application looks the token up the same way. */
  g_set_object (&self->profile, profile);
  cin_secret_store_token_async (cin_profile_get_server (profile), cin_profile_get_handle (profile),
                                self->token, self->cancellable, token_stored_cb, g_object_ref (self));
  clear_token (self);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CinSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinApiSession) session = NULL;

  session = cin_api_client_sign_in_finish (CIN_API_CLIENT (object), result, NULL, &error);
  if (session == NULL)
    {
      /* The client's message is the server's reason or a translated
       * sentence saying what to do. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (self, error->message);
      return;
    }

  clear_token (self);
  self->token = g_strdup (session->token);
  cin_profiles_create_account_async (self->profiles,
                                     cin_api_client_get_base_uri (CIN_API_CLIENT (object)),
                                     session->handle, NULL,
                                     self->cancellable, profile_created_cb, g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  CinSignInPage *self = CIN_SIGN_IN_PAGE (widget);
  g_autofree char *server = NULL;
  g_autofree char *handle = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->cancellable != NULL || self->profiles == NULL)
    return;

  server = cin_profile_normalize_server (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), NULL);
  if (server == NULL)
    {
      show_error (self, _("Enter the server’s address, such as https://example.com."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  handle = cin_profile_normalize_handle (gtk_editable_get_text (GTK_EDITABLE (self->handle_row)), NULL);
  if (handle == NULL || *handle == '\0')
    {
      show_error (self, _("Enter your handle, the name after the @."));
      gtk_widget_grab_focus (GTK_WIDGET (self->handle_row));
      return;
    }
  if (*password == '\0')
    {
      show_error (self, _("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  self->client = cin_api_client_new (server);
  cin_api_client_sign_in_async (self->client, handle, password, self->cancellable,
                                signed_in_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  CinSignInPage *self = CIN_SIGN_IN_PAGE (widget);

  g_cancellable_cancel (self->cancellable);
  finish (self, NULL);
  g_signal_emit (self, signals[CANCELLED], 0);
}

/* FALSE when every field is filled in. */
static gboolean
focus_first_empty (CinSignInPage *self)
{
  AdwEntryRow *rows[] = { self->server_row, self->handle_row, self->password_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (*gtk_editable_get_text (GTK_EDITABLE (rows[i])) == '\0')
      {
        gtk_widget_grab_focus (GTK_WIDGET (rows[i]));
        return TRUE;
      }
  return FALSE;
}

/* Enter moves on to the next empty field, and signs in from the last. */
static void
on_entry_activated_cb (CinSignInPage *self,
                       AdwEntryRow   *row)
{
  if (!focus_first_empty (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

static void
on_entry_changed_cb (CinSignInPage *self,
                     GtkEditable   *editable)
{
  if (self->cancellable == NULL)
    show_error (self, NULL);
}

static void
cin_sign_in_page_dispose (GObject *object)
{
  CinSignInPage *self = CIN_SIGN_IN_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->profiles);
  clear_token (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CIN_TYPE_SIGN_IN_PAGE);
  /* dispose_template() leaves the children that are not bound: the page's
   * box would be finalized still attached. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cin_sign_in_page_parent_class)->dispose (object);
}

static void
cin_sign_in_page_class_init (CinSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cin_sign_in_page_dispose;

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cinnabar/Studio/account/cin-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CinSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, CinSignInPage, handle_row);
  gtk_widget_class_bind_template_child (widget_class, CinSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CinSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CinSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "sign-in.cancel", NULL);
}

static void
cin_sign_in_page_init (CinSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cin_sign_in_page_new (void)
{
  return g_object_new (CIN_TYPE_SIGN_IN_PAGE, NULL);
}

void
cin_sign_in_page_reset (CinSignInPage *self,
                        CinProfiles   *profiles,
                        const char    *default_server)
{
  g_return_if_fail (CIN_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (CIN_IS_PROFILES (profiles));

  g_set_object (&self->profiles, profiles);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (*gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0' && default_server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), default_server);
  show_error (self, NULL);
  focus_first_empty (self);
}

void
cin_sign_in_page_fill_account (CinSignInPage *self,
                               const char    *server,
                               const char    *handle)
{
  g_return_if_fail (CIN_IS_SIGN_IN_PAGE (self));
  g_return_if_fail (server != NULL && handle != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->handle_row), handle);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

gboolean
cin_sign_in_page_get_busy (CinSignInPage *self)
{
  g_return_val_if_fail (CIN_IS_SIGN_IN_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

const char *
cin_sign_in_page_get_error (CinSignInPage *self)
{
  g_return_val_if_fail (CIN_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}
