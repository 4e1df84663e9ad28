/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Thumbnails of stored photos: checked by their pixels (the red corner
 * ends up top-left whatever the orientation), cached on disk and in
 * memory, shared by requests in flight, dropped when cancelled. */
#define G_LOG_DOMAIN "test-media-thumbnail"

#include <string.h>

#include <glib/gstdio.h>

#include "cin-media-library-private.h"
#include "media-test-util.h"

#define SIZE 80

typedef MediaTestHome Fixture;

static CinMediaLibrary *
new_library (Fixture *fixture)
{
  CinMediaLibrary *library = cin_media_library_new (fixture->media_dir, fixture->thumbnail_dir);

  /* No thumbnail made on import: these tests make them on request. */
  cin_media_library_set_import_thumbnail_size (library, 0);
  return library;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  /* No thumbnail made on import: these tests make them on request. */
  media_test_home_set_up (fixture, "thumbnail", 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  media_test_home_tear_down (fixture);
}

static CinImportedPhoto *
import_bytes (Fixture    *fixture,
              const char *name,
              GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  CinImportedPhoto *photo = media_test_home_import (fixture, name, bytes, &error);

  g_assert_no_error (error);
  return photo;
}

static GdkTexture *
thumbnail_of (Fixture          *fixture,
              CinImportedPhoto *photo,
              guint             size)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = media_test_thumbnail (fixture->library, cin_imported_photo_get_sha256 (photo),
                                              cin_imported_photo_get_mime (photo), size, &error);
  guint width, height;

  g_assert_no_error (error);
  /* Exactly the size a placeholder was given from the import's numbers. */
  cin_media_thumbnail_size_for (cin_imported_photo_get_width (photo), cin_imported_photo_get_height (photo),
                                size, &width, &height);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, (int)width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, (int)height);
  return texture;
}

static void
test_orientations (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (240, 320, FALSE);

  for (guint orientation = 1; orientation <= 8; orientation++)
    {
      g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, orientation);
      g_autoptr(GBytes) plain = media_test_encode (stored, "jpeg");
      g_autoptr(GBytes) jpeg = media_test_add_exif (plain, orientation, orientation > 4, TRUE);
      g_autofree char *name = g_strdup_printf ("orientation-%u.jpg", orientation);
      g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, name, jpeg);
      g_autoptr(GdkTexture) thumbnail = thumbnail_of (fixture, photo, SIZE);

      g_test_message ("orientation %u", orientation);
      g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, 60);
      g_assert_cmpint (gdk_texture_get_height (thumbnail), ==, SIZE);
      media_test_assert_upright (thumbnail);
    }
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 8);
}

static void
test_png_alpha (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (320, 160, TRUE);
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "cut-out.png", png);
  g_autoptr(GdkTexture) thumbnail = thumbnail_of (fixture, photo, SIZE);

  g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, SIZE);
  g_assert_cmpint (gdk_texture_get_height (thumbnail), ==, 40);
  media_test_assert_upright (thumbnail);
  g_assert_cmpuint (media_test_texture_pixel (thumbnail, 5, 35).a, ==, 0);

  /* Cached as PNG, so the transparency comes back from the disk too. */
  media_test_dispose_library (&fixture->library);
  fixture->library = new_library (fixture);
  {
    g_autoptr(GdkTexture) from_disk = thumbnail_of (fixture, photo, SIZE);

    g_assert_cmpuint (_cin_media_library_get_thumbnails_loaded (fixture->library), ==, 1);
    g_assert_cmpuint (media_test_texture_pixel (from_disk, 5, 35).a, ==, 0);
    media_test_assert_upright (from_disk);
  }
}

static void
test_webp_and_heic (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (120, 160, FALSE);
  g_autoptr(GBytes) webp = media_test_webp (display);
  g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, 8);
  g_autoptr(GBytes) heic = NULL;

  if (webp != NULL)
    {
      g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "a.webp", webp);
      g_autoptr(GdkTexture) thumbnail = thumbnail_of (fixture, photo, SIZE);

      media_test_assert_upright (thumbnail);
    }

  heic = media_test_heic (stored, 8);
  if (heic != NULL)
    {
      g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "a.heic", heic);
      g_autoptr(GdkTexture) thumbnail = thumbnail_of (fixture, photo, SIZE);

      g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, 60);
      media_test_assert_upright (thumbnail);
    }
}

