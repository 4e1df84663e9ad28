/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server"

#include <string.h>

#include "cin-server-json.h"
#include "cin-tus.h"
#include "cin-server-notes.h"
#include "cin-server-private.h"

/* The request pipeline: an early handler that sees only the headers
 * (refuses bodies over the limit before reading them, counts the request
 * as in flight), then one handler for every path that routes, checks the
 * token, the content type and the JSON, runs a mutation in a transaction
 * with its idempotency record, and logs one line. */

void
cin_server_config_init (CinServerConfig *config)
{
  memset (config, 0, sizeof *config);
  config->max_body_bytes = 1024 * 1024;
  config->tombstone_ttl_usec = CIN_USEC_PER_SEC * 60 * 60 * 24 * 30;
  config->session_ttl_usec = CIN_USEC_PER_SEC * 60 * 60 * 24 * 30;
  config->housekeeping_interval_ms = 1000;
  config->request_timeout_ms = 20 * 1000;
  config->idle_timeout_ms = 60 * 1000;
}

gint64
_cin_server_now (CinServer *self)
{
  g_autofree char *text = NULL;
  gint64 now = g_get_real_time ();

  if (self->clock_offset_file != NULL &&
      g_file_get_contents (self->clock_offset_file, &text, NULL, NULL))
    now += g_ascii_strtoll (text, NULL, 10) * CIN_USEC_PER_SEC;

  return now;
}

/* Responses */

void
_cin_request_clear (CinRequest *request)
{
  for (guint i = 0; i < request->n_params; i++)
    g_free (request->params[i]);
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request->content_type);
  g_clear_pointer (&request->response_body, g_bytes_unref);
  g_free (request->etag);
  g_free (request->location);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
}

void
_cin_request_init (CinRequest        *request,
              CinServer         *self,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query)
{
  memset (request, 0, sizeof *request);
  request->server = self;
  request->msg = msg;
  request->method = soup_server_message_get_method (msg);
  request->path = path;
  request->query = query;
  request->now = _cin_server_now (self);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_replace (user_data, name, value);
}

void
_cin_request_apply_response (CinRequest *request)
{
  SoupServerMessage *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, request->status, NULL);
  /* The body is handed over, not copied: a page can be tens of KiB. */
  if (request->response_body != NULL && request->content_type != NULL)
    {
      soup_message_headers_replace (headers, "Content-Type", request->content_type);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg),
                                      request->response_body);
    }
  if (request->etag != NULL)
    soup_message_headers_replace (headers, "ETag", request->etag);
  if (request->location != NULL)
    soup_message_headers_replace (headers, "Location", request->location);
  soup_message_headers_foreach (request->headers, copy_header, headers);
}

/* @value in decimal into @buffer (at least 21 bytes), without printf:
 * this runs three times a request. */
static void
format_int (char   *buffer,
            gsize   size,
            gint64  value)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64)value : (guint64)value;

  g_assert (size >= 21);
  *--p = '\0';
  do
    *--p = '0' + magnitude % 10;
  while ((magnitude /= 10) != 0);
  if (value < 0)
    *--p = '-';
  memcpy (buffer, p, digits + sizeof digits - p);
}

/* One line per request: what was asked and answered, never a header or a
 * body, so tokens and passwords can't end up in the log. */
