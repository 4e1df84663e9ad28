/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-metrics"

#include <string.h>

#include "server-test-util.h"

/* The seeded metrics simulator: numbers for published notes only, that
 * grow as the server's days pass, hold together (views within
 * impressions …), and are the same every time they are asked for. */

typedef struct {
  TestServer *server;
  char       *token;
  char       *id;
  char       *metrics_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  fixture->token = test_server_sign_up (fixture->server, "analyst");
  fixture->id = test_server_put_note (fixture->server, fixture->token,
                                      "{\"kind\":\"video\",\"title\":\"一分钟手冲\"}",
                                      GPOINTER_TO_INT (data), NULL);
  fixture->metrics_path = g_strconcat ("/v1/notes/", fixture->id, "/metrics", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_stop (fixture->server);
  g_free (fixture->token);
  g_free (fixture->id);
  g_free (fixture->metrics_path);
}

static JsonArray *
days_of (TestResponse *response)
{
  g_assert_cmpuint (response->status, ==, 200);
  return json_object_get_array_member (test_response_object (response), "days");
}

static void
test_days_grow_and_hold_together (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(TestResponse) today = test_server_request (fixture->server, "GET", fixture->metrics_path,
                                                       fixture->token, NULL, NULL);
  g_autoptr(TestResponse) later = NULL;
  g_autoptr(TestResponse) again = NULL;
  g_autofree char *first_day_before = NULL;
  g_autofree char *first_day_after = NULL;
  g_autofree char *later_text = NULL;
  g_autofree char *again_text = NULL;
  JsonArray *days = days_of (today);
  JsonObject *first, *last;

  g_assert_cmpuint (json_array_get_length (days), ==, 1);
  first = json_array_get_object_element (days, 0);
  first_day_before = json_to_string (json_array_get_element (days, 0), FALSE);
  g_assert_cmpint (json_object_get_int_member (first, "impressions"), >, 0);

  test_server_advance_clock (fixture->server, 6 * 24 * 3600);
  later = test_server_request (fixture->server, "GET", fixture->metrics_path, fixture->token, NULL, NULL);
  days = days_of (later);
  g_assert_cmpuint (json_array_get_length (days), ==, 7);
  first_day_after = json_to_string (json_array_get_element (days, 0), FALSE);
  /* A past day never changes. */
  g_assert_cmpstr (first_day_before, ==, first_day_after);

  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonObject *day = json_array_get_object_element (days, i);
      gint64 impressions = json_object_get_int_member (day, "impressions");
      gint64 views = json_object_get_int_member (day, "views");
      gint64 likes = json_object_get_int_member (day, "likes");

      g_assert_cmpint (views, <=, impressions);
      g_assert_cmpint (json_object_get_int_member (day, "cover_clicks"), <=, views);
      g_assert_cmpint (json_object_get_int_member (day, "completions"), <=, views);
      g_assert_cmpint (likes, <=, views);
      g_assert_cmpint (json_object_get_int_member (day, "collects"), <=, likes);
      /* A video is watched. */
      g_assert_cmpint (json_object_get_int_member (day, "watch_seconds"), >=, views * 6 - 1);
    }
  /* Reach fades after the first days. */
  first = json_array_get_object_element (days, 0);
  last = json_array_get_object_element (days, 6);
  g_assert_cmpint (json_object_get_int_member (first, "impressions"), >,
                   2 * json_object_get_int_member (last, "impressions"));

  again = test_server_request (fixture->server, "GET", fixture->metrics_path, fixture->token, NULL, NULL);
  later_text = test_response_text (later);
  again_text = test_response_text (again);
  g_assert_cmpstr (later_text, ==, again_text);
}

static void
test_account_followers (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TestResponse) response = NULL;
  JsonArray *days;
  gint64 previous = -1;

  test_server_advance_clock (fixture->server, 10 * 24 * 3600);
  response = test_server_request (fixture->server, "GET", "/v1/account/metrics", fixture->token, NULL, NULL);
  days = days_of (response);
  g_assert_cmpuint (json_array_get_length (days), ==, 30);
  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      JsonObject *day = json_array_get_object_element (days, i);
      gint64 followers = json_object_get_int_member (day, "followers");

      g_assert_cmpint (followers, >, 0);
      if (previous >= 0)
        g_assert_cmpint (followers, ==, previous + json_object_get_int_member (day, "follower_gain"));
      previous = followers;
    }
}

static void
test_drafts_have_no_numbers (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TestResponse) response = test_server_request (fixture->server, "GET", fixture->metrics_path,
                                                          fixture->token, NULL, NULL);

  g_assert_cmpuint (json_array_get_length (days_of (response)), ==, 0);
}

static void
test_owner_only_and_bad_ranges (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *other = test_server_sign_up (fixture->server, "curious");
  g_autofree char *bad_from = g_strconcat (fixture->metrics_path, "?from=yesterday", NULL);
  g_autofree char *backwards = g_strconcat (fixture->metrics_path, "?from=2026-02-01&to=2026-01-01", NULL);
  g_autoptr(TestResponse) foreign = test_server_request (fixture->server, "GET", fixture->metrics_path,
                                                         other, NULL, NULL);
  g_autoptr(TestResponse) garbled = test_server_request (fixture->server, "GET", bad_from,
                                                         fixture->token, NULL, NULL);
  g_autoptr(TestResponse) reversed = test_server_request (fixture->server, "GET", backwards,
                                                          fixture->token, NULL, NULL);

  g_assert_cmpuint (foreign->status, ==, 404);
  g_assert_cmpuint (garbled->status, ==, 400);
  g_assert_cmpstr (test_response_string (garbled, "field"), ==, "from");
  g_assert_cmpuint (reversed->status, ==, 400);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, published, func) \
  g_test_add ("/server/metrics/" path, Fixture, GINT_TO_POINTER (published), \
              fixture_set_up, func, fixture_tear_down)
  ADD ("days-grow-and-hold-together", TRUE, test_days_grow_and_hold_together);
  ADD ("account-followers", TRUE, test_account_followers);
  ADD ("drafts-have-no-numbers", FALSE, test_drafts_have_no_numbers);
  ADD ("owner-only-and-bad-ranges", TRUE, test_owner_only_and_bad_ranges);
#undef ADD

  return g_test_run ();
}
