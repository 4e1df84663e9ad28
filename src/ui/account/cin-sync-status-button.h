/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include <adwaita.h>

#include "cin-sync-engine.h"

G_BEGIN_DECLS

/* Where an account's sync stands, in a word (Synced, Syncing 2 of 5,
 * Offline, Needs attention), and in its popover what waits to be sent or
 * was refused, with the server's reason and a way to try again. */

#define CIN_TYPE_SYNC_STATUS_BUTTON (cin_sync_status_button_get_type ())
G_DECLARE_FINAL_TYPE (CinSyncStatusButton, cin_sync_status_button, CIN, SYNC_STATUS_BUTTON, GtkWidget)

GtkWidget     *cin_sync_status_button_new        (void);
void           cin_sync_status_button_set_engine (CinSyncStatusButton *self,
                                                  CinSyncEngine       *engine);
/* Signed out: says so, and offers to sign in again (account.sign-in). */
void           cin_sync_status_button_set_signed_out (CinSyncStatusButton *self,
                                                      gboolean             signed_out);
/* The word shown (the "label" property). */
const char    *cin_sync_status_button_get_label  (CinSyncStatusButton *self);
/* How many changes the popover lists as waiting or refused. */
guint          cin_sync_status_button_get_n_waiting (CinSyncStatusButton *self);

G_END_DECLS
