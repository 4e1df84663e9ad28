/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-media-check.h"
#include "cin-media-sniff.h"
#include "tus-test-media.h"

/* What a file is, from its first bytes; and whether it is all there. */

static CinMediaFormat
sniff (GBytes *bytes)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  return cin_media_sniff (data, MIN (length, CIN_MEDIA_SNIFF_BYTES));
}

static gboolean
check (GBytes         *bytes,
       CinMediaFormat  format,
       GError        **error)
{
  g_autofree char *path = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gboolean ok;
  int fd;

  fd = g_file_open_tmp ("cin-media-check-XXXXXX", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, length), ==, (gssize) length);
  ok = cin_media_check_complete (fd, length, format, error);
  g_close (fd, NULL);
  g_unlink (path);
  return ok;
}

/* The file sniffs as @format, passes whole, and fails as truncated when
 * cut anywhere in @cuts (byte counts from the end). */
static void
assert_media (GBytes         *bytes,
              CinMediaFormat  format,
              CinMediaKind    kind,
              const gsize    *cuts,
              guint           n_cuts)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sniff (bytes), ==, format);
  g_assert_cmpint (cin_media_format_get_kind (format), ==, kind);
  g_assert_true (check (bytes, format, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < n_cuts; i++)
    {
      g_autoptr(GBytes) cut = tus_test_cut (bytes, g_bytes_get_size (bytes) - cuts[i]);
      g_autoptr(GError) cut_error = NULL;

      g_test_message ("cut %" G_GSIZE_FORMAT " bytes off the end", cuts[i]);
      g_assert_false (check (cut, format, &cut_error));
      g_assert_error (cut_error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_TRUNCATED);
    }
}

static void
test_png (void)
{
  static const gsize cuts[] = { 1, 12, 13, 500, 3000 };
  g_autoptr(GBytes) png = tus_test_png (40, 30, 1);

  assert_media (png, CIN_MEDIA_FORMAT_PNG, CIN_MEDIA_KIND_PHOTO, cuts, G_N_ELEMENTS (cuts));
  g_assert_cmpstr (cin_media_format_get_mime (CIN_MEDIA_FORMAT_PNG), ==, "image/png");
}

static void
test_jpeg (void)
{
  static const gsize cuts[] = { 1, 2, 3, 5000, 20000 };
  g_autoptr(GBytes) jpeg = tus_test_jpeg (30000, 2);
  g_autoptr(GByteArray) trailer = g_byte_array_new ();
  g_autoptr(GBytes) with_trailer = NULL;
  g_autoptr(GError) error = NULL;

  assert_media (jpeg, CIN_MEDIA_FORMAT_JPEG, CIN_MEDIA_KIND_PHOTO, cuts, G_N_ELEMENTS (cuts));
  g_assert_cmpstr (cin_media_format_get_extension (CIN_MEDIA_FORMAT_JPEG), ==, "jpg");

  /* Phones append data after the end-of-image marker (motion photos):
   * still a whole JPEG. */
  g_byte_array_append (trailer, g_bytes_get_data (jpeg, NULL), (guint) g_bytes_get_size (jpeg));
  g_byte_array_append (trailer, (const guint8 *) "trailing motion photo", 21);
  with_trailer = g_byte_array_free_to_bytes (g_steal_pointer (&trailer));
  g_assert_true (check (with_trailer, CIN_MEDIA_FORMAT_JPEG, &error));
  g_assert_no_error (error);
}

static void
test_jpeg_damaged (void)
{
  static const guint8 garbage_between_segments[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0xff, 0xd9,
  };
  static const guint8 impossible_length[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xd9,
  };
  g_autoptr(GBytes) garbage = g_bytes_new_static (garbage_between_segments, sizeof garbage_between_segments);
  g_autoptr(GBytes) impossible = g_bytes_new_static (impossible_length, sizeof impossible_length);
  g_autoptr(GError) error = NULL;

  g_assert_false (check (garbage, CIN_MEDIA_FORMAT_JPEG, &error));
  g_assert_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_false (check (impossible, CIN_MEDIA_FORMAT_JPEG, &error));
  g_assert_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_DAMAGED);
}

