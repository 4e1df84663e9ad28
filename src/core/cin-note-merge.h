/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-note.h"

G_BEGIN_DECLS

/* The three-way merge the sync engine runs when the server refuses an
 * edit with 412: @base is the note as both sides last agreed on it (NULL
 * when this client never synced it), @local what the creator has now,
 * @remote what the server has now. Each field takes the side that changed
 * it. When both sides changed the same text field (title, body, location)
 * to different text there is no safe merge: the result is then @remote
 * as it is and *@conflict is TRUE, and the caller keeps @local as a
 * conflict copy, so neither side's words are dropped.
 *
 * Topics and mentions merge as sets (an item added on either side is in,
 * one removed on either side is out), photos as a list by photo id in the
 * server's order, with the local side's additions after it, and for each
 * photo the alt text and crop of whichever side changed them. Other
 * fields the creator sets (visibility, originality, schedule) take the
 * local change when only the local side changed them, else the server's;
 * the publishing state and the revision are the server's. The result has
 * @local's id. */
CinNote *cin_note_merge (CinNote  *base,
                         CinNote  *local,
                         CinNote  *remote,
                         gboolean *conflict);

/* Whether @a and @b hold the same content: every field a creator or the
 * server sets, the photos included; not the revision, the sync state or
 * updated_at. */
gboolean cin_note_same_content (CinNote *a,
                                CinNote *b);

G_END_DECLS
