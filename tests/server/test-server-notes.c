/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-notes"

#include <string.h>

#include "server-test-util.h"

/* PUT/GET/DELETE /v1/notes/{id}: preconditions and revisions, idempotent
 * replays, the composer's rules answered as 422 naming the field, and
 * tombstones. */

typedef struct {
  TestServer *server;
  char       *token;
  char       *id;
  char       *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  fixture->token = test_server_sign_up (fixture->server, "writer");
  fixture->id = test_uuid ();
  fixture->path = g_strconcat ("/v1/notes/", fixture->id, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_stop (fixture->server);
  g_free (fixture->token);
  g_free (fixture->id);
  g_free (fixture->path);
}

static TestResponse *
put_note (Fixture    *fixture,
          const char *json,
          const char *precondition,
          const char *value)
{
  g_autofree char *key = test_idempotency_key ();

  return test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                              precondition, value, "Idempotency-Key", key, NULL);
}

static TestResponse *
create_note (Fixture    *fixture,
             const char *title)
{
  g_autofree char *json = test_note_json (fixture->id, title, "正文");

  return put_note (fixture, json, "If-None-Match", "*");
}

static void
test_create_read_update (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TestResponse) created = create_note (fixture, "第一篇笔记");
  g_autoptr(TestResponse) read = NULL;
  g_autoptr(TestResponse) not_modified = NULL;
  g_autoptr(TestResponse) updated = NULL;
  g_autoptr(TestResponse) stale = NULL;
  g_autoptr(TestResponse) again = NULL;
  g_autofree char *update = test_note_json (fixture->id, "改过的标题", "新的正文");
  JsonObject *current;

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (test_response_header (created, "ETag"), ==, "\"1\"");
  g_assert_cmpstr (test_response_header (created, "Location"), ==, fixture->path);
  g_assert_cmpstr (test_response_string (created, "rev"), ==, "1");
  g_assert_cmpstr (test_response_string (created, "title"), ==, "第一篇笔记");
  g_assert_cmpstr (test_response_string (created, "state"), ==, "draft");
  g_assert_cmpstr (test_response_string (created, "author"), ==, "writer");

  read = test_server_request (fixture->server, "GET", fixture->path, fixture->token, NULL, NULL);
  g_assert_cmpuint (read->status, ==, 200);
  g_assert_cmpstr (test_response_string (read, "title"), ==, "第一篇笔记");
  g_assert_cmpstr (test_response_header (read, "ETag"), ==, "\"1\"");

  not_modified = test_server_request (fixture->server, "GET", fixture->path, fixture->token, NULL,
                                      "If-None-Match", "\"1\"", NULL);
  g_assert_cmpuint (not_modified->status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (not_modified->body), ==, 0);

  updated = put_note (fixture, update, "If-Match", "\"1\"");
  g_assert_cmpuint (updated->status, ==, 200);
  g_assert_cmpstr (test_response_string (updated, "rev"), ==, "2");
  g_assert_cmpstr (test_response_header (updated, "ETag"), ==, "\"2\"");
  g_assert_cmpstr (test_response_string (updated, "title"), ==, "改过的标题");

  /* A writer still holding revision 1 gets the current note back. */
  stale = put_note (fixture, update, "If-Match", "\"1\"");
  g_assert_cmpuint (stale->status, ==, 412);
  g_assert_cmpstr (stale->content_type, ==, "application/problem+json");
  g_assert_cmpstr (test_response_header (stale, "ETag"), ==, "\"2\"");
  current = json_object_get_object_member (test_response_object (stale), "current");
  g_assert_cmpstr (json_object_get_string_member (current, "rev"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (current, "title"), ==, "改过的标题");

  /* Creating what exists is a conflict too. */
  again = create_note (fixture, "第一篇笔记");
  g_assert_cmpuint (again->status, ==, 412);
}

