/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-types.h"

G_BEGIN_DECLS

/* A profile: one folder in the user data dir holding its own draft store
 * (drafts.db) and media (media/), described by a small profile.json. The
 * local profile holds work tied to no account; an account profile, one
 * handle on one server. profile.json never holds a token: that lives in
 * the keyring (src/sync/cin-secret.h). A CinProfile never changes once
 * made, so any thread may read it. */

#define CIN_PROFILE_ERROR (cin_profile_error_quark ())

typedef enum {
  CIN_PROFILE_ERROR_FAILED,
  CIN_PROFILE_ERROR_CORRUPT,    /* profile.json can't be read */
  CIN_PROFILE_ERROR_INVALID,    /* not a handle, not a server address */
  CIN_PROFILE_ERROR_NOT_FOUND,
  CIN_PROFILE_ERROR_LOCAL,      /* the local profile can't be removed */
  CIN_PROFILE_ERROR_MISSING_MEDIA, /* a draft's photo file is gone */
  CIN_PROFILE_ERROR_NEWER,      /* written by a newer Cinnabar */
} CinProfileError;

typedef enum {
  CIN_PROFILE_KIND_LOCAL,
  CIN_PROFILE_KIND_ACCOUNT,
} CinProfileKind;

/* The id (folder name) of the local profile. */
#define CIN_PROFILE_LOCAL_ID "local"

#define CIN_TYPE_PROFILE (cin_profile_get_type ())
G_DECLARE_FINAL_TYPE (CinProfile, cin_profile, CIN, PROFILE, GObject)

GQuark          cin_profile_error_quark      (void);

/* Reads @dir/profile.json; the folder's name is the id. Blocks; call
 * from a thread. Fails with CIN_PROFILE_ERROR_CORRUPT, touching nothing,
 * when the file is not a profile. */
CinProfile     *cin_profile_load             (const char      *dir,
                                              GError         **error);
/* Writes @self's profile.json into @dir, atomically. Blocks; call from
 * a thread. */
gboolean        cin_profile_save             (CinProfile      *self,
                                              const char      *dir,
                                              GError         **error);

CinProfile     *cin_profile_new_local        (const char      *dir);
/* @server must be a normalized base URI (cin_profile_normalize_server()),
 * @handle a normalized handle. @display_name NULL shows "@handle". */
CinProfile     *cin_profile_new_account      (const char      *dir,
                                              const char      *server,
                                              const char      *handle,
                                              const char      *display_name);

const char     *cin_profile_get_id           (CinProfile      *self);
CinProfileKind  cin_profile_get_kind         (CinProfile      *self);
/* (nullable) NULL for the local profile */
const char     *cin_profile_get_server       (CinProfile      *self);
const char     *cin_profile_get_handle       (CinProfile      *self);
const char     *cin_profile_get_display_name (CinProfile      *self);
const char     *cin_profile_get_dir          (CinProfile      *self);
/* @dir/drafts.db and @dir/media */
const char     *cin_profile_get_store_path   (CinProfile      *self);
const char     *cin_profile_get_media_dir    (CinProfile      *self);

/* The server's base URI as profiles compare it: http or https, host in
 * lower case, no trailing '/', no query, no user info. NULL and
 * CIN_PROFILE_ERROR_INVALID when @uri is no such address. */
char           *cin_profile_normalize_server (const char      *uri,
                                              GError         **error);
/* Without a leading '@', NFC, no control characters or '/'. */
char           *cin_profile_normalize_handle (const char      *handle,
                                              GError         **error);

G_END_DECLS
