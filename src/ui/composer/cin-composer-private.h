/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-composer.h"
#include "cin-finding.h"
#include "cin-findings-view.h"
#include "cin-mention-bar.h"
#include "cin-note-details.h"

G_BEGIN_DECLS

/* What a note is typed in, for cin_composer_warm_fonts(): Chinese with its
 * full-width punctuation, Latin letters and digits, and emoji, each from a
 * font of its own. */
#define CIN_COMPOSER_FONT_SAMPLE "春日穿搭分享，好看！Outfit 2026 #OOTD @小红书 🌸✨"

/* For tests: the pieces a creator reads. */
GtkLabel        *_cin_composer_get_counter       (CinComposer *self,
                                                  CinField     field);
CinFindingsView *_cin_composer_get_findings_view (CinComposer *self);
GtkTextView     *_cin_composer_get_title_view    (CinComposer *self);
GtkTextView     *_cin_composer_get_body_view     (CinComposer *self);
GtkMenuButton   *_cin_composer_get_emoji_button  (CinComposer *self);
CinNoteDetails  *_cin_composer_get_details       (CinComposer *self);
CinMentionBar   *_cin_composer_get_mention_bar   (CinComposer *self);

G_END_DECLS