static void
test_preconditions_required (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *json = test_note_json (fixture->id, "标题", "正文");
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) no_precondition = NULL;
  g_autoptr(TestResponse) no_key = NULL;
  g_autoptr(TestResponse) bad_id = NULL;
  g_autoptr(TestResponse) anonymous = NULL;
  g_autoptr(TestResponse) missing = NULL;

  no_precondition = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                                         "Idempotency-Key", key, NULL);
  g_assert_cmpuint (no_precondition->status, ==, 428);
  g_assert_cmpstr (test_response_string (no_precondition, "field"), ==, "If-Match");

  no_key = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                                "If-None-Match", "*", NULL);
  g_assert_cmpuint (no_key->status, ==, 400);
  g_assert_cmpstr (test_response_string (no_key, "field"), ==, "Idempotency-Key");

  bad_id = test_server_request (fixture->server, "PUT", "/v1/notes/not-a-uuid", fixture->token, json,
                                "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (bad_id->status, ==, 400);

  anonymous = test_server_request (fixture->server, "PUT", fixture->path, NULL, json,
                                   "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (anonymous->status, ==, 401);

  missing = test_server_request (fixture->server, "GET", fixture->path, fixture->token, NULL, NULL);
  g_assert_cmpuint (missing->status, ==, 404);
}

static void
test_idempotent_replay (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *json = test_note_json (fixture->id, "只发一次", "正文");
  g_autofree char *other = test_note_json (fixture->id, "另一个请求", "正文");
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) first = NULL;
  g_autoptr(TestResponse) replayed = NULL;
  g_autoptr(TestResponse) reused = NULL;
  g_autoptr(TestResponse) read = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *replayed_text = NULL;

  first = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                               "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (first->status, ==, 201);

  /* The response was lost; the client sends the same request again. */
  replayed = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                                  "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (replayed->status, ==, 201);
  g_assert_cmpstr (test_response_header (replayed, "Idempotency-Replayed"), ==, "true");
  g_assert_cmpstr (test_response_header (replayed, "ETag"), ==, "\"1\"");
  first_text = test_response_text (first);
  replayed_text = test_response_text (replayed);
  g_assert_cmpstr (first_text, ==, replayed_text);

  reused = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, other,
                                "If-Match", "\"1\"", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (reused->status, ==, 409);
  g_assert_cmpstr (test_response_string (reused, "field"), ==, "Idempotency-Key");

  read = test_server_request (fixture->server, "GET", fixture->path, fixture->token, NULL, NULL);
  g_assert_cmpstr (test_response_string (read, "rev"), ==, "1");
  g_assert_cmpstr (test_response_string (read, "title"), ==, "只发一次");
}

static void
assert_refused (Fixture    *fixture,
                const char *json,
                const char *type,
                const char *field)
{
  g_autoptr(TestResponse) response = put_note (fixture, json, "If-None-Match", "*");
  g_autoptr(TestResponse) read = NULL;

  g_assert_cmpuint (response->status, ==, 422);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");
  g_assert_cmpstr (test_response_string (response, "type"), ==, type);
  g_assert_cmpstr (test_response_string (response, "field"), ==, field);

  read = test_server_request (fixture->server, "GET", fixture->path, fixture->token, NULL, NULL);
  g_assert_cmpuint (read->status, ==, 404);
}

static void
test_rules_answer_422 (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *long_title = test_note_json (fixture->id, "这个标题实在是太长了已经超过了平台允许的二十个字", "正文");
  g_autofree char *long_body = NULL;
  g_autofree char *body_text = g_strnfill (1001, 'a');
  g_autofree char *topics = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"photo\",\"title\":\"t\","
                                             "\"topics\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}",
                                             fixture->id);
  g_autofree char *bad_kind = g_strdup_printf ("{\"kind\":\"poem\",\"title\":\"t\"}");
  g_autofree char *bad_topics = g_strdup_printf ("{\"kind\":\"photo\",\"topics\":\"咖啡\"}");
  g_autofree char *other_id = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"photo\"}", "6a1d4c9e-7e57-4000-8000-00000000abcd");
  g_autoptr(TestResponse) title = NULL;
  JsonArray *errors;

  long_body = test_note_json (fixture->id, "标题", body_text);

  assert_refused (fixture, long_title, "urn:cinnabar:problem:rule-violation", "title");
  assert_refused (fixture, long_body, "urn:cinnabar:problem:rule-violation", "body");
  assert_refused (fixture, topics, "urn:cinnabar:problem:rule-violation", "topics");
  assert_refused (fixture, bad_kind, "urn:cinnabar:problem:invalid-note", "kind");
  assert_refused (fixture, bad_topics, "urn:cinnabar:problem:invalid-note", "topics");
  assert_refused (fixture, other_id, "urn:cinnabar:problem:invalid-note", "id");

  /* Every error is listed, with where it is, as the composer underlines it. */
  title = put_note (fixture, long_title, "If-None-Match", "*");
  errors = json_object_get_array_member (test_response_object (title), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "kind"),
                   ==, "title-too-long");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (errors, 0), "start"), ==, 20);
}

