/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-rules"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cin-paths.h"
#include "cin-rules-private.h"

/* The rules file (data/rules/rules.json; newer ones go in
 * $XDG_CONFIG_HOME/cinnabar/rules/, any name ending in .json) is one JSON
 * object:
 *
 *   "format"      1: the layout below. A build refuses other formats, so
 *                 a layout change needs a new number; new members in the
 *                 same format are ignored by older builds.
 *   "version"     whole number, raised on every change; the highest wins.
 *   "updated"     "YYYY-MM-DD", when the values were last checked.
 *   "title"       { "max": characters, "count": "half-ascii" | "graphemes" }
 *   "body"        { "max", "count" } as for the title
 *   "photos"      { "min", "max": photos per note, "max_bytes": per photo,
 *                   "formats": ["png", …], "recommended_width",
 *                   "recommended_height": pixels }
 *   "video"       { "max_bytes", "max_seconds" }
 *   "topics"      { "max" }
 *   "schedule"    { "min_seconds", "max_seconds": how far ahead }
 *   "board_name"  { "max": characters }
 *
 * Every member is required; keys starting with '$' (such as "$comment")
 * are notes for people and are ignored, like any other unknown key. */

/* Reading and checking the file */

typedef struct {
  const char *origin;   /* the file's name, for messages */
  GError    **error;
} Reader;

static void
set_invalid_missing (Reader     *reader,
                     const char *name)
{
  g_set_error (reader->error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
               /* Translators: the first %s is a file name such as
                * rules.json, the second a member of it such as “title.max”. */
               _("%s: “%s” is missing. Add it to the file."),
               reader->origin, name);
}

/* Returns the member @name of @parent, or NULL with an error. @name is
 * the dotted path used in messages; its last part is the member. */
static JsonNode *
read_member (Reader     *reader,
             JsonObject *parent,
             const char *name)
{
  const char *member = strrchr (name, '.');
  JsonNode *node;

  member = member ? member + 1 : name;
  node = json_object_get_member (parent, member);
  if (node == NULL)
    set_invalid_missing (reader, name);
  return node;
}

static JsonObject *
read_object (Reader     *reader,
             JsonObject *parent,
             const char *name)
{
  JsonNode *node = read_member (reader, parent, name);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (reader->error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
                   /* Translators: the first %s is a file name, the second a
                    * member such as “title”. */
                   _("%s: “%s” must be an object, written {…}."),
                   reader->origin, name);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_whole_number (Reader     *reader,
                   JsonObject *parent,
                   const char *name,
                   guint64     min,
                   guint64     max,
                   guint64    *out)
{
  JsonNode *node = read_member (reader, parent, name);

  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        {
          gint64 value = json_node_get_int (node);

          if (value >= 0 && (guint64)value >= min && (guint64)value <= max)
            {
              *out = value;
              return TRUE;
            }
        }
      else if (type == G_TYPE_DOUBLE)
        {
          /* 20.0 is still twenty; 20.5 is not a count of anything. */
          double value = json_node_get_double (node);

          if (value == floor (value) && value >= (double)min && value <= (double)max)
            {
              *out = (guint64)value;
              return TRUE;
            }
        }
    }

  {
    g_autofree char *min_str = g_strdup_printf ("%" G_GUINT64_FORMAT, min);
    g_autofree char *max_str = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

    g_set_error (reader->error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
                 /* Translators: the first %s is a file name, the second a
                  * member such as “title.max”, the last two the smallest
                  * and largest number allowed. */
                 _("%s: “%s” must be a whole number between %s and %s."),
                 reader->origin, name, min_str, max_str);
  }
  return FALSE;
}

static gboolean
read_uint (Reader     *reader,
           JsonObject *parent,
           const char *name,
           guint       min,
           guint       max,
           guint      *out)
{
  guint64 value;

  if (!read_whole_number (reader, parent, name, min, max, &value))
    return FALSE;
  *out = (guint)value;
  return TRUE;
}

/* Sets *@out to the string, or to NULL when the member is there but is
 * not a string, for the caller to say what it should be. */
static gboolean
read_string (Reader      *reader,
             JsonObject  *parent,
             const char  *name,
             const char **out)
{
  JsonNode *node = read_member (reader, parent, name);

  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    *out = json_node_get_string (node);
  else
    *out = NULL;
  return TRUE;
}

