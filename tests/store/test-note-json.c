/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-note-json"

#include "cin-note-json.h"
#include "store-test-util.h"

#include <string.h>

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void
assert_same_except_sync_state (CinNote *a,
                               CinNote *b)
{
  /* sync_state is local and not part of the JSON. */
  g_autoptr(CinNote) b_copy = cin_note_copy (b);

  cin_note_set_sync_state (b_copy, cin_note_get_sync_state (a));
  store_test_assert_notes_equal (a, b_copy);
}

/* Old JSON has no "photos": no photos. Bad photos are refused. */
static void
test_photos (void)
{
  static const char *bad[] = {
    "\"photos\":{}",
    "\"photos\":[1]",
    "\"photos\":[{\"id\":\"p\",\"sha256\":\"abc\",\"mime\":\"image/png\",\"width\":1,\"height\":1}]",
    "\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA "\",\"mime\":\"image/gif\",\"width\":1,\"height\":1}]",
    "\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA "\",\"mime\":\"image/png\",\"width\":0,\"height\":1}]",
    "\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA "\",\"mime\":\"image/png\",\"width\":1,\"height\":1,\"crop_x\":2}]",
    "\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA "\",\"mime\":\"image/png\",\"width\":1,\"height\":1,\"crop\":\"2:1\"}]",
    "\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA "\",\"mime\":\"image/png\",\"width\":1,\"height\":1},"
    "{\"id\":\"p\",\"sha256\":\"" SHA "\",\"mime\":\"image/png\",\"width\":1,\"height\":1}]",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) old = cin_note_from_json_string (
    "{\"id\":\"n\",\"kind\":\"photo\",\"created_at\":\"2025-01-01T00:00:00Z\","
    "\"updated_at\":\"2025-01-01T00:00:00Z\"}", &error);
  g_autoptr(CinNote) good = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (cin_note_get_n_photos (old), ==, 0);
  json = cin_note_to_json_string (old);
  g_assert_nonnull (strstr (json, "\"photos\":[]"));

  good = cin_note_from_json_string (
    "{\"id\":\"n\",\"kind\":\"photo\",\"created_at\":\"2025-01-01T00:00:00Z\","
    "\"updated_at\":\"2025-01-01T00:00:00Z\",\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA "\","
    "\"mime\":\"image/jpeg\",\"width\":1080,\"height\":1440,\"crop\":\"1:1\",\"crop_x\":0,"
    "\"crop_y\":0.25,\"alt_text\":null}]}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cin_note_get_n_photos (good), ==, 1);
  g_assert_cmpstr (cin_photo_get_sha256 (cin_note_get_photo (good, 0)), ==, SHA);
  g_assert_cmpuint (cin_photo_get_crop (cin_note_get_photo (good, 0)), ==, CIN_CROP_1_1);
  g_assert_cmpfloat (cin_photo_get_crop_y (cin_note_get_photo (good, 0)), ==, 0.25);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strconcat ("{\"id\":\"n\",\"kind\":\"photo\","
                                           "\"created_at\":\"2025-01-01T00:00:00Z\","
                                           "\"updated_at\":\"2025-01-01T00:00:00Z\",", bad[i], "}", NULL);
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(CinNote) note = cin_note_from_json_string (text, &bad_error);

      g_assert_null (note);
      g_assert_error (bad_error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID);
    }
}

static void
test_round_trip (void)
{
  for (guint variant = 0; variant < 6; variant++)
    {
      g_autoptr(CinNote) note = store_test_make_note ("6a1d4c9e-7e57-4000-8000-00000000abcd", variant);
      g_autofree char *json = NULL;
      g_autoptr(CinNote) decoded = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      json = cin_note_to_json_string (note);
      decoded = cin_note_from_json_string (json, &error);
      g_assert_no_error (error);
      assert_same_except_sync_state (note, decoded);

      node = cin_note_to_json (note);
      g_clear_object (&decoded);
      decoded = cin_note_from_json (node, &error);
      g_assert_no_error (error);
      assert_same_except_sync_state (note, decoded);
    }
}

static void
test_encoding (void)
{
  g_autoptr(CinNote) note = cin_note_new_with_id ("n1", CIN_NOTE_KIND_VIDEO);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  cin_note_set_title (note, "标题 \"quoted\" 🌸");
  cin_note_set_created_at (note, G_GINT64_CONSTANT (1735689600000001));
  cin_note_set_updated_at (note, G_GINT64_CONSTANT (1735689600999999));

  node = cin_note_to_json (note);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "n1");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "video");
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "标题 \"quoted\" 🌸");
  g_assert_cmpstr (json_object_get_string_member (object, "visibility"), ==, "public");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "draft");
  g_assert_false (json_object_get_boolean_member (object, "original"));
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, "2025-01-01T00:00:00.000001Z");
  g_assert_cmpstr (json_object_get_string_member (object, "updated_at"), ==, "2025-01-01T00:00:00.999999Z");
  g_assert_true (json_object_get_null_member (object, "scheduled_at"));
  g_assert_true (json_object_get_null_member (object, "location"));
  g_assert_true (json_object_get_null_member (object, "rev"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "topics")), ==, 0);
  g_assert_false (json_object_has_member (object, "sync_state"));
}

