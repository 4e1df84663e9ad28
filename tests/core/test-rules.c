/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-rules"

#include <string.h>

#include "cin-ad-check.h"
#include "cin-note.h"
#include "cin-paths.h"
#include "cin-rules.h"

/* The shipped file's layout with every value, to break one at a time. */
static const char valid_rules[] =
  "{\n"
  "  \"$comment\": \"test rules\",\n"
  "  \"format\": 1,\n"
  "  \"version\": 3,\n"
  "  \"updated\": \"2026-11-01\",\n"
  "  \"title\": { \"max\": 20, \"count\": \"half-ascii\" },\n"
  "  \"body\": { \"max\": 1000, \"count\": \"graphemes\" },\n"
  "  \"photos\": { \"min\": 1, \"max\": 18, \"max_bytes\": 20971520,\n"
  "              \"formats\": [\"png\", \"jpeg\", \"webp\"],\n"
  "              \"recommended_width\": 720, \"recommended_height\": 960 },\n"
  "  \"video\": { \"max_bytes\": 21474836480, \"max_seconds\": 14400 },\n"
  "  \"topics\": { \"max\": 10 },\n"
  "  \"schedule\": { \"min_seconds\": 3600, \"max_seconds\": 1209600 },\n"
  "  \"board_name\": { \"max\": 12 }\n"
  "}\n";

static char *
replace_once (const char *haystack,
              const char *needle,
              const char *replacement)
{
  const char *at = strstr (haystack, needle);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int)(at - haystack), haystack,
                          replacement, at + strlen (needle));
}

static CinRules *
rules_from_string (const char  *json,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return cin_rules_new_from_bytes (bytes, error);
}

static CinRules *
load_shipped (void)
{
  g_autofree char *path = cin_paths_build_data_file ("rules", "rules.json", NULL);
  g_autoptr(GError) error = NULL;
  CinRules *rules = cin_rules_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rules);
  return rules;
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
test_shipped (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  const char * const *formats = cin_rules_get_photo_formats (rules);

  g_assert_cmpuint (cin_rules_get_version (rules), >=, 1);
  g_assert_nonnull (strstr (cin_rules_get_path (rules), "rules.json"));
  g_assert_cmpuint (strlen (cin_rules_get_updated (rules)), ==, 10);
  g_assert_cmpuint (cin_rules_get_title_max (rules), ==, 20);
  g_assert_cmpint (cin_rules_get_title_count (rules), ==, CIN_COUNT_HALF_ASCII);
  g_assert_cmpuint (cin_rules_get_body_max (rules), ==, 1000);
  g_assert_cmpint (cin_rules_get_body_count (rules), ==, CIN_COUNT_GRAPHEMES);
  g_assert_cmpuint (cin_rules_get_topics_max (rules), ==, 10);
  g_assert_cmpuint (cin_rules_get_photos_min (rules), ==, 1);
  g_assert_cmpuint (cin_rules_get_photos_max (rules), ==, 18);
  g_assert_cmpuint (cin_rules_get_photo_max_bytes (rules), ==, 20 * 1024 * 1024);
  g_assert_cmpuint (cin_rules_get_photo_recommended_width (rules), ==, 720);
  g_assert_cmpuint (cin_rules_get_photo_recommended_height (rules), ==, 960);
  g_assert_cmpuint (cin_rules_get_video_max_bytes (rules), ==, G_GUINT64_CONSTANT (20) << 30);
  g_assert_cmpuint (cin_rules_get_video_max_seconds (rules), ==, 4 * 3600);
  g_assert_cmpuint (cin_rules_get_schedule_min_seconds (rules), ==, 3600);
  g_assert_cmpuint (cin_rules_get_schedule_max_seconds (rules), ==, 14 * 24 * 3600);
  g_assert_cmpuint (cin_rules_get_board_name_max (rules), ==, 12);

  g_assert_nonnull (formats);
  g_assert_true (g_strv_contains (formats, "png"));
  g_assert_true (g_strv_contains (formats, "jpeg"));
  g_assert_true (g_strv_contains (formats, "webp"));
  g_assert_false (g_strv_contains (formats, "gif"));
}

