/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-client-people"

#include <string.h>

#include "cin-api-client-people.h"
#include "sync-test-server.h"

/* Following and topic suggestions through the client: against the real
 * server, and against a fake one for paging, the cap on the list and
 * answers that break the contract. */

typedef struct {
  TestServer   *server;
  CinApiClient *client;
  char         *token;   /* alice's */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  fixture->token = test_server_sign_up (fixture->server, "alice");
  g_free (test_server_sign_up (fixture->server, "bob"));
  g_free (test_server_sign_up (fixture->server, "carol"));
  fixture->client = cin_api_client_new (fixture->server->base_url);
  cin_api_client_set_timeout (fixture->client, 5);
  cin_api_client_set_token (fixture->client, fixture->token);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  test_server_stop (fixture->server);
  g_free (fixture->token);
}

static char *
joined (GStrv strv)
{
  g_assert_nonnull (strv);
  return g_strjoinv (" ", strv);
}

#define ASSERT_FOLLOWING(client, expected)                        \
  G_STMT_START {                                                  \
    g_autoptr(GError) error_ = NULL;                              \
    g_auto(GStrv) handles_ = SYNC_TEST_CALL (list_following, client, &error_); \
    g_autofree char *joined_ = NULL;                              \
                                                                  \
    g_assert_no_error (error_);                                   \
    joined_ = joined (handles_);                                  \
    g_assert_cmpstr (joined_, ==, expected);                      \
  } G_STMT_END

