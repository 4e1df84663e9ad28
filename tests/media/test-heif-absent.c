/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A build without libheif (this program compiles cin-heif.c without it)
 * refuses HEIC with a message that says what is missing. */
#define G_LOG_DOMAIN "test-heif-absent"

#include <string.h>

#include "cin-heif.h"
#include "media-test-util.h"

static void
test_heic_needs_libheif (void)
{
  static const guint8 heic[] = "\0\0\0\x18" "ftypheic" "\0\0\0\0" "mif1heic"
                               "\0\0\0\x10" "mdat" "not really HEVC";
  g_autofree char *root = media_test_make_dir ("heif-absent");
  g_autofree char *media_dir = g_build_filename (root, "media", NULL);
  g_autofree char *thumbnail_dir = g_build_filename (root, "thumbnails", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static (heic, sizeof heic - 1);
  g_autofree char *path = media_test_write (root, "IMG_0001.HEIC", bytes);
  g_autoptr(CinMediaLibrary) library = cin_media_library_new (media_dir, thumbnail_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = NULL;

  g_assert_false (cin_heif_is_available ());

  photo = media_test_import (library, path, &error);
  g_assert_null (photo);
  media_test_assert_error (error, CIN_MEDIA_ERROR_NO_DECODER);
  g_assert_nonnull (strstr (error->message, "HEIC photos need libheif"));
  g_assert_nonnull (strstr (error->message, "IMG_0001.HEIC"));
  g_assert_cmpuint (media_test_count_entries (media_dir), ==, 0);

  media_test_dispose_library (&library);
  media_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/media/heif-absent/heic-needs-libheif", test_heic_needs_libheif);

  return g_test_run ();
}
