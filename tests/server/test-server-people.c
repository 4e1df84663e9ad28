/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-people"

#include <sqlite3.h>
#include <string.h>

#include "server-test-util.h"

/* Following (PUT, DELETE and GET /v1/following) and the topics in use
 * (GET /v1/topics), which the composer completes @mentions and topics
 * from. */

typedef struct {
  TestServer *server;
  char       *alice;
  char       *bob;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  fixture->alice = test_server_sign_up (fixture->server, "alice");
  fixture->bob = test_server_sign_up (fixture->server, "bob");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_stop (fixture->server);
  g_free (fixture->alice);
  g_free (fixture->bob);
}

/* PUT or DELETE /v1/following/@handle; the status. */
static guint
change_follow (Fixture    *fixture,
               const char *method,
               const char *token,
               const char *handle)
{
  g_autofree char *path = g_strconcat ("/v1/following/", handle, NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (fixture->server, method, path, token, NULL, "Idempotency-Key", key, NULL);
  if (response->status == 204)
    g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);
  return response->status;
}

static void
follow (Fixture    *fixture,
        const char *token,
        const char *handle)
{
  g_assert_cmpuint (change_follow (fixture, "PUT", token, handle), ==, 204);
}

/* One page of GET /v1/following: the handles in order, and the next
 * cursor; each item's display name and time are checked. */
static GStrv
following_page (Fixture     *fixture,
                const char  *token,
                const char  *query,
                char       **cursor,
                GPtrArray   *times)
{
  g_autofree char *path = g_strconcat ("/v1/following", query, NULL);
  g_autoptr(TestResponse) response = test_server_request (fixture->server, "GET", path, token, NULL, NULL);
  g_autoptr(GStrvBuilder) handles = g_strv_builder_new ();
  JsonObject *object;
  JsonArray *items;

  g_assert_cmpuint (response->status, ==, 200);
  object = test_response_object (response);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *handle = json_object_get_string_member (item, "handle");
      g_autoptr(GDateTime) followed_at = g_date_time_new_from_iso8601 (
        json_object_get_string_member (item, "followed_at"), NULL);

      g_assert_cmpuint (json_object_get_size (item), ==, 3);
      g_assert_cmpstr (json_object_get_string_member (item, "display_name"), ==, handle);
      g_assert_nonnull (followed_at);
      if (times != NULL)
        g_ptr_array_add (times, g_strdup (json_object_get_string_member (item, "followed_at")));
      g_strv_builder_add (handles, handle);
    }
  if (cursor != NULL)
    {
      g_free (*cursor);
      *cursor = json_object_get_null_member (object, "cursor")
                ? NULL : g_strdup (json_object_get_string_member (object, "cursor"));
    }
  else
    g_assert_true (json_object_get_null_member (object, "cursor"));
  return g_strv_builder_end (handles);
}

/* The whole list, one page of @limit at a time, joined with spaces. */
static char *
following (Fixture    *fixture,
           const char *token,
           guint       limit)
{
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_autofree char *cursor = NULL;
  g_auto(GStrv) joined = NULL;
  guint pages = 0;

  do
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *query = cursor ? g_strdup_printf ("?limit=%u&cursor=%s", limit, escaped)
                                      : g_strdup_printf ("?limit=%u", limit);
      g_auto(GStrv) handles = following_page (fixture, token, query, &cursor, NULL);

      /* Only the last page may be short, and only a full one says more. */
      if (cursor != NULL)
        g_assert_cmpuint (g_strv_length (handles), ==, limit);
      g_strv_builder_addv (all, (const char **)handles);
      g_assert_cmpuint (++pages, <, 100);
    }
  while (cursor != NULL);

  joined = g_strv_builder_end (all);
  return g_strjoinv (" ", joined);
}

