/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-test"

#include "cin-image-format.h"
#include "sync-test-photos.h"
#include "tus-test-media.h"

void
sync_test_photo_note_clear (SyncTestPhotoNote *photo_note)
{
  g_free (photo_note->media_dir);
  g_free (photo_note->store_path);
  g_free (photo_note->note_id);
  g_free (photo_note->sha256);
}

char *
sync_test_client_media_dir (SyncTestClient *client)
{
  char *media_dir = g_build_filename (client->dir, "media", NULL);

  g_assert_cmpint (g_mkdir_with_parents (media_dir, 0700), ==, 0);
  cin_sync_engine_set_media_dir (client->engine, media_dir);
  return media_dir;
}

void
sync_test_make_photo_note (SyncTestClient    *client,
                           gsize              size,
                           SyncTestPhotoNote *out)
{
  g_autoptr(GBytes) jpeg = tus_test_jpeg (size, g_test_rand_int ());
  g_autofree char *path = NULL;
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinPhoto) photo = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  out->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jpeg);
  out->media_dir = sync_test_client_media_dir (client);
  path = cin_image_format_get_photo_path (out->media_dir, out->sha256, "image/jpeg");
  g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error);
  g_assert_no_error (error);
  out->length = g_bytes_get_size (jpeg);
  out->store_path = g_strdup (cin_store_get_path (client->store));

  photo = cin_photo_new (out->sha256, "image/jpeg", 1080, 1440);
  cin_note_set_title (note, "九宫格 📷");
  cin_note_insert_photo (note, 0, photo);
  sync_test_client_save (client, note);
  out->note_id = g_strdup (cin_note_get_id (note));

  cin_store_request_state_async (client->store, out->note_id, CIN_OUTBOX_PUBLISH, 0, NULL,
                                 sync_test_store_result, &result);
  sync_test_wait (&result);
  g_assert_true (cin_store_request_state_finish (client->store, result, &error));
  g_assert_no_error (error);
}
