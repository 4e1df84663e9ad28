/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "media-test-util"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <jpeglib.h>

#ifdef HAVE_LIBHEIF
#include <libheif/heif.h>
#endif

#include "cin-media-error.h"
#include "media-test-util.h"

const MediaTestColour media_test_red = { 220, 30, 30, 255 };
const MediaTestColour media_test_green = { 30, 200, 60, 255 };
const MediaTestColour media_test_grey = { 128, 128, 128, 255 };

/* JPEG blurs colours a little, more so at block edges. */
#define COLOUR_TOLERANCE 48

char *
media_test_make_dir (const char *name)
{
  g_autofree char *template = g_strconcat ("cin-media-", name, "-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

void
media_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, entry, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        media_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

guint
media_test_count_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

char *
media_test_write (const char *dir,
                  const char *name,
                  GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_file_set_contents (path, data, (gssize)len, &error);
  g_assert_no_error (error);
  return path;
}

static void
put_pixel (GdkPixbuf       *pixbuf,
           guint            x,
           guint            y,
           MediaTestColour  colour)
{
  guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + y * (guint)gdk_pixbuf_get_rowstride (pixbuf) +
              x * (guint)gdk_pixbuf_get_n_channels (pixbuf);

  p[0] = colour.r;
  p[1] = colour.g;
  p[2] = colour.b;
  if (gdk_pixbuf_get_has_alpha (pixbuf))
    p[3] = colour.a;
}

MediaTestColour
media_test_pixbuf_pixel (GdkPixbuf *pixbuf,
                         guint      x,
                         guint      y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * (guint)gdk_pixbuf_get_rowstride (pixbuf) +
                    x * (guint)gdk_pixbuf_get_n_channels (pixbuf);

  return (MediaTestColour) { p[0], p[1], p[2], gdk_pixbuf_get_has_alpha (pixbuf) ? p[3] : 255 };
}

GdkPixbuf *
media_test_marked_pixbuf (guint    width,
                          guint    height,
                          gboolean with_alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, with_alpha, 8, (int)width, (int)height);

  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        MediaTestColour colour = media_test_grey;

        if (y < height / 4 && x < width / 4)
          colour = media_test_red;
        else if (y < height / 4 && x >= width - width / 4)
          colour = media_test_green;
        else if (with_alpha && y >= height - height / 4 && x < width / 4)
          colour = (MediaTestColour) { 0, 0, 0, 0 };
        put_pixel (pixbuf, x, y, colour);
      }

  return pixbuf;
}

/* Where the stored pixel (x, y) of a sw × sh image is displayed under
 * each Exif orientation, straight from the Exif definitions. */
static void
displayed_position (guint  orientation,
                    guint  sw,
                    guint  sh,
                    guint  x,
                    guint  y,
                    guint *dx,
                    guint *dy)
{
  switch (orientation)
    {
    case 1: *dx = x; *dy = y; break;
    case 2: *dx = sw - 1 - x; *dy = y; break;
    case 3: *dx = sw - 1 - x; *dy = sh - 1 - y; break;
    case 4: *dx = x; *dy = sh - 1 - y; break;
    case 5: *dx = y; *dy = x; break;
    case 6: *dx = sh - 1 - y; *dy = x; break;
    case 7: *dx = sh - 1 - y; *dy = sw - 1 - x; break;
    case 8: *dx = y; *dy = sw - 1 - x; break;
    default: g_assert_not_reached ();
    }
}

GdkPixbuf *
media_test_stored_for (GdkPixbuf *display,
                       guint      orientation)
{
  guint width = (guint)gdk_pixbuf_get_width (display);
  guint height = (guint)gdk_pixbuf_get_height (display);
  gboolean turned = orientation >= 5;
  guint sw = turned ? height : width;
  guint sh = turned ? width : height;
  GdkPixbuf *stored = gdk_pixbuf_new (GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (display), 8,
                                      (int)sw, (int)sh);

  for (guint y = 0; y < sh; y++)
    for (guint x = 0; x < sw; x++)
      {
        guint dx, dy;

        displayed_position (orientation, sw, sh, x, y, &dx, &dy);
        put_pixel (stored, x, y, media_test_pixbuf_pixel (display, dx, dy));
      }

  return stored;
}

GBytes *
media_test_encode (GdkPixbuf  *pixbuf,
                   const char *type)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len;

  if (g_str_equal (type, "jpeg"))
    gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, type, &error, "quality", "95", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, type, &error, NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
