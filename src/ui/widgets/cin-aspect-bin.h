/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One child, always exactly @ratio (width / height) in shape: as wide as
 * it is given, and as tall as that width asks for. GtkAspectFrame keeps a
 * shape inside what it is given but asks for no height of its own, so an
 * empty cover in a list would be drawn zero pixels tall. */

#define CIN_TYPE_ASPECT_BIN (cin_aspect_bin_get_type ())
G_DECLARE_FINAL_TYPE (CinAspectBin, cin_aspect_bin, CIN, ASPECT_BIN, GtkWidget)

GtkWidget *cin_aspect_bin_new       (double     ratio);
void       cin_aspect_bin_set_child (CinAspectBin *self,
                                     GtkWidget    *child);
GtkWidget *cin_aspect_bin_get_child (CinAspectBin *self);
void       cin_aspect_bin_set_ratio (CinAspectBin *self,
                                     double        ratio);
double     cin_aspect_bin_get_ratio (CinAspectBin *self);

G_END_DECLS
