/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-sniff"

#include <string.h>

#include "cin-media-sniff.h"
#include "cin-media-bytes.h"

static const struct {
  CinMediaKind  kind;
  const char   *mime;
  const char   *name;
  const char   *extension;
} formats[] = {
  [CIN_MEDIA_FORMAT_UNKNOWN]  = { CIN_MEDIA_KIND_NONE,  "application/octet-stream", "unknown", "bin" },
  [CIN_MEDIA_FORMAT_JPEG]     = { CIN_MEDIA_KIND_PHOTO, "image/jpeg",       "jpeg",     "jpg" },
  [CIN_MEDIA_FORMAT_PNG]      = { CIN_MEDIA_KIND_PHOTO, "image/png",        "png",      "png" },
  [CIN_MEDIA_FORMAT_WEBP]     = { CIN_MEDIA_KIND_PHOTO, "image/webp",       "webp",     "webp" },
  [CIN_MEDIA_FORMAT_HEIF]     = { CIN_MEDIA_KIND_PHOTO, "image/heif",       "heif",     "heif" },
  [CIN_MEDIA_FORMAT_MP4]      = { CIN_MEDIA_KIND_VIDEO, "video/mp4",        "mp4",      "mp4" },
  [CIN_MEDIA_FORMAT_M4V]      = { CIN_MEDIA_KIND_VIDEO, "video/x-m4v",      "m4v",      "m4v" },
  [CIN_MEDIA_FORMAT_MOV]      = { CIN_MEDIA_KIND_VIDEO, "video/quicktime",  "mov",      "mov" },
  [CIN_MEDIA_FORMAT_MATROSKA] = { CIN_MEDIA_KIND_VIDEO, "video/x-matroska", "mkv",      "mkv" },
  [CIN_MEDIA_FORMAT_WEBM]     = { CIN_MEDIA_KIND_VIDEO, "video/webm",       "webm",     "webm" },
  [CIN_MEDIA_FORMAT_MPEG_PS]  = { CIN_MEDIA_KIND_VIDEO, "video/mpeg",       "mpeg",     "mpg" },
  [CIN_MEDIA_FORMAT_MPEG_TS]  = { CIN_MEDIA_KIND_VIDEO, "video/mp2t",       "ts",       "ts" },
};

/* ISO base media brands (the "ftyp" box). Still-image HEIF brands are told
 * apart from video so a HEIC photo gets its own answer; audio-only MPEG-4
 * (M4A, M4B) is neither photo nor video. */
static const char * const heif_brands[] = {
  "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs",
  "mif1", "mif2", "msf1", "avif", "avis", NULL,
};
static const char * const audio_brands[] = {
  "M4A ", "M4B ", "M4P ", "F4A ", "F4B ", NULL,
};
static const char * const m4v_brands[] = { "M4V ", "M4VH", "M4VP", NULL };
static const char * const mp4_brands[] = {
  "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
  "mp41", "mp42", "mp71", "avc1", "hvc1", "dash", "msnv", "MSNV", "XAVC",
  "NDAS", "f4v ", "mmp4", "3gp4", "3gp5", "3gp6", "3gp7", "3gg6", "3g2a",
  "3g2b", "3g2c", NULL,
};

static gboolean
brand_in (const guint8       *brand,
          const char * const *set)
{
  for (guint i = 0; set[i] != NULL; i++)
    if (memcmp (brand, set[i], 4) == 0)
      return TRUE;
  return FALSE;
}

static CinMediaFormat
sniff_ftyp (const guint8 *head,
            gsize         head_len)
{
  guint64 box_size = cin_media_read_be32 (head);
  gsize end;
  const guint8 *major = head + 8;

  if (box_size < 16)
    return CIN_MEDIA_FORMAT_UNKNOWN;
  end = (gsize) MIN (box_size, head_len);

  if (brand_in (major, heif_brands))
    return CIN_MEDIA_FORMAT_HEIF;
  if (brand_in (major, audio_brands))
    return CIN_MEDIA_FORMAT_UNKNOWN;
  if (memcmp (major, "qt  ", 4) == 0)
    return CIN_MEDIA_FORMAT_MOV;
  if (brand_in (major, m4v_brands))
    return CIN_MEDIA_FORMAT_M4V;
  if (brand_in (major, mp4_brands))
    return CIN_MEDIA_FORMAT_MP4;

  /* An unfamiliar major brand: the compatible brands (after the 4-byte
   * minor version) say what a player may treat the file as. */
  for (gsize at = 16; at + 4 <= end; at += 4)
    {
      if (brand_in (head + at, heif_brands))
        return CIN_MEDIA_FORMAT_HEIF;
      if (brand_in (head + at, mp4_brands))
        return CIN_MEDIA_FORMAT_MP4;
      if (memcmp (head + at, "qt  ", 4) == 0)
        return CIN_MEDIA_FORMAT_MOV;
    }
  return CIN_MEDIA_FORMAT_UNKNOWN;
}

