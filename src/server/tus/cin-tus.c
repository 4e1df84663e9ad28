/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus"

#include <string.h>

#include <glib/gstdio.h>

#include "cin-media-check.h"
#include "cin-media-sniff.h"
#include "cin-tus-metadata.h"
#include "cin-tus-private.h"
#include "cin-tus-problem.h"

#define OWNER_KEY "cin-tus-owner"

G_DEFINE_FINAL_TYPE (CinTus, cin_tus, G_TYPE_OBJECT)

enum {
  UPLOAD_COMPLETED,
  UPLOAD_TERMINATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cin_tus_finalize (GObject *object)
{
  CinTus *self = (CinTus *) object;

  g_clear_handle_id (&self->announce_source, g_source_remove);
  g_clear_pointer (&self->store, cin_tus_store_free);
  g_clear_pointer (&self->photo_formats, g_strfreev);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->unannounced, g_ptr_array_unref);
  if (self->auth_data_destroy != NULL)
    g_clear_pointer (&self->auth_data, self->auth_data_destroy);

  G_OBJECT_CLASS (cin_tus_parent_class)->finalize (object);
}

static void
cin_tus_class_init (CinTusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cin_tus_finalize;

  signals[UPLOAD_COMPLETED] =
    g_signal_new ("upload-completed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 6,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                  G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_STRING);
  signals[UPLOAD_TERMINATED] =
    g_signal_new ("upload-terminated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);
}

static void
cin_tus_init (CinTus *self)
{
  self->unannounced = g_ptr_array_new_with_free_func ((GDestroyNotify) cin_tus_upload_unref);
}

void
cin_tus_limits_init_from_rules (CinTusLimits *limits,
                                CinRules     *rules)
{
  g_return_if_fail (limits != NULL);
  g_return_if_fail (rules != NULL);

  limits->photo_max_bytes = cin_rules_get_photo_max_bytes (rules);
  limits->video_max_bytes = cin_rules_get_video_max_bytes (rules);
  limits->photo_formats = cin_rules_get_photo_formats (rules);
}

CinTus *
cin_tus_new (const char         *uploads_dir,
             const char         *media_dir,
             const CinTusLimits *limits,
             GError            **error)
{
  static const char * const default_photo_formats[] = { "jpeg", "png", "webp", NULL };
  g_autoptr(CinTus) self = NULL;

  g_return_val_if_fail (uploads_dir != NULL, NULL);
  g_return_val_if_fail (media_dir != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (limits->photo_max_bytes > 0 && limits->video_max_bytes > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CIN_TYPE_TUS, NULL);
  self->photo_max_bytes = limits->photo_max_bytes;
  self->video_max_bytes = limits->video_max_bytes;
  self->photo_formats = g_strdupv ((GStrv) (limits->photo_formats != NULL
                                            ? limits->photo_formats
                                            : default_photo_formats));
  self->store = cin_tus_store_new (uploads_dir, media_dir, self->unannounced, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

guint64
cin_tus_get_max_size (CinTus *self)
{
  g_return_val_if_fail (CIN_IS_TUS (self), 0);
  return MAX (self->photo_max_bytes, self->video_max_bytes);
}

gboolean
cin_tus_has_complete (CinTus     *self,
                      const char *owner,
                      const char *sha256)
{
  g_autoptr(CinTusUpload) upload = NULL;

  g_return_val_if_fail (CIN_IS_TUS (self), FALSE);
  g_return_val_if_fail (owner != NULL && sha256 != NULL, FALSE);

  upload = cin_tus_store_find_complete (self->store, owner, sha256);
  return upload != NULL;
}

gboolean
cin_tus_owner_has_complete (CinTus     *self,
                            const char *owner)
{
  g_return_val_if_fail (CIN_IS_TUS (self), FALSE);
  g_return_val_if_fail (owner != NULL, FALSE);
  return cin_tus_store_owner_has_complete (self->store, owner);
}

gboolean
_cin_tus_parse_size (const char *text,
                     guint64    *value)
{
  guint64 result = 0;
  gsize i;

  if (text == NULL)
    return FALSE;
  for (i = 0; text[i] != '\0'; i++)
    {
      if (!g_ascii_isdigit (text[i]) || i >= 19)
        return FALSE;
      result = result * 10 + (guint64) (text[i] - '0');
    }
  if (i == 0)
    return FALSE;
  *value = result;
  return TRUE;
}

const char *
_cin_tus_get_owner (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), OWNER_KEY);
}

void
_cin_tus_announce (CinTus       *self,
                   CinTusUpload *upload)
{
  g_autoptr(GError) error = NULL;

  g_signal_emit (self, signals[UPLOAD_COMPLETED], 0,
                 upload->owner, upload->id, upload->sha256,
                 cin_media_format_get_mime (upload->format),
                 upload->length, upload->media_path);
  upload->announced = TRUE;
  if (!cin_tus_store_save (self->store, upload, &error))
    g_warning ("Upload %s will be announced again after a restart: %s",
               upload->id, error->message);
}

void
_cin_tus_mark_complete (CinTus       *self,
                        CinTusUpload *upload,
                        char         *media_path)
{
  upload->state = CIN_TUS_UPLOAD_COMPLETE;
  upload->media_path = media_path;
  cin_tus_store_forget (self->store, upload);
  /* Told before the client hears of it, so the media is on record by
   * the time the client refers to it. */
  _cin_tus_announce (self, upload);
}

/* The check of the whole file a completed upload meets (cin-tus-complete.c). */
static gboolean
check_whole_file (const char      *path,
                  guint64          size,
                  CinMediaFormat   format,
                  GError         **error)
{
  int fd = _cin_tus_open_for_reading (path, error);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = cin_media_check_complete (fd, size, format, error);
  g_close (fd, NULL);
  return ok;
}

char *
cin_tus_add_complete (CinTus      *self,
                      const char  *owner,
                      GBytes      *bytes,
                      GError     **error)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr(CinTusUpload) existing = NULL;
  g_autoptr(CinTusUpload) upload = NULL;
  g_autofree char *part_path = NULL;

  g_return_val_if_fail (CIN_IS_TUS (self), NULL);
  g_return_val_if_fail (owner != NULL && bytes != NULL, NULL);

  existing = cin_tus_store_find_complete (self->store, owner, sha256);
  if (existing != NULL)
    return g_steal_pointer (&sha256);

  upload = cin_tus_store_create (self->store, owner, size, NULL, sha256, error);
  if (upload == NULL)
    return NULL;
  /* The checks a sent file meets, then as a completed PATCH leaves it:
   * the bytes in the .part, then moved. */
  upload->format = cin_media_sniff (data, MIN (size, CIN_MEDIA_SNIFF_BYTES));
  part_path = cin_tus_store_dup_part_path (self->store, upload);
  if (!_cin_tus_check_media (self, upload, error) ||
      !g_file_set_contents (part_path, (const char *)data, (gssize)size, error) ||
      !check_whole_file (part_path, size, upload->format, error) ||
      !cin_tus_store_commit_media (self->store, upload, upload->format, error))
    {
      cin_tus_store_delete (self->store, upload);
      return NULL;
    }
  upload->offset = size;
  _cin_tus_mark_complete (self, upload, cin_tus_store_dup_media_path (self->store, upload, upload->format));
  return g_steal_pointer (&sha256);
}

static gboolean
announce_recovered_cb (gpointer user_data)
{
  CinTus *self = user_data;
  g_autoptr(GPtrArray) uploads = g_steal_pointer (&self->unannounced);

  self->announce_source = 0;
  self->unannounced = g_ptr_array_new_with_free_func ((GDestroyNotify) cin_tus_upload_unref);
  for (guint i = 0; i < uploads->len; i++)
    _cin_tus_announce (self, g_ptr_array_index (uploads, i));
  return G_SOURCE_REMOVE;
}

gboolean
_cin_tus_check_media (CinTus        *self,
                      CinTusUpload  *upload,
                      GError       **error)
{
  CinMediaKind kind = cin_media_format_get_kind (upload->format);
  const char *name = cin_media_format_get_name (upload->format);
  guint64 limit = kind == CIN_MEDIA_KIND_PHOTO ? self->photo_max_bytes : self->video_max_bytes;

  if (kind == CIN_MEDIA_KIND_NONE)
    {
      g_set_error_literal (error, CIN_TUS_ERROR, CIN_TUS_ERROR_NOT_MEDIA,
                           "The file is neither a photo (JPEG, PNG, WebP) nor a video "
                           "(MP4, MOV, M4V, MKV, WebM, MPEG): its content says so, "
                           "whatever its name. Upload a photo or a video.");
      return FALSE;
    }
  if (kind == CIN_MEDIA_KIND_PHOTO && !g_strv_contains ((const char * const *) self->photo_formats, name))
    {
      g_autofree char *accepted = g_strjoinv (", ", self->photo_formats);
      g_autofree char *upper_name = g_ascii_strup (name, -1);

      g_set_error (error, CIN_TUS_ERROR, CIN_TUS_ERROR_FORMAT_NOT_ACCEPTED,
                   "The platform does not take %s photos. Export the photo as one of: %s.",
                   upper_name, accepted);
      return FALSE;
    }
  if (upload->length > limit)
    {
      g_autofree char *size = g_format_size (upload->length);
      g_autofree char *max = g_format_size (limit);

      g_set_error (error, CIN_TUS_ERROR, CIN_TUS_ERROR_TOO_LARGE,
                   "This %s is %s; the platform takes at most %s. Make it smaller and upload it again.",
                   kind == CIN_MEDIA_KIND_PHOTO ? "photo" : "video", size, max);
      return FALSE;
    }
  return TRUE;
}

/* The part of @path below the mount point: TRUE for the collection
 * ("<prefix>" or "<prefix>/"), or with *@upload_id set for
 * "<prefix>/<id>", an upload id or a content id. FALSE for anything else
 * under the same prefix. */
static gboolean
route (CinTus      *self,
       const char  *path,
       const char **upload_id)
{
  const char *rest;

  *upload_id = NULL;
  if (!g_str_has_prefix (path, self->prefix))
    return FALSE;
  rest = path + strlen (self->prefix);
  if (*rest == '\0' || g_str_equal (rest, "/"))
    return TRUE;
  if (*rest == '/' &&
      (cin_tus_store_is_valid_id (rest + 1) || cin_tus_store_is_valid_sha256 (rest + 1)))
    {
      *upload_id = rest + 1;
      return TRUE;
    }
  return FALSE;
}

/* Clients behind proxies that only pass GET and POST send PATCH and
 * DELETE as POST with this header, as tus allows. */
static const char *
effective_method (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  const char *override;

  if (!g_str_equal (method, "POST"))
    return method;
  override = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                           "X-HTTP-Method-Override");
  if (override != NULL && (g_str_equal (override, "PATCH") || g_str_equal (override, "DELETE")))
    return override;
  return method;
}

void
_cin_tus_respond_no_content (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
_cin_tus_respond_not_found (SoupServerMessage *msg)
{
  cin_tus_problem_respond (msg, CIN_TUS_ERROR_NOT_FOUND,
                           "There is no such upload: it never existed, belongs to "
                           "another account, or was removed. Start a new upload.");
}

static void
respond_options (CinTus            *self,
                 SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *max_size = g_strdup_printf ("%" G_GUINT64_FORMAT, cin_tus_get_max_size (self));

  soup_message_headers_replace (headers, "Tus-Version", CIN_TUS_VERSION);
  soup_message_headers_replace (headers, "Tus-Extension", "creation,termination");
  soup_message_headers_replace (headers, "Tus-Max-Size", max_size);
  _cin_tus_respond_no_content (msg);
}

static void
respond_create (CinTus            *self,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  const char *metadata_header = soup_message_headers_get_one (request, "Upload-Metadata");
  g_autoptr(GHashTable) metadata = NULL;
  g_autoptr(CinTusUpload) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *location = NULL;
  guint64 length;

  if (soup_message_headers_get_one (request, "Upload-Defer-Length") != NULL)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_BAD_REQUEST,
                               "This server needs Upload-Length when an upload is created; "
                               "it does not offer creation-defer-length.");
      return;
    }
  if (!_cin_tus_parse_size (soup_message_headers_get_one (request, "Upload-Length"), &length))
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_BAD_REQUEST,
                               "Send Upload-Length: the file's size in bytes, digits only.");
      return;
    }
  if (length == 0)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_NOT_MEDIA,
                               "An empty file is not a photo or video.");
      return;
    }
  if (length > cin_tus_get_max_size (self))
    {
      g_autofree char *max = g_format_size (cin_tus_get_max_size (self));

      cin_tus_problem_respond (msg, CIN_TUS_ERROR_TOO_LARGE,
                               "The file is larger than any the platform takes (at most %s).", max);
      return;
    }

  metadata = cin_tus_metadata_parse (metadata_header, &error);
  if (metadata != NULL)
    sha256 = cin_tus_metadata_dup_sha256 (metadata, &error);
  if (sha256 == NULL)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_BAD_REQUEST, "%s", error->message);
      return;
    }

  upload = cin_tus_store_create (self->store, _cin_tus_get_owner (msg), length,
                                 metadata_header, sha256, &error);
  if (upload == NULL)
    {
      cin_tus_problem_respond_error (msg, error);
      return;
    }

  g_debug ("Upload %s created for %s: %" G_GUINT64_FORMAT " bytes",
           upload->id, upload->owner, length);
  location = g_strconcat (self->prefix, "/", upload->id, NULL);
  soup_message_headers_replace (response, "Location", location);
  soup_message_headers_replace (response, "Upload-Offset", "0");
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
}

