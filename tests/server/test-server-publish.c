/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-publish"

#include <string.h>

#include "server-test-util.h"
#include "tus-test-media.h"

/* Publishing, unpublishing and scheduling, and the server publishing a
 * scheduled note itself when its time comes. */

typedef struct {
  TestServer *server;
  char       *token;
  char       *id;
  char       *path;
  char       *etag;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *json = NULL;
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) created = NULL;

  fixture->server = test_server_start ("--tick-ms=50", NULL);
  fixture->token = test_server_sign_up (fixture->server, "publisher");
  fixture->id = test_uuid ();
  fixture->path = g_strconcat ("/v1/notes/", fixture->id, NULL);
  json = test_note_json (fixture->id, "周末咖啡探店", "三家小店");
  created = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                                 "If-None-Match", "*", "Idempotency-Key", key, NULL);
  g_assert_cmpuint (created->status, ==, 201);
  fixture->etag = g_strdup (test_response_header (created, "ETag"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_stop (fixture->server);
  g_free (fixture->token);
  g_free (fixture->id);
  g_free (fixture->path);
  g_free (fixture->etag);
}

static TestResponse *
act (Fixture    *fixture,
     const char *action,
     const char *body)
{
  g_autofree char *path = g_strconcat (fixture->path, "/", action, NULL);
  g_autofree char *key = test_idempotency_key ();
  TestResponse *response;

  response = test_server_request (fixture->server, "POST", path, fixture->token, body,
                                  "If-Match", fixture->etag, "Idempotency-Key", key, NULL);
  if (response->status == 200)
    {
      g_free (fixture->etag);
      fixture->etag = g_strdup (test_response_header (response, "ETag"));
    }
  return response;
}

static char *
time_from_now (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static void
test_publish_and_unpublish (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TestResponse) private_read = NULL;
  g_autoptr(TestResponse) published = NULL;
  g_autoptr(TestResponse) public_read = NULL;
  g_autoptr(TestResponse) unpublished = NULL;
  g_autoptr(TestResponse) hidden = NULL;
  g_autoptr(TestResponse) no_precondition = NULL;
  g_autofree char *key = test_idempotency_key ();
  g_autofree char *publish_path = g_strconcat (fixture->path, "/publish", NULL);

  private_read = test_server_request (fixture->server, "GET", fixture->path, NULL, NULL, NULL);
  g_assert_cmpuint (private_read->status, ==, 404);

  no_precondition = test_server_request (fixture->server, "POST", publish_path, fixture->token, NULL,
                                         "Idempotency-Key", key, NULL);
  g_assert_cmpuint (no_precondition->status, ==, 428);

  published = act (fixture, "publish", NULL);
  g_assert_cmpuint (published->status, ==, 200);
  g_assert_cmpstr (test_response_string (published, "state"), ==, "published");
  g_assert_nonnull (test_response_string (published, "published_at"));
  g_assert_cmpstr (test_response_string (published, "rev"), ==, "2");

  /* Published and public: anyone reads it back. */
  public_read = test_server_request (fixture->server, "GET", fixture->path, NULL, NULL, NULL);
  g_assert_cmpuint (public_read->status, ==, 200);
  g_assert_cmpstr (test_response_string (public_read, "state"), ==, "published");
  g_assert_cmpstr (test_response_string (public_read, "author"), ==, "publisher");

  unpublished = act (fixture, "unpublish", NULL);
  g_assert_cmpuint (unpublished->status, ==, 200);
  g_assert_cmpstr (test_response_string (unpublished, "state"), ==, "draft");
  g_assert_null (test_response_string (unpublished, "published_at"));
  hidden = test_server_request (fixture->server, "GET", fixture->path, NULL, NULL, NULL);
  g_assert_cmpuint (hidden->status, ==, 404);
}

static void
test_private_note_stays_private (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"kind\":\"video\",\"title\":\"只给自己\","
                                           "\"visibility\":\"only-me\"}", fixture->id);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) updated = NULL;
  g_autoptr(TestResponse) published = NULL;
  g_autoptr(TestResponse) anonymous = NULL;

  updated = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json,
                                 "If-Match", fixture->etag, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (updated->status, ==, 200);
  g_free (fixture->etag);
  fixture->etag = g_strdup (test_response_header (updated, "ETag"));

  published = act (fixture, "publish", NULL);
  g_assert_cmpuint (published->status, ==, 200);
  anonymous = test_server_request (fixture->server, "GET", fixture->path, NULL, NULL, NULL);
  g_assert_cmpuint (anonymous->status, ==, 404);
}