static void
test_from_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinRules) rules = rules_from_string (valid_rules, &error);
  g_autoptr(CinRules) ref = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (cin_rules_get_version (rules), ==, 3);
  g_assert_null (cin_rules_get_path (rules));
  g_assert_cmpstr (cin_rules_get_updated (rules), ==, "2026-11-01");

  ref = cin_rules_ref (rules);
  g_assert_true (ref == rules);
  g_assert_true (G_TYPE_IS_BOXED (CIN_TYPE_RULES));
}

static void
test_lenient (void)
{
  /* Members a newer build added are ignored, and 20.0 is twenty. */
  g_autofree char *extra = replace_once (valid_rules, "\"format\": 1,",
                                         "\"format\": 1, \"stickers\": { \"max\": 5 },");
  g_autofree char *float_max = replace_once (valid_rules, "\"max\": 20,", "\"max\": 20.0,");
  g_autoptr(CinRules) a = NULL;
  g_autoptr(CinRules) b = NULL;
  g_autoptr(GError) error = NULL;

  a = rules_from_string (extra, &error);
  g_assert_no_error (error);
  b = rules_from_string (float_max, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cin_rules_get_title_max (b), ==, 20);
}

typedef struct {
  const char *name;
  const char *needle;       /* NULL: use replacement as the whole file */
  const char *replacement;
  int         code;
  const char *in_message;   /* a part of the message that names the fault */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "not JSON", NULL, "{ \"format\": 1,", CIN_RULES_ERROR_INVALID, "not valid JSON" },
  { "empty", NULL, "", CIN_RULES_ERROR_INVALID, "JSON object" },
  { "array", NULL, "[1, 2]", CIN_RULES_ERROR_INVALID, "JSON object" },
  { "missing format", "\"format\": 1,", "", CIN_RULES_ERROR_INVALID, "“format” is missing" },
  { "unknown format", "\"format\": 1,", "\"format\": 2,", CIN_RULES_ERROR_UNSUPPORTED, "format 2" },
  { "format as string", "\"format\": 1,", "\"format\": \"1\",", CIN_RULES_ERROR_INVALID, "“format”" },
  { "missing version", "\"version\": 3,", "", CIN_RULES_ERROR_INVALID, "“version” is missing" },
  { "version zero", "\"version\": 3,", "\"version\": 0,", CIN_RULES_ERROR_INVALID, "“version” must be a whole number" },
  { "missing updated", "\"updated\": \"2026-11-01\",", "", CIN_RULES_ERROR_INVALID, "“updated” is missing" },
  { "bad date", "2026-11-01", "2026-13-01", CIN_RULES_ERROR_INVALID, "“updated” must be a date" },
  { "date with time", "2026-11-01", "2026-11-01T00:00", CIN_RULES_ERROR_INVALID, "“updated”" },
  { "missing title", "\"title\": { \"max\": 20, \"count\": \"half-ascii\" },", "", CIN_RULES_ERROR_INVALID, "“title” is missing" },
  { "title not object", "\"title\": { \"max\": 20, \"count\": \"half-ascii\" }", "\"title\": 20", CIN_RULES_ERROR_INVALID, "“title” must be an object" },
  { "missing title.max", "\"max\": 20, ", "", CIN_RULES_ERROR_INVALID, "“title.max” is missing" },
  { "title.max string", "\"max\": 20,", "\"max\": \"20\",", CIN_RULES_ERROR_INVALID, "“title.max” must be a whole number between 1 and 10000" },
  { "title.max bool", "\"max\": 20,", "\"max\": true,", CIN_RULES_ERROR_INVALID, "“title.max” must be a whole number" },
  { "title.max fraction", "\"max\": 20,", "\"max\": 20.5,", CIN_RULES_ERROR_INVALID, "“title.max” must be a whole number" },
  { "title.max zero", "\"max\": 20,", "\"max\": 0,", CIN_RULES_ERROR_INVALID, "“title.max” must be a whole number between 1 and 10000" },
  { "title.max negative", "\"max\": 20,", "\"max\": -20,", CIN_RULES_ERROR_INVALID, "“title.max”" },
  { "title.max huge", "\"max\": 20,", "\"max\": 10001,", CIN_RULES_ERROR_INVALID, "“title.max”" },
  { "missing title.count", ", \"count\": \"half-ascii\"", "", CIN_RULES_ERROR_INVALID, "“title.count” is missing" },
  { "title.count unknown", "\"half-ascii\"", "\"bytes\"", CIN_RULES_ERROR_INVALID, "“title.count” must be" },
  { "body.count number", "\"graphemes\"", "1", CIN_RULES_ERROR_INVALID, "“body.count” must be" },
  { "body.max huge", "\"max\": 1000,", "\"max\": 100000000,", CIN_RULES_ERROR_INVALID, "“body.max”" },
  { "photos.max below min", "\"max\": 18,", "\"max\": 0,", CIN_RULES_ERROR_INVALID, "“photos.max” must be a whole number between 1 and 100" },
  { "photos.max_bytes missing", "\"max_bytes\": 20971520,", "", CIN_RULES_ERROR_INVALID, "“photos.max_bytes” is missing" },
  { "photos.formats empty", "[\"png\", \"jpeg\", \"webp\"]", "[]", CIN_RULES_ERROR_INVALID, "“photos.formats”" },
  { "photos.formats not strings", "[\"png\", \"jpeg\", \"webp\"]", "[\"png\", 3]", CIN_RULES_ERROR_INVALID, "“photos.formats”" },
  { "photos.formats upper case", "[\"png\", \"jpeg\", \"webp\"]", "[\"PNG\"]", CIN_RULES_ERROR_INVALID, "“photos.formats”" },
  { "photos.formats string", "[\"png\", \"jpeg\", \"webp\"]", "\"png\"", CIN_RULES_ERROR_INVALID, "“photos.formats”" },
  { "video.max_seconds zero", "\"max_seconds\": 14400", "\"max_seconds\": 0", CIN_RULES_ERROR_INVALID, "“video.max_seconds”" },
  { "topics.max missing", "\"topics\": { \"max\": 10 }", "\"topics\": {}", CIN_RULES_ERROR_INVALID, "“topics.max” is missing" },
  { "schedule reversed", "\"max_seconds\": 1209600", "\"max_seconds\": 60", CIN_RULES_ERROR_INVALID, "“schedule.max_seconds” must be a whole number between 3600 and" },
  { "board_name missing", ",\n  \"board_name\": { \"max\": 12 }", "", CIN_RULES_ERROR_INVALID, "“board_name” is missing" },
};

