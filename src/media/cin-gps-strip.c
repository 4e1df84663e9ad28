/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-gps-strip"

#include <errno.h>
#include <string.h>

#include "cin-gps-strip.h"
#include "cin-image-format.h"
#include "cin-media-error-private.h"
#include "cin-sha256.h"
#include "cin-temp-file.h"

/* Every offset in here comes from the file, which may have been made to
 * hurt: each one is checked against the length before it is read, with
 * sums that cannot wrap (a length minus an offset, never an offset plus a
 * length). */

#define TAG_GPS_IFD   0x8825
#define TYPE_LONG     4
#define TYPE_IFD      13
#define TEMP_PREFIX   ".gps-strip-"

/* ---- TIFF (the Exif block, from its byte-order mark on) ---------------- */

typedef enum {
  TIFF_NO_GPS,
  TIFF_STRIPPED,
  TIFF_MALFORMED,
} TiffResult;

typedef struct {
  guint8   *data;
  gsize     len;
  gboolean  big_endian;
  /* Byte ranges that zeroing the GPS IFD must not touch: the header and
   * the IFDs that are kept. */
  gsize     kept_start[3];
  gsize     kept_end[3];
  guint     n_kept;
} Tiff;

/* Whether @len bytes fit at @at. */
static inline gboolean
fits (const Tiff *tiff,
      gsize       at,
      gsize       len)
{
  return at <= tiff->len && tiff->len - at >= len;
}

static guint
get_u16 (const Tiff *tiff,
         gsize       at)
{
  const guint8 *p = tiff->data + at;

  g_assert (fits (tiff, at, 2));
  return tiff->big_endian ? (guint)(p[0] << 8 | p[1]) : (guint)(p[1] << 8 | p[0]);
}

static guint32
get_u32 (const Tiff *tiff,
         gsize       at)
{
  const guint8 *p = tiff->data + at;

  g_assert (fits (tiff, at, 4));
  return tiff->big_endian ? (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3]
                          : (guint32)p[3] << 24 | (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];
}

static void
put_u16 (Tiff  *tiff,
         gsize  at,
         guint  value)
{
  g_assert (fits (tiff, at, 2));
  tiff->data[at + (tiff->big_endian ? 0 : 1)] = (guint8)(value >> 8);
  tiff->data[at + (tiff->big_endian ? 1 : 0)] = (guint8)(value & 0xff);
}

/* Size in bytes of one value of a TIFF field type; 0 for types this
 * reader does not know. */
static gsize
type_size (guint type)
{
  switch (type)
    {
    case 1: case 2: case 6: case 7:
      return 1;
    case 3: case 8:
      return 2;
    case 4: case 9: case 11: case TYPE_IFD:
      return 4;
    case 5: case 10: case 12:
      return 8;
    default:
      return 0;
    }
}

/* The bytes an IFD of @n_entries takes: count, entries, next offset. */
static inline gsize
ifd_size (guint n_entries)
{
  return 2 + (gsize)n_entries * 12 + 4;
}

static gboolean
overlaps_kept (const Tiff *tiff,
               gsize       start,
               gsize       end)
{
  for (guint i = 0; i < tiff->n_kept; i++)
    if (start < tiff->kept_end[i] && tiff->kept_start[i] < end)
      return TRUE;
  return FALSE;
}

/* Overwrites [@at, @at + @len) with zeros, clipped to the block. */
static gboolean
zero_range (Tiff  *tiff,
            gsize  at,
            gsize  len)
{
  if (at >= tiff->len)
    return TRUE;  /* points outside the block: nothing there to remove */
  len = MIN (len, tiff->len - at);
  if (overlaps_kept (tiff, at, at + len))
    return FALSE;
  memset (tiff->data + at, 0, len);
  return TRUE;
}

