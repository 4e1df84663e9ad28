/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Importing photos into a media dir: every format, what the import
 * reports, duplicates, and every kind of bad file refused with its own
 * error and nothing left behind. */
#define G_LOG_DOMAIN "test-media-import"

#include <string.h>

#include <glib/gstdio.h>

#include "cin-media-library-private.h"
#include "cin-note.h"
#include "cin-paths.h"
#include "media-test-util.h"

typedef MediaTestHome Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  media_test_home_set_up (fixture, "import", 64);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  media_test_home_tear_down (fixture);
}


static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* The import's report, the stored copy and the thumbnail made on the way
 * (cached as PNG for the one test photo with transparency, a PNG). */
static void
check_imported (Fixture          *fixture,
                CinImportedPhoto *photo,
                GBytes           *original,
                const char       *mime,
                guint             width,
                guint             height)
{
  g_autofree char *sha256 = sha256_of (original);
  g_autofree char *stored = NULL;
  g_autofree char *expected_path = cin_media_library_get_photo_path (fixture->library, sha256, mime);
  gsize stored_len;

  g_assert_nonnull (photo);
  g_assert_cmpstr (cin_imported_photo_get_sha256 (photo), ==, sha256);
  g_assert_cmpstr (cin_imported_photo_get_mime (photo), ==, mime);
  g_assert_cmpstr (cin_imported_photo_get_path (photo), ==, expected_path);
  g_assert_cmpuint (cin_imported_photo_get_width (photo), ==, width);
  g_assert_cmpuint (cin_imported_photo_get_height (photo), ==, height);
  g_assert_cmpuint (cin_imported_photo_get_size (photo), ==, g_bytes_get_size (original));
  g_assert_cmpfloat_with_epsilon (cin_imported_photo_get_aspect_ratio (photo), (double)width / height, 1e-9);

  /* A byte-for-byte copy, under its content's name. */
  g_assert_true (g_file_get_contents (expected_path, &stored, &stored_len, NULL));
  g_assert_cmpmem (stored, stored_len, g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 1);

  /* The import decoded it at the composer's size and kept that. */
  {
    GdkTexture *thumbnail = cin_media_library_peek_thumbnail (fixture->library, sha256, 64);
    g_autofree char *cached = _cin_media_library_get_thumbnail_path (fixture->library, 64, sha256,
                                                                     g_str_equal (mime, "image/png"));
    guint tw, th;

    g_assert_nonnull (thumbnail);
    cin_media_thumbnail_size_for (width, height, 64, &tw, &th);
    g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, (int)tw);
    g_assert_cmpint (gdk_texture_get_height (thumbnail), ==, (int)th);
    media_test_wait_for_file (cached);
  }
}

static void
test_import_jpeg (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (120, 160, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = media_test_home_import (fixture, "IMG_0001.JPG", jpeg, &error);

  g_assert_no_error (error);
  check_imported (fixture, photo, jpeg, "image/jpeg", 120, 160);
  g_assert_cmpuint (cin_imported_photo_get_orientation (photo), ==, 1);
  g_assert_cmpstr (cin_imported_photo_get_name (photo), ==, "IMG_0001.JPG");
  g_assert_true (g_str_has_suffix (cin_imported_photo_get_path (photo), ".jpg"));
  media_test_assert_upright (cin_media_library_peek_thumbnail (fixture->library,
                                                               cin_imported_photo_get_sha256 (photo), 64));
}

/* Each Exif orientation: the size reported as displayed. */
static void
test_import_orientations (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (120, 160, FALSE);

  for (guint orientation = 1; orientation <= 8; orientation++)
    {
      g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, orientation);
      g_autoptr(GBytes) plain = media_test_encode (stored, "jpeg");
      g_autoptr(GBytes) jpeg = media_test_add_exif (plain, orientation, orientation % 2 == 0, FALSE);
      g_autofree char *name = g_strdup_printf ("turned-%u.jpg", orientation);
      g_autoptr(GError) error = NULL;
      g_autoptr(CinImportedPhoto) photo = media_test_home_import (fixture, name, jpeg, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (cin_imported_photo_get_orientation (photo), ==, orientation);
      g_assert_cmpuint (cin_imported_photo_get_width (photo), ==, 120);
      g_assert_cmpuint (cin_imported_photo_get_height (photo), ==, 160);
      media_test_assert_upright (cin_media_library_peek_thumbnail (fixture->library,
                                                                   cin_imported_photo_get_sha256 (photo), 64));
    }
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 8);
}

