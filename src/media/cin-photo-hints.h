/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cin-types.h"

G_BEGIN_DECLS

/* Advice on a photo's size, never a refusal: the feed shows photos as 3:4
 * and looks best from the rules' recommended size (720 × 960) up. */

typedef enum {
  CIN_PHOTO_HINT_NONE      = 0,
  CIN_PHOTO_HINT_SMALL     = 1 << 0,  /* narrower or lower than recommended */
  CIN_PHOTO_HINT_NOT_3_4   = 1 << 1,  /* the feed's 3:4 crop cuts off much of it */
} CinPhotoHints;

/* More than this share of the photo falls outside the feed's crop. */
#define CIN_PHOTO_HINT_MAX_CROPPED 0.10

/* For a photo of @width × @height as displayed. */
CinPhotoHints  cin_photo_hints_for_size     (CinRules      *rules,
                                             guint          width,
                                             guint          height);
/* The share (0–1) of a @width × @height photo that the feed's crop to the
 * recommended shape cuts off. */
double         cin_photo_hints_cropped_share (CinRules     *rules,
                                              guint         width,
                                              guint         height);
/* One translated sentence per hint, for a tooltip or a row's subtitle;
 * NULL when there is nothing to say. */
char          *cin_photo_hints_describe     (CinRules      *rules,
                                             guint          width,
                                             guint          height);

G_END_DECLS
