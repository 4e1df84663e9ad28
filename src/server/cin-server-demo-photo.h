/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CIN_DEMO_PHOTO_WIDTH  720
#define CIN_DEMO_PHOTO_HEIGHT 960

/* A photo for the --demo account's notes: a 720×960 JPEG (the platform's
 * 3:4 at its smallest recommended size) washed in @rgb, light from above
 * and a round subject that @variant moves, so notes of one theme look
 * alike and their photos still differ. */
GBytes *_cin_server_demo_photo (guint32 rgb,
                                guint   variant);

G_END_DECLS
