/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Logs go to stderr as one JSON object per line ({"time", "level",
 * "domain", "message", and any other structured field in lower case}),
 * for a log collector to read. Debug lines only with @verbose or
 * G_MESSAGES_DEBUG. Nothing logs a header or a body, so no token or
 * password can reach the log. */
void   cin_server_log_install  (gboolean  verbose);

G_END_DECLS
