/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-json"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cin-note-fields.h"
#include "cin-note-json.h"

/* The wire and `base` form of a note:
 *
 *   { "id": "…", "kind": "photo", "title": "…", "body": "…",
 *     "topics": ["…"], "mentions": ["…"], "location": "…" | null,
 *     "visibility": "public", "original": false, "state": "draft",
 *     "scheduled_at": "2025-01-31T08:00:00.000000Z" | null,
 *     "created_at": "…", "updated_at": "…", "rev": "…" | null,
 *     "photos": [ { "id": "…", "sha256": "<64 hex>", "mime": "image/jpeg",
 *                   "width": 1080, "height": 1440, "crop": "3:4",
 *                   "crop_x": 0.5, "crop_y": 0.5, "alt_text": "…" | null } ] }
 *
 * Decoding is strict about what it reads (types, enum names, times, valid
 * text) because the same code guards cinnabar-server, and a note that
 * decodes is one the store can save. It ignores members it does not know,
 * so a newer peer can add fields without breaking an older one. id, kind,
 * created_at and updated_at are required; a missing optional member takes
 * the default a new note has. sync_state is local bookkeeping and is not
 * part of the JSON. "photos" is always written (empty for a video note)
 * and read in order; a note without it has no photos. How many photos a
 * note may have is the rules' business (cin_rules_check_note()); the
 * codec only refuses more than CIN_NOTE_JSON_MAX_PHOTOS, far above any
 * platform's limit, so a hostile body cannot make it build thousands. */

G_DEFINE_QUARK (cin-note-json-error-quark, cin_note_json_error)

/* Encoding */

static char *
format_time (gint64 unix_usec)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) time = NULL;

  /* RFC 3339 stops at year 9999; CinNote times never get near it, but
   * the encoder must produce something decodable for any value. */
  unix_usec = CLAMP (unix_usec, 0, G_GINT64_CONSTANT (253402300799999999));

  seconds = g_date_time_new_from_unix_utc (unix_usec / G_USEC_PER_SEC);
  time = g_date_time_add (seconds, unix_usec % G_USEC_PER_SEC);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%fZ");
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          gint64       unix_usec)
{
  g_autofree char *text = format_time (unix_usec);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, text);
}

static void
add_strv (JsonBuilder        *builder,
          const char * const *strv)
{
  json_builder_begin_array (builder);
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_photos (JsonBuilder *builder,
            GPtrArray   *photos)
{
  json_builder_begin_array (builder);
  for (guint i = 0; photos != NULL && i < photos->len; i++)
    {
      const CinPhoto *photo = g_ptr_array_index (photos, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "id", cin_photo_get_id (photo));
      add_string_or_null (builder, "sha256", cin_photo_get_sha256 (photo));
      add_string_or_null (builder, "mime", cin_photo_get_mime (photo));
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, cin_photo_get_width (photo));
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, cin_photo_get_height (photo));
      add_string_or_null (builder, "crop", cin_crop_aspect_to_string (cin_photo_get_crop (photo)));
      json_builder_set_member_name (builder, "crop_x");
      json_builder_add_double_value (builder, cin_photo_get_crop_x (photo));
      json_builder_set_member_name (builder, "crop_y");
      json_builder_add_double_value (builder, cin_photo_get_crop_y (photo));
      add_string_or_null (builder, "alt_text", cin_photo_get_alt_text (photo));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

JsonNode *
cin_note_to_json (CinNote *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (CIN_IS_NOTE (note), NULL);

  json_builder_begin_object (builder);
  add_string_or_null (builder, "id", cin_note_get_id (note));
  add_string_or_null (builder, "kind", cin_note_kind_to_string (cin_note_get_kind (note)));
  add_string_or_null (builder, "title", cin_note_get_title (note));
  add_string_or_null (builder, "body", cin_note_get_body (note));
  json_builder_set_member_name (builder, "topics");
  add_strv (builder, cin_note_get_topics (note));
  json_builder_set_member_name (builder, "mentions");
  add_strv (builder, cin_note_get_mentions (note));
  add_string_or_null (builder, "location", cin_note_get_location (note));
  add_string_or_null (builder, "visibility", cin_visibility_to_string (cin_note_get_visibility (note)));
  json_builder_set_member_name (builder, "original");
  json_builder_add_boolean_value (builder, cin_note_get_original (note));
  add_string_or_null (builder, "state", cin_note_state_to_string (cin_note_get_state (note)));
  if (cin_note_get_scheduled_at (note) != 0)
    add_time (builder, "scheduled_at", cin_note_get_scheduled_at (note));
  else
    add_string_or_null (builder, "scheduled_at", NULL);
  add_time (builder, "created_at", cin_note_get_created_at (note));
  add_time (builder, "updated_at", cin_note_get_updated_at (note));
  add_string_or_null (builder, "rev", cin_note_get_rev (note));
  json_builder_set_member_name (builder, "photos");
  add_photos (builder, cin_note_get_photos (note));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
cin_note_to_json_string (CinNote *note)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (CIN_IS_NOTE (note), NULL);

  node = cin_note_to_json (note);
  return node_to_string (node);
}

/* Whether json-glib writes @text into a JSON string as it is: it
 * escapes quotes, backslashes, control characters and DEL. */
static gboolean
is_verbatim_in_json (const char *text)
{
  for (const guchar *p = (const guchar *)text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f)
        return FALSE;
    }
  return TRUE;
}

