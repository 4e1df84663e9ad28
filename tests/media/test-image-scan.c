/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Telling formats apart by content, reading sizes and orientation from
 * headers, and noticing a file that ends early, fed in every split. */
#define G_LOG_DOMAIN "test-image-scan"

#include <string.h>

#include "cin-exif.h"
#include "cin-image-reader.h"
#include "cin-image-scan.h"
#include "cin-media-error.h"
#include "media-test-util.h"

static void
test_sniff (void)
{
  static const guint8 heic[] = "\0\0\0\x18" "ftypheic" "\0\0\0\0" "mif1heic";
  static const guint8 generic_heif[] = "\0\0\0\x14" "ftypmif1" "\0\0\0\0" "mif1";
  static const guint8 avif[] = "\0\0\0\x18" "ftypavif" "\0\0\0\0" "mif1avif";
  static const guint8 gif[] = "GIF89a\x01\0\x01\0\0\0\0;";
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (40, 40, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint8 noise[64];

  g_assert_cmpint (cin_image_format_sniff (g_bytes_get_data (jpeg, NULL), 64), ==, CIN_IMAGE_FORMAT_JPEG);
  g_assert_cmpint (cin_image_format_sniff (g_bytes_get_data (png, NULL), 64), ==, CIN_IMAGE_FORMAT_PNG);
  g_assert_cmpint (cin_image_format_sniff ((const guint8 *)"RIFF\x10\0\0\0WEBPVP8L", 16), ==,
                   CIN_IMAGE_FORMAT_WEBP);
  g_assert_cmpint (cin_image_format_sniff (heic, sizeof heic - 1), ==, CIN_IMAGE_FORMAT_HEIF);
  g_assert_cmpint (cin_image_format_sniff (generic_heif, sizeof generic_heif - 1), ==, CIN_IMAGE_FORMAT_HEIF);
  g_assert_cmpint (cin_image_format_sniff (avif, sizeof avif - 1), ==, CIN_IMAGE_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_image_format_sniff (gif, sizeof gif - 1), ==, CIN_IMAGE_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_image_format_sniff (NULL, 0), ==, CIN_IMAGE_FORMAT_UNKNOWN);
  g_assert_cmpint (cin_image_format_sniff ((const guint8 *)"\xff\xd8", 2), ==, CIN_IMAGE_FORMAT_UNKNOWN);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8)g_rand_int_range (rand, 0, 256);
  noise[0] = 0x00;
  g_assert_cmpint (cin_image_format_sniff (noise, sizeof noise), ==, CIN_IMAGE_FORMAT_UNKNOWN);

  g_assert_cmpstr (cin_image_format_get_mime (CIN_IMAGE_FORMAT_HEIF), ==, "image/heic");
  g_assert_cmpint (cin_image_format_from_mime ("image/heif"), ==, CIN_IMAGE_FORMAT_HEIF);
  g_assert_cmpint (cin_image_format_from_mime ("IMAGE/JPEG"), ==, CIN_IMAGE_FORMAT_JPEG);
  g_assert_cmpint (cin_image_format_from_mime ("image/gif"), ==, CIN_IMAGE_FORMAT_UNKNOWN);
  g_assert_cmpstr (cin_image_format_get_extension (CIN_IMAGE_FORMAT_JPEG), ==, "jpg");
}

/* The TIFF block inside the APP1 segment media_test_add_exif() writes. */
static GBytes *
exif_block (guint    orientation,
            gboolean big_endian)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (16, 16, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GBytes) tagged = media_test_add_exif (jpeg, orientation, big_endian, TRUE);
  const guint8 *data = g_bytes_get_data (tagged, NULL);
  gsize segment = (gsize)data[4] << 8 | data[5];

  return g_bytes_new_from_bytes (tagged, 2 + 2 + 2 + 6, segment - 2 - 6);
}