static void
test_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      const InvalidCase *c = &invalid_cases[i];
      g_autofree char *json = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CinRules) rules = NULL;

      g_test_message ("invalid rules: %s", c->name);

      json = c->needle ? replace_once (valid_rules, c->needle, c->replacement)
                       : g_strdup (c->replacement);
      rules = rules_from_string (json, &error);
      g_assert_null (rules);
      g_assert_error (error, CIN_RULES_ERROR, c->code);
      if (strstr (error->message, c->in_message) == NULL)
        g_error ("“%s” is not in “%s”", c->in_message, error->message);
    }
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
user_rules_dir (void)
{
  g_autofree char *config_dir = cin_paths_get_config_dir ();

  return g_build_filename (config_dir, "rules", NULL);
}

static void
test_from_file_names_file (void)
{
  g_autofree char *dir = user_rules_dir ();
  g_autofree char *bad = replace_once (valid_rules, "\"max\": 20,", "\"max\": 0,");
  g_autofree char *path = write_file (dir, "broken.json", bad);
  g_autofree char *missing = g_build_filename (dir, "nowhere.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinRules) rules = NULL;

  rules = cin_rules_new_from_file (path, &error);
  g_assert_null (rules);
  g_assert_error (error, CIN_RULES_ERROR, CIN_RULES_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "broken.json: “title.max” must be a whole number between 1 and 10000.");
  g_clear_error (&error);

  rules = cin_rules_new_from_file (missing, &error);
  g_assert_null (rules);
  g_assert_error (error, CIN_RULES_ERROR, CIN_RULES_ERROR_NOT_FOUND);
}

static void
test_load_default_shipped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinRules) rules = cin_rules_load_default (&error);
  g_autofree char *shipped = cin_paths_build_data_file ("rules", "rules.json", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (cin_rules_get_path (rules), ==, shipped);
}

