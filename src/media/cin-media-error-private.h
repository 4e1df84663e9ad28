/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-image-format.h"
#include "cin-media-error.h"

G_BEGIN_DECLS

/* One builder per error, so every message a person reads about a photo is
 * written (and translated) in one place. @name is a display name: valid
 * UTF-8 whatever bytes the file name holds (g_filename_display_name()). */

void _cin_media_error_not_found       (GError         **error,
                                       const char      *name);
void _cin_media_error_unreadable      (GError         **error,
                                       const char      *name,
                                       const GError    *cause);
void _cin_media_error_empty           (GError         **error,
                                       const char      *name);
void _cin_media_error_too_large       (GError         **error,
                                       const char      *name,
                                       guint64          size,
                                       guint64          max_bytes);
void _cin_media_error_too_many_pixels (GError         **error,
                                       const char      *name,
                                       guint            width,
                                       guint            height,
                                       guint64          max_pixels);
void _cin_media_error_unsupported     (GError         **error,
                                       const char      *name);
void _cin_media_error_no_decoder      (GError         **error,
                                       const char      *name,
                                       CinImageFormat   format);
void _cin_media_error_truncated       (GError         **error,
                                       const char      *name);
void _cin_media_error_corrupt         (GError         **error,
                                       const char      *name);
/* From errno after a failed write, fsync or rename while storing. */
void _cin_media_error_store_failed    (GError         **error,
                                       const char      *name,
                                       int              saved_errno);
void _cin_media_error_missing         (GError         **error,
                                       const char      *path);

/* A display name for @file: its base name made valid UTF-8. */
char *_cin_media_display_name         (GFile           *file);

G_END_DECLS
