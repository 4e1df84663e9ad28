/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-changes"

#include <string.h>

#include "server-test-util.h"

/* GET /v1/changes: paging through an account's changes with tombstones,
 * and 410 once a cursor is older than the tombstones still kept. */

static char *
create_note (TestServer *server,
             const char *token,
             const char *title)
{
  g_autofree char *id = test_uuid ();
  g_autofree char *path = g_strconcat ("/v1/notes/", id, NULL);
  g_autofree char *json = test_note_json (id, title, "正文");
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (server, "PUT", path, token, json,
                                  "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (response->status, ==, 201);
  return g_steal_pointer (&id);
}

static void
delete_note (TestServer *server,
             const char *token,
             const char *id,
             const char *rev)
{
  g_autofree char *path = g_strconcat ("/v1/notes/", id, NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autofree char *etag = g_strdup_printf ("\"%s\"", rev);
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (server, "DELETE", path, token, NULL,
                                  "If-Match", etag, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (response->status, ==, 204);
}

static TestResponse *
get_changes (TestServer *server,
             const char *token,
             const char *since,
             guint       limit)
{
  g_autofree char *path = NULL;

  if (since != NULL)
    path = g_strdup_printf ("/v1/changes?since=%s&limit=%u", since, limit);
  else
    path = g_strdup_printf ("/v1/changes?limit=%u", limit);
  return test_server_request (server, "GET", path, token, NULL, NULL);
}

static void
test_paging (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *token = test_server_sign_up (server, "pager");
  g_autofree char *other = test_server_sign_up (server, "neighbour");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  g_autofree char *neighbours = NULL;
  g_autoptr(TestResponse) rest = NULL;
  guint pages = 0;
  gboolean more = TRUE;
  gboolean saw_tombstone = FALSE;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *title = g_strdup_printf ("笔记 %u", i);

      g_ptr_array_add (ids, create_note (server, token, title));
    }
  neighbours = create_note (server, other, "别人的笔记");
  delete_note (server, token, g_ptr_array_index (ids, 2), "1");

  while (more)
    {
      g_autoptr(TestResponse) page = get_changes (server, token, cursor, 3);
      JsonObject *object;
      JsonArray *changes;

      g_assert_cmpuint (page->status, ==, 200);
      object = test_response_object (page);
      changes = json_object_get_array_member (object, "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, 3);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *id = json_object_get_string_member (change, "id");

          g_assert_cmpstr (json_object_get_string_member (change, "kind"), ==, "note");
          g_assert_cmpstr (id, !=, neighbours);
          /* Each entity once, in its latest state. */
          g_assert_true (g_hash_table_add (seen, g_strdup (id)));
          if (json_object_get_boolean_member (change, "deleted"))
            {
              g_assert_cmpstr (id, ==, g_ptr_array_index (ids, 2));
              saw_tombstone = TRUE;
            }
          else
            g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change, "entity"), "id"),
                             ==, id);
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (object, "cursor"));
      more = json_object_get_boolean_member (object, "more");
      pages++;
    }

  g_assert_cmpuint (g_hash_table_size (seen), ==, 7);
  g_assert_true (saw_tombstone);
  g_assert_cmpuint (pages, ==, 3);

  /* Nothing new since the last cursor; then one change. */
  rest = get_changes (server, token, cursor, 100);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (test_response_object (rest), "changes")), ==, 0);
  g_assert_cmpstr (test_response_string (rest, "cursor"), ==, cursor);
  {
    g_autofree char *later = create_note (server, token, "后来的");
    g_autoptr(TestResponse) next = get_changes (server, token, cursor, 100);
    JsonArray *changes = json_object_get_array_member (test_response_object (next), "changes");

    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "id"), ==, later);
  }

  test_server_stop (server);
}

static void
test_bad_parameters (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *token = test_server_sign_up (server, "params");
  g_autoptr(TestResponse) bad_since = NULL;
  g_autoptr(TestResponse) bad_limit = NULL;
  g_autoptr(TestResponse) anonymous = NULL;

  bad_since = test_server_request (server, "GET", "/v1/changes?since=yesterday", token, NULL, NULL);
  g_assert_cmpuint (bad_since->status, ==, 400);
  g_assert_cmpstr (test_response_string (bad_since, "field"), ==, "since");
  bad_limit = test_server_request (server, "GET", "/v1/changes?limit=100000", token, NULL, NULL);
  g_assert_cmpuint (bad_limit->status, ==, 400);
  g_assert_cmpstr (test_response_string (bad_limit, "field"), ==, "limit");
  anonymous = test_server_request (server, "GET", "/v1/changes", NULL, NULL, NULL);
  g_assert_cmpuint (anonymous->status, ==, 401);

  test_server_stop (server);
}