char *
cin_strv_to_json_string (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean verbatim = TRUE;

  /* Topics and mentions, once per note the store writes: the common
   * case skips building a tree, byte for byte what json-glib writes. */
  for (gsize i = 0; verbatim && strv != NULL && strv[i] != NULL; i++)
    verbatim = is_verbatim_in_json (strv[i]);
  if (verbatim)
    {
      GString *json = g_string_new ("[");

      for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (json, ',');
          g_string_append_c (json, '"');
          g_string_append (json, strv[i]);
          g_string_append_c (json, '"');
        }
      g_string_append_c (json, ']');
      return g_string_free (json, FALSE);
    }

  builder = json_builder_new ();
  add_strv (builder, strv);
  node = json_builder_get_root (builder);
  return node_to_string (node);
}

/* Decoding: the JSON types here, the values in cin_note_from_fields(). */

static gboolean
is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Returns FALSE with @error set when @member is there but not a string (or
 * null, if @nullable). A missing member leaves *@value NULL. */
static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     nullable,
            const char **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || (nullable && JSON_NODE_HOLDS_NULL (node)))
    return TRUE;

  if (!is_string_node (node))
    {
      if (nullable)
        g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                     _("Invalid note data: “%s” must be a string or null."), member);
      else
        g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                     _("Invalid note data: “%s” must be a string."), member);
      return FALSE;
    }

  *value = json_node_get_string (node);
  return TRUE;
}

/* The strings of an array, borrowed from @node; NULL with @error set when
 * it is not an array of strings. @member names it in errors, or is NULL
 * for a bare array. */
static const char **
strings_of_node (JsonNode    *node,
                 const char  *member,
                 GError     **error)
{
  JsonArray *array;
  const char **strings;
  guint len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto not_strings;

  array = json_node_get_array (node);
  len = json_array_get_length (array);
  strings = g_new0 (const char *, len + 1);
  for (guint i = 0; i < len; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!is_string_node (element))
        {
          g_free (strings);
          goto not_strings;
        }
      strings[i] = json_node_get_string (element);
    }
  return strings;

not_strings:
  if (member != NULL)
    g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                 _("Invalid note data: “%s” must be an array of strings."), member);
  else
    g_set_error_literal (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                         _("Invalid note data: expected an array of strings."));
  return NULL;
}

/* A bare JSON array of strings, each valid text. */
static GStrv
strv_from_node (JsonNode  *node,
                GError   **error)
{
  g_autofree const char **strings = strings_of_node (node, NULL, error);

  if (strings == NULL || !cin_note_fields_check_strv ("[]", strings, error))
    return NULL;
  return g_strdupv ((char **)strings);
}

static gboolean
get_strings (JsonObject    *object,
             const char    *member,
             const char  ***strings,
             GError       **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *strings = NULL;
  if (node == NULL)
    return TRUE;

  *strings = strings_of_node (node, member, error);
  return *strings != NULL;
}

/* -1 when missing or not a whole number. */
static gint64
get_whole_number (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

/* A missing crop position centres the crop; -1 when not a number. */
static double
get_crop_position (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return 0.5;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return (double)json_node_get_int (node);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);
  return -1;
}

static gboolean
get_photo_fields (JsonNode        *node,
                  guint            index,
                  CinPhotoFields  *fields,
                  GError         **error)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: photo %u must be a JSON object."), index + 1);
      return FALSE;
    }
  object = json_node_get_object (node);

  fields->width = get_whole_number (object, "width");
  fields->height = get_whole_number (object, "height");
  fields->crop_x = get_crop_position (object, "crop_x");
  fields->crop_y = get_crop_position (object, "crop_y");
  return get_string (object, "id", FALSE, &fields->id, error) &&
         get_string (object, "sha256", FALSE, &fields->sha256, error) &&
         get_string (object, "mime", FALSE, &fields->mime, error) &&
         get_string (object, "crop", FALSE, &fields->crop, error) &&
         get_string (object, "alt_text", TRUE, &fields->alt_text, error);
}