static void
test_webp (void)
{
  static const gsize cuts[] = { 1, 100 };
  g_autoptr(GBytes) webp = tus_test_webp (1001, 3);

  assert_media (webp, CIN_MEDIA_FORMAT_WEBP, CIN_MEDIA_KIND_PHOTO, cuts, G_N_ELEMENTS (cuts));
}

static void
test_mp4 (void)
{
  static const gsize cuts[] = { 1, 4000, 8000 };
  g_autoptr(GBytes) mp4 = tus_test_mp4 ("isom", 9000, FALSE, 4);
  g_autoptr(GBytes) large = tus_test_mp4 ("mp42", 9000, TRUE, 5);
  g_autoptr(GBytes) mov = tus_test_mp4 ("qt  ", 100, FALSE, 6);
  g_autoptr(GBytes) m4v = tus_test_mp4 ("M4V ", 100, FALSE, 7);
  g_autoptr(GBytes) phone = tus_test_mp4 ("3gp4", 100, FALSE, 8);

  assert_media (mp4, CIN_MEDIA_FORMAT_MP4, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  assert_media (large, CIN_MEDIA_FORMAT_MP4, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  assert_media (mov, CIN_MEDIA_FORMAT_MOV, CIN_MEDIA_KIND_VIDEO, NULL, 0);
  assert_media (m4v, CIN_MEDIA_FORMAT_M4V, CIN_MEDIA_KIND_VIDEO, NULL, 0);
  assert_media (phone, CIN_MEDIA_FORMAT_MP4, CIN_MEDIA_KIND_VIDEO, NULL, 0);
}

/* A recording that stopped before it wrote its movie header has boxes
 * that all fit, and still cannot be played. */
static void
test_mp4_without_moov (void)
{
  static const guint8 only_mdat[] = {
    0, 0, 0, 16, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
    0, 0, 0, 12, 'm', 'd', 'a', 't', 1, 2, 3, 4,
  };
  g_autoptr(GBytes) bytes = g_bytes_new_static (only_mdat, sizeof only_mdat);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sniff (bytes), ==, CIN_MEDIA_FORMAT_MP4);
  g_assert_false (check (bytes, CIN_MEDIA_FORMAT_MP4, &error));
  g_assert_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_TRUNCATED);
}

