/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* tus "Upload-Metadata": comma-separated pairs of a key and a base64
 * value ("sha256 ZTNi…,filename Y2F0LmpwZw=="). The value may be left out;
 * keys are unique and hold no space or comma. */

/* The key that carries the whole file's SHA-256, which the server checks
 * before it takes the file. Its value (under tus's own base64 layer) is
 * the digest as 64 hexadecimal digits, like the output of sha256sum;
 * the 32 raw digest bytes are taken too. */
#define CIN_TUS_METADATA_SHA256 "sha256"

/* Returns key → GBytes (the decoded value, empty when there was none), or
 * NULL with G_IO_ERROR_INVALID_DATA saying what is wrong. */
GHashTable  *cin_tus_metadata_parse        (const char  *header,
                                            GError     **error);

/* The "sha256" value as 64 lowercase hex digits, or NULL with
 * G_IO_ERROR_INVALID_DATA when it is missing or not a SHA-256. */
char        *cin_tus_metadata_dup_sha256   (GHashTable  *metadata,
                                            GError     **error);

G_END_DECLS