static void
test_follow_and_unfollow (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) first_times = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) again_times = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) none = following_page (fixture, fixture->alice, "", NULL, NULL);
  g_auto(GStrv) one = NULL;
  g_auto(GStrv) again = NULL;
  g_auto(GStrv) gone = NULL;

  g_assert_cmpuint (g_strv_length (none), ==, 0);

  follow (fixture, fixture->alice, "bob");
  one = following_page (fixture, fixture->alice, "", NULL, first_times);
  g_assert_cmpuint (g_strv_length (one), ==, 1);
  g_assert_cmpstr (one[0], ==, "bob");

  /* Following again changes nothing, not even when. */
  g_usleep (2000);
  follow (fixture, fixture->alice, "bob");
  again = following_page (fixture, fixture->alice, "", NULL, again_times);
  g_assert_cmpuint (g_strv_length (again), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (again_times, 0), ==, g_ptr_array_index (first_times, 0));

  g_assert_cmpuint (change_follow (fixture, "DELETE", fixture->alice, "bob"), ==, 204);
  gone = following_page (fixture, fixture->alice, "", NULL, NULL);
  g_assert_cmpuint (g_strv_length (gone), ==, 0);
  /* Unfollowing what is not followed is done already. */
  g_assert_cmpuint (change_follow (fixture, "DELETE", fixture->alice, "bob"), ==, 204);
  g_assert_cmpuint (change_follow (fixture, "DELETE", fixture->alice, "alice"), ==, 204);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) unknown = NULL;
  g_autoptr(TestResponse) self = NULL;
  g_autoptr(TestResponse) anonymous_list = NULL;
  g_autoptr(TestResponse) anonymous_put = NULL;
  g_autoptr(TestResponse) anonymous_delete = NULL;
  g_autoptr(TestResponse) keyless = NULL;
  g_autoptr(TestResponse) replayed = NULL;
  g_autoptr(TestResponse) reused = NULL;
  g_auto(GStrv) list = NULL;

  unknown = test_server_request (fixture->server, "PUT", "/v1/following/nobody", fixture->alice, NULL,
                                 "Idempotency-Key", key, NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (test_response_string (unknown, "type"), ==, "urn:cinnabar:problem:not-found");
  g_assert_cmpstr (test_response_string (unknown, "field"), ==, "handle");
  g_assert_cmpuint (change_follow (fixture, "DELETE", fixture->alice, "nobody"), ==, 404);

  self = test_server_request (fixture->server, "PUT", "/v1/following/alice", fixture->alice, NULL,
                              "Idempotency-Key", key, NULL);
  g_assert_cmpuint (self->status, ==, 422);
  g_assert_cmpstr (test_response_string (self, "type"), ==, "urn:cinnabar:problem:cannot-follow-self");
  g_assert_cmpstr (test_response_string (self, "field"), ==, "handle");

  anonymous_list = test_server_request (fixture->server, "GET", "/v1/following", NULL, NULL, NULL);
  g_assert_cmpuint (anonymous_list->status, ==, 401);
  anonymous_put = test_server_request (fixture->server, "PUT", "/v1/following/bob", NULL, NULL,
                                       "Idempotency-Key", key, NULL);
  g_assert_cmpuint (anonymous_put->status, ==, 401);
  anonymous_delete = test_server_request (fixture->server, "DELETE", "/v1/following/bob", NULL, NULL,
                                          "Idempotency-Key", key, NULL);
  g_assert_cmpuint (anonymous_delete->status, ==, 401);
  keyless = test_server_request (fixture->server, "PUT", "/v1/following/bob", fixture->alice, NULL, NULL);
  g_assert_cmpuint (keyless->status, ==, 400);
  g_assert_cmpstr (test_response_string (keyless, "field"), ==, "Idempotency-Key");

  /* None of that followed anyone. */
  list = following_page (fixture, fixture->alice, "", NULL, NULL);
  g_assert_cmpuint (g_strv_length (list), ==, 0);

  /* A follow is a change like any: its key answers it again, and the
   * same key for another change is refused. */
  replayed = test_server_request (fixture->server, "PUT", "/v1/following/bob", fixture->alice, NULL,
                                  "Idempotency-Key", key, NULL);
  g_assert_cmpuint (replayed->status, ==, 204);
  g_clear_pointer (&replayed, test_response_free);
  replayed = test_server_request (fixture->server, "PUT", "/v1/following/bob", fixture->alice, NULL,
                                  "Idempotency-Key", key, NULL);
  g_assert_cmpuint (replayed->status, ==, 204);
  g_assert_cmpstr (test_response_header (replayed, "Idempotency-Replayed"), ==, "true");
  reused = test_server_request (fixture->server, "DELETE", "/v1/following/bob", fixture->alice, NULL,
                                "Idempotency-Key", key, NULL);
  g_assert_cmpuint (reused->status, ==, 409);
}