static void
test_decoding_defaults_and_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) note = NULL;

  /* Only the required members; unknown ones are ignored. */
  note = cin_note_from_json_string (
    "{\"id\": \"n2\", \"kind\": \"photo\","
    " \"created_at\": \"2025-01-01T08:00:00.5+08:00\","
    " \"updated_at\": \"2025-01-01t00:00:01.1234567z\","
    " \"scheduled_at\": null, \"from_the_future\": {\"x\": [1, 2]}}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cin_note_get_id (note), ==, "n2");
  g_assert_cmpstr (cin_note_get_title (note), ==, "");
  g_assert_cmpstr (cin_note_get_body (note), ==, "");
  g_assert_cmpuint (g_strv_length ((char **)cin_note_get_topics (note)), ==, 0);
  g_assert_null (cin_note_get_location (note));
  g_assert_cmpint (cin_note_get_visibility (note), ==, CIN_VISIBILITY_PUBLIC);
  g_assert_cmpint (cin_note_get_state (note), ==, CIN_NOTE_STATE_DRAFT);
  g_assert_cmpint (cin_note_get_scheduled_at (note), ==, 0);
  g_assert_cmpint (cin_note_get_created_at (note), ==, G_GINT64_CONSTANT (1735689600500000));
  /* Digits past the microsecond are dropped, not rounded. */
  g_assert_cmpint (cin_note_get_updated_at (note), ==, G_GINT64_CONSTANT (1735689601123456));
}

static void
test_invalid (void)
{
  const char * const cases[] = {
    "",
    "not json",
    "[1, 2]",
    "\"a string\"",
    "{\"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"\", \"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": 7, \"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"gif\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"title\": 5, \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"title\": null, \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"topics\": \"穿搭\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"mentions\": [\"@a\", 1], \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"location\": 5, \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"visibility\": \"friends\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"original\": \"yes\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"state\": \"deleted\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"rev\": 3, \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": null, \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": 1735689600, \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01 00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-02-30T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01T24:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00.Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00Z junk\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-01-01T00:00:00+0800\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"2025-W01-1T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"created_at\": \"1969-12-31T23:59:59Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    "{\"id\": \"x\", \"kind\": \"photo\", \"scheduled_at\": \"soon\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    /* Not UTF-8. */
    "{\"id\": \"x\", \"kind\": \"photo\", \"title\": \"\xff\xfe\", \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CinNote) note = cin_note_from_json_string (cases[i], &error);

      g_autofree char *escaped = g_strescape (cases[i], NULL);

      g_test_message ("%s → %s", escaped, error ? error->message : "(no error)");
      g_assert_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID);
      g_assert_null (note);
    }
}

/* A NUL can travel inside JSON as \u0000, and C strings would cut the text
 * there without a word. */
static void
test_nul_in_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinNote) note = cin_note_from_json_string (
    "{\"id\": \"x\", \"kind\": \"photo\", \"body\": \"before\\u0000after\","
    " \"created_at\": \"2025-01-01T00:00:00Z\", \"updated_at\": \"2025-01-01T00:00:00Z\"}",
    &error);

  g_assert_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID);
  g_assert_null (note);
}

static void
test_strv (void)
{
  const char * const strv[] = { "穿搭", "say \"hi\"", "back\\slash", "🌸👩‍🎨", "", NULL };
  const char * const empty[] = { NULL };
  const char * const invalid[] = { "{}", "[1]", "[\"a\", null]", "not json", "", "[\"a\"] x" };
  g_autofree char *json = cin_strv_to_json_string (strv);
  g_autofree char *empty_json = cin_strv_to_json_string (empty);
  g_autofree char *null_json = cin_strv_to_json_string (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) decoded = NULL;
  g_auto(GStrv) decoded_empty = NULL;

  decoded = cin_strv_from_json_string (json, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *)decoded, strv));

  g_assert_cmpstr (empty_json, ==, "[]");
  g_assert_cmpstr (null_json, ==, "[]");
  decoded_empty = cin_strv_from_json_string ("[]", &error);
  g_assert_no_error (error);
  g_assert_nonnull (decoded_empty);
  g_assert_null (decoded_empty[0]);

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_auto(GStrv) result = cin_strv_from_json_string (invalid[i], &error);

      g_assert_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID);
      g_assert_null (result);
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/note-json/photos", test_photos);
  g_test_add_func ("/store/note-json/round-trip", test_round_trip);
  g_test_add_func ("/store/note-json/encoding", test_encoding);
  g_test_add_func ("/store/note-json/defaults-and-times", test_decoding_defaults_and_times);
  g_test_add_func ("/store/note-json/invalid", test_invalid);
  g_test_add_func ("/store/note-json/nul-in-string", test_nul_in_string);
  g_test_add_func ("/store/note-json/strv", test_strv);

  return g_test_run ();
}
