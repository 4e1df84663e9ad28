/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-tus-sha256"

#include <gcrypt.h>

#include "cin-tus-sha256.h"

struct _CinTusSha256
{
  gcry_md_hd_t handle;
};

/* libgcrypt wants one initialisation before any use; a process that has
 * already done it (through libsecret, say) is left as it is. Secure
 * memory is for keys, and a hash of public media holds none. */
static void
ensure_initialized (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      if (!gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P))
        {
          if (gcry_check_version (NULL) == NULL)
            g_error ("libgcrypt could not be initialised");
          gcry_control (GCRYCTL_DISABLE_SECMEM, 0);
          gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
        }
      g_once_init_leave (&initialized, 1);
    }
}

CinTusSha256 *
cin_tus_sha256_new (void)
{
  CinTusSha256 *self = g_new0 (CinTusSha256, 1);
  gcry_error_t error;

  ensure_initialized ();
  error = gcry_md_open (&self->handle, GCRY_MD_SHA256, 0);
  if (error != 0)
    g_error ("libgcrypt has no SHA-256: %s", gcry_strerror (error));
  return self;
}

void
cin_tus_sha256_update (CinTusSha256 *self,
                       const guint8 *data,
                       gsize         length)
{
  g_return_if_fail (self != NULL);
  gcry_md_write (self->handle, data, length);
}

char *
cin_tus_sha256_dup_hex (CinTusSha256 *self)
{
  const guint8 *digest;
  GString *hex = g_string_sized_new (64);

  g_return_val_if_fail (self != NULL, NULL);

  digest = gcry_md_read (self->handle, GCRY_MD_SHA256);
  for (guint i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", digest[i]);
  return g_string_free (hex, FALSE);
}

void
cin_tus_sha256_free (CinTusSha256 *self)
{
  if (self == NULL)
    return;
  gcry_md_close (self->handle);
  g_free (self);
}
