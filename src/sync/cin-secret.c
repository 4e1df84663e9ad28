/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-secret"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "cin-profile.h"
#include "cin-secret.h"

/* The token is handed to libsecret and back, and to nothing else: no
 * message here or in a GError ever carries it. The keyring's own errors
 * are logged (they never hold a secret) and turned into one of ours that
 * says what the user can do. */

G_DEFINE_QUARK (cin-secret-error-quark, cin_secret_error)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.cinnabar.Studio.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "handle", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* The server as profiles spell it, so "https://Cinnabar.example/" finds
 * what "https://cinnabar.example" stored. */
static GHashTable *
token_attributes (const char *server,
                  const char *handle)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);
  char *normalized = cin_profile_normalize_server (server, NULL);

  g_hash_table_insert (attributes, (gpointer)"server",
                       normalized != NULL ? normalized : g_strdup (server));
  g_hash_table_insert (attributes, (gpointer)"handle", g_strdup (handle));
  return attributes;
}

static void
token_attributes_free (gpointer data)
{
  GHashTable *attributes = data;

  g_free (g_hash_table_lookup (attributes, "server"));
  g_free (g_hash_table_lookup (attributes, "handle"));
  g_hash_table_unref (attributes);
}

static GTask *
token_task_new (gpointer             source_tag,
                const char          *server,
                const char          *handle,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* Kept for as long as libsecret may read them. */
  g_task_set_task_data (task, token_attributes (server, handle), token_attributes_free);
  return task;
}

static void
return_locked (GTask *task)
{
  g_task_return_new_error (task, CIN_SECRET_ERROR, CIN_SECRET_ERROR_LOCKED,
                           _("Your keyring is locked. Unlock it, for example in Passwords and Keys, then sign in again."));
}

static void
return_keyring_error (GTask  *task,
                      GError *keyring_error)
{
  g_autoptr(GError) error = keyring_error;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Keyring error: %s (%s %d)", error->message,
           g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return_locked (task);
  else if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR)
    /* No session bus, or nobody owns org.freedesktop.secrets on it. */
    g_task_return_new_error (task, CIN_SECRET_ERROR, CIN_SECRET_ERROR_NO_SERVICE,
                             _("No keyring is running to keep your sign-in safe. Start GNOME Keyring or another Secret Service, then sign in again."));
  else
    g_task_return_new_error (task, CIN_SECRET_ERROR, CIN_SECRET_ERROR_FAILED,
                             _("Your keyring could not keep your sign-in (%s). Try again, or check your keyring in Passwords and Keys."),
                             error->message);
}

static void
password_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    return_keyring_error (task, error);
  else
    /* The unlock prompt was dismissed. */
    return_locked (task);
}

void
cin_secret_store_token_async (const char          *server,
                              const char          *handle,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server != NULL && *server != '\0');
  g_return_if_fail (handle != NULL && *handle != '\0');
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = token_task_new (cin_secret_store_token_async, server, handle,
                         cancellable, callback, user_data);
  /* TRANSLATORS: the name of the keyring item, shown in Passwords and
   * Keys; the first %s is the account's handle, the second the server. */
  label = g_strdup_printf (_("Cinnabar token for @%s on %s"), handle, server);
  secret_password_storev (token_schema (), g_task_get_task_data (task),
                          SECRET_COLLECTION_DEFAULT, label, token,
                          cancellable, password_stored_cb, g_object_ref (task));
}

gboolean
cin_secret_store_token_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_secret_store_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* After a lookup or a clear that found nothing: whether an item is still
 * there, in a keyring that stayed locked. None left is a lookup's NULL
 * token and a clear's success. */
static void
items_left_found_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);

  if (error != NULL)
    return_keyring_error (task, error);
  else if (items != NULL)
    return_locked (task);
  else if (g_task_get_source_tag (task) == cin_secret_lookup_token_async)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_boolean (task, TRUE);

  g_list_free_full (items, g_object_unref);
}

static void
search_items_left (GTask *task)
{
  secret_password_searchv (token_schema (), g_task_get_task_data (task), SECRET_SEARCH_ALL,
                           g_task_get_cancellable (task), items_left_found_cb,
                           g_object_ref (task));
}

static void
password_looked_up_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    return_keyring_error (task, error);
  else if (token != NULL)
    g_task_return_pointer (task, token, (GDestroyNotify)secret_password_free);
  else
    /* Nothing, or an item in a keyring that stayed locked (the unlock
     * prompt was dismissed): only the second means the user is still
     * signed in. Searching without unlocking tells them apart. */
    search_items_left (task);
}

void
cin_secret_lookup_token_async (const char          *server,
                               const char          *handle,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server != NULL && *server != '\0');
  g_return_if_fail (handle != NULL && *handle != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = token_task_new (cin_secret_lookup_token_async, server, handle,
                         cancellable, callback, user_data);
  secret_password_lookupv (token_schema (), g_task_get_task_data (task),
                           cancellable, password_looked_up_cb, g_object_ref (task));
}

char *
cin_secret_lookup_token_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_secret_lookup_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
password_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_clear_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    return_keyring_error (task, error);
  else
    /* Nothing was cleared: there was nothing, or the keyring stayed
     * locked, and a token left behind must not pass for signed out. */
    search_items_left (task);
}

void
cin_secret_clear_token_async (const char          *server,
                              const char          *handle,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server != NULL && *server != '\0');
  g_return_if_fail (handle != NULL && *handle != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = token_task_new (cin_secret_clear_token_async, server, handle,
                         cancellable, callback, user_data);
  secret_password_clearv (token_schema (), g_task_get_task_data (task),
                          cancellable, password_cleared_cb, g_object_ref (task));
}

gboolean
cin_secret_clear_token_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_secret_clear_token_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cin_secret_token_free (char *token)
{
  if (token != NULL)
    secret_password_free (token);
}
