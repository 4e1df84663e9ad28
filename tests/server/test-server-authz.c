/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-authz"

#include <string.h>

#include "server-test-util.h"
#include "tus-test-media.h"

/* Two accounts; the second tries every route the server lists on the
 * first one's entities. Reading what is public works; everything else
 * fails (404 for what is private, 403 for changing what is public, 412
 * for creating over a taken id) and nothing of the first account's
 * changes. New routes are tried as soon as they are listed. */

typedef struct {
  const char *collection;   /* "/v1/notes/" */
  char       *id;
  char       *etag;
  gboolean    public;
} Owned;

typedef struct {
  TestServer *server;
  char       *alice;
  char       *bob;
  GPtrArray  *owned;        /* Owned */
  char       *public_note;
} World;

static void
owned_free (Owned *owned)
{
  g_free (owned->id);
  g_free (owned->etag);
  g_free (owned);
}

/* @body_template holds "@ID@" where the new entity's id goes. */
static Owned *
create (World      *world,
        const char *collection,
        const char *body_template,
        gboolean    public)
{
  Owned *owned = g_new0 (Owned, 1);
  g_auto(GStrv) parts = g_strsplit (body_template, "@ID@", -1);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = NULL;

  owned->collection = collection;
  owned->id = test_uuid ();
  owned->public = public;
  body = g_strjoinv (owned->id, parts);
  path = g_strconcat (collection, owned->id, NULL);
  response = test_server_request (world->server, "PUT", path, world->alice, body,
                                  "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (response->status, ==, 201);
  owned->etag = g_strdup (test_response_header (response, "ETag"));
  g_ptr_array_add (world->owned, owned);
  return owned;
}

static void
publish (World *world,
         Owned *note)
{
  g_autofree char *path = g_strconcat (note->collection, note->id, "/publish", NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = NULL;

  response = test_server_request (world->server, "POST", path, world->alice, NULL,
                                  "If-Match", note->etag, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_free (note->etag);
  note->etag = g_strdup (test_response_header (response, "ETag"));
}

#define UPLOADS "/v1/uploads/"

/* An upload of alice's through the tus handler, finished. */
static void
upload (World *world)
{
  g_autoptr(GBytes) png = tus_test_png (8, 8, 7);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  g_autofree char *encoded = g_base64_encode ((const guchar *)sha256, strlen (sha256));
  g_autofree char *metadata = g_strconcat ("sha256 ", encoded, NULL);
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (png));
  g_autofree char *authorization = g_strconcat ("Bearer ", world->alice, NULL);
  g_autofree char *url = NULL;
  g_autoptr(TestResponse) created = NULL;
  g_autoptr(SoupMessage) patch = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  Owned *owned = g_new0 (Owned, 1);
  const char *location;

  created = test_server_request (world->server, "POST", "/v1/uploads", world->alice, NULL,
                                 "Tus-Resumable", "1.0.0", "Upload-Length", length,
                                 "Upload-Metadata", metadata, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  location = test_response_header (created, "Location");
  g_assert_true (g_str_has_prefix (location, UPLOADS));

  url = g_strconcat (world->server->base_url, location, NULL);
  patch = soup_message_new ("PATCH", url);
  headers = soup_message_get_request_headers (patch);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Tus-Resumable", "1.0.0");
  soup_message_headers_replace (headers, "Upload-Offset", "0");
  soup_message_set_request_body_from_bytes (patch, "application/offset+octet-stream", png);
  reply = soup_session_send_and_read (world->server->session, patch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (patch), ==, 204);

  owned->collection = UPLOADS;
  owned->id = g_strdup (location + strlen (UPLOADS));
  g_ptr_array_add (world->owned, owned);
}

static void
build_world (World *world)
{
  Owned *public_note;

  world->server = test_server_start (NULL);
  world->alice = test_server_sign_up (world->server, "alice");
  world->bob = test_server_sign_up (world->server, "bob");
  world->owned = g_ptr_array_new_with_free_func ((GDestroyNotify)owned_free);

  create (world, "/v1/notes/", "{\"id\":\"@ID@\",\"kind\":\"photo\",\"title\":\"草稿\"}", FALSE);
  public_note = create (world, "/v1/notes/", "{\"id\":\"@ID@\",\"kind\":\"video\",\"title\":\"公开\"}", TRUE);
  publish (world, public_note);
  world->public_note = g_strdup (public_note->id);
  create (world, "/v1/boards/", "{\"id\":\"@ID@\",\"name\":\"私密\",\"visibility\":\"private\"}", FALSE);
  create (world, "/v1/boards/", "{\"id\":\"@ID@\",\"name\":\"公开\",\"visibility\":\"public\"}", TRUE);
  create (world, "/v1/products/", "{\"id\":\"@ID@\",\"title\":\"壶\",\"price_cents\":100,"
                                  "\"currency\":\"CNY\",\"url\":\"https://shop.example/a\"}", FALSE);
  {
    g_autofree char *template = g_strdup_printf ("{\"id\":\"@ID@\",\"note_id\":\"%s\"}", world->public_note);

    create (world, "/v1/bookmarks/", template, FALSE);
  }
  upload (world);
}

/* A body each kind would take, so that only ownership can refuse it. */
static char *
valid_body (World      *world,
            const char *template,
            const char *id)
{
  if (g_str_has_suffix (template, "/schedule"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) later = g_date_time_add_hours (now, 3);
      g_autofree char *at = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");

      return g_strdup_printf ("{\"at\":\"%s\"}", at);
    }
  if (g_str_has_prefix (template, "/v1/notes/"))
    return g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"photo\",\"title\":\"bob was here\"}", id);
  if (g_str_has_prefix (template, "/v1/boards/"))
    return g_strdup ("{\"name\":\"bob\"}");
  if (g_str_has_prefix (template, "/v1/products/"))
    return g_strdup ("{\"title\":\"bob\",\"price_cents\":1,\"currency\":\"CNY\",\"url\":\"https://bob.example\"}");
  if (g_str_has_prefix (template, "/v1/bookmarks/"))
    return g_strdup_printf ("{\"note_id\":\"%s\"}", world->public_note);
  return NULL;
}

static char *
fill_template (const char *template,
               const char *id)
{
  g_auto(GStrv) parts = g_strsplit (template, "{id}", 2);

  return g_strconcat (parts[0], id, parts[1], NULL);
}

static void
try_on_entity (World      *world,
               const char *method,
               const char *template,
               Owned      *owned)
{
  g_autofree char *path = fill_template (template, owned->id);
  g_autofree char *body = NULL;
  g_autoptr(TestResponse) response = NULL;
  g_autoptr(TestResponse) create_over = NULL;
  g_autofree char *key = test_idempotency_key ();
  g_autofree char *key2 = test_idempotency_key ();

  /* Someone else's upload does not exist, whatever is asked of it. */
  if (strcmp (owned->collection, UPLOADS) == 0)
    {
      response = test_server_request (world->server, method, path, world->bob,
                                      strcmp (method, "PATCH") == 0 ? "bytes" : NULL,
                                      "Tus-Resumable", "1.0.0", "Upload-Offset", "0",
                                      "Content-Type", "application/offset+octet-stream", NULL);
      g_assert_cmpuint (response->status, ==, 404);
      return;
    }

  if (strcmp (method, "GET") == 0)
    {
      response = test_server_request (world->server, "GET", path, world->bob, NULL, NULL);
      if (owned->public && strcmp (path + strlen (owned->collection) + strlen (owned->id), "") == 0)
        g_assert_cmpuint (response->status, ==, 200);
      else
        g_assert_cmpuint (response->status, ==, 404);
      return;
    }

  /* With alice's own current ETag: only ownership can stop it. */
  if (strcmp (method, "PUT") == 0 || strcmp (method, "POST") == 0)
    body = valid_body (world, template, owned->id);
  response = test_server_request (world->server, method, path, world->bob, body,
                                  "If-Match", owned->etag, "Idempotency-Key", key, NULL);
  if (g_test_verbose ())
    g_test_message ("%s %s on %s: %u", method, template, owned->public ? "public" : "private",
                    response->status);
  g_assert_cmpuint (response->status, ==, owned->public ? 403 : 404);

  if (strcmp (method, "PUT") == 0)
    {
      create_over = test_server_request (world->server, method, path, world->bob, body,
                                         "If-None-Match", "*", "Idempotency-Key", key2, NULL);
      g_assert_cmpuint (create_over->status, ==, owned->public ? 403 : 412);
    }
}

/* Collections and feeds: bob sees nothing private of alice's. */
static void
try_listing (World      *world,
             const char *template)
{
  g_autoptr(TestResponse) response = test_server_request (world->server, "GET", template, world->bob, NULL, NULL);
  g_autofree char *text = test_response_text (response);

  g_assert_cmpuint (response->status, <, 500);
  for (guint i = 0; i < world->owned->len; i++)
    {
      Owned *owned = g_ptr_array_index (world->owned, i);

      if (!owned->public)
        g_assert_null (strstr (text, owned->id));
    }
}

static void
assert_alice_unchanged (World      *world,
                        const char *cursor_before)
{
  g_autoptr(TestResponse) changes = NULL;

  for (guint i = 0; i < world->owned->len; i++)
    {
      Owned *owned = g_ptr_array_index (world->owned, i);
      g_autofree char *path = g_strconcat (owned->collection, owned->id, NULL);
      g_autoptr(TestResponse) read = test_server_request (world->server, "GET", path, world->alice, NULL, NULL);

      g_assert_cmpuint (read->status, ==, 200);
      if (owned->etag != NULL)
        g_assert_cmpstr (test_response_header (read, "ETag"), ==, owned->etag);
    }

  changes = test_server_request (world->server, "GET", "/v1/changes", world->alice, NULL, NULL);
  g_assert_cmpstr (test_response_string (changes, "cursor"), ==, cursor_before);
}

static void
test_every_route_on_anothers_entities (void)
{
  World world = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *routes = NULL;
  g_autofree char *cursor_before = NULL;
  g_auto(GStrv) lines = NULL;
  guint tried = 0;

  build_world (&world);
  {
    g_autoptr(TestResponse) changes = test_server_request (world.server, "GET", "/v1/changes",
                                                           world.alice, NULL, NULL);
    cursor_before = g_strdup (test_response_string (changes, "cursor"));
  }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, CIN_SERVER_PATH, "--list-routes", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &routes, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strstrip (routes), "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) route = g_strsplit (lines[i], " ", 2);
      const char *method = route[0];
      const char *template = route[1];

      if (strstr (template, "{id}") != NULL)
        {
          guint matched = 0;

          for (guint j = 0; j < world.owned->len; j++)
            {
              Owned *owned = g_ptr_array_index (world.owned, j);

              if (!g_str_has_prefix (template, owned->collection))
                continue;
              try_on_entity (&world, method, template, owned);
              matched++;
              tried++;
            }
          /* A route on a kind of entity this test does not make yet. */
          if (matched == 0)
            g_error ("No entity of alice's to try %s on; add one to build_world()", lines[i]);
        }
      else if (strcmp (method, "GET") == 0)
        {
          try_listing (&world, template);
          tried++;
        }
      /* POST /v1/accounts, POST and DELETE /v1/session act on the caller
       * alone. */
    }

  g_assert_cmpuint (tried, >, 20);
  assert_alice_unchanged (&world, cursor_before);

  g_ptr_array_unref (world.owned);
  g_free (world.alice);
  g_free (world.bob);
  g_free (world.public_note);
  test_server_stop (world.server);
}

static void
test_bookmark_needs_a_readable_note (void)
{
  World world = { 0 };
  g_autofree char *id = test_uuid ();
  g_autofree char *path = g_strconcat ("/v1/bookmarks/", id, NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autofree char *body = NULL;
  g_autoptr(TestResponse) response = NULL;
  Owned *draft;

  build_world (&world);
  draft = g_ptr_array_index (world.owned, 0);
  body = g_strdup_printf ("{\"note_id\":\"%s\"}", draft->id);
  response = test_server_request (world.server, "PUT", path, world.bob, body,
                                  "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (response->status, ==, 422);
  g_assert_cmpstr (test_response_string (response, "field"), ==, "note_id");

  g_ptr_array_unref (world.owned);
  g_free (world.alice);
  g_free (world.bob);
  g_free (world.public_note);
  test_server_stop (world.server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/authz/every-route", test_every_route_on_anothers_entities);
  g_test_add_func ("/server/authz/bookmark-needs-readable-note", test_bookmark_needs_a_readable_note);

  return g_test_run ();
}
