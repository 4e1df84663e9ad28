/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-note.h"
#include "cin-note-summary.h"

G_BEGIN_DECLS

#define CIN_TYPE_DRAFT_ROW (cin_draft_row_get_type ())
G_DECLARE_FINAL_TYPE (CinDraftRow, cin_draft_row, CIN, DRAFT_ROW, GtkWidget)

GtkWidget      *cin_draft_row_new         (void);
CinNoteSummary *cin_draft_row_dup_summary (CinDraftRow    *self);
void            cin_draft_row_set_summary (CinDraftRow    *self,
                                           CinNoteSummary *summary);
/* "Today 14:05"-style stamp of @time (unix µs), relative to @now. */
char      *cin_draft_row_format_time (gint64 time,
                                      gint64 now);

G_END_DECLS
