/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SHA-256 while a file streams past. Nettle (always there beside GnuTLS)
 * uses the CPU's SHA instructions and hashes about 7 times faster than
 * GChecksum, which is the fallback when it is not available. */

typedef struct _CinSha256 CinSha256;

CinSha256 *cin_sha256_new        (void);
void       cin_sha256_update     (CinSha256    *self,
                                  const guint8 *data,
                                  gsize         len);
/* 64 lower-case hex digits; the hash takes no more data after it. */
char      *cin_sha256_finish     (CinSha256    *self);
void       cin_sha256_free       (CinSha256    *self);

/* Whether @text is 64 lower-case hex digits, as the stored files are named. */
gboolean   cin_sha256_is_valid   (const char   *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinSha256, cin_sha256_free)

G_END_DECLS
