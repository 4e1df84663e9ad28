/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long uploads started from now on keep asking again while the
 * server answers 409 or 423 (microseconds; 0 restores the default), so
 * tests can reach the end of it. */
void _cin_tus_client_set_retry_period (gint64 usec);

G_END_DECLS
