/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stored photo uploaded as it is leaves without its GPS position and
 * with everything else: the Exif structure is written here by hand, in
 * both byte orders, and read back by hand. */
#define G_LOG_DOMAIN "test-gps-strip"

#include <string.h>

#include <glib/gstdio.h>

#include "cin-exif.h"
#include "cin-gps-strip.h"
#include "cin-media-upload.h"
#include "media-test-util.h"

#define TAG_MAKE        0x010f
#define TAG_ORIENTATION 0x0112
#define TAG_EXIF_IFD    0x8769
#define TAG_GPS_IFD     0x8825
#define TAG_DATE_TIME   0x9003

/* Distinctive numerators: none of their bytes may survive stripping. */
#define LATITUDE_DEGREES  0x31415926u
#define LONGITUDE_DEGREES 0x27182818u

static const char make[] = "Cinnabar Test Camera";
static const char date_time[] = "2026:11:23 10:20:30";

/* ---- writing TIFF by hand ---------------------------------------------- */

static void
put_u16 (GByteArray *out,
         guint       value,
         gboolean    big_endian)
{
  guint8 b[2];

  b[0] = big_endian ? (guint8)(value >> 8) : (guint8)(value & 0xff);
  b[1] = big_endian ? (guint8)(value & 0xff) : (guint8)(value >> 8);
  g_byte_array_append (out, b, 2);
}

static void
put_u32 (GByteArray *out,
         guint32     value,
         gboolean    big_endian)
{
  put_u16 (out, big_endian ? value >> 16 : value & 0xffff, big_endian);
  put_u16 (out, big_endian ? value & 0xffff : value >> 16, big_endian);
}

static void
put_entry (GByteArray *out,
           guint       tag,
           guint       type,
           guint32     count,
           guint32     value,
           gboolean    big_endian)
{
  put_u16 (out, tag, big_endian);
  put_u16 (out, type, big_endian);
  put_u32 (out, count, big_endian);
  if (type == 3 && count == 1)
    {
      put_u16 (out, value, big_endian);
      put_u16 (out, 0, big_endian);
    }
  else
    put_u32 (out, value, big_endian);
}

static void
put_inline_ascii (GByteArray *out,
                  guint       tag,
                  const char *text,
                  gboolean    big_endian)
{
  guint8 value[4] = { 0 };

  memcpy (value, text, strlen (text));
  put_u16 (out, tag, big_endian);
  put_u16 (out, 2, big_endian);
  put_u32 (out, (guint32)strlen (text) + 1, big_endian);
  g_byte_array_append (out, value, 4);
}

static void
put_rationals (GByteArray *out,
               guint32     degrees,
               gboolean    big_endian)
{
  put_u32 (out, degrees, big_endian);
  put_u32 (out, 1, big_endian);
  put_u32 (out, 30, big_endian);
  put_u32 (out, 1, big_endian);
  put_u32 (out, 1234, big_endian);
  put_u32 (out, 100, big_endian);
}

/* A camera's Exif block: IFD0 with Make, Orientation, the Exif IFD
 * (DateTimeOriginal) and, when @with_gps, a GPS IFD whose latitude and
 * longitude are rationals stored out of line. */
static GBytes *
make_tiff (guint    orientation,
           gboolean big_endian,
           gboolean with_gps)
{
  g_autoptr(GByteArray) tiff = g_byte_array_new ();
  guint n_ifd0 = with_gps ? 4 : 3;
  guint32 make_at = 8 + 2 + n_ifd0 * 12 + 4;
  guint32 exif_ifd_at = make_at + sizeof make;
  guint32 date_at = exif_ifd_at + 2 + 12 + 4;
  guint32 gps_ifd_at = date_at + sizeof date_time;
  guint32 latitude_at = gps_ifd_at + 2 + 4 * 12 + 4;
  guint32 longitude_at = latitude_at + 24;

  g_byte_array_append (tiff, (const guint8 *)(big_endian ? "MM" : "II"), 2);
  put_u16 (tiff, 42, big_endian);
  put_u32 (tiff, 8, big_endian);

  put_u16 (tiff, n_ifd0, big_endian);
  put_entry (tiff, TAG_MAKE, 2, sizeof make, make_at, big_endian);
  put_entry (tiff, TAG_ORIENTATION, 3, 1, orientation, big_endian);
  put_entry (tiff, TAG_EXIF_IFD, 4, 1, exif_ifd_at, big_endian);
  if (with_gps)
    put_entry (tiff, TAG_GPS_IFD, 4, 1, gps_ifd_at, big_endian);
  put_u32 (tiff, 0, big_endian);
  g_assert_cmpuint (tiff->len, ==, make_at);
  g_byte_array_append (tiff, (const guint8 *)make, sizeof make);

  put_u16 (tiff, 1, big_endian);
  put_entry (tiff, TAG_DATE_TIME, 2, sizeof date_time, date_at, big_endian);
  put_u32 (tiff, 0, big_endian);
  g_byte_array_append (tiff, (const guint8 *)date_time, sizeof date_time);

  if (with_gps)
    {
      g_assert_cmpuint (tiff->len, ==, gps_ifd_at);
      put_u16 (tiff, 4, big_endian);
      put_inline_ascii (tiff, 0x0001, "N", big_endian);
      put_entry (tiff, 0x0002, 5, 3, latitude_at, big_endian);
      put_inline_ascii (tiff, 0x0003, "E", big_endian);
      put_entry (tiff, 0x0004, 5, 3, longitude_at, big_endian);
      put_u32 (tiff, 0, big_endian);
      put_rationals (tiff, LATITUDE_DEGREES, big_endian);
      put_rationals (tiff, LONGITUDE_DEGREES, big_endian);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&tiff));
}