static void
respond_head (SoupServerMessage *msg,
              CinTusUpload      *upload)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *offset = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->offset);
  g_autofree char *length = g_strdup_printf ("%" G_GUINT64_FORMAT, upload->length);

  soup_message_headers_replace (headers, "Upload-Offset", offset);
  soup_message_headers_replace (headers, "Upload-Length", length);
  if (upload->metadata != NULL && *upload->metadata != '\0')
    soup_message_headers_replace (headers, "Upload-Metadata", upload->metadata);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static void
respond_terminate (CinTus            *self,
                   SoupServerMessage *msg,
                   CinTusUpload      *upload)
{
  if (upload->busy)
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_LOCKED,
                               "The upload is still receiving or being checked. "
                               "Try again when that request has finished.");
      return;
    }
  cin_tus_store_delete (self->store, upload);
  g_signal_emit (self, signals[UPLOAD_TERMINATED], 0, upload->owner, upload->id);
  _cin_tus_respond_no_content (msg);
}

static void
set_allow (SoupServerMessage *msg,
           gboolean           collection)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                collection ? "OPTIONS, POST" : "OPTIONS, HEAD, PATCH, DELETE, GET");
  cin_tus_problem_respond (msg, CIN_TUS_ERROR_METHOD_NOT_ALLOWED,
                           collection ? "Create uploads with POST."
                                      : "An upload takes HEAD, PATCH, DELETE and GET.");
}