/* Overwrites the GPS IFD at @offset and the values it points at. */
static gboolean
zero_gps_ifd (Tiff    *tiff,
              guint32  offset)
{
  guint n_entries;

  if (!fits (tiff, offset, 2))
    return offset >= tiff->len;
  n_entries = get_u16 (tiff, offset);
  if (!fits (tiff, offset, ifd_size (n_entries)) ||
      overlaps_kept (tiff, offset, offset + ifd_size (n_entries)))
    return FALSE;

  /* The values first: their offsets are in the entries. */
  for (guint i = 0; i < n_entries; i++)
    {
      gsize entry = offset + 2 + (gsize)i * 12;
      gsize size = type_size (get_u16 (tiff, entry + 2));
      guint32 count = get_u32 (tiff, entry + 4);

      if (size != 0 && count > G_MAXSIZE / size)
        return FALSE;
      if (size * count > 4 && !zero_range (tiff, get_u32 (tiff, entry + 8), size * count))
        return FALSE;
    }

  memset (tiff->data + offset, 0, ifd_size (n_entries));
  return TRUE;
}

/* Takes entry @index out of the IFD at @ifd: the entries after it and the
 * next-IFD offset move up, and the freed last entry becomes zeros. Tags
 * stay in ascending order, as TIFF wants. */
static void
remove_entry (Tiff  *tiff,
              gsize  ifd,
              guint  n_entries,
              guint  index)
{
  gsize entry = ifd + 2 + (gsize)index * 12;
  gsize end = ifd + ifd_size (n_entries);

  memmove (tiff->data + entry, tiff->data + entry + 12, end - entry - 12);
  memset (tiff->data + end - 12, 0, 12);
  put_u16 (tiff, ifd, n_entries - 1);
}

static TiffResult
strip_tiff (guint8 *data,
            gsize   len)
{
  Tiff tiff = { data, len, FALSE, { 0 }, { 0 }, 0 };
  gsize ifds[2] = { 0, 0 };
  guint n_entries[2] = { 0, 0 };
  guint n_ifds = 0;
  gboolean stripped = FALSE;
  guint32 next;

  if (len < 8)
    return TIFF_MALFORMED;
  if (data[0] == 'M' && data[1] == 'M')
    tiff.big_endian = TRUE;
  else if (!(data[0] == 'I' && data[1] == 'I'))
    return TIFF_MALFORMED;
  if (get_u16 (&tiff, 2) != 42)
    return TIFF_MALFORMED;

  tiff.kept_start[0] = 0;
  tiff.kept_end[0] = 8;
  tiff.n_kept = 1;

  /* IFD0 (the main image) and IFD1 (its thumbnail): the GPS pointer
   * belongs in IFD0, but some writers put tags where they like. Both are
   * walked before anything is zeroed, so that no zeroing reaches them. */
  next = get_u32 (&tiff, 4);
  while (next != 0 && n_ifds < G_N_ELEMENTS (ifds))
    {
      /* A thumbnail IFD pointing out of the block is not there for any
       * reader either; IFD0 must be. */
      if (n_ifds > 0 && next >= len)
        break;
      if (!fits (&tiff, next, 2))
        return TIFF_MALFORMED;
      n_entries[n_ifds] = get_u16 (&tiff, next);
      if (!fits (&tiff, next, ifd_size (n_entries[n_ifds])) ||
          overlaps_kept (&tiff, next, next + ifd_size (n_entries[n_ifds])))
        return TIFF_MALFORMED;
      ifds[n_ifds] = next;
      tiff.kept_start[tiff.n_kept] = next;
      tiff.kept_end[tiff.n_kept] = next + ifd_size (n_entries[n_ifds]);
      tiff.n_kept++;
      next = get_u32 (&tiff, next + 2 + (gsize)n_entries[n_ifds] * 12);
      n_ifds++;
    }
  if (n_ifds == 0)
    return TIFF_MALFORMED;

  for (guint k = 0; k < n_ifds; k++)
    {
      guint i = 0;

      while (i < n_entries[k])
        {
          gsize entry = ifds[k] + 2 + (gsize)i * 12;
          guint type;

          if (get_u16 (&tiff, entry) != TAG_GPS_IFD)
            {
              i++;
              continue;
            }

          type = get_u16 (&tiff, entry + 2);
          if ((type == TYPE_LONG || type == TYPE_IFD) && get_u32 (&tiff, entry + 4) == 1 &&
              !zero_gps_ifd (&tiff, get_u32 (&tiff, entry + 8)))
            return TIFF_MALFORMED;

          remove_entry (&tiff, ifds[k], n_entries[k], i);
          n_entries[k]--;
          /* The table is 12 bytes shorter now; the freed bytes are zeros
           * that nothing may be kept in. */
          tiff.kept_end[k + 1] -= 12;
          stripped = TRUE;
        }
    }

  return stripped ? TIFF_STRIPPED : TIFF_NO_GPS;
}