/* @jpeg with APP1 segments holding @exif ("Exif\0\0" + TIFF) and @xmp,
 * right after its start of image. */
static GBytes *
jpeg_with (GBytes     *jpeg,
           GBytes     *exif,
           const char *xmp)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (jpeg, &len);

  g_byte_array_append (out, data, 2);
  if (exif != NULL)
    {
      gsize tiff_len;
      const guint8 *tiff = g_bytes_get_data (exif, &tiff_len);
      guint segment = 2 + 6 + (guint)tiff_len;
      guint8 header[4] = { 0xff, 0xe1, segment >> 8, segment & 0xff };

      g_byte_array_append (out, header, 4);
      g_byte_array_append (out, (const guint8 *)"Exif\0\0", 6);
      g_byte_array_append (out, tiff, (guint)tiff_len);
    }
  if (xmp != NULL)
    {
      static const char ns[] = "http://ns.adobe.com/xap/1.0/";
      guint segment = 2 + sizeof ns + (guint)strlen (xmp);
      guint8 header[4] = { 0xff, 0xe1, segment >> 8, segment & 0xff };

      g_byte_array_append (out, header, 4);
      g_byte_array_append (out, (const guint8 *)ns, sizeof ns);
      g_byte_array_append (out, (const guint8 *)xmp, (guint)strlen (xmp));
    }
  g_byte_array_append (out, data + 2, (guint)(len - 2));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---- reading it back by hand ------------------------------------------- */

typedef struct {
  const guint8 *data;
  gsize         len;
  gboolean      big_endian;
} Tiff;

static gboolean
tiff_init (Tiff         *tiff,
           const guint8 *data,
           gsize         len)
{
  tiff->data = data;
  tiff->len = len;
  if (len < 8 || !((data[0] == 'M' && data[1] == 'M') || (data[0] == 'I' && data[1] == 'I')))
    return FALSE;
  tiff->big_endian = data[0] == 'M';
  return TRUE;
}

static gboolean
tiff_u16 (const Tiff *tiff,
          gsize       at,
          guint      *value)
{
  if (at > tiff->len || tiff->len - at < 2)
    return FALSE;
  *value = tiff->big_endian ? (guint)(tiff->data[at] << 8 | tiff->data[at + 1])
                            : (guint)(tiff->data[at + 1] << 8 | tiff->data[at]);
  return TRUE;
}

static gboolean
tiff_u32 (const Tiff *tiff,
          gsize       at,
          guint32    *value)
{
  guint a, b;

  if (!tiff_u16 (tiff, at, &a) || !tiff_u16 (tiff, at + 2, &b))
    return FALSE;
  *value = tiff->big_endian ? (guint32)a << 16 | b : (guint32)b << 16 | a;
  return TRUE;
}

/* The value field of @tag in the IFD at @ifd, if it is there. */
static gboolean
tiff_find (const Tiff *tiff,
           guint32     ifd,
           guint       tag,
           guint32    *value_at)
{
  guint n;

  if (!tiff_u16 (tiff, ifd, &n))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gsize entry = (gsize)ifd + 2 + (gsize)i * 12;
      guint entry_tag;

      if (!tiff_u16 (tiff, entry, &entry_tag))
        return FALSE;
      if (entry_tag == tag)
        {
          *value_at = (guint32)(entry + 8);
          return TRUE;
        }
    }
  return FALSE;
}