static void
test_load_default_newer_wins (void)
{
  g_autofree char *dir = user_rules_dir ();
  g_autofree char *v50 = replace_once (valid_rules, "\"version\": 3,", "\"version\": 50,");
  g_autofree char *v50_title = replace_once (v50, "\"max\": 20,", "\"max\": 30,");
  g_autofree char *v40 = replace_once (valid_rules, "\"version\": 3,", "\"version\": 40,");
  g_autofree char *newer = write_file (dir, "b-newer.json", v50_title);
  g_autofree char *older = write_file (dir, "c-older.json", v40);
  g_autofree char *ignored = write_file (dir, "z-not-json-suffix.txt", "not even JSON");
  g_autoptr(GError) error = NULL;
  g_autoptr(CinRules) rules = NULL;

  rules = cin_rules_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_rules_get_path (rules), ==, newer);
  g_assert_cmpuint (cin_rules_get_version (rules), ==, 50);
  g_assert_cmpuint (cin_rules_get_title_max (rules), ==, 30);
}

static void
test_load_default_tie (void)
{
  g_autofree char *dir = user_rules_dir ();
  g_autofree char *shipped = cin_paths_build_data_file ("rules", "rules.json", NULL);
  g_autoptr(CinRules) shipped_rules = cin_rules_new_from_file (shipped, NULL);
  g_autofree char *version = g_strdup_printf ("\"version\": %u,", cin_rules_get_version (shipped_rules));
  g_autofree char *same = replace_once (valid_rules, "\"version\": 3,", version);
  g_autofree char *same_path = write_file (dir, "same.json", same);
  g_autoptr(CinRules) rules = NULL;

  /* The user put the file there on purpose: it wins a tie. */
  rules = cin_rules_load_default (NULL);
  g_assert_nonnull (rules);
  g_assert_cmpstr (cin_rules_get_path (rules), ==, same_path);
}