static void
test_pages_newest_first (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const handles[] = { "carol", "dave", "erin", "frank", "grace" };
  g_autofree char *all = NULL;
  g_autofree char *after_refollow = NULL;
  g_autofree char *after_unfollow = NULL;
  g_autofree char *bobs = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (handles); i++)
    {
      g_autofree char *token = test_server_sign_up (fixture->server, handles[i]);

      follow (fixture, fixture->alice, handles[i]);
    }

  all = following (fixture, fixture->alice, 2);
  g_assert_cmpstr (all, ==, "grace frank erin dave carol");
  g_free (all);
  all = following (fixture, fixture->alice, 100);
  g_assert_cmpstr (all, ==, "grace frank erin dave carol");
  g_free (all);
  all = following (fixture, fixture->alice, 5);
  g_assert_cmpstr (all, ==, "grace frank erin dave carol");

  /* Following again keeps the place; unfollowing and following again
   * moves it to the top. */
  follow (fixture, fixture->alice, "carol");
  after_refollow = following (fixture, fixture->alice, 3);
  g_assert_cmpstr (after_refollow, ==, "grace frank erin dave carol");
  g_assert_cmpuint (change_follow (fixture, "DELETE", fixture->alice, "erin"), ==, 204);
  g_assert_cmpuint (change_follow (fixture, "DELETE", fixture->alice, "carol"), ==, 204);
  follow (fixture, fixture->alice, "carol");
  after_unfollow = following (fixture, fixture->alice, 1);
  g_assert_cmpstr (after_unfollow, ==, "carol grace frank dave");

  /* Another account's follows are its own, both ways. */
  follow (fixture, fixture->bob, "dave");
  bobs = following (fixture, fixture->bob, 10);
  g_assert_cmpstr (bobs, ==, "dave");

  for (guint i = 0; i < 5; i++)
    {
      static const char * const bad[] = {
        "?cursor=zzz", "?cursor=12.", "?cursor=.5", "?limit=0", "?limit=101",
      };
      g_autofree char *path = g_strconcat ("/v1/following", bad[i], NULL);
      g_autoptr(TestResponse) refused = test_server_request (fixture->server, "GET", path, fixture->alice,
                                                             NULL, NULL);

      g_assert_cmpuint (refused->status, ==, 400);
      g_assert_cmpstr (test_response_string (refused, "field"), ==, i < 3 ? "cursor" : "limit");
    }
}

/* Topics */

/* A video note's JSON with @topics (a JSON array's inside). */
static char *
note_json (const char *topics,
           const char *visibility)
{
  return g_strdup_printf ("{\"kind\":\"video\",\"title\":\"话题\",\"topics\":[%s],"
                          "\"visibility\":\"%s\"}", topics, visibility);
}

/* A note of @token's with @topics (a JSON array's inside), published
 * when @publish; its id, and its ETag in *@etag. */
static char *
put_note (Fixture     *fixture,
          const char  *token,
          const char  *topics,
          const char  *visibility,
          gboolean     publish,
          char       **etag)
{
  g_autofree char *json = note_json (topics, visibility);

  return test_server_put_note (fixture->server, token, json, publish, etag);
}

/* @method on /v1/notes/@id, or on its @action when not NULL, at @etag,
 * answering @status; the new ETag. */
