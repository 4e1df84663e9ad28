/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-explore"

#include <string.h>

#include "server-test-util.h"

/* The public feed and full-text search over published public notes,
 * Chinese text and one- and two-character queries included. */

typedef struct {
  TestServer *server;
  char       *token;
} Fixture;

static char *
put_note (Fixture    *fixture,
          const char *title,
          const char *body,
          const char *visibility,
          gboolean    published)
{
  g_autofree char *json = g_strdup_printf ("{\"kind\":\"video\",\"title\":\"%s\",\"body\":\"%s\","
                                           "\"topics\":[\"生活\"],\"visibility\":\"%s\"}",
                                           title, body, visibility);

  return test_server_put_note (fixture->server, fixture->token, json, published, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  fixture->token = test_server_sign_up (fixture->server, "explorer");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_stop (fixture->server);
  g_free (fixture->token);
}

/* The ids of a page's items, in order; sets *@cursor to the next one. */
static GPtrArray *
page_ids (TestResponse *response,
          char        **cursor)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  JsonObject *object = test_response_object (response);
  JsonArray *items = json_object_get_array_member (object, "items");

  g_assert_cmpuint (response->status, ==, 200);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (items, i), "id")));
  if (cursor != NULL)
    {
      g_free (*cursor);
      *cursor = json_object_get_null_member (object, "cursor")
                ? NULL : g_strdup (json_object_get_string_member (object, "cursor"));
    }
  return ids;
}

static GPtrArray *
search (Fixture    *fixture,
        const char *query)
{
  g_autofree char *escaped = g_uri_escape_string (query, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/v1/search?q=", escaped, NULL);
  g_autoptr(TestResponse) response = test_server_request (fixture->server, "GET", path, NULL, NULL, NULL);

  return page_ids (response, NULL);
}

static gboolean
contains (GPtrArray  *ids,
          const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (strcmp (g_ptr_array_index (ids, i), id) == 0)
      return TRUE;
  return FALSE;
}

static void
test_feed_pages_newest_first (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) published = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *draft = put_note (fixture, "草稿不出现", "", "public", FALSE);
  g_autofree char *hidden = put_note (fixture, "只给自己看", "", "only-me", TRUE);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *title = g_strdup_printf ("第%u篇", i);

      g_ptr_array_add (published, put_note (fixture, title, "", "public", TRUE));
    }

  do
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/v1/explore?limit=2&cursor=%s", cursor)
                                     : g_strdup ("/v1/explore?limit=2");
      g_autoptr(TestResponse) response = test_server_request (fixture->server, "GET", path, NULL, NULL, NULL);
      g_autoptr(GPtrArray) ids = page_ids (response, &cursor);

      g_assert_cmpuint (ids->len, <=, 2);
      for (guint i = 0; i < ids->len; i++)
        g_ptr_array_add (seen, g_strdup (g_ptr_array_index (ids, i)));
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen->len, ==, 5);
  /* Newest first: the reverse of publishing order. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), ==, g_ptr_array_index (published, 4 - i));
  g_assert_false (contains (seen, draft));
  g_assert_false (contains (seen, hidden));

  {
    g_autoptr(TestResponse) bad = test_server_request (fixture->server, "GET", "/v1/explore?cursor=zzz",
                                                       NULL, NULL, NULL);

    g_assert_cmpuint (bad->status, ==, 400);
  }
}

static void
test_search_chinese (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *map = put_note (fixture, "上海咖啡地图", "十家安静的小店", "public", TRUE);
  g_autofree char *latte = put_note (fixture, "拉花入门", "在家做一杯咖啡", "public", TRUE);
  g_autofree char *hotpot = put_note (fixture, "成都火锅探店", "微辣也很辣", "public", TRUE);
  g_autofree char *draft = put_note (fixture, "咖啡草稿", "", "public", FALSE);
  g_autofree char *secret = put_note (fixture, "私藏咖啡", "", "only-me", TRUE);
  g_autoptr(GPtrArray) two_chars = search (fixture, "咖啡");
  g_autoptr(GPtrArray) phrase = search (fixture, "咖啡地图");
  g_autoptr(GPtrArray) in_body = search (fixture, "微辣也");
  g_autoptr(GPtrArray) one_char = search (fixture, "辣");
  g_autoptr(GPtrArray) topic = search (fixture, "生活");
  g_autoptr(GPtrArray) nothing = search (fixture, "北京烤鸭");
  g_autoptr(GPtrArray) syntax = search (fixture, "咖啡\" OR \"*");

  /* Two characters: the LIKE fallback finds title and body alike. */
  g_assert_cmpuint (two_chars->len, ==, 2);
  g_assert_true (contains (two_chars, map));
  g_assert_true (contains (two_chars, latte));
  g_assert_false (contains (two_chars, draft));
  g_assert_false (contains (two_chars, secret));

  g_assert_cmpuint (phrase->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (phrase, 0), ==, map);
  g_assert_cmpuint (in_body->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (in_body, 0), ==, hotpot);
  g_assert_cmpuint (one_char->len, ==, 1);
  g_assert_cmpuint (topic->len, ==, 3);
  g_assert_cmpuint (nothing->len, ==, 0);
  /* Quotes and operators are text, not FTS5 syntax. */
  g_assert_cmpuint (syntax->len, ==, 0);
}

static void
test_search_follows_changes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *id = put_note (fixture, "秋天的银杏", "", "public", TRUE);
  g_autofree char *path = g_strconcat ("/v1/notes/", id, NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(GPtrArray) before = search (fixture, "银杏");
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(TestResponse) read = NULL;
  g_autoptr(TestResponse) deleted = NULL;
  g_autoptr(TestResponse) empty = NULL;

  g_assert_cmpuint (before->len, ==, 1);
  read = test_server_request (fixture->server, "GET", path, fixture->token, NULL, NULL);
  deleted = test_server_request (fixture->server, "DELETE", path, fixture->token, NULL,
                                 "If-Match", test_response_header (read, "ETag"),
                                 "Idempotency-Key", key, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  after = search (fixture, "银杏");
  g_assert_cmpuint (after->len, ==, 0);

  empty = test_server_request (fixture->server, "GET", "/v1/search?q=", NULL, NULL, NULL);
  g_assert_cmpuint (empty->status, ==, 400);
  g_assert_cmpstr (test_response_string (empty, "field"), ==, "q");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/explore/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("feed-pages-newest-first", test_feed_pages_newest_first);
  ADD ("search-chinese", test_search_chinese);
  ADD ("search-follows-changes", test_search_follows_changes);
#undef ADD

  return g_test_run ();
}
