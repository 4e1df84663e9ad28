/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The tokens of strict JSON, for the client's fast readers (a json-glib
 * tree, cin-api-json.c; a page of the change feed, cin-api-changes-reader.c).
 * Each call reads one token at p and moves past it, or returns FALSE on
 * anything a strict reader gives up on: the caller then leaves the text to
 * json-glib, which also words the error. Given up on, besides what is not
 * JSON: \u0000, a lone surrogate, an integer json-glib might read otherwise
 * (over 18 digits, -0), and nesting deeper than CIN_JSON_LEXER_MAX_DEPTH. */

#define CIN_JSON_LEXER_MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
  GString    *text;   /* the last string read, unescaped */
} CinJsonLexer;

/* FALSE when @size bytes at @data are not UTF-8 (then nothing is read). */
gboolean        _cin_json_lexer_init         (CinJsonLexer *lexer,
                                              const char   *data,
                                              gsize         size,
                                              GString      *text);
void            _cin_json_lexer_skip_space   (CinJsonLexer *lexer);
/* Whether only white space is left. */
gboolean        _cin_json_lexer_at_end       (CinJsonLexer *lexer);
/* A string, unescaped into lexer->text. */
gboolean        _cin_json_lexer_read_string  (CinJsonLexer *lexer);
/* A number: *@integral says which of @integer and @real holds it (a real
 * is read as g_ascii_strtod() reads it). */
gboolean        _cin_json_lexer_read_number  (CinJsonLexer *lexer,
                                              gboolean     *integral,
                                              gint64       *integer,
                                              double       *real);
gboolean        _cin_json_lexer_read_literal (CinJsonLexer *lexer,
                                              const char   *literal);
/* At '{' (@close '}') or '[' (@close ']'): reads the list to its end,
 * calling @read_item for each member (at its name) or element, which
 * reads it whole; FALSE when that does or the list is not well formed. */
typedef gboolean (*CinJsonItemFunc) (CinJsonLexer *lexer,
                                     gpointer      data);

gboolean        _cin_json_lexer_read_list    (CinJsonLexer    *lexer,
                                              char             close,
                                              CinJsonItemFunc  read_item,
                                              gpointer         data);
/* A member's name and its ':', the name in lexer->text. */
gboolean        _cin_json_lexer_read_name    (CinJsonLexer *lexer);
/* Reads past any one value, checking it as strictly. */
gboolean        _cin_json_lexer_skip_value   (CinJsonLexer *lexer);

G_END_DECLS
