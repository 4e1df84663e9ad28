/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cin-photo.h"

G_BEGIN_DECLS

/* What importing a photo found and kept: the copy in the media dir, named
 * by its content's SHA-256, and the photo as displayed. Immutable, so it
 * can be shared across threads. */

#define CIN_TYPE_IMPORTED_PHOTO (cin_imported_photo_get_type ())

typedef struct _CinImportedPhoto CinImportedPhoto;

GType             cin_imported_photo_get_type        (void) G_GNUC_CONST;

CinImportedPhoto *cin_imported_photo_new             (const char             *sha256,
                                                      const char             *path,
                                                      const char             *mime,
                                                      const char             *name,
                                                      guint                   width,
                                                      guint                   height,
                                                      guint                   orientation,
                                                      guint64                 size);
CinImportedPhoto *cin_imported_photo_ref             (CinImportedPhoto       *self);
void              cin_imported_photo_unref           (CinImportedPhoto       *self);

/* The identity of the photo: the same content always has the same hash
 * and the same stored file. */
const char       *cin_imported_photo_get_sha256      (const CinImportedPhoto *self);
/* The stored copy (bytes, as every file name is). */
const char       *cin_imported_photo_get_path        (const CinImportedPhoto *self);
/* By content: "image/jpeg", "image/png", "image/webp" or "image/heic". */
const char       *cin_imported_photo_get_mime        (const CinImportedPhoto *self);
/* The original's file name as a person reads it (valid UTF-8). */
const char       *cin_imported_photo_get_name        (const CinImportedPhoto *self);
/* As displayed: Exif orientation applied. */
guint             cin_imported_photo_get_width       (const CinImportedPhoto *self);
guint             cin_imported_photo_get_height      (const CinImportedPhoto *self);
/* The Exif orientation, 1–8 (1 for formats that carry none). */
guint             cin_imported_photo_get_orientation (const CinImportedPhoto *self);
/* In bytes. */
guint64           cin_imported_photo_get_size        (const CinImportedPhoto *self);
/* Width / height as displayed: what a placeholder needs before the
 * thumbnail arrives. */
double            cin_imported_photo_get_aspect_ratio (const CinImportedPhoto *self);

/* A new photo for a note (a new id, no crop, no alt text). */
CinPhoto         *cin_imported_photo_to_photo        (const CinImportedPhoto *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinImportedPhoto, cin_imported_photo_unref)

G_END_DECLS