static void
test_load_default_skips_invalid (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = user_rules_dir ();
      g_autofree char *v9 = replace_once (valid_rules, "\"version\": 3,", "\"version\": 9,");
      g_autofree char *v99 = replace_once (valid_rules, "\"version\": 3,", "\"version\": 99,");
      g_autofree char *v99_bad = replace_once (v99, "\"max\": 20,", "\"max\": 0,");
      g_autofree char *good = write_file (dir, "good.json", v9);
      g_autofree char *bad = write_file (dir, "bad.json", v99_bad);
      g_autoptr(CinRules) rules = NULL;
      g_autoptr(GError) error = NULL;

      /* The warning is the point here, not a failure. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      rules = cin_rules_load_default (&error);
      g_assert_no_error (error);
      g_assert_cmpstr (cin_rules_get_path (rules), ==, good);
      g_assert_cmpuint (cin_rules_get_version (rules), ==, 9);
      g_print ("loaded version %u\n", cin_rules_get_version (rules));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*loaded version 9*");
  g_test_trap_assert_stderr ("*WARNING*bad.json*bad.json:*");
  g_test_trap_assert_stderr_unmatched ("*good.json*");
}

static GPtrArray *
check (CinRules   *rules,
       CinAdCheck *ad_check,
       CinField    field,
       const char *text)
{
  GPtrArray *findings = cin_rules_check_field (rules, ad_check, field, text);

  g_assert_nonnull (findings);
  for (guint i = 1; i < findings->len; i++)
    g_assert_cmpint (cin_finding_compare (g_ptr_array_index (findings, i - 1),
                                          g_ptr_array_index (findings, i)), <=, 0);
  return findings;
}

static const CinFinding *
finding_of_kind (GPtrArray      *findings,
                 CinFindingKind  kind)
{
  const CinFinding *found = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      const CinFinding *f = g_ptr_array_index (findings, i);

      if (f->kind == kind)
        {
          g_assert_null (found);
          found = f;
        }
    }
  return found;
}

static void
test_title_length (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autofree char *cjk20 = repeat ("字", 20);
  g_autofree char *cjk21 = repeat ("字", 21);
  g_autofree char *ascii40 = repeat ("a", 40);
  g_autofree char *ascii41 = repeat ("a", 41);
  g_autofree char *cjk23 = repeat ("字", 23);
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;
  guint count = 0;

  g_assert_true (cin_rules_count_field (rules, CIN_FIELD_TITLE, cjk20, &count, NULL));
  g_assert_cmpuint (count, ==, 20);
  g_assert_true (cin_rules_count_field (rules, CIN_FIELD_TITLE, ascii41, &count, NULL));
  g_assert_cmpuint (count, ==, 21);

  findings = check (rules, NULL, CIN_FIELD_TITLE, cjk20);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = check (rules, NULL, CIN_FIELD_TITLE, ascii40);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = check (rules, NULL, CIN_FIELD_TITLE, cjk21);
  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_TITLE_TOO_LONG);
  g_assert_cmpint (f->severity, ==, CIN_SEVERITY_ERROR);
  g_assert_cmpint (f->field, ==, CIN_FIELD_TITLE);
  g_assert_cmpuint (f->start, ==, 20);
  g_assert_cmpuint (f->end, ==, 21);
  g_assert_cmpstr (f->match, ==, "字");
  g_assert_cmpstr (f->message, ==,
                   "The title is 21 characters; the platform allows 20. Shorten it by 1 character.");
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = check (rules, NULL, CIN_FIELD_TITLE, ascii41);
  f = finding_of_kind (findings, CIN_FINDING_TITLE_TOO_LONG);
  g_assert_nonnull (f);
  g_assert_cmpuint (f->start, ==, 40);
  g_assert_cmpuint (f->end, ==, 41);
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = check (rules, NULL, CIN_FIELD_TITLE, cjk23);
  f = finding_of_kind (findings, CIN_FINDING_TITLE_TOO_LONG);
  g_assert_cmpstr (f->message, ==,
                   "The title is 23 characters; the platform allows 20. Shorten it by 3 characters.");
  g_assert_cmpstr (f->match, ==, "字字字");
}

static void
test_body_length (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autofree char *body1000 = repeat ("好", 1000);
  g_autofree char *body1001 = repeat ("好", 1001);
  g_autofree char *ascii1001 = repeat ("a", 1001);
  g_autofree char *family1001 = repeat ("👩‍👩‍👧‍👦", 1001);
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;
  guint count = 0;

  g_assert_true (cin_rules_count_field (rules, CIN_FIELD_BODY, family1001, &count, NULL));
  g_assert_cmpuint (count, ==, 1001);
  /* The body counts every character as one, ASCII too. */
  g_assert_true (cin_rules_count_field (rules, CIN_FIELD_BODY, ascii1001, &count, NULL));
  g_assert_cmpuint (count, ==, 1001);

  findings = check (rules, NULL, CIN_FIELD_BODY, body1000);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = check (rules, NULL, CIN_FIELD_BODY, body1001);
  f = finding_of_kind (findings, CIN_FINDING_BODY_TOO_LONG);
  g_assert_nonnull (f);
  g_assert_cmpint (f->field, ==, CIN_FIELD_BODY);
  g_assert_cmpuint (f->start, ==, 1000);
  g_assert_cmpuint (f->end, ==, 1001);
  g_assert_cmpstr (f->message, ==,
                   "The text is 1001 characters; the platform allows 1000. Shorten it by 1 character.");
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Offsets are code points: each family is seven. */
  findings = check (rules, NULL, CIN_FIELD_BODY, family1001);
  f = finding_of_kind (findings, CIN_FINDING_BODY_TOO_LONG);
  g_assert_cmpuint (f->start, ==, 7000);
  g_assert_cmpuint (f->end, ==, 7007);
  g_assert_cmpstr (f->match, ==, "👩‍👩‍👧‍👦");
}

static void
test_invalid_text (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autoptr(CinAdCheck) ad_check = cin_ad_check_load_default (NULL);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 7;

  findings = check (rules, ad_check, CIN_FIELD_TITLE, "最好#护肤\xFF\xFE 这是一个很长很长很长很长很长很长的标题");
  g_assert_cmpuint (findings->len, ==, 0);

  g_assert_false (cin_rules_count_field (rules, CIN_FIELD_BODY, "\xED\xA0\x80", &count, &error));
  g_assert_error (error, CIN_TEXT_ERROR, CIN_TEXT_ERROR_INVALID_UTF8);
}

