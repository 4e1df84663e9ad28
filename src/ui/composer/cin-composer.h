/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-note.h"
#include "cin-photo-importer.h"
#include "cin-photo-strip.h"
#include "cin-types.h"

G_BEGIN_DECLS

#define CIN_TYPE_COMPOSER (cin_composer_get_type ())
G_DECLARE_FINAL_TYPE (CinComposer, cin_composer, CIN, COMPOSER, GtkWidget)

CinComposer   *cin_composer_new             (void);
void           cin_composer_set_rules       (CinComposer *self,
                                             CinRules    *rules,
                                             CinAdCheck  *ad_check);
CinNote       *cin_composer_get_note        (CinComposer *self);
void           cin_composer_set_note        (CinComposer *self,
                                             CinNote     *note);
/* Where photos are imported and their thumbnails come from. */
void           cin_composer_set_media_library (CinComposer     *self,
                                               CinMediaLibrary *library);
CinPhotoImporter *cin_composer_get_photo_importer (CinComposer  *self);
/* The photos of the open note. */
CinPhotoStrip *cin_composer_get_photo_strip (CinComposer *self);
/* People the creator has mentioned before, then those the account
 * follows (names without '@'). */
void           cin_composer_set_known_mentions (CinComposer        *self,
                                                const char * const *names);
/* The creator's earlier topics, offered as they type a new one. */
void           cin_composer_set_known_topics (CinComposer        *self,
                                              const char * const *topics);
/* The server's topics holding @typed, most used first, in answer to
 * search-topics. */
void           cin_composer_offer_topics    (CinComposer        *self,
                                             const char         *typed,
                                             const char * const *topics);
void           cin_composer_focus_title     (CinComposer *self);
void           cin_composer_warm_fonts      (CinComposer *self);
GtkTextBuffer *cin_composer_get_title_buffer (CinComposer *self);
GtkTextBuffer *cin_composer_get_body_buffer (CinComposer *self);
/* The findings shown now, title first (element type CinFinding). */
GPtrArray     *cin_composer_get_findings    (CinComposer *self);
/* Runs the check now instead of after the typing pause. */
void           cin_composer_check_now       (CinComposer *self);

G_END_DECLS
