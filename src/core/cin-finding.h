/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-types.h"

G_BEGIN_DECLS

typedef enum {
  CIN_FIELD_TITLE,
  CIN_FIELD_BODY,
  /* The note's topic list: a finding's start and end index topics, not
   * characters (too many topics: from the first one over the limit). */
  CIN_FIELD_TOPICS,
  /* The note's photos: start and end index photos (start == end: the note
   * as a whole, such as "no photos yet"). */
  CIN_FIELD_PHOTOS,
} CinField;

typedef enum {
  CIN_SEVERITY_HINT,
  CIN_SEVERITY_WARNING,
  CIN_SEVERITY_ERROR,
} CinSeverity;

typedef enum {
  CIN_FINDING_TITLE_TOO_LONG,
  CIN_FINDING_BODY_TOO_LONG,
  CIN_FINDING_TYPED_TOPIC,
  CIN_FINDING_TOO_MANY_TOPICS,
  CIN_FINDING_AD_ABSOLUTE_CLAIM,
  CIN_FINDING_AD_EXTERNAL_LINK,
  CIN_FINDING_AD_QR_HINT,
  CIN_FINDING_TOO_FEW_PHOTOS,
  CIN_FINDING_TOO_MANY_PHOTOS,
  CIN_FINDING_PHOTO_SMALL,
  CIN_FINDING_COVER_SHAPE,
  CIN_FINDING_PHOTO_NO_ALT_TEXT,
} CinFindingKind;

/* One thing the rules or the advertising-law check found in a field.
 * Offsets are in characters (code points), as GtkTextIter counts them. */
struct _CinFinding {
  CinFindingKind  kind;
  CinSeverity     severity;
  CinField        field;
  guint           start;
  guint           end;
  char           *match;       /* (owned) the text found */
  char           *message;     /* (owned) translated; says what to do */
  char           *suggestion;  /* (owned) (nullable) replacement text */
};

#define CIN_TYPE_FINDING (cin_finding_get_type ())

GType        cin_finding_get_type   (void) G_GNUC_CONST;
CinFinding  *cin_finding_new        (CinFindingKind  kind,
                                     CinSeverity     severity,
                                     CinField        field,
                                     guint           start,
                                     guint           end,
                                     const char     *match,
                                     const char     *message,
                                     const char     *suggestion);
CinFinding  *cin_finding_copy       (const CinFinding *self);
void         cin_finding_free       (CinFinding     *self);
int          cin_finding_compare    (const CinFinding *a,
                                     const CinFinding *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CinFinding, cin_finding_free)

G_END_DECLS
