/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-types.h"

G_BEGIN_DECLS

/* What the draft box shows of a note: its title, the start of its first
 * line and its times. A list of thousands holds these rather than whole
 * notes, so it costs little memory and loads fast; the note itself is
 * loaded when the creator opens it. */

#define CIN_NOTE_EXCERPT_CHARS 80

typedef enum {
  CIN_NOTE_SORT_UPDATED,  /* newest edit first */
  CIN_NOTE_SORT_CREATED,  /* newest first */
  CIN_NOTE_SORT_TITLE,    /* by title, in the collation of the locale */
} CinNoteSort;

/* Where a note stands with the server, as a row shows it. */
typedef enum {
  CIN_NOTE_SYNC_LOCAL,     /* never synced */
  CIN_NOTE_SYNC_SYNCED,
  CIN_NOTE_SYNC_CHANGED,   /* edited since it was last synced */
  CIN_NOTE_SYNC_REFUSED,   /* the server refused a change; it waits for the creator */
  CIN_NOTE_SYNC_CONFLICT,  /* the local copy kept when both sides changed the note */
} CinNoteSyncStatus;

#define CIN_TYPE_NOTE_SUMMARY (cin_note_summary_get_type ())
G_DECLARE_FINAL_TYPE (CinNoteSummary, cin_note_summary, CIN, NOTE_SUMMARY, GObject)

/* @body_start may be the whole body or only its start: the excerpt needs
 * no more than its first CIN_NOTE_EXCERPT_CHARS + 1 characters after any
 * leading blank lines. */
CinNoteSummary *cin_note_summary_new            (const char     *id,
                                                 const char     *title,
                                                 const char     *body_start,
                                                 gint64          created_at,
                                                 gint64          updated_at);
CinNoteSummary *cin_note_summary_new_from_note  (CinNote        *note);
/* Brings title, excerpt and times up to date with @note (same id),
 * notifying only what changed. */
void            cin_note_summary_update         (CinNoteSummary *self,
                                                 CinNote        *note);

/* The id stays at the same address for the life of @self, so a table
 * may use it as a key without a copy. */
const char     *cin_note_summary_get_id         (CinNoteSummary *self);
const char     *cin_note_summary_get_title      (CinNoteSummary *self);
/* The first line of the body, cut at CIN_NOTE_EXCERPT_CHARS with "…". */
const char     *cin_note_summary_get_excerpt    (CinNoteSummary *self);
gint64          cin_note_summary_get_created_at (CinNoteSummary *self);
gint64          cin_note_summary_get_updated_at (CinNoteSummary *self);
/* Brings every field of @self up to date with @other (same id, listed
 * again from the store), notifying only what changed. */
void            cin_note_summary_assign         (CinNoteSummary *self,
                                                 CinNoteSummary *other);

/* The note's publishing state (CinNoteState) and sync status. Both are
 * properties ("state", "sync-status"), notified when they change. */
int             cin_note_summary_get_state      (CinNoteSummary *self);
CinNoteSyncStatus cin_note_summary_get_sync_status (CinNoteSummary *self);
/* From the store's columns: sync_state, whether a refused (parked)
 * outbox row waits, whether the note is a conflict copy. */
void            cin_note_summary_set_sync       (CinNoteSummary *self,
                                                 int             state,
                                                 int             sync_state,
                                                 gboolean        refused,
                                                 gboolean        conflict_copy);
/* g_utf8_collate_key() of the title, made once per title (on first use)
 * rather than collating on every comparison; NULL for an untitled note. */
const char     *cin_note_summary_get_title_key  (CinNoteSummary *self);

/* The order of the draft box: -1 when @a goes first. */
int             cin_note_summary_compare        (CinNoteSummary *a,
                                                 CinNoteSummary *b,
                                                 CinNoteSort     sort);

G_END_DECLS