static void
test_follow (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CinApiClient) anonymous = cin_api_client_new (fixture->server->base_url);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) refused = NULL;

  /* Nobody yet: an empty list, not NULL. */
  ASSERT_FOLLOWING (fixture->client, "");

  g_assert_true (SYNC_TEST_CALL (follow, fixture->client, &error, "bob"));
  g_assert_no_error (error);
  g_assert_true (SYNC_TEST_CALL (follow, fixture->client, &error, "carol"));
  g_assert_true (SYNC_TEST_CALL (follow, fixture->client, &error, "bob"));
  g_assert_no_error (error);
  ASSERT_FOLLOWING (fixture->client, "carol bob");

  g_assert_true (SYNC_TEST_CALL (unfollow, fixture->client, &error, "bob"));
  g_assert_no_error (error);
  g_assert_true (SYNC_TEST_CALL (unfollow, fixture->client, &error, "bob"));
  g_assert_no_error (error);
  ASSERT_FOLLOWING (fixture->client, "carol");

  /* The server's refusals, with its reasons. */
  g_assert_false (SYNC_TEST_CALL (follow, fixture->client, &error, "nobody"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_clear_error (&error);
  g_assert_false (SYNC_TEST_CALL (unfollow, fixture->client, &error, "nobody"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (SYNC_TEST_CALL (follow, fixture->client, &error, "alice"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PROBLEM);
  g_assert_nonnull (strstr (error->message, "follow yourself"));
  g_clear_error (&error);
  /* A handle is one path segment, whatever it holds. */
  g_assert_false (SYNC_TEST_CALL (follow, fixture->client, &error, "bob?x=咖 &y"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND);
  g_clear_error (&error);
  ASSERT_FOLLOWING (fixture->client, "carol");

  refused = SYNC_TEST_CALL (list_following, anonymous, &error);
  g_assert_null (refused);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_false (SYNC_TEST_CALL (follow, anonymous, &error, "bob"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
}

/* A note of alice's with @topics (inside a JSON array), published. */
static void
publish_note (Fixture    *fixture,
              const char *topics)
{
  g_autofree char *json = g_strdup_printf ("{\"kind\":\"video\",\"title\":\"话题\",\"topics\":[%s],"
                                           "\"visibility\":\"public\"}", topics);

  g_free (test_server_put_note (fixture->server, fixture->token, json, TRUE, NULL));
}

static void
test_suggest_topics (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CinApiClient) anonymous = cin_api_client_new (fixture->server->base_url);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) refused = NULL;
  g_autofree char *all_joined = NULL;

  publish_note (fixture, "\"咖啡\",\"手冲咖啡\"");
  publish_note (fixture, "\"手冲咖啡\"");
  publish_note (fixture, "\"咖啡豆\",\"Coffee\"");
  publish_note (fixture, "\"手冲咖啡\"");

  /* Anyone may ask; most used first. */
  all = SYNC_TEST_CALL (suggest_topics, anonymous, &error, "咖啡", 0);
  g_assert_no_error (error);
  all_joined = joined (all);
  g_assert_cmpstr (all_joined, ==, "手冲咖啡 咖啡 咖啡豆");
  first = SYNC_TEST_CALL (suggest_topics, anonymous, &error, "咖", 1);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (first), ==, 1);
  g_assert_cmpstr (first[0], ==, "手冲咖啡");
  none = SYNC_TEST_CALL (suggest_topics, anonymous, &error, "茶", 5);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  {
    g_auto(GStrv) any_case = SYNC_TEST_CALL (suggest_topics, anonymous, &error, "cOFF", 5);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (any_case), ==, 1);
    g_assert_cmpstr (any_case[0], ==, "Coffee");
  }

  refused = SYNC_TEST_CALL (suggest_topics, anonymous, &error, " ", 5);
  g_assert_null (refused);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PROBLEM);
}

/* A fake server whose answer to each request is chosen by the request's
 * target (its path and query), in the service's threads, as the client
 * needs the main context. */

typedef const char *(*AnswerFunc) (const char *target);

static gint requests_seen;

static gboolean
on_run_cb (GThreadedSocketService *service,
           GSocketConnection      *connection,
           GObject                *source,
           gpointer                user_data)
{
  AnswerFunc answer = (AnswerFunc)user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buffer[8192];
  gssize size;
  g_auto(GStrv) request_line = NULL;
  const char *body;
  g_autofree char *head = NULL;

  size = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                              buffer, sizeof buffer - 1, NULL, NULL);
  if (size <= 0)
    return TRUE;
  buffer[size] = '\0';
  g_atomic_int_inc (&requests_seen);
  request_line = g_strsplit (buffer, " ", 3);
  body = answer (request_line[1] != NULL ? request_line[1] : "");
  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                          "Content-Length: %zu\r\n\r\n", strlen (body));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body, strlen (body), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

typedef struct {
  GSocketService *service;
  CinApiClient   *client;
} Fake;

static void
fake_start (Fake       *fake,
            AnswerFunc  answer)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  fake->service = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (fake->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (fake->service, "run", G_CALLBACK (on_run_cb), (gpointer)answer);
  uri = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fake->client = cin_api_client_new (uri);
  cin_api_client_set_token (fake->client, "cin_not_checked_by_this_server");
  cin_api_client_set_timeout (fake->client, 5);
  g_atomic_int_set (&requests_seen, 0);
}

static void
fake_stop (Fake *fake)
{
  g_clear_object (&fake->client);
  g_socket_service_stop (fake->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->service));
  g_clear_object (&fake->service);
}

#define ITEM(handle) "{\"handle\":\"" handle "\",\"display_name\":\"" handle "\"," \
                     "\"followed_at\":\"2026-01-02T03:04:05.000000Z\"}"

static const char *
answer_two_pages (const char *target)
{
  /* The client asks for the most a page may hold. */
  g_assert_nonnull (strstr (target, "limit=100"));
  if (g_str_has_prefix (target, "/v1/following?") && strstr (target, "cursor=next%2F1") != NULL)
    return "{\"items\":[" ITEM ("c") "],\"cursor\":null}";
  if (g_str_has_prefix (target, "/v1/following?") && strstr (target, "cursor=") == NULL)
    return "{\"items\":[" ITEM ("a") "," ITEM ("b") "],\"cursor\":\"next/1\"}";
  return "{}";
}

static void
test_following_pages (void)
{
  Fake fake;

  fake_start (&fake, answer_two_pages);
  ASSERT_FOLLOWING (fake.client, "a b c");
  g_assert_cmpint (g_atomic_int_get (&requests_seen), ==, 2);
  fake_stop (&fake);
}

static char *endless_page;

static const char *
answer_endless (const char *target)
{
  return endless_page;
}