/* ---- helpers shared by the containers ---------------------------------- */

static gboolean
contains (const guint8 *data,
          gsize         len,
          const char   *needle)
{
  gsize n = strlen (needle);

  if (len < n)
    return FALSE;
  for (gsize i = 0; i <= len - n; i++)
    if (data[i] == (guint8)needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_prefix (const guint8 *data,
            gsize         len,
            const char   *prefix,
            gsize         prefix_len)
{
  return len >= prefix_len && memcmp (data, prefix, prefix_len) == 0;
}

static guint32
be32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

static guint32
le32 (const guint8 *p)
{
  return (guint32)p[3] << 24 | (guint32)p[2] << 16 | (guint32)p[1] << 8 | p[0];
}

#define EXIF_HEADER    "Exif\0\0"
#define EXIF_HEADER_LEN 6
#define XMP_MAIN       "http://ns.adobe.com/xap/1.0/"
#define XMP_EXTENDED   "http://ns.adobe.com/xmp/extension/"

/* ---- JPEG --------------------------------------------------------------- */

typedef enum {
  SEGMENT_OTHER,
  SEGMENT_EXIF,
  SEGMENT_XMP,
} SegmentKind;

typedef struct {
  gsize       start;  /* its 0xFF */
  gsize       end;
  SegmentKind kind;
} Segment;

static GBytes *
strip_jpeg (GBytes      *photo,
            const char  *name,
            GError     **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (photo, &len);
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_autoptr(GByteArray) out = NULL;
  gboolean drop_xmp = FALSE;
  gboolean changed = FALSE;
  gsize at = 2;
  gsize image_start = len;

  /* The metadata segments all come before the first scan; from there on
   * the file is copied as it is. */
  while (at < len)
    {
      Segment segment = { at, 0, SEGMENT_OTHER };
      guint8 marker;
      gsize length;
      const guint8 *payload;

      if (len - at < 2 || data[at] != 0xff)
        goto corrupt;
      marker = data[at + 1];
      if (marker == 0xff)
        {
          at++;  /* fill byte */
          continue;
        }
      if (marker == 0xd9 || marker == 0xda)
        {
          image_start = at;
          break;
        }
      if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
        {
          segment.end = at + 2;
          g_array_append_val (segments, segment);
          at += 2;
          continue;
        }
      if (len - at < 4)
        goto corrupt;
      length = (gsize)data[at + 2] << 8 | data[at + 3];
      if (length < 2 || len - at - 2 < length)
        goto corrupt;
      payload = data + at + 4;
      segment.end = at + 2 + length;

      if (marker == 0xe1 && has_prefix (payload, length - 2, EXIF_HEADER, EXIF_HEADER_LEN))
        segment.kind = SEGMENT_EXIF;
      else if (marker == 0xe1 && (has_prefix (payload, length - 2, XMP_MAIN, sizeof XMP_MAIN) ||
                                  has_prefix (payload, length - 2, XMP_EXTENDED, sizeof XMP_EXTENDED)))
        {
          segment.kind = SEGMENT_XMP;
          /* The extended parts belong to one packet: one mention drops
           * them all. */
          drop_xmp = drop_xmp || contains (payload, length - 2, "GPS");
        }
      g_array_append_val (segments, segment);
      at = segment.end;
    }
  if (image_start == len)
    goto corrupt;

  out = g_byte_array_sized_new (len);
  g_byte_array_append (out, data, 2);
  for (guint i = 0; i < segments->len; i++)
    {
      const Segment *segment = &g_array_index (segments, Segment, i);
      gsize seg_len = segment->end - segment->start;
      guint before = out->len;

      if (segment->kind == SEGMENT_XMP && drop_xmp)
        {
          changed = TRUE;
          continue;
        }

      g_byte_array_append (out, data + segment->start, seg_len);
      if (segment->kind != SEGMENT_EXIF)
        continue;

      switch (strip_tiff (out->data + before + 4 + EXIF_HEADER_LEN, seg_len - 4 - EXIF_HEADER_LEN))
        {
        case TIFF_NO_GPS:
          break;
        case TIFF_STRIPPED:
          changed = TRUE;
          break;
        case TIFF_MALFORMED:
          g_byte_array_set_size (out, before);
          changed = TRUE;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (!changed)
    return g_bytes_ref (photo);

  g_byte_array_append (out, data + image_start, len - image_start);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

corrupt:
  _cin_media_error_corrupt (error, name);
  return NULL;
}

/* ---- PNG ---------------------------------------------------------------- */

static guint32
png_crc (const guint8 *data,
         gsize         len)
{
  static guint32 table[256];
  static gsize table_ready;
  guint32 crc = 0xffffffffu;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static gboolean
is_png_text (const guint8 *type)
{
  return memcmp (type, "tEXt", 4) == 0 || memcmp (type, "zTXt", 4) == 0 ||
         memcmp (type, "iTXt", 4) == 0;
}

/* Whether a text chunk may hold a position: XMP that mentions GPS (or is
 * compressed), and ImageMagick's raw Exif and XMP profiles. */
static gboolean
is_located_text (const guint8 *type,
                 const guint8 *payload,
                 gsize         len)
{
  static const char xmp_keyword[] = "XML:com.adobe.xmp";
  static const char *raw_profiles[] = {
    "Raw profile type exif", "Raw profile type APP1", "Raw profile type xmp",
  };

  for (guint i = 0; i < G_N_ELEMENTS (raw_profiles); i++)
    if (has_prefix (payload, len, raw_profiles[i], strlen (raw_profiles[i]) + 1))
      return TRUE;

  if (memcmp (type, "iTXt", 4) == 0 && has_prefix (payload, len, xmp_keyword, sizeof xmp_keyword))
    {
      /* keyword\0, compression flag, method, language\0, translated\0 */
      gsize flag = sizeof xmp_keyword;

      return flag >= len || payload[flag] != 0 || contains (payload, len, "GPS");
    }
  return FALSE;
}

static GBytes *
strip_png (GBytes      *photo,
           const char  *name,
           GError     **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (photo, &len);
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len);
  gboolean changed = FALSE;
  gsize at = 8;

  if (len < 8)
    goto corrupt;
  g_byte_array_append (out, data, 8);
  while (at < len)
    {
      const guint8 *type;
      const guint8 *payload;
      gsize chunk_len, total;
      guint before = out->len;

      if (len - at < 12)
        goto corrupt;
      chunk_len = be32 (data + at);
      if (chunk_len > G_MAXINT32 || len - at - 12 < chunk_len)
        goto corrupt;
      total = 12 + chunk_len;
      type = data + at + 4;
      payload = data + at + 8;

      if (is_png_text (type) && is_located_text (type, payload, chunk_len))
        {
          changed = TRUE;
          at += total;
          continue;
        }

      g_byte_array_append (out, data + at, total);
      at += total;

      if (memcmp (type, "eXIf", 4) == 0)
        {
          guint8 *chunk = out->data + before;

          switch (strip_tiff (chunk + 8, chunk_len))
            {
            case TIFF_NO_GPS:
              break;
            case TIFF_STRIPPED:
              {
                guint32 crc = png_crc (chunk + 4, 4 + chunk_len);

                chunk[8 + chunk_len] = crc >> 24;
                chunk[9 + chunk_len] = (crc >> 16) & 0xff;
                chunk[10 + chunk_len] = (crc >> 8) & 0xff;
                chunk[11 + chunk_len] = crc & 0xff;
                changed = TRUE;
              }
              break;
            case TIFF_MALFORMED:
              g_byte_array_set_size (out, before);
              changed = TRUE;
              break;
            default:
              g_assert_not_reached ();
            }
        }
      else if (memcmp (type, "IEND", 4) == 0)
        {
          g_byte_array_append (out, data + at, len - at);
          break;
        }
    }

  if (!changed)
    return g_bytes_ref (photo);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

corrupt:
  _cin_media_error_corrupt (error, name);
  return NULL;
}

/* ---- WebP --------------------------------------------------------------- */

#define VP8X_FLAG_XMP  0x04
#define VP8X_FLAG_EXIF 0x08

static GBytes *
strip_webp (GBytes      *photo,
            const char  *name,
            GError     **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (photo, &len);
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len);
  gboolean changed = FALSE;
  guint8 cleared_flags = 0;
  gssize vp8x_flags = -1;  /* where in @out */
  gsize riff_end, at = 12;

  if (len < 12)
    goto corrupt;
  riff_end = le32 (data + 4);
  if (riff_end > len - 8)
    goto corrupt;
  riff_end += 8;

  g_byte_array_append (out, data, 12);
  while (at < riff_end)
    {
      const guint8 *fourcc;
      const guint8 *payload;
      gsize chunk_len, total;
      guint before = out->len;

      if (riff_end - at < 8)
        goto corrupt;
      fourcc = data + at;
      payload = data + at + 8;
      chunk_len = le32 (data + at + 4);
      if (riff_end - at - 8 < chunk_len)
        goto corrupt;
      /* Chunks are padded to an even length; a last pad byte may be
       * missing in files that otherwise decode. */
      total = 8 + chunk_len + (chunk_len & 1);
      total = MIN (total, riff_end - at);

      if (memcmp (fourcc, "XMP ", 4) == 0 && contains (payload, chunk_len, "GPS"))
        {
          cleared_flags |= VP8X_FLAG_XMP;
          changed = TRUE;
          at += total;
          continue;
        }

      g_byte_array_append (out, data + at, total);
      at += total;

      if (memcmp (fourcc, "VP8X", 4) == 0 && chunk_len >= 1 && vp8x_flags < 0)
        vp8x_flags = before + 8;
      else if (memcmp (fourcc, "EXIF", 4) == 0)
        {
          /* Some writers keep the JPEG's "Exif\0\0" in front of the TIFF. */
          gsize skip = has_prefix (payload, chunk_len, EXIF_HEADER, EXIF_HEADER_LEN) ? EXIF_HEADER_LEN : 0;

          switch (strip_tiff (out->data + before + 8 + skip, chunk_len - skip))
            {
            case TIFF_NO_GPS:
              break;
            case TIFF_STRIPPED:
              changed = TRUE;
              break;
            case TIFF_MALFORMED:
              g_byte_array_set_size (out, before);
              cleared_flags |= VP8X_FLAG_EXIF;
              changed = TRUE;
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }

  if (!changed)
    return g_bytes_ref (photo);

  if (vp8x_flags >= 0)
    out->data[vp8x_flags] &= (guint8)~cleared_flags;
  /* Whatever trailed the RIFF tree is left behind with the metadata. */
  {
    guint32 riff_size = out->len - 8;

    out->data[4] = riff_size & 0xff;
    out->data[5] = (riff_size >> 8) & 0xff;
    out->data[6] = (riff_size >> 16) & 0xff;
    out->data[7] = riff_size >> 24;
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

corrupt:
  _cin_media_error_corrupt (error, name);
  return NULL;
}

GBytes *
cin_gps_strip_bytes (GBytes      *photo,
                     const char  *name,
                     GError     **error)
{
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (photo != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (photo, &len);
  if (len > G_MAXUINT32)
    {
      /* GByteArray counts in guint; no photo the platform takes is near. */
      _cin_media_error_unsupported (error, name);
      return NULL;
    }

  switch (cin_image_format_sniff (data, len))
    {
    case CIN_IMAGE_FORMAT_JPEG:
      return strip_jpeg (photo, name, error);
    case CIN_IMAGE_FORMAT_PNG:
      return strip_png (photo, name, error);
    case CIN_IMAGE_FORMAT_WEBP:
      return strip_webp (photo, name, error);
    case CIN_IMAGE_FORMAT_HEIF:
    case CIN_IMAGE_FORMAT_UNKNOWN:
    default:
      _cin_media_error_unsupported (error, name);
      return NULL;
    }
}

/* ---- the upload copy ---------------------------------------------------- */

void
cin_gps_stripped_free (CinGpsStripped *stripped)
{
  if (stripped == NULL)
    return;
  g_free (stripped->path);
  g_free (stripped->sha256);
  g_free (stripped);
}

typedef struct {
  char *photo_path;
  char *cache_dir;
} StripJob;

static void
strip_job_free (StripJob *job)
{
  g_free (job->photo_path);
  g_free (job->cache_dir);
  g_free (job);
}

static char *
sha256_of (GBytes *bytes)
{
  g_autoptr(CinSha256) sha256 = cin_sha256_new ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  cin_sha256_update (sha256, data, len);
  return cin_sha256_finish (sha256);
}

static CinGpsStripped *
strip_file (StripJob      *job,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *name = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GBytes) stripped = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CinGpsStripped) result = g_new0 (CinGpsStripped, 1);
  g_auto(CinTempFile) temp = CIN_TEMP_FILE_INIT;
  g_autofree char *file_name = NULL;
  const guint8 *data;
  gsize len;

  {
    g_autofree char *base = g_path_get_basename (job->photo_path);
    name = g_filename_display_name (base);
  }

  mapped = g_mapped_file_new (job->photo_path, FALSE, &local_error);
  if (mapped == NULL)
    {
      _cin_media_error_missing (error, job->photo_path);
      return NULL;
    }
  photo = g_mapped_file_get_bytes (mapped);

  stripped = cin_gps_strip_bytes (photo, name, error);
  if (stripped == NULL)
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  result->sha256 = sha256_of (stripped);
  data = g_bytes_get_data (stripped, &len);
  result->size = len;

  if (stripped == photo)
    {
      result->path = g_strdup (job->photo_path);
      return g_steal_pointer (&result);
    }

  file_name = g_strconcat (result->sha256, ".",
                           cin_image_format_get_extension (cin_image_format_sniff (data, len)),
                           NULL);
  result->path = g_build_filename (job->cache_dir, file_name, NULL);
  result->is_copy = TRUE;
  if (!cin_temp_file_open (&temp, job->cache_dir, TEMP_PREFIX) ||
      !cin_temp_file_write (&temp, data, len) ||
      !cin_temp_file_commit (&temp, result->path))
    {
      _cin_media_error_store_failed (error, name, errno);
      return NULL;
    }

  return g_steal_pointer (&result);
}

static void
strip_file_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  CinGpsStripped *result;

  if (g_task_return_error_if_cancelled (task))
    return;

  result = strip_file (task_data, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)cin_gps_stripped_free);
}

void
cin_gps_strip_file_async (const char          *photo_path,
                          const char          *cache_dir,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StripJob *job;

  g_return_if_fail (photo_path != NULL);
  g_return_if_fail (cache_dir != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (StripJob, 1);
  job->photo_path = g_strdup (photo_path);
  job->cache_dir = g_strdup (cache_dir);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cin_gps_strip_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify)strip_job_free);
  g_task_run_in_thread (task, strip_file_thread);
}

CinGpsStripped *
cin_gps_strip_file_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cin_gps_strip_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
