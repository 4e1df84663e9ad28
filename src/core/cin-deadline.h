/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A source due at its ready time (g_source_set_ready_time(), monotonic
 * µs), which then waits, ready time -1, until given another: a deadline
 * that can be moved without making a new source each time, and exact to
 * the microsecond where g_timeout_add() counts whole milliseconds from
 * the start of a loop iteration. Not attached. */
GSource *cin_deadline_source_new (const char  *name,
                                  GSourceFunc  func,
                                  gpointer     data);

G_END_DECLS
