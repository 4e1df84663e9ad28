/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-note-fields"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cin-image-format.h"
#include "cin-note-fields.h"
#include "cin-note-json.h"
#include "cin-text.h"

static gboolean
parse_digits (const char **p,
              guint        n_digits,
              int         *value)
{
  *value = 0;
  for (guint i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + ((*p)[i] - '0');
    }

  *p += n_digits;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/* RFC 3339 date-time (section 5.6), read by hand: GLib's ISO 8601 parser
 * takes many forms RFC 3339 does not, and goes through a double for the
 * seconds, which can cost the last microsecond. */
static gboolean
parse_time (const char *text,
            gint64     *unix_usec)
{
  g_autoptr(GDateTime) time = NULL;
  const char *p = text;
  int year, month, day, hour, minute, second;
  gint64 usec = 0;
  int offset_seconds = 0;

  if (!parse_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !parse_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !parse_digits (&p, 2, &day))
    return FALSE;

  if (*p != 'T' && *p != 't')
    return FALSE;
  p++;

  if (!parse_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !parse_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !parse_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      guint n = 0;

      p++;
      /* Digits past the sixth are below what a note keeps, and dropped. */
      for (; g_ascii_isdigit (*p); p++, n++)
        if (n < 6)
          usec = usec * 10 + (*p - '0');
      if (n == 0)
        return FALSE;
      for (; n < 6; n++)
        usec *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int offset_hour, offset_minute;

      p++;
      if (!parse_digits (&p, 2, &offset_hour) || !expect_char (&p, ':') ||
          !parse_digits (&p, 2, &offset_minute) ||
          offset_hour > 23 || offset_minute > 59)
        return FALSE;
      offset_seconds = sign * (offset_hour * 3600 + offset_minute * 60);
    }
  else
    return FALSE;

  if (*p != '\0')
    return FALSE;

  /* GDateTime checks the ranges (a 30 February, hour 24). A leap second
   * (:60) is refused with them: nothing in Cinnabar produces one. */
  time = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (time == NULL)
    return FALSE;

  *unix_usec = (g_date_time_to_unix (time) - offset_seconds) * G_USEC_PER_SEC + usec;
  return *unix_usec >= 0;
}


static gboolean
check_text (const char  *member,
            const char  *text,
            GError     **error)
{
  g_autoptr(GError) text_error = NULL;

  if (text == NULL || cin_text_validate (text, -1, &text_error))
    return TRUE;

  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: “%s” is not valid text (%s)."),
               member, text_error->message);
  return FALSE;
}

static gboolean
set_missing_error (GError     **error,
                   const char  *member)
{
  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: “%s” is missing."), member);
  return FALSE;
}

static gboolean
check_required (const char  *member,
                const char  *text,
                GError     **error)
{
  if (text == NULL || *text == '\0')
    return set_missing_error (error, member);
  return check_text (member, text, error);
}

gboolean
cin_note_fields_check_strv (const char          *member,
                            const char * const  *strv,
                            GError             **error)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    if (!check_text (member, strv[i], error))
      return FALSE;
  return TRUE;
}

static void
set_unknown_value_error (GError     **error,
                         const char  *member,
                         const char  *value)
{
  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: “%s” has the unknown value “%s”."),
               member, value);
}

