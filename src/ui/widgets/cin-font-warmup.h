/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Loads, in a worker thread, the fonts @widget would draw @sample with.
 *
 * A note's first Chinese character or emoji otherwise makes the main
 * thread find its fallback font, read it from disk and parse it: for a
 * 20 MB CJK collection that is a 10–25 ms stall on the first keystroke.
 * The worker lays @sample out, and draws it, with @widget's font,
 * language and font options in a Pango font map of its own. What that
 * leaves is shared with the main thread: the font files in the page
 * cache (read whole, so no later character waits on the disk either),
 * and the FreeType faces cairo keeps open per font file.
 *
 * Finishes with the font files it read, sorted. */
void    cin_font_warmup_async  (GtkWidget           *widget,
                                const char          *sample,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
char  **cin_font_warmup_finish (GAsyncResult        *result,
                                GError             **error);

G_END_DECLS
