/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-json"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cin-note-json.h"
#include "cin-text.h"

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

#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)

/* Encoding */

static char *
format_time (gint64 unix_usec)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) time = NULL;

  /* RFC 3339 stops at year 9999; CinNote times never get near it, but
   * the encoder must produce something decodable for any value. */
  unix_usec = CLAMP (unix_usec, 0, G_GINT64_CONSTANT (253402300799999999));

  seconds = g_date_time_new_from_unix_utc (unix_usec / USEC_PER_SEC);
  time = g_date_time_add (seconds, unix_usec % USEC_PER_SEC);

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

/* Decoding */

static gboolean
is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
check_text (const char  *member,
            const char  *text,
            GError     **error)
{
  g_autoptr(GError) text_error = NULL;

  if (cin_text_validate (text, -1, &text_error))
    return TRUE;

  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: “%s” is not valid text (%s)."),
               member, text_error->message);
  return FALSE;
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
  return check_text (member, *value, error);
}

static gboolean
get_required_string (JsonObject  *object,
                     const char  *member,
                     const char **value,
                     GError     **error)
{
  if (!get_string (object, member, FALSE, value, error))
    return FALSE;

  if (*value == NULL || **value == '\0')
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: “%s” is missing."), member);
      return FALSE;
    }

  return TRUE;
}

static void
set_unknown_value_error (GError     **error,
                         const char  *member,
                         const char  *value)
{
  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: “%s” has the unknown value “%s”."),
               member, value);
}

static gboolean
parse_digits (const char **p,
              guint        n_digits,
              int         *value)
{
  *value = 0;
  for (guint i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + ((*p)[i] - '0');
    }

  *p += n_digits;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* RFC 3339 date-time (section 5.6), read by hand: GLib's ISO 8601 parser
 * takes many forms RFC 3339 does not, and goes through a double for the
 * seconds, which can cost the last microsecond. */
static gboolean
parse_rfc3339 (const char *text,
               gint64     *unix_usec)
{
  g_autoptr(GDateTime) time = NULL;
  const char *p = text;
  int year, month, day, hour, minute, second;
  gint64 usec = 0;
  int offset_seconds = 0;

  if (!parse_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !parse_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !parse_digits (&p, 2, &day))
    return FALSE;

  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;

  if (!parse_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !parse_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !parse_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      guint n = 0;

      p++;
      /* Digits past the sixth are below what a note keeps, and dropped. */
      for (; g_ascii_isdigit (*p); p++, n++)
        if (n < 6)
          usec = usec * 10 + (*p - '0');
      if (n == 0)
        return FALSE;
      for (; n < 6; n++)
        usec *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int offset_hour, offset_minute;

      p++;
      if (!parse_digits (&p, 2, &offset_hour) || !expect_char (&p, ':') ||
          !parse_digits (&p, 2, &offset_minute) ||
          offset_hour > 23 || offset_minute > 59)
        return FALSE;
      offset_seconds = sign * (offset_hour * 3600 + offset_minute * 60);
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  /* GDateTime checks the ranges (a 30 February, hour 24). A leap second
   * (:60) is refused with them: nothing in Cinnabar produces one. */
  time = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (time == NULL)
    return FALSE;

  *unix_usec = (g_date_time_to_unix (time) - offset_seconds) * USEC_PER_SEC + usec;
  return *unix_usec >= 0;
}

static gboolean
get_time (JsonObject  *object,
          const char  *member,
          gboolean     required,
          gint64      *unix_usec,
          GError     **error)
{
  const char *text;

  *unix_usec = 0;
  if (!get_string (object, member, !required, &text, error))
    return FALSE;

  if (text == NULL)
    {
      if (!required)
        return TRUE;
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: “%s” is missing."), member);
      return FALSE;
    }

  if (!parse_rfc3339 (text, unix_usec))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: “%s” must be an RFC 3339 time such as "
                     "“2025-01-31T08:00:00.000000Z” after 1970, not “%s”."),
                   member, text);
      return FALSE;
    }

  return TRUE;
}