put_u16 (GByteArray *out,
         guint       value,
         gboolean    big_endian)
{
  guint8 b[2] = { big_endian ? value >> 8 : value & 0xff, big_endian ? value & 0xff : value >> 8 };

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

GBytes *
media_test_add_exif (GBytes   *jpeg,
                     guint     orientation,
                     gboolean  big_endian,
                     gboolean  with_gps)
{
  g_autoptr(GByteArray) tiff = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  guint entries = with_gps ? 2 : 1;
  guint32 gps_ifd = 8 + 2 + entries * 12 + 4;

  g_assert_true (len > 2 && data[0] == 0xff && data[1] == 0xd8);

  /* TIFF header, IFD0 with Orientation (and a GPS IFD pointer). */
  g_byte_array_append (tiff, (const guint8 *)(big_endian ? "MM" : "II"), 2);
  put_u16 (tiff, 42, big_endian);
  put_u32 (tiff, 8, big_endian);
  put_u16 (tiff, entries, big_endian);
  put_entry (tiff, 0x0112, 3, 1, orientation, big_endian);
  if (with_gps)
    put_entry (tiff, 0x8825, 4, 1, gps_ifd, big_endian);
  put_u32 (tiff, 0, big_endian);
  if (with_gps)
    {
      /* GPSLatitudeRef "N" and GPSLongitudeRef "E", inline ASCII. */
      put_u16 (tiff, 2, big_endian);
      put_u16 (tiff, 0x0001, big_endian);
      put_u16 (tiff, 2, big_endian);
      put_u32 (tiff, 2, big_endian);
      g_byte_array_append (tiff, (const guint8 *)"N\0\0\0", 4);
      put_u16 (tiff, 0x0003, big_endian);
      put_u16 (tiff, 2, big_endian);
      put_u32 (tiff, 2, big_endian);
      g_byte_array_append (tiff, (const guint8 *)"E\0\0\0", 4);
      put_u32 (tiff, 0, big_endian);
    }

  g_byte_array_append (out, data, 2);
  {
    guint segment = 2 + 6 + tiff->len;
    guint8 header[4] = { 0xff, 0xe1, segment >> 8, segment & 0xff };

    g_byte_array_append (out, header, 4);
    g_byte_array_append (out, (const guint8 *)"Exif\0\0", 6);
    g_byte_array_append (out, tiff->data, tiff->len);
  }
  g_byte_array_append (out, data + 2, (guint)(len - 2));

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

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

static void
put_png_chunk (GByteArray   *out,
               const char   *type,
               const guint8 *data,
               guint32       len)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  put_u32 (out, len, TRUE);
  g_byte_array_append (body, (const guint8 *)type, 4);
  g_byte_array_append (body, data, len);
  g_byte_array_append (out, body->data, body->len);
  put_u32 (out, crc32_of (body->data, body->len), TRUE);
}

GBytes *
media_test_png_header (guint32 width,
                       guint32 height)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  /* A zlib stream of a few zero bytes: far fewer than the header claims. */
  static const guint8 idat[] = { 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) ihdr = g_byte_array_new ();

  g_byte_array_append (out, signature, sizeof signature);
  put_u32 (ihdr, width, TRUE);
  put_u32 (ihdr, height, TRUE);
  g_byte_array_append (ihdr, (const guint8 *)"\x08\x06\x00\x00\x00", 5);  /* 8-bit RGBA */
  put_png_chunk (out, "IHDR", ihdr->data, ihdr->len);
  put_png_chunk (out, "IDAT", idat, sizeof idat);
  put_png_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
media_test_photo_jpeg (guint width,
                       guint height,
                       guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int)width, (int)height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  guint rowstride = (guint)gdk_pixbuf_get_rowstride (pixbuf);
  guint32 state = seed * 2654435761u + 1;

  /* Smooth light with a little sensor noise: it compresses like a photo
   * (about 3 bits a pixel at quality 90), not like a flat test card. */
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * rowstride + x * 3;
        int noise;

        state = state * 1664525u + 1013904223u;
        noise = (int)(state >> 27) - 16;
        p[0] = (guint8)CLAMP ((int)(x * 200 / width) + 30 + noise, 0, 255);
        p[1] = (guint8)CLAMP ((int)(y * 180 / height) + 40 + noise, 0, 255);
        p[2] = (guint8)CLAMP ((int)((x + y + seed * 97) % 255) + noise / 2, 0, 255);
      }

  {
    g_autoptr(GError) error = NULL;
    char *data = NULL;
    gsize len;

    gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, "jpeg", &error, "quality", "90", NULL);
    g_assert_no_error (error);
    return g_bytes_new_take (data, len);
  }
}

