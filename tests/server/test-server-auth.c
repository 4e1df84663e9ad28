/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server-auth"

#include <string.h>

#include "server-test-util.h"

/* Accounts, sign-in and sign-out, the sign-in rate limit, and a log that
 * never holds a secret. */

static void
test_create_account (void)
{
  TestServer *server = test_server_start (NULL);
  g_autoptr(TestResponse) created = NULL;
  g_autoptr(TestResponse) taken = NULL;
  g_autoptr(TestResponse) bad_handle = NULL;
  g_autoptr(TestResponse) short_password = NULL;
  g_autoptr(TestResponse) missing = NULL;

  created = test_server_request (server, "POST", "/v1/accounts", NULL,
                                 "{\"handle\":\"xiaohong\",\"password\":\"12345678\"}", NULL);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpstr (test_response_string (created, "handle"), ==, "xiaohong");
  g_assert_null (strstr (test_response_text (created), "12345678"));

  taken = test_server_request (server, "POST", "/v1/accounts", NULL,
                               "{\"handle\":\"xiaohong\",\"password\":\"another1\"}", NULL);
  g_assert_cmpuint (taken->status, ==, 409);
  g_assert_cmpstr (test_response_string (taken, "field"), ==, "handle");
  g_assert_cmpstr (test_response_string (taken, "type"), ==, "urn:cinnabar:problem:handle-taken");

  bad_handle = test_server_request (server, "POST", "/v1/accounts", NULL,
                                    "{\"handle\":\"小红\",\"password\":\"12345678\"}", NULL);
  g_assert_cmpuint (bad_handle->status, ==, 422);
  g_assert_cmpstr (test_response_string (bad_handle, "field"), ==, "handle");

  short_password = test_server_request (server, "POST", "/v1/accounts", NULL,
                                        "{\"handle\":\"shorty\",\"password\":\"1234\"}", NULL);
  g_assert_cmpuint (short_password->status, ==, 422);
  g_assert_cmpstr (test_response_string (short_password, "field"), ==, "password");

  missing = test_server_request (server, "POST", "/v1/accounts", NULL, "{\"handle\":\"nopass\"}", NULL);
  g_assert_cmpuint (missing->status, ==, 422);
  g_assert_cmpstr (test_response_string (missing, "field"), ==, "password");

  test_server_stop (server);
}

static void
test_sign_in_and_out (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *token = test_server_sign_up (server, "alice");
  g_autoptr(TestResponse) wrong = NULL;
  g_autoptr(TestResponse) unknown = NULL;
  g_autoptr(TestResponse) me = NULL;
  g_autoptr(TestResponse) anonymous = NULL;
  g_autoptr(TestResponse) forged = NULL;
  g_autoptr(TestResponse) signed_out = NULL;
  g_autoptr(TestResponse) after = NULL;
  g_autofree char *log = NULL;

  wrong = test_server_request (server, "POST", "/v1/session", NULL,
                               "{\"handle\":\"alice\",\"password\":\"not the password\"}", NULL);
  g_assert_cmpuint (wrong->status, ==, 401);
  unknown = test_server_request (server, "POST", "/v1/session", NULL,
                                 "{\"handle\":\"nobody\",\"password\":\"not the password\"}", NULL);
  g_assert_cmpuint (unknown->status, ==, 401);
  /* The same answer: a stranger can't tell which handles exist. */
  g_assert_cmpstr (test_response_string (wrong, "detail"), ==, test_response_string (unknown, "detail"));

  me = test_server_request (server, "GET", "/v1/session", token, NULL, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (test_response_string (me, "handle"), ==, "alice");

  anonymous = test_server_request (server, "GET", "/v1/session", NULL, NULL, NULL);
  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_true (g_str_has_prefix (test_response_header (anonymous, "WWW-Authenticate"), "Bearer"));

  forged = test_server_request (server, "GET", "/v1/session", "cin_forged", NULL, NULL);
  g_assert_cmpuint (forged->status, ==, 401);

  signed_out = test_server_request (server, "DELETE", "/v1/session", token, NULL, NULL);
  g_assert_cmpuint (signed_out->status, ==, 204);
  after = test_server_request (server, "GET", "/v1/session", token, NULL, NULL);
  g_assert_cmpuint (after->status, ==, 401);

  /* The log tells what happened without a password or a token in it. */
  g_file_get_contents (server->log_file, &log, NULL, NULL);
  g_assert_nonnull (strstr (log, "\"route\":\"/v1/session\""));
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, "correct horse"));
  g_assert_null (strstr (log, "not the password"));

  test_server_stop (server);
}

static void
test_sign_in_rate_limit (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *alice = test_server_sign_up (server, "alice");
  g_autofree char *bob = test_server_sign_up (server, "bob");
  g_autoptr(TestResponse) limited = NULL;
  g_autoptr(TestResponse) right_but_limited = NULL;
  g_autoptr(TestResponse) other = NULL;
  g_autoptr(TestResponse) later = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TestResponse) wrong = test_server_request (server, "POST", "/v1/session", NULL,
                                                           "{\"handle\":\"alice\",\"password\":\"guess-guess\"}", NULL);
      g_assert_cmpuint (wrong->status, ==, 401);
    }

  limited = test_server_request (server, "POST", "/v1/session", NULL,
                                 "{\"handle\":\"alice\",\"password\":\"guess-guess\"}", NULL);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpint (g_ascii_strtoll (test_response_header (limited, "Retry-After"), NULL, 10), >, 0);

  /* Even the right password waits: that is what stops guessing. */
  right_but_limited = test_server_request (server, "POST", "/v1/session", NULL,
                                           "{\"handle\":\"alice\",\"password\":\"correct horse battery\"}", NULL);
  g_assert_cmpuint (right_but_limited->status, ==, 429);

  other = test_server_request (server, "POST", "/v1/session", NULL,
                               "{\"handle\":\"bob\",\"password\":\"correct horse battery\"}", NULL);
  g_assert_cmpuint (other->status, ==, 201);

  /* A quarter of an hour later the handle may try again. */
  test_server_advance_clock (server, 16 * 60);
  later = test_server_request (server, "POST", "/v1/session", NULL,
                               "{\"handle\":\"alice\",\"password\":\"correct horse battery\"}", NULL);
  g_assert_cmpuint (later->status, ==, 201);

  test_server_stop (server);
}

static void
test_session_expires (void)
{
  TestServer *server = test_server_start (NULL);
  g_autofree char *token = test_server_sign_up (server, "carol");
  g_autoptr(TestResponse) before = NULL;
  g_autoptr(TestResponse) after = NULL;

  before = test_server_request (server, "GET", "/v1/session", token, NULL, NULL);
  g_assert_cmpuint (before->status, ==, 200);
  test_server_advance_clock (server, 31 * 24 * 60 * 60);
  after = test_server_request (server, "GET", "/v1/session", token, NULL, NULL);
  g_assert_cmpuint (after->status, ==, 401);

  test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/auth/create-account", test_create_account);
  g_test_add_func ("/server/auth/sign-in-and-out", test_sign_in_and_out);
  g_test_add_func ("/server/auth/rate-limit", test_sign_in_rate_limit);
  g_test_add_func ("/server/auth/session-expires", test_session_expires);

  return g_test_run ();
}
