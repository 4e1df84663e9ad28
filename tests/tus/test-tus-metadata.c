/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gio/gio.h>

#include "cin-tus-metadata.h"

/* Upload-Metadata as tus defines it, and the sha256 key Cinnabar adds. */

#define HELLO_SHA256 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

static const char *
value_of (GHashTable *metadata,
          const char *key)
{
  GBytes *value = g_hash_table_lookup (metadata, key);
  static char text[256];
  gsize length;
  const char *data;

  if (value == NULL)
    return NULL;
  data = g_bytes_get_data (value, &length);
  g_assert_cmpuint (length, <, sizeof text);
  if (length > 0)
    memcpy (text, data, length);
  text[length] = '\0';
  return text;
}

static void
test_pairs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) metadata =
    cin_tus_metadata_parse ("filename Y2F0LmpwZw==,is_confidential, empty ,type aW1hZ2UvanBlZw==",
                            &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (metadata), ==, 4);
  g_assert_cmpstr (value_of (metadata, "filename"), ==, "cat.jpg");
  g_assert_cmpstr (value_of (metadata, "type"), ==, "image/jpeg");
  g_assert_cmpstr (value_of (metadata, "is_confidential"), ==, "");
  g_assert_cmpstr (value_of (metadata, "empty"), ==, "");
}

static void
test_absent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) none = cin_tus_metadata_parse (NULL, &error);
  g_autoptr(GHashTable) empty = cin_tus_metadata_parse ("", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
  g_assert_cmpuint (g_hash_table_size (empty), ==, 0);
}

static void
test_refused (void)
{
  static const char * const headers[] = {
    "filename Y2F0LmpwZw",             /* no padding: not base64 */
    "filename Y2F0#mpwZw==",           /* outside the alphabet */
    "filename Y2F0LmpwZw==,filename YQ==",  /* a key twice */
    ",a YQ==",                         /* an empty key */
    "a,,b",                            /* an empty pair */
    "filename Y2F0 LmpwZw==",          /* a space inside the value */
    "filename Y=2F",                   /* padding in the middle */
    "fil\xc3\xa9name YQ==",            /* a key that is not ASCII */
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) metadata = cin_tus_metadata_parse (headers[i], &error);

      g_test_message ("%s", headers[i]);
      g_assert_null (metadata);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static char *
metadata_with_sha256 (const guint8 *value,
                      gsize         length)
{
  g_autofree char *encoded = g_base64_encode (value, length);
  return g_strconcat ("filename YS5wbmc=,sha256 ", encoded, NULL);
}

static void
test_sha256 (void)
{
  g_autofree char *hex_header = metadata_with_sha256 ((const guint8 *) HELLO_SHA256, 64);
  g_autofree char *upper = g_ascii_strup (HELLO_SHA256, -1);
  g_autofree char *upper_header = metadata_with_sha256 ((const guint8 *) upper, 64);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize digest_length = sizeof digest;
  g_autofree char *raw_header = NULL;
  const char * const headers[] = { hex_header, upper_header, NULL };

  g_checksum_update (checksum, (const guint8 *) "hello", 5);
  g_checksum_get_digest (checksum, digest, &digest_length);
  raw_header = metadata_with_sha256 (digest, digest_length);

  for (guint i = 0; headers[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) metadata = cin_tus_metadata_parse (headers[i], &error);
      g_autofree char *sha256 = cin_tus_metadata_dup_sha256 (metadata, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (sha256, ==, HELLO_SHA256);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) metadata = cin_tus_metadata_parse (raw_header, &error);
    g_autofree char *sha256 = cin_tus_metadata_dup_sha256 (metadata, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sha256, ==, HELLO_SHA256);
  }
}

static void
test_sha256_refused (void)
{
  static const char * const values[] = {
    "",
    "2cf24dba",                                                             /* short */
    "zzf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",     /* not hex */
  };

  for (guint i = 0; i < G_N_ELEMENTS (values) + 1; i++)
    {
      g_autofree char *header = i < G_N_ELEMENTS (values)
        ? metadata_with_sha256 ((const guint8 *) values[i], strlen (values[i]))
        : g_strdup ("filename YS5wbmc=");
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) metadata = cin_tus_metadata_parse (header, &error);
      g_autofree char *sha256 = NULL;

      g_assert_no_error (error);
      sha256 = cin_tus_metadata_dup_sha256 (metadata, &error);
      g_assert_null (sha256);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tus-metadata/pairs", test_pairs);
  g_test_add_func ("/tus-metadata/absent", test_absent);
  g_test_add_func ("/tus-metadata/refused", test_refused);
  g_test_add_func ("/tus-metadata/sha256", test_sha256);
  g_test_add_func ("/tus-metadata/sha256-refused", test_sha256_refused);

  return g_test_run ();
}