static void
test_typed_topics (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;

  /* 今0 天1 #2 护3 肤4 ␠5 分6 享7 #8 好9 物10 #11 */
  findings = check (rules, NULL, CIN_FIELD_BODY, "今天#护肤 分享#好物#");
  g_assert_cmpuint (findings->len, ==, 2);

  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_TYPED_TOPIC);
  g_assert_cmpint (f->severity, ==, CIN_SEVERITY_WARNING);
  g_assert_cmpint (f->field, ==, CIN_FIELD_BODY);
  g_assert_cmpuint (f->start, ==, 2);
  g_assert_cmpuint (f->end, ==, 5);
  g_assert_cmpstr (f->match, ==, "#护肤");
  g_assert_cmpstr (f->message, ==,
                   "“#护肤” is plain text on the platform, not a topic. "
                   "Add it as a topic instead so it links.");
  g_assert_null (f->suggestion);

  f = g_ptr_array_index (findings, 1);
  g_assert_cmpuint (f->start, ==, 8);
  g_assert_cmpuint (f->end, ==, 12);
  g_assert_cmpstr (f->match, ==, "#好物#");
  g_assert_nonnull (strstr (f->message, "“#好物”"));
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Every occurrence is underlined, repeated or not; in the title too. */
  findings = check (rules, NULL, CIN_FIELD_TITLE, "#ootd #ootd");
  g_assert_cmpuint (findings->len, ==, 2);
  f = g_ptr_array_index (findings, 1);
  g_assert_cmpint (f->field, ==, CIN_FIELD_TITLE);
  g_assert_cmpuint (f->start, ==, 6);
  g_assert_cmpuint (f->end, ==, 11);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* The platform's own export: “#word[话题]#”. */
  findings = check (rules, NULL, CIN_FIELD_BODY, "看#护肤[话题]#吧");
  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpuint (f->start, ==, 1);
  g_assert_cmpuint (f->end, ==, 9);
  g_assert_cmpstr (f->match, ==, "#护肤[话题]#");
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = check (rules, NULL, CIN_FIELD_BODY, "C# 和 issue#12 和 # 和 ##");
  g_assert_cmpuint (findings->len, ==, 0);
}

static void
test_with_ad_check (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autoptr(CinAdCheck) ad_check = cin_ad_check_load_default (NULL);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) without = NULL;
  const CinFinding *f;

  findings = check (rules, ad_check, CIN_FIELD_TITLE, "#面霜 最好用的面霜");
  g_assert_cmpuint (findings->len, ==, 2);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_TYPED_TOPIC);
  g_assert_cmpuint (f->start, ==, 0);
  f = g_ptr_array_index (findings, 1);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_AD_ABSOLUTE_CLAIM);
  g_assert_cmpuint (f->start, ==, 4);
  g_assert_cmpuint (f->end, ==, 6);
  g_assert_cmpstr (f->suggestion, ==, "很好");

  without = check (rules, NULL, CIN_FIELD_TITLE, "#面霜 最好用的面霜");
  g_assert_cmpuint (without->len, ==, 1);
}

static void
test_check_note (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autoptr(CinAdCheck) ad_check = cin_ad_check_load_default (NULL);
  /* A video note: the photo checks have a test of their own. */
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_VIDEO);
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *long_title = repeat ("长", 21);
  const char *ten[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", NULL };
  const char *twelve[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "十一", "十二", NULL };
  const CinFinding *f;

  /* An empty note breaks no text rule. */
  findings = cin_rules_check_note (rules, ad_check, note);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  cin_note_set_title (note, long_title);
  cin_note_set_body (note, "第一次用，#好物 推荐");
  cin_note_set_topics (note, ten);
  findings = cin_rules_check_note (rules, ad_check, note);
  g_assert_cmpuint (findings->len, ==, 2);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->field, ==, CIN_FIELD_TITLE);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_TITLE_TOO_LONG);
  f = g_ptr_array_index (findings, 1);
  g_assert_cmpint (f->field, ==, CIN_FIELD_BODY);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_TYPED_TOPIC);
  g_assert_cmpuint (f->start, ==, 5);
  g_clear_pointer (&findings, g_ptr_array_unref);

  cin_note_set_topics (note, twelve);
  findings = cin_rules_check_note (rules, ad_check, note);
  g_assert_cmpuint (findings->len, ==, 3);
  f = g_ptr_array_index (findings, 2);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_TOO_MANY_TOPICS);
  g_assert_cmpint (f->severity, ==, CIN_SEVERITY_ERROR);
  g_assert_cmpint (f->field, ==, CIN_FIELD_TOPICS);
  g_assert_cmpuint (f->start, ==, 10);
  g_assert_cmpuint (f->end, ==, 12);
  g_assert_cmpstr (f->match, ==, "十一 十二");
  g_assert_cmpstr (f->message, ==,
                   "The note has 12 topics; the platform allows 10. Remove 2 topics.");
}

