/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-exif"

#include "cin-exif.h"

#define TAG_ORIENTATION 0x0112
#define TYPE_SHORT      3

typedef struct {
  const guint8 *data;
  gsize         len;
  gboolean      big_endian;
} Tiff;

static gboolean
read_u16 (const Tiff *tiff,
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
read_u32 (const Tiff *tiff,
          gsize       at,
          guint32    *value)
{
  guint hi, lo;

  if (!read_u16 (tiff, tiff->big_endian ? at : at + 2, &hi) ||
      !read_u16 (tiff, tiff->big_endian ? at + 2 : at, &lo))
    return FALSE;
  *value = (guint32)hi << 16 | lo;
  return TRUE;
}

guint
cin_exif_get_orientation (const guint8 *data,
                          gsize         len)
{
  Tiff tiff = { data, len, FALSE };
  guint32 ifd;
  guint magic, n_entries;

  if (data == NULL || len < 8)
    return 1;
  if (data[0] == 'M' && data[1] == 'M')
    tiff.big_endian = TRUE;
  else if (!(data[0] == 'I' && data[1] == 'I'))
    return 1;

  if (!read_u16 (&tiff, 2, &magic) || magic != 42 ||
      !read_u32 (&tiff, 4, &ifd) || !read_u16 (&tiff, ifd, &n_entries))
    return 1;

  /* IFD0: 12-byte entries of tag, type, count and a value that fits in
   * the entry's last four bytes, as a SHORT does. */
  for (guint i = 0; i < n_entries; i++)
    {
      gsize entry = (gsize)ifd + 2 + (gsize)i * 12;
      guint tag, type, value;
      guint32 count;

      if (!read_u16 (&tiff, entry, &tag) || !read_u16 (&tiff, entry + 2, &type) ||
          !read_u32 (&tiff, entry + 4, &count))
        return 1;
      if (tag != TAG_ORIENTATION)
        continue;
      if (type != TYPE_SHORT || count != 1 || !read_u16 (&tiff, entry + 8, &value))
        return 1;
      return value >= 1 && value <= 8 ? value : 1;
    }

  return 1;
}