static guint32
tiff_ifd0 (const Tiff *tiff)
{
  guint32 ifd0 = 0;

  g_assert_true (tiff_u32 (tiff, 4, &ifd0));
  return ifd0;
}

/* The TIFF block of @jpeg's Exif segment, or NULL. */
static const guint8 *
jpeg_exif (GBytes *jpeg,
           gsize  *tiff_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  gsize at = 2;

  while (at + 4 <= len && data[at] == 0xff && data[at + 1] != 0xda)
    {
      gsize length = (gsize)data[at + 2] << 8 | data[at + 3];

      if (data[at + 1] == 0xe1 && length >= 8 && memcmp (data + at + 4, "Exif\0\0", 6) == 0)
        {
          *tiff_len = length - 8;
          return data + at + 10;
        }
      at += 2 + length;
    }
  return NULL;
}

static gboolean
bytes_contain (GBytes       *bytes,
               const guint8 *needle,
               gsize         needle_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* Neither coordinate is left anywhere in @bytes, in either byte order. */
static void
assert_no_coordinates (GBytes *bytes)
{
  guint32 values[] = { LATITUDE_DEGREES, LONGITUDE_DEGREES };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      guint8 be[4] = { values[i] >> 24, (values[i] >> 16) & 0xff, (values[i] >> 8) & 0xff, values[i] & 0xff };
      guint8 le[4] = { be[3], be[2], be[1], be[0] };

      g_assert_false (bytes_contain (bytes, be, 4));
      g_assert_false (bytes_contain (bytes, le, 4));
    }
}

static void
assert_has_coordinates (GBytes *bytes)
{
  guint8 be[4] = { LATITUDE_DEGREES >> 24, (LATITUDE_DEGREES >> 16) & 0xff,
                   (LATITUDE_DEGREES >> 8) & 0xff, LATITUDE_DEGREES & 0xff };
  guint8 le[4] = { be[3], be[2], be[1], be[0] };

  g_assert_true (bytes_contain (bytes, be, 4) || bytes_contain (bytes, le, 4));
}

/* Everything but the position is still in the Exif block. */
static void
assert_exif_kept (const guint8 *data,
                  gsize         len,
                  guint         orientation)
{
  Tiff tiff;
  guint32 at, exif_ifd, text_at;
  guint value;

  g_assert_true (tiff_init (&tiff, data, len));
  g_assert_cmpuint (cin_exif_get_orientation (data, len), ==, orientation);
  g_assert_false (tiff_find (&tiff, tiff_ifd0 (&tiff), TAG_GPS_IFD, &at));

  g_assert_true (tiff_find (&tiff, tiff_ifd0 (&tiff), TAG_ORIENTATION, &at));
  g_assert_true (tiff_u16 (&tiff, at, &value));
  g_assert_cmpuint (value, ==, orientation);

  g_assert_true (tiff_find (&tiff, tiff_ifd0 (&tiff), TAG_MAKE, &at));
  g_assert_true (tiff_u32 (&tiff, at, &text_at));
  g_assert_cmpuint (text_at, <=, len - sizeof make);
  g_assert_cmpstr ((const char *)data + text_at, ==, make);

  g_assert_true (tiff_find (&tiff, tiff_ifd0 (&tiff), TAG_EXIF_IFD, &at));
  g_assert_true (tiff_u32 (&tiff, at, &exif_ifd));
  g_assert_true (tiff_find (&tiff, exif_ifd, TAG_DATE_TIME, &at));
  g_assert_true (tiff_u32 (&tiff, at, &text_at));
  g_assert_cmpuint (text_at, <=, len - sizeof date_time);
  g_assert_cmpstr ((const char *)data + text_at, ==, date_time);
}

/* The loader is chosen by type: with the test's private XDG dirs there is
 * no MIME database for GdkPixbuf to sniff with. */
