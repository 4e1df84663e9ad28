/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-media-error"

#include <errno.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cin-media-error-private.h"

G_DEFINE_QUARK (cin-media-error-quark, cin_media_error)

void
_cin_media_error_not_found (GError     **error,
                            const char  *name)
{
  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_NOT_FOUND,
               _("“%s” is no longer there: it was moved, renamed or deleted after it was "
                 "chosen. Add it again from where it is now."),
               name);
}

void
_cin_media_error_unreadable (GError       **error,
                             const char    *name,
                             const GError  *cause)
{
  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_UNREADABLE,
               _("“%s” could not be read (%s). Check that it is a photo you may open, "
                 "and add it again."),
               name, cause->message);
}

void
_cin_media_error_empty (GError     **error,
                        const char  *name)
{
  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_EMPTY,
               _("“%s” is empty: the file holds no photo. Add the original photo instead."),
               name);
}

void
_cin_media_error_too_large (GError     **error,
                            const char  *name,
                            guint64      size,
                            guint64      max_bytes)
{
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *max_text = g_format_size (max_bytes);

  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_TOO_LARGE,
               _("“%s” is %s, and photos can be at most %s. Export it smaller or more "
                 "compressed, then add it again."),
               name, size_text, max_text);
}

void
_cin_media_error_too_many_pixels (GError     **error,
                                  const char  *name,
                                  guint        width,
                                  guint        height,
                                  guint64      max_pixels)
{
  guint megapixels = (guint)MAX (max_pixels / 1000000, 1);

  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_TOO_MANY_PIXELS,
               g_dngettext (GETTEXT_PACKAGE,
                            "“%s” is %u × %u pixels, more than the %u megapixel a photo may "
                            "have. Scale it down, then add it again.",
                            "“%s” is %u × %u pixels, more than the %u megapixels a photo may "
                            "have. Scale it down, then add it again.",
                            megapixels),
               name, width, height, megapixels);
}

void
_cin_media_error_unsupported (GError     **error,
                              const char  *name)
{
  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_UNSUPPORTED_FORMAT,
               _("“%s” is not a JPEG, PNG, WebP or HEIC photo, whatever its name says. "
                 "Save it as JPEG or PNG, then add it again."),
               name);
}

void
_cin_media_error_no_decoder (GError         **error,
                             const char      *name,
                             CinImageFormat   format)
{
  if (format == CIN_IMAGE_FORMAT_HEIF)
    g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_NO_DECODER,
                 _("HEIC photos need libheif, and this copy of Cinnabar was built without "
                   "it. Convert “%s” to JPEG, then add it again."),
                 name);
  else
    g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_NO_DECODER,
                 _("No image loader for “%s” is installed (WebP photos need "
                   "webp-pixbuf-loader). Install it, or convert the photo to JPEG."),
                 name);
}

void
_cin_media_error_truncated (GError     **error,
                            const char  *name)
{
  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_TRUNCATED,
               _("“%s” is incomplete: the file ends before the photo does, as when a copy "
                 "or download is cut short. Copy it again from where it came from."),
               name);
}

void
_cin_media_error_corrupt (GError     **error,
                          const char  *name)
{
  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_CORRUPT,
               _("“%s” is damaged and cannot be shown. Open it in a photo editor and save "
                 "it again, then add the new file."),
               name);
}

void
_cin_media_error_store_failed (GError     **error,
                               const char  *name,
                               int          saved_errno)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_NO_SPACE,
                 _("There is no room left on the disk to keep a copy of “%s”. Free some "
                   "space, then add it again."),
                 name);
  else
    g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_STORE_FAILED,
                 _("A copy of “%s” could not be kept with your drafts (%s). Check that "
                   "your home folder is writable, then add it again."),
                 name, g_strerror (saved_errno));
}

void
_cin_media_error_missing (GError     **error,
                          const char  *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, CIN_MEDIA_ERROR, CIN_MEDIA_ERROR_MISSING,
               _("The copy of this photo kept with your drafts (%s) is missing or "
                 "unreadable. Remove the photo from the note and add it again."),
               display);
}

char *
_cin_media_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  if (basename == NULL)
    return g_file_get_parse_name (file);
  return g_filename_display_name (basename);
}
