/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-json"

#include <string.h>

#include "cin-server-json.h"

G_DEFINE_QUARK (cin-server-json-error-quark, cin_server_json_error)

/* One pass over the text, tracking only whether it is inside a string, so
 * that brackets in strings don't count. Anything else wrong (a stray
 * quote, a bad escape) is left for the parser, which then fails cleanly:
 * this pass only has to make the parse safe to attempt. */
static gboolean
check_shape (const char  *data,
             gsize        length,
             GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < length)
            {
              if (data[i + 1] == 'u' && i + 5 < length &&
                  memcmp (data + i + 2, "0000", 4) == 0)
                {
                  g_set_error_literal (error, CIN_SERVER_JSON_ERROR, CIN_SERVER_JSON_ERROR_NUL,
                                       "The JSON holds a NUL character (\\u0000), which no field can contain.");
                  return FALSE;
                }
              i++;
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > CIN_SERVER_JSON_MAX_DEPTH)
            {
              g_set_error (error, CIN_SERVER_JSON_ERROR, CIN_SERVER_JSON_ERROR_TOO_DEEP,
                           "The JSON nests deeper than %d levels.", CIN_SERVER_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
cin_server_json_parse (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, CIN_SERVER_JSON_ERROR, CIN_SERVER_JSON_ERROR_EMPTY,
                           "The request has no body; send a JSON document.");
      return NULL;
    }
  /* A NUL byte is refused here too: json-glib would stop reading at it. */
  if (!g_utf8_validate_len (data, length, NULL) || memchr (data, '\0', length) != NULL)
    {
      g_set_error_literal (error, CIN_SERVER_JSON_ERROR, CIN_SERVER_JSON_ERROR_INVALID_UTF8,
                           "The body is not valid UTF-8 text.");
      return NULL;
    }
  if (!check_shape (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, CIN_SERVER_JSON_ERROR, CIN_SERVER_JSON_ERROR_SYNTAX,
                   "The body is not valid JSON: %s", parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CIN_SERVER_JSON_ERROR, CIN_SERVER_JSON_ERROR_EMPTY,
                           "The body holds no JSON value.");
      return NULL;
    }
  return json_node_ref (root);
}

char *
cin_server_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The bytes a JSON string can't hold as they are (NUL ends the text). */
static const guint8 needs_escape[256] = {
  [0x00] = TRUE, [0x01] = TRUE, [0x02] = TRUE, [0x03] = TRUE, [0x04] = TRUE, [0x05] = TRUE,
  [0x06] = TRUE, [0x07] = TRUE, [0x08] = TRUE, [0x09] = TRUE, [0x0a] = TRUE, [0x0b] = TRUE,
  [0x0c] = TRUE, [0x0d] = TRUE, [0x0e] = TRUE, [0x0f] = TRUE, [0x10] = TRUE, [0x11] = TRUE,
  [0x12] = TRUE, [0x13] = TRUE, [0x14] = TRUE, [0x15] = TRUE, [0x16] = TRUE, [0x17] = TRUE,
  [0x18] = TRUE, [0x19] = TRUE, [0x1a] = TRUE, [0x1b] = TRUE, [0x1c] = TRUE, [0x1d] = TRUE,
  [0x1e] = TRUE, [0x1f] = TRUE, ['"'] = TRUE, ['\\'] = TRUE, [0x7f] = TRUE,
};

void
cin_server_json_append_string (GString    *out,
                               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      const char *run = p;
      guchar c;

      /* Most text needs no escape: copy it a run at a time. */
      while (!needs_escape[(guchar)*p])
        p++;
      if (p > run)
        cin_server_json_append_len (out, run, p - run);
      if (*p == '\0')
        break;

      c = *p;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

void
cin_server_json_append_int (GString *out,
                            gint64   value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64)value : (guint64)value;

  do
    *--p = '0' + magnitude % 10;
  while ((magnitude /= 10) != 0);
  if (value < 0)
    *--p = '-';
  cin_server_json_append_len (out, p, digits + sizeof digits - p);
}