void
_cin_request_log (CinRequest *request,
             gint64      started)
{
  char status[24], usec[24], account[24];
  const GLogField fields[] = {
    { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
    { "MESSAGE", "request", -1 },
    { "METHOD", request->method, -1 },
    { "ROUTE", request->route ? request->route->path : "(none)", -1 },
    { "STATUS", status, -1 },
    { "DURATION_USEC", usec, -1 },
    { "ACCOUNT", account, -1 },
  };

  format_int (status, sizeof status, request->status);
  format_int (usec, sizeof usec, g_get_monotonic_time () - started);
  format_int (account, sizeof account, request->account_id);
  g_log_structured_array (G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS (fields));
}

/* Idempotency */

static char *
hash_request (CinRequest *request)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);

  g_checksum_update (checksum, (const guchar *)request->method, -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  g_checksum_update (checksum, (const guchar *)request->path, -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  if (body->data != NULL)
    g_checksum_update (checksum, (const guchar *)body->data, body->length);
  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
is_valid_idempotency_key (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > 255)
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

static void
replay (CinRequest        *request,
        CinStoredResponse *stored)
{
  request->status = stored->status;
  g_free (request->content_type);
  request->content_type = g_strdup (stored->content_type);
  g_clear_pointer (&request->response_body, g_bytes_unref);
  request->response_body = stored->body ? g_bytes_ref (stored->body) : NULL;
  g_free (request->etag);
  request->etag = g_strdup (stored->etag);
  g_free (request->location);
  request->location = g_strdup (stored->location);
  soup_message_headers_replace (request->headers, "Idempotency-Replayed", "true");
}

static void
run_mutation (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(CinStoredResponse) stored = NULL;
  g_autoptr(CinStoredResponse) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_hash = NULL;
  const char *key = cin_request_header (request, "Idempotency-Key");

  if (key == NULL || !is_valid_idempotency_key (key))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "idempotency-key-missing",
                           "Idempotency-Key",
                           "Send an Idempotency-Key header (1 to 255 visible ASCII "
                           "characters, unique per change) with every change.");
      return;
    }

  request_hash = hash_request (request);

  if (!storage->ops->begin (storage, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }

  stored = storage->ops->idempotency_find (storage, request->account_id, key, &error);
  if (stored != NULL)
    {
      storage->ops->rollback (storage);
      if (g_strcmp0 (stored->request_hash, request_hash) == 0)
        replay (request, stored);
      else
        cin_request_problem (request, SOUP_STATUS_CONFLICT, "idempotency-key-reused",
                             "Idempotency-Key",
                             "This Idempotency-Key was used for a different request. "
                             "Use a new key for every change.");
      return;
    }
  if (!g_error_matches (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND))
    {
      storage->ops->rollback (storage);
      cin_request_internal_error (request, error);
      return;
    }
  g_clear_error (&error);

  request->route->handler (request);

  /* Only a change that happened is kept for replays: a refusal changed
   * nothing, and the client may fix its request and send it again with
   * the same key. A server error may have left the transaction half
   * done, so nothing of it may be kept either. */
  if (request->status >= 300)
    {
      storage->ops->rollback (storage);
      return;
    }

  record = g_new0 (CinStoredResponse, 1);
  record->request_hash = g_steal_pointer (&request_hash);
  record->status = request->status;
  record->content_type = g_strdup (request->content_type);
  record->body = request->response_body ? g_bytes_ref (request->response_body) : NULL;
  record->etag = g_strdup (request->etag);
  record->location = g_strdup (request->location);
  if (!storage->ops->idempotency_save (storage, request->account_id, key, record, request->now, &error) ||
      !storage->ops->commit (storage, &error))
    {
      storage->ops->rollback (storage);
      cin_request_internal_error (request, error);
    }
}

/* Routing */

static gboolean
is_json_content_type (CinRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

static void
answer_method_not_allowed (CinRequest *request)
{
  g_autoptr(GString) allow = g_string_new (NULL);
  const CinRoute *routes;
  guint n_routes;

  routes = _cin_server_get_routes (&n_routes);
  for (guint i = 0; i < n_routes; i++)
    {
      gboolean matched;
      CinRequest probe = { 0 };

      if (_cin_server_match_route (routes[i].method, request->path, &probe, &matched) == &routes[i])
        g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", routes[i].method);
      for (guint j = 0; j < probe.n_params; j++)
        g_free (probe.params[j]);
    }
  soup_message_headers_replace (request->headers, "Allow", allow->str);
  cin_request_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", NULL,
                       "%s is not allowed here; use %s.", request->method, allow->str);
}

static void
handle_request (CinRequest *request)
{
  CinServer *self = request->server;
  gboolean path_matched;

  request->route = _cin_server_match_route (request->method, request->path, request, &path_matched);
  if (request->route == NULL)
    {
      if (path_matched)
        answer_method_not_allowed (request);
      else
        cin_request_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", NULL,
                             "There is nothing at %s.", request->path);
      return;
    }

  if ((request->route->flags & (CIN_ROUTE_AUTH | CIN_ROUTE_MAYBE_AUTH)) &&
      !_cin_server_authenticate (request, (request->route->flags & CIN_ROUTE_AUTH) != 0))
    return;

  if (request->route->flags & CIN_ROUTE_JSON_BODY)
    {
      SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
      g_autoptr(GError) error = NULL;

      if (!is_json_content_type (request))
        {
          cin_request_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                               "unsupported-media-type", "Content-Type",
                               "Send the body as application/json.");
          return;
        }
      /* The early handler refused what it could see coming; this catches
       * a body that came without a length. */
      if ((guint64)body->length > self->config.max_body_bytes)
        {
          cin_request_problem (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                               NULL, "The body is larger than %" G_GSIZE_FORMAT " bytes.",
                               self->config.max_body_bytes);
          return;
        }
      request->body = cin_server_json_parse (body->data, body->length, &error);
      if (request->body == NULL)
        {
          cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-json", NULL,
                               "%s", error->message);
          return;
        }
    }

  if (request->route->flags & CIN_ROUTE_MUTATION)
    run_mutation (request);
  else
    request->route->handler (request);
}