/* libjpeg suspends differently for these, where the last piece of a scan
 * may end anywhere. */
static void
test_progressive_and_grayscale_jpeg (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (480, 640, FALSE);
  g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, 6);
  g_autoptr(GBytes) progressive = media_test_libjpeg (stored, TRUE, FALSE);
  g_autoptr(GBytes) tagged = media_test_add_exif (progressive, 6, TRUE, FALSE);
  g_autoptr(GBytes) gray = media_test_libjpeg (display, TRUE, TRUE);
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "progressive.jpg", tagged);
  g_autoptr(CinImportedPhoto) gray_photo = import_bytes (fixture, "gray.jpg", gray);
  g_autoptr(GdkTexture) thumbnail = thumbnail_of (fixture, photo, SIZE);
  g_autoptr(GdkTexture) gray_thumbnail = thumbnail_of (fixture, gray_photo, SIZE);
  MediaTestColour corner = media_test_texture_pixel (gray_thumbnail, 5, 5);
  MediaTestColour centre = media_test_texture_pixel (gray_thumbnail, 30, 40);

  g_assert_cmpuint (cin_imported_photo_get_width (photo), ==, 480);
  media_test_assert_upright (thumbnail);
  /* Grey, with the red corner darker than the middle. */
  g_assert_cmpuint (corner.r, ==, corner.g);
  g_assert_cmpuint (corner.r, <, centre.r);
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (240, 320, FALSE);
  g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, 6);
  g_autoptr(GBytes) plain = media_test_encode (stored, "jpeg");
  g_autoptr(GBytes) jpeg = media_test_add_exif (plain, 6, TRUE, FALSE);
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "cached.jpg", jpeg);
  const char *sha256 = cin_imported_photo_get_sha256 (photo);
  g_autofree char *cached = _cin_media_library_get_thumbnail_path (fixture->library, SIZE, sha256, FALSE);
  g_autofree char *expected = NULL;
  g_autoptr(GdkTexture) first = NULL;
  g_autoptr(GdkTexture) second = NULL;
  g_autoptr(GdkTexture) from_disk = NULL;
  g_autoptr(GdkTexture) again = NULL;

  expected = g_strdup_printf ("%s/%u/%s.jpg", fixture->thumbnail_dir, SIZE, sha256);
  g_assert_cmpstr (cached, ==, expected);
  g_assert_null (cin_media_library_peek_thumbnail (fixture->library, sha256, SIZE));

  first = thumbnail_of (fixture, photo, SIZE);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 1);
  media_test_wait_for_file (cached);
  g_assert_true (cin_media_library_peek_thumbnail (fixture->library, sha256, SIZE) == first);

  /* Asked again: from memory, no decoding, no reading. */
  second = thumbnail_of (fixture, photo, SIZE);
  g_assert_true (second == first);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 1);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_loaded (fixture->library), ==, 0);

  /* After a restart: from the disk cache, still no decoding. */
  media_test_dispose_library (&fixture->library);
  fixture->library = new_library (fixture);
  from_disk = thumbnail_of (fixture, photo, SIZE);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 0);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_loaded (fixture->library), ==, 1);
  media_test_assert_upright (from_disk);

  /* A damaged cache file is made again, not shown. */
  media_test_dispose_library (&fixture->library);
  fixture->library = new_library (fixture);
  g_assert_true (g_file_set_contents (cached, "\xff\xd8\xff\xe0 broken", 12, NULL));
  again = thumbnail_of (fixture, photo, SIZE);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 1);
  media_test_assert_upright (again);

  /* Another size is another thumbnail. */
  {
    g_autoptr(GdkTexture) small = thumbnail_of (fixture, photo, 40);

    g_assert_cmpint (gdk_texture_get_height (small), ==, 40);
    g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 2);
  }
}

static void
test_made_by_import (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (400, 300, 9);
  g_autoptr(CinImportedPhoto) photo = NULL;
  g_autoptr(GdkTexture) thumbnail = NULL;

  cin_media_library_set_import_thumbnail_size (fixture->library, SIZE);
  photo = import_bytes (fixture, "primed.jpg", jpeg);
  thumbnail = thumbnail_of (fixture, photo, SIZE);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 0);
  g_assert_cmpuint (_cin_media_library_get_thumbnails_loaded (fixture->library), ==, 0);
}

typedef struct {
  guint       answered;
  guint       cancelled;
  GPtrArray  *textures;
} Answers;

