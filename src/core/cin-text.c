/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-text"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cin-text.h"

G_DEFINE_QUARK (cin-text-error-quark, cin_text_error)

gboolean
cin_text_validate (const char  *text,
                   gssize       len,
                   GError     **error)
{
  const char *bad = NULL;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 0)
    len = strlen (text);

  /* g_utf8_validate_len() stops at a NUL as well as at a bad sequence;
   * the byte it stops on tells the two apart. */
  if (g_utf8_validate_len (text, len, &bad))
    return TRUE;

  if (*bad == '\0')
    g_set_error_literal (error, CIN_TEXT_ERROR, CIN_TEXT_ERROR_CONTAINS_NUL,
                         _("The text contains a null character and can't be saved. "
                           "Paste it again from its source, or remove the character."));
  else
    g_set_error_literal (error, CIN_TEXT_ERROR, CIN_TEXT_ERROR_INVALID_UTF8,
                         _("The text is not valid UTF-8 and can't be saved. "
                           "Paste it again from its source, or save the file as UTF-8 first."));
  return FALSE;
}

/* Grapheme_Cluster_Break values of UAX #29, computed from code points and
 * GLib's general categories because GLib carries no segmentation data. */
typedef enum {
  GCB_OTHER,
  GCB_CR,
  GCB_LF,
  GCB_CONTROL,
  GCB_EXTEND,
  GCB_ZWJ,
  GCB_REGIONAL_INDICATOR,
  GCB_PREPEND,
  GCB_SPACING_MARK,
  GCB_L,
  GCB_V,
  GCB_T,
  GCB_LV,
  GCB_LVT,
} Gcb;

/* Not a code point: marks a byte that starts no valid sequence, so that it
 * becomes a cluster of its own and the walk always moves forward. */
#define INVALID_CHAR ((gunichar)-1)

typedef struct {
  gunichar first;
  gunichar last;
} Range;

static gboolean
in_ranges (gunichar     c,
           const Range *ranges,
           gsize        n_ranges)
{
  gsize lo = 0;
  gsize hi = n_ranges;

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;

      if (c < ranges[mid].first)
        hi = mid;
      else if (c > ranges[mid].last)
        lo = mid + 1;
      else
        return TRUE;
    }

  return FALSE;
}

/* Extended_Pictographic, widened to whole blocks where the real property
 * has holes: the blocks' unassigned code points would be emoji when they
 * are assigned, and treating them so early does no harm. */
static const Range extended_pictographic[] = {
  { 0x00A9, 0x00A9 }, { 0x00AE, 0x00AE }, { 0x203C, 0x203C },
  { 0x2049, 0x2049 }, { 0x2122, 0x2122 }, { 0x2139, 0x2139 },
  { 0x2194, 0x2199 }, { 0x21A9, 0x21AA }, { 0x231A, 0x231B },
  { 0x2328, 0x2328 }, { 0x23CF, 0x23CF }, { 0x23E9, 0x23F3 },
  { 0x23F8, 0x23FA }, { 0x24C2, 0x24C2 }, { 0x25AA, 0x25AB },
  { 0x25B6, 0x25B6 }, { 0x25C0, 0x25C0 }, { 0x25FB, 0x25FE },
  { 0x2600, 0x27BF }, { 0x2934, 0x2935 }, { 0x2B05, 0x2B07 },
  { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 },
  { 0x3030, 0x3030 }, { 0x303D, 0x303D }, { 0x3297, 0x3297 },
  { 0x3299, 0x3299 }, { 0x1F000, 0x1FAFF }, { 0x1FC00, 0x1FFFD },
};

/* The few Prepend characters (Arabic number signs and the like): they
 * attach to what follows rather than to what precedes. */
