/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The cancellable one request runs with: cancelled when the caller's is,
 * or when its timer runs out. libsoup's own timeout is per read or write,
 * which a server that stalls mid-answer, or trickles bytes, gets round;
 * a call arms the timer once for the whole exchange, a download again as
 * each piece arrives. */
typedef struct {
  GCancellable *cancellable;  /* (owned) */
  GCancellable *caller;       /* (owned) (nullable) */
  gulong        caller_handler;
  GSource      *timer;        /* (owned) (nullable) until first armed */
  gboolean      timed_out;    /* the timer, not the caller, cancelled */
} CinApiWatch;

void _cin_api_watch_init  (CinApiWatch  *watch,
                           GCancellable *caller);
/* (Re)starts the timer: @seconds from now; 0 stops it. Cheap enough for
 * every chunk of a transfer: one source, its deadline moved. */
void _cin_api_watch_arm   (CinApiWatch  *watch,
                           guint         seconds);
void _cin_api_watch_clear (CinApiWatch  *watch);

G_END_DECLS