static void
test_expired_cursor (void)
{
  TestServer *server = test_server_start ("--tombstone-ttl=60", "--tick-ms=50", NULL);
  g_autofree char *token = test_server_sign_up (server, "forgetful");
  g_autofree char *kept = create_note (server, token, "留着");
  g_autofree char *doomed = create_note (server, token, "删掉");
  g_autofree char *old_cursor = NULL;
  g_autofree char *new_cursor = NULL;
  g_autoptr(TestResponse) first = get_changes (server, token, NULL, 100);
  g_autoptr(TestResponse) after_delete = NULL;
  g_autoptr(TestResponse) fresh = NULL;
  g_autoptr(TestResponse) still_fine = NULL;
  guint status = 0;

  old_cursor = g_strdup (test_response_string (first, "cursor"));
  delete_note (server, token, doomed, "1");
  after_delete = get_changes (server, token, old_cursor, 100);
  g_assert_cmpuint (after_delete->status, ==, 200);
  new_cursor = g_strdup (test_response_string (after_delete, "cursor"));

  /* Past the tombstone's lifetime the server forgets it (on its next
   * tick), and a cursor from before the deletion can't be served. */
  test_server_advance_clock (server, 120);
  for (guint i = 0; i < 100 && status != 410; i++)
    {
      g_autoptr(TestResponse) expired = get_changes (server, token, old_cursor, 100);

      status = expired->status;
      if (status == 410)
        {
          g_assert_cmpstr (test_response_string (expired, "type"), ==, "urn:cinnabar:problem:cursor-expired");
          g_assert_cmpstr (expired->content_type, ==, "application/problem+json");
        }
      else
        g_usleep (G_USEC_PER_SEC / 20);
    }
  g_assert_cmpuint (status, ==, 410);

  /* A cursor that saw the deletion is still good, and a full resync
   * shows what is left. */
  still_fine = get_changes (server, token, new_cursor, 100);
  g_assert_cmpuint (still_fine->status, ==, 200);
  fresh = get_changes (server, token, NULL, 100);
  g_assert_cmpuint (fresh->status, ==, 200);
  {
    JsonArray *changes = json_object_get_array_member (test_response_object (fresh), "changes");

    g_assert_cmpuint (json_array_get_length (changes), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "id"), ==, kept);
  }

  test_server_stop (server);
}

/* Waits for the server's tick to forget the tombstones past their life,
 * seen as @cursor's 410. */
static void
wait_for_horizon_past (TestServer *server,
                       const char *token,
                       const char *cursor)
{
  guint status = 0;

  for (guint i = 0; i < 100 && status != 410; i++)
    {
      g_autoptr(TestResponse) response = get_changes (server, token, cursor, 1);

      status = response->status;
      if (status != 410)
        g_usleep (G_USEC_PER_SEC / 20);
    }
  g_assert_cmpuint (status, ==, 410);
}

/* Reading from the start pages through an account whose forgotten
 * deletion is newer than most of its changes: a listing misses nothing
 * forgotten before it began. Its cursors stop working only once a newer
 * deletion is forgotten too; made-up horizons are refused. */
static void
test_listing_behind_horizon (void)
{
  TestServer *server = test_server_start ("--tombstone-ttl=60", "--tick-ms=50", NULL);
  g_autofree char *token = test_server_sign_up (server, "lister");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(TestResponse) before = NULL;
  g_autofree char *old_cursor = NULL;
  g_autofree char *listing_cursor = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *later = NULL;
  gboolean more = TRUE;

  for (guint i = 0; i < 6; i++)
    g_ptr_array_add (ids, create_note (server, token, "一篇"));
  before = get_changes (server, token, NULL, 100);
  old_cursor = g_strdup (test_response_string (before, "cursor"));
  delete_note (server, token, g_ptr_array_index (ids, 0), "1");
  test_server_advance_clock (server, 120);
  wait_for_horizon_past (server, token, old_cursor);

  /* Two at a time from the start: every page answers. */
  while (more)
    {
      g_autoptr(TestResponse) page = get_changes (server, token, cursor, 2);
      JsonArray *changes;

      g_assert_cmpuint (page->status, ==, 200);
      changes = json_object_get_array_member (test_response_object (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        g_hash_table_add (seen, g_strdup (json_object_get_string_member (json_array_get_object_element (changes, i), "id")));
      g_free (cursor);
      cursor = g_strdup (test_response_string (page, "cursor"));
      if (listing_cursor == NULL)
        listing_cursor = g_strdup (cursor);
      more = json_object_get_boolean_member (test_response_object (page), "more");
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 5);
  g_assert_false (g_hash_table_contains (seen, g_ptr_array_index (ids, 0)));
  /* Behind the horizon, the listing's cursor says so; the last one goes
   * on as any cursor does. */
  g_assert_nonnull (strchr (listing_cursor, '.'));
  {
    g_autoptr(TestResponse) next = get_changes (server, token, cursor, 100);
    JsonObject *page = test_response_object (next);

    g_assert_cmpuint (next->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 0);
    g_assert_false (json_object_get_boolean_member (page, "more"));
  }

  /* A horizon the server never reached is no cursor of its. */
  {
    g_autofree char *forged = g_strdup_printf ("%s.999999", old_cursor);
    g_autoptr(TestResponse) refused = get_changes (server, token, forged, 2);

    g_assert_cmpuint (refused->status, ==, 400);
  }

  /* A newer deletion forgotten: the listing's old page is gone too, while
   * the cursor that saw it is still good. */
  delete_note (server, token, g_ptr_array_index (ids, 1), "1");
  {
    g_autoptr(TestResponse) after = get_changes (server, token, cursor, 100);

    g_assert_cmpuint (after->status, ==, 200);
    later = g_strdup (test_response_string (after, "cursor"));
  }
  test_server_advance_clock (server, 240);
  wait_for_horizon_past (server, token, listing_cursor);
  {
    g_autoptr(TestResponse) still_fine = get_changes (server, token, later, 100);

    g_assert_cmpuint (still_fine->status, ==, 200);
  }

  test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/changes/paging", test_paging);
  g_test_add_func ("/server/changes/bad-parameters", test_bad_parameters);
  g_test_add_func ("/server/changes/expired-cursor", test_expired_cursor);
  g_test_add_func ("/server/changes/listing-behind-horizon", test_listing_behind_horizon);

  return g_test_run ();
}
