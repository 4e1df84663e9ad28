/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-metadata"

#include <string.h>

#include <gio/gio.h>

#include "cin-tus-metadata.h"

/* g_base64_decode() skips characters outside the alphabet, so a value is
 * checked here first: a header that is not base64 is refused, not
 * silently turned into other bytes. */
static gboolean
is_strict_base64 (const char *text,
                  gsize       length)
{
  gsize padding = 0;

  if (length % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          if (i < length - 2)
            return FALSE;
          padding++;
        }
      else if (padding > 0 ||
               !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return FALSE;
    }
  return TRUE;
}

static GBytes *
decode_value (const char *text,
              gsize       length)
{
  g_autofree char *copy = g_strndup (text, length);
  gsize decoded_length = 0;
  guchar *decoded;

  if (length == 0)
    return g_bytes_new (NULL, 0);
  decoded = g_base64_decode (copy, &decoded_length);
  return g_bytes_new_take (decoded, decoded_length);
}

GHashTable *
cin_tus_metadata_parse (const char  *header,
                        GError     **error)
{
  g_autoptr(GHashTable) metadata = NULL;
  g_auto(GStrv) pairs = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) g_bytes_unref);
  if (header == NULL)
    return g_steal_pointer (&metadata);

  pairs = g_strsplit (header, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *pair = pairs[i];
      const char *space, *value;
      g_autofree char *key = NULL;
      gsize value_length;

      while (*pair == ' ' || *pair == '\t')
        pair++;
      space = strchr (pair, ' ');
      key = space != NULL ? g_strndup (pair, (gsize) (space - pair)) : g_strdup (pair);
      value = space != NULL ? space + 1 : "";
      value_length = strlen (value);
      while (value_length > 0 && (value[value_length - 1] == ' ' || value[value_length - 1] == '\t'))
        value_length--;

      if (*key == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Upload-Metadata has an empty key in pair %u.", i + 1);
          return NULL;
        }
      if (!g_str_is_ascii (key) || strchr (key, '\t') != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Upload-Metadata key %u is not plain ASCII.", i + 1);
          return NULL;
        }
      if (memchr (value, ' ', value_length) != NULL || !is_strict_base64 (value, value_length))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "The Upload-Metadata value of “%s” is not base64.", key);
          return NULL;
        }
      if (g_hash_table_contains (metadata, key))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Upload-Metadata has the key “%s” twice.", key);
          return NULL;
        }
      g_hash_table_insert (metadata, g_steal_pointer (&key), decode_value (value, value_length));
    }

  return g_steal_pointer (&metadata);
}

char *
cin_tus_metadata_dup_sha256 (GHashTable  *metadata,
                             GError     **error)
{
  GBytes *value;
  const guint8 *data;
  gsize length;
  GString *hex;

  g_return_val_if_fail (metadata != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  value = g_hash_table_lookup (metadata, CIN_TUS_METADATA_SHA256);
  if (value == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Upload-Metadata must carry the file's SHA-256 under the key "
                   "“" CIN_TUS_METADATA_SHA256 "”: 64 hex digits, base64-encoded "
                   "like every tus metadata value.");
      return NULL;
    }

  data = g_bytes_get_data (value, &length);
  hex = g_string_sized_new (64);
  if (length == 32)
    {
      for (gsize i = 0; i < length; i++)
        g_string_append_printf (hex, "%02x", data[i]);
      return g_string_free (hex, FALSE);
    }
  if (length == 64)
    {
      for (gsize i = 0; i < length && g_ascii_isxdigit (data[i]); i++)
        g_string_append_c (hex, g_ascii_tolower (data[i]));
      if (hex->len == 64)
        return g_string_free (hex, FALSE);
    }
  g_string_free (hex, TRUE);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "The “" CIN_TUS_METADATA_SHA256 "” metadata is not a SHA-256: "
               "send the 64 hex digits of the file's digest, base64-encoded.");
  return NULL;
}