/* GET and HEAD by content: the caller's finished upload of that file. */
static void
respond_content (CinTus            *self,
                 SoupServerMessage *msg,
                 const char        *owner,
                 const char        *sha256)
{
  const char *method = effective_method (msg);
  g_autoptr(CinTusUpload) upload = NULL;

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_METHOD_NOT_ALLOWED,
                               "A file named by its SHA-256 can only be read, with GET or HEAD.");
      return;
    }

  upload = cin_tus_store_find_complete (self->store, owner, sha256);
  if (upload == NULL)
    _cin_tus_respond_not_found (msg);
  else if (g_str_equal (method, "HEAD"))
    respond_head (msg, upload);
  else
    _cin_tus_download (self, msg, upload);
}

static gboolean
check_tus_resumable (SoupServerMessage *msg)
{
  const char *version = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "Tus-Resumable");

  if (g_strcmp0 (version, CIN_TUS_VERSION) == 0)
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Tus-Version", CIN_TUS_VERSION);
  cin_tus_problem_respond (msg, CIN_TUS_ERROR_UNSUPPORTED_VERSION,
                           "This server speaks tus " CIN_TUS_VERSION ": send "
                           "“Tus-Resumable: " CIN_TUS_VERSION "” with every request.");
  return FALSE;
}

