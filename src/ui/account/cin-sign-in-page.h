/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cin-profiles.h"

G_BEGIN_DECLS

/* Signs in to a server: address, handle and password, checked by the
 * server itself. On success it makes the account's profile, puts the
 * token in the keyring (never anywhere else) and emits "signed-in" with
 * the new profile's id; "cancelled" when the creator goes back. */

#define CIN_TYPE_SIGN_IN_PAGE (cin_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (CinSignInPage, cin_sign_in_page, CIN, SIGN_IN_PAGE, GtkWidget)

GtkWidget  *cin_sign_in_page_new          (void);
/* Clears the password and the last error, fills the server with
 * @default_server unless one was typed, and focuses the first empty
 * field. */
void        cin_sign_in_page_reset        (CinSignInPage *self,
                                           CinProfiles   *profiles,
                                           const char    *default_server);
/* For signing in again: the account's server and handle filled in, the
 * password focused. */
void        cin_sign_in_page_fill_account (CinSignInPage *self,
                                           const char    *server,
                                           const char    *handle);
/* TRUE while signing in. */
gboolean    cin_sign_in_page_get_busy     (CinSignInPage *self);
/* (nullable) the error shown, for tests. */
const char *cin_sign_in_page_get_error    (CinSignInPage *self);

G_END_DECLS