GBytes *
media_test_libjpeg (GdkPixbuf *pixbuf,
                    gboolean   progressive,
                    gboolean   grayscale)
{
  struct jpeg_compress_struct info;
  struct jpeg_error_mgr error;
  unsigned char *data = NULL;
  unsigned long len = 0;
  guint width = (guint)gdk_pixbuf_get_width (pixbuf);
  guint height = (guint)gdk_pixbuf_get_height (pixbuf);
  g_autofree guint8 *row = g_malloc ((gsize)width * 3);
  GBytes *bytes;

  info.err = jpeg_std_error (&error);
  jpeg_create_compress (&info);
  jpeg_mem_dest (&info, &data, &len);
  info.image_width = width;
  info.image_height = height;
  info.input_components = grayscale ? 1 : 3;
  info.in_color_space = grayscale ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&info);
  jpeg_set_quality (&info, 95, TRUE);
  if (progressive)
    jpeg_simple_progression (&info);
  jpeg_start_compress (&info, TRUE);
  while (info.next_scanline < height)
    {
      JSAMPROW rows[1] = { row };

      for (guint x = 0; x < width; x++)
        {
          MediaTestColour c = media_test_pixbuf_pixel (pixbuf, x, info.next_scanline);

          if (grayscale)
            row[x] = (guint8)((c.r * 77 + c.g * 150 + c.b * 29) >> 8);
          else
            {
              row[3 * x] = c.r;
              row[3 * x + 1] = c.g;
              row[3 * x + 2] = c.b;
            }
        }
      jpeg_write_scanlines (&info, rows, 1);
    }
  jpeg_finish_compress (&info);
  jpeg_destroy_compress (&info);

  bytes = g_bytes_new (data, len);
  free (data);
  return bytes;
}

static gboolean
can_save (const char *type)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *name = gdk_pixbuf_format_get_name (l->data);

      if (g_str_equal (name, type) && gdk_pixbuf_format_is_writable (l->data))
        return TRUE;
    }
  return FALSE;
}

GBytes *
media_test_webp (GdkPixbuf *pixbuf)
{
  if (!can_save ("webp"))
    {
      g_test_skip ("GdkPixbuf cannot write WebP here: install webp-pixbuf-loader");
      return NULL;
    }
  return media_test_encode (pixbuf, "webp");
}

#ifdef HAVE_LIBHEIF
static struct heif_error
write_heif_cb (struct heif_context *context,
               const void          *data,
               size_t               size,
               void                *user_data)
{
  g_byte_array_append (user_data, data, (guint)size);
  return (struct heif_error) { heif_error_Ok, heif_suberror_Unspecified, "" };
}
#endif

GBytes *
media_test_heic (GdkPixbuf *pixbuf,
                 guint      orientation)
{
#ifdef HAVE_LIBHEIF
  struct heif_context *context;
  struct heif_encoder *encoder = NULL;
  struct heif_image *image = NULL;
  struct heif_encoding_options *options;
  struct heif_writer writer = { 1, write_heif_cb };
  GByteArray *out;
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int stride;
  guint8 *plane;

  heif_init (NULL);
  if (!heif_have_encoder_for_format (heif_compression_HEVC))
    {
      g_test_skip ("libheif has no HEVC encoder here (it needs x265)");
      return NULL;
    }

  context = heif_context_alloc ();
  g_assert_cmpint (heif_context_get_encoder_for_format (context, heif_compression_HEVC, &encoder).code, ==,
                   heif_error_Ok);
  heif_encoder_set_lossy_quality (encoder, 95);
  g_assert_cmpint (heif_image_create (width, height, heif_colorspace_RGB,
                                      alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB,
                                      &image).code, ==, heif_error_Ok);
  g_assert_cmpint (heif_image_add_plane (image, heif_channel_interleaved, width, height, 8).code, ==,
                   heif_error_Ok);
  plane = heif_image_get_plane (image, heif_channel_interleaved, &stride);
  for (int y = 0; y < height; y++)
    memcpy (plane + y * stride, gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf),
            (gsize)width * (alpha ? 4 : 3));

  options = heif_encoding_options_alloc ();
  options->image_orientation = (enum heif_orientation)orientation;
  g_assert_cmpint (heif_context_encode_image (context, image, encoder, options, NULL).code, ==,
                   heif_error_Ok);
  heif_encoding_options_free (options);

  out = g_byte_array_new ();
  g_assert_cmpint (heif_context_write (context, &writer, out).code, ==, heif_error_Ok);

  heif_image_release (image);
  heif_encoder_release (encoder);
  heif_context_free (context);
  return g_byte_array_free_to_bytes (out);
#else
  g_test_skip ("Built without libheif");
  return NULL;
#endif
}

GBytes *
media_test_truncate (GBytes *bytes,
                     gsize   len)
{
  g_assert_cmpuint (len, <, g_bytes_get_size (bytes));
  return g_bytes_new_from_bytes (bytes, 0, len);
}

void
media_test_wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s never appeared", path);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