static void
test_exif_orientation (void)
{
  static const guint8 no_tag[] = "II\x2a\0\x08\0\0\0\0\0\0\0\0\0";
  static const guint8 bad_offset[] = "MM\0\x2a\x7f\xff\xff\xff";

  for (guint orientation = 1; orientation <= 8; orientation++)
    for (int big_endian = 0; big_endian <= 1; big_endian++)
      {
        g_autoptr(GBytes) block = exif_block (orientation, big_endian);
        gsize len;
        const guint8 *data = g_bytes_get_data (block, &len);

        g_assert_cmpuint (cin_exif_get_orientation (data, len), ==, orientation);
        /* Cut anywhere, it never reads past the end and says "as stored". */
        for (gsize cut = 0; cut < 20; cut++)
          g_assert_cmpuint (cin_exif_get_orientation (data, cut), ==, 1);
      }

  {
    g_autoptr(GBytes) block = exif_block (9, TRUE);
    g_assert_cmpuint (cin_exif_get_orientation (g_bytes_get_data (block, NULL),
                                                g_bytes_get_size (block)), ==, 1);
  }
  g_assert_cmpuint (cin_exif_get_orientation (no_tag, sizeof no_tag - 1), ==, 1);
  g_assert_cmpuint (cin_exif_get_orientation (bad_offset, sizeof bad_offset - 1), ==, 1);
  g_assert_cmpuint (cin_exif_get_orientation ((const guint8 *)"XX", 2), ==, 1);
  g_assert_cmpuint (cin_exif_get_orientation (NULL, 0), ==, 1);
}

typedef struct {
  CinImageFormat format;
  GBytes        *bytes;
  guint          width;
  guint          height;
  guint          orientation;
} ScanCase;

/* Fed @step bytes at a time up to @len: complete only at the whole file. */
static void
scan_in_steps (const ScanCase *c,
               gsize           len,
               gsize           step)
{
  g_autoptr(CinImageScan) scan = cin_image_scan_new (c->format);
  gsize total;
  const guint8 *data = g_bytes_get_data (c->bytes, &total);

  for (gsize at = 0; at < len; at += step)
    g_assert_true (cin_image_scan_feed (scan, data + at, MIN (step, len - at)));

  g_assert_cmpint (cin_image_scan_is_complete (scan), ==, len == total);
  if (len == total)
    {
      g_assert_true (cin_image_scan_has_size (scan));
      g_assert_cmpuint (cin_image_scan_get_width (scan), ==, c->width);
      g_assert_cmpuint (cin_image_scan_get_height (scan), ==, c->height);
      g_assert_cmpuint (cin_image_scan_get_orientation (scan), ==, c->orientation);
    }
}

static void
check_scan_case (const ScanCase *c)
{
  gsize total = g_bytes_get_size (c->bytes);

  scan_in_steps (c, total, total);
  scan_in_steps (c, total, 1);
  scan_in_steps (c, total, 7);
  for (guint eighth = 1; eighth < 8; eighth++)
    scan_in_steps (c, total * eighth / 8, 13);
  scan_in_steps (c, total - 1, 4096);
}

static void
test_scan_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (48, 32, FALSE);
  g_autoptr(GBytes) plain = media_test_encode (pixbuf, "jpeg");
  g_autoptr(GBytes) tagged = media_test_add_exif (plain, 6, FALSE, TRUE);
  ScanCase plain_case = { CIN_IMAGE_FORMAT_JPEG, plain, 48, 32, 1 };
  ScanCase tagged_case = { CIN_IMAGE_FORMAT_JPEG, tagged, 48, 32, 6 };

  check_scan_case (&plain_case);
  check_scan_case (&tagged_case);

  /* Bytes after the end of the image (a phone's second picture) are not
   * the image's: still complete. */
  {
    g_autoptr(GByteArray) padded = g_byte_array_new ();
    g_autoptr(CinImageScan) scan = cin_image_scan_new (CIN_IMAGE_FORMAT_JPEG);

    g_byte_array_append (padded, g_bytes_get_data (plain, NULL), (guint)g_bytes_get_size (plain));
    g_byte_array_append (padded, (const guint8 *)"\xff\xd8\xff\xe0trailing", 12);
    g_assert_true (cin_image_scan_feed (scan, padded->data, padded->len));
    g_assert_true (cin_image_scan_is_complete (scan));
  }

  /* Garbage where a marker should be. */
  {
    g_autoptr(CinImageScan) scan = cin_image_scan_new (CIN_IMAGE_FORMAT_JPEG);

    g_assert_false (cin_image_scan_feed (scan, (const guint8 *)"\xff\xd8\xff\xe0\x00\x04" "ab\x12\x34", 10));
    g_assert_nonnull (cin_image_scan_get_problem (scan));
    g_assert_false (cin_image_scan_feed (scan, (const guint8 *)"\xff", 1));
  }
}