static char *
change_note (Fixture    *fixture,
             const char *token,
             const char *method,
             const char *id,
             const char *action,
             const char *etag,
             const char *body,
             guint       status)
{
  g_autofree char *path = action ? g_strdup_printf ("/v1/notes/%s/%s", id, action)
                                 : g_strdup_printf ("/v1/notes/%s", id);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (fixture->server, method, path, token, body,
                                  "If-Match", etag, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (response->status, ==, status);
  return g_strdup (test_response_header (response, "ETag"));
}


/* GET /v1/topics?q=@query[&limit=@limit], anonymously, as "name:notes"
 * joined with spaces. */
static char *
topics (Fixture    *fixture,
        const char *query,
        guint       limit)
{
  g_autofree char *escaped = g_uri_escape_string (query, NULL, FALSE);
  g_autofree char *path = limit ? g_strdup_printf ("/v1/topics?q=%s&limit=%u", escaped, limit)
                                : g_strdup_printf ("/v1/topics?q=%s", escaped);
  g_autoptr(TestResponse) response = test_server_request (fixture->server, "GET", path, NULL, NULL, NULL);
  g_autoptr(GString) found = g_string_new (NULL);
  JsonArray *items;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpuint (json_object_get_size (test_response_object (response)), ==, 1);
  items = json_object_get_array_member (test_response_object (response), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_string_append_printf (found, "%s%s:%" G_GINT64_FORMAT, i ? " " : "",
                              json_object_get_string_member (item, "name"),
                              json_object_get_int_member (item, "notes"));
    }
  return g_string_free (g_steal_pointer (&found), FALSE);
}

#define ASSERT_TOPICS(fixture, query, limit, expected) \
  G_STMT_START {                                        \
    g_autofree char *found_ = topics (fixture, query, limit); \
    g_assert_cmpstr (found_, ==, expected);             \
  } G_STMT_END

/* Sets @variable, a string, to @value, which may read it first. */
#define REPLACE(variable, value) \
  G_STMT_START {                  \
    char *value_ = (value);       \
    g_free (variable);            \
    (variable) = value_;          \
  } G_STMT_END

static void
test_topics (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *pour_over_etag = NULL;
  g_autofree char *latte_etag = NULL;
  g_autofree char *mixed_etag = NULL;
  g_autofree char *pour_over = put_note (fixture, fixture->alice, "\"咖啡\",\"手冲咖啡\"", "public", TRUE,
                                         &pour_over_etag);
  g_autofree char *latte = put_note (fixture, fixture->alice, "\"咖啡\"", "public", TRUE, &latte_etag);
  g_autofree char *english = put_note (fixture, fixture->alice, "\"Coffee\"", "public", TRUE, NULL);
  g_autofree char *mixed = put_note (fixture, fixture->bob, "\"咖啡\",\"coffee\"", "public", TRUE,
                                     &mixed_etag);
  g_autofree char *draft = put_note (fixture, fixture->bob, "\"咖啡\",\"草稿话题\"", "public", FALSE, NULL);
  g_autofree char *hidden = put_note (fixture, fixture->bob, "\"咖啡\",\"私密话题\"", "only-me", TRUE, NULL);
  g_autofree char *tea = note_json ("\"茶\",\"coffee\"", "public");
  g_autofree char *tea_hidden = note_json ("\"茶\",\"coffee\"", "only-me");
  g_autofree char *gone = NULL;

  /* Every account's published public notes, most used first. */
  ASSERT_TOPICS (fixture, "咖", 0, "咖啡:3 手冲咖啡:1");
  ASSERT_TOPICS (fixture, "咖啡", 0, "咖啡:3 手冲咖啡:1");
  /* A substring inside a Chinese name. */
  ASSERT_TOPICS (fixture, "冲咖", 0, "手冲咖啡:1");
  ASSERT_TOPICS (fixture, "咖", 1, "咖啡:3");
  /* Any case, full-width letters too, spaces around ignored; ties by
   * name. */
  ASSERT_TOPICS (fixture, "COF", 0, "Coffee:1 coffee:1");
  ASSERT_TOPICS (fixture, "ｃｏｆｆｅｅ", 0, "Coffee:1 coffee:1");
  ASSERT_TOPICS (fixture, "  fee ", 0, "Coffee:1 coffee:1");
  /* Drafts and private notes count for nothing. */
  ASSERT_TOPICS (fixture, "话题", 0, "");
  ASSERT_TOPICS (fixture, "茶", 0, "");

  /* Unpublished: counted no more; published again: counted again. */
  REPLACE (latte_etag, change_note (fixture, fixture->alice, "POST", latte, "unpublish", latte_etag, NULL, 200));
  ASSERT_TOPICS (fixture, "咖", 0, "咖啡:2 手冲咖啡:1");
  REPLACE (latte_etag, change_note (fixture, fixture->alice, "POST", latte, "publish", latte_etag, NULL, 200));
  ASSERT_TOPICS (fixture, "咖", 0, "咖啡:3 手冲咖啡:1");

  /* Deleted: a topic nothing else carries is gone. */
  gone = change_note (fixture, fixture->alice, "DELETE", pour_over, NULL, pour_over_etag, NULL, 204);
  ASSERT_TOPICS (fixture, "咖", 0, "咖啡:2");

  /* Edited while published: the new topics count, the old ones not. */
  REPLACE (mixed_etag, change_note (fixture, fixture->bob, "PUT", mixed, NULL, mixed_etag, tea, 200));
  ASSERT_TOPICS (fixture, "咖", 0, "咖啡:1");
  ASSERT_TOPICS (fixture, "茶", 0, "茶:1");
  ASSERT_TOPICS (fixture, "cof", 0, "Coffee:1 coffee:1");

  /* Made private. */
  REPLACE (mixed_etag, change_note (fixture, fixture->bob, "PUT", mixed, NULL, mixed_etag, tea_hidden, 200));
  ASSERT_TOPICS (fixture, "茶", 0, "");
  ASSERT_TOPICS (fixture, "cof", 0, "Coffee:1");
}

static void
test_topics_refusals (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *long_query = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const char *bad[] = {
    "/v1/topics", "/v1/topics?q=", "/v1/topics?q=%20%20", "/v1/topics?q=%FF", NULL,
    "/v1/topics?q=a&limit=0", "/v1/topics?q=a&limit=101", "/v1/topics?q=a&limit=x",
  };

  for (guint i = 0; i < 101; i++)
    g_string_append (text, "咖");
  long_query = g_uri_escape_string (text->str, NULL, FALSE);
  bad[4] = g_strconcat ("/v1/topics?q=", long_query, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TestResponse) refused = test_server_request (fixture->server, "GET", bad[i], NULL, NULL, NULL);

      g_test_message ("%s", bad[i]);
      g_assert_cmpuint (refused->status, ==, 400);
      g_assert_cmpstr (test_response_string (refused, "field"), ==, i < 5 ? "q" : "limit");
    }
  g_free ((char *)bad[4]);

  /* A hundred characters is not too many. */
  g_string_truncate (text, strlen ("咖") * 100);
  {
    g_autofree char *found = topics (fixture, text->str, 0);

    g_assert_cmpstr (found, ==, "");
  }
}

