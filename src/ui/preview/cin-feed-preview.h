/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-note.h"
#include "cin-photo-source.h"

G_BEGIN_DECLS

/* The note as the platform will show it: its card in the two-column feed,
 * among other cards, and the note opened, photos first. It follows the
 * note as the creator edits it. */


#define CIN_TYPE_FEED_PREVIEW (cin_feed_preview_get_type ())
G_DECLARE_FINAL_TYPE (CinFeedPreview, cin_feed_preview, CIN, FEED_PREVIEW, GtkWidget)

GtkWidget *cin_feed_preview_new             (void);
void       cin_feed_preview_set_note        (CinFeedPreview        *self,
                                             CinNote               *note);
void       cin_feed_preview_set_author      (CinFeedPreview        *self,
                                             const char            *name);
void       cin_feed_preview_set_photo_func  (CinFeedPreview        *self,
                                             CinPhotoPaintableFunc  func,
                                             gpointer               user_data,
                                             GDestroyNotify         destroy);

/* For tests: the card's title as shown, and the opened note's body markup. */
GtkLabel  *cin_feed_preview_get_card_title  (CinFeedPreview        *self);
GtkLabel  *cin_feed_preview_get_body        (CinFeedPreview        *self);

/* The body as the opened note shows it, as Pango markup: the text with
 * @mentions marked, then the topics as links. */
char      *cin_feed_preview_format_body     (CinNote               *note);

G_END_DECLS
