/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-tus.h"
#include "cin-tus-store.h"

G_BEGIN_DECLS

#define CIN_TUS_VERSION "1.0.0"

struct _CinTus
{
  GObject         parent_instance;

  /* Owned */
  CinTusStore    *store;
  GStrv           photo_formats;
  char           *prefix;             /* (nullable) until attached; no trailing '/' */
  gpointer        auth_data;          /* (nullable) */
  GDestroyNotify  auth_data_destroy;  /* (nullable) */
  GPtrArray      *unannounced;        /* CinTusUpload, complete, awaiting the signal */

  CinTusAuthFunc  auth;               /* (nullable) everyone is "local" */
  guint64         photo_max_bytes;
  guint64         video_max_bytes;
  guint           announce_source;
};

/* The account the early handler authenticated for @msg. */
const char  *_cin_tus_get_owner           (SoupServerMessage *msg);

/* The upload's bytes are in the media folder (cin_tus_store_commit_media()):
 * it is complete (taking @media_path), let go of and announced. */
void         _cin_tus_mark_complete       (CinTus            *self,
                                           CinTusUpload      *upload,
                                           char              *media_path);

/* Emits CinTus::upload-completed and notes durably that it was. */
void         _cin_tus_announce            (CinTus            *self,
                                           CinTusUpload      *upload);

/* Whether the format sniffed from @upload's first bytes is one the
 * platform takes, at @upload's length. */
gboolean     _cin_tus_check_media         (CinTus            *self,
                                           CinTusUpload      *upload,
                                           GError           **error);

/* cin-tus-patch.c: the early half (checks, then streams the body to the
 * .part) and the half that answers once the body is in. */
void         _cin_tus_patch_start         (CinTus            *self,
                                           SoupServerMessage *msg,
                                           const char        *upload_id);
void         _cin_tus_patch_respond       (CinTus            *self,
                                           SoupServerMessage *msg);

/* cin-tus-complete.c: opens a finished upload's file to check it, with an
 * error that names it; -1 on failure. */
int          _cin_tus_open_for_reading    (const char        *path,
                                           GError           **error);

/* cin-tus-complete.c: checks the finished file on a worker thread with
 * @msg paused, takes it or removes it, and answers. */
void         _cin_tus_complete            (CinTus            *self,
                                           SoupServerMessage *msg,
                                           CinTusUpload      *upload);

/* cin-tus-download.c: GET of a finished upload, Range included. */
void         _cin_tus_download            (CinTus            *self,
                                           SoupServerMessage *msg,
                                           CinTusUpload      *upload);

/* 204, which tus requires for PATCH and DELETE. libsoup 3.2 closes the
 * connection after any response without a Content-Length, 204 included,
 * yet announces nothing; a client would send its next request down the
 * closed connection. So the answer says "Connection: close" itself. */
void         _cin_tus_respond_no_content  (SoupServerMessage *msg);

/* The one 404 for an upload that does not exist or is someone else's. */
void         _cin_tus_respond_not_found   (SoupServerMessage *msg);

/* Digits only, as tus's Upload-Length and Upload-Offset; FALSE otherwise. */
gboolean     _cin_tus_parse_size          (const char        *text,
                                           guint64           *value);

G_END_DECLS
