/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Picks when a note goes out: a day and a time, within the platform's
 * limits (1 hour to 14 days ahead by the shipped rules). Emits
 * "schedule" (gint64 at, unix µs) for a time within them, and says so
 * inline otherwise. */

#define CIN_TYPE_SCHEDULE_POPOVER (cin_schedule_popover_get_type ())
G_DECLARE_FINAL_TYPE (CinSchedulePopover, cin_schedule_popover, CIN, SCHEDULE_POPOVER, GtkPopover)

GtkWidget *cin_schedule_popover_new        (void);
/* Also resets the picked time to the earliest allowed, rounded up to
 * five minutes. */
void       cin_schedule_popover_set_limits (CinSchedulePopover *self,
                                            guint               min_seconds,
                                            guint               max_seconds);
/* The picked time, unix µs. */
gint64     cin_schedule_popover_get_time   (CinSchedulePopover *self);

G_END_DECLS