static const CinFinding *
find_kind (GPtrArray      *findings,
           CinFindingKind  kind)
{
  const CinFinding *found = NULL;

  for (guint i = 0; i < findings->len; i++)
    {
      const CinFinding *f = g_ptr_array_index (findings, i);

      if (f->kind == kind)
        {
          g_assert_null (found);  /* at most one of each */
          found = f;
        }
    }

  return found;
}

static void
add_photos (CinNote    *note,
            guint       n,
            guint       width,
            guint       height,
            const char *alt_text)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sha = g_strdup_printf ("%064u", cin_note_get_n_photos (note));
      g_autoptr(CinPhoto) photo = cin_photo_new (sha, "image/jpeg", width, height);
      g_autoptr(CinPhoto) described = cin_photo_with_alt_text (photo, alt_text);

      cin_note_insert_photo (note, cin_note_get_n_photos (note), described);
    }
}

static void
test_check_photos (void)
{
  g_autoptr(CinRules) rules = load_shipped ();
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;

  /* No photo yet: it can't be published, but it is a draft, so a warning. */
  findings = cin_rules_check_note (rules, NULL, note);
  g_assert_cmpuint (findings->len, ==, 1);
  f = find_kind (findings, CIN_FINDING_TOO_FEW_PHOTOS);
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, CIN_SEVERITY_WARNING);
  g_assert_cmpint (f->field, ==, CIN_FIELD_PHOTOS);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* 18 good 3:4 photos with descriptions: nothing to say. */
  add_photos (note, 18, 1080, 1440, "窗边的咖啡");
  findings = cin_rules_check_note (rules, NULL, note);
  g_assert_cmpuint (findings->len, ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* A 19th is an error naming the photos over the limit. */
  add_photos (note, 1, 1080, 1440, "多了一张");
  findings = cin_rules_check_note (rules, NULL, note);
  f = find_kind (findings, CIN_FINDING_TOO_MANY_PHOTOS);
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, CIN_SEVERITY_ERROR);
  g_assert_cmpuint (f->start, ==, 18);
  g_assert_cmpuint (f->end, ==, 19);
  g_assert_cmpstr (f->message, ==, "The note has 19 photos; the platform allows 18. Remove 1 photo.");
  g_clear_pointer (&findings, g_ptr_array_unref);
  cin_note_set_photos (note, NULL);

  /* A small, wide cover without a description: three hints, no more. */
  add_photos (note, 1, 800, 600, "");
  add_photos (note, 1, 1080, 1440, "");
  findings = cin_rules_check_note (rules, NULL, note);
  g_assert_cmpuint (findings->len, ==, 3);
  for (guint i = 0; i < findings->len; i++)
    g_assert_cmpint (((CinFinding *)g_ptr_array_index (findings, i))->severity, ==, CIN_SEVERITY_HINT);
  f = find_kind (findings, CIN_FINDING_PHOTO_SMALL);
  g_assert_cmpuint (f->start, ==, 0);
  g_assert_cmpstr (f->message, ==, "Photo 1 is 800×600 pixels; under 720×960 it may look soft in the "
                                   "feed. A larger photo looks sharper.");
  g_assert_nonnull (find_kind (findings, CIN_FINDING_COVER_SHAPE));
  f = find_kind (findings, CIN_FINDING_PHOTO_NO_ALT_TEXT);
  g_assert_cmpstr (f->message, ==, "2 photos have no description. Describe them for people using a "
                                   "screen reader: select each and fill in its description.");
  g_clear_pointer (&findings, g_ptr_array_unref);

  /* Cropped to 3:4, the cover's shape is fine; its crop (450×600) is what
   * the feed shows, so it is small. */
  {
    g_autoptr(CinPhoto) cropped = cin_photo_with_crop (cin_note_get_photo (note, 0), CIN_CROP_3_4, 0.5, 0.5);
    cin_note_replace_photo (note, 0, cropped);
  }
  findings = cin_rules_check_note (rules, NULL, note);
  g_assert_null (find_kind (findings, CIN_FINDING_COVER_SHAPE));
  f = find_kind (findings, CIN_FINDING_PHOTO_SMALL);
  g_assert_nonnull (strstr (f->message, "450×600"));
}

