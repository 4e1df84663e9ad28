/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "tus-test-media.h"

static void
append_random (GByteArray *out,
               gsize       length,
               GRand      *rand)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = (guint8) g_rand_int_range (rand, 0, 256);
      g_byte_array_append (out, &byte, 1);
    }
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[] = { value >> 24, value >> 16, value >> 8, value };
  g_byte_array_append (out, bytes, 4);
}

static void
append_le32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[] = { value, value >> 8, value >> 16, value >> 24 };
  g_byte_array_append (out, bytes, 4);
}

static void
append_text (GByteArray *out,
             const char *text)
{
  g_byte_array_append (out, (const guint8 *) text, (guint) strlen (text));
}

static guint32
crc32 (const guint8 *data,
       gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
    }
  return ~crc;
}

static void
append_png_chunk (GByteArray   *out,
                  const char   *type,
                  const guint8 *data,
                  gsize         length)
{
  g_autoptr(GByteArray) typed = g_byte_array_new ();

  append_text (typed, type);
  g_byte_array_append (typed, data, (guint) length);
  append_be32 (out, (guint32) length);
  g_byte_array_append (out, typed->data, typed->len);
  append_be32 (out, crc32 (typed->data, typed->len));
}

/* A real, decodable PNG: 8-bit RGB rows of noise in stored (uncompressed)
 * deflate blocks, so no zlib is needed to build it. */
GBytes *
tus_test_png (guint   width,
              guint   height,
              guint32 seed)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) zlib = g_byte_array_new ();
  guint32 a = 1, b = 0;
  gsize at;

  g_byte_array_append (out, signature, sizeof signature);
  append_be32 (header, width);
  append_be32 (header, height);
  g_byte_array_append (header, (const guint8[]) { 8, 2, 0, 0, 0 }, 5);
  append_png_chunk (out, "IHDR", header->data, header->len);

  for (guint y = 0; y < height; y++)
    {
      g_byte_array_append (raw, (const guint8[]) { 0 }, 1);
      append_random (raw, (gsize) width * 3, rand);
    }

  g_byte_array_append (zlib, (const guint8[]) { 0x78, 0x01 }, 2);
  for (at = 0; at < raw->len || at == 0;)
    {
      guint16 block = (guint16) MIN ((gsize) 65535, raw->len - at);
      gboolean final = at + block == raw->len;
      guint8 block_header[] = { final, block & 0xff, block >> 8,
                                (guint8) ~(block & 0xff), (guint8) ~(block >> 8) };

      g_byte_array_append (zlib, block_header, 5);
      g_byte_array_append (zlib, raw->data + at, block);
      at += block;
      if (final)
        break;
    }
  for (guint i = 0; i < raw->len; i++)
    {
      a = (a + raw->data[i]) % 65521;
      b = (b + a) % 65521;
    }
  append_be32 (zlib, (b << 16) | a);
  append_png_chunk (out, "IDAT", zlib->data, zlib->len);
  append_png_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
append_jpeg_segment (GByteArray *out,
                     guint8      marker,
                     gsize       length,
                     GRand      *rand)
{
  guint8 header[] = { 0xff, marker, (guint8) ((length + 2) >> 8), (guint8) (length + 2) };

  g_byte_array_append (out, header, 4);
  append_random (out, length, rand);
}

/* JPEG markers and segments in the right order, with entropy-coded data
 * that holds stuffed 0xFF00 bytes and restart markers, as real scans do. */