static void
test_import_png_with_alpha (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (100, 80, TRUE);
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = media_test_home_import (fixture, "sticker.png", png, &error);
  GdkTexture *thumbnail;

  g_assert_no_error (error);
  check_imported (fixture, photo, png, "image/png", 100, 80);
  thumbnail = cin_media_library_peek_thumbnail (fixture->library, cin_imported_photo_get_sha256 (photo), 64);
  media_test_assert_upright (thumbnail);
  g_assert_cmpuint (media_test_texture_pixel (thumbnail, 4, 47).a, ==, 0);
}

static void
test_import_webp (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (96, 128, FALSE);
  g_autoptr(GBytes) webp = media_test_webp (pixbuf);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = NULL;

  if (webp == NULL)
    return;

  photo = media_test_home_import (fixture, "photo.webp", webp, &error);
  g_assert_no_error (error);
  check_imported (fixture, photo, webp, "image/webp", 96, 128);
  media_test_assert_upright (cin_media_library_peek_thumbnail (fixture->library,
                                                               cin_imported_photo_get_sha256 (photo), 64));
}

/* As an iPhone stores a portrait photo: landscape pixels and a quarter
 * turn in the HEIF container. */
static void
test_import_heic (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (96, 128, FALSE);
  g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, 6);
  g_autoptr(GBytes) heic = media_test_heic (stored, 6);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = NULL;

  if (heic == NULL)
    return;

  photo = media_test_home_import (fixture, "IMG_4032.HEIC", heic, &error);
  g_assert_no_error (error);
  check_imported (fixture, photo, heic, "image/heic", 96, 128);
  g_assert_true (g_str_has_suffix (cin_imported_photo_get_path (photo), ".heic"));
  media_test_assert_upright (cin_media_library_peek_thumbnail (fixture->library,
                                                               cin_imported_photo_get_sha256 (photo), 64));
}

static void
test_same_content_twice (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (64, 48, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) first = media_test_home_import (fixture, "a.jpg", jpeg, &error);
  g_autoptr(CinImportedPhoto) second = media_test_home_import (fixture, "copy of a.jpeg", jpeg, &error);
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinPhoto) photo = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (cin_imported_photo_get_sha256 (first), ==, cin_imported_photo_get_sha256 (second));
  g_assert_cmpstr (cin_imported_photo_get_path (first), ==, cin_imported_photo_get_path (second));
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 1);

  /* The composer refuses the second: it is already in the note. */
  g_assert_cmpint (cin_note_find_photo (note, cin_imported_photo_get_sha256 (second)), ==, -1);
  photo = cin_imported_photo_to_photo (first);
  cin_note_insert_photo (note, 0, photo);
  g_assert_cmpint (cin_note_find_photo (note, cin_imported_photo_get_sha256 (second)), ==, 0);
  g_assert_cmpuint (cin_photo_get_width (cin_note_get_photo (note, 0)), ==, 64);
  g_assert_cmpstr (cin_photo_get_mime (cin_note_get_photo (note, 0)), ==, "image/jpeg");
}

/* Many at once, some the same: the pool, and renames racing onto one name. */
static void
on_imported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GPtrArray *photos = user_data;
  g_autoptr(GError) error = NULL;
  CinImportedPhoto *photo = cin_media_library_import_finish (CIN_MEDIA_LIBRARY (source), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (photos, photo);
}

static void
test_many_at_once (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_imported_photo_unref);
  const guint n = 12;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) jpeg = media_test_photo_jpeg (160, 120, i % 4);
      g_autofree char *name = g_strdup_printf ("%u.jpg", i);
      g_autofree char *path = media_test_write (fixture->sources, name, jpeg);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      cin_media_library_import_async (fixture->library, file, NULL, on_imported_cb, photos);
    }
  while (photos->len < n)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 4);
}

static void
test_non_utf8_name (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (40, 40, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = NULL;
  g_autoptr(CinImportedPhoto) refused = NULL;

  /* "café.jpg" in Latin-1, as an old camera card names files. */
  photo = media_test_home_import (fixture, "caf\xe9.jpg", jpeg, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (cin_imported_photo_get_name (photo), -1, NULL));
  g_assert_nonnull (strstr (cin_imported_photo_get_name (photo), "caf"));

  refused = media_test_home_import (fixture, "\xff\xfe broken.jpg", empty, &error);
  g_assert_null (refused);
  media_test_assert_error (error, CIN_MEDIA_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "\xef\xbf\xbd"));  /* U+FFFD, replacing the bad bytes */
  g_assert_nonnull (strstr (error->message, "broken.jpg"));
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 1);
}