static gboolean
read_count_method (Reader         *reader,
                   JsonObject     *parent,
                   const char     *name,
                   CinCountMethod *out)
{
  const char *value;

  if (!read_string (reader, parent, name, &value))
    return FALSE;

  if (g_strcmp0 (value, "half-ascii") == 0)
    *out = CIN_COUNT_HALF_ASCII;
  else if (g_strcmp0 (value, "graphemes") == 0)
    *out = CIN_COUNT_GRAPHEMES;
  else
    {
      g_set_error (reader->error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
                   /* Translators: the first %s is a file name, the second a
                    * member such as “title.count”. Keep “half-ascii” and
                    * “graphemes” untranslated: they are what the file says. */
                   _("%s: “%s” must be “half-ascii” or “graphemes”."),
                   reader->origin, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_iso_date (const char *value)
{
  static const char pattern[] = "dddd-dd-dd";
  guint year, month, day;

  if (value == NULL || strlen (value) != strlen (pattern))
    return FALSE;
  for (gsize i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == 'd' ? !g_ascii_isdigit (value[i]) : value[i] != pattern[i])
        return FALSE;
    }

  year = g_ascii_strtoull (value, NULL, 10);
  month = g_ascii_strtoull (value + 5, NULL, 10);
  day = g_ascii_strtoull (value + 8, NULL, 10);
  return g_date_valid_dmy (day, month, year);
}

static char *
read_date (Reader     *reader,
           JsonObject *parent,
           const char *name)
{
  const char *value;

  if (!read_string (reader, parent, name, &value))
    return NULL;
  if (is_iso_date (value))
    return g_strdup (value);

  g_set_error (reader->error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
               /* Translators: the first %s is a file name, the second the
                * member “updated”. Keep YYYY-MM-DD: it is the format. */
               _("%s: “%s” must be a date written YYYY-MM-DD, such as 2026-11-01."),
               reader->origin, name);
  return NULL;
}

static gboolean
is_format_name (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 16)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i]))
        return FALSE;
    }
  return TRUE;
}

static GStrv
read_formats (Reader     *reader,
              JsonObject *parent,
              const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = read_member (reader, parent, name);
  JsonArray *array;
  guint n;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    goto invalid;

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    goto invalid;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *format;

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING)
        goto invalid;
      format = json_node_get_string (element);
      if (!is_format_name (format))
        goto invalid;
      g_strv_builder_add (builder, format);
    }

  return g_strv_builder_end (builder);

invalid:
  g_set_error (reader->error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
               /* Translators: the first %s is a file name, the second the
                * member “photos.formats”. */
               _("%s: “%s” must be a list of one or more lowercase format names, "
                 "such as [\"png\", \"jpeg\"]."),
               reader->origin, name);
  return NULL;
}

/* Ranges wide enough for any limit the platform may set, narrow enough
 * to catch a typo such as a title of 200000 characters or a photo limit
 * of 0. */
#define MAX_TEXT_CHARS      100000
#define MAX_PHOTOS          100
#define MAX_PHOTO_BYTES     (G_GUINT64_CONSTANT (1) << 40)
#define MAX_PIXELS          100000
#define MAX_VIDEO_BYTES     (G_GUINT64_CONSTANT (1) << 50)
#define MAX_VIDEO_SECONDS   (7 * 24 * 3600)
#define MAX_TOPICS          1000
#define MAX_SCHEDULE        (366 * 24 * 3600)
#define MAX_BOARD_CHARS     1000

static gboolean
read_rules (Reader     *reader,
            JsonObject *root,
            CinRules   *rules)
{
  JsonObject *title, *body, *photos, *video, *topics, *schedule, *board_name;

  if (!read_uint (reader, root, "version", 1, G_MAXUINT32, &rules->version))
    return FALSE;
  if (!(rules->updated = read_date (reader, root, "updated")))
    return FALSE;

  if (!(title = read_object (reader, root, "title"))
      || !read_uint (reader, title, "title.max", 1, 10000, &rules->title_max)
      || !read_count_method (reader, title, "title.count", &rules->title_count))
    return FALSE;

  if (!(body = read_object (reader, root, "body"))
      || !read_uint (reader, body, "body.max", 1, MAX_TEXT_CHARS, &rules->body_max)
      || !read_count_method (reader, body, "body.count", &rules->body_count))
    return FALSE;

  if (!(photos = read_object (reader, root, "photos"))
      || !read_uint (reader, photos, "photos.min", 1, MAX_PHOTOS, &rules->photos_min)
      || !read_uint (reader, photos, "photos.max", rules->photos_min, MAX_PHOTOS, &rules->photos_max)
      || !read_whole_number (reader, photos, "photos.max_bytes", 1, MAX_PHOTO_BYTES, &rules->photo_max_bytes)
      || !(rules->photo_formats = read_formats (reader, photos, "photos.formats"))
      || !read_uint (reader, photos, "photos.recommended_width", 1, MAX_PIXELS, &rules->photo_recommended_width)
      || !read_uint (reader, photos, "photos.recommended_height", 1, MAX_PIXELS, &rules->photo_recommended_height))
    return FALSE;

  if (!(video = read_object (reader, root, "video"))
      || !read_whole_number (reader, video, "video.max_bytes", 1, MAX_VIDEO_BYTES, &rules->video_max_bytes)
      || !read_uint (reader, video, "video.max_seconds", 1, MAX_VIDEO_SECONDS, &rules->video_max_seconds))
    return FALSE;

  if (!(topics = read_object (reader, root, "topics"))
      || !read_uint (reader, topics, "topics.max", 0, MAX_TOPICS, &rules->topics_max))
    return FALSE;

  if (!(schedule = read_object (reader, root, "schedule"))
      || !read_uint (reader, schedule, "schedule.min_seconds", 0, MAX_SCHEDULE, &rules->schedule_min_seconds)
      || !read_uint (reader, schedule, "schedule.max_seconds",
                     MAX (rules->schedule_min_seconds, 1), MAX_SCHEDULE, &rules->schedule_max_seconds))
    return FALSE;

  if (!(board_name = read_object (reader, root, "board_name"))
      || !read_uint (reader, board_name, "board_name.max", 1, MAX_BOARD_CHARS, &rules->board_name_max))
    return FALSE;

  return TRUE;
}