static GdkPixbuf *
decode (GBytes *bytes)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpuint (len, >, 12);
  loader = gdk_pixbuf_loader_new_with_type (data[0] == 0xff ? "jpeg" : data[0] == 0x89 ? "png" : "webp",
                                            &error);
  g_assert_no_error (error);

  gdk_pixbuf_loader_write (loader, data, len, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
assert_same_pixels (GBytes *a,
                    GBytes *b)
{
  g_autoptr(GdkPixbuf) pa = decode (a);
  g_autoptr(GdkPixbuf) pb = decode (b);
  g_autoptr(GBytes) da = NULL;
  g_autoptr(GBytes) db = NULL;

  g_assert_cmpint (gdk_pixbuf_get_width (pa), ==, gdk_pixbuf_get_width (pb));
  g_assert_cmpint (gdk_pixbuf_get_height (pa), ==, gdk_pixbuf_get_height (pb));
  g_assert_cmpint (gdk_pixbuf_get_has_alpha (pa), ==, gdk_pixbuf_get_has_alpha (pb));
  da = gdk_pixbuf_read_pixel_bytes (pa);
  db = gdk_pixbuf_read_pixel_bytes (pb);
  g_assert_true (g_bytes_equal (da, db));
}

static GBytes *
strip (GBytes *photo)
{
  g_autoptr(GError) error = NULL;
  GBytes *stripped = cin_gps_strip_bytes (photo, "photo.jpg", &error);

  g_assert_no_error (error);
  g_assert_nonnull (stripped);
  return stripped;
}

static GBytes *
plain_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (48, 64, FALSE);

  return media_test_encode (pixbuf, "jpeg");
}

/* ---- JPEG --------------------------------------------------------------- */

static void
test_jpeg_gps_removed (gconstpointer data)
{
  gboolean big_endian = GPOINTER_TO_INT (data);
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) tiff = make_tiff (6, big_endian, TRUE);
  g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, NULL);
  g_autoptr(GBytes) stripped = strip (photo);
  const guint8 *exif;
  gsize exif_len = 0;

  assert_has_coordinates (photo);
  g_assert_false (g_bytes_equal (photo, stripped));
  /* Stripped in place: nothing else moved. */
  g_assert_cmpuint (g_bytes_get_size (stripped), ==, g_bytes_get_size (photo));

  exif = jpeg_exif (stripped, &exif_len);
  g_assert_nonnull (exif);
  assert_exif_kept (exif, exif_len, 6);
  assert_no_coordinates (stripped);
  assert_same_pixels (photo, stripped);

  /* Stripping again finds nothing more to remove. */
  {
    g_autoptr(GBytes) again = strip (stripped);

    g_assert_true (again == stripped);
  }
}

static void
test_jpeg_without_gps_unchanged (void)
{
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) plain_stripped = strip (jpeg);
  g_autoptr(GBytes) xmp_photo = jpeg_with (jpeg, NULL,
                                           "<x:xmpmeta><rdf:Description photoshop:City=\"Chengdu\"/></x:xmpmeta>");
  g_autoptr(GBytes) xmp_stripped = strip (xmp_photo);

  g_assert_true (plain_stripped == jpeg);
  g_assert_true (xmp_stripped == xmp_photo);

  for (guint order = 0; order < 2; order++)
    {
      g_autoptr(GBytes) tiff = make_tiff (3, order == 1, FALSE);
      g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, NULL);
      g_autoptr(GBytes) stripped = strip (photo);
      g_autofree char *before = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
      g_autofree char *after = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, stripped);

      g_assert_true (stripped == photo);
      g_assert_cmpstr (before, ==, after);
    }
}

static void
test_jpeg_xmp_gps_dropped (void)
{
  static const char xmp[] =
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF><rdf:Description "
    "exif:GPSLatitude=\"30,39.5N\" exif:GPSLongitude=\"104,4.1E\"/></rdf:RDF></x:xmpmeta>";
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) tiff = make_tiff (1, FALSE, FALSE);
  g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, xmp);
  g_autoptr(GBytes) stripped = strip (photo);
  const guint8 *exif;
  gsize exif_len = 0;

  g_assert_true (bytes_contain (photo, (const guint8 *)"GPSLatitude", 11));
  g_assert_false (bytes_contain (stripped, (const guint8 *)"GPSLatitude", 11));
  g_assert_false (bytes_contain (stripped, (const guint8 *)"ns.adobe.com/xap", 16));
  exif = jpeg_exif (stripped, &exif_len);
  g_assert_nonnull (exif);
  assert_exif_kept (exif, exif_len, 1);
  assert_same_pixels (photo, stripped);
}

/* A Exif block that cannot be followed is dropped whole, never read past
 * its end. */