/* Refused, with its own code and a readable message, leaving nothing. */
static void
assert_refused (Fixture       *fixture,
                const char    *name,
                GBytes        *bytes,
                CinMediaError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = media_test_home_import (fixture, name, bytes, &error);

  g_assert_null (photo);
  media_test_assert_error (error, code);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 0);
  g_assert_cmpuint (media_test_count_entries (fixture->thumbnail_dir), ==, 0);
}

static void
test_truncated_jpeg (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (320, 240, 1);
  g_autoptr(GBytes) cut = media_test_truncate (jpeg, g_bytes_get_size (jpeg) * 2 / 3);
  g_autoptr(GBytes) no_end = media_test_truncate (jpeg, g_bytes_get_size (jpeg) - 2);

  assert_refused (fixture, "half.jpg", cut, CIN_MEDIA_ERROR_TRUNCATED);
  /* Only the end marker missing: every pixel is there, still incomplete. */
  assert_refused (fixture, "no-end.jpg", no_end, CIN_MEDIA_ERROR_TRUNCATED);
}

static void
test_truncated_png_and_webp (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (80, 60, TRUE);
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(GBytes) png_cut = media_test_truncate (png, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) webp = NULL;
  g_autoptr(GBytes) webp_cut = NULL;

  assert_refused (fixture, "half.png", png_cut, CIN_MEDIA_ERROR_TRUNCATED);

  webp = media_test_webp (pixbuf);
  if (webp == NULL)
    return;
  webp_cut = media_test_truncate (webp, g_bytes_get_size (webp) / 2);
  assert_refused (fixture, "half.webp", webp_cut, CIN_MEDIA_ERROR_TRUNCATED);
}

static void
test_zero_bytes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  assert_refused (fixture, "empty.jpg", empty, CIN_MEDIA_ERROR_EMPTY);
}

static void
test_random_bytes_named_jpg (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GByteArray) noise = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < 50000; i++)
    {
      guint8 byte = (guint8)g_rand_int_range (rand, 0, 256);
      g_byte_array_append (noise, &byte, 1);
    }
  noise->data[0] = 0x42;
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&noise));

  assert_refused (fixture, "holiday.jpg", bytes, CIN_MEDIA_ERROR_UNSUPPORTED_FORMAT);
}

static void
test_gif_is_not_taken (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (40, 40, FALSE);
  g_autoptr(GBytes) tiff = media_test_encode (pixbuf, "tiff");

  /* A format GdkPixbuf reads but the platform does not take. */
  assert_refused (fixture, "scan.tiff", tiff, CIN_MEDIA_ERROR_UNSUPPORTED_FORMAT);
}

static void
test_png_header_too_many_pixels (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GBytes) huge = media_test_png_header (60000, 60000);

  assert_refused (fixture, "huge.png", huge, CIN_MEDIA_ERROR_TOO_MANY_PIXELS);
}

static void
test_over_size_limit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (640, 480, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinRules) rules = NULL;
  g_autofree char *rules_path = cin_paths_build_data_file ("rules", "rules.json", NULL);

  /* The platform's limit comes from the rules... */
  rules = cin_rules_new_from_file (rules_path, &error);
  g_assert_no_error (error);
  cin_media_library_apply_rules (fixture->library, rules);
  g_assert_cmpuint (cin_media_library_get_max_bytes (fixture->library), ==, 20 * 1024 * 1024);

  /* ...and any limit is refused the same way. */
  cin_media_library_set_max_bytes (fixture->library, g_bytes_get_size (jpeg) - 1);
  assert_refused (fixture, "big.jpg", jpeg, CIN_MEDIA_ERROR_TOO_LARGE);
}