static void
test_scan_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (30, 50, TRUE);
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(GBytes) huge = media_test_png_header (60000, 60000);
  ScanCase png_case = { CIN_IMAGE_FORMAT_PNG, png, 30, 50, 1 };
  ScanCase huge_case = { CIN_IMAGE_FORMAT_PNG, huge, 60000, 60000, 1 };

  check_scan_case (&png_case);
  check_scan_case (&huge_case);

  {
    g_autoptr(CinImageScan) scan = cin_image_scan_new (CIN_IMAGE_FORMAT_PNG);
    const guint8 *data = g_bytes_get_data (png, NULL);
    guint8 wrong[16];

    /* The first chunk must be the header. */
    memcpy (wrong, data, 16);
    memcpy (wrong + 12, "IDAT", 4);
    g_assert_false (cin_image_scan_feed (scan, wrong, sizeof wrong));
  }
}

static void
test_scan_webp (void)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (44, 28, FALSE);
  g_autoptr(GdkPixbuf) with_alpha = media_test_marked_pixbuf (44, 28, TRUE);
  g_autoptr(GBytes) webp = media_test_webp (pixbuf);
  g_autoptr(GBytes) webp_alpha = NULL;

  if (webp == NULL)
    return;

  {
    ScanCase webp_case = { CIN_IMAGE_FORMAT_WEBP, webp, 44, 28, 1 };
    check_scan_case (&webp_case);
  }

  /* With alpha: the extended format, its size from the canvas. */
  webp_alpha = media_test_webp (with_alpha);
  {
    ScanCase alpha_case = { CIN_IMAGE_FORMAT_WEBP, webp_alpha, 44, 28, 1 };
    check_scan_case (&alpha_case);
  }
}

static void
test_reader_refuses_header_before_decoding (void)
{
  g_autoptr(GBytes) huge = media_test_png_header (60000, 60000);
  g_autoptr(CinImageReader) reader = cin_image_reader_new (CIN_IMAGE_FORMAT_PNG, "huge.png", 360,
                                                           (guint64)128 * 1000 * 1000);
  g_autoptr(GError) error = NULL;

  g_assert_false (cin_image_reader_feed (reader, g_bytes_get_data (huge, NULL), g_bytes_get_size (huge),
                                         &error));
  media_test_assert_error (error, CIN_MEDIA_ERROR_TOO_MANY_PIXELS);
  g_assert_nonnull (strstr (error->message, "60000 × 60000"));
  /* GdkPixbuf never saw a byte, so allocated nothing for 3.6 gigapixels. */
  g_assert_false (cin_image_reader_has_started (reader));
}

static void
test_reader_scales_and_turns (void)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (240, 320, FALSE);
  g_autoptr(GdkPixbuf) stored = media_test_stored_for (display, 8);
  g_autoptr(GBytes) plain = media_test_encode (stored, "jpeg");
  g_autoptr(GBytes) jpeg = media_test_add_exif (plain, 8, TRUE, FALSE);
  g_autoptr(CinImageReader) reader = cin_image_reader_new (CIN_IMAGE_FORMAT_JPEG, "turned.jpg", 80,
                                                           G_MAXUINT64);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cin_image_reader_feed (reader, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                                        &error));
  pixbuf = cin_image_reader_finish (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 60);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 80);
  g_assert_cmpuint (cin_image_reader_get_width (reader), ==, 240);
  g_assert_cmpuint (cin_image_reader_get_height (reader), ==, 320);
  g_assert_cmpuint (cin_image_reader_get_orientation (reader), ==, 8);

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  media_test_assert_upright (texture);
}

/* libjpeg suspends wherever a piece ends, even inside a marker or an MCU,
 * and takes up again with the next. */
