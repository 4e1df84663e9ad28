/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-problem"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cin-media-check.h"
#include "cin-tus-problem.h"

G_DEFINE_QUARK (cin-tus-error-quark, cin_tus_error)

static const struct {
  guint        status;
  const char  *slug;
  const char  *title;
} problems[] = {
  [CIN_TUS_ERROR_BAD_REQUEST]          = { 400, "bad-request",          "Bad request" },
  [CIN_TUS_ERROR_UNAUTHORIZED]         = { 401, "unauthorized",         "Sign in first" },
  [CIN_TUS_ERROR_NOT_FOUND]            = { 404, "not-found",            "No such upload" },
  [CIN_TUS_ERROR_METHOD_NOT_ALLOWED]   = { 405, "method-not-allowed",   "Method not allowed" },
  [CIN_TUS_ERROR_OFFSET_MISMATCH]      = { 409, "offset-mismatch",      "Upload offset mismatch" },
  [CIN_TUS_ERROR_UNSUPPORTED_VERSION]  = { 412, "unsupported-version",  "Unsupported tus version" },
  [CIN_TUS_ERROR_BEYOND_UPLOAD_LENGTH] = { 413, "beyond-upload-length", "More bytes than the upload's length" },
  [CIN_TUS_ERROR_TOO_LARGE]            = { 413, "too-large",            "File too large" },
  [CIN_TUS_ERROR_WRONG_CONTENT_TYPE]   = { 415, "wrong-content-type",   "Wrong Content-Type" },
  [CIN_TUS_ERROR_NOT_MEDIA]            = { 415, "not-media",            "Not a photo or video" },
  [CIN_TUS_ERROR_FORMAT_NOT_ACCEPTED]  = { 415, "format-not-accepted",  "Format not accepted" },
  [CIN_TUS_ERROR_TRUNCATED]            = { 422, "truncated",            "File cut short" },
  [CIN_TUS_ERROR_DAMAGED]              = { 422, "damaged",              "File damaged" },
  [CIN_TUS_ERROR_LOCKED]               = { 423, "locked",               "Upload busy" },
  [CIN_TUS_ERROR_CHECKSUM_MISMATCH]    = { 460, "checksum-mismatch",    "Checksum mismatch" },
  [CIN_TUS_ERROR_STORAGE]              = { 500, "storage",              "The server could not store the upload" },
};

static void
respond (SoupServerMessage *msg,
         CinTusError        problem,
         const char        *detail)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *type = NULL;
  char *body;
  gsize length;

  g_assert ((guint) problem < G_N_ELEMENTS (problems));

  type = g_strconcat ("urn:cinnabar:problem:", problems[problem].slug, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, problems[problem].title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, problems[problem].status);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  length = strlen (body);

  /* 460 is tus's own code; libsoup has no phrase for it. */
  soup_server_message_set_status (msg, problems[problem].status,
                                  problem == CIN_TUS_ERROR_CHECKSUM_MISMATCH ? "Checksum Mismatch" : NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Tus-Resumable", "1.0.0");
  soup_server_message_set_response (msg, "application/problem+json",
                                    SOUP_MEMORY_TAKE, body, length);
}

void
cin_tus_problem_respond (SoupServerMessage *msg,
                         CinTusError        problem,
                         const char        *detail_format,
                         ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);
  respond (msg, problem, detail);
}

void
cin_tus_problem_respond_error (SoupServerMessage *msg,
                               const GError      *error)
{
  CinTusError problem = CIN_TUS_ERROR_STORAGE;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (error != NULL);

  if (error->domain == CIN_TUS_ERROR && (guint) error->code < G_N_ELEMENTS (problems))
    problem = (CinTusError) error->code;
  else if (g_error_matches (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_TRUNCATED))
    problem = CIN_TUS_ERROR_TRUNCATED;
  else if (g_error_matches (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_DAMAGED))
    problem = CIN_TUS_ERROR_DAMAGED;

  /* A storage error names server paths: those stay in the log. */
  if (problem == CIN_TUS_ERROR_STORAGE)
    {
      g_warning ("Refusing a request: %s", error->message);
      respond (msg, problem, "The server could not store the upload. Try again later.");
      return;
    }
  respond (msg, problem, error->message);
}
