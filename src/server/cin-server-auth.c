/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-auth"

#include <crypt.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "cin-server-private.h"

/* Accounts and sessions. Passwords are kept as yescrypt hashes; a session
 * is a random bearer token of which only the SHA-256 is stored, so a copy
 * of the database signs nobody in. Failed sign-ins are counted per handle
 * and, past a few, answered 429 for a while. */

#define HANDLE_MIN 2
#define HANDLE_MAX 32
#define PASSWORD_MIN 8
#define PASSWORD_MAX 1024
#define TOKEN_BYTES 32
#define SIGNIN_MAX_FAILURES 5
#define SIGNIN_WINDOW_USEC (CIN_USEC_PER_SEC * 60 * 15)
#define SIGNIN_TABLE_MAX 10000

typedef struct {
  guint  failures;
  gint64 window_start;
} SigninFailures;

/* Passwords */

char *
_cin_server_hash_password (const char  *password,
                           GError     **error)
{
  g_autofree char *setting = NULL;
  void *data = NULL;
  int size = 0;
  char *hash;
  char *copy = NULL;

  /* "$y$" with count 0: yescrypt at libxcrypt's recommended cost. */
  setting = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (setting != NULL)
    {
      hash = crypt_ra (password, setting, &data, &size);
      if (hash != NULL && hash[0] != '*')
        copy = g_strdup (hash);
    }
  if (data != NULL)
    {
      explicit_bzero (data, size);
      free (data);
    }

  if (copy == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "libcrypt could not hash the password with yescrypt");
  return copy;
}

static gboolean
strings_equal_constant_time (const char *a,
                             const char *b)
{
  gsize len_a = strlen (a);
  gsize len_b = strlen (b);
  guchar diff = len_a != len_b;

  for (gsize i = 0; i < MIN (len_a, len_b); i++)
    diff |= (guchar)a[i] ^ (guchar)b[i];
  return diff == 0;
}

static gboolean
password_matches (const char *password,
                  const char *stored_hash)
{
  void *data = NULL;
  int size = 0;
  const char *hash;
  gboolean matches;

  hash = crypt_ra (password, stored_hash, &data, &size);
  matches = hash != NULL && hash[0] != '*' && strings_equal_constant_time (hash, stored_hash);
  if (data != NULL)
    {
      explicit_bzero (data, size);
      free (data);
    }
  return matches;
}

/* Tokens */

static char *
new_token (void)
{
  guchar bytes[TOKEN_BYTES];
  g_autofree char *encoded = NULL;
  gsize filled = 0;

  while (filled < sizeof bytes)
    {
      gssize got = getrandom (bytes + filled, sizeof bytes - filled, 0);

      if (got < 0 && errno != EINTR)
        g_error ("getrandom failed: %s", g_strerror (errno));
      if (got > 0)
        filled += got;
    }

  encoded = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);
  /* base64url without padding: safe in a header and a shell. */
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  return g_strconcat ("cin_", encoded, NULL);
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static const char *
token_of_authorization (const char *value)
{
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  return *value != '\0' ? value : NULL;
}

/* The token of an "Authorization: Bearer …" header, or NULL. */
static const char *
bearer_token (CinRequest *request)
{
  return token_of_authorization (cin_request_header (request, "Authorization"));
}

/* The account of @token's session, from the cache or else the database
 * (then cached). FALSE with CIN_STORAGE_ERROR_NOT_FOUND for an unknown or
 * expired token. */
static gboolean
find_session (CinServer   *self,
              const char  *token,
              gint64       now,
              gint64      *account_id,
              GError     **error)
{
  g_autofree char *token_hash = hash_token (token);
  gint64 expires_at;

  *account_id = _cin_session_cache_lookup (self->session_cache, token_hash, now);
  if (*account_id != 0)
    return TRUE;
  if (!self->storage->ops->session_find (self->storage, token_hash, now, account_id, &expires_at, error))
    return FALSE;
  _cin_session_cache_remember (self->session_cache, token_hash, *account_id, expires_at, now);
  return TRUE;
}