static void
assert_strv (const char         *text,
             GStrv               actual,
             const char * const *expected)
{
  if (!g_strv_equal ((const char * const *)actual, expected))
    {
      g_autofree char *t = g_utf8_make_valid (text, -1);
      g_autofree char *a = g_strjoinv ("|", actual);
      g_autofree char *e = g_strjoinv ("|", (char **)expected);

      g_error ("“%s”: got [%s], expected [%s]", t, a, e);
    }
}

#define STRV(...) ((const char * const []) { __VA_ARGS__, NULL })
#define EMPTY ((const char * const []) { NULL })

static void
test_extract_hashtags (void)
{
  const struct {
    const char         *text;
    const char * const *expected;
  } cases[] = {
    { "#护肤 #美妆", STRV ("护肤", "美妆") },
    { "#word#", STRV ("word") },
    { "#a#b", STRV ("a", "b") },
    { "#a#b#", STRV ("a", "b") },
    { "#护肤#美妆#好物", STRV ("护肤", "美妆", "好物") },
    { "#tag. #tag, (#tag)", STRV ("tag") },
    { "#好物！今天#好物。", STRV ("好物") },
    { "#ootd_2024 #夏日vibe", STRV ("ootd_2024", "夏日vibe") },
    { "#café #cafe\u0301", STRV ("café", "cafe\u0301") },
    { "#Tag #tag", STRV ("Tag", "tag") },
    { "今天#护肤#分享", STRV ("护肤", "分享") },
    { "#护肤[话题]# 和 #美妆[话题]#", STRV ("护肤", "美妆") },
    { "C# and F#, issue#12, https://a.com/p#top", EMPTY },
    { "# ## #!", EMPTY },
    { "#", EMPTY },
    { "", EMPTY },
    { "#🍓草莓", EMPTY },
    { "价格#1", STRV ("1") },
    { "bad \xFF #tag", EMPTY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) tags = cin_rules_extract_hashtags (cases[i].text);

      assert_strv (cases[i].text, tags, cases[i].expected);
    }

  {
    g_auto(GStrv) none = cin_rules_extract_hashtags (NULL);
    g_assert_cmpuint (g_strv_length (none), ==, 0);
  }
}

static void
test_extract_mentions (void)
{
  const struct {
    const char         *text;
    const char * const *expected;
  } cases[] = {
    { "@小红 你好", STRV ("小红") },
    { "谢谢@小明！", STRV ("小明") },
    { "mail a@b.com", EMPTY },
    { "user1@example.cn and 2@x", EMPTY },
    { "ping @alice.", STRV ("alice") },
    { "@alice.smith hi", STRV ("alice.smith") },
    { "@bob-lee, @bob_lee", STRV ("bob-lee", "bob_lee") },
    { "@bob @carol @bob", STRV ("bob", "carol") },
    { "(@dave)", STRV ("dave") },
    { "@@eve", STRV ("eve") },
    { "@ @. @", EMPTY },
    { "邮箱：a@b.com，找@小红书", STRV ("小红书") },
    { "", EMPTY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) mentions = cin_rules_extract_mentions (cases[i].text);

      assert_strv (cases[i].text, mentions, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rules/load/shipped", test_shipped);
  g_test_add_func ("/rules/load/from-bytes", test_from_bytes);
  g_test_add_func ("/rules/load/lenient", test_lenient);
  g_test_add_func ("/rules/load/invalid", test_invalid);
  g_test_add_func ("/rules/load/from-file-names-file", test_from_file_names_file);
  g_test_add_func ("/rules/load-default/shipped", test_load_default_shipped);
  g_test_add_func ("/rules/load-default/newer-wins", test_load_default_newer_wins);
  g_test_add_func ("/rules/load-default/tie", test_load_default_tie);
  g_test_add_func ("/rules/load-default/skips-invalid", test_load_default_skips_invalid);
  g_test_add_func ("/rules/check/title-length", test_title_length);
  g_test_add_func ("/rules/check/body-length", test_body_length);
  g_test_add_func ("/rules/check/invalid-text", test_invalid_text);
  g_test_add_func ("/rules/check/typed-topics", test_typed_topics);
  g_test_add_func ("/rules/check/with-ad-check", test_with_ad_check);
  g_test_add_func ("/rules/check/note", test_check_note);
  g_test_add_func ("/rules/check/photos", test_check_photos);
  g_test_add_func ("/rules/extract/hashtags", test_extract_hashtags);
  g_test_add_func ("/rules/extract/mentions", test_extract_mentions);

  return g_test_run ();
}
