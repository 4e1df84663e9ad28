/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-json"

#include "cin-api-json-private.h"
#include "cin-json-lexer-private.h"

/* A JSON reader for the server's answers, building the same tree as
 * json-glib's parser with json-glib's own nodes, from the faster tokens
 * of cin-json-lexer.c. It reads strict JSON only and gives up on anything
 * unusual (what the lexer gives up on, and a duplicate member): the caller
 * then asks json-glib, which also words the error when the text is not
 * JSON. */

static JsonNode *read_value (CinJsonLexer *lexer);

static gboolean
read_member (CinJsonLexer *lexer,
             gpointer      data)
{
  JsonNode *node = data;
  JsonObject *object = json_node_get_object (node);
  g_autofree char *name = NULL;
  guint size = json_object_get_size (object);
  JsonNode *member;

  if (!_cin_json_lexer_read_name (lexer))
    return FALSE;
  name = g_strndup (lexer->text->str, lexer->text->len);
  member = read_value (lexer);
  if (member == NULL)
    return FALSE;
  json_node_set_parent (member, node);
  json_object_set_member (object, name, member);
  /* A name seen before replaced its member. */
  return json_object_get_size (object) > size;
}

static gboolean
read_element (CinJsonLexer *lexer,
              gpointer      data)
{
  JsonNode *node = data;
  JsonNode *element = read_value (lexer);

  if (element == NULL)
    return FALSE;
  json_node_set_parent (element, node);
  json_array_add_element (json_node_get_array (node), element);
  return TRUE;
}

static JsonNode *
read_object (CinJsonLexer *lexer)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(JsonObject) object = json_object_new ();

  json_node_init_object (node, object);
  return _cin_json_lexer_read_list (lexer, '}', read_member, node) ? g_steal_pointer (&node) : NULL;
}

static JsonNode *
read_array (CinJsonLexer *lexer)
{
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(JsonArray) array = json_array_new ();

  json_node_init_array (node, array);
  return _cin_json_lexer_read_list (lexer, ']', read_element, node) ? g_steal_pointer (&node) : NULL;
}

static JsonNode *
read_number (CinJsonLexer *lexer)
{
  gboolean integral;
  gint64 integer;
  double real;

  if (!_cin_json_lexer_read_number (lexer, &integral, &integer, &real))
    return NULL;
  return integral ? json_node_init_int (json_node_alloc (), integer)
                  : json_node_init_double (json_node_alloc (), real);
}

static JsonNode *
read_value (CinJsonLexer *lexer)
{
  if (lexer->p >= lexer->end)
    return NULL;
  switch (*lexer->p)
    {
    case '{':
      return read_object (lexer);
    case '[':
      return read_array (lexer);
    case '"':
      if (!_cin_json_lexer_read_string (lexer))
        return NULL;
      return json_node_init_string (json_node_alloc (), lexer->text->str);
    case 't':
      return _cin_json_lexer_read_literal (lexer, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return _cin_json_lexer_read_literal (lexer, "false") ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return _cin_json_lexer_read_literal (lexer, "null") ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      return read_number (lexer);
    }
}

JsonNode *
_cin_api_json_read (const char *data,
                    gsize       size)
{
  g_autoptr(GString) text = g_string_sized_new (256);
  g_autoptr(JsonNode) root = NULL;
  CinJsonLexer lexer;

  if (!_cin_json_lexer_init (&lexer, data, size, text))
    return NULL;
  _cin_json_lexer_skip_space (&lexer);
  root = read_value (&lexer);
  if (root == NULL || !_cin_json_lexer_at_end (&lexer))
    return NULL;

  /* As json_parser_new_immutable() gives it. */
  json_node_seal (root);
  return g_steal_pointer (&root);
}
