/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "cin-media-library.h"
#include "cin-note.h"

G_BEGIN_DECLS

/* Adds photos to a note: asks for files (through the portal when in a
 * sandbox), imports each with the media library off the main thread, and
 * puts them at the end of the note in the order they were given. A photo
 * already in the note, one past the note's limit, or a file that is not a
 * usable photo is refused with a message for that file ("refused"); the
 * rest of the note is untouched. */

#define CIN_TYPE_PHOTO_IMPORTER (cin_photo_importer_get_type ())
G_DECLARE_FINAL_TYPE (CinPhotoImporter, cin_photo_importer, CIN, PHOTO_IMPORTER, GObject)

CinPhotoImporter *cin_photo_importer_new           (CinMediaLibrary  *library);
void              cin_photo_importer_set_max_photos (CinPhotoImporter *self,
                                                     guint             max_photos);
/* Shows the file chooser over @parent, then imports what is chosen. */
void              cin_photo_importer_choose        (CinPhotoImporter *self,
                                                    GtkWindow        *parent,
                                                    CinNote          *note);
/* Imports @files (GFile) into @note, in order. */
void              cin_photo_importer_import        (CinPhotoImporter *self,
                                                    CinNote          *note,
                                                    GList            *files);
/* Imports an image that has no file (pasted, or dropped from another
 * app) into @note, as a PNG. */
void              cin_photo_importer_import_texture (CinPhotoImporter *self,
                                                     CinNote          *note,
                                                     GdkTexture       *texture);
/* Files still being imported. */
guint             cin_photo_importer_get_pending   (CinPhotoImporter *self);

G_END_DECLS
