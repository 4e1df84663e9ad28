/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-json-lexer"

#include <string.h>

#include "cin-json-lexer-private.h"

/* Runs of plain characters are taken at once: json-glib's scanner takes
 * a page of the change feed a character at a time, growing a GString for
 * every string, and a pull of thousands of notes spent most of its
 * decoding time there. */

gboolean
_cin_json_lexer_init (CinJsonLexer *lexer,
                      const char   *data,
                      gsize         size,
                      GString      *text)
{
  lexer->p = data;
  lexer->end = data + size;
  lexer->depth = 0;
  lexer->text = text;
  return g_utf8_validate_len (data, size, NULL);
}

void
_cin_json_lexer_skip_space (CinJsonLexer *lexer)
{
  while (lexer->p < lexer->end &&
         (*lexer->p == ' ' || *lexer->p == '\n' || *lexer->p == '\r' || *lexer->p == '\t'))
    lexer->p++;
}

gboolean
_cin_json_lexer_at_end (CinJsonLexer *lexer)
{
  _cin_json_lexer_skip_space (lexer);
  return lexer->p == lexer->end;
}

static gboolean
read_hex4 (CinJsonLexer *lexer,
           gunichar     *value)
{
  *value = 0;
  if (lexer->end - lexer->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (lexer->p[i]);

      if (digit < 0)
        return FALSE;
      *value = (*value << 4) | (gunichar)digit;
    }
  lexer->p += 4;
  return TRUE;
}

static gboolean
read_escape (CinJsonLexer *lexer)
{
  gunichar c, low;
  char utf8[6];

  if (lexer->p >= lexer->end)
    return FALSE;
  switch (*lexer->p++)
    {
    case '"':  g_string_append_c (lexer->text, '"'); return TRUE;
    case '\\': g_string_append_c (lexer->text, '\\'); return TRUE;
    case '/':  g_string_append_c (lexer->text, '/'); return TRUE;
    case 'b':  g_string_append_c (lexer->text, '\b'); return TRUE;
    case 'f':  g_string_append_c (lexer->text, '\f'); return TRUE;
    case 'n':  g_string_append_c (lexer->text, '\n'); return TRUE;
    case 'r':  g_string_append_c (lexer->text, '\r'); return TRUE;
    case 't':  g_string_append_c (lexer->text, '\t'); return TRUE;
    case 'u':
      break;
    default:
      return FALSE;
    }

  if (!read_hex4 (lexer, &c) || c == 0 || (c >= 0xdc00 && c <= 0xdfff))
    return FALSE;
  if (c >= 0xd800 && c <= 0xdbff)
    {
      if (lexer->end - lexer->p < 2 || lexer->p[0] != '\\' || lexer->p[1] != 'u')
        return FALSE;
      lexer->p += 2;
      if (!read_hex4 (lexer, &low) || low < 0xdc00 || low > 0xdfff)
        return FALSE;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
    }
  g_string_append_len (lexer->text, utf8, g_unichar_to_utf8 (c, utf8));
  return TRUE;
}

gboolean
_cin_json_lexer_read_string (CinJsonLexer *lexer)
{
  g_string_truncate (lexer->text, 0);
  if (lexer->p >= lexer->end || *lexer->p != '"')
    return FALSE;
  lexer->p++;

  for (;;)
    {
      const char *run = lexer->p;

      while (lexer->p < lexer->end && *lexer->p != '"' && *lexer->p != '\\' &&
             (guchar)*lexer->p >= 0x20)
        lexer->p++;
      g_string_append_len (lexer->text, run, lexer->p - run);
      if (lexer->p >= lexer->end || (guchar)*lexer->p < 0x20)
        return FALSE;
      if (*lexer->p++ == '"')
        return TRUE;
      if (!read_escape (lexer))
        return FALSE;
    }
}