gint64
_cin_server_account_for_authorization (CinServer  *self,
                                       const char *authorization)
{
  const char *token = token_of_authorization (authorization);
  gint64 account_id = 0;

  if (token == NULL || !find_session (self, token, _cin_server_now (self), &account_id, NULL))
    return 0;
  return account_id;
}

static void
answer_unauthorized (CinRequest *request,
                     const char *detail)
{
  soup_message_headers_replace (request->headers, "WWW-Authenticate",
                                "Bearer realm=\"cinnabar\"");
  cin_request_problem (request, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "Authorization",
                       "%s", detail);
}

gboolean
_cin_server_authenticate (CinRequest *request,
                          gboolean    required)
{
  g_autoptr(GError) error = NULL;
  const char *token = bearer_token (request);

  if (token == NULL)
    {
      if (!required && cin_request_header (request, "Authorization") == NULL)
        return TRUE;
      answer_unauthorized (request, "Sign in with POST /v1/session and send the token as "
                                    "“Authorization: Bearer TOKEN”.");
      return FALSE;
    }

  if (find_session (request->server, token, request->now, &request->account_id, &error))
    return TRUE;

  if (!g_error_matches (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND))
    {
      cin_request_internal_error (request, error);
      return FALSE;
    }
  answer_unauthorized (request, "The token is unknown or has expired. Sign in again.");
  return FALSE;
}

/* Reading the body */

/* The string member @name of the body, or NULL after answering 422. */
static const char *
require_string (CinRequest *request,
                const char *name)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (request->body) ? json_node_get_object (request->body) : NULL;
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  if (object == NULL)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", NULL,
                           "The body must be a JSON object.");
      return NULL;
    }
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", name,
                           "“%s” must be a string.", name);
      return NULL;
    }
  return json_node_get_string (member);
}

static gboolean
is_valid_handle (const char *handle)
{
  gsize len = strlen (handle);

  if (len < HANDLE_MIN || len > HANDLE_MAX)
    return FALSE;
  for (const char *p = handle; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_password_shape (CinRequest *request,
                      const char *password)
{
  gsize len = strlen (password);

  if (len < PASSWORD_MIN || len > PASSWORD_MAX)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", "password",
                           "The password must be %d to %d bytes long.", PASSWORD_MIN, PASSWORD_MAX);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
account_to_json (const CinAccount *account)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (account->created_at / CIN_USEC_PER_SEC);
  g_autofree char *created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "handle");
  json_builder_add_string_value (builder, account->handle);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created_text);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Creating accounts */

gboolean
cin_server_create_account (CinServer   *self,
                           const char  *handle,
                           const char  *password,
                           GError     **error)
{
  g_autofree char *hash = NULL;
  gint64 account_id;

  if (!is_valid_handle (handle))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A handle is %d to %d ASCII letters, digits, “_”, “.” or “-”.",
                   HANDLE_MIN, HANDLE_MAX);
      return FALSE;
    }
  if (strlen (password) < PASSWORD_MIN || strlen (password) > PASSWORD_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The password must be %d to %d bytes long.", PASSWORD_MIN, PASSWORD_MAX);
      return FALSE;
    }

  hash = _cin_server_hash_password (password, error);
  if (hash == NULL)
    return FALSE;
  return self->storage->ops->account_create (self->storage, handle, hash,
                                             _cin_server_now (self), &account_id, error);
}

void
_cin_route_accounts_create (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  CinAccount account = { 0 };
  const char *handle, *password;

  if ((handle = require_string (request, "handle")) == NULL ||
      (password = require_string (request, "password")) == NULL)
    return;

  if (!is_valid_handle (handle))
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid-field", "handle",
                           "A handle is %d to %d ASCII letters, digits, “_”, “.” or “-”.",
                           HANDLE_MIN, HANDLE_MAX);
      return;
    }
  if (!check_password_shape (request, password))
    return;

  hash = _cin_server_hash_password (password, &error);
  if (hash == NULL)
    {
      cin_request_internal_error (request, error);
      return;
    }

  if (!storage->ops->account_create (storage, handle, hash, request->now, &account.id, &error))
    {
      if (g_error_matches (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_EXISTS))
        cin_request_problem (request, SOUP_STATUS_CONFLICT, "handle-taken", "handle",
                             "The handle “%s” is taken. Pick another.", handle);
      else
        cin_request_internal_error (request, error);
      return;
    }

  account.handle = (char *)handle;
  account.created_at = request->now;
  {
    g_autoptr(JsonNode) node = account_to_json (&account);

    cin_request_respond_json (request, SOUP_STATUS_CREATED, node);
  }
}

