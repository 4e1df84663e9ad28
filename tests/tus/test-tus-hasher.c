/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cin-tus-hasher.h"
#include "cin-tus-sha256.h"
#include "tus-test-media.h"

/* The SHA-256 an upload is checked with: the same digest as GChecksum,
 * whether it is fed directly or by the hasher reading a file that grows
 * over several PATCHes, and across a restart. */

static char *
glib_sha256 (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static void
test_sha256_matches_glib (void)
{
  static const gsize lengths[] = { 0, 1, 55, 56, 63, 64, 65, 1000, 100000 };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autoptr(GBytes) bytes = tus_test_random (lengths[i], i + 1);
      g_autoptr(CinTusSha256) sha256 = cin_tus_sha256_new ();
      g_autofree char *expected = glib_sha256 (bytes);
      g_autofree char *actual = NULL;
      gsize length;
      const guint8 *data = g_bytes_get_data (bytes, &length);

      /* In uneven pieces, as network chunks come. */
      for (gsize at = 0; at < length; at += MIN (length - at, 7 + at % 13))
        cin_tus_sha256_update (sha256, data + at, MIN (length - at, 7 + at % 13));
      actual = cin_tus_sha256_dup_hex (sha256);
      g_assert_cmpstr (actual, ==, expected);
    }
}

typedef struct {
  char *path;
  int   fd;
} PartFile;

static void
part_file_open (PartFile *part)
{
  part->fd = g_file_open_tmp ("cin-tus-hasher-XXXXXX", &part->path, NULL);
  g_assert_cmpint (part->fd, >=, 0);
}

static void
part_file_append (PartFile     *part,
                  const guint8 *data,
                  gsize         length)
{
  g_assert_cmpint (write (part->fd, data, length), ==, (gssize) length);
}

static void
part_file_remove (PartFile *part)
{
  g_close (part->fd, NULL);
  g_unlink (part->path);
  g_free (part->path);
}

/* Two PATCHes, each appending in pieces and publishing as it goes, then
 * the final check asks for the digest. */
static void
test_hasher_follows_the_file (void)
{
  g_autoptr(GBytes) bytes = tus_test_random (5 * 1024 * 1024 + 123, 42);
  g_autofree char *expected = glib_sha256 (bytes);
  g_autofree char *digest = NULL;
  g_autoptr(CinTusHasher) hasher = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gsize half = length / 2;
  PartFile part;

  part_file_open (&part);
  hasher = cin_tus_hasher_new (part.path);

  cin_tus_hasher_begin (hasher);
  for (gsize at = 0; at < half; at += 300000)
    {
      gsize piece = MIN (300000, half - at);

      part_file_append (&part, data + at, piece);
      cin_tus_hasher_publish (hasher, at + piece);
    }
  cin_tus_hasher_end (hasher);

  cin_tus_hasher_begin (hasher);
  part_file_append (&part, data + half, length - half);
  cin_tus_hasher_publish (hasher, length);
  cin_tus_hasher_end (hasher);

  digest = cin_tus_hasher_finish (hasher, length);
  g_assert_cmpstr (digest, ==, expected);
  part_file_remove (&part);
}

/* A new hasher over a .part left by the previous run starts at byte 0. */
static void
test_hasher_after_restart (void)
{
  g_autoptr(GBytes) bytes = tus_test_random (3 * 1024 * 1024, 43);
  g_autofree char *expected = glib_sha256 (bytes);
  g_autofree char *digest = NULL;
  g_autoptr(CinTusHasher) hasher = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  PartFile part;

  part_file_open (&part);
  part_file_append (&part, data, 1024 * 1024);

  hasher = cin_tus_hasher_new (part.path);
  cin_tus_hasher_publish (hasher, 1024 * 1024);
  cin_tus_hasher_begin (hasher);
  part_file_append (&part, data + 1024 * 1024, length - 1024 * 1024);
  cin_tus_hasher_publish (hasher, length);
  cin_tus_hasher_end (hasher);

  digest = cin_tus_hasher_finish (hasher, length);
  g_assert_cmpstr (digest, ==, expected);
  part_file_remove (&part);
}

/* No digest for bytes that never arrived, for a cancelled hasher, or for
 * a file that is gone: the caller then reads the file itself. */
static void
test_hasher_gives_up (void)
{
  g_autoptr(GBytes) bytes = tus_test_random (1000, 44);
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  PartFile part;

  part_file_open (&part);
  part_file_append (&part, data, length);

  {
    g_autoptr(CinTusHasher) short_of_length = cin_tus_hasher_new (part.path);
    g_autofree char *digest = NULL;

    cin_tus_hasher_begin (short_of_length);
    cin_tus_hasher_publish (short_of_length, 500);
    cin_tus_hasher_end (short_of_length);
    digest = cin_tus_hasher_finish (short_of_length, length);
    g_assert_null (digest);
  }

  {
    g_autoptr(CinTusHasher) cancelled = cin_tus_hasher_new (part.path);
    g_autofree char *digest = NULL;

    cin_tus_hasher_begin (cancelled);
    cin_tus_hasher_cancel (cancelled);
    cin_tus_hasher_publish (cancelled, length);
    cin_tus_hasher_end (cancelled);
    digest = cin_tus_hasher_finish (cancelled, length);
    g_assert_null (digest);
  }

  {
    g_autoptr(CinTusHasher) missing = cin_tus_hasher_new ("/nonexistent/cin-tus.part");
    g_autofree char *digest = NULL;

    cin_tus_hasher_begin (missing);
    cin_tus_hasher_publish (missing, length);
    cin_tus_hasher_end (missing);
    digest = cin_tus_hasher_finish (missing, length);
    g_assert_null (digest);
  }

  part_file_remove (&part);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tus-hasher/sha256-matches-glib", test_sha256_matches_glib);
  g_test_add_func ("/tus-hasher/follows-the-file", test_hasher_follows_the_file);
  g_test_add_func ("/tus-hasher/after-restart", test_hasher_after_restart);
  g_test_add_func ("/tus-hasher/gives-up", test_hasher_gives_up);

  return g_test_run ();
}
