/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-rules"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cin-ad-check.h"
#include "cin-note.h"
#include "cin-paths.h"
#include "cin-rules.h"

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

#define CIN_RULES_FORMAT 1

struct _CinRules
{
  gatomicrefcount  ref_count;

  /* Owned */
  char            *path;       /* (nullable) where the rules came from */
  char            *updated;
  GStrv            photo_formats;

  guint            version;
  guint            title_max;
  CinCountMethod   title_count;
  guint            body_max;
  CinCountMethod   body_count;
  guint            photos_min;
  guint            photos_max;
  guint64          photo_max_bytes;
  guint            photo_recommended_width;
  guint            photo_recommended_height;
  guint64          video_max_bytes;
  guint            video_max_seconds;
  guint            topics_max;
  guint            schedule_min_seconds;
  guint            schedule_max_seconds;
  guint            board_name_max;
};

G_DEFINE_BOXED_TYPE (CinRules, cin_rules, cin_rules_ref, cin_rules_unref)
G_DEFINE_QUARK (cin-rules-error-quark, cin_rules_error)

CinRules *
cin_rules_ref (CinRules *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cin_rules_unref (CinRules *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->path);
  g_free (self->updated);
  g_strfreev (self->photo_formats);
  g_free (self);
}

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

/* Getters */

#define DEFINE_GETTER(type, name, fallback)             \
  type                                                  \
  cin_rules_get_##name (CinRules *self)                 \
  {                                                     \
    g_return_val_if_fail (self != NULL, fallback);      \
    return self->name;                                  \
  }

DEFINE_GETTER (guint, version, 0)
DEFINE_GETTER (const char *, path, NULL)
DEFINE_GETTER (const char *, updated, NULL)
DEFINE_GETTER (guint, title_max, 0)
DEFINE_GETTER (CinCountMethod, title_count, CIN_COUNT_HALF_ASCII)
DEFINE_GETTER (guint, body_max, 0)
DEFINE_GETTER (CinCountMethod, body_count, CIN_COUNT_GRAPHEMES)
DEFINE_GETTER (guint, topics_max, 0)
DEFINE_GETTER (guint, photos_min, 0)
DEFINE_GETTER (guint, photos_max, 0)
DEFINE_GETTER (guint64, photo_max_bytes, 0)
DEFINE_GETTER (guint, photo_recommended_width, 0)
DEFINE_GETTER (guint, photo_recommended_height, 0)
DEFINE_GETTER (guint64, video_max_bytes, 0)
DEFINE_GETTER (guint, video_max_seconds, 0)
DEFINE_GETTER (guint, board_name_max, 0)
DEFINE_GETTER (guint, schedule_min_seconds, 0)
DEFINE_GETTER (guint, schedule_max_seconds, 0)

const char * const *
cin_rules_get_photo_formats (CinRules *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *)self->photo_formats;
}

/* Counting and checking */

static gboolean
field_limits (CinRules       *self,
              CinField        field,
              guint          *max,
              CinCountMethod *method)
{
  switch (field)
    {
    case CIN_FIELD_TITLE:
      *max = self->title_max;
      *method = self->title_count;
      return TRUE;
    case CIN_FIELD_BODY:
      *max = self->body_max;
      *method = self->body_count;
      return TRUE;
    case CIN_FIELD_TOPICS:
    default:
      return FALSE;
    }
}

gboolean
cin_rules_count_field (CinRules    *self,
                       CinField     field,
                       const char  *text,
                       guint       *count,
                       GError     **error)
{
  CinCountMethod method;
  guint max;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!field_limits (self, field, &max, &method))
    g_return_val_if_reached (FALSE);

  return cin_text_count (text, -1, method, count, error);
}

/* One `#word` typed in the text, in code points. */
typedef struct {
  glong  start;
  glong  end;
  char  *word;
} Hashtag;

static void
hashtag_clear (Hashtag *tag)
{
  g_free (tag->word);
}

static gboolean
is_ascii_alnum (gunichar c)
{
  return c < 0x80 && g_ascii_isalnum ((char)c);
}

static gboolean
is_hashtag_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '_';
}

static gboolean
is_mention_char (gunichar c)
{
  return is_hashtag_char (c) || c == '-' || c == '.';
}

/* How the platform's own text export spells a topic: "#word[话题]#". */
static const gunichar topic_marker[] = { '[', 0x8BDD, 0x9898, ']', '#', 0 };

