/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-store.h"
#include "cin-types.h"

G_BEGIN_DECLS

/* Copies the note @note_id of @source_store into @dest_store, the store
 * of another profile, as a new local draft: a new id, the same content,
 * never synced, its photo files linked (or copied) from @source_media_dir
 * into @dest_media_dir first, so the copy never points at a file its
 * profile lacks. The source note is left as it is. Returns the new note. */
void      cin_profile_copy_note_async  (CinStore             *source_store,
                                        const char           *source_media_dir,
                                        const char           *note_id,
                                        CinStore             *dest_store,
                                        const char           *dest_media_dir,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
CinNote  *cin_profile_copy_note_finish (GAsyncResult         *result,
                                        GError              **error);

/* The media step alone: every file of @sha256 (named <sha256> or
 * <sha256>.<extension>) in @source_media_dir, hard-linked into
 * @dest_media_dir, or copied where a link can't be made. Blocks; call
 * from a thread. */
gboolean  cin_profile_copy_media_sync  (const char           *source_media_dir,
                                        const char           *dest_media_dir,
                                        const char * const   *sha256s,
                                        GCancellable         *cancellable,
                                        GError              **error);

G_END_DECLS
