/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-demo"

#include <string.h>

#include "server-test-util.h"

/* --demo on an empty dir: a demo account with a few hundred public notes
 * that pass the platform's rules, products, and 90 days of numbers. */

static char *
sign_in_demo (TestServer *server)
{
  g_autoptr(TestResponse) session = test_server_request (server, "POST", "/v1/session", NULL,
                                                         "{\"handle\":\"demo\",\"password\":\"cinnabar-demo\"}",
                                                         NULL);

  g_assert_cmpuint (session->status, ==, 201);
  return g_strdup (test_response_string (session, "token"));
}

static void
test_demo (void)
{
  TestServer *server = test_server_start ("--demo", NULL);
  g_autofree char *token = sign_in_demo (server);
  g_autofree char *cursor = NULL;
  g_autofree char *oldest = NULL;
  g_autoptr(TestResponse) products = NULL;
  g_autoptr(TestResponse) coffee = NULL;
  g_autoptr(TestResponse) followers = NULL;
  g_autoptr(TestResponse) first_page = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, -89);
  g_autofree char *from = g_date_time_format (start, "%Y-%m-%d");
  g_autofree char *followers_path = g_strdup_printf ("/v1/account/metrics?from=%s", from);
  guint notes = 0;
  guint photo_notes = 0;
  JsonArray *days;

  /* Every note, through the public feed. */
  do
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/v1/explore?limit=100&cursor=%s", cursor)
                                     : g_strdup ("/v1/explore?limit=100");
      g_autoptr(TestResponse) page = test_server_request (server, "GET", path, NULL, NULL, NULL);
      JsonObject *object = test_response_object (page);
      JsonArray *items = json_object_get_array_member (object, "items");

      notes += json_array_get_length (items);
      g_free (oldest);
      oldest = g_strdup (json_object_get_string_member (json_array_get_object_element (items, json_array_get_length (items) - 1), "id"));
      g_free (cursor);
      cursor = json_object_get_null_member (object, "cursor") ? NULL
               : g_strdup (json_object_get_string_member (object, "cursor"));
    }
  while (cursor != NULL);
  g_assert_cmpuint (notes, >=, 200);

  /* The notes are ones the server itself would take: a note sent back
   * unchanged is accepted. */
  first_page = test_server_request (server, "GET", "/v1/explore?limit=20", NULL, NULL, NULL);
  {
    JsonArray *items = json_object_get_array_member (test_response_object (first_page), "items");

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonNode *note = json_array_get_element (items, i);
        JsonObject *object = json_node_get_object (note);
        g_autofree char *path = g_strconcat ("/v1/notes/", json_object_get_string_member (object, "id"), NULL);
        g_autofree char *etag = g_strdup_printf ("\"%s\"", json_object_get_string_member (object, "rev"));
        g_autofree char *json = json_to_string (note, FALSE);
        g_autofree char *key = test_idempotency_key ();
        g_autoptr(TestResponse) put = test_server_request (server, "PUT", path, token, json,
                                                           "If-Match", etag, "Idempotency-Key", key, NULL);

        g_assert_cmpuint (put->status, ==, 200);
        g_assert_cmpstr (test_response_string (put, "state"), ==, "published");

        /* A photo note has one to three photos of the account's own
         * uploads, each a JPEG of the size the note says. */
        if (g_str_equal (json_object_get_string_member (object, "kind"), "photo"))
          {
            JsonArray *photos = json_object_get_array_member (object, "photos");
            JsonObject *photo;
            g_autofree char *upload_path = NULL;
            g_autoptr(TestResponse) upload = NULL;
            g_autofree char *sha256 = NULL;
            const guint8 *bytes;
            gsize size;

            g_assert_cmpuint (json_array_get_length (photos), >=, 1);
            g_assert_cmpuint (json_array_get_length (photos), <=, 3);
            photo = json_array_get_object_element (photos, 0);
            g_assert_cmpint (json_object_get_int_member (photo, "width"), ==, 720);
            g_assert_cmpint (json_object_get_int_member (photo, "height"), ==, 960);
            upload_path = g_strconcat ("/v1/uploads/", json_object_get_string_member (photo, "sha256"), NULL);
            upload = test_server_request (server, "GET", upload_path, token, NULL, NULL);
            g_assert_cmpuint (upload->status, ==, 200);
            bytes = g_bytes_get_data (upload->body, &size);
            g_assert_cmpuint (size, >, 1000);
            g_assert_true (bytes[0] == 0xff && bytes[1] == 0xd8);
            sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, upload->body);
            g_assert_cmpstr (sha256, ==, json_object_get_string_member (photo, "sha256"));
            photo_notes++;
          }
      }
    g_assert_cmpuint (photo_notes, >, 0);
  }

  coffee = test_server_request (server, "GET", "/v1/search?q=%E5%92%96%E5%95%A1&limit=100", NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (test_response_object (coffee), "items")), >, 0);

  products = test_server_request (server, "GET", "/v1/products", token, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (test_response_object (products), "items")), >=, 10);

  /* 90 days of followers, growing. */
  followers = test_server_request (server, "GET", followers_path, token, NULL, NULL);
  g_assert_cmpuint (followers->status, ==, 200);
  days = json_object_get_array_member (test_response_object (followers), "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 90);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (days, 89), "followers"), >,
                   json_object_get_int_member (json_array_get_object_element (days, 0), "followers"));

  /* The oldest note has weeks of numbers. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/notes/%s/metrics?from=%s", oldest, from);
    g_autoptr(TestResponse) metrics = test_server_request (server, "GET", path, token, NULL, NULL);

    g_assert_cmpuint (metrics->status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (test_response_object (metrics), "days")), >, 60);
  }

  test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/demo/fills-an-empty-dir", test_demo);

  return g_test_run ();
}
