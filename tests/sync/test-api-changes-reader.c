/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-changes-reader"

#include "changes-compare.h"
#include "cin-note-json.h"
#include "server-test-util.h"

/* The change feed's fast reader (cin-api-changes-reader.c): a page as the
 * real server writes it, and the odd ones it must leave to json-glib.
 * Whatever it reads must be the very page json-glib's decoding gives
 * (fuzz-api-changes checks that on any text). */

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* A photo note with everything a note can hold, escapes, nulls and
 * members a newer server might add; and a tombstone. */
static const char typical_page[] =
  "{\"changes\":["
  "{\"cursor\":\"41\",\"kind\":\"note\",\"id\":\"n1\",\"rev\":\"r7\",\"deleted\":false,"
  " \"entity\":{\"id\":\"n1\",\"kind\":\"photo\",\"title\":\"\\\"春日\\\" \\u7a7f\\u642d \\ud83c\\udf38\","
  "  \"body\":\"line\\none\\ttab \\/ slash\",\"topics\":[\"穿搭\",\"OOTD\"],\"mentions\":[],"
  "  \"location\":null,\"visibility\":\"mutual\",\"original\":true,\"state\":\"published\","
  "  \"scheduled_at\":null,\"created_at\":\"2026-01-02T03:04:05.123456Z\","
  "  \"updated_at\":\"2026-01-02T03:04:06+08:00\",\"rev\":\"r7\",\"likes\":{\"n\":[1,2.5e3,null]},"
  "  \"photos\":[{\"id\":\"p1\",\"sha256\":\"" SHA_A "\",\"mime\":\"image/jpeg\",\"width\":1080,"
  "              \"height\":1440,\"crop\":\"3:4\",\"crop_x\":0.25,\"crop_y\":1,\"alt_text\":null,\"exif\":{}},"
  "             {\"sha256\":\"" SHA_B "\",\"id\":\"p2\",\"mime\":\"image/png\",\"width\":1,\"height\":65535}]},"
  " \"source\":\"phone\"},"
  "{\"cursor\":\"42\",\"kind\":\"note\",\"id\":\"n2\",\"rev\":\"r8\",\"deleted\":true,\"entity\":null}"
  "],\"cursor\":\"42\",\"more\":true,\"server\":\"next\"}";

static void
assert_read_as_json_glib (const char *text,
                          gsize       size)
{
  g_autoptr(CinApiChangesPage) fast = _cin_api_changes_read (text, size);
  g_autoptr(CinApiChangesPage) slow = changes_decode_slowly (text, size);

  g_assert_nonnull (fast);
  g_assert_nonnull (slow);
  g_assert_true (changes_pages_equal (fast, slow));
}

static void
test_typical_page (void)
{
  g_autoptr(CinApiChangesPage) page = _cin_api_changes_read (typical_page, strlen (typical_page));
  CinApiChange *change;
  CinPhoto *photo;

  assert_read_as_json_glib (typical_page, strlen (typical_page));

  g_assert_nonnull (page);
  g_assert_cmpstr (page->cursor, ==, "42");
  g_assert_true (page->more);
  g_assert_cmpuint (page->changes->len, ==, 2);

  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpstr (change->cursor, ==, "41");
  g_assert_cmpstr (change->id, ==, "n1");
  g_assert_cmpstr (cin_note_get_title (change->note), ==, "\"春日\" 穿搭 🌸");
  g_assert_cmpstr (cin_note_get_body (change->note), ==, "line\none\ttab / slash");
  g_assert_cmpint (cin_note_get_visibility (change->note), ==, CIN_VISIBILITY_MUTUAL);
  g_assert_true (cin_note_get_original (change->note));
  g_assert_cmpint (cin_note_get_updated_at (change->note), ==, G_GINT64_CONSTANT (1767294246000000));
  g_assert_cmpuint (cin_note_get_n_photos (change->note), ==, 2);
  photo = cin_note_get_photo (change->note, 0);
  g_assert_cmpfloat (cin_photo_get_crop_x (photo), ==, 0.25);
  g_assert_cmpfloat (cin_photo_get_crop_y (photo), ==, 1.0);
  photo = cin_note_get_photo (change->note, 1);
  g_assert_cmpstr (cin_photo_get_id (photo), ==, "p2");
  g_assert_cmpfloat (cin_photo_get_crop_x (photo), ==, 0.5);

  change = g_ptr_array_index (page->changes, 1);
  g_assert_true (change->deleted);
  g_assert_null (change->note);
}