/* @member names the array in errors, or is NULL for a bare array. */
static GStrv
strv_from_node (JsonNode    *node,
                const char  *member,
                GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;
  guint len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto not_strings;

  array = json_node_get_array (node);
  len = json_array_get_length (array);
  for (guint i = 0; i < len; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text;

      if (!is_string_node (element))
        goto not_strings;
      text = json_node_get_string (element);
      if (!check_text (member ? member : "[]", text, error))
        return NULL;
      g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);

not_strings:
  if (member != NULL)
    g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                 _("Invalid note data: “%s” must be an array of strings."), member);
  else
    g_set_error_literal (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                         _("Invalid note data: expected an array of strings."));
  return NULL;
}

static gboolean
get_strv (JsonObject  *object,
          const char  *member,
          GStrv       *strv,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *strv = NULL;
  if (node == NULL)
    return TRUE;

  *strv = strv_from_node (node, member, error);
  return *strv != NULL;
}

static gboolean
is_sha256 (const char *text)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return i == 64;
}

static void
set_photo_error (GError     **error,
                 guint        index,
                 const char  *member,
                 const char  *what)
{
  /* Translators: %u is the photo's position (1 for the first), %s a
   * member such as “width”, and the last part says what it must be. */
  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: photo %u: “%s” %s."), index + 1, member, what);
}

static gboolean
get_photo_size (JsonObject  *object,
                guint        index,
                const char  *member,
                guint       *value,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      (number = json_node_get_int (node)) < 1 || number > CIN_NOTE_JSON_MAX_PHOTO_SIDE)
    {
      set_photo_error (error, index, member, _("must be a whole number of pixels above zero"));
      return FALSE;
    }
  *value = (guint)number;
  return TRUE;
}

/* A missing crop position centres the crop. */
static gboolean
get_crop_position (JsonObject  *object,
                   guint        index,
                   const char  *member,
                   double      *value,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = 0.5;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *value = (double)json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    *value = -1;

  if (!(*value >= 0.0 && *value <= 1.0))
    {
      set_photo_error (error, index, member, _("must be a number from 0 to 1"));
      return FALSE;
    }
  return TRUE;
}

static CinPhoto *
photo_from_node (JsonNode    *node,
                 guint        index,
                 GError     **error)
{
  JsonObject *object;
  const char *id, *sha256, *mime, *crop_name, *alt_text;
  guint width, height;
  double crop_x, crop_y;
  CinCropAspect crop = CIN_CROP_NONE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: photo %u must be a JSON object."), index + 1);
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_required_string (object, "id", &id, error) ||
      !get_required_string (object, "sha256", &sha256, error) ||
      !get_required_string (object, "mime", &mime, error) ||
      !get_string (object, "crop", FALSE, &crop_name, error) ||
      !get_string (object, "alt_text", TRUE, &alt_text, error) ||
      !get_photo_size (object, index, "width", &width, error) ||
      !get_photo_size (object, index, "height", &height, error) ||
      !get_crop_position (object, index, "crop_x", &crop_x, error) ||
      !get_crop_position (object, index, "crop_y", &crop_y, error))
    return NULL;

  if (strlen (id) > CIN_NOTE_JSON_MAX_ID_LENGTH)
    {
      set_photo_error (error, index, "id", _("is too long"));
      return NULL;
    }
  if (!is_sha256 (sha256))
    {
      set_photo_error (error, index, "sha256", _("must be 64 lower-case hexadecimal digits"));
      return NULL;
    }
  if (!g_str_equal (mime, "image/jpeg") && !g_str_equal (mime, "image/png") &&
      !g_str_equal (mime, "image/webp") && !g_str_equal (mime, "image/heic"))
    {
      set_unknown_value_error (error, "mime", mime);
      return NULL;
    }
  if (crop_name != NULL && !cin_crop_aspect_from_string (crop_name, &crop))
    {
      set_unknown_value_error (error, "crop", crop_name);
      return NULL;
    }

  return cin_photo_new_full (id, sha256, mime, width, height, crop, crop_x, crop_y, alt_text);
}