static void
test_jpeg_malformed_exif_dropped (void)
{
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  static const guint8 bad_ifd0[] = { 'I', 'I', 42, 0, 0xff, 0xff, 0, 0 };
  static const guint8 bad_order[] = { 'X', 'X', 42, 0, 8, 0, 0, 0, 0, 0 };
  static const guint8 huge_count[] = { 'M', 'M', 0, 42, 0, 0, 0, 8, 0xff, 0xff, 0x88, 0x25 };
  const guint8 *blocks[] = { bad_ifd0, bad_order, huge_count };
  gsize lens[] = { sizeof bad_ifd0, sizeof bad_order, sizeof huge_count };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    {
      g_autoptr(GBytes) tiff = g_bytes_new_static (blocks[i], lens[i]);
      g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, NULL);
      g_autoptr(GBytes) stripped = strip (photo);
      gsize exif_len = 0;

      g_assert_null (jpeg_exif (stripped, &exif_len));
      assert_same_pixels (jpeg, stripped);
    }

  /* A GPS IFD pointing into IFD0 itself: zeroing it would wipe what is
   * kept, so the block goes. */
  {
    g_autoptr(GBytes) good = make_tiff (6, TRUE, TRUE);
    g_autoptr(GByteArray) tiff = g_byte_array_new ();
    g_autoptr(GBytes) bad = NULL;
    g_autoptr(GBytes) photo = NULL;
    g_autoptr(GBytes) stripped = NULL;
    guint32 gps_value_at = 8 + 2 + 3 * 12 + 8;
    gsize exif_len = 0;

    g_byte_array_append (tiff, g_bytes_get_data (good, NULL), (guint)g_bytes_get_size (good));
    tiff->data[gps_value_at] = 0;
    tiff->data[gps_value_at + 1] = 0;
    tiff->data[gps_value_at + 2] = 0;
    tiff->data[gps_value_at + 3] = 8;
    bad = g_byte_array_free_to_bytes (g_steal_pointer (&tiff));
    photo = jpeg_with (jpeg, bad, NULL);
    stripped = strip (photo);
    g_assert_null (jpeg_exif (stripped, &exif_len));
    assert_no_coordinates (stripped);
  }
}

/* Every prefix of a photo, and every single-byte change to its Exif
 * block: an error or bytes back, never a crash (the sanitizer build
 * watches), and never a GPS pointer left in an Exif block that reads. */
static void
test_jpeg_hostile (void)
{
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) tiff = make_tiff (6, FALSE, TRUE);
  g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);
  gsize len = g_bytes_get_size (photo);
  gsize tiff_len = g_bytes_get_size (tiff);

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (photo, 0, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) stripped = cin_gps_strip_bytes (truncated, "cut.jpg", &error);

      g_assert_true ((stripped == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (error->domain == CIN_MEDIA_ERROR && error->message[0] != '\0');
    }

  for (guint round = 0; round < 4000; round++)
    {
      g_autoptr(GByteArray) mutated = g_byte_array_new ();
      g_autoptr(GBytes) input = NULL;
      g_autoptr(GBytes) stripped = NULL;
      g_autoptr(GError) error = NULL;
      guint changes = (guint)g_rand_int_range (rand, 1, 4);

      g_byte_array_append (mutated, g_bytes_get_data (photo, NULL), (guint)len);
      for (guint c = 0; c < changes; c++)
        mutated->data[2 + 4 + 6 + g_rand_int_range (rand, 0, (gint32)tiff_len)] =
          (guint8)g_rand_int_range (rand, 0, 256);
      input = g_byte_array_free_to_bytes (g_steal_pointer (&mutated));

      stripped = cin_gps_strip_bytes (input, "mutated.jpg", &error);
      g_assert_no_error (error);
      {
        Tiff read;
        gsize exif_len = 0;
        const guint8 *exif = jpeg_exif (stripped, &exif_len);
        guint32 ifd0, at;

        if (exif != NULL && tiff_init (&read, exif, exif_len) && tiff_u32 (&read, 4, &ifd0))
          g_assert_false (tiff_find (&read, ifd0, TAG_GPS_IFD, &at));
      }
    }
}

/* ---- PNG ---------------------------------------------------------------- */

static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return crc ^ 0xffffffffu;
}

/* @png with an eXIf chunk holding @tiff after its IHDR. */
static GBytes *
png_with_exif (GBytes *png,
               GBytes *tiff)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) chunk = g_byte_array_new ();
  gsize len, tiff_len;
  const guint8 *data = g_bytes_get_data (png, &len);
  const guint8 *tiff_data = g_bytes_get_data (tiff, &tiff_len);
  gsize after_ihdr = 8 + 12 + 13;

  g_byte_array_append (chunk, (const guint8 *)"eXIf", 4);
  g_byte_array_append (chunk, tiff_data, (guint)tiff_len);
  g_byte_array_append (out, data, (guint)after_ihdr);
  put_u32 (out, (guint32)tiff_len, TRUE);
  g_byte_array_append (out, chunk->data, chunk->len);
  put_u32 (out, crc32_of (chunk->data, chunk->len), TRUE);
  g_byte_array_append (out, data + after_ihdr, (guint)(len - after_ihdr));
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The eXIf chunk's TIFF, after checking its CRC. */
static const guint8 *
png_exif (GBytes *png,
          gsize  *tiff_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (png, &len);
  gsize at = 8;

  while (at + 12 <= len)
    {
      gsize chunk_len = (gsize)data[at] << 24 | (gsize)data[at + 1] << 16 | (gsize)data[at + 2] << 8 | data[at + 3];
      const guint8 *crc = data + at + 8 + chunk_len;

      g_assert_cmpuint (at + 12 + chunk_len, <=, len);
      g_assert_cmpuint (crc32_of (data + at + 4, chunk_len + 4), ==,
                        (guint32)crc[0] << 24 | (guint32)crc[1] << 16 | (guint32)crc[2] << 8 | crc[3]);
      if (memcmp (data + at + 4, "eXIf", 4) == 0)
        {
          *tiff_len = chunk_len;
          return data + at + 8;
        }
      at += 12 + chunk_len;
    }
  return NULL;
}

