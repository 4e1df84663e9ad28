/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* SHA-256 through libgcrypt, which uses the CPU's SHA extensions where
 * there are any: about eight times GChecksum's speed, which decides how
 * fast a large upload can be checked. (libgcrypt comes with libsecret,
 * which the app needs anyway.) Thread-safe as long as one hash stays on
 * one thread at a time. */

typedef struct _CinTusSha256 CinTusSha256;

CinTusSha256  *cin_tus_sha256_new         (void);
void           cin_tus_sha256_update      (CinTusSha256  *self,
                                           const guint8  *data,
                                           gsize          length);
/* 64 lowercase hex digits. The hash takes no more data afterwards. */
char          *cin_tus_sha256_dup_hex     (CinTusSha256  *self);
void           cin_tus_sha256_free        (CinTusSha256  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinTusSha256, cin_tus_sha256_free)

G_END_DECLS