gboolean
_cin_json_lexer_read_number (CinJsonLexer *lexer,
                             gboolean     *integral,
                             gint64       *integer,
                             double       *real)
{
  const char *start = lexer->p;
  gboolean negative = FALSE;
  guint64 value = 0;
  guint n_digits = 0;

  *integral = TRUE;
  if (lexer->p < lexer->end && *lexer->p == '-')
    {
      negative = TRUE;
      lexer->p++;
    }
  if (lexer->p >= lexer->end || !g_ascii_isdigit (*lexer->p))
    return FALSE;
  if (*lexer->p == '0' && lexer->p + 1 < lexer->end && g_ascii_isdigit (lexer->p[1]))
    return FALSE;
  for (; lexer->p < lexer->end && g_ascii_isdigit (*lexer->p); lexer->p++, n_digits++)
    value = value * 10 + (guint64)(*lexer->p - '0');

  if (lexer->p < lexer->end && *lexer->p == '.')
    {
      *integral = FALSE;
      lexer->p++;
      if (lexer->p >= lexer->end || !g_ascii_isdigit (*lexer->p))
        return FALSE;
      while (lexer->p < lexer->end && g_ascii_isdigit (*lexer->p))
        lexer->p++;
    }
  if (lexer->p < lexer->end && (*lexer->p == 'e' || *lexer->p == 'E'))
    {
      *integral = FALSE;
      lexer->p++;
      if (lexer->p < lexer->end && (*lexer->p == '+' || *lexer->p == '-'))
        lexer->p++;
      if (lexer->p >= lexer->end || !g_ascii_isdigit (*lexer->p))
        return FALSE;
      while (lexer->p < lexer->end && g_ascii_isdigit (*lexer->p))
        lexer->p++;
    }

  if (*integral)
    {
      /* Far from where an int64 could overflow, and from "-0". */
      if (n_digits > 18 || (negative && value == 0))
        return FALSE;
      *integer = negative ? -(gint64)value : (gint64)value;
    }
  else
    {
      g_autofree char *token = g_strndup (start, lexer->p - start);

      *real = g_ascii_strtod (token, NULL);
    }
  return TRUE;
}

gboolean
_cin_json_lexer_read_literal (CinJsonLexer *lexer,
                              const char   *literal)
{
  gsize length = strlen (literal);

  if ((gsize)(lexer->end - lexer->p) < length || memcmp (lexer->p, literal, length) != 0)
    return FALSE;
  lexer->p += length;
  return TRUE;
}

gboolean
_cin_json_lexer_read_list (CinJsonLexer    *lexer,
                           char             close,
                           CinJsonItemFunc  read_item,
                           gpointer         data)
{
  if (lexer->p >= lexer->end || *lexer->p != (close == '}' ? '{' : '[') ||
      lexer->depth == CIN_JSON_LEXER_MAX_DEPTH)
    return FALSE;
  lexer->depth++;
  lexer->p++;
  _cin_json_lexer_skip_space (lexer);
  if (lexer->p < lexer->end && *lexer->p == close)
    {
      lexer->p++;
      lexer->depth--;
      return TRUE;
    }

  for (;;)
    {
      if (!read_item (lexer, data))
        return FALSE;
      _cin_json_lexer_skip_space (lexer);
      if (lexer->p >= lexer->end)
        return FALSE;
      if (*lexer->p++ == close)
        break;
      if (lexer->p[-1] != ',')
        return FALSE;
      _cin_json_lexer_skip_space (lexer);
    }
  lexer->depth--;
  return TRUE;
}

gboolean
_cin_json_lexer_read_name (CinJsonLexer *lexer)
{
  if (!_cin_json_lexer_read_string (lexer))
    return FALSE;
  _cin_json_lexer_skip_space (lexer);
  if (lexer->p >= lexer->end || *lexer->p != ':')
    return FALSE;
  lexer->p++;
  _cin_json_lexer_skip_space (lexer);
  return TRUE;
}

static gboolean
skip_member (CinJsonLexer *lexer,
             gpointer      data)
{
  return _cin_json_lexer_read_name (lexer) && _cin_json_lexer_skip_value (lexer);
}

static gboolean
skip_element (CinJsonLexer *lexer,
              gpointer      data)
{
  return _cin_json_lexer_skip_value (lexer);
}

gboolean
_cin_json_lexer_skip_value (CinJsonLexer *lexer)
{
  gboolean integral;
  gint64 integer;
  double real;

  if (lexer->p >= lexer->end)
    return FALSE;
  switch (*lexer->p)
    {
    case '{':
      return _cin_json_lexer_read_list (lexer, '}', skip_member, NULL);
    case '[':
      return _cin_json_lexer_read_list (lexer, ']', skip_element, NULL);
    case '"':
      return _cin_json_lexer_read_string (lexer);
    case 't':
      return _cin_json_lexer_read_literal (lexer, "true");
    case 'f':
      return _cin_json_lexer_read_literal (lexer, "false");
    case 'n':
      return _cin_json_lexer_read_literal (lexer, "null");
    default:
      return _cin_json_lexer_read_number (lexer, &integral, &integer, &real);
    }
}
