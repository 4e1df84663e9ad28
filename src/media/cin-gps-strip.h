/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The bytes a stored photo is uploaded as when it goes up as it is
 * (JPEG, PNG, WebP): the same file without where it was taken, unless
 * the creator opted in to sharing the place (then upload the stored file
 * itself). HEIC is uploaded as the JPEG cin_media_library_export_jpeg_async()
 * writes, which carries no metadata at all.
 *
 * What is removed:
 * - Exif (a JPEG's APP1 "Exif", a PNG's eXIf chunk, a WebP's EXIF chunk):
 *   the GPS IFD pointer (tag 0x8825) leaves IFD0 (and IFD1), and the GPS
 *   IFD with every value it points at is overwritten with zeros. Nothing
 *   else moves, so the orientation, the Exif sub-IFD, maker notes (whose
 *   offsets are absolute) and the embedded thumbnail stay as they were.
 *   An Exif block whose structure cannot be followed is dropped whole:
 *   nobody could tell whether it holds a position.
 * - XMP (a JPEG's APP1 packets, standard and extended; a PNG's iTXt
 *   "XML:com.adobe.xmp"; a WebP's "XMP " chunk): a packet that mentions
 *   "GPS" anywhere (exif:GPSLatitude, exif:GPSLongitude …) is dropped
 *   whole, with all the extended parts of a JPEG's packet; so is a PNG's
 *   compressed XMP, which is not inflated to be read. Place names that are
 *   no coordinates (photoshop:City …) only go with such a packet.
 * - PNG text chunks "Raw profile type exif/APP1/xmp" (ImageMagick's
 *   hex-encoded copies) are always dropped: they are not decoded to look.
 *
 * A photo with none of that comes back as the very same bytes, so as the
 * same file with the same SHA-256. The container itself (JPEG segments,
 * PNG chunks, the RIFF tree) is checked as it is walked; one that runs
 * past the end of the file is CIN_MEDIA_ERROR_CORRUPT. */

/* @photo: a whole JPEG, PNG or WebP file. Returns @photo itself (a new
 * reference) when it holds no position, else a new, stripped copy.
 * @name is how the creator knows the photo, for error messages. Safe on
 * any bytes: this is also the fuzzing entry point. */
GBytes   *cin_gps_strip_bytes          (GBytes        *photo,
                                        const char    *name,
                                        GError       **error);

typedef struct {
  char    *path;     /* the file to upload */
  char    *sha256;   /* of its bytes, 64 lower-case hex digits */
  guint64  size;
  gboolean is_copy;  /* TRUE: a stripped copy in the cache dir, which the
                      * caller may remove after the upload; FALSE: the
                      * stored photo itself, which held no position */
} CinGpsStripped;

void      cin_gps_stripped_free        (CinGpsStripped *stripped);

/* Reads @photo_path on a worker thread and strips it as above. A copy is
 * written (atomically) to @cache_dir (made if missing) as
 * <sha256>.<extension>, named by its own content. Errors are
 * CIN_MEDIA_ERROR (HEIC and any other format: UNSUPPORTED_FORMAT), or
 * G_IO_ERROR_CANCELLED. */
void             cin_gps_strip_file_async  (const char          *photo_path,
                                            const char          *cache_dir,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
CinGpsStripped  *cin_gps_strip_file_finish (GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinGpsStripped, cin_gps_stripped_free)

G_END_DECLS