/* Pages the real server wrote, of notes as the store writes them. */
static void
test_server_pages (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *token = test_server_sign_up (server, "reader");
  g_autofree char *cursor = NULL;
  guint n_changes = 0;
  gboolean more = TRUE;

  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(CinNote) note = cin_note_new (i % 2 ? CIN_NOTE_KIND_VIDEO : CIN_NOTE_KIND_PHOTO);
      g_autofree char *title = g_strdup_printf ("第%u篇 \"quoted\"\t✨", i);
      g_autofree char *path = g_strdup_printf ("/v1/notes/%s", cin_note_get_id (note));
      g_autofree char *key = test_idempotency_key ();
      g_autofree char *json = NULL;
      g_autoptr(TestResponse) response = NULL;

      cin_note_set_title (note, title);
      cin_note_set_body (note, "藏在老街里的小店\n第二行");
      cin_note_set_topics (note, (const char * const []) { "咖啡", "上海", NULL });
      cin_note_set_location (note, i % 3 ? "上海" : NULL);
      if (i % 2 == 0)
        {
          g_autoptr(CinPhoto) photo = cin_photo_new_full (NULL, SHA_A, "image/jpeg", 3024, 4032,
                                                          CIN_CROP_3_4, 0.5, 0.3, i ? "窗边" : NULL);
          cin_note_insert_photo (note, 0, photo);
        }
      json = cin_note_to_json_string (note);
      response = test_server_request (server, "PUT", path, token, json,
                                      "If-None-Match", "*", "Idempotency-Key", key, NULL);
      g_assert_cmpuint (response->status, ==, 201);
    }

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/changes?limit=3%s%s", cursor ? "&since=" : "",
                                               cursor ? cursor : "");
      g_autoptr(TestResponse) response = test_server_request (server, "GET", path, token, NULL, NULL);
      gsize size;
      const char *text = g_bytes_get_data (response->body, &size);
      g_autoptr(CinApiChangesPage) page = NULL;

      g_assert_cmpuint (response->status, ==, 200);
      assert_read_as_json_glib (text, size);
      page = _cin_api_changes_read (text, size);
      n_changes += page->changes->len;
      more = page->more;
      g_free (cursor);
      cursor = g_strdup (page->cursor);
    }
  g_assert_cmpuint (n_changes, ==, 7);
  test_server_stop (server);
}

typedef struct {
  const char *name;
  const char *text;
  gboolean    json_glib_takes;  /* the slow decoding gives a page */
  gboolean    read_fast;        /* and the fast reader the same page */
} Odd;

#define NOTE_HEAD "{\"changes\":[{\"cursor\":\"1\",\"kind\":\"note\",\"id\":\"n\",\"rev\":\"r\",\"deleted\":false,\"entity\":"
#define NOTE_MIN  "\"id\":\"n\",\"kind\":\"video\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\""
#define NOTE_TAIL "}],\"cursor\":\"1\",\"more\":false}"

