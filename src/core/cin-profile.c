/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-profile"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cin-profile.h"

#define PROFILE_FILE    "profile.json"
#define PROFILE_VERSION 1

struct _CinProfile
{
  GObject         parent_instance;

  /* Owned, never changed after construction */
  CinProfileKind  kind;
  char           *id;
  char           *dir;
  char           *server;        /* (nullable) */
  char           *handle;        /* (nullable) */
  char           *display_name;
  char           *store_path;
  char           *media_dir;
};

G_DEFINE_FINAL_TYPE (CinProfile, cin_profile, G_TYPE_OBJECT)

G_DEFINE_QUARK (cin-profile-error-quark, cin_profile_error)

static void
cin_profile_finalize (GObject *object)
{
  CinProfile *self = CIN_PROFILE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->handle, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->store_path, g_free);
  g_clear_pointer (&self->media_dir, g_free);

  G_OBJECT_CLASS (cin_profile_parent_class)->finalize (object);
}

static void
cin_profile_class_init (CinProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cin_profile_finalize;
}

static void
cin_profile_init (CinProfile *self)
{
}

static CinProfile *
profile_new (CinProfileKind  kind,
             const char     *dir,
             const char     *server,
             const char     *handle,
             const char     *display_name)
{
  CinProfile *self = g_object_new (CIN_TYPE_PROFILE, NULL);

  self->kind = kind;
  self->dir = g_canonicalize_filename (dir, NULL);
  self->id = g_path_get_basename (self->dir);
  self->server = g_strdup (server);
  self->handle = g_strdup (handle);
  if (display_name != NULL && *display_name != '\0')
    self->display_name = g_strdup (display_name);
  else if (kind == CIN_PROFILE_KIND_ACCOUNT)
    self->display_name = g_strconcat ("@", handle, NULL);
  else
    /* TRANSLATORS: the name of the profile for work tied to no account */
    self->display_name = g_strdup (_("On This Computer"));
  self->store_path = g_build_filename (self->dir, "drafts.db", NULL);
  self->media_dir = g_build_filename (self->dir, "media", NULL);

  return self;
}

CinProfile *
cin_profile_new_local (const char *dir)
{
  g_return_val_if_fail (dir != NULL, NULL);

  return profile_new (CIN_PROFILE_KIND_LOCAL, dir, NULL, NULL, NULL);
}

CinProfile *
cin_profile_new_account (const char *dir,
                         const char *server,
                         const char *handle,
                         const char *display_name)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (handle != NULL && *handle != '\0', NULL);

  return profile_new (CIN_PROFILE_KIND_ACCOUNT, dir, server, handle, display_name);
}

char *
cin_profile_normalize_server (const char  *uri,
                              GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed != NULL)
    {
      scheme = g_ascii_strdown (g_uri_get_scheme (parsed), -1);
      if (g_uri_get_host (parsed) != NULL)
        host = g_ascii_strdown (g_uri_get_host (parsed), -1);
    }
  if (parsed == NULL || host == NULL || *host == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      g_uri_get_userinfo (parsed) != NULL || g_uri_get_query (parsed) != NULL ||
      g_uri_get_fragment (parsed) != NULL)
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_INVALID,
                   _("“%s” is not a server address. Enter one like https://cinnabar.example."),
                   uri);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (parsed));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';

  port = g_uri_get_port (parsed);
  if ((port == 80 && strcmp (scheme, "http") == 0) ||
      (port == 443 && strcmp (scheme, "https") == 0))
    port = -1;

  {
    g_autoptr(GUri) normalized = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, port,
                                              path, NULL, NULL);

    return g_uri_to_string (normalized);
  }
}

char *
cin_profile_normalize_handle (const char  *handle,
                              GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (handle != NULL, NULL);

  if (*handle == '@')
    handle++;
  if (g_utf8_validate (handle, -1, NULL))
    normalized = g_utf8_normalize (handle, -1, G_NORMALIZE_NFC);

  if (normalized != NULL && *normalized != '\0')
    {
      gboolean valid = TRUE;

      for (const char *p = normalized; *p != '\0' && valid; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          valid = !g_unichar_iscntrl (c) && !g_unichar_isspace (c) && c != '/' && c != '\\';
        }
      if (valid)
        return g_steal_pointer (&normalized);
    }

  g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_INVALID,
               _("“%s” is not an account name. Enter the name you sign in with, without spaces."),
               handle);
  return NULL;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* 0 when missing or not a whole number. */