static const Range prepend[] = {
  { 0x0600, 0x0605 }, { 0x06DD, 0x06DD }, { 0x070F, 0x070F },
  { 0x0890, 0x0891 }, { 0x08E2, 0x08E2 }, { 0x0D4E, 0x0D4E },
  { 0x110BD, 0x110BD }, { 0x110CD, 0x110CD }, { 0x111C2, 0x111C3 },
  { 0x1193F, 0x1193F }, { 0x11941, 0x11941 }, { 0x11A3A, 0x11A3A },
  { 0x11A84, 0x11A89 }, { 0x11D46, 0x11D46 }, { 0x11F02, 0x11F02 },
};

/* Indic_Conjunct_Break=Consonant (Unicode 15.1): the consonants of the
 * scripts whose virama joins a conjunct into one cluster, so that क्ष
 * counts as one character, as people who write Hindi see it. */
static const Range incb_consonant[] = {
  { 0x0915, 0x0939 }, { 0x0958, 0x095F }, { 0x0978, 0x097F },
  { 0x0995, 0x09A8 }, { 0x09AA, 0x09B0 }, { 0x09B2, 0x09B2 },
  { 0x09B6, 0x09B9 }, { 0x09DC, 0x09DD }, { 0x09DF, 0x09DF },
  { 0x09F0, 0x09F1 },
  { 0x0A95, 0x0AA8 }, { 0x0AAA, 0x0AB0 }, { 0x0AB2, 0x0AB3 },
  { 0x0AB5, 0x0AB9 }, { 0x0AF9, 0x0AF9 },
  { 0x0B15, 0x0B28 }, { 0x0B2A, 0x0B30 }, { 0x0B32, 0x0B33 },
  { 0x0B35, 0x0B39 }, { 0x0B5C, 0x0B5D }, { 0x0B5F, 0x0B5F },
  { 0x0B71, 0x0B71 },
  { 0x0C15, 0x0C28 }, { 0x0C2A, 0x0C39 }, { 0x0C58, 0x0C5A },
  { 0x0D15, 0x0D3A },
};

static gboolean
is_extended_pictographic (gunichar c)
{
  return in_ranges (c, extended_pictographic, G_N_ELEMENTS (extended_pictographic));
}

static gboolean
is_incb_consonant (gunichar c)
{
  return in_ranges (c, incb_consonant, G_N_ELEMENTS (incb_consonant));
}

static gboolean
is_incb_linker (gunichar c)
{
  switch (c)
    {
    case 0x094D: case 0x09CD: case 0x0ACD:
    case 0x0B4D: case 0x0C4D: case 0x0D4D:
      return TRUE;
    default:
      return FALSE;
    }
}

static Gcb
gcb_of (gunichar c)
{
  if (c == '\r')
    return GCB_CR;
  if (c == '\n')
    return GCB_LF;
  if (c < 0x80)
    return (c < 0x20 || c == 0x7F) ? GCB_CONTROL : GCB_OTHER;
  if (c == INVALID_CHAR)
    return GCB_CONTROL;

  if (c == 0x200D)
    return GCB_ZWJ;
  if (c >= 0x1F1E6 && c <= 0x1F1FF)
    return GCB_REGIONAL_INDICATOR;

  /* Characters whose general category alone would misplace them. */
  if (c == 0x200C                           /* zero width non-joiner */
      || (c >= 0x1F3FB && c <= 0x1F3FF)     /* emoji skin tones */
      || (c >= 0xE0020 && c <= 0xE007F)     /* tags of subdivision flags */
      || (c >= 0xFE00 && c <= 0xFE0F)       /* variation selectors */
      || (c >= 0xE0100 && c <= 0xE01EF)
      || c == 0xFF9E || c == 0xFF9F)        /* halfwidth kana voicing marks */
    return GCB_EXTEND;
  if (c == 0x0E33 || c == 0x0EB3)           /* Thai and Lao SARA AM */
    return GCB_SPACING_MARK;

  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0xA960 && c <= 0xA97C))
    return GCB_L;
  if ((c >= 0x1160 && c <= 0x11A7) || (c >= 0xD7B0 && c <= 0xD7C6))
    return GCB_V;
  if ((c >= 0x11A8 && c <= 0x11FF) || (c >= 0xD7CB && c <= 0xD7FB))
    return GCB_T;
  if (c >= 0xAC00 && c <= 0xD7A3)
    return ((c - 0xAC00) % 28 == 0) ? GCB_LV : GCB_LVT;

  if (in_ranges (c, prepend, G_N_ELEMENTS (prepend)))
    return GCB_PREPEND;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return GCB_EXTEND;
    case G_UNICODE_SPACING_MARK:
      return GCB_SPACING_MARK;
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
      return GCB_CONTROL;
    default:
      return GCB_OTHER;
    }
}