static CinRules *
rules_new_from_data (const char  *data,
                     gsize        len,
                     const char  *origin,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CinRules) rules = NULL;
  g_autoptr(GError) parse_error = NULL;
  Reader reader = { origin, error };
  JsonNode *root;
  JsonObject *object;
  guint64 format;

  if (!json_parser_load_from_data (parser, data, (gssize)len, &parse_error))
    {
      g_set_error (error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
                   /* Translators: the first %s is a file name, the second
                    * the JSON parser's own description of the problem. */
                   _("%s is not valid JSON (%s). Correct the file, or remove it."),
                   origin, parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID,
                   /* Translators: %s is a file name. */
                   _("%s: the rules must be one JSON object, written {…}."),
                   origin);
      return NULL;
    }
  object = json_node_get_object (root);

  /* The format comes first: a file in a layout this build doesn't know
   * is "update Cinnabar", not a list of missing members. */
  if (!read_whole_number (&reader, object, "format", 1, G_MAXINT32, &format))
    return NULL;
  if (format != CIN_RULES_FORMAT)
    {
      g_autofree char *format_str = g_strdup_printf ("%" G_GUINT64_FORMAT, format);

      g_set_error (error, CIN_RULES_ERROR, CIN_RULES_ERROR_UNSUPPORTED,
                   /* Translators: the first %s is a file name, the second a
                    * number. */
                   _("%s is written in rules format %s, which this version of Cinnabar "
                     "can't read. Update Cinnabar, or remove the file."),
                   origin, format_str);
      return NULL;
    }

  rules = g_new0 (CinRules, 1);
  g_atomic_ref_count_init (&rules->ref_count);
  rules->path = g_strdup (path);

  if (!read_rules (&reader, object, rules))
    return NULL;

  return g_steal_pointer (&rules);
}

CinRules *
cin_rules_new_from_bytes (GBytes  *bytes,
                          GError **error)
{
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  /* Translators: stands in for a file name in messages about rules that
   * came from elsewhere, such as “rules data: “title.max” is missing.” */
  return rules_new_from_data (data ? data : "", len, _("rules data"), NULL, error);
}

CinRules *
cin_rules_new_from_file (const char  *path,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *origin = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  origin = g_filename_display_basename (path);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_autofree char *display = g_filename_display_name (path);

          g_set_error (error, CIN_RULES_ERROR, CIN_RULES_ERROR_NOT_FOUND,
                       /* Translators: %s is a file path. */
                       _("The rules file %s is missing. Reinstall Cinnabar to restore it."),
                       display);
        }
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return rules_new_from_data (contents, len, origin, path, error);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static GPtrArray *
list_user_rules_files (void)
{
  g_autofree char *config_dir = cin_paths_get_config_dir ();
  g_autofree char *dir_path = g_build_filename (config_dir, "rules", NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return g_steal_pointer (&paths);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }

  /* Directory order is arbitrary; ties between equal versions must not be. */
  g_ptr_array_sort (paths, compare_paths);
  return g_steal_pointer (&paths);
}

CinRules *
cin_rules_load_default (GError **error)
{
  g_autofree char *shipped_path = cin_paths_build_data_file ("rules", "rules.json", NULL);
  g_autoptr(GError) shipped_error = NULL;
  g_autoptr(GPtrArray) user_paths = NULL;
  g_autoptr(CinRules) best = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  best = cin_rules_new_from_file (shipped_path, &shipped_error);
  if (best == NULL)
    g_warning ("Could not read the shipped rules %s: %s", shipped_path, shipped_error->message);

  /* A user's file of the same version wins: they put it there on purpose,
   * perhaps to correct a value before the next release. */
  user_paths = list_user_rules_files ();
  for (guint i = 0; i < user_paths->len; i++)
    {
      const char *path = g_ptr_array_index (user_paths, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(CinRules) rules = cin_rules_new_from_file (path, &local_error);

      if (rules == NULL)
        {
          g_warning ("Ignoring the rules file %s: %s", path, local_error->message);
          continue;
        }
      if (best == NULL || rules->version >= best->version)
        {
          g_clear_pointer (&best, cin_rules_unref);
          best = g_steal_pointer (&rules);
        }
    }

  if (best == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&shipped_error));
      return NULL;
    }

  return g_steal_pointer (&best);
}
