/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The Orientation tag (1–8) of an Exif block, from its TIFF header on (a
 * JPEG's APP1 after "Exif\0\0", a PNG's eXIf chunk). 1, "as stored", when
 * the tag is absent or the block is unreadable: a photo is never refused
 * for its metadata. */
guint cin_exif_get_orientation (const guint8 *tiff,
                                gsize         len);

G_END_DECLS
