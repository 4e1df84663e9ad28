/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-image-format"

#include <string.h>

#include "cin-image-format.h"

static const struct {
  const char *mime;
  const char *extension;
} formats[] = {
  [CIN_IMAGE_FORMAT_UNKNOWN] = { NULL, NULL },
  [CIN_IMAGE_FORMAT_JPEG] = { "image/jpeg", "jpg" },
  [CIN_IMAGE_FORMAT_PNG] = { "image/png", "png" },
  [CIN_IMAGE_FORMAT_WEBP] = { "image/webp", "webp" },
  [CIN_IMAGE_FORMAT_HEIF] = { "image/heic", "heic" },
};

/* HEIF brands whose primary image is HEVC. "mif1" alone is the generic
 * HEIF brand, also used by AVIF, so it counts only without an AV1 brand. */
static const char * const hevc_brands[] = { "heic", "heix", "hevc", "hevx", "heim", "heis" };
static const char * const av1_brands[] = { "avif", "avis" };

static gboolean
brand_in (const guint8       *brand,
          const char * const *brands,
          gsize               n_brands)
{
  for (gsize i = 0; i < n_brands; i++)
    if (memcmp (brand, brands[i], 4) == 0)
      return TRUE;
  return FALSE;
}

/* An ISO base media file starting with an "ftyp" box: size, "ftyp", the
 * major brand, a minor version, then compatible brands to the box's end. */
static gboolean
is_heif (const guint8 *data,
         gsize         len)
{
  guint32 box_size;
  gboolean hevc = FALSE, av1 = FALSE, generic = FALSE;

  if (len < 16 || memcmp (data + 4, "ftyp", 4) != 0)
    return FALSE;

  box_size = ((guint32)data[0] << 24) | ((guint32)data[1] << 16) | ((guint32)data[2] << 8) | data[3];
  if (box_size < 16)
    return FALSE;

  for (gsize at = 8; at + 4 <= MIN ((gsize)box_size, len); at += 4)
    {
      if (at == 12)
        continue;  /* the minor version, not a brand */
      hevc |= brand_in (data + at, hevc_brands, G_N_ELEMENTS (hevc_brands));
      av1 |= brand_in (data + at, av1_brands, G_N_ELEMENTS (av1_brands));
      generic |= memcmp (data + at, "mif1", 4) == 0 || memcmp (data + at, "msf1", 4) == 0;
    }

  return hevc || (generic && !av1);
}

CinImageFormat
cin_image_format_sniff (const guint8 *data,
                        gsize         len)
{
  static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_return_val_if_fail (data != NULL || len == 0, CIN_IMAGE_FORMAT_UNKNOWN);

  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return CIN_IMAGE_FORMAT_JPEG;
  if (len >= 8 && memcmp (data, png_signature, 8) == 0)
    return CIN_IMAGE_FORMAT_PNG;
  if (len >= 16 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBPVP8", 7) == 0)
    return CIN_IMAGE_FORMAT_WEBP;
  if (is_heif (data, len))
    return CIN_IMAGE_FORMAT_HEIF;

  return CIN_IMAGE_FORMAT_UNKNOWN;
}

const char *
cin_image_format_get_mime (CinImageFormat format)
{
  g_return_val_if_fail (format <= CIN_IMAGE_FORMAT_HEIF, NULL);
  return formats[format].mime;
}

const char *
cin_image_format_get_extension (CinImageFormat format)
{
  g_return_val_if_fail (format <= CIN_IMAGE_FORMAT_HEIF, NULL);
  return formats[format].extension;
}

CinImageFormat
cin_image_format_from_mime (const char *mime)
{
  if (mime == NULL)
    return CIN_IMAGE_FORMAT_UNKNOWN;

  for (guint i = CIN_IMAGE_FORMAT_JPEG; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (mime, formats[i].mime) == 0)
      return i;
  if (g_ascii_strcasecmp (mime, "image/heif") == 0)
    return CIN_IMAGE_FORMAT_HEIF;

  return CIN_IMAGE_FORMAT_UNKNOWN;
}

char *
cin_image_format_get_photo_path (const char *media_dir,
                                 const char *sha256,
                                 const char *mime)
{
  CinImageFormat format = cin_image_format_from_mime (mime);
  g_autofree char *basename = NULL;

  g_return_val_if_fail (media_dir != NULL, NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  if (format == CIN_IMAGE_FORMAT_UNKNOWN)
    format = CIN_IMAGE_FORMAT_JPEG;
  basename = g_strconcat (sha256, ".", cin_image_format_get_extension (format), NULL);
  return g_build_filename (media_dir, basename, NULL);
}
