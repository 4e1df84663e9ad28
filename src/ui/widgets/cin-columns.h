/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A main column and a side column (its first two children): side by
 * side, the side column side-width wide at the end, when this widget is
 * at least wide-width wide; else the side column below the main one.
 * The choice is made from the width being measured or allocated, so it is
 * right in the same frame; a GtkBox whose orientation is flipped while it
 * is allocated keeps the sizes it was measured with until a later resize,
 * and left the side column hanging off the window. */

#define CIN_TYPE_COLUMNS (cin_columns_get_type ())
G_DECLARE_FINAL_TYPE (CinColumns, cin_columns, CIN, COLUMNS, GtkWidget)

GtkWidget *cin_columns_new (void);

G_END_DECLS
