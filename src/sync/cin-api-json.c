/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-json"

#include <string.h>

#include "cin-api-json-private.h"

/* A JSON reader for the server's answers, building the same tree as
 * json-glib's parser with json-glib's own nodes. json-glib's scanner
 * takes a page of the change feed a character at a time, growing a
 * GString for every string; this reads runs of plain characters at once,
 * and a pull of thousands of notes spends most of its decoding time
 * there. It reads strict JSON only and gives up on anything unusual
 * (a duplicate member, a lone surrogate, U+0000, an integer json-glib
 * might read otherwise, deep nesting): the caller then asks json-glib,
 * which also words the error when the text is not JSON. */

#define MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
  GString    *text;   /* the string being read */
} Reader;

static JsonNode *read_value (Reader *reader);

static void
skip_space (Reader *reader)
{
  while (reader->p < reader->end &&
         (*reader->p == ' ' || *reader->p == '\n' || *reader->p == '\r' || *reader->p == '\t'))
    reader->p++;
}

static gboolean
read_hex4 (Reader   *reader,
           gunichar *value)
{
  *value = 0;
  if (reader->end - reader->p < 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (reader->p[i]);

      if (digit < 0)
        return FALSE;
      *value = (*value << 4) | (gunichar)digit;
    }
  reader->p += 4;
  return TRUE;
}

static gboolean
read_escape (Reader *reader)
{
  gunichar c, low;
  char utf8[6];

  if (reader->p >= reader->end)
    return FALSE;
  switch (*reader->p++)
    {
    case '"':  g_string_append_c (reader->text, '"'); return TRUE;
    case '\\': g_string_append_c (reader->text, '\\'); return TRUE;
    case '/':  g_string_append_c (reader->text, '/'); return TRUE;
    case 'b':  g_string_append_c (reader->text, '\b'); return TRUE;
    case 'f':  g_string_append_c (reader->text, '\f'); return TRUE;
    case 'n':  g_string_append_c (reader->text, '\n'); return TRUE;
    case 'r':  g_string_append_c (reader->text, '\r'); return TRUE;
    case 't':  g_string_append_c (reader->text, '\t'); return TRUE;
    case 'u':
      break;
    default:
      return FALSE;
    }

  if (!read_hex4 (reader, &c) || c == 0 || (c >= 0xdc00 && c <= 0xdfff))
    return FALSE;
  if (c >= 0xd800 && c <= 0xdbff)
    {
      if (reader->end - reader->p < 2 || reader->p[0] != '\\' || reader->p[1] != 'u')
        return FALSE;
      reader->p += 2;
      if (!read_hex4 (reader, &low) || low < 0xdc00 || low > 0xdfff)
        return FALSE;
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
    }
  g_string_append_len (reader->text, utf8, g_unichar_to_utf8 (c, utf8));
  return TRUE;
}

/* Into reader->text; _cin_api_json_read() checked the text is UTF-8. */
static gboolean
read_string (Reader *reader)
{
  g_string_truncate (reader->text, 0);
  if (reader->p >= reader->end || *reader->p != '"')
    return FALSE;
  reader->p++;

  for (;;)
    {
      const char *run = reader->p;

      while (reader->p < reader->end && *reader->p != '"' && *reader->p != '\\' &&
             (guchar)*reader->p >= 0x20)
        reader->p++;
      g_string_append_len (reader->text, run, reader->p - run);
      if (reader->p >= reader->end || (guchar)*reader->p < 0x20)
        return FALSE;
      if (*reader->p++ == '"')
        return TRUE;
      if (!read_escape (reader))
        return FALSE;
    }
}

static JsonNode *
read_number (Reader *reader)
{
  const char *start = reader->p;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  guint64 value = 0;
  guint n_digits = 0;
  JsonNode *node;

  if (reader->p < reader->end && *reader->p == '-')
    {
      negative = TRUE;
      reader->p++;
    }
  if (reader->p >= reader->end || !g_ascii_isdigit (*reader->p))
    return NULL;
  if (*reader->p == '0' && reader->p + 1 < reader->end && g_ascii_isdigit (reader->p[1]))
    return NULL;
  for (; reader->p < reader->end && g_ascii_isdigit (*reader->p); reader->p++, n_digits++)
    value = value * 10 + (guint64)(*reader->p - '0');

  if (reader->p < reader->end && *reader->p == '.')
    {
      integral = FALSE;
      reader->p++;
      if (reader->p >= reader->end || !g_ascii_isdigit (*reader->p))
        return NULL;
      while (reader->p < reader->end && g_ascii_isdigit (*reader->p))
        reader->p++;
    }
  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      integral = FALSE;
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      if (reader->p >= reader->end || !g_ascii_isdigit (*reader->p))
        return NULL;
      while (reader->p < reader->end && g_ascii_isdigit (*reader->p))
        reader->p++;
    }

  node = json_node_alloc ();
  if (integral)
    {
      /* Far from where an int64 could overflow, and from "-0". */
      if (n_digits > 18 || (negative && value == 0))
        {
          json_node_unref (node);
          return NULL;
        }
      json_node_init_int (node, negative ? -(gint64)value : (gint64)value);
    }
  else
    {
      g_autofree char *token = g_strndup (start, reader->p - start);

      json_node_init_double (node, g_ascii_strtod (token, NULL));
    }
  return node;
}

