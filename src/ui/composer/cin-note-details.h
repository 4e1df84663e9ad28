/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-note.h"

G_BEGIN_DECLS

/* What a note carries besides its text: topics (as chips, completed from
 * the creator's earlier topics and, through search-topics, the server's),
 * location, visibility and the original
 * content declaration. Edits go straight to the note, so autosave keeps
 * them like any other edit. */

#define CIN_TYPE_NOTE_DETAILS (cin_note_details_get_type ())
G_DECLARE_FINAL_TYPE (CinNoteDetails, cin_note_details, CIN, NOTE_DETAILS, GtkWidget)

GtkWidget *cin_note_details_new              (void);
void       cin_note_details_set_note         (CinNoteDetails     *self,
                                              CinNote            *note);
/* At most this many topics (the platform's limit, from the rules). */
void       cin_note_details_set_max_topics   (CinNoteDetails     *self,
                                              guint               max_topics);
/* The topics offered as the creator types, most used first. */
void       cin_note_details_set_known_topics (CinNoteDetails     *self,
                                              const char * const *topics);
/* The server's topics holding @typed, most used first, in answer to
 * search-topics; shown after the creator's own while the entry still holds
 * @typed. */
void       cin_note_details_offer_topics     (CinNoteDetails     *self,
                                              const char         *typed,
                                              const char * const *topics);
/* Adds @text as a topic (a leading '#' is dropped); FALSE, with the reason
 * shown, when it is empty, already there, or one too many. */
gboolean   cin_note_details_add_topic        (CinNoteDetails     *self,
                                              const char         *text);

G_END_DECLS
