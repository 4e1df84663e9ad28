/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-rules"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cin-note.h"
#include "cin-rules-private.h"

/* What the rules say about a photo note's photos: too few or too many is
 * an error or a warning (the platform refuses the note); a photo smaller
 * than the feed shows well, a cover far from the feed's 3:4, or a photo
 * with no description is a hint, never a refusal. */

/* How far a cover's shape may be from 3:4 before the feed's crop takes
 * away enough to mention. */
#define COVER_SHAPE_TOLERANCE 0.08

static void
add (GPtrArray      *findings,
     CinFindingKind  kind,
     CinSeverity     severity,
     guint           start,
     guint           end,
     const char     *message)
{
  g_ptr_array_add (findings, cin_finding_new (kind, severity, CIN_FIELD_PHOTOS,
                                              start, end, "", message, NULL));
}

static void
check_count (CinRules  *self,
             guint      n,
             GPtrArray *findings)
{
  guint min = cin_rules_get_photos_min (self);
  guint max = cin_rules_get_photos_max (self);

  if (n < min)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "A photo note needs at least %u photo before it can be "
                                      "published. Add photos; the first one is the cover.",
                                      "A photo note needs at least %u photos before it can be "
                                      "published. Add photos; the first one is the cover.",
                                      min),
                         min);
      add (findings, CIN_FINDING_TOO_FEW_PHOTOS, CIN_SEVERITY_WARNING, 0, 0, message);
    }
  else if (n > max)
    {
      guint excess = n - max;
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      /* Translators: the first %u is how many photos the
                                       * note has, the second the platform's limit, the
                                       * third the difference, which picks the plural. */
                                      "The note has %u photos; the platform allows %u. "
                                      "Remove %u photo.",
                                      "The note has %u photos; the platform allows %u. "
                                      "Remove %u photos.",
                                      excess),
                         n, max, excess);
      add (findings, CIN_FINDING_TOO_MANY_PHOTOS, CIN_SEVERITY_ERROR, max, n, message);
    }
}

static void
check_size (CinRules  *self,
            CinPhoto  *photo,
            guint      position,
            GPtrArray *findings)
{
  guint min_width = cin_rules_get_photo_recommended_width (self);
  guint min_height = cin_rules_get_photo_recommended_height (self);
  guint width, height;
  g_autofree char *message = NULL;

  cin_photo_get_crop_rect (photo, NULL, NULL, &width, &height);
  if (width >= min_width && height >= min_height)
    return;

  /* Translators: %u is the photo's place in the note; then its size as
   * shown, then the size the feed shows well, in pixels. */
  message = g_strdup_printf (_("Photo %u is %u×%u pixels; under %u×%u it may look soft in the "
                               "feed. A larger photo looks sharper."),
                             position + 1, width, height, min_width, min_height);
  add (findings, CIN_FINDING_PHOTO_SMALL, CIN_SEVERITY_HINT, position, position + 1, message);
}

static void
check_cover_shape (CinPhoto  *cover,
                   GPtrArray *findings)
{
  guint width, height;
  double ratio;

  cin_photo_get_crop_rect (cover, NULL, NULL, &width, &height);
  if (width == 0 || height == 0)
    return;

  ratio = (double)width / height;
  if (fabs (ratio - 0.75) <= COVER_SHAPE_TOLERANCE)
    return;

  add (findings, CIN_FINDING_COVER_SHAPE, CIN_SEVERITY_HINT, 0, 1,
       _("The cover is not 3:4, so the feed cuts its edges off. Crop it to 3:4 to choose "
         "what shows."));
}

void
_cin_rules_check_photos (CinRules  *self,
                         CinNote   *note,
                         GPtrArray *findings)
{
  guint n = cin_note_get_n_photos (note);
  guint undescribed = 0;

  check_count (self, n, findings);
  if (n > 0)
    check_cover_shape (cin_note_get_photo (note, 0), findings);

  for (guint i = 0; i < n; i++)
    {
      CinPhoto *photo = cin_note_get_photo (note, i);

      check_size (self, photo, i, findings);
      undescribed += *cin_photo_get_alt_text (photo) == '\0';
    }

  if (undescribed > 0)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u photo has no description. Describe it for people "
                                      "using a screen reader: select it and fill in its "
                                      "description.",
                                      "%u photos have no description. Describe them for people "
                                      "using a screen reader: select each and fill in its "
                                      "description.",
                                      undescribed),
                         undescribed);
      add (findings, CIN_FINDING_PHOTO_NO_ALT_TEXT, CIN_SEVERITY_HINT, 0, n, message);
    }
}