static gboolean
read_literal (Reader     *reader,
              const char *literal)
{
  gsize length = strlen (literal);

  if ((gsize)(reader->end - reader->p) < length || memcmp (reader->p, literal, length) != 0)
    return FALSE;
  reader->p += length;
  return TRUE;
}

/* Past an object's or array's opening: TRUE when @close follows at once
 * (empty, and read). */
static gboolean
open_list (Reader *reader,
           char    close)
{
  reader->p++;
  skip_space (reader);
  if (reader->p < reader->end && *reader->p == close)
    {
      reader->p++;
      return TRUE;
    }
  return FALSE;
}

typedef enum {
  LIST_MORE,  /* a ',' was read: another member or element follows */
  LIST_END,   /* @close was read */
  LIST_BAD,
} ListStep;

/* After a member or element. */
static ListStep
next_in_list (Reader *reader,
              char    close)
{
  skip_space (reader);
  if (reader->p >= reader->end)
    return LIST_BAD;
  if (*reader->p == close)
    {
      reader->p++;
      return LIST_END;
    }
  if (*reader->p != ',')
    return LIST_BAD;
  reader->p++;
  skip_space (reader);
  return LIST_MORE;
}

static JsonNode *
read_object (Reader *reader)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  JsonObject *object = json_object_new ();

  json_node_init_object (node, object);
  json_object_unref (object);
  if (open_list (reader, '}'))
    return g_steal_pointer (&node);

  for (;;)
    {
      g_autofree char *name = NULL;
      guint size = json_object_get_size (object);
      JsonNode *member;

      if (!read_string (reader))
        return NULL;
      name = g_strndup (reader->text->str, reader->text->len);
      skip_space (reader);
      if (reader->p >= reader->end || *reader->p != ':')
        return NULL;
      reader->p++;
      skip_space (reader);
      member = read_value (reader);
      if (member == NULL)
        return NULL;
      json_node_set_parent (member, node);
      json_object_set_member (object, name, member);
      /* A name seen before replaced its member. */
      if (json_object_get_size (object) == size)
        return NULL;
      switch (next_in_list (reader, '}'))
        {
        case LIST_MORE:
          break;
        case LIST_END:
          return g_steal_pointer (&node);
        case LIST_BAD:
        default:
          return NULL;
        }
    }
}

static JsonNode *
read_array (Reader *reader)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  JsonArray *array = json_array_new ();

  json_node_init_array (node, array);
  json_array_unref (array);
  if (open_list (reader, ']'))
    return g_steal_pointer (&node);

  for (;;)
    {
      JsonNode *element = read_value (reader);

      if (element == NULL)
        return NULL;
      json_node_set_parent (element, node);
      json_array_add_element (array, element);
      switch (next_in_list (reader, ']'))
        {
        case LIST_MORE:
          break;
        case LIST_END:
          return g_steal_pointer (&node);
        case LIST_BAD:
        default:
          return NULL;
        }
    }
}

static JsonNode *
read_value (Reader *reader)
{
  JsonNode *node = NULL;

  if (reader->p >= reader->end)
    return NULL;
  switch (*reader->p)
    {
    case '{':
    case '[':
      if (reader->depth == MAX_DEPTH)
        return NULL;
      reader->depth++;
      node = *reader->p == '{' ? read_object (reader) : read_array (reader);
      reader->depth--;
      return node;
    case '"':
      if (!read_string (reader))
        return NULL;
      return json_node_init_string (json_node_alloc (), reader->text->str);
    case 't':
      return read_literal (reader, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return read_literal (reader, "false") ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return read_literal (reader, "null") ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      return read_number (reader);
    }
}

JsonNode *
_cin_api_json_read (const char *data,
                    gsize       size)
{
  g_autoptr(GString) text = g_string_sized_new (256);
  Reader reader = { data, data + size, 0, text };
  g_autoptr(JsonNode) root = NULL;

  if (!g_utf8_validate_len (data, size, NULL))
    return NULL;
  skip_space (&reader);
  root = read_value (&reader);
  if (root == NULL)
    return NULL;
  skip_space (&reader);
  if (reader.p != reader.end)
    return NULL;

  /* As json_parser_new_immutable() gives it. */
  json_node_seal (root);
  return g_steal_pointer (&root);
}