/* A missing "photos" is no photos, as notes written before it had. */
static gboolean
get_photos (JsonObject  *object,
            GPtrArray  **photos,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, "photos");
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_photo_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  guint len;

  *photos = NULL;
  if (node == NULL)
    {
      *photos = g_steal_pointer (&list);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: “%s” must be an array."), "photos");
      return FALSE;
    }

  array = json_node_get_array (node);
  len = json_array_get_length (array);
  if (len > CIN_NOTE_JSON_MAX_PHOTOS)
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: a note can have at most %u photos."),
                   CIN_NOTE_JSON_MAX_PHOTOS);
      return FALSE;
    }

  for (guint i = 0; i < len; i++)
    {
      CinPhoto *photo = photo_from_node (json_array_get_element (array, i), i, error);

      if (photo == NULL)
        return FALSE;
      g_ptr_array_add (list, photo);
      if (!g_hash_table_add (ids, (gpointer)cin_photo_get_id (photo)))
        {
          set_photo_error (error, i, "id", _("is used by another photo of the note"));
          return FALSE;
        }
    }

  *photos = g_steal_pointer (&list);
  return TRUE;
}

/* A node from json-glib's parser has already lost a \u0000 and everything
 * after it in that string; cin_note_from_json_string() refuses such text. */
CinNote *
cin_note_from_json (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(CinNote) note = NULL;
  g_auto(GStrv) topics = NULL;
  g_auto(GStrv) mentions = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  JsonObject *object;
  JsonNode *original_node;
  const char *id, *kind_name, *title, *body, *location;
  const char *visibility_name, *state_name, *rev;
  gint64 scheduled_at, created_at, updated_at;
  CinNoteKind kind;
  CinVisibility visibility = CIN_VISIBILITY_PUBLIC;
  CinNoteState state = CIN_NOTE_STATE_DRAFT;
  gboolean original = FALSE;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                           _("Invalid note data: a note must be a JSON object."));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_required_string (object, "id", &id, error) ||
      !get_required_string (object, "kind", &kind_name, error) ||
      !get_string (object, "title", FALSE, &title, error) ||
      !get_string (object, "body", FALSE, &body, error) ||
      !get_strv (object, "topics", &topics, error) ||
      !get_strv (object, "mentions", &mentions, error) ||
      !get_string (object, "location", TRUE, &location, error) ||
      !get_string (object, "visibility", FALSE, &visibility_name, error) ||
      !get_string (object, "state", FALSE, &state_name, error) ||
      !get_time (object, "scheduled_at", FALSE, &scheduled_at, error) ||
      !get_time (object, "created_at", TRUE, &created_at, error) ||
      !get_time (object, "updated_at", TRUE, &updated_at, error) ||
      !get_string (object, "rev", TRUE, &rev, error) ||
      !get_photos (object, &photos, error))
    return NULL;

  if (!cin_note_kind_from_string (kind_name, &kind))
    {
      set_unknown_value_error (error, "kind", kind_name);
      return NULL;
    }
  if (visibility_name != NULL && !cin_visibility_from_string (visibility_name, &visibility))
    {
      set_unknown_value_error (error, "visibility", visibility_name);
      return NULL;
    }
  if (state_name != NULL && !cin_note_state_from_string (state_name, &state))
    {
      set_unknown_value_error (error, "state", state_name);
      return NULL;
    }

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
      original = json_node_get_boolean (original_node);
    }

  note = cin_note_new_with_id (id, kind);
  cin_note_set_title (note, title);
  cin_note_set_body (note, body);
  cin_note_set_topics (note, (const char * const *)topics);
  cin_note_set_mentions (note, (const char * const *)mentions);
  cin_note_set_location (note, location);
  cin_note_set_visibility (note, visibility);
  cin_note_set_original (note, original);
  cin_note_set_state (note, state);
  cin_note_set_scheduled_at (note, scheduled_at);
  cin_note_set_created_at (note, created_at);
  cin_note_set_updated_at (note, updated_at);
  cin_note_set_rev (note, rev);
  cin_note_set_photos (note, photos);

  return g_steal_pointer (&note);
}

/* json-glib decodes \u0000 and hands back a C string that silently ends
 * there, so the escape has to be caught in the text. */
static gboolean
has_escaped_nul (const char *json)
{
  for (const char *p = json; *p != '\0'; p++)
    {
      if (*p != '\\')
        continue;
      if (p[1] == 'u' && strncmp (p + 2, "0000", 4) == 0)
        return TRUE;
      if (p[1] != '\0')
        p++;  /* the escaped character, which may be a backslash */
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

  if (has_escaped_nul (json))
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

  return strv_from_node (root, NULL, error);
}