/* Signing in and out */

static SigninFailures *
signin_failures_for (CinRequest *request,
                     const char *handle)
{
  GHashTable *table = request->server->signin_failures;
  g_autofree char *key = g_ascii_strdown (handle, -1);
  SigninFailures *failures = g_hash_table_lookup (table, key);

  if (failures != NULL && request->now - failures->window_start > SIGNIN_WINDOW_USEC)
    {
      failures->failures = 0;
      failures->window_start = request->now;
    }
  if (failures == NULL)
    {
      /* Handles made up by an attacker must not grow the table for ever. */
      if (g_hash_table_size (table) >= SIGNIN_TABLE_MAX)
        g_hash_table_remove_all (table);
      failures = g_new0 (SigninFailures, 1);
      failures->window_start = request->now;
      g_hash_table_insert (table, g_steal_pointer (&key), failures);
    }
  return failures;
}

void
_cin_route_session_create (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(CinAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  SigninFailures *failures;
  const char *handle, *password;
  gint64 expires_at;

  if ((handle = require_string (request, "handle")) == NULL ||
      (password = require_string (request, "password")) == NULL)
    return;

  failures = signin_failures_for (request, handle);
  if (failures->failures >= SIGNIN_MAX_FAILURES)
    {
      gint64 wait = (failures->window_start + SIGNIN_WINDOW_USEC - request->now) / CIN_USEC_PER_SEC + 1;
      g_autofree char *retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, wait);

      soup_message_headers_replace (request->headers, "Retry-After", retry_after);
      cin_request_problem (request, CIN_STATUS_TOO_MANY_REQUESTS, "too-many-sign-ins", NULL,
                           "Too many failed sign-ins for this handle. Try again in %"
                           G_GINT64_FORMAT " seconds.", wait);
      return;
    }

  account = storage->ops->account_find (storage, handle, &error);
  if (account == NULL && !g_error_matches (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND))
    {
      cin_request_internal_error (request, error);
      return;
    }

  if (account == NULL || !password_matches (password, account->password_hash))
    {
      failures->failures++;
      answer_unauthorized (request, "The handle or the password is wrong.");
      return;
    }
  failures->failures = 0;

  token = new_token ();
  token_hash = hash_token (token);
  expires_at = request->now + request->server->config.session_ttl_usec;
  if (!storage->ops->session_create (storage, token_hash, account->id, expires_at, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }
  request->account_id = account->id;

  expires = g_date_time_new_from_unix_utc (expires_at / CIN_USEC_PER_SEC);
  expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "handle");
  json_builder_add_string_value (builder, account->handle);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_text);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  /* A token must not sit in a shared cache. */
  soup_message_headers_replace (request->headers, "Cache-Control", "no-store");
  cin_request_respond_json (request, SOUP_STATUS_CREATED, node);
}

void
_cin_route_session_get (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(CinAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  account = storage->ops->account_get (storage, request->account_id, &error);
  if (account == NULL)
    {
      cin_request_internal_error (request, error);
      return;
    }
  node = account_to_json (account);
  cin_request_respond_json (request, SOUP_STATUS_OK, node);
}

void
_cin_route_session_delete (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  g_autofree char *token_hash = hash_token (bearer_token (request));

  if (!storage->ops->session_delete (storage, token_hash, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }
  /* Signed out means at once, not when the cached entry ages out. */
  _cin_session_cache_forget (request->server->session_cache, token_hash);
  cin_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}