static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static void
set_corrupt_error (GError     **error,
                   const char  *dir,
                   const char  *reason)
{
  g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_CORRUPT,
               _("The profile in “%s” can’t be read: its profile.json is damaged (%s). "
                 "Its drafts and media were left as they are; restore profile.json from a "
                 "backup, or remove the folder to forget the profile."),
               dir, reason);
}

CinProfile *
cin_profile_load (const char  *dir,
                  GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *server = NULL;
  g_autofree char *handle = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonObject *object;
  const char *kind;
  gint64 version;

  g_return_val_if_fail (dir != NULL, NULL);

  path = g_build_filename (dir, PROFILE_FILE, NULL);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NOT_FOUND,
                     _("The folder “%s” is not a profile: it has no profile.json."), dir);
      else
        g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
                     _("The profile in “%s” can’t be read (%s). Check that the folder can be read."),
                     dir, local_error->message);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    {
      set_corrupt_error (error, dir, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_corrupt_error (error, dir, _("not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  version = member_int (object, "version");
  if (version > PROFILE_VERSION)
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_NEWER,
                   _("The profile in “%s” was made by a newer version of Cinnabar. Update Cinnabar to use it."),
                   dir);
      return NULL;
    }
  if (version != PROFILE_VERSION)
    {
      set_corrupt_error (error, dir, _("unknown version"));
      return NULL;
    }

  kind = member_string (object, "kind");
  if (g_strcmp0 (kind, "local") == 0)
    return profile_new (CIN_PROFILE_KIND_LOCAL, dir, NULL, NULL, member_string (object, "display-name"));
  if (g_strcmp0 (kind, "account") != 0)
    {
      set_corrupt_error (error, dir, _("unknown kind"));
      return NULL;
    }

  if (member_string (object, "server") != NULL)
    server = cin_profile_normalize_server (member_string (object, "server"), NULL);
  if (member_string (object, "handle") != NULL)
    handle = cin_profile_normalize_handle (member_string (object, "handle"), NULL);
  if (server == NULL || handle == NULL)
    {
      set_corrupt_error (error, dir, _("no valid server and handle"));
      return NULL;
    }

  return profile_new (CIN_PROFILE_KIND_ACCOUNT, dir, server, handle,
                      member_string (object, "display-name"));
}

gboolean
cin_profile_save (CinProfile  *self,
                  const char  *dir,
                  GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CIN_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, PROFILE_VERSION);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, self->kind == CIN_PROFILE_KIND_LOCAL ? "local" : "account");
  if (self->kind == CIN_PROFILE_KIND_ACCOUNT)
    {
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, self->server);
      json_builder_set_member_name (builder, "handle");
      json_builder_add_string_value (builder, self->handle);
      json_builder_set_member_name (builder, "display-name");
      json_builder_add_string_value (builder, self->display_name);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, TRUE);
  path = g_build_filename (dir, PROFILE_FILE, NULL);

  if (!g_file_set_contents (path, json, -1, &local_error))
    {
      g_set_error (error, CIN_PROFILE_ERROR, CIN_PROFILE_ERROR_FAILED,
                   _("The profile could not be saved in “%s” (%s). Check that there is free space and the folder can be written."),
                   dir, local_error->message);
      return FALSE;
    }
  return TRUE;
}

const char *
cin_profile_get_id (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->id;
}

CinProfileKind
cin_profile_get_kind (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), CIN_PROFILE_KIND_LOCAL);
  return self->kind;
}

const char *
cin_profile_get_server (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->server;
}

const char *
cin_profile_get_handle (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->handle;
}

const char *
cin_profile_get_display_name (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->display_name;
}

const char *
cin_profile_get_dir (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->dir;
}

const char *
cin_profile_get_store_path (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->store_path;
}

const char *
cin_profile_get_media_dir (CinProfile *self)
{
  g_return_val_if_fail (CIN_IS_PROFILE (self), NULL);
  return self->media_dir;
}
