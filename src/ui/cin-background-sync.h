/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-profiles.h"
#include "cin-sync-engine.h"

G_BEGIN_DECLS

/* Keeps the account profiles that are not open in sync, so an agency's
 * other accounts go on syncing while one is open: every
 * CIN_BACKGROUND_SYNC_INTERVAL seconds, one profile after another,
 * it opens the profile's store, runs one sync pass with the token from
 * the keyring (what waits is sent, the feed pulled, photos fetched) and
 * closes the store again. Profiles without a token are left alone.
 *
 * The open profile is the application's own engine's: it is skipped, and
 * a profile about to be opened is released first, so no store is ever
 * open twice. */

#define CIN_BACKGROUND_SYNC_INTERVAL (5 * 60)

#define CIN_TYPE_BACKGROUND_SYNC (cin_background_sync_get_type ())
G_DECLARE_FINAL_TYPE (CinBackgroundSync, cin_background_sync, CIN, BACKGROUND_SYNC, GObject)

/* Prepares a pass's engine for @profile (its media dir, its upload
 * preparer) before it starts. */
typedef void (*CinBackgroundEngineSetup) (CinSyncEngine *engine,
                                          CinProfile    *profile,
                                          gpointer       user_data);

CinBackgroundSync *cin_background_sync_new     (CinProfiles              *profiles,
                                                CinBackgroundEngineSetup  setup,
                                                gpointer                  setup_data);
/* The profile the application has open (NULL for none): never synced
 * here. */
void     cin_background_sync_set_open          (CinBackgroundSync   *self,
                                                const char          *profile_id);
/* Starts passes, one round every interval; called again once started, a
 * round now unless one is under way. The application calls it whenever it
 * has opened a profile, so the one it left is synced soon, and at launch,
 * when none was left, nothing competes with the open profile's sync. */
void     cin_background_sync_start             (CinBackgroundSync   *self);
/* Ends the pass under way, if any, and stops. */
void     cin_background_sync_stop              (CinBackgroundSync   *self);
/* Makes sure no pass holds @profile_id's store: finishes at once, or once
 * the pass on it has stopped and closed its store. */
void     cin_background_sync_release_async     (CinBackgroundSync   *self,
                                                const char          *profile_id,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
void     cin_background_sync_release_finish    (CinBackgroundSync   *self,
                                                GAsyncResult        *result);
/* A pass is under way (for tests). */
gboolean cin_background_sync_get_busy          (CinBackgroundSync   *self);

/* Signals:
 *   synced (const char *profile_id): a pass over that profile ended, its
 *     store closed again. */

G_END_DECLS