static void
test_reader_jpeg_in_pieces (void)
{
  g_autoptr(GdkPixbuf) display = media_test_marked_pixbuf (480, 640, FALSE);
  const gsize steps[] = { 1, 97, 1000, 65536 };

  for (int progressive = 0; progressive <= 1; progressive++)
    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_autoptr(GBytes) jpeg = media_test_libjpeg (display, progressive, FALSE);
        g_autoptr(CinImageReader) reader = cin_image_reader_new (CIN_IMAGE_FORMAT_JPEG, "pieces.jpg", 120,
                                                                 G_MAXUINT64);
        g_autoptr(GdkPixbuf) pixbuf = NULL;
        g_autoptr(GdkTexture) texture = NULL;
        g_autoptr(GError) error = NULL;
        gsize len;
        const guint8 *data = g_bytes_get_data (jpeg, &len);

        for (gsize at = 0; at < len; at += steps[i])
          g_assert_true (cin_image_reader_feed (reader, data + at, MIN (steps[i], len - at), &error));
        pixbuf = cin_image_reader_finish (reader, &error);
        g_assert_no_error (error);
        g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, 90);
        g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, 120);
        texture = gdk_texture_new_for_pixbuf (pixbuf);
        media_test_assert_upright (texture);
      }
}

/* A frame header libjpeg refuses (9-bit samples): its error jumps out of
 * the decoder, which is left clean. */
static void
test_reader_jpeg_libjpeg_error (void)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (64, 48, FALSE);
  g_autoptr(GBytes) jpeg = media_test_encode (pixbuf, "jpeg");
  g_autoptr(CinImageReader) reader = cin_image_reader_new (CIN_IMAGE_FORMAT_JPEG, "nine-bits.jpg", 32,
                                                           G_MAXUINT64);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = NULL;
  gsize len;
  gboolean fed;

  len = g_bytes_get_size (jpeg);
  data = g_memdup2 (g_bytes_get_data (jpeg, NULL), len);
  for (gsize i = 2; i + 4 < len; i++)
    if (data[i] == 0xff && data[i + 1] == 0xc0)
      {
        data[i + 4] = 9;
        break;
      }

  fed = cin_image_reader_feed (reader, data, len, &error);
  if (fed)
    g_assert_null (cin_image_reader_finish (reader, &error));
  media_test_assert_error (error, CIN_MEDIA_ERROR_CORRUPT);
}

static void
test_fit_size (void)
{
  guint w, h;

  cin_image_fit_size (4000, 3000, 360, &w, &h);
  g_assert_cmpuint (w, ==, 360);
  g_assert_cmpuint (h, ==, 270);
  cin_image_fit_size (3000, 4000, 360, &w, &h);
  g_assert_cmpuint (w, ==, 270);
  g_assert_cmpuint (h, ==, 360);
  cin_image_fit_size (200, 100, 360, &w, &h);
  g_assert_cmpuint (w, ==, 200);
  g_assert_cmpuint (h, ==, 100);
  cin_image_fit_size (10000, 1, 100, &w, &h);
  g_assert_cmpuint (w, ==, 100);
  g_assert_cmpuint (h, ==, 1);
  cin_image_fit_size (640, 480, 0, &w, &h);
  g_assert_cmpuint (w, ==, 640);
  g_assert_cmpuint (h, ==, 480);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/media/scan/sniff", test_sniff);
  g_test_add_func ("/media/scan/exif-orientation", test_exif_orientation);
  g_test_add_func ("/media/scan/jpeg", test_scan_jpeg);
  g_test_add_func ("/media/scan/png", test_scan_png);
  g_test_add_func ("/media/scan/webp", test_scan_webp);
  g_test_add_func ("/media/reader/refuses-header-before-decoding", test_reader_refuses_header_before_decoding);
  g_test_add_func ("/media/reader/scales-and-turns", test_reader_scales_and_turns);
  g_test_add_func ("/media/reader/jpeg-in-pieces", test_reader_jpeg_in_pieces);
  g_test_add_func ("/media/reader/jpeg-libjpeg-error", test_reader_jpeg_libjpeg_error);
  g_test_add_func ("/media/reader/fit-size", test_fit_size);

  return g_test_run ();
}