static void
test_png_gps_removed (gconstpointer data)
{
  gboolean big_endian = GPOINTER_TO_INT (data);
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (40, 30, TRUE);
  g_autoptr(GBytes) png = media_test_encode (pixbuf, "png");
  g_autoptr(GBytes) tiff = make_tiff (8, big_endian, TRUE);
  g_autoptr(GBytes) photo = png_with_exif (png, tiff);
  g_autoptr(GBytes) stripped = strip (photo);
  g_autoptr(GBytes) plain_tiff = make_tiff (8, big_endian, FALSE);
  g_autoptr(GBytes) plain = png_with_exif (png, plain_tiff);
  g_autoptr(GBytes) plain_stripped = strip (plain);
  const guint8 *exif;
  gsize exif_len = 0;

  assert_has_coordinates (photo);
  exif = png_exif (stripped, &exif_len);
  g_assert_nonnull (exif);
  assert_exif_kept (exif, exif_len, 8);
  assert_no_coordinates (stripped);
  assert_same_pixels (photo, stripped);

  g_assert_true (plain_stripped == plain);
}

/* ---- WebP --------------------------------------------------------------- */

static void
put_le32 (GByteArray *out,
          guint32     value)
{
  put_u32 (out, value, FALSE);
}

static void
put_riff_chunk (GByteArray   *out,
                const char   *fourcc,
                const guint8 *data,
                gsize         len)
{
  g_byte_array_append (out, (const guint8 *)fourcc, 4);
  put_le32 (out, (guint32)len);
  g_byte_array_append (out, data, (guint)len);
  if (len & 1)
    g_byte_array_append (out, (const guint8 *)"", 1);
}

/* An extended WebP: VP8X, @webp's image chunk, then EXIF and XMP. */
static GBytes *
webp_with (GBytes     *webp,
           guint       width,
           guint       height,
           GBytes     *tiff,
           const char *xmp)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (webp, &len);
  guint8 vp8x[10] = { 0 };
  guint32 image_len;

  g_assert_cmpuint (len, >, 20);
  g_assert_true (memcmp (data + 12, "VP8", 3) == 0);
  image_len = (guint32)data[16] | (guint32)data[17] << 8 | (guint32)data[18] << 16 | (guint32)data[19] << 24;

  vp8x[0] = (tiff != NULL ? 0x08 : 0) | (xmp != NULL ? 0x04 : 0);
  vp8x[4] = (width - 1) & 0xff;
  vp8x[5] = ((width - 1) >> 8) & 0xff;
  vp8x[7] = (height - 1) & 0xff;
  vp8x[8] = ((height - 1) >> 8) & 0xff;

  g_byte_array_append (out, (const guint8 *)"RIFF\0\0\0\0WEBP", 12);
  put_riff_chunk (out, "VP8X", vp8x, sizeof vp8x);
  put_riff_chunk (out, (const char *)data + 12, data + 20, image_len);
  if (tiff != NULL)
    put_riff_chunk (out, "EXIF", g_bytes_get_data (tiff, NULL), g_bytes_get_size (tiff));
  if (xmp != NULL)
    put_riff_chunk (out, "XMP ", (const guint8 *)xmp, strlen (xmp));
  out->data[4] = (out->len - 8) & 0xff;
  out->data[5] = ((out->len - 8) >> 8) & 0xff;
  out->data[6] = ((out->len - 8) >> 16) & 0xff;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
