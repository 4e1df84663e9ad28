/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-sync-engine.h"

G_BEGIN_DECLS

/* The wait before retry number @attempts (1 for the first), in ms: a
 * random time up to min(@max_ms, @base_ms × 2^(@attempts − 1)). */
gint64 _cin_sync_backoff_delay_ms (guint attempts,
                                   guint base_ms,
                                   guint max_ms);

/* Tests: how long a follow list counts as fresh, in µs; 0 asks at the
 * end of every run. */
void   _cin_sync_engine_set_following_interval (CinSyncEngine *self,
                                                gint64         interval_usec);

G_END_DECLS
