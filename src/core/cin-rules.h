/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cin-finding.h"
#include "cin-text.h"
#include "cin-types.h"

G_BEGIN_DECLS

/* The platform's limits, loaded from a versioned rules file
 * (data/rules/rules.json). The platform changes its limits without notice,
 * so a newer file dropped in the user's config dir wins without a rebuild. */

#define CIN_RULES_ERROR (cin_rules_error_quark ())

typedef enum {
  CIN_RULES_ERROR_INVALID,      /* not JSON, or a field missing or wrong */
  CIN_RULES_ERROR_UNSUPPORTED,  /* a format this build cannot read */
  CIN_RULES_ERROR_NOT_FOUND,
} CinRulesError;

#define CIN_TYPE_RULES (cin_rules_get_type ())

GType        cin_rules_get_type              (void) G_GNUC_CONST;
GQuark       cin_rules_error_quark           (void);

CinRules    *cin_rules_new_from_bytes        (GBytes       *bytes,
                                              GError      **error);
CinRules    *cin_rules_new_from_file         (const char   *path,
                                              GError      **error);
/* The newest valid rules file among the user's config dir
 * ($XDG_CONFIG_HOME/cinnabar/rules/) and the installed data dir. */
CinRules    *cin_rules_load_default          (GError      **error);
CinRules    *cin_rules_ref                   (CinRules     *self);
void         cin_rules_unref                 (CinRules     *self);

guint        cin_rules_get_version           (CinRules     *self);
const char  *cin_rules_get_path              (CinRules     *self);
/* When the values were last checked against the platform, "YYYY-MM-DD". */
const char  *cin_rules_get_updated           (CinRules     *self);
guint        cin_rules_get_title_max         (CinRules     *self);
CinCountMethod cin_rules_get_title_count     (CinRules     *self);
guint        cin_rules_get_body_max          (CinRules     *self);
CinCountMethod cin_rules_get_body_count      (CinRules     *self);
guint        cin_rules_get_topics_max        (CinRules     *self);
guint        cin_rules_get_photos_min        (CinRules     *self);
guint        cin_rules_get_photos_max        (CinRules     *self);
guint64      cin_rules_get_photo_max_bytes   (CinRules     *self);
/* File formats the platform takes for photos, such as "png", "jpeg". */
const char * const *cin_rules_get_photo_formats (CinRules   *self);
guint        cin_rules_get_photo_recommended_width  (CinRules *self);
guint        cin_rules_get_photo_recommended_height (CinRules *self);
guint64      cin_rules_get_video_max_bytes   (CinRules     *self);
guint        cin_rules_get_video_max_seconds (CinRules     *self);
guint        cin_rules_get_board_name_max    (CinRules     *self);
guint        cin_rules_get_schedule_min_seconds (CinRules  *self);
guint        cin_rules_get_schedule_max_seconds (CinRules  *self);

/* Counts a field as the platform does. FALSE with CIN_TEXT_ERROR on
 * invalid UTF-8 or an embedded NUL. */
gboolean     cin_rules_count_field           (CinRules     *self,
                                              CinField      field,
                                              const char   *text,
                                              guint        *count,
                                              GError      **error);

/* Every finding for one field, CIN_FIELD_TITLE or CIN_FIELD_BODY (length,
 * typed #topics; plus the advertising-law check when @ad_check is given),
 * sorted with cin_finding_compare(). Empty for text that is not valid
 * UTF-8 or holds a NUL: cin_rules_count_field() says what is wrong. */
GPtrArray   *cin_rules_check_field           (CinRules     *self,
                                              CinAdCheck   *ad_check,
                                              CinField      field,
                                              const char   *text);
/* All fields of a note, plus note-level rules (too many topics). */
GPtrArray   *cin_rules_check_note            (CinRules     *self,
                                              CinAdCheck   *ad_check,
                                              CinNote      *note);

/* `#word` typed in the text: plain text on the platform, not topics.
 * "#word#" is the hashtag "word"; "#a#b" is "a" and "b". Unique, in order
 * of first appearance; empty for NULL or invalid text. */
GStrv        cin_rules_extract_hashtags      (const char   *text);
/* `@name` typed in the text, not the middle of an e-mail address, without
 * a sentence's closing '.'. Unique, in order of first appearance. */
GStrv        cin_rules_extract_mentions      (const char   *text);

/* Where each `@name` is, '@' included, in bytes (CinTextRange); empty for
 * NULL or invalid text. */
typedef struct {
  gsize start;
  gsize end;
} CinTextRange;

GArray      *cin_rules_find_mentions         (const char   *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinRules, cin_rules_unref)

G_END_DECLS