test_webp_gps_removed (void)
{
  g_autoptr(GdkPixbuf) pixbuf = media_test_marked_pixbuf (32, 48, FALSE);
  g_autoptr(GBytes) webp = media_test_webp (pixbuf);
  g_autoptr(GBytes) tiff = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GBytes) stripped = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) plain_stripped = NULL;
  gsize len;
  const guint8 *data;
  gsize at = 12;
  gboolean saw_exif = FALSE;

  if (webp == NULL)
    return;

  tiff = make_tiff (6, TRUE, TRUE);
  photo = webp_with (webp, 32, 48, tiff, "<x:xmpmeta exif:GPSLatitude=\"30,39.5N\"/>");
  stripped = strip (photo);
  assert_no_coordinates (stripped);
  g_assert_false (bytes_contain (stripped, (const guint8 *)"GPSLatitude", 11));
  assert_same_pixels (photo, stripped);

  /* The RIFF size matches, the XMP flag is gone, the Exif is kept. */
  data = g_bytes_get_data (stripped, &len);
  g_assert_cmpuint ((guint32)data[4] | (guint32)data[5] << 8 | (guint32)data[6] << 16 | (guint32)data[7] << 24,
                    ==, len - 8);
  g_assert_true (memcmp (data + 12, "VP8X", 4) == 0);
  g_assert_cmpuint (data[20], ==, 0x08);
  while (at + 8 <= len)
    {
      gsize chunk_len = (gsize)data[at + 4] | (gsize)data[at + 5] << 8 | (gsize)data[at + 6] << 16;

      if (memcmp (data + at, "EXIF", 4) == 0)
        {
          assert_exif_kept (data + at + 8, chunk_len, 6);
          saw_exif = TRUE;
        }
      at += 8 + chunk_len + (chunk_len & 1);
    }
  g_assert_true (saw_exif);

  plain = webp_with (webp, 32, 48, NULL, "<x:xmpmeta photoshop:City=\"Chengdu\"/>");
  plain_stripped = strip (plain);
  g_assert_true (plain_stripped == plain);
}

/* ---- the upload copy ---------------------------------------------------- */

static void
on_stripped_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static CinGpsStripped *
strip_file (const char  *path,
            const char  *cache_dir,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_gps_strip_file_async (path, cache_dir, NULL, on_stripped_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cin_gps_strip_file_finish (result, error);
}

static void
test_file_copy (void)
{
  g_autofree char *root = media_test_make_dir ("gps-strip");
  g_autofree char *cache = g_build_filename (root, "uploads", NULL);
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) tiff = make_tiff (6, FALSE, TRUE);
  g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, NULL);
  g_autofree char *located = media_test_write (root, "located.jpg", photo);
  g_autofree char *plain = media_test_write (root, "plain.jpg", jpeg);
  g_autofree char *plain_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jpeg);
  g_autoptr(GError) error = NULL;
  g_autoptr(CinGpsStripped) stripped = NULL;
  g_autoptr(CinGpsStripped) unchanged = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  stripped = strip_file (located, cache, &error);
  g_assert_no_error (error);
  g_assert_true (stripped->is_copy);
  g_assert_true (g_str_has_prefix (stripped->path, cache));
  g_assert_true (g_str_has_suffix (stripped->path, ".jpg"));
  g_assert_true (g_file_get_contents (stripped->path, &contents, &len, &error));
  g_assert_cmpuint (len, ==, stripped->size);
  {
    g_autoptr(GBytes) written = g_bytes_new_take (g_steal_pointer (&contents), len);
    g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, written);

    g_assert_cmpstr (sha256, ==, stripped->sha256);
    assert_no_coordinates (written);
    assert_same_pixels (photo, written);
  }
  /* Only the finished copy is left in the cache: no temporary files. */
  g_assert_cmpuint (media_test_count_entries (cache), ==, 1);

  unchanged = strip_file (plain, cache, &error);
  g_assert_no_error (error);
  g_assert_false (unchanged->is_copy);
  g_assert_cmpstr (unchanged->path, ==, plain);
  g_assert_cmpstr (unchanged->sha256, ==, plain_sha256);
  g_assert_cmpuint (unchanged->size, ==, g_bytes_get_size (jpeg));
  g_assert_cmpuint (media_test_count_entries (cache), ==, 1);

  media_test_remove_tree (root);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static char *