static void
test_iso_brands (void)
{
  g_autoptr(GBytes) heic = tus_test_mp4 ("heic", 10, FALSE, 9);
  g_autoptr(GBytes) avif = tus_test_mp4 ("avif", 10, FALSE, 9);
  g_autoptr(GBytes) m4a = tus_test_mp4 ("M4A ", 10, FALSE, 9);
  g_autoptr(GBytes) jpeg2000 = tus_test_mp4 ("jp2 ", 10, FALSE, 9);
  static const guint8 bare_quicktime[] = {
    0, 0, 0, 8, 'w', 'i', 'd', 'e', 0, 0, 0, 8, 'm', 'o', 'o', 'v',
  };

  g_assert_cmpint (sniff (heic), ==, CIN_MEDIA_FORMAT_HEIF);
  g_assert_cmpint (cin_media_format_get_kind (CIN_MEDIA_FORMAT_HEIF), ==, CIN_MEDIA_KIND_PHOTO);
  g_assert_cmpint (sniff (avif), ==, CIN_MEDIA_FORMAT_HEIF);
  g_assert_cmpint (sniff (m4a), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  /* "jp2 " is unknown as a major brand, but "isom" is among the
   * compatible ones tus_test_mp4() writes. */
  g_assert_cmpint (sniff (jpeg2000), ==, CIN_MEDIA_FORMAT_MP4);
  g_assert_cmpint (cin_media_sniff (bare_quicktime, sizeof bare_quicktime), ==, CIN_MEDIA_FORMAT_MOV);
}

static void
test_matroska (void)
{
  static const gsize cuts[] = { 1, 500 };
  g_autoptr(GBytes) webm = tus_test_matroska ("webm", 2000, FALSE, 10);
  g_autoptr(GBytes) mkv = tus_test_matroska ("matroska", 2000, FALSE, 11);
  g_autoptr(GBytes) live = tus_test_matroska ("webm", 2000, TRUE, 12);
  g_autoptr(GBytes) other = tus_test_matroska ("other", 10, FALSE, 13);

  assert_media (webm, CIN_MEDIA_FORMAT_WEBM, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  assert_media (mkv, CIN_MEDIA_FORMAT_MATROSKA, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  /* A segment of unknown size: its children's sizes still count. */
  assert_media (live, CIN_MEDIA_FORMAT_WEBM, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  g_assert_cmpint (sniff (other), ==, CIN_MEDIA_FORMAT_UNKNOWN);
}

static void
test_mpeg (void)
{
  static const gsize cuts[] = { 1, 100 };
  static const guint8 program_stream[] = { 0x00, 0x00, 0x01, 0xba, 0x44, 0, 4, 0, 4, 1 };
  g_autoptr(GBytes) ts = tus_test_ts (20, FALSE, 14);
  g_autoptr(GBytes) m2ts = tus_test_ts (20, TRUE, 15);
  g_autoptr(GBytes) ps = g_bytes_new_static (program_stream, sizeof program_stream);

  assert_media (ts, CIN_MEDIA_FORMAT_MPEG_TS, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  assert_media (m2ts, CIN_MEDIA_FORMAT_MPEG_TS, CIN_MEDIA_KIND_VIDEO, cuts, G_N_ELEMENTS (cuts));
  assert_media (ps, CIN_MEDIA_FORMAT_MPEG_PS, CIN_MEDIA_KIND_VIDEO, NULL, 0);
}

static void
test_not_media (void)
{
  g_autoptr(GBytes) noise = tus_test_random (8192, 16);
  static const char text[] = "<!doctype html><title>cat.jpg</title>";
  static const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sniff (noise), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_media_format_get_kind (CIN_MEDIA_FORMAT_UNKNOWN), ==, CIN_MEDIA_KIND_NONE);
  g_assert_cmpint (cin_media_sniff ((const guint8 *) text, sizeof text - 1), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_media_sniff (gif, sizeof gif), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_media_sniff (NULL, 0), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  g_assert_false (check (noise, CIN_MEDIA_FORMAT_UNKNOWN, &error));
}

/* Fewer bytes than a signature needs are not that format. */
static void
test_short_heads (void)
{
  g_autoptr(GBytes) png = tus_test_png (4, 4, 17);
  g_autoptr(GBytes) ts = tus_test_ts (3, FALSE, 18);

  for (gsize length = 0; length < 8; length++)
    g_assert_cmpint (cin_media_sniff (g_bytes_get_data (png, NULL), length), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_media_sniff (g_bytes_get_data (ts, NULL), 2 * 188), ==, CIN_MEDIA_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_media_sniff (g_bytes_get_data (ts, NULL), 2 * 188 + 1), ==, CIN_MEDIA_FORMAT_MPEG_TS);
}

static void
test_format_names (void)
{
  for (CinMediaFormat format = CIN_MEDIA_FORMAT_UNKNOWN; format <= CIN_MEDIA_FORMAT_MPEG_TS; format++)
    g_assert_cmpint (cin_media_format_from_name (cin_media_format_get_name (format)), ==, format);
  g_assert_cmpint (cin_media_format_from_name ("gif"), ==, CIN_MEDIA_FORMAT_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/media-sniff/png", test_png);
  g_test_add_func ("/media-sniff/jpeg", test_jpeg);
  g_test_add_func ("/media-sniff/jpeg-damaged", test_jpeg_damaged);
  g_test_add_func ("/media-sniff/webp", test_webp);
  g_test_add_func ("/media-sniff/mp4", test_mp4);
  g_test_add_func ("/media-sniff/mp4-without-moov", test_mp4_without_moov);
  g_test_add_func ("/media-sniff/iso-brands", test_iso_brands);
  g_test_add_func ("/media-sniff/matroska", test_matroska);
  g_test_add_func ("/media-sniff/mpeg", test_mpeg);
  g_test_add_func ("/media-sniff/not-media", test_not_media);
  g_test_add_func ("/media-sniff/short-heads", test_short_heads);
  g_test_add_func ("/media-sniff/format-names", test_format_names);

  return g_test_run ();
}