static gboolean
get_time (const char  *member,
          const char  *text,
          gboolean     required,
          gint64      *unix_usec,
          GError     **error)
{
  *unix_usec = 0;
  if (text == NULL)
    return !required || set_missing_error (error, member);
  if (!check_text (member, text, error))
    return FALSE;
  if (!parse_time (text, unix_usec))
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: “%s” must be an RFC 3339 time such as "
                     "“2025-01-31T08:00:00.000000Z” after 1970, not “%s”."),
                   member, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_sha256 (const char *text)
{
  gsize i;

  for (i = 0; text[i] != '\0'; i++)
    if (!g_ascii_isdigit (text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
      return FALSE;
  return i == 64;
}

static void
set_photo_error (GError     **error,
                 guint        index,
                 const char  *member,
                 const char  *what)
{
  /* Translators: %u is the photo's position (1 for the first), %s a
   * member such as “width”, and the last part says what it must be. */
  g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
               _("Invalid note data: photo %u: “%s” %s."), index + 1, member, what);
}

static gboolean
check_photo_size (guint        index,
                  const char  *member,
                  gint64       value,
                  GError     **error)
{
  if (value < 1 || value > CIN_NOTE_JSON_MAX_PHOTO_SIDE)
    {
      set_photo_error (error, index, member, _("must be a whole number of pixels above zero"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_crop_position (guint        index,
                     const char  *member,
                     double       value,
                     GError     **error)
{
  if (!(value >= 0.0 && value <= 1.0))
    {
      set_photo_error (error, index, member, _("must be a number from 0 to 1"));
      return FALSE;
    }
  return TRUE;
}

static CinPhoto *
photo_from_fields (const CinPhotoFields  *fields,
                   guint                  index,
                   GError               **error)
{
  CinCropAspect crop = CIN_CROP_NONE;

  if (!check_required ("id", fields->id, error) ||
      !check_required ("sha256", fields->sha256, error) ||
      !check_required ("mime", fields->mime, error) ||
      !check_text ("crop", fields->crop, error) ||
      !check_text ("alt_text", fields->alt_text, error) ||
      !check_photo_size (index, "width", fields->width, error) ||
      !check_photo_size (index, "height", fields->height, error) ||
      !check_crop_position (index, "crop_x", fields->crop_x, error) ||
      !check_crop_position (index, "crop_y", fields->crop_y, error))
    return NULL;

  if (strlen (fields->id) > CIN_NOTE_JSON_MAX_ID_LENGTH)
    {
      set_photo_error (error, index, "id", _("is too long"));
      return NULL;
    }
  if (!is_sha256 (fields->sha256))
    {
      set_photo_error (error, index, "sha256", _("must be 64 lower-case hexadecimal digits"));
      return NULL;
    }
  /* A photo format's own name, exactly ("image/jpeg", not "IMAGE/JPEG"). */
  if (g_strcmp0 (cin_image_format_get_mime (cin_image_format_from_mime (fields->mime)), fields->mime) != 0)
    {
      set_unknown_value_error (error, "mime", fields->mime);
      return NULL;
    }
  if (fields->crop != NULL && !cin_crop_aspect_from_string (fields->crop, &crop))
    {
      set_unknown_value_error (error, "crop", fields->crop);
      return NULL;
    }

  return cin_photo_new_full (fields->id, fields->sha256, fields->mime,
                             (guint)fields->width, (guint)fields->height,
                             crop, fields->crop_x, fields->crop_y, fields->alt_text);
}

static GPtrArray *
photos_from_fields (const CinNoteFields  *fields,
                    GError              **error)
{
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_photo_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  if (fields->n_photos > CIN_NOTE_JSON_MAX_PHOTOS)
    {
      g_set_error (error, CIN_NOTE_JSON_ERROR, CIN_NOTE_JSON_ERROR_INVALID,
                   _("Invalid note data: a note can have at most %u photos."),
                   CIN_NOTE_JSON_MAX_PHOTOS);
      return NULL;
    }

  for (guint i = 0; i < fields->n_photos; i++)
    {
      CinPhoto *photo = photo_from_fields (&fields->photos[i], i, error);

      if (photo == NULL)
        return NULL;
      g_ptr_array_add (photos, photo);
      if (!g_hash_table_add (ids, (gpointer)cin_photo_get_id (photo)))
        {
          set_photo_error (error, i, "id", _("is used by another photo of the note"));
          return NULL;
        }
    }
  return g_steal_pointer (&photos);
}

CinNote *
cin_note_from_fields (const CinNoteFields  *fields,
                      GError              **error)
{
  g_autoptr(CinNote) note = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  gint64 scheduled_at, created_at, updated_at;
  CinNoteKind kind;
  CinVisibility visibility = CIN_VISIBILITY_PUBLIC;
  CinNoteState state = CIN_NOTE_STATE_DRAFT;

  g_return_val_if_fail (fields != NULL, NULL);

  if (!check_required ("id", fields->id, error) ||
      !check_required ("kind", fields->kind, error) ||
      !check_text ("title", fields->title, error) ||
      !check_text ("body", fields->body, error) ||
      !cin_note_fields_check_strv ("topics", fields->topics, error) ||
      !cin_note_fields_check_strv ("mentions", fields->mentions, error) ||
      !check_text ("location", fields->location, error) ||
      !check_text ("visibility", fields->visibility, error) ||
      !check_text ("state", fields->state, error) ||
      !get_time ("scheduled_at", fields->scheduled_at, FALSE, &scheduled_at, error) ||
      !get_time ("created_at", fields->created_at, TRUE, &created_at, error) ||
      !get_time ("updated_at", fields->updated_at, TRUE, &updated_at, error) ||
      !check_text ("rev", fields->rev, error) ||
      (photos = photos_from_fields (fields, error)) == NULL)
    return NULL;

  if (!cin_note_kind_from_string (fields->kind, &kind))
    {
      set_unknown_value_error (error, "kind", fields->kind);
      return NULL;
    }
  if (fields->visibility != NULL && !cin_visibility_from_string (fields->visibility, &visibility))
    {
      set_unknown_value_error (error, "visibility", fields->visibility);
      return NULL;
    }
  if (fields->state != NULL && !cin_note_state_from_string (fields->state, &state))
    {
      set_unknown_value_error (error, "state", fields->state);
      return NULL;
    }

  note = cin_note_new_with_id (fields->id, kind);
  cin_note_set_title (note, fields->title);
  cin_note_set_body (note, fields->body);
  cin_note_set_topics (note, fields->topics);
  cin_note_set_mentions (note, fields->mentions);
  cin_note_set_location (note, fields->location);
  cin_note_set_visibility (note, visibility);
  cin_note_set_original (note, fields->original);
  cin_note_set_state (note, state);
  cin_note_set_scheduled_at (note, scheduled_at);
  cin_note_set_created_at (note, created_at);
  cin_note_set_updated_at (note, updated_at);
  cin_note_set_rev (note, fields->rev);
  cin_note_set_photos (note, photos);

  return g_steal_pointer (&note);
}