static gboolean
has_topic_marker (const gunichar *chars,
                  glong           n,
                  glong           at)
{
  for (gsize k = 0; topic_marker[k] != 0; k++)
    {
      if (at + (glong)k >= n || chars[at + k] != topic_marker[k])
        return FALSE;
    }
  return TRUE;
}

/* A hashtag is '#' and a word; it ends at anything that is not a word
 * character. The platform's neighbours write topics as "#word#", so a '#'
 * right after the word closes it, unless a word follows that '#' too:
 * "#a#b" is two hashtags, as people chain them. A '#' right after an ASCII
 * letter or digit (C#, issue#12, a URL's #anchor) starts none. */
static GArray *
scan_hashtags (const char *text)
{
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (Hashtag));
  g_autofree gunichar *chars = NULL;
  gboolean chained = FALSE;
  glong n = 0;

  g_array_set_clear_func (tags, (GDestroyNotify)hashtag_clear);

  if (text == NULL || !cin_text_validate (text, -1, NULL))
    return g_steal_pointer (&tags);

  chars = g_utf8_to_ucs4_fast (text, -1, &n);
  for (glong i = 0; i < n; )
    {
      Hashtag tag;
      glong j;

      if (chars[i] != '#' || (!chained && i > 0 && is_ascii_alnum (chars[i - 1])))
        {
          chained = FALSE;
          i++;
          continue;
        }
      chained = FALSE;

      for (j = i + 1; j < n && is_hashtag_char (chars[j]); j++)
        ;
      if (j == i + 1)
        {
          i++;
          continue;
        }

      tag.start = i;
      tag.word = g_ucs4_to_utf8 (chars + i + 1, j - i - 1, NULL, NULL, NULL);
      if (has_topic_marker (chars, n, j))
        j += G_N_ELEMENTS (topic_marker) - 1;
      else if (j < n && chars[j] == '#')
        {
          if (j + 1 < n && is_hashtag_char (chars[j + 1]))
            chained = TRUE;
          else
            j++;
        }
      tag.end = j;
      g_array_append_val (tags, tag);
      i = j;
    }

  return g_steal_pointer (&tags);
}

static GStrv
unique_strv (GPtrArray *words)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_hash_table_add (seen, (gpointer)word))
        g_strv_builder_add (builder, word);
    }
  return g_strv_builder_end (builder);
}

GStrv
cin_rules_extract_hashtags (const char *text)
{
  g_autoptr(GArray) tags = scan_hashtags (text);
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  for (guint i = 0; i < tags->len; i++)
    g_ptr_array_add (words, g_array_index (tags, Hashtag, i).word);
  return unique_strv (words);
}

/* A mention is '@' and a name; one right after an ASCII letter or digit
 * is the middle of an e-mail address. A name ends before any '.' that
 * closes the sentence. */
GStrv
cin_rules_extract_mentions (const char *text)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree gunichar *chars = NULL;
  glong n = 0;

  if (text == NULL || !cin_text_validate (text, -1, NULL))
    return unique_strv (words);

  chars = g_utf8_to_ucs4_fast (text, -1, &n);
  for (glong i = 0; i < n; i++)
    {
      glong j, end;

      if (chars[i] != '@' || (i > 0 && is_ascii_alnum (chars[i - 1])))
        continue;

      for (j = i + 1; j < n && is_mention_char (chars[j]); j++)
        ;
      for (end = j; end > i + 1 && chars[end - 1] == '.'; end--)
        ;
      if (end > i + 1)
        g_ptr_array_add (words, g_ucs4_to_utf8 (chars + i + 1, end - i - 1, NULL, NULL, NULL));
      i = j - 1;
    }

  return unique_strv (words);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  return cin_finding_compare (*(const CinFinding * const *)a,
                              *(const CinFinding * const *)b);
}

