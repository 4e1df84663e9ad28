/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* cinnabar-server, the reference implementation of Cinnabar's HTTP API
 * (docs/api/openapi.yaml), as a value the executable and tests drive. */

typedef struct _CinServer CinServer;

typedef struct {
  const char *data_dir;            /* SQLite database and media */
  gsize       max_body_bytes;      /* larger request bodies answer 413 */
  gint64      tombstone_ttl_usec;  /* how long a deletion stays in the feed */
  gint64      session_ttl_usec;    /* how long a sign-in lasts */
  /* (nullable) A file holding a number of seconds added to the clock,
   * read on every tick, so tests can move time forward; see main. */
  const char *clock_offset_file;
  guint       housekeeping_interval_ms; /* scheduler and pruning tick */
  /* A request's headers must come within this, and its body at least
   * 1 KiB/s over each such span; else 408 (cin-server-timeouts.c). */
  guint       request_timeout_ms;
  guint       idle_timeout_ms;     /* a kept-alive connection's, between requests */
} CinServerConfig;

void         cin_server_config_init      (CinServerConfig *config);

CinServer   *cin_server_new              (const CinServerConfig *config,
                                          GError         **error);
void         cin_server_free             (CinServer       *self);

/* Listens on @address (an IP literal) and @port (0 picks a free one) and
 * returns the port it got, or 0 with @error set. */
guint        cin_server_listen           (CinServer       *self,
                                          const char      *address,
                                          guint            port,
                                          GError         **error);

/* Stops taking requests and calls @done once every request in flight has
 * been answered (or @timeout_ms passed). */
void         cin_server_drain            (CinServer       *self,
                                          guint            timeout_ms,
                                          GSourceFunc      done,
                                          gpointer         user_data);

/* Every route, one "METHOD /path/{template}" line each. */
char        *cin_server_dup_route_list   (void);

/* Creates an account without the HTTP API (the --create-account path). */
gboolean     cin_server_create_account   (CinServer       *self,
                                          const char      *handle,
                                          const char      *password,
                                          GError         **error);

/* Fills the data dir with the demo account (handle "demo", password
 * "cinnabar-demo"), unless it is there already; see cin-server-demo.c. */
gboolean     cin_server_seed_demo        (CinServer       *self,
                                          GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinServer, cin_server_free)

G_END_DECLS
