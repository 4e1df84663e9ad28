/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "cin-note.h"

G_BEGIN_DECLS

/* The one JSON form of a note, shared by the store (`base`), the sync
 * client and cinnabar-server. Times are RFC 3339 strings in UTC with
 * microseconds. Decoding requires id, kind, created_at and updated_at,
 * checks every type, name and time, refuses text that is not valid UTF-8
 * or holds a NUL, and ignores members it does not know. sync_state is
 * local and not part of the JSON. */

#define CIN_NOTE_JSON_ERROR (cin_note_json_error_quark ())

/* Bounds on what a photo list may hold, whatever the rules file says:
 * the rules' own limit (18 photos today) is checked by
 * cin_rules_check_note(). */
#define CIN_NOTE_JSON_MAX_PHOTOS        100
#define CIN_NOTE_JSON_MAX_PHOTO_SIDE    65535
#define CIN_NOTE_JSON_MAX_ID_LENGTH     64

typedef enum {
  CIN_NOTE_JSON_ERROR_INVALID,
} CinNoteJsonError;

GQuark     cin_note_json_error_quark  (void);
JsonNode  *cin_note_to_json           (CinNote      *note);
char      *cin_note_to_json_string    (CinNote      *note);
CinNote   *cin_note_from_json         (JsonNode     *node,
                                       GError      **error);
CinNote   *cin_note_from_json_string  (const char   *json,
                                       GError      **error);

/* Whether JSON text (@length bytes, or up to its NUL when -1) escapes a
 * NUL in a string: json-glib decodes \u0000 and hands back a C string
 * that silently ends there, so readers refuse such text first. */
gboolean   cin_json_has_escaped_nul   (const char   *json,
                                       gssize        length);

/* JSON arrays of strings, as topics and mentions are stored. */
char      *cin_strv_to_json_string    (const char * const *strv);
GStrv      cin_strv_from_json_string  (const char   *json,
                                       GError      **error);

G_END_DECLS