static void
test_schedule_window (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *too_soon = time_from_now (30 * 60);
  g_autofree char *too_late = time_from_now (15 * 24 * 3600);
  g_autofree char *soon_body = g_strdup_printf ("{\"at\":\"%s\"}", too_soon);
  g_autofree char *late_body = g_strdup_printf ("{\"at\":\"%s\"}", too_late);
  g_autoptr(TestResponse) soon = act (fixture, "schedule", soon_body);
  g_autoptr(TestResponse) late = act (fixture, "schedule", late_body);
  g_autoptr(TestResponse) garbled = act (fixture, "schedule", "{\"at\":\"next tuesday\"}");
  g_autoptr(TestResponse) zoneless = act (fixture, "schedule", "{\"at\":\"2030-01-01T08:00:00\"}");

  g_assert_cmpuint (soon->status, ==, 422);
  g_assert_cmpstr (test_response_string (soon, "field"), ==, "at");
  g_assert_cmpuint (late->status, ==, 422);
  g_assert_cmpstr (test_response_string (late, "type"), ==, "urn:cinnabar:problem:schedule-out-of-range");
  g_assert_cmpuint (garbled->status, ==, 422);
  g_assert_cmpuint (zoneless->status, ==, 422);
}

static void
test_scheduled_note_publishes_itself (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *at = time_from_now (2 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"at\":\"%s\"}", at);
  g_autoptr(TestResponse) scheduled = act (fixture, "schedule", body);
  g_autoptr(TestResponse) still_waiting = NULL;
  g_autofree char *state = NULL;
  g_autofree char *published_at = NULL;

  g_assert_cmpuint (scheduled->status, ==, 200);
  g_assert_cmpstr (test_response_string (scheduled, "state"), ==, "scheduled");
  g_assert_cmpint (strncmp (test_response_string (scheduled, "scheduled_at"), at, 19), ==, 0);

  g_usleep (G_USEC_PER_SEC / 5);
  still_waiting = test_server_request (fixture->server, "GET", fixture->path, NULL, NULL, NULL);
  g_assert_cmpuint (still_waiting->status, ==, 404);

  /* Three hours later, by the server's clock. */
  test_server_advance_clock (fixture->server, 3 * 3600);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TestResponse) read = test_server_request (fixture->server, "GET", fixture->path,
                                                          fixture->token, NULL, NULL);

      g_free (state);
      state = g_strdup (test_response_string (read, "state"));
      if (g_strcmp0 (state, "published") == 0)
        {
          published_at = g_strdup (test_response_string (read, "published_at"));
          g_assert_cmpstr (test_response_string (read, "rev"), ==, "3");
          g_assert_null (test_response_string (read, "scheduled_at"));
          break;
        }
      g_usleep (G_USEC_PER_SEC / 20);
    }
  g_assert_cmpstr (state, ==, "published");
  /* Published at the time it was scheduled for. */
  g_assert_cmpint (strncmp (published_at, at, 19), ==, 0);
}

static void
test_deleted_schedule_never_publishes (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *at = time_from_now (2 * 3600);
  g_autofree char *body = g_strdup_printf ("{\"at\":\"%s\"}", at);
  g_autoptr(TestResponse) scheduled = act (fixture, "schedule", body);
  g_autoptr(TestResponse) deleted = NULL;
  g_autoptr(TestResponse) changes = NULL;
  g_autofree char *key = test_idempotency_key ();
  JsonArray *items;

  g_assert_cmpuint (scheduled->status, ==, 200);
  deleted = test_server_request (fixture->server, "DELETE", fixture->path, fixture->token, NULL,
                                 "If-Match", fixture->etag, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);

  test_server_advance_clock (fixture->server, 3 * 3600);
  g_usleep (G_USEC_PER_SEC / 2);
  changes = test_server_request (fixture->server, "GET", "/v1/changes", fixture->token, NULL, NULL);
  items = json_object_get_array_member (test_response_object (changes), "changes");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (items, 0), "deleted"));
}

/* Uploads @photo through tus as the fixture's account, to the end. */
static void
upload (Fixture *fixture,
        GBytes  *photo)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  g_autofree char *encoded = g_base64_encode ((const guchar *)sha256, strlen (sha256));
  g_autofree char *metadata = g_strconcat ("sha256 ", encoded, NULL);
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (photo));
  g_autofree char *authorization = g_strconcat ("Bearer ", fixture->token, NULL);
  g_autofree char *url = NULL;
  g_autoptr(TestResponse) created = NULL;
  g_autoptr(SoupMessage) patch = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  created = test_server_request (fixture->server, "POST", "/v1/uploads", fixture->token, NULL,
                                 "Tus-Resumable", "1.0.0", "Upload-Length", length,
                                 "Upload-Metadata", metadata, NULL);
  g_assert_cmpuint (created->status, ==, 201);

  url = g_strconcat (fixture->server->base_url, test_response_header (created, "Location"), NULL);
  patch = soup_message_new ("PATCH", url);
  headers = soup_message_get_request_headers (patch);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Tus-Resumable", "1.0.0");
  soup_message_headers_replace (headers, "Upload-Offset", "0");
  soup_message_set_request_body_from_bytes (patch, "application/offset+octet-stream", photo);
  reply = soup_session_send_and_read (fixture->server->session, patch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (patch), ==, 204);
}

