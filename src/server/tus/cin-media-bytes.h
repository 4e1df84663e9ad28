/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reading the numbers container formats are made of, shared by the
 * sniffer and the completeness check. */

static inline guint32
cin_media_read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static inline guint64
cin_media_read_be64 (const guint8 *p)
{
  return ((guint64) cin_media_read_be32 (p) << 32) | cin_media_read_be32 (p + 4);
}

static inline guint32
cin_media_read_le32 (const guint8 *p)
{
  return ((guint32) p[3] << 24) | ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

/* EBML variable-length integers: the count of leading zero bits in the
 * first byte says how many bytes follow (at most 7). */
static inline guint
cin_media_ebml_vint_length (guint8 first)
{
  for (guint length = 1; length <= 8; length++)
    if (first & (0x80 >> (length - 1)))
      return length;
  return 0;
}

/* An element ID keeps its length marker: 0x1A45DFA3 is the EBML header. */
static inline gboolean
cin_media_read_ebml_id (const guint8 *data,
                        gsize         data_len,
                        gsize        *at,
                        guint64      *id)
{
  guint length;

  if (*at >= data_len)
    return FALSE;
  length = cin_media_ebml_vint_length (data[*at]);
  if (length == 0 || length > 4 || data_len - *at < length)
    return FALSE;
  *id = 0;
  for (guint i = 0; i < length; i++)
    *id = (*id << 8) | data[*at + i];
  *at += length;
  return TRUE;
}

/* An element size drops the marker; all value bits set means "unknown"
 * (a live recording that never went back to write its size). */
static inline gboolean
cin_media_read_ebml_size (const guint8 *data,
                          gsize         data_len,
                          gsize        *at,
                          guint64      *size,
                          gboolean     *unknown)
{
  guint length;
  guint64 value, all_ones;

  if (*at >= data_len)
    return FALSE;
  length = cin_media_ebml_vint_length (data[*at]);
  if (length == 0 || data_len - *at < length)
    return FALSE;
  value = data[*at] & (0xff >> length);
  for (guint i = 1; i < length; i++)
    value = (value << 8) | data[*at + i];
  all_ones = (G_GUINT64_CONSTANT (1) << (7 * length)) - 1;
  if (unknown != NULL)
    *unknown = value == all_ones;
  *size = value;
  *at += length;
  return TRUE;
}

G_END_DECLS