static void
on_request_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CinServer *self = user_data;
  gint64 started = g_get_monotonic_time ();
  CinRequest request;

  /* The early handler answered this one already. */
  if (soup_server_message_get_status (msg) != 0)
    return;

  _cin_request_init (&request, self, msg, path, query);
  handle_request (&request);

  g_assert (request.status != 0);
  _cin_request_apply_response (&request);
  _cin_request_log (&request, started);
  _cin_request_clear (&request);
}

/* In-flight requests and draining */

static gboolean
on_drained_idle_cb (gpointer user_data)
{
  CinServer *self = user_data;
  GSourceFunc done = g_steal_pointer (&self->drained_cb);

  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  if (done != NULL)
    done (self->drained_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_drain_timeout_cb (gpointer user_data)
{
  CinServer *self = user_data;

  self->drain_timeout_id = 0;
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                    "MESSAGE", "Stopping with %u requests still in flight", self->in_flight);
  on_drained_idle_cb (self);
  return G_SOURCE_REMOVE;
}

void
_cin_server_request_done (CinServer *self)
{
  g_assert (self->in_flight > 0);
  self->in_flight--;
  if (self->draining && self->in_flight == 0 && self->drained_cb != NULL)
    g_idle_add (on_drained_idle_cb, self);
}

void
cin_server_drain (CinServer   *self,
                  guint        timeout_ms,
                  GSourceFunc  done,
                  gpointer     user_data)
{
  g_return_if_fail (self != NULL);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_INFO,
                    "MESSAGE", "Draining %u requests in flight", self->in_flight);
  self->draining = TRUE;
  self->drained_cb = done;
  self->drained_data = user_data;
  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  if (self->in_flight == 0)
    g_idle_add (on_drained_idle_cb, self);
  else
    self->drain_timeout_id = g_timeout_add (timeout_ms, on_drain_timeout_cb, self);
}

/* tus asks who the uploader is: the owner of its uploads is the account
 * id, as text. */
static char *
authenticate_upload_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  CinServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gint64 account_id;

  account_id = _cin_server_account_for_authorization (self, soup_message_headers_get_one (headers,
                                                                                         "Authorization"));
  if (account_id == 0)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
}

