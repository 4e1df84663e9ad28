/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The JPEG a stored photo is uploaded as: turned upright in its pixels,
 * with no Exif (so no GPS position) left in it. */
#define G_LOG_DOMAIN "test-media-export"

#include <string.h>

#include <glib/gstdio.h>

#include "cin-image-scan.h"
#include "media-test-util.h"

typedef struct {
  MediaTestHome    home;
  char            *uploads;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  media_test_home_set_up (&fixture->home, "export", 0);
  fixture->uploads = g_build_filename (fixture->home.root, "uploads", NULL);
  g_mkdir_with_parents (fixture->uploads, 0700);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  media_test_home_tear_down (&fixture->home);
  g_free (fixture->uploads);
}

static CinImportedPhoto *
import_bytes (Fixture    *fixture,
              const char *name,
              GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  CinImportedPhoto *photo = media_test_home_import (&fixture->home, name, bytes, &error);

  g_assert_no_error (error);
  return photo;
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* Exports @photo and checks what the finish reports against the file. */
static GBytes *
export (Fixture           *fixture,
        CinImportedPhoto  *photo,
        GError           **error)
{
  g_autofree char *path = g_build_filename (fixture->uploads, "upload.jpg", NULL);
  g_autoptr(GFile) destination = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected_sha256 = NULL;
  guint64 size = 0;
  gsize len;

  cin_media_library_export_jpeg_async (fixture->home.library, cin_imported_photo_get_sha256 (photo),
                                       cin_imported_photo_get_mime (photo), destination, NULL,
                                       on_exported_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cin_media_library_export_jpeg_finish (fixture->home.library, result, &sha256, &size, error))
    {
      g_assert_cmpuint (media_test_count_entries (fixture->uploads), ==, 0);
      return NULL;
    }

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  expected_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *)contents, len);
  g_assert_cmpstr (sha256, ==, expected_sha256);
  g_assert_cmpuint (size, ==, len);
  g_assert_cmpuint (media_test_count_entries (fixture->uploads), ==, 1);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static GdkTexture *
decode (GBytes *jpeg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", &error);

  /* By type: sniffing needs the MIME database, out of reach of the
   * tests' isolated data dirs. */
  g_assert_no_error (error);
  gdk_pixbuf_loader_write_bytes (loader, jpeg, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return gdk_texture_new_for_pixbuf (gdk_pixbuf_loader_get_pixbuf (loader));
}

static gboolean
contains (const guint8 *data,
          gsize         len,
          const char   *needle,
          gsize         needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* A JPEG with no metadata: no Exif block, so no GPS, no orientation. */
static void
assert_clean_jpeg (GBytes *jpeg)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  g_autoptr(CinImageScan) scan = cin_image_scan_new (CIN_IMAGE_FORMAT_JPEG);

  g_assert_cmpint (cin_image_format_sniff (data, len), ==, CIN_IMAGE_FORMAT_JPEG);
  g_assert_true (cin_image_scan_feed (scan, data, len));
  g_assert_true (cin_image_scan_is_complete (scan));
  g_assert_cmpuint (cin_image_scan_get_orientation (scan), ==, 1);
  g_assert_false (contains (data, len, "Exif", 4));

  /* No APP1 (Exif, XMP) segment before the image data either. */
  for (gsize at = 2; at + 4 <= len && data[at] == 0xff && data[at + 1] != 0xda;
       at += 2 + ((gsize)data[at + 2] << 8 | data[at + 3]))
    g_assert_cmpuint (data[at + 1], !=, 0xe1);
}

static void
test_upright_jpeg_without_decoding (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (120, 160, FALSE);
  g_autoptr(GBytes) plain = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GBytes) tagged = media_test_add_exif (plain, 1, TRUE, TRUE);
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "upright.jpg", tagged);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = export (fixture, photo, &error);
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_no_error (error);
  assert_clean_jpeg (exported);
  /* Copied, not encoded again: the same image data, byte for byte. */
  g_assert_cmpuint (g_bytes_get_size (exported), ==, g_bytes_get_size (plain));
  g_assert_true (g_bytes_equal (exported, plain));

  texture = decode (exported);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 120);
  media_test_assert_upright (texture);
}

static void
test_turned_jpeg (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (120, 160, FALSE);

  for (guint orientation = 2; orientation <= 8; orientation++)
    {
      g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, orientation);
      g_autoptr(GBytes) plain = media_test_encode (stored, "jpeg");
      g_autoptr(GBytes) tagged = media_test_add_exif (plain, orientation, FALSE, TRUE);
      g_autofree char *name = g_strdup_printf ("%u.jpg", orientation);
      g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, name, tagged);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) exported = export (fixture, photo, &error);
      g_autoptr(GdkTexture) texture = NULL;

      g_assert_no_error (error);
      assert_clean_jpeg (exported);
      texture = decode (exported);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 120);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 160);
      media_test_assert_upright (texture);
    }
}

static void
test_png_on_white (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (80, 120, TRUE);
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "cut-out.png", png);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = export (fixture, photo, &error);
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_no_error (error);
  assert_clean_jpeg (exported);
  texture = decode (exported);
  media_test_assert_upright (texture);
  media_test_assert_colour (media_test_texture_pixel (texture, 10, 110),
                            (MediaTestColour) { 255, 255, 255, 255 }, "transparent corner");
}

static void
test_heic (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (96, 128, FALSE);
  g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, 6);
  g_autoptr(GBytes) heic = media_test_heic (stored, 6);
  g_autoptr(CinImportedPhoto) photo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (heic == NULL)
    return;

  photo = import_bytes (fixture, "IMG_0042.HEIC", heic);
  exported = export (fixture, photo, &error);
  g_assert_no_error (error);
  assert_clean_jpeg (exported);
  texture = decode (exported);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 96);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 128);
  media_test_assert_upright (texture);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (64, 48, 1);
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "gone.jpg", jpeg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;

  g_assert_cmpint (g_unlink (cin_imported_photo_get_path (photo)), ==, 0);
  exported = export (fixture, photo, &error);
  g_assert_null (exported);
  media_test_assert_error (error, CIN_MEDIA_ERROR_MISSING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/media/export/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("upright-jpeg-without-decoding", test_upright_jpeg_without_decoding);
  ADD ("turned-jpeg", test_turned_jpeg);
  ADD ("png-on-white", test_png_on_white);
  ADD ("heic", test_heic);
  ADD ("missing", test_missing);

#undef ADD

  return g_test_run ();
}
