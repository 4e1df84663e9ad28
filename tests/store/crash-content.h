/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the crash child types, derived only from (note, run, step), so the
 * parent can rebuild the exact bytes of any version it finds on disk. */

char     *crash_content_note_id (guint        index);
char     *crash_content_title   (guint        index,
                                 guint        run,
                                 guint        step);
char     *crash_content_body    (guint        index,
                                 guint        run,
                                 guint        step);
gboolean  crash_content_parse_title (const char *title,
                                     guint      *index,
                                     guint      *run,
                                     guint      *step);

G_END_DECLS