/* A server that always says more follow: the list stops at its cap. */
static void
test_following_capped (void)
{
  g_autoptr(GString) page = g_string_new ("{\"items\":[");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) handles = NULL;
  Fake fake;

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (page, "%s{\"handle\":\"h%u\",\"display_name\":\"H\","
                            "\"followed_at\":\"2026-01-02T03:04:05Z\"}", i ? "," : "", i);
  g_string_append (page, "],\"cursor\":\"more\"}");
  endless_page = page->str;

  fake_start (&fake, answer_endless);
  handles = SYNC_TEST_CALL (list_following, fake.client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (handles), ==, CIN_API_CLIENT_MAX_FOLLOWING);
  g_assert_cmpstr (handles[0], ==, "h0");
  g_assert_cmpstr (handles[CIN_API_CLIENT_MAX_FOLLOWING - 1], ==, "h99");
  g_assert_cmpint (g_atomic_int_get (&requests_seen), ==, CIN_API_CLIENT_MAX_FOLLOWING / 100);
  fake_stop (&fake);
  endless_page = NULL;
}

/* What the fake answers every request with, in the garbage tests. */
static const char *garbage;

static const char *
answer_garbage (const char *target)
{
  return garbage;
}

static void
test_garbage (void)
{
  static const char * const following_answers[] = {
    "{\"items\":[",
    "[]",
    "{\"items\":{}}",
    "{\"items\":[1]}",
    "{\"items\":[{\"handle\":7,\"display_name\":\"a\",\"followed_at\":\"2026-01-02T03:04:05Z\"}]}",
    "{\"items\":[{\"handle\":\"a\",\"followed_at\":\"2026-01-02T03:04:05Z\"}]}",
    "{\"items\":[{\"handle\":\"a\",\"display_name\":\"a\",\"followed_at\":\"yesterday\"}]}",
    "{\"items\":[" ITEM ("a") "],\"cursor\":5}",
    /* More promised, nothing given: it would never end. */
    "{\"items\":[],\"cursor\":\"again\"}",
  };
  static const char * const topic_answers[] = {
    "not json",
    "{\"items\":null}",
    "{\"items\":[\"咖啡\"]}",
    "{\"items\":[{\"name\":\"咖啡\",\"notes\":\"3\"}]}",
    "{\"items\":[{\"name\":\"\",\"notes\":3}]}",
    "{\"items\":[{\"notes\":3}]}",
  };
  Fake fake;

  fake_start (&fake, answer_garbage);
  for (guint i = 0; i < G_N_ELEMENTS (following_answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) handles = NULL;

      garbage = following_answers[i];
      g_test_message ("following: %s", garbage);
      handles = SYNC_TEST_CALL (list_following, fake.client, &error);
      g_assert_null (handles);
      g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (topic_answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) names = NULL;

      garbage = topic_answers[i];
      g_test_message ("topics: %s", garbage);
      names = SYNC_TEST_CALL (suggest_topics, fake.client, &error, "咖", 0);
      g_assert_null (names);
      g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_INVALID_RESPONSE);
    }
  fake_stop (&fake);
}

static void
on_cancelled_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) handles = cin_api_client_list_following_finish (CIN_API_CLIENT (source), result, &error);
  gboolean *done = user_data;

  g_assert_null (handles);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

/* Cancelling stops the walk through the pages. */
static void
test_following_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;
  Fake fake;

  fake_start (&fake, answer_two_pages);
  cin_api_client_list_following_async (fake.client, cancellable, on_cancelled_cb, &done);
  g_cancellable_cancel (cancellable);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  fake_stop (&fake);
}

int
main (int   argc,
      char *argv[])
{
  /* GNOME's proxy resolver aborts under the isolated XDG dirs. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/api-client-people/follow", Fixture, NULL, fixture_set_up, test_follow, fixture_tear_down);
  g_test_add ("/api-client-people/suggest-topics", Fixture, NULL, fixture_set_up, test_suggest_topics,
              fixture_tear_down);
  g_test_add_func ("/api-client-people/following-pages", test_following_pages);
  g_test_add_func ("/api-client-people/following-capped", test_following_capped);
  g_test_add_func ("/api-client-people/following-cancelled", test_following_cancelled);
  g_test_add_func ("/api-client-people/garbage", test_garbage);

  return g_test_run ();
}
