/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Reading JSON from strangers. json-glib's parser recurses once per level
 * of nesting and keeps going on text that is not UTF-8, so a request body
 * is checked first: valid UTF-8, no \u0000 escape (a note can't hold one,
 * and json-glib would cut the string there), and at most
 * CIN_SERVER_JSON_MAX_DEPTH levels of arrays and objects. */

#define CIN_SERVER_JSON_MAX_DEPTH 32

#define CIN_SERVER_JSON_ERROR (cin_server_json_error_quark ())

typedef enum {
  CIN_SERVER_JSON_ERROR_INVALID_UTF8,
  CIN_SERVER_JSON_ERROR_NUL,
  CIN_SERVER_JSON_ERROR_TOO_DEEP,
  CIN_SERVER_JSON_ERROR_SYNTAX,
  CIN_SERVER_JSON_ERROR_EMPTY,
} CinServerJsonError;

GQuark      cin_server_json_error_quark  (void);

/* Returns the parsed document, or NULL with @error set. */
JsonNode   *cin_server_json_parse        (const char  *data,
                                          gsize        length,
                                          GError     **error);

/* Compact UTF-8 JSON text of @node. */
char       *cin_server_json_to_string    (JsonNode    *node);

/* g_string_append_len() without its generality (GLib 2.74 has no inline
 * fast path): a page is written in a few hundred pieces. */
static inline void
cin_server_json_append_len (GString    *out,
                            const char *data,
                            gsize       len)
{
  if (G_LIKELY (out->len + len < out->allocated_len))
    {
      memcpy (out->str + out->len, data, len);
      out->len += len;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, data, len);
}

/* The same for a string literal, its length known when compiling. */
#define cin_server_json_append_literal(out, literal) \
  cin_server_json_append_len ((out), "" literal, sizeof (literal) - 1)

/* Appends @text (UTF-8) to @out as a JSON string, quotes included, escaped
 * as json-glib's generator escapes it (and U+001F too, which json-glib
 * 1.6 leaves bare), so that a page written around stored JSON reads the
 * same as one json-glib would write. */
void        cin_server_json_append_string (GString    *out,
                                          const char  *text);
/* Appends the decimal digits of @value: what the pages' cursors and
 * revisions are made of, without printf's cost. */
void        cin_server_json_append_int   (GString     *out,
                                          gint64       value);

G_END_DECLS
