/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real cinnabar-server (the binary in $CINNABAR_SERVER) on 127.0.0.1,
 * port 0, with a fresh data dir and one account. The binary is
 * $CINNABAR_SERVER when set, else the one meson built. */

#define SYNC_TEST_HANDLE   "alice"
#define SYNC_TEST_PASSWORD "correct horse battery"

typedef struct {
  GSubprocess *process;
  char        *data_dir;
  char        *base_uri;  /* http://127.0.0.1:PORT/ */
} SyncTestServer;

/* Extra server arguments, NULL-terminated. */
SyncTestServer *sync_test_server_start (const char     *first_arg,
                                        ...);
void            sync_test_server_stop  (SyncTestServer *server);

/* Runs the default main context until *@result is set. */
void            sync_test_wait         (GAsyncResult  **result);
void            sync_test_store_result (GObject        *source,
                                        GAsyncResult   *result,
                                        gpointer        user_data);

G_END_DECLS