/* QuickTime files older than the ftyp box start straight with an atom. */
static gboolean
looks_like_bare_quicktime (const guint8 *head,
                           gsize         head_len)
{
  static const char * const first_atoms[] = {
    "moov", "mdat", "wide", "free", "skip", "pnot", NULL,
  };
  guint32 size;

  if (head_len < 8 || !brand_in (head + 4, first_atoms))
    return FALSE;
  size = cin_media_read_be32 (head);
  return size == 0 || size == 1 || size >= 8;
}

/* Matroska and WebM share the EBML container; the EBML header's DocType
 * element says which. */
static CinMediaFormat
sniff_ebml (const guint8 *head,
            gsize         head_len)
{
  gsize at = 4;
  guint64 header_size;
  gsize header_end;

  if (!cin_media_read_ebml_size (head, head_len, &at, &header_size, NULL))
    return CIN_MEDIA_FORMAT_UNKNOWN;
  header_end = (gsize) MIN ((guint64) head_len, at + header_size);

  while (at < header_end)
    {
      guint64 id, size;

      if (!cin_media_read_ebml_id (head, header_end, &at, &id) ||
          !cin_media_read_ebml_size (head, header_end, &at, &size, NULL) ||
          size > header_end - at)
        break;

      if (id == 0x4282)  /* DocType */
        {
          if (size == 4 && memcmp (head + at, "webm", 4) == 0)
            return CIN_MEDIA_FORMAT_WEBM;
          if (size == 8 && memcmp (head + at, "matroska", 8) == 0)
            return CIN_MEDIA_FORMAT_MATROSKA;
          return CIN_MEDIA_FORMAT_UNKNOWN;
        }
      at += size;
    }
  return CIN_MEDIA_FORMAT_UNKNOWN;
}

/* Transport streams: a sync byte every 188 bytes (every 192 in the
 * M2TS/AVCHD variant, after a 4-byte time code). Three in a row. */
static gboolean
looks_like_transport_stream (const guint8 *head,
                             gsize         head_len)
{
  static const struct { gsize first; gsize stride; } layouts[] = {
    { 0, 188 }, { 4, 192 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      gsize first = layouts[i].first, stride = layouts[i].stride;

      if (head_len > first + 2 * stride &&
          head[first] == 0x47 &&
          head[first + stride] == 0x47 &&
          head[first + 2 * stride] == 0x47)
        return TRUE;
    }
  return FALSE;
}

CinMediaFormat
cin_media_sniff (const guint8 *head,
                 gsize         head_len)
{
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 ebml_magic[] = { 0x1a, 0x45, 0xdf, 0xa3 };
  static const guint8 mpeg_ps_pack[] = { 0x00, 0x00, 0x01, 0xba };

  g_return_val_if_fail (head != NULL || head_len == 0, CIN_MEDIA_FORMAT_UNKNOWN);

  if (head_len >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff)
    return CIN_MEDIA_FORMAT_JPEG;
  if (head_len >= sizeof png_signature &&
      memcmp (head, png_signature, sizeof png_signature) == 0)
    return CIN_MEDIA_FORMAT_PNG;
  if (head_len >= 16 &&
      memcmp (head, "RIFF", 4) == 0 &&
      memcmp (head + 8, "WEBP", 4) == 0 &&
      (memcmp (head + 12, "VP8 ", 4) == 0 ||
       memcmp (head + 12, "VP8L", 4) == 0 ||
       memcmp (head + 12, "VP8X", 4) == 0))
    return CIN_MEDIA_FORMAT_WEBP;
  if (head_len >= 16 && memcmp (head + 4, "ftyp", 4) == 0)
    return sniff_ftyp (head, head_len);
  if (head_len >= 4 && memcmp (head, ebml_magic, 4) == 0)
    return sniff_ebml (head, head_len);
  if (head_len >= 4 && memcmp (head, mpeg_ps_pack, 4) == 0)
    return CIN_MEDIA_FORMAT_MPEG_PS;
  if (looks_like_transport_stream (head, head_len))
    return CIN_MEDIA_FORMAT_MPEG_TS;
  if (looks_like_bare_quicktime (head, head_len))
    return CIN_MEDIA_FORMAT_MOV;

  return CIN_MEDIA_FORMAT_UNKNOWN;
}

CinMediaKind
cin_media_format_get_kind (CinMediaFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), CIN_MEDIA_KIND_NONE);
  return formats[format].kind;
}

const char *
cin_media_format_get_mime (CinMediaFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].mime;
}

const char *
cin_media_format_get_name (CinMediaFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].name;
}

const char *
cin_media_format_get_extension (CinMediaFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (formats), NULL);
  return formats[format].extension;
}

CinMediaFormat
cin_media_format_from_name (const char *name)
{
  g_return_val_if_fail (name != NULL, CIN_MEDIA_FORMAT_UNKNOWN);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].name, name) == 0)
      return (CinMediaFormat) i;
  return CIN_MEDIA_FORMAT_UNKNOWN;
}
