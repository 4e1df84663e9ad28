/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-profile.h"
#include "cin-types.h"

G_BEGIN_DECLS

/* The set of profiles in a data dir (by default $XDG_DATA_HOME/cinnabar):
 * profiles/<id>/ each, plus the file active-profile naming the one in use
 * (core has no GSettings). Safe to use from any thread; the _sync calls
 * block on the disk, so call them from a thread, or use the async ones. */

#define CIN_TYPE_PROFILES (cin_profiles_get_type ())
G_DECLARE_FINAL_TYPE (CinProfiles, cin_profiles, CIN, PROFILES, GObject)

/* Reads every profile, making the local one when there is none (and
 * adopting the folder of a data dir from before profiles). A profile whose
 * profile.json can't be read is left on disk untouched, and listed by
 * cin_profiles_list_errors() rather than failing the whole set.
 * @data_dir NULL is the user's. Blocks; call from a thread. */
CinProfiles *cin_profiles_open_sync          (const char           *data_dir,
                                              GError              **error);
void         cin_profiles_open_async         (const char           *data_dir,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CinProfiles *cin_profiles_open_finish        (GAsyncResult         *result,
                                              GError              **error);

const char  *cin_profiles_get_data_dir       (CinProfiles          *self);

/* Every call handing out a CinProfile or an array gives a new reference:
 * another thread may change the set meanwhile. */

/* CinProfile: the local profile first, then the accounts by display
 * name. */
GPtrArray   *cin_profiles_list               (CinProfiles          *self);
/* GError: one per folder that could not be read when opening. */
GPtrArray   *cin_profiles_list_errors        (CinProfiles          *self);
CinProfile  *cin_profiles_get_local          (CinProfiles          *self);
/* (nullable) */
CinProfile  *cin_profiles_find               (CinProfiles          *self,
                                              const char           *id);
/* (nullable) @server and @handle are normalized first. */
CinProfile  *cin_profiles_find_account       (CinProfiles          *self,
                                              const char           *server,
                                              const char           *handle);

/* Makes the folder of a new account profile, named after @handle and the
 * server's host, made unique, and appearing whole or not at all. Returns
 * the existing profile when there is one for this account already.
 * Blocks; call from a thread. */
CinProfile  *cin_profiles_create_account_sync   (CinProfiles       *self,
                                                 const char        *server,
                                                 const char        *handle,
                                                 const char        *display_name,
                                                 GError           **error);
void         cin_profiles_create_account_async  (CinProfiles       *self,
                                                 const char        *server,
                                                 const char        *handle,
                                                 const char        *display_name,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
CinProfile  *cin_profiles_create_account_finish (CinProfiles       *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

/* Removes an account profile's folder as one: it is renamed away first,
 * so it is gone at once even if deleting its files is cut short (what is
 * left is swept on the next open). Close its store first. The active
 * profile becomes the local one when it was this one. Blocks; call from a
 * thread. */
gboolean     cin_profiles_remove_sync        (CinProfiles          *self,
                                              const char           *id,
                                              GError              **error);
void         cin_profiles_remove_async       (CinProfiles          *self,
                                              const char           *id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     cin_profiles_remove_finish      (CinProfiles          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

/* The profile in use: the one last set, else the local one. */
CinProfile  *cin_profiles_get_active         (CinProfiles          *self);
/* Blocks; call from a thread. */
gboolean     cin_profiles_set_active_sync    (CinProfiles          *self,
                                              const char           *id,
                                              GError              **error);
void         cin_profiles_set_active_async   (CinProfiles          *self,
                                              const char           *id,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean     cin_profiles_set_active_finish  (CinProfiles          *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