GBytes *
tus_test_jpeg (gsize   scan_bytes,
               guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 restart = 0;

  g_byte_array_append (out, (const guint8[]) { 0xff, 0xd8 }, 2);
  g_byte_array_append (out, (const guint8[]) { 0xff, 0xe0, 0x00, 0x10 }, 4);
  append_text (out, "JFIF");
  g_byte_array_append (out, (const guint8[]) { 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 }, 10);
  append_jpeg_segment (out, 0xdb, 65, rand);   /* DQT */
  append_jpeg_segment (out, 0xc0, 15, rand);   /* SOF0 */
  append_jpeg_segment (out, 0xc4, 29, rand);   /* DHT */
  append_jpeg_segment (out, 0xda, 10, rand);   /* SOS */

  for (gsize i = 0; i < scan_bytes; i++)
    {
      guint8 byte = (guint8) g_rand_int_range (rand, 0, 256);

      g_byte_array_append (out, &byte, 1);
      if (byte == 0xff)
        g_byte_array_append (out, (const guint8[]) { 0x00 }, 1);
      if (i % 4096 == 4095)
        {
          guint8 marker[] = { 0xff, 0xd0 + (restart++ & 7) };
          g_byte_array_append (out, marker, 2);
        }
    }
  g_byte_array_append (out, (const guint8[]) { 0xff, 0xd9 }, 2);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tus_test_webp (gsize   payload_bytes,
               guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize padded = payload_bytes + (payload_bytes & 1);

  append_text (out, "RIFF");
  append_le32 (out, (guint32) (4 + 8 + padded));
  append_text (out, "WEBP");
  append_text (out, "VP8L");
  append_le32 (out, (guint32) payload_bytes);
  append_random (out, padded, rand);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
append_box (GByteArray *out,
            const char *type,
            gsize       payload_bytes,
            gboolean    large_size,
            GRand      *rand)
{
  if (large_size)
    {
      guint64 size = payload_bytes + 16;

      append_be32 (out, 1);
      append_text (out, type);
      append_be32 (out, (guint32) (size >> 32));
      append_be32 (out, (guint32) size);
    }
  else
    {
      append_be32 (out, (guint32) (payload_bytes + 8));
      append_text (out, type);
    }
  append_random (out, payload_bytes, rand);
}

GBytes *
tus_test_mp4 (const char *brand,
              gsize       mdat_bytes,
              gboolean    large_size,
              guint32     seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  append_be32 (out, 24);
  append_text (out, "ftyp");
  append_text (out, brand);
  append_be32 (out, 0x200);
  append_text (out, brand);
  append_text (out, "isom");
  append_box (out, "moov", 100, FALSE, rand);
  append_box (out, "mdat", mdat_bytes, large_size, rand);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
append_ebml_element (GByteArray   *out,
                     guint32       id,
                     const guint8 *data,
                     gsize         length)
{
  guint8 size[8] = { 0x01 };

  for (int shift = 24; shift >= 0; shift -= 8)
    if ((id >> shift) != 0 || shift == 0)
      g_byte_array_append (out, (const guint8[]) { (guint8) (id >> shift) }, 1);
  /* Sizes always in 8 bytes: simple, and legal. */
  for (int i = 0; i < 7; i++)
    size[1 + i] = (guint8) ((guint64) length >> (8 * (6 - i)));
  g_byte_array_append (out, size, 8);
  g_byte_array_append (out, data, (guint) length);
}

GBytes *
tus_test_matroska (const char *doctype,
                   gsize       cluster_bytes,
                   gboolean    unknown_segment_size,
                   guint32     seed)
{
  static const guint8 unknown_size[] = { 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) header = g_byte_array_new ();
  g_autoptr(GByteArray) segment = g_byte_array_new ();
  g_autoptr(GByteArray) payload = g_byte_array_new ();

  append_ebml_element (header, 0x4286, (const guint8[]) { 1 }, 1);  /* EBMLVersion */
  append_ebml_element (header, 0x4282, (const guint8 *) doctype, strlen (doctype));
  append_ebml_element (out, 0x1a45dfa3, header->data, header->len);

  append_random (payload, 20, rand);
  append_ebml_element (segment, 0x1549a966, payload->data, payload->len);  /* Info */
  g_byte_array_set_size (payload, 0);
  append_random (payload, cluster_bytes, rand);
  append_ebml_element (segment, 0x1f43b675, payload->data, payload->len);  /* Cluster */

  if (unknown_segment_size)
    {
      g_byte_array_append (out, (const guint8[]) { 0x18, 0x53, 0x80, 0x67 }, 4);
      g_byte_array_append (out, unknown_size, sizeof unknown_size);
      g_byte_array_append (out, segment->data, segment->len);
    }
  else
    append_ebml_element (out, 0x18538067, segment->data, segment->len);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tus_test_ts (guint    packets,
             gboolean m2ts,
             guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  for (guint i = 0; i < packets; i++)
    {
      if (m2ts)
        append_random (out, 4, rand);
      g_byte_array_append (out, (const guint8[]) { 0x47 }, 1);
      append_random (out, 187, rand);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tus_test_random (gsize   length,
                 guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  append_random (out, length, rand);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tus_test_cut (GBytes *bytes,
              gsize   length)
{
  g_assert (length <= g_bytes_get_size (bytes));
  return g_bytes_new_from_bytes (bytes, 0, length);
}
