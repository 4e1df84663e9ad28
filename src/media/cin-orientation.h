/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* Exif orientations 5–8 turn the photo a quarter: its displayed width is
 * its stored height. */
gboolean   cin_orientation_swaps_axes (guint      orientation);
/* @pixbuf as it is meant to be seen; a new reference either way, NULL
 * only when memory runs out. Options such as "icc-profile" travel with it. */
GdkPixbuf *cin_orientation_apply      (GdkPixbuf *pixbuf,
                                       guint      orientation);

G_END_DECLS
