/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-rules.h"

G_BEGIN_DECLS

/* Shared by cin-rules.c (counting and checking), cin-rules-file.c (reading
 * the rules file) and cin-rules-words.c (topics and mentions in text). */

#define CIN_RULES_FORMAT 1

struct _CinRules
{
  gatomicrefcount  ref_count;

  /* Owned */
  char            *path;       /* (nullable) where the rules came from */
  char            *updated;
  GStrv            photo_formats;

  guint            version;
  guint            title_max;
  CinCountMethod   title_count;
  guint            body_max;
  CinCountMethod   body_count;
  guint            photos_min;
  guint            photos_max;
  guint64          photo_max_bytes;
  guint            photo_recommended_width;
  guint            photo_recommended_height;
  guint64          video_max_bytes;
  guint            video_max_seconds;
  guint            topics_max;
  guint            schedule_min_seconds;
  guint            schedule_max_seconds;
  guint            board_name_max;
};

/* One `#word` typed in the text, in code points. */
typedef struct {
  glong  start;
  glong  end;
  char  *word;
} CinHashtag;

/* Every `#word` in @text that is not the platform's own topic marker
 * ("#word[话题]#"), as a GArray of CinHashtag that clears its words. */
GArray *_cin_rules_scan_hashtags (const char *text);

/* Adds what the rules say about @note's photos (cin-rules-photos.c). */
void    _cin_rules_check_photos  (CinRules   *self,
                                  CinNote    *note,
                                  GPtrArray  *findings);

G_END_DECLS