static void
test_warnings_do_not_block (Fixture       *fixture,
                            gconstpointer  data)
{
  /* An absolute claim is the creator's call: the composer warns, the
   * server takes it. */
  g_autoptr(TestResponse) created = create_note (fixture, "全网最低价");

  g_assert_cmpuint (created->status, ==, 201);
}

static void
test_server_owned_fields (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"video\",\"title\":\"t\","
                                           "\"state\":\"published\",\"rev\":\"99\","
                                           "\"created_at\":\"1999-01-01T00:00:00Z\"}", fixture->id);
  g_autoptr(TestResponse) created = put_note (fixture, json, "If-None-Match", "*");

  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (test_response_string (created, "state"), ==, "draft");
  g_assert_cmpstr (test_response_string (created, "rev"), ==, "1");
  g_assert_cmpstr (test_response_string (created, "kind"), ==, "video");
  g_assert_false (g_str_has_prefix (test_response_string (created, "created_at"), "1999"));
}

static void
test_delete_leaves_tombstone (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TestResponse) created = create_note (fixture, "会被删掉");
  g_autofree char *key = test_idempotency_key ();
  g_autofree char *key2 = test_idempotency_key ();
  g_autoptr(TestResponse) unconditional = NULL;
  g_autoptr(TestResponse) stale = NULL;
  g_autoptr(TestResponse) deleted = NULL;
  g_autoptr(TestResponse) gone = NULL;
  g_autoptr(TestResponse) changes = NULL;
  g_autoptr(TestResponse) recreated = NULL;
  JsonArray *items;
  JsonObject *change;

  g_assert_cmpuint (created->status, ==, 201);

  unconditional = test_server_request (fixture->server, "DELETE", fixture->path, fixture->token, NULL,
                                       "Idempotency-Key", key, NULL);
  g_assert_cmpuint (unconditional->status, ==, 428);

  stale = test_server_request (fixture->server, "DELETE", fixture->path, fixture->token, NULL,
                               "If-Match", "\"7\"", "Idempotency-Key", key2, NULL);
  g_assert_cmpuint (stale->status, ==, 412);

  deleted = test_server_request (fixture->server, "DELETE", fixture->path, fixture->token, NULL,
                                 "If-Match", "\"1\"", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);

  gone = test_server_request (fixture->server, "GET", fixture->path, fixture->token, NULL, NULL);
  g_assert_cmpuint (gone->status, ==, 404);

  changes = test_server_request (fixture->server, "GET", "/v1/changes", fixture->token, NULL, NULL);
  g_assert_cmpuint (changes->status, ==, 200);
  items = json_object_get_array_member (test_response_object (changes), "changes");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  change = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (change, "id"), ==, fixture->id);
  g_assert_true (json_object_get_boolean_member (change, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (change, "rev"), ==, "2");
  g_assert_true (json_object_get_null_member (change, "entity"));

  /* The id may live again; its revisions go on from the tombstone's. */
  recreated = create_note (fixture, "又回来了");
  g_assert_cmpuint (recreated->status, ==, 201);
  g_assert_cmpstr (test_response_string (recreated, "rev"), ==, "3");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/notes/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-read-update", test_create_read_update);
  ADD ("preconditions-required", test_preconditions_required);
  ADD ("idempotent-replay", test_idempotent_replay);
  ADD ("rules-answer-422", test_rules_answer_422);
  ADD ("warnings-do-not-block", test_warnings_do_not_block);
  ADD ("server-owned-fields", test_server_owned_fields);
  ADD ("delete-leaves-tombstone", test_delete_leaves_tombstone);
#undef ADD

  return g_test_run ();
}
