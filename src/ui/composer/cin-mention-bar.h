/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Completes @mentions in a text view: while the word at the cursor is an
 * '@' and the start of a name, the people the creator has mentioned before
 * show as buttons; one click (or Tab to it, then Enter) puts "@name " in
 * place of what was typed. Shown under the text view it serves. */

#define CIN_TYPE_MENTION_BAR (cin_mention_bar_get_type ())
G_DECLARE_FINAL_TYPE (CinMentionBar, cin_mention_bar, CIN, MENTION_BAR, GtkWidget)

GtkWidget *cin_mention_bar_new        (void);
void       cin_mention_bar_set_view   (CinMentionBar      *self,
                                       GtkTextView        *view);
/* Names without the '@', most used first. */
void       cin_mention_bar_set_known  (CinMentionBar      *self,
                                       const char * const *names);
/* What the bar offers now (names), for tests. */
GStrv      cin_mention_bar_dup_offered (CinMentionBar     *self);
/* Completes the word at the cursor with @name, as a click on it does. */
void       cin_mention_bar_complete   (CinMentionBar      *self,
                                       const char         *name);

G_END_DECLS