static gboolean
mount_uploads (CinServer  *self,
               GError    **error)
{
  g_autofree char *uploads_dir = g_build_filename (self->data_dir, "uploads", NULL);
  g_autofree char *media_dir = g_build_filename (self->data_dir, "media", NULL);
  CinTusLimits limits;
  CinTus *tus;

  cin_tus_limits_init_from_rules (&limits, self->rules);
  tus = cin_tus_new (uploads_dir, media_dir, &limits, error);
  if (tus == NULL)
    return FALSE;
  self->tus = G_OBJECT (tus);
  cin_tus_attach (tus, self->soup, CIN_SERVER_UPLOADS_PATH, authenticate_upload_cb, self, NULL);
  return TRUE;
}

static gboolean
on_housekeeping_cb (gpointer user_data)
{
  _cin_server_housekeeping (user_data);
  return G_SOURCE_CONTINUE;
}

void
_cin_server_housekeeping (CinServer *self)
{
  g_autoptr(GError) error = NULL;
  gint64 now = _cin_server_now (self);

  cin_server_publish_due_notes (self, now);
  if (!self->storage->ops->prune (self->storage, now - self->config.tombstone_ttl_usec, now, &error))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                      "MESSAGE", "Housekeeping failed: %s", error->message);
}

CinServer *
cin_server_new (const CinServerConfig  *config,
                GError                **error)
{
  g_autoptr(CinServer) self = g_new0 (CinServer, 1);

  g_return_val_if_fail (config != NULL && config->data_dir != NULL, NULL);

  self->config = *config;
  self->data_dir = g_strdup (config->data_dir);
  self->config.data_dir = self->data_dir;
  self->clock_offset_file = g_strdup (config->clock_offset_file);
  self->config.clock_offset_file = self->clock_offset_file;
  self->signin_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->session_cache = _cin_session_cache_new ();

  self->rules = cin_rules_load_default (error);
  if (self->rules == NULL)
    return NULL;
  self->ad_check = cin_ad_check_load_default (error);
  if (self->ad_check == NULL)
    return NULL;
  self->storage = cin_storage_sqlite_open (self->data_dir, error);
  if (self->storage == NULL)
    return NULL;

  self->soup = soup_server_new ("server-header", "cinnabar-server/" CIN_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, _cin_server_on_request_headers, self, NULL);
  soup_server_add_handler (self->soup, NULL, on_request_cb, self, NULL);
  _cin_server_timeouts_start (self);
  if (!mount_uploads (self, error))
    return NULL;

  if (self->config.housekeeping_interval_ms > 0)
    self->housekeeping_id = g_timeout_add (self->config.housekeeping_interval_ms,
                                           on_housekeeping_cb, self);

  return g_steal_pointer (&self);
}

void
cin_server_free (CinServer *self)
{
  if (self == NULL)
    return;

  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  g_clear_handle_id (&self->drain_timeout_id, g_source_remove);
  _cin_server_timeouts_stop (self);
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  g_clear_object (&self->tus);
  g_clear_pointer (&self->storage, cin_storage_close);
  g_clear_pointer (&self->rules, cin_rules_unref);
  g_clear_pointer (&self->ad_check, cin_ad_check_unref);
  g_clear_pointer (&self->signin_failures, g_hash_table_unref);
  g_clear_pointer (&self->session_cache, g_hash_table_unref);
  g_free (self->data_dir);
  g_free (self->clock_offset_file);
  g_free (self);
}

guint
cin_server_listen (CinServer   *self,
                   const char  *address,
                   guint        port,
                   GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  GSList *uris;
  guint bound = 0;

  g_return_val_if_fail (self != NULL, 0);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address; give one such as 127.0.0.1 or ::1.", address);
      return 0;
    }
  socket_address = g_inet_socket_address_new (inet, port);
  if (!soup_server_listen (self->soup, socket_address, 0, error))
    return 0;

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    bound = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return bound;
}