static void
check_length (CinRules   *self,
              CinField    field,
              const char *text,
              GPtrArray  *findings)
{
  g_autofree char *message = NULL;
  g_autofree char *excess_text = NULL;
  CinCountMethod method;
  guint max, count, excess;
  glong start, end;

  if (!field_limits (self, field, &max, &method))
    g_assert_not_reached ();
  if (!cin_text_count (text, -1, method, &count, NULL) || count <= max)
    return;

  excess = count - max;
  start = cin_text_overflow_offset (text, method, max);
  end = g_utf8_strlen (text, -1);
  g_assert (start >= 0 && start < end);
  excess_text = g_utf8_substring (text, start, end);

  if (field == CIN_FIELD_TITLE)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: the first %u is the title's
                                             * length, always more than the second, the
                                             * platform's limit; the third is the
                                             * difference, which picks the plural form. */
                                            "The title is %u characters; the platform allows %u. "
                                            "Shorten it by %u character.",
                                            "The title is %u characters; the platform allows %u. "
                                            "Shorten it by %u characters.",
                                            excess),
                               count, max, excess);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: about the note's body text:
                                             * its length, always more than the second
                                             * number, the platform's limit; the third is
                                             * the difference, which picks the plural form. */
                                            "The text is %u characters; the platform allows %u. "
                                            "Shorten it by %u character.",
                                            "The text is %u characters; the platform allows %u. "
                                            "Shorten it by %u characters.",
                                            excess),
                               count, max, excess);

  g_ptr_array_add (findings,
                   cin_finding_new (field == CIN_FIELD_TITLE ? CIN_FINDING_TITLE_TOO_LONG
                                                             : CIN_FINDING_BODY_TOO_LONG,
                                    CIN_SEVERITY_ERROR, field, start, end,
                                    excess_text, message, NULL));
}

static void
check_typed_topics (CinField    field,
                    const char *text,
                    GPtrArray  *findings)
{
  g_autoptr(GArray) tags = scan_hashtags (text);

  for (guint i = 0; i < tags->len; i++)
    {
      const Hashtag *tag = &g_array_index (tags, Hashtag, i);
      g_autofree char *match = g_utf8_substring (text, tag->start, tag->end);
      g_autofree char *message = NULL;

      /* Translators: %s is the word after the '#', such as 护肤. */
      message = g_strdup_printf (_("“#%s” is plain text on the platform, not a topic. "
                                   "Add it as a topic instead so it links."),
                                 tag->word);
      g_ptr_array_add (findings,
                       cin_finding_new (CIN_FINDING_TYPED_TOPIC, CIN_SEVERITY_WARNING,
                                        field, tag->start, tag->end, match, message, NULL));
    }
}

static void
check_field_into (CinRules   *self,
                  CinAdCheck *ad_check,
                  CinField    field,
                  const char *text,
                  GPtrArray  *findings)
{
  /* Offsets into text that is not text would point at nothing. */
  if (!cin_text_validate (text, -1, NULL))
    return;

  check_length (self, field, text, findings);
  check_typed_topics (field, text, findings);
  if (ad_check != NULL)
    cin_ad_check_scan (ad_check, field, text, findings);
}

GPtrArray *
cin_rules_check_field (CinRules   *self,
                       CinAdCheck *ad_check,
                       CinField    field,
                       const char *text)
{
  g_autoptr(GPtrArray) findings = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field == CIN_FIELD_TITLE || field == CIN_FIELD_BODY, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);
  check_field_into (self, ad_check, field, text, findings);
  g_ptr_array_sort (findings, compare_findings);

  return g_steal_pointer (&findings);
}

GPtrArray *
cin_rules_check_note (CinRules   *self,
                      CinAdCheck *ad_check,
                      CinNote    *note)
{
  g_autoptr(GPtrArray) findings = NULL;
  const char * const *topics;
  const char *title;
  const char *body;
  guint n_topics;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (CIN_IS_NOTE (note), NULL);

  findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);

  title = cin_note_get_title (note);
  body = cin_note_get_body (note);
  check_field_into (self, ad_check, CIN_FIELD_TITLE, title ? title : "", findings);
  check_field_into (self, ad_check, CIN_FIELD_BODY, body ? body : "", findings);

  topics = cin_note_get_topics (note);
  n_topics = topics ? g_strv_length ((char **)topics) : 0;
  if (n_topics > self->topics_max)
    {
      guint excess = n_topics - self->topics_max;
      g_autofree char *message = NULL;
      g_autofree char *match = g_strjoinv (" ", (char **)topics + self->topics_max);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* Translators: the first %u is how many
                                               * topics the note has, always more than the
                                               * second, the platform's limit; the third is
                                               * the difference, which picks the plural form. */
                                              "The note has %u topics; the platform allows %u. "
                                              "Remove %u topic.",
                                              "The note has %u topics; the platform allows %u. "
                                              "Remove %u topics.",
                                              excess),
                                 n_topics, self->topics_max, excess);
      g_ptr_array_add (findings,
                       cin_finding_new (CIN_FINDING_TOO_MANY_TOPICS, CIN_SEVERITY_ERROR,
                                        CIN_FIELD_TOPICS, self->topics_max, n_topics,
                                        match, message, NULL));
    }

  g_ptr_array_sort (findings, compare_findings);
  return g_steal_pointer (&findings);
}
