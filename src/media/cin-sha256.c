/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-sha256"

#include "cin-sha256.h"

#ifdef HAVE_NETTLE
#include <nettle/sha2.h>
#endif

struct _CinSha256
{
#ifdef HAVE_NETTLE
  struct sha256_ctx  context;
#else
  GChecksum         *checksum;
#endif
  gboolean           finished;
};

CinSha256 *
cin_sha256_new (void)
{
  CinSha256 *self = g_new0 (CinSha256, 1);

#ifdef HAVE_NETTLE
  sha256_init (&self->context);
#else
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
#endif
  return self;
}

void
cin_sha256_update (CinSha256    *self,
                   const guint8 *data,
                   gsize         len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->finished);

#ifdef HAVE_NETTLE
  sha256_update (&self->context, len, data);
#else
  /* GChecksum takes a gssize length. */
  while (len > 0)
    {
      gsize piece = MIN (len, (gsize)G_MAXSSIZE);

      g_checksum_update (self->checksum, data, (gssize)piece);
      data += piece;
      len -= piece;
    }
#endif
}

char *
cin_sha256_finish (CinSha256 *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->finished, NULL);

  self->finished = TRUE;
#ifdef HAVE_NETTLE
  {
    static const char hex[] = "0123456789abcdef";
    guint8 digest[SHA256_DIGEST_SIZE];
    char *text = g_malloc (SHA256_DIGEST_SIZE * 2 + 1);

    sha256_digest (&self->context, sizeof digest, digest);
    for (guint i = 0; i < SHA256_DIGEST_SIZE; i++)
      {
        text[2 * i] = hex[digest[i] >> 4];
        text[2 * i + 1] = hex[digest[i] & 0xf];
      }
    text[SHA256_DIGEST_SIZE * 2] = '\0';
    return text;
  }
#else
  return g_strdup (g_checksum_get_string (self->checksum));
#endif
}

void
cin_sha256_free (CinSha256 *self)
{
  if (self == NULL)
    return;
#ifndef HAVE_NETTLE
  g_checksum_free (self->checksum);
#endif
  g_free (self);
}

gboolean
cin_sha256_is_valid (const char *text)
{
  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;

  return text[64] == '\0';
}