static gboolean
is_incb_extend (gunichar c,
                Gcb      gcb)
{
  return gcb == GCB_ZWJ
         || (gcb == GCB_EXTEND && g_unichar_combining_class (c) != 0);
}

/* Decodes one character without ever reading past @end, including the
 * NUL that g_utf8_get_char_validated() refuses. */
static const char *
decode_char (const char *p,
             const char *end,
             gunichar   *out)
{
  gunichar c;

  if ((guchar)*p < 0x80)
    {
      *out = (guchar)*p;
      return p + 1;
    }

  c = g_utf8_get_char_validated (p, end - p);
  if (c == (gunichar)-1 || c == (gunichar)-2)
    {
      *out = INVALID_CHAR;
      return p + 1;
    }

  *out = c;
  return g_utf8_next_char (p);
}

/* What the cluster so far says about joining the next character; only
 * the rules that look further back than one character need it. */
typedef struct {
  guint ri_count;      /* regional indicators in a row, for GB12/GB13 */
  enum {
    EMOJI_NONE,
    EMOJI_PICTOGRAPHIC,   /* ExtPict Extend* */
    EMOJI_AFTER_ZWJ,      /* ExtPict Extend* ZWJ: GB11 joins an ExtPict */
  } emoji;
  enum {
    INCB_NONE,
    INCB_CONSONANT,       /* Consonant [Extend Linker]* without a linker */
    INCB_AFTER_LINKER,    /* … with a linker: GB9c joins a consonant */
  } incb;
} ClusterState;

static void
cluster_state_push (ClusterState *state,
                    gunichar      c,
                    Gcb           gcb)
{
  state->ri_count = (gcb == GCB_REGIONAL_INDICATOR) ? state->ri_count + 1 : 0;

  if (gcb != GCB_EXTEND && is_extended_pictographic (c))
    state->emoji = EMOJI_PICTOGRAPHIC;
  else if (state->emoji == EMOJI_PICTOGRAPHIC && gcb == GCB_EXTEND)
    state->emoji = EMOJI_PICTOGRAPHIC;
  else if (state->emoji == EMOJI_PICTOGRAPHIC && gcb == GCB_ZWJ)
    state->emoji = EMOJI_AFTER_ZWJ;
  else
    state->emoji = EMOJI_NONE;

  if (is_incb_consonant (c))
    state->incb = INCB_CONSONANT;
  else if (state->incb != INCB_NONE && is_incb_linker (c))
    state->incb = INCB_AFTER_LINKER;
  else if (state->incb != INCB_NONE && is_incb_extend (c, gcb))
    ;
  else
    state->incb = INCB_NONE;
}

