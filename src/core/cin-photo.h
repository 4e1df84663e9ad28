/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One photo of a photo note: the stored file (named by its SHA-256), what
 * it shows (width and height as displayed, EXIF orientation applied), and
 * what the creator set on it: a crop and alt text.
 *
 * A CinPhoto never changes once made, so a snapshot of a note shares its
 * photos with the note being edited, across threads; an edit makes a new
 * photo with cin_photo_with_*() and puts it in the note's list. */

typedef enum {
  CIN_CROP_NONE,  /* the whole photo */
  CIN_CROP_3_4,   /* portrait, the feed's own shape */
  CIN_CROP_1_1,
  CIN_CROP_4_3,
} CinCropAspect;

#define CIN_TYPE_PHOTO (cin_photo_get_type ())

typedef struct _CinPhoto CinPhoto;

GType          cin_photo_get_type       (void) G_GNUC_CONST;

/* A new photo with a new id, no crop and no alt text. */
CinPhoto      *cin_photo_new            (const char    *sha256,
                                         const char    *mime,
                                         guint          width,
                                         guint          height);
CinPhoto      *cin_photo_new_full       (const char    *id,
                                         const char    *sha256,
                                         const char    *mime,
                                         guint          width,
                                         guint          height,
                                         CinCropAspect  crop,
                                         double         crop_x,
                                         double         crop_y,
                                         const char    *alt_text);
CinPhoto      *cin_photo_ref            (CinPhoto      *self);
void           cin_photo_unref          (CinPhoto      *self);

const char    *cin_photo_get_id         (const CinPhoto *self);
const char    *cin_photo_get_sha256     (const CinPhoto *self);
const char    *cin_photo_get_mime       (const CinPhoto *self);
guint          cin_photo_get_width      (const CinPhoto *self);
guint          cin_photo_get_height     (const CinPhoto *self);
CinCropAspect  cin_photo_get_crop       (const CinPhoto *self);
/* Where the crop window sits, 0 (left or top) to 1 (right or bottom),
 * along the one axis the crop cuts; 0.5 centres it. */
double         cin_photo_get_crop_x     (const CinPhoto *self);
double         cin_photo_get_crop_y     (const CinPhoto *self);
const char    *cin_photo_get_alt_text   (const CinPhoto *self);

CinPhoto      *cin_photo_with_alt_text  (const CinPhoto *self,
                                         const char     *alt_text);
CinPhoto      *cin_photo_with_crop      (const CinPhoto *self,
                                         CinCropAspect   crop,
                                         double          crop_x,
                                         double          crop_y);
/* The same photo as another file: the one uploaded for it, or the
 * stored one the server's name maps back to. */
CinPhoto      *cin_photo_with_file      (const CinPhoto *self,
                                         const char     *sha256,
                                         const char     *mime);
/* The same content under a new id, for a duplicated note. */
CinPhoto      *cin_photo_with_new_id    (const CinPhoto *self);
gboolean       cin_photo_equal          (const CinPhoto *a,
                                         const CinPhoto *b);

/* The part of the photo the feed shows, in displayed pixels. */
void           cin_photo_get_crop_rect  (const CinPhoto *self,
                                         guint          *x,
                                         guint          *y,
                                         guint          *width,
                                         guint          *height);

const char    *cin_crop_aspect_to_string   (CinCropAspect  crop);
gboolean       cin_crop_aspect_from_string (const char    *str,
                                            CinCropAspect *crop);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinPhoto, cin_photo_unref)

G_END_DECLS
