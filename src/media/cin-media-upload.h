/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-media-library.h"

G_BEGIN_DECLS

/* The file a stored photo is uploaded as, made on a worker thread into
 * @cache_dir (named by its own content, so the same photo always gives
 * the same file and a cut upload resumes):
 *   - HEIC/HEIF: the JPEG cin_media_library_export_jpeg_async() writes,
 *     which carries no metadata at all;
 *   - JPEG, PNG, WebP: the stored file with its GPS position taken out
 *     (cin_gps_strip_file_async()), or the stored file itself when it has
 *     none or @keep_location is set (the creator opted in).
 * On finish @sha256 is the uploaded file's. */
void   cin_media_library_prepare_upload_async  (CinMediaLibrary      *self,
                                                const char           *sha256,
                                                const char           *mime,
                                                gboolean              keep_location,
                                                const char           *cache_dir,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
/* Returns the path of the file to upload. */
char  *cin_media_library_prepare_upload_finish (CinMediaLibrary      *self,
                                                GAsyncResult         *result,
                                                char                **sha256,
                                                GError              **error);

G_END_DECLS