void
media_test_dispose_library (CinMediaLibrary **library)
{
  gpointer alive = *library;

  if (alive == NULL)
    return;
  g_object_add_weak_pointer (alive, &alive);
  g_clear_object (library);
  while (alive != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

CinImportedPhoto *
media_test_import (CinMediaLibrary  *library,
                   const char       *path,
                   GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  cin_media_library_import_async (library, file, NULL, on_result_cb, &result);
  return cin_media_library_import_finish (library, wait_for (&result), error);
}

GdkTexture *
media_test_thumbnail (CinMediaLibrary  *library,
                      const char       *sha256,
                      const char       *mime,
                      guint             size,
                      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cin_media_library_load_thumbnail_async (library, sha256, mime, size, NULL, on_result_cb, &result);
  return cin_media_library_load_thumbnail_finish (library, wait_for (&result), error);
}

MediaTestColour
media_test_texture_pixel (GdkTexture *texture,
                          guint       x,
                          guint       y)
{
  guint width = (guint)gdk_texture_get_width (texture);
  guint height = (guint)gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize)width * height * 4);
  guint32 argb;
  guint8 a;

  g_assert_cmpuint (x, <, width);
  g_assert_cmpuint (y, <, height);

  /* Cairo's format: native-endian premultiplied ARGB. */
  gdk_texture_download (texture, data, width * 4);
  memcpy (&argb, data + ((gsize)y * width + x) * 4, 4);
  a = argb >> 24;
  if (a == 0)
    return (MediaTestColour) { 0, 0, 0, 0 };
  return (MediaTestColour) {
    (guint8)((((argb >> 16) & 0xff) * 255 + a / 2) / a),
    (guint8)((((argb >> 8) & 0xff) * 255 + a / 2) / a),
    (guint8)(((argb & 0xff) * 255 + a / 2) / a),
    a,
  };
}

void
media_test_assert_colour (MediaTestColour  colour,
                          MediaTestColour  expected,
                          const char      *where)
{
  if (ABS ((int)colour.r - expected.r) > COLOUR_TOLERANCE ||
      ABS ((int)colour.g - expected.g) > COLOUR_TOLERANCE ||
      ABS ((int)colour.b - expected.b) > COLOUR_TOLERANCE ||
      ABS ((int)colour.a - expected.a) > COLOUR_TOLERANCE)
    g_error ("%s: found rgba(%u, %u, %u, %u), expected rgba(%u, %u, %u, %u)", where,
             colour.r, colour.g, colour.b, colour.a, expected.r, expected.g, expected.b, expected.a);
}

void
media_test_assert_upright (GdkTexture *texture)
{
  guint width = (guint)gdk_texture_get_width (texture);
  guint height = (guint)gdk_texture_get_height (texture);

  /* The centre of each corner block, away from its blurred edges. */
  media_test_assert_colour (media_test_texture_pixel (texture, width / 8, height / 8),
                            media_test_red, "top left");
  media_test_assert_colour (media_test_texture_pixel (texture, width - 1 - width / 8, height / 8),
                            media_test_green, "top right");
  media_test_assert_colour (media_test_texture_pixel (texture, width - 1 - width / 8,
                                                      height - 1 - height / 8),
                            media_test_grey, "bottom right");
  media_test_assert_colour (media_test_texture_pixel (texture, width / 2, height / 2),
                            media_test_grey, "centre");
}

void
media_test_assert_error (GError        *error,
                         CinMediaError  code)
{
  g_assert_error (error, CIN_MEDIA_ERROR, (int)code);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

void
media_test_home_set_up (MediaTestHome *home,
                        const char    *name,
                        guint          import_thumbnail_size)
{
  home->root = media_test_make_dir (name);
  home->sources = g_build_filename (home->root, "Pictures", NULL);
  home->media_dir = g_build_filename (home->root, "media", NULL);
  home->thumbnail_dir = g_build_filename (home->root, "thumbnails", NULL);
  g_mkdir_with_parents (home->sources, 0700);
  home->library = cin_media_library_new (home->media_dir, home->thumbnail_dir);
  cin_media_library_set_import_thumbnail_size (home->library, import_thumbnail_size);
}

void
media_test_home_tear_down (MediaTestHome *home)
{
  media_test_dispose_library (&home->library);
  media_test_remove_tree (home->root);
  g_clear_pointer (&home->root, g_free);
  g_clear_pointer (&home->sources, g_free);
  g_clear_pointer (&home->media_dir, g_free);
  g_clear_pointer (&home->thumbnail_dir, g_free);
}

CinImportedPhoto *
media_test_home_import (MediaTestHome  *home,
                        const char     *name,
                        GBytes         *bytes,
                        GError        **error)
{
  g_autofree char *path = media_test_write (home->sources, name, bytes);

  return media_test_import (home->library, path, error);
}