/* Makes the fixture's note a photo note with @photos (sha256s). */
static void
put_photo_note (Fixture     *fixture,
                GBytes     **photos,
                guint        n_photos)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) put = NULL;
  JsonArray *listed;

  g_string_append_printf (json, "{\"id\":\"%s\",\"kind\":\"photo\",\"title\":\"三张照片\",\"photos\":[",
                          fixture->id);
  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photos[i]);

      g_string_append_printf (json, "%s{\"id\":\"photo-%u\",\"sha256\":\"%s\",\"mime\":\"image/png\","
                              "\"width\":8,\"height\":8,\"crop\":\"3:4\",\"crop_x\":0.5,\"crop_y\":0.5,"
                              "\"alt_text\":\"第%u张\"}", i > 0 ? "," : "", i, sha256, i + 1);
    }
  g_string_append (json, "]}");

  put = test_server_request (fixture->server, "PUT", fixture->path, fixture->token, json->str,
                             "If-Match", fixture->etag, "Idempotency-Key", key, NULL);
  g_assert_cmpuint (put->status, ==, 200);
  g_free (fixture->etag);
  fixture->etag = g_strdup (test_response_header (put, "ETag"));

  /* Stored and given back in order. */
  listed = json_object_get_array_member (test_response_object (put), "photos");
  g_assert_cmpuint (json_array_get_length (listed), ==, n_photos);
  for (guint i = 0; i < n_photos; i++)
    {
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photos[i]);
      JsonObject *photo = json_array_get_object_element (listed, i);

      g_assert_cmpstr (json_object_get_string_member (photo, "sha256"), ==, sha256);
      g_assert_cmpstr (json_object_get_string_member (photo, "crop"), ==, "3:4");
      g_assert_cmpint (json_object_get_int_member (photo, "width"), ==, 8);
    }
}

static void
test_publish_photos (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) first = tus_test_png (8, 8, 1);
  g_autoptr(GBytes) second = tus_test_png (8, 8, 2);
  GBytes *photos[] = { first, second };
  g_autoptr(TestResponse) none = NULL;
  g_autoptr(TestResponse) missing = NULL;
  g_autoptr(TestResponse) published = NULL;
  g_autoptr(TestResponse) read = NULL;
  g_autofree char *second_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, second);

  /* No photos at all: fewer than the rules' minimum. */
  put_photo_note (fixture, photos, 0);
  none = act (fixture, "publish", NULL);
  g_assert_cmpuint (none->status, ==, 422);
  g_assert_cmpstr (test_response_string (none, "field"), ==, "photos");

  /* Only the first is uploaded: the second is named. */
  put_photo_note (fixture, photos, 2);
  upload (fixture, first);
  missing = act (fixture, "publish", NULL);
  g_assert_cmpuint (missing->status, ==, 422);
  g_assert_cmpstr (test_response_header (missing, "Content-Type"), ==, "application/problem+json");
  g_assert_cmpstr (test_response_string (missing, "field"), ==, "photos");
  g_assert_nonnull (strstr (test_response_string (missing, "detail"), "Photo 2"));
  g_assert_nonnull (strstr (test_response_string (missing, "detail"), second_sha256));

  upload (fixture, second);
  published = act (fixture, "publish", NULL);
  g_assert_cmpuint (published->status, ==, 200);
  g_assert_cmpstr (test_response_string (published, "state"), ==, "published");

  read = test_server_request (fixture->server, "GET", fixture->path, NULL, NULL, NULL);
  g_assert_cmpuint (read->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (test_response_object (read), "photos")),
                    ==, 2);
}

/* Another account's upload of the same file does not count. */
static void
test_publish_photos_of_another_account (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GBytes) photo = tus_test_png (8, 8, 3);
  GBytes *photos[] = { photo };
  g_autoptr(TestResponse) refused = NULL;
  g_autofree char *own_token = fixture->token;

  put_photo_note (fixture, photos, 1);
  fixture->token = test_server_sign_up (fixture->server, "someone-else");
  upload (fixture, photo);
  g_free (fixture->token);
  fixture->token = g_steal_pointer (&own_token);

  refused = act (fixture, "publish", NULL);
  g_assert_cmpuint (refused->status, ==, 422);
  g_assert_cmpstr (test_response_string (refused, "field"), ==, "photos");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/publish/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("publish-and-unpublish", test_publish_and_unpublish);
  ADD ("private-note-stays-private", test_private_note_stays_private);
  ADD ("schedule-window", test_schedule_window);
  ADD ("scheduled-note-publishes-itself", test_scheduled_note_publishes_itself);
  ADD ("deleted-schedule-never-publishes", test_deleted_schedule_never_publishes);
  ADD ("photos-need-uploads", test_publish_photos);
  ADD ("photos-of-another-account", test_publish_photos_of_another_account);
#undef ADD

  return g_test_run ();
}