static gboolean
joins (const ClusterState *state,
       Gcb                 prev,
       gunichar            c,
       Gcb                 next)
{
  /* GB3 – GB5 */
  if (prev == GCB_CR && next == GCB_LF)
    return TRUE;
  if (prev == GCB_CR || prev == GCB_LF || prev == GCB_CONTROL)
    return FALSE;
  if (next == GCB_CR || next == GCB_LF || next == GCB_CONTROL)
    return FALSE;

  /* GB6 – GB8: Hangul syllable sequences */
  if (prev == GCB_L
      && (next == GCB_L || next == GCB_V || next == GCB_LV || next == GCB_LVT))
    return TRUE;
  if ((prev == GCB_LV || prev == GCB_V) && (next == GCB_V || next == GCB_T))
    return TRUE;
  if ((prev == GCB_LVT || prev == GCB_T) && next == GCB_T)
    return TRUE;

  /* GB9 – GB9b */
  if (next == GCB_EXTEND || next == GCB_ZWJ || next == GCB_SPACING_MARK)
    return TRUE;
  if (prev == GCB_PREPEND)
    return TRUE;

  /* GB9c: Indic conjuncts */
  if (state->incb == INCB_AFTER_LINKER && is_incb_consonant (c))
    return TRUE;

  /* GB11: emoji ZWJ sequences */
  if (prev == GCB_ZWJ && state->emoji == EMOJI_AFTER_ZWJ
      && is_extended_pictographic (c))
    return TRUE;

  /* GB12, GB13: flags pair regional indicators off, two by two */
  if (prev == GCB_REGIONAL_INDICATOR && next == GCB_REGIONAL_INDICATOR)
    return (state->ri_count % 2) == 1;

  return FALSE;
}

const char *
cin_text_next_grapheme (const char *p,
                        const char *end)
{
  ClusterState state = { 0, };
  const char *q;
  gunichar c;
  Gcb prev;

  g_return_val_if_fail (p != NULL, NULL);
  g_return_val_if_fail (end != NULL && p <= end, p);

  if (p == end)
    return end;

  q = decode_char (p, end, &c);
  prev = gcb_of (c);
  cluster_state_push (&state, c, prev);

  while (q < end)
    {
      const char *after;
      Gcb next;

      after = decode_char (q, end, &c);
      next = gcb_of (c);
      if (!joins (&state, prev, c, next))
        break;

      cluster_state_push (&state, c, next);
      prev = next;
      q = after;
    }

  return q;
}

static gboolean
is_all_ascii (const char *p,
              const char *end)
{
  for (; p < end; p++)
    {
      if ((guchar)*p >= 0x80)
        return FALSE;
    }
  return TRUE;
}

/* The units one cluster adds: halves for CIN_COUNT_HALF_ASCII, whole
 * characters otherwise. */
static guint
cluster_units (CinCountMethod  method,
               const char     *p,
               const char     *end)
{
  if (method == CIN_COUNT_HALF_ASCII)
    return is_all_ascii (p, end) ? 1 : 2;
  return 1;
}

static guint64
units_to_count (CinCountMethod method,
                guint64        units)
{
  if (method == CIN_COUNT_HALF_ASCII)
    return (units + 1) / 2;
  return units;
}

gboolean
cin_text_count (const char      *text,
                gssize           len,
                CinCountMethod   method,
                guint           *count,
                GError         **error)
{
  const char *p;
  const char *end;
  guint64 units = 0;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (method == CIN_COUNT_HALF_ASCII || method == CIN_COUNT_GRAPHEMES, FALSE);
  g_return_val_if_fail (count != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *count = 0;

  if (len < 0)
    len = strlen (text);
  if (!cin_text_validate (text, len, error))
    return FALSE;

  end = text + len;
  for (p = text; p < end; )
    {
      const char *next = cin_text_next_grapheme (p, end);

      units += cluster_units (method, p, next);
      p = next;
    }

  *count = (guint)MIN (units_to_count (method, units), G_MAXUINT);
  return TRUE;
}

glong
cin_text_overflow_offset (const char     *text,
                          CinCountMethod  method,
                          guint           max)
{
  const char *p;
  const char *end;
  guint64 units = 0;
  glong offset = 0;

  g_return_val_if_fail (text != NULL, -1);
  g_return_val_if_fail (method == CIN_COUNT_HALF_ASCII || method == CIN_COUNT_GRAPHEMES, -1);

  /* Text that can't be counted has no place to underline. */
  if (!cin_text_validate (text, -1, NULL))
    return -1;

  end = text + strlen (text);
  for (p = text; p < end; )
    {
      const char *next = cin_text_next_grapheme (p, end);

      units += cluster_units (method, p, next);
      if (units_to_count (method, units) > max)
        return offset;

      offset += g_utf8_strlen (p, next - p);
      p = next;
    }

  return -1;
}
