/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An account's bearer token, kept in the user's keyring (the Secret
 * Service; the Secret portal inside Flatpak) and nowhere else: not in a
 * file, not in a log. An account is a handle on a server, named by the
 * server's base URI (compared as cin_profile_normalize_server() spells
 * it), so two accounts never share a token. */

#define CIN_SECRET_ERROR (cin_secret_error_quark ())

typedef enum {
  CIN_SECRET_ERROR_FAILED,
  CIN_SECRET_ERROR_NO_SERVICE,  /* no keyring is running */
  CIN_SECRET_ERROR_LOCKED,      /* the keyring is locked and was not unlocked */
} CinSecretError;

GQuark    cin_secret_error_quark        (void);

void      cin_secret_store_token_async  (const char           *server,
                                         const char           *handle,
                                         const char           *token,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  cin_secret_store_token_finish (GAsyncResult         *result,
                                         GError              **error);

/* The token, or NULL without an error when none is stored. A token kept
 * in a keyring that stays locked (its unlock prompt dismissed) fails with
 * CIN_SECRET_ERROR_LOCKED rather than passing for none. Free the token
 * with cin_secret_token_free(), which clears the memory first. */
void      cin_secret_lookup_token_async (const char           *server,
                                         const char           *handle,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char     *cin_secret_lookup_token_finish (GAsyncResult        *result,
                                          GError             **error);

/* Succeeds when there was nothing to clear; fails with
 * CIN_SECRET_ERROR_LOCKED when the token is there but the keyring stayed
 * locked. */
void      cin_secret_clear_token_async  (const char           *server,
                                         const char           *handle,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  cin_secret_clear_token_finish (GAsyncResult         *result,
                                         GError              **error);

void      cin_secret_token_free         (char                 *token);

G_END_DECLS
