/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "cin-background-sync.h"
#include "cin-media-library.h"
#include "cin-profiles.h"
#include "cin-sync-engine.h"

#include "cin-types.h"

G_BEGIN_DECLS

#define CIN_TYPE_APPLICATION (cin_application_get_type ())
G_DECLARE_FINAL_TYPE (CinApplication, cin_application, CIN, APPLICATION, AdwApplication)

CinApplication *cin_application_new          (GApplicationFlags  flags);
/* The open store, or NULL while it is opening or when it failed. */
CinStore       *cin_application_get_store    (CinApplication    *self);
CinAutosave    *cin_application_get_autosave (CinApplication    *self);
CinRules       *cin_application_get_rules    (CinApplication    *self);
CinAdCheck     *cin_application_get_ad_check (CinApplication    *self);
/* The profile's photos: imports and thumbnails. */
CinMediaLibrary *cin_application_get_media_library (CinApplication *self);
/* Why the store or the rules could not be loaded, or NULL. */
const GError   *cin_application_get_error    (CinApplication    *self);
gboolean        cin_application_get_ready    (CinApplication    *self);
/* Opens the store and loads the rules again after a failure. */
void            cin_application_reload       (CinApplication    *self);
GSettings      *cin_application_get_settings (CinApplication    *self);

/* Profiles: NULL until opened. The active profile's store, media and
 * (for an account) sync engine are what the getters above hand out. */
CinProfiles    *cin_application_get_profiles (CinApplication    *self);
/* (nullable) the profile in use; "profile" is notified when a switch
 * starts, before its store closes. */
CinProfile     *cin_application_get_profile  (CinApplication    *self);
/* (nullable) the account profile's engine, once its token was found;
 * "engine" is notified when it comes or goes. */
CinSyncEngine  *cin_application_get_engine   (CinApplication    *self);
/* The other account profiles' sync (NULL until the profiles are open). */
CinBackgroundSync *cin_application_get_background_sync (CinApplication *self);
/* TRUE for an account profile with no token in the keyring ("signed-out"
 * is notified): signing in again starts its sync. */
gboolean        cin_application_get_signed_out (CinApplication *self);
/* Saves what is pending, closes the profile in use and opens @id; "ready"
 * goes FALSE meanwhile. @id the profile in use starts its sync if it was
 * signed out. */
void            cin_application_switch_profile (CinApplication  *self,
                                                const char      *id);
/* Signs the active account out on the server (if it can be reached),
 * forgets its token and switches to the local profile. The profile's
 * folder stays, drafts and all. */
void            cin_application_sign_out     (CinApplication    *self);

G_END_DECLS
