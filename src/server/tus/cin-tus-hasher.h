/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SHA-256 of an upload's .part, worked out on a thread of its own
 * that reads the file just behind the PATCH writing it. Hashing costs
 * more than receiving and writing, so the PATCH never waits for it, and
 * nothing is held in memory for it: it reads what is already on disk
 * (in the page cache, in practice). After a restart a new hasher starts
 * from byte 0 while the resumed PATCH streams in.
 *
 * The thread runs while a PATCH is open or bytes remain to hash, and
 * then ends; a hasher waiting for its client costs no thread. */

typedef struct _CinTusHasher CinTusHasher;

CinTusHasher  *cin_tus_hasher_new      (const char   *part_path);
CinTusHasher  *cin_tus_hasher_ref      (CinTusHasher *self);
void           cin_tus_hasher_unref    (CinTusHasher *self);
/* The upload is gone: the thread, if any, stops at its next read. */
void           cin_tus_hasher_cancel   (CinTusHasher *self);

/* Main thread: a PATCH starts and will publish bytes. */
void           cin_tus_hasher_begin    (CinTusHasher *self);
/* Main thread: the first @offset bytes of the .part are written. */
void           cin_tus_hasher_publish  (CinTusHasher *self,
                                        guint64       offset);
/* Main thread: the PATCH is over. */
void           cin_tus_hasher_end      (CinTusHasher *self);

/* Any thread but the main one (it may wait for seconds): the hex SHA-256
 * of the first @length bytes once they are all hashed, or NULL if the
 * hasher failed to read them or never will. Ends the hasher: it takes no
 * more bytes after this. */
char          *cin_tus_hasher_finish   (CinTusHasher *self,
                                        guint64       length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinTusHasher, cin_tus_hasher_unref)

G_END_DECLS
