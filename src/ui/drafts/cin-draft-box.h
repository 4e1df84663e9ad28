/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-note.h"
#include "cin-note-summary.h"
#include "cin-store.h"

G_BEGIN_DECLS

/* The list of drafts: summaries (CinNoteSummary) of every note, searched
 * as you type, sorted by updated, created or title. The note open in the
 * composer is watched, so its row follows the edits before they are saved.
 * Emits "draft-activated" (CinNoteSummary *) when the creator picks one. */

#define CIN_TYPE_DRAFT_BOX (cin_draft_box_get_type ())
G_DECLARE_FINAL_TYPE (CinDraftBox, cin_draft_box, CIN, DRAFT_BOX, GtkWidget)

GtkWidget *cin_draft_box_new              (void);
/* Loads the drafts of @store off the main thread: "loaded" turns TRUE
 * when the list shows its first page, "complete" once every draft is in. */
void       cin_draft_box_load             (CinDraftBox *self,
                                           CinStore    *store);
gboolean   cin_draft_box_get_loaded       (CinDraftBox *self);
gboolean   cin_draft_box_get_complete     (CinDraftBox *self);
void       cin_draft_box_set_sort         (CinDraftBox *self,
                                           CinNoteSort  sort);
CinNoteSort cin_draft_box_get_sort        (CinDraftBox *self);
/* Searches in the store, off the main thread; NULL or blank shows all. */
void       cin_draft_box_set_search_text  (CinDraftBox *self,
                                           const char  *text);
/* TRUE while the store has not answered the newest search yet. */
gboolean   cin_draft_box_get_searching    (CinDraftBox *self);
/* Lists a note not listed yet (a new or restored draft). */
void       cin_draft_box_add              (CinDraftBox *self,
                                           CinNote     *note);
void       cin_draft_box_remove           (CinDraftBox *self,
                                           const char  *id);
CinNoteSummary *cin_draft_box_find        (CinDraftBox *self,
                                           const char  *id);
/* Selects the row of @note (or none) and follows its edits. */
void       cin_draft_box_select           (CinDraftBox *self,
                                           CinNote     *note);
/* Lists the store's drafts again and brings the rows up to date in place
 * (after sync changed notes), keeping the selection and scroll. */
void       cin_draft_box_refresh          (CinDraftBox *self);
/* Whether rows show the notes' sync state (account profiles). */
void       cin_draft_box_set_show_sync    (CinDraftBox *self,
                                           gboolean     show_sync);
/* Every draft (GListModel of CinNoteSummary), before search and sort. */
GListModel *cin_draft_box_get_drafts      (CinDraftBox *self);
/* The drafts as listed: searched and sorted. */
GListModel *cin_draft_box_get_shown       (CinDraftBox *self);

G_END_DECLS
