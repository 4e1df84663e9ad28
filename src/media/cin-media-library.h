/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

#include "cin-imported-photo.h"
#include "cin-media-error.h"
#include "cin-rules.h"

G_BEGIN_DECLS

/* A profile's photos: importing files into its media dir (copied, named
 * by the SHA-256 of their content, checked by decoding), thumbnails
 * (decoded at display size, cached on disk by content hash and size, and
 * in memory), and the JPEG a stored photo is uploaded as.
 *
 * Use it from one thread, the one whose thread-default main context was
 * current when it was made: every result arrives there. Decoding runs on
 * a pool of as many threads as the machine has cores, shared by imports,
 * thumbnails and uploads, and nothing is decoded on the calling thread;
 * fsync waits on a small pool of its own, and cache files are written by
 * one thread at the lowest priority. */

#define CIN_TYPE_MEDIA_LIBRARY (cin_media_library_get_type ())

G_DECLARE_FINAL_TYPE (CinMediaLibrary, cin_media_library, CIN, MEDIA_LIBRARY, GObject)

/* The longest side of the composer's thumbnails: an import makes this one
 * as it checks the photo, so it is ready as soon as the import is. */
#define CIN_MEDIA_DEFAULT_THUMBNAIL_SIZE 360
/* Full-resolution shots of the largest phone sensors (108 MP) pass;
 * larger images are refused from their header. */
#define CIN_MEDIA_DEFAULT_MAX_PIXELS     ((guint64)128 * 1000 * 1000)

/* @media_dir: where imported photos are kept (made when first needed).
 * @thumbnail_dir: the on-disk thumbnail cache, <dir>/<size>/<sha256>.jpg
 * (.png for thumbnails with transparency). */
CinMediaLibrary *cin_media_library_new                (const char       *media_dir,
                                                       const char       *thumbnail_dir);
/* The profile's own media/ folder and $XDG_CACHE_HOME/cinnabar/thumbnails,
 * which profiles share: thumbnails are named by content. */
CinMediaLibrary *cin_media_library_new_for_profile    (const char       *profile);
/* @media_dir with that shared thumbnail cache. */
CinMediaLibrary *cin_media_library_new_for_media_dir  (const char       *media_dir);

const char      *cin_media_library_get_media_dir      (CinMediaLibrary  *self);
const char      *cin_media_library_get_thumbnail_dir  (CinMediaLibrary  *self);

/* The largest file an import takes, in bytes; 0 (the default) for no
 * limit. cin_media_library_apply_rules() sets the platform's. */
guint64          cin_media_library_get_max_bytes      (CinMediaLibrary  *self);
void             cin_media_library_set_max_bytes      (CinMediaLibrary  *self,
                                                       guint64           max_bytes);
guint64          cin_media_library_get_max_pixels     (CinMediaLibrary  *self);
void             cin_media_library_set_max_pixels     (CinMediaLibrary  *self,
                                                       guint64           max_pixels);
/* The thumbnail an import makes on the way; 0 for none. */
guint            cin_media_library_get_import_thumbnail_size (CinMediaLibrary *self);
void             cin_media_library_set_import_thumbnail_size (CinMediaLibrary *self,
                                                              guint            size);
/* Takes the photo size limit from the platform's rules. */
void             cin_media_library_apply_rules        (CinMediaLibrary  *self,
                                                       CinRules         *rules);

/* The stored copy of a photo: <media dir>/<sha256>.<extension of mime>. */
char            *cin_media_library_get_photo_path     (CinMediaLibrary  *self,
                                                       const char       *sha256,
                                                       const char       *mime);

/* Copies @file into the media dir and checks it: its type by content
 * (JPEG, PNG, WebP, HEIC), its size, its dimensions from the header, and
 * a complete decode at thumbnail size. The copy is written to a temporary
 * file in the media dir, synced, then renamed to its content's name, so a
 * crash never leaves a partial file under that name; on any error nothing
 * is left behind. Importing the same content twice gives the same photo
 * and one file. Errors are CIN_MEDIA_ERROR, or G_IO_ERROR_CANCELLED. */
void             cin_media_library_import_async       (CinMediaLibrary  *self,
                                                       GFile            *file,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
CinImportedPhoto *cin_media_library_import_finish     (CinMediaLibrary  *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* A stored photo fitting @size × @size pixels (device pixels: multiply by
 * the widget's scale factor), orientation applied, never enlarged; see
 * cin_media_thumbnail_size_for() for its exact size. Answered from memory,
 * else the disk cache, else by decoding on the pool; requests for the same
 * thumbnail in flight share one decode. Cancelling drops the work unless
 * another request still waits for it. */
void             cin_media_library_load_thumbnail_async  (CinMediaLibrary  *self,
                                                          const char       *sha256,
                                                          const char       *mime,
                                                          guint             size,
                                                          GCancellable     *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer          user_data);
GdkTexture      *cin_media_library_load_thumbnail_finish (CinMediaLibrary  *self,
                                                          GAsyncResult     *result,
                                                          GError          **error);
/* The thumbnail if it is in memory now, else NULL: a row that is being
 * bound can show it at once instead of a placeholder. */
GdkTexture      *cin_media_library_peek_thumbnail        (CinMediaLibrary  *self,
                                                          const char       *sha256,
                                                          guint             size);

/* Writes the JPEG a stored photo is uploaded as to @destination
 * (atomically): the orientation applied to the pixels and no Exif, XMP or
 * other metadata, so no GPS position leaves with it; the colour profile
 * is kept. A JPEG stored upright is copied without decoding (no quality
 * lost); others (HEIC, PNG, WebP, turned JPEGs) are encoded at quality 92,
 * transparency on white. @sha256 and @size on finish describe the file
 * written, for the upload's checksum. */
void             cin_media_library_export_jpeg_async  (CinMediaLibrary  *self,
                                                       const char       *sha256,
                                                       const char       *mime,
                                                       GFile            *destination,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
gboolean         cin_media_library_export_jpeg_finish (CinMediaLibrary  *self,
                                                       GAsyncResult     *result,
                                                       char            **sha256,
                                                       guint64          *size,
                                                       GError          **error);

/* The exact size of the thumbnail of a @width × @height photo (as
 * displayed) at @size, for a placeholder of the right shape. */
void             cin_media_thumbnail_size_for         (guint             width,
                                                       guint             height,
                                                       guint             size,
                                                       guint            *thumbnail_width,
                                                       guint            *thumbnail_height);

G_END_DECLS