/* A missing "photos" is no photos, as notes written before it had. */
static gboolean
get_photos (JsonObject      *object,
            CinPhotoFields **photos,
            guint           *n_photos,
            GError         **error)
{
  JsonNode *node = json_object_get_member (object, "photos");
  JsonArray *array;

  *photos = NULL;
  *n_photos = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: “%s” must be an array."), "photos");
      return FALSE;
    }

  array = json_node_get_array (node);
  *n_photos = json_array_get_length (array);
  /* Counted, not read, past the most a note may have. */
  if (*n_photos > CIN_NOTE_JSON_MAX_PHOTOS)
    return TRUE;
  *photos = g_new0 (CinPhotoFields, MAX (*n_photos, 1));
  for (guint i = 0; i < *n_photos; i++)
    if (!get_photo_fields (json_array_get_element (array, i), i, &(*photos)[i], error))
      return FALSE;
  return TRUE;
}

/* A node from json-glib's parser has already lost a \u0000 and everything
 * after it in that string; cin_note_from_json_string() refuses such text. */
CinNote *
cin_note_from_json (JsonNode  *node,
                    GError   **error)
{
  g_autofree const char **topics = NULL;
  g_autofree const char **mentions = NULL;
  g_autofree CinPhotoFields *photos = NULL;
  CinNoteFields fields = { NULL, };
  JsonObject *object;
  JsonNode *original_node;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                           _("Invalid note data: a note must be a JSON object."));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_string (object, "id", FALSE, &fields.id, error) ||
      !get_string (object, "kind", FALSE, &fields.kind, error) ||
      !get_string (object, "title", FALSE, &fields.title, error) ||
      !get_string (object, "body", FALSE, &fields.body, error) ||
      !get_strings (object, "topics", &topics, error) ||
      !get_strings (object, "mentions", &mentions, error) ||
      !get_string (object, "location", TRUE, &fields.location, error) ||
      !get_string (object, "visibility", FALSE, &fields.visibility, error) ||
      !get_string (object, "state", FALSE, &fields.state, error) ||
      !get_string (object, "scheduled_at", TRUE, &fields.scheduled_at, error) ||
      !get_string (object, "created_at", FALSE, &fields.created_at, error) ||
      !get_string (object, "updated_at", FALSE, &fields.updated_at, error) ||
      !get_string (object, "rev", TRUE, &fields.rev, error) ||
      !get_photos (object, &photos, &fields.n_photos, error))
    return NULL;
  fields.topics = topics;
  fields.mentions = mentions;
  fields.photos = photos;

  original_node = json_object_get_member (object, "original");
  if (original_node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (original_node) ||
          json_node_get_value_type (original_node) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                       _("Invalid note data: “%s” must be true or false."), "original");
          return NULL;
        }
      fields.original = json_node_get_boolean (original_node);
    }

  return cin_note_from_fields (&fields, error);
}

/* json-glib decodes \u0000 and hands back a C string that silently ends
 * there, so the escape has to be caught in the text. */
gboolean
cin_json_has_escaped_nul (const char *json,
                          gssize      length)
{
  gsize n = length < 0 ? strlen (json) : (gsize)length;

  for (gsize i = 0; i < n; i++)
    {
      if (json[i] != '\\')
        continue;
      if (n - i >= 6 && json[i + 1] == 'u' && memcmp (json + i + 2, "0000", 4) == 0)
        return TRUE;
      i++;  /* the escaped character, which may be a backslash */
    }

  return FALSE;
}

static JsonNode *
parse_json (const char  *json,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (cin_json_has_escaped_nul (json, -1))
    {
      g_set_error_literal (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                           _("Invalid note data: the text holds a NUL character "
                             "(\\u0000), which a note can't contain."));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: %s"), parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                           _("Invalid note data: the text is empty."));
      return NULL;
    }

  return json_node_ref (root);
}

CinNote *
cin_note_from_json_string (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  root = parse_json (json, error);
  if (root == NULL)
    return NULL;

  return cin_note_from_json (root, error);
}

GStrv
cin_strv_from_json_string (const char  *json,
                           GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  root = parse_json (json, error);
  if (root == NULL)
    return NULL;

  return strv_from_node (root, error);
}
