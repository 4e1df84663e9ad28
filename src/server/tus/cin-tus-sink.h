/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends a PATCH body to an upload's .part file as it arrives: small
 * network chunks are gathered into large writes, and closing makes the
 * bytes durable (fsync), so the .part size can be trusted as the upload
 * offset after any crash. */

typedef struct _CinTusSink CinTusSink;

CinTusSink  *cin_tus_sink_open    (const char   *path,
                                   GError      **error);
gboolean     cin_tus_sink_write   (CinTusSink   *sink,
                                   const guint8 *data,
                                   gsize         length,
                                   GError      **error);
/* How many bytes have reached the file (not merely the buffer) so far. */
guint64      cin_tus_sink_get_written (CinTusSink *sink);
/* Writes what is buffered, syncs and closes. The .part then holds every
 * byte written before the first failure; returns that failure, if any. */
gboolean     cin_tus_sink_close   (CinTusSink   *sink,
                                   GError      **error);

G_END_DECLS