prepare_upload (MediaTestHome *home,
                const char    *sha256,
                const char    *mime,
                gboolean       keep_location,
                const char    *cache,
                char         **uploaded_sha256,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_media_library_prepare_upload_async (home->library, sha256, mime, keep_location, cache, NULL,
                                          store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cin_media_library_prepare_upload_finish (home->library, result, uploaded_sha256, error);
}

/* What the sync engine uploads for a stored photo: without the position
 * unless the creator keeps it, and the same file every time. */
static void
test_prepare_upload (void)
{
  MediaTestHome home = { NULL, };
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) tiff = make_tiff (1, FALSE, TRUE);
  g_autoptr(GBytes) photo = jpeg_with (jpeg, tiff, NULL);
  g_autoptr(CinImportedPhoto) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *path = NULL;
  g_autofree char *again = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *again_sha256 = NULL;
  g_autofree char *kept_sha256 = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  media_test_home_set_up (&home, "prepare-upload", 0);
  cache = g_build_filename (home.root, "uploads", NULL);
  imported = media_test_home_import (&home, "located.jpg", photo, &error);
  g_assert_no_error (error);

  path = prepare_upload (&home, cin_imported_photo_get_sha256 (imported),
                         cin_imported_photo_get_mime (imported), FALSE, cache, &sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha256, !=, cin_imported_photo_get_sha256 (imported));
  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  {
    g_autoptr(GBytes) written = g_bytes_new_take (g_steal_pointer (&contents), len);
    g_autofree char *written_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, written);

    g_assert_cmpstr (written_sha256, ==, sha256);
    assert_no_coordinates (written);
  }

  again = prepare_upload (&home, cin_imported_photo_get_sha256 (imported),
                          cin_imported_photo_get_mime (imported), FALSE, cache, &again_sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, path);
  g_assert_cmpstr (again_sha256, ==, sha256);

  /* Opted in: the stored file as it is. */
  kept = prepare_upload (&home, cin_imported_photo_get_sha256 (imported),
                         cin_imported_photo_get_mime (imported), TRUE, cache, &kept_sha256, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, cin_imported_photo_get_path (imported));
  g_assert_cmpstr (kept_sha256, ==, cin_imported_photo_get_sha256 (imported));

  g_clear_pointer (&imported, cin_imported_photo_unref);
  media_test_home_tear_down (&home);
}

static void
test_file_errors (void)
{
  g_autofree char *root = media_test_make_dir ("gps-strip-errors");
  g_autofree char *cache = g_build_filename (root, "uploads", NULL);
  g_autofree char *missing = g_build_filename (root, "gone.jpg", NULL);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a photo at all", 18);
  g_autofree char *text = media_test_write (root, "text.jpg", garbage);
  g_autoptr(GBytes) jpeg = plain_jpeg ();
  g_autoptr(GBytes) cut = media_test_truncate (jpeg, 40);
  g_autofree char *broken = media_test_write (root, "broken.jpg", cut);
  g_autoptr(GError) error = NULL;
  CinGpsStripped *stripped;

  stripped = strip_file (missing, cache, &error);
  g_assert_null (stripped);
  media_test_assert_error (error, CIN_MEDIA_ERROR_MISSING);
  g_clear_error (&error);

  stripped = strip_file (text, cache, &error);
  g_assert_null (stripped);
  media_test_assert_error (error, CIN_MEDIA_ERROR_UNSUPPORTED_FORMAT);
  g_clear_error (&error);

  stripped = strip_file (broken, cache, &error);
  g_assert_null (stripped);
  media_test_assert_error (error, CIN_MEDIA_ERROR_CORRUPT);
  g_assert_cmpuint (media_test_count_entries (cache), ==, 0);

  media_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_data_func ("/gps-strip/jpeg/little-endian", GINT_TO_POINTER (FALSE), test_jpeg_gps_removed);
  g_test_add_data_func ("/gps-strip/jpeg/big-endian", GINT_TO_POINTER (TRUE), test_jpeg_gps_removed);
  g_test_add_func ("/gps-strip/jpeg/without-gps-unchanged", test_jpeg_without_gps_unchanged);
  g_test_add_func ("/gps-strip/jpeg/xmp-gps-dropped", test_jpeg_xmp_gps_dropped);
  g_test_add_func ("/gps-strip/jpeg/malformed-exif-dropped", test_jpeg_malformed_exif_dropped);
  g_test_add_func ("/gps-strip/jpeg/hostile", test_jpeg_hostile);
  g_test_add_data_func ("/gps-strip/png/little-endian", GINT_TO_POINTER (FALSE), test_png_gps_removed);
  g_test_add_data_func ("/gps-strip/png/big-endian", GINT_TO_POINTER (TRUE), test_png_gps_removed);
  g_test_add_func ("/gps-strip/webp", test_webp_gps_removed);
  g_test_add_func ("/gps-strip/file/copy", test_file_copy);
  g_test_add_func ("/gps-strip/file/errors", test_file_errors);
  g_test_add_func ("/gps-strip/prepare-upload", test_prepare_upload);

  return g_test_run ();
}
