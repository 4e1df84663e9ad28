/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-note.h"

G_BEGIN_DECLS

/* A note's members as a JSON reader found them, before their values are
 * checked: cin_note_from_json() fills this from a json-glib tree, and the
 * sync client's reader of the change feed from the text itself. Both
 * readers check the JSON types (a string where a string belongs); the
 * values are checked once, here, so the two can never disagree on what a
 * valid note is. Strings are borrowed; NULL is a missing member (or
 * null, where null is allowed). */

typedef struct {
  const char *id;
  const char *sha256;
  const char *mime;
  const char *crop;       /* NULL: no crop */
  const char *alt_text;
  gint64      width;      /* -1 when missing or not a whole number */
  gint64      height;
  double      crop_x;     /* 0.5 when missing, -1 when not a number */
  double      crop_y;
} CinPhotoFields;

typedef struct {
  const char           *id;
  const char           *kind;
  const char           *title;
  const char           *body;
  const char * const   *topics;
  const char * const   *mentions;
  const char           *location;
  const char           *visibility;
  const char           *state;
  const char           *scheduled_at;  /* RFC 3339 text */
  const char           *created_at;
  const char           *updated_at;
  const char           *rev;
  gboolean              original;
  const CinPhotoFields *photos;
  guint                 n_photos;
} CinNoteFields;

/* The note @fields describe, or NULL with CIN_NOTE_JSON_ERROR_INVALID
 * saying which value is wrong. */
CinNote *cin_note_from_fields (const CinNoteFields  *fields,
                               GError              **error);

/* Every string of @strv is text a note can hold; else
 * CIN_NOTE_JSON_ERROR_INVALID naming @member. */
gboolean cin_note_fields_check_strv (const char          *member,
                                     const char * const  *strv,
                                     GError             **error);

G_END_DECLS