static void
test_deleted_before_copying (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (40, 40, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autofree char *path = media_test_write (fixture->sources, "chosen.jpg", jpeg);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = NULL;

  /* Chosen in the file chooser, then gone before the import reads it. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  photo = media_test_import (fixture->library, path, &error);
  g_assert_null (photo);
  media_test_assert_error (error, CIN_MEDIA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "chosen.jpg"));
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 0);
}

static void
test_corrupt_jpeg (Fixture       *fixture,
                   gconstpointer  data)
{
  static const guint8 garbage[] = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                                  "this is not a marker segment at all";
  g_autoptr(GBytes) bytes = g_bytes_new_static (garbage, sizeof garbage - 1);

  assert_refused (fixture, "broken.jpg", bytes, CIN_MEDIA_ERROR_CORRUPT);
}

/* Cut short and "repaired" with an end marker, as some tools do: the
 * structure is whole, the image data is not, and libjpeg says so. */
static void
test_damaged_jpeg_data (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (320, 240, 4);
  g_autoptr(GByteArray) damaged = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  gsize len;
  const guint8 *original = g_bytes_get_data (jpeg, &len);

  g_byte_array_append (damaged, original, (guint)(len / 2));
  g_byte_array_append (damaged, (const guint8 *)"\xff\xd9", 2);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&damaged));

  assert_refused (fixture, "repaired.jpg", bytes, CIN_MEDIA_ERROR_CORRUPT);
}

static void
test_directory (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = media_test_import (fixture->library, fixture->sources, &error);

  g_assert_null (photo);
  media_test_assert_error (error, CIN_MEDIA_ERROR_UNREADABLE);
  g_assert_cmpuint (media_test_count_entries (fixture->media_dir), ==, 0);
}

static void
on_cancelled_import_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  guint *answered = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinImportedPhoto) photo = cin_media_library_import_finish (CIN_MEDIA_LIBRARY (source),
                                                                       result, &error);

  g_assert_null (photo);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  (*answered)++;
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (320, 240, 5);
  g_autofree char *path = media_test_write (fixture->sources, "late.jpg", jpeg);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint answered = 0;

  for (guint i = 0; i < 4; i++)
    cin_media_library_import_async (fixture->library, file, cancellable, on_cancelled_import_cb, &answered);
  g_cancellable_cancel (cancellable);
  while (answered < 4)
    g_main_context_iteration (NULL, TRUE);

  /* A worker may have finished the first before the cancel: its file is
   * whole. Nothing else is left, no temporary file above all. */
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->media_dir, 0, NULL);
    g_autofree char *sha256 = sha256_of (jpeg);
    g_autofree char *expected = g_strconcat (sha256, ".jpg", NULL);
    const char *entry;
    guint count = 0;

    while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
      {
        g_assert_cmpstr (entry, ==, expected);
        count++;
      }
    g_assert_cmpuint (count, <=, 1);
  }
}

static void
test_for_profile (void)
{
  g_autoptr(CinMediaLibrary) library = cin_media_library_new_for_profile ("local");
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "cinnabar", "thumbnails", NULL);

  g_assert_true (g_str_has_prefix (cin_media_library_get_media_dir (library), g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (cin_media_library_get_media_dir (library), "/local/media"));
  g_assert_cmpstr (cin_media_library_get_thumbnail_dir (library), ==, cache);
  g_assert_cmpuint (cin_media_library_get_max_pixels (library), ==, CIN_MEDIA_DEFAULT_MAX_PIXELS);
  g_assert_cmpuint (cin_media_library_get_import_thumbnail_size (library), ==,
                    CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/media/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("jpeg", test_import_jpeg);
  ADD ("orientations", test_import_orientations);
  ADD ("png-with-alpha", test_import_png_with_alpha);
  ADD ("webp", test_import_webp);
  ADD ("heic", test_import_heic);
  ADD ("same-content-twice", test_same_content_twice);
  ADD ("many-at-once", test_many_at_once);
  ADD ("non-utf8-name", test_non_utf8_name);
  ADD ("refuses/truncated-jpeg", test_truncated_jpeg);
  ADD ("refuses/truncated-png-and-webp", test_truncated_png_and_webp);
  ADD ("refuses/zero-bytes", test_zero_bytes);
  ADD ("refuses/random-bytes-named-jpg", test_random_bytes_named_jpg);
  ADD ("refuses/other-formats", test_gif_is_not_taken);
  ADD ("refuses/png-header-too-many-pixels", test_png_header_too_many_pixels);
  ADD ("refuses/over-size-limit", test_over_size_limit);
  ADD ("refuses/deleted-before-copying", test_deleted_before_copying);
  ADD ("refuses/corrupt-jpeg", test_corrupt_jpeg);
  ADD ("refuses/damaged-jpeg-data", test_damaged_jpeg_data);
  ADD ("refuses/directory", test_directory);
  ADD ("cancelled", test_cancelled);
  g_test_add_func ("/media/import/for-profile", test_for_profile);

#undef ADD

  return g_test_run ();
}
