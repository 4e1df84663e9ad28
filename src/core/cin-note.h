/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-photo.h"
#include "cin-types.h"

G_BEGIN_DECLS

typedef enum {
  CIN_NOTE_KIND_PHOTO,
  CIN_NOTE_KIND_VIDEO,
} CinNoteKind;

typedef enum {
  CIN_VISIBILITY_PUBLIC,
  CIN_VISIBILITY_ONLY_ME,
  CIN_VISIBILITY_MUTUAL,
} CinVisibility;

typedef enum {
  CIN_NOTE_STATE_DRAFT,
  CIN_NOTE_STATE_SCHEDULED,
  CIN_NOTE_STATE_PUBLISHED,
  CIN_NOTE_STATE_FAILED,
} CinNoteState;

typedef enum {
  CIN_SYNC_STATE_CREATED,
  CIN_SYNC_STATE_MODIFIED,
  CIN_SYNC_STATE_SYNCED,
  CIN_SYNC_STATE_DELETED,
} CinSyncState;

#define CIN_TYPE_NOTE (cin_note_get_type ())
G_DECLARE_FINAL_TYPE (CinNote, cin_note, CIN, NOTE, GObject)

CinNote       *cin_note_new                (CinNoteKind    kind);
CinNote       *cin_note_new_with_id        (const char    *id,
                                            CinNoteKind    kind);
CinNote       *cin_note_copy               (CinNote       *self);
CinNote       *cin_note_duplicate          (CinNote       *self);

const char    *cin_note_get_id             (CinNote       *self);
CinNoteKind    cin_note_get_kind           (CinNote       *self);
const char    *cin_note_get_title          (CinNote       *self);
void           cin_note_set_title          (CinNote       *self,
                                            const char    *title);
const char    *cin_note_get_body           (CinNote       *self);
void           cin_note_set_body           (CinNote       *self,
                                            const char    *body);
const char * const *cin_note_get_topics    (CinNote       *self);
void           cin_note_set_topics         (CinNote       *self,
                                            const char * const *topics);
const char * const *cin_note_get_mentions  (CinNote       *self);
void           cin_note_set_mentions       (CinNote       *self,
                                            const char * const *mentions);
const char    *cin_note_get_location       (CinNote       *self);
void           cin_note_set_location       (CinNote       *self,
                                            const char    *location);
CinVisibility  cin_note_get_visibility     (CinNote       *self);
void           cin_note_set_visibility     (CinNote       *self,
                                            CinVisibility  visibility);
gboolean       cin_note_get_original       (CinNote       *self);
void           cin_note_set_original       (CinNote       *self,
                                            gboolean       original);
CinNoteState   cin_note_get_state          (CinNote       *self);
void           cin_note_set_state          (CinNote       *self,
                                            CinNoteState   state);
gint64         cin_note_get_scheduled_at   (CinNote       *self);
void           cin_note_set_scheduled_at   (CinNote       *self,
                                            gint64         scheduled_at);
gint64         cin_note_get_created_at     (CinNote       *self);
void           cin_note_set_created_at     (CinNote       *self,
                                            gint64         created_at);
gint64         cin_note_get_updated_at     (CinNote       *self);
void           cin_note_set_updated_at     (CinNote       *self,
                                            gint64         updated_at);
const char    *cin_note_get_rev            (CinNote       *self);
void           cin_note_set_rev            (CinNote       *self,
                                            const char    *rev);
CinSyncState   cin_note_get_sync_state     (CinNote       *self);
void           cin_note_set_sync_state     (CinNote       *self,
                                            CinSyncState   sync_state);

/* The photos (CinPhoto), in order; the first is the cover. */
GPtrArray     *cin_note_get_photos         (CinNote       *self);
guint          cin_note_get_n_photos       (CinNote       *self);
CinPhoto      *cin_note_get_photo          (CinNote       *self,
                                            guint          position);
void           cin_note_set_photos         (CinNote       *self,
                                            GPtrArray     *photos);
void           cin_note_insert_photo       (CinNote       *self,
                                            guint          position,
                                            CinPhoto      *photo);
void           cin_note_replace_photo      (CinNote       *self,
                                            guint          position,
                                            CinPhoto      *photo);
void           cin_note_remove_photo       (CinNote       *self,
                                            guint          position);
void           cin_note_move_photo         (CinNote       *self,
                                            guint          from,
                                            guint          to);
/* The position of the photo with this content, or -1. */
int            cin_note_find_photo         (CinNote       *self,
                                            const char    *sha256);
gboolean       cin_note_is_empty           (CinNote       *self);

const char    *cin_note_kind_to_string     (CinNoteKind    kind);
gboolean       cin_note_kind_from_string   (const char    *str,
                                            CinNoteKind   *kind);
const char    *cin_visibility_to_string    (CinVisibility  visibility);
gboolean       cin_visibility_from_string  (const char    *str,
                                            CinVisibility *visibility);
const char    *cin_note_state_to_string    (CinNoteState   state);
gboolean       cin_note_state_from_string  (const char    *str,
                                            CinNoteState  *state);
const char    *cin_sync_state_to_string    (CinSyncState   sync_state);
gboolean       cin_sync_state_from_string  (const char    *str,
                                            CinSyncState  *sync_state);

G_END_DECLS