static const Odd odd_pages[] = {
  { "minimal note", NOTE_HEAD "{" NOTE_MIN "}" NOTE_TAIL, TRUE, TRUE },
  { "entity before kind",
    "{\"changes\":[{\"entity\":{" NOTE_MIN "},\"cursor\":\"1\",\"kind\":\"note\",\"id\":\"n\",\"rev\":\"r\","
    "\"deleted\":false}],\"cursor\":\"1\",\"more\":false}", TRUE },
  { "a board",
    "{\"changes\":[{\"cursor\":\"1\",\"kind\":\"board\",\"id\":\"b\",\"rev\":\"r\",\"deleted\":false,"
    "\"entity\":{\"name\":\"x\",\"notes\":[1,{\"a\":null}]}}],\"cursor\":\"1\",\"more\":false}", TRUE, TRUE },
  { "a board that is a string",
    "{\"changes\":[{\"cursor\":\"1\",\"kind\":\"board\",\"id\":\"b\",\"rev\":\"r\",\"deleted\":false,"
    "\"entity\":\"x\"}],\"cursor\":\"1\",\"more\":false}", FALSE },
  { "a live board without entity",
    "{\"changes\":[{\"cursor\":\"1\",\"kind\":\"board\",\"id\":\"b\",\"rev\":\"r\",\"deleted\":false,"
    "\"entity\":null}],\"cursor\":\"1\",\"more\":false}", FALSE },
  { "a title twice", NOTE_HEAD "{" NOTE_MIN ",\"title\":\"a\",\"title\":\"b\"}" NOTE_TAIL, TRUE },
  { "an unknown kind", NOTE_HEAD "{\"id\":\"n\",\"kind\":\"audio\",\"created_at\":\"2026-01-01T00:00:00Z\","
    "\"updated_at\":\"2026-01-01T00:00:00Z\"}" NOTE_TAIL, FALSE },
  { "a fractional width", NOTE_HEAD "{" NOTE_MIN ",\"photos\":[{\"id\":\"p\",\"sha256\":\"" SHA_A "\","
    "\"mime\":\"image/jpeg\",\"width\":1.5,\"height\":2}]}" NOTE_TAIL, FALSE },
  { "a title that is a number", NOTE_HEAD "{" NOTE_MIN ",\"title\":5}" NOTE_TAIL, FALSE },
  { "no created_at", NOTE_HEAD "{\"id\":\"n\",\"kind\":\"video\",\"updated_at\":\"2026-01-01T00:00:00Z\"}" NOTE_TAIL, FALSE },
  { "a live change without entity", NOTE_HEAD "null" NOTE_TAIL, FALSE },
  { "no more", "{\"changes\":[],\"cursor\":\"1\"}", FALSE },
  { "an array", "[]", FALSE },
  { "text after the page", "{\"changes\":[],\"cursor\":\"1\",\"more\":false} x", FALSE },
  { "a lone surrogate", NOTE_HEAD "{" NOTE_MIN ",\"title\":\"\\ud800\"}" NOTE_TAIL, FALSE },
  { "an escaped NUL", NOTE_HEAD "{" NOTE_MIN ",\"title\":\"a\\u0000b\"}" NOTE_TAIL, FALSE },
  { "a cut page", NOTE_HEAD "{" NOTE_MIN, FALSE },
  { "not UTF-8", NOTE_HEAD "{" NOTE_MIN ",\"title\":\"\xff\"}" NOTE_TAIL, FALSE },
};

/* Read fast, or left to json-glib, which decides: the same page, or a
 * refusal. */
static void
test_odd_pages (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (odd_pages); i++)
    {
      const Odd *odd = &odd_pages[i];
      gsize size = strlen (odd->text);
      g_autoptr(CinApiChangesPage) fast = _cin_api_changes_read (odd->text, size);
      g_autoptr(CinApiChangesPage) slow = changes_decode_slowly (odd->text, size);

      g_test_message ("%s", odd->name);
      /* The minimal note is common enough to be read fast, and another
       * kind's entity is read past. */
      if (odd->read_fast)
        {
          g_assert_nonnull (fast);
          g_assert_true (changes_pages_equal (fast, slow));
          continue;
        }
      g_assert_null (fast);
      if (odd->json_glib_takes)
        g_assert_nonnull (slow);
      else
        g_assert_null (slow);
    }
}

/* More photos than a note may have are not read one by one. */
static void
test_too_many_photos (void)
{
  g_autoptr(GString) text = g_string_new (NOTE_HEAD "{" NOTE_MIN ",\"photos\":[");
  g_autoptr(CinApiChangesPage) fast = NULL;
  g_autoptr(CinApiChangesPage) slow = NULL;

  for (guint i = 0; i <= CIN_NOTE_JSON_MAX_PHOTOS; i++)
    g_string_append_printf (text, "%s{\"id\":\"p%u\",\"sha256\":\"" SHA_A "\",\"mime\":\"image/jpeg\","
                            "\"width\":1,\"height\":1}", i ? "," : "", i);
  g_string_append (text, "]}" NOTE_TAIL);
  fast = _cin_api_changes_read (text->str, text->len);
  slow = changes_decode_slowly (text->str, text->len);
  g_assert_null (fast);
  g_assert_null (slow);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/api-changes-reader/typical-page", test_typical_page);
  g_test_add_func ("/api-changes-reader/server-pages", test_server_pages);
  g_test_add_func ("/api-changes-reader/odd-pages", test_odd_pages);
  g_test_add_func ("/api-changes-reader/too-many-photos", test_too_many_photos);

  return g_test_run ();
}
