/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-photo-hints"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cin-photo-hints.h"
#include "cin-rules.h"

double
cin_photo_hints_cropped_share (CinRules *rules,
                               guint     width,
                               guint     height)
{
  double target, ratio;

  g_return_val_if_fail (rules != NULL, 0.0);

  if (width == 0 || height == 0)
    return 0.0;

  target = (double)cin_rules_get_photo_recommended_width (rules) /
           MAX (cin_rules_get_photo_recommended_height (rules), 1);
  ratio = (double)width / height;
  return 1.0 - MIN (ratio / target, target / ratio);
}

CinPhotoHints
cin_photo_hints_for_size (CinRules *rules,
                          guint     width,
                          guint     height)
{
  CinPhotoHints hints = CIN_PHOTO_HINT_NONE;

  g_return_val_if_fail (rules != NULL, CIN_PHOTO_HINT_NONE);

  if (width < cin_rules_get_photo_recommended_width (rules) ||
      height < cin_rules_get_photo_recommended_height (rules))
    hints |= CIN_PHOTO_HINT_SMALL;
  if (cin_photo_hints_cropped_share (rules, width, height) > CIN_PHOTO_HINT_MAX_CROPPED)
    hints |= CIN_PHOTO_HINT_NOT_3_4;

  return hints;
}

char *
cin_photo_hints_describe (CinRules *rules,
                          guint     width,
                          guint     height)
{
  CinPhotoHints hints = cin_photo_hints_for_size (rules, width, height);
  g_autoptr(GString) text = NULL;

  if (hints == CIN_PHOTO_HINT_NONE)
    return NULL;

  text = g_string_new (NULL);
  if (hints & CIN_PHOTO_HINT_SMALL)
    g_string_append_printf (text,
                            _("This photo is %u × %u pixels; the feed looks sharp from %u × %u up."),
                            width, height,
                            cin_rules_get_photo_recommended_width (rules),
                            cin_rules_get_photo_recommended_height (rules));

  if (hints & CIN_PHOTO_HINT_NOT_3_4)
    {
      int percent = (int)lround (100 * cin_photo_hints_cropped_share (rules, width, height));

      if (text->len > 0)
        g_string_append_c (text, ' ');
      /* The feed's shape is width to height, as the rules recommend it. */
      if ((double)width / height > (double)cin_rules_get_photo_recommended_width (rules) /
                                   MAX (cin_rules_get_photo_recommended_height (rules), 1))
        g_string_append_printf (text,
                                _("The feed shows photos as 3:4 and will cut %d%% of this one’s "
                                  "width; crop it to choose what stays."),
                                percent);
      else
        g_string_append_printf (text,
                                _("The feed shows photos as 3:4 and will cut %d%% of this one’s "
                                  "height; crop it to choose what stays."),
                                percent);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}