static void
on_thumbnail_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Answers *answers = user_data;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = cin_media_library_load_thumbnail_finish (CIN_MEDIA_LIBRARY (source), result, &error);

  answers->answered++;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    answers->cancelled++;
  else
    {
      g_assert_no_error (error);
      g_ptr_array_add (answers->textures, texture);
    }
}

static void
test_requests_in_flight_share_one_decode (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (640, 480, 2);
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "shared.jpg", jpeg);
  g_autoptr(GPtrArray) textures = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Answers answers = { 0, 0, textures };

  for (guint i = 0; i < 5; i++)
    cin_media_library_load_thumbnail_async (fixture->library, cin_imported_photo_get_sha256 (photo),
                                            cin_imported_photo_get_mime (photo), SIZE,
                                            i == 0 ? cancellable : NULL, on_thumbnail_cb, &answers);
  /* One request giving up does not stop the others' shared work. */
  g_cancellable_cancel (cancellable);

  while (answers.answered < 5)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (answers.cancelled, ==, 1);
  g_assert_cmpuint (textures->len, ==, 4);
  for (guint i = 1; i < textures->len; i++)
    g_assert_true (g_ptr_array_index (textures, i) == g_ptr_array_index (textures, 0));
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), ==, 1);
}

static void
test_cancel_drops_queued_work (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_imported_photo_unref);
  g_autoptr(GPtrArray) textures = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Answers answers = { 0, 0, textures };
  const guint n = 16;
  guint decoded_before;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) jpeg = media_test_photo_jpeg (800, 600, i);
      g_autofree char *name = g_strdup_printf ("%u.jpg", i);

      g_ptr_array_add (photos, import_bytes (fixture, name, jpeg));
    }

  /* The window closes right after asking for a grid of thumbnails. */
  for (guint i = 0; i < n; i++)
    {
      CinImportedPhoto *photo = g_ptr_array_index (photos, i);

      cin_media_library_load_thumbnail_async (fixture->library, cin_imported_photo_get_sha256 (photo),
                                              cin_imported_photo_get_mime (photo), SIZE, cancellable,
                                              on_thumbnail_cb, &answers);
    }
  g_cancellable_cancel (cancellable);
  /* A busy machine may let the workers finish a few before the cancel:
   * what counts is that nothing starts after it. */
  decoded_before = _cin_media_library_get_thumbnails_decoded (fixture->library);

  while (answers.answered < n)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (answers.cancelled, ==, n);

  /* Only what a worker had already picked up when the request was
   * cancelled was decoded; the rest of the queue was dropped. */
  g_assert_cmpuint (_cin_media_library_get_thumbnails_decoded (fixture->library), <=,
                    decoded_before + g_get_num_processors ());

  /* The library goes only once its dropped jobs have come back. */
  media_test_dispose_library (&fixture->library);
}

static void
test_missing_photo (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = media_test_photo_jpeg (64, 64, 1);
  g_autoptr(CinImportedPhoto) photo = import_bytes (fixture, "gone.jpg", jpeg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_cmpint (g_unlink (cin_imported_photo_get_path (photo)), ==, 0);
  texture = media_test_thumbnail (fixture->library, cin_imported_photo_get_sha256 (photo),
                                  cin_imported_photo_get_mime (photo), SIZE, &error);
  g_assert_null (texture);
  media_test_assert_error (error, CIN_MEDIA_ERROR_MISSING);
  g_clear_error (&error);

  /* A name that is not a hash never becomes a path. */
  texture = media_test_thumbnail (fixture->library, "../../etc/passwd", "image/jpeg", SIZE, &error);
  g_assert_null (texture);
  media_test_assert_error (error, CIN_MEDIA_ERROR_MISSING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/media/thumbnail/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("orientations", test_orientations);
  ADD ("png-alpha", test_png_alpha);
  ADD ("webp-and-heic", test_webp_and_heic);
  ADD ("progressive-and-grayscale-jpeg", test_progressive_and_grayscale_jpeg);
  ADD ("cache", test_cache);
  ADD ("made-by-import", test_made_by_import);
  ADD ("requests-in-flight-share-one-decode", test_requests_in_flight_share_one_decode);
  ADD ("cancel-drops-queued-work", test_cancel_drops_queued_work);
  ADD ("missing-photo", test_missing_photo);

#undef ADD

  return g_test_run ();
}