/* A data dir from before follows and topics (schema v2) has the topics
 * of its published notes indexed when the server moves it to v3. */
static void
test_topics_indexed_on_upgrade (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->server->data_dir, "data", "cinnabar-server.db", NULL);
  g_autofree char *listed = put_note (fixture, fixture->alice, "\"咖啡\",\"手冲咖啡\"", "public", TRUE, NULL);
  g_autofree char *also = put_note (fixture, fixture->bob, "\"咖啡\"", "public", TRUE, NULL);
  g_autofree char *draft = put_note (fixture, fixture->bob, "\"咖啡\"", "public", FALSE, NULL);
  sqlite3 *db = NULL;
  char *message = NULL;

  test_server_kill (fixture->server);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_exec (db, "DROP TABLE topic_uses; DROP TABLE topics; DROP TABLE follows; "
                    "PRAGMA user_version = 2", NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);
  test_server_restart (fixture->server);

  ASSERT_TOPICS (fixture, "咖啡", 0, "咖啡:2 手冲咖啡:1");
  follow (fixture, fixture->alice, "bob");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/people/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("follow-and-unfollow", test_follow_and_unfollow);
  ADD ("refusals", test_refusals);
  ADD ("pages-newest-first", test_pages_newest_first);
  ADD ("topics", test_topics);
  ADD ("topics-refusals", test_topics_refusals);
  ADD ("topics-indexed-on-upgrade", test_topics_indexed_on_upgrade);
#undef ADD

  return g_test_run ();
}
