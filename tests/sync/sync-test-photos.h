/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sync-test-client.h"

G_BEGIN_DECLS

/* A photo note made for a sync test: one generated JPEG, stored in the
 * client's media dir as the media library stores photos. */
typedef struct {
  char    *media_dir;
  char    *store_path;
  char    *note_id;
  char    *sha256;
  gsize    length;
} SyncTestPhotoNote;

void  sync_test_photo_note_clear (SyncTestPhotoNote *photo_note);

/* @client's media dir (made, and given to its engine): <dir>/media. */
char *sync_test_client_media_dir (SyncTestClient    *client);

/* Saves a photo note whose one photo is a JPEG of about @size bytes in
 * @client's media dir, and queues it for publishing. */
void  sync_test_make_photo_note  (SyncTestClient    *client,
                                  gsize              size,
                                  SyncTestPhotoNote *out);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncTestPhotoNote, sync_test_photo_note_clear)

G_END_DECLS
