/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-photo-source.h"
#include "cin-note.h"

G_BEGIN_DECLS

/* A photo note's photos, in order: the first is the cover. Photos are
 * reordered by dragging or with Alt+←/→ (and buttons), cropped to 3:4,
 * 1:1 or 4:3, described with alt text (a photo without any says so), and
 * removed. Adding is the composer's work: the strip asks for it with
 * "add-photos" (its button), "import-files" (files dropped on it) and
 * "import-texture" (an image without a file dropped on it), and reports
 * "photo-removed" so the window can offer to undo. */

#define CIN_TYPE_PHOTO_STRIP (cin_photo_strip_get_type ())
G_DECLARE_FINAL_TYPE (CinPhotoStrip, cin_photo_strip, CIN, PHOTO_STRIP, GtkWidget)

GtkWidget *cin_photo_strip_new            (void);
void       cin_photo_strip_set_note       (CinPhotoStrip         *self,
                                           CinNote               *note);
/* The most photos a note may have (from the rules). */
void       cin_photo_strip_set_max_photos (CinPhotoStrip         *self,
                                           guint                  max_photos);
void       cin_photo_strip_set_photo_func (CinPhotoStrip         *self,
                                           CinPhotoPaintableFunc  func,
                                           gpointer               user_data,
                                           GDestroyNotify         destroy);
/* The photo whose crop and description are being edited, or -1. */
int        cin_photo_strip_get_selected   (CinPhotoStrip         *self);
void       cin_photo_strip_select         (CinPhotoStrip         *self,
                                           int                    position);
/* Moves the selected photo by @delta places, as Alt+←/→ do. */
void       cin_photo_strip_move_selected  (CinPhotoStrip         *self,
                                           int                    delta);
void       cin_photo_strip_remove_selected (CinPhotoStrip        *self);

G_END_DECLS