/* Runs once the headers are in, before the body: authenticates, and for
 * PATCH checks everything that can be checked and starts streaming the
 * body to disk. A status set here answers the request unread: the body is
 * still drained by libsoup, but never kept. */
static void
on_early_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  CinTus *self = user_data;
  const char *method = effective_method (msg);
  const char *upload_id;
  char *owner;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Tus-Resumable", CIN_TUS_VERSION);

  if (g_str_equal (method, "OPTIONS"))
    return;

  owner = self->auth != NULL ? self->auth (msg, self->auth_data) : g_strdup ("local");
  if (owner == NULL)
    {
      if (soup_server_message_get_status (msg) == 0)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Bearer");
          cin_tus_problem_respond (msg, CIN_TUS_ERROR_UNAUTHORIZED,
                                   "Sign in: send “Authorization: Bearer <token>”.");
        }
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), OWNER_KEY, owner, g_free);

  /* Downloads are plain HTTP, not tus. */
  if (!g_str_equal (method, "GET") && !check_tus_resumable (msg))
    return;

  if (g_str_equal (method, "PATCH") && route (self, path, &upload_id) && upload_id != NULL &&
      !cin_tus_store_is_valid_sha256 (upload_id))
    _cin_tus_patch_start (self, msg, upload_id);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CinTus *self = user_data;
  const char *method = effective_method (msg);
  const char *owner = _cin_tus_get_owner (msg);
  g_autoptr(CinTusUpload) upload = NULL;
  g_autoptr(GError) error = NULL;
  const char *upload_id;

  if (!route (self, path, &upload_id))
    {
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_NOT_FOUND, "There is nothing at %s.", path);
      return;
    }

  if (g_str_equal (method, "OPTIONS"))
    {
      respond_options (self, msg);
      return;
    }

  if (owner == NULL)
    {
      /* The early handler did not run: a SoupAuthDomain covers this
       * path and took the request first. */
      g_critical ("CinTus at %s needs its own early handler: authenticate with the "
                  "CinTusAuthFunc, not a SoupAuthDomain covering this path", self->prefix);
      cin_tus_problem_respond (msg, CIN_TUS_ERROR_STORAGE, "The server is misconfigured.");
      return;
    }

  if (upload_id == NULL)
    {
      if (g_str_equal (method, "POST"))
        respond_create (self, msg);
      else
        set_allow (msg, TRUE);
      return;
    }

  /* A SHA-256 names the caller's finished upload of that content: another
   * device of the account finds it in a note, never the upload's id. */
  if (cin_tus_store_is_valid_sha256 (upload_id))
    {
      respond_content (self, msg, owner, upload_id);
      return;
    }

  if (g_str_equal (method, "PATCH"))
    {
      _cin_tus_patch_respond (self, msg);
      return;
    }

  upload = cin_tus_store_lookup (self->store, upload_id, &error);
  if (error != NULL)
    {
      cin_tus_problem_respond_error (msg, error);
      return;
    }
  if (upload == NULL || !g_str_equal (upload->owner, owner))
    {
      _cin_tus_respond_not_found (msg);
      return;
    }

  if (g_str_equal (method, "HEAD"))
    respond_head (msg, upload);
  else if (g_str_equal (method, "DELETE"))
    respond_terminate (self, msg, upload);
  else if (g_str_equal (method, "GET"))
    _cin_tus_download (self, msg, upload);
  else
    set_allow (msg, FALSE);
}

void
cin_tus_attach (CinTus         *self,
                SoupServer     *server,
                const char     *prefix,
                CinTusAuthFunc  auth,
                gpointer        auth_data,
                GDestroyNotify  auth_data_destroy)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (CIN_IS_TUS (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (prefix != NULL && prefix[0] == '/');
  g_return_if_fail (self->prefix == NULL);

  trimmed = g_strdup (prefix);
  while (strlen (trimmed) > 1 && g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  if (g_str_equal (trimmed, "/"))
    trimmed[0] = '\0';

  self->prefix = g_steal_pointer (&trimmed);
  self->auth = auth;
  self->auth_data = auth_data;
  self->auth_data_destroy = auth_data_destroy;

  /* The server keeps the handlers (and so @self) until it goes away. */
  soup_server_add_early_handler (server, self->prefix[0] != '\0' ? self->prefix : "/",
                                 on_early_request_cb, g_object_ref (self), g_object_unref);
  soup_server_add_handler (server, self->prefix[0] != '\0' ? self->prefix : "/",
                           on_request_cb, g_object_ref (self), g_object_unref);

  if (self->unannounced->len > 0)
    self->announce_source = g_idle_add (announce_recovered_cb, self);
}
