/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How a field's length is counted, as the platform's own counter does. */
typedef enum {
  /* One per grapheme cluster, except a cluster made only of ASCII, which
   * counts one half; the total is rounded up. */
  CIN_COUNT_HALF_ASCII,
  /* One per grapheme cluster. */
  CIN_COUNT_GRAPHEMES,
} CinCountMethod;

#define CIN_TEXT_ERROR (cin_text_error_quark ())

typedef enum {
  CIN_TEXT_ERROR_INVALID_UTF8,
  CIN_TEXT_ERROR_CONTAINS_NUL,
} CinTextError;

GQuark       cin_text_error_quark          (void);

/* Accepts text the store and the rules can take: valid UTF-8 with no NUL
 * inside its @len bytes (or up to the terminator when @len is -1). */
gboolean     cin_text_validate             (const char     *text,
                                            gssize          len,
                                            GError        **error);

/* Returns a pointer just past the grapheme cluster starting at @p
 * (extended grapheme clusters of UAX #29: combining marks, ZWJ emoji
 * sequences, regional-indicator flags, skin tones, Hangul syllables). */
const char  *cin_text_next_grapheme        (const char     *p,
                                            const char     *end);

gboolean     cin_text_count                (const char     *text,
                                            gssize          len,
                                            CinCountMethod  method,
                                            guint          *count,
                                            GError        **error);

/* The character (code point) offset at which the text first exceeds
 * @max counted units, or -1 when it fits. For underlining the excess. */
glong        cin_text_overflow_offset      (const char     *text,
                                            CinCountMethod  method,
                                            guint           max);

G_END_DECLS
