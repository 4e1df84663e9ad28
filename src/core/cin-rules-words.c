/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-rules"

#include <string.h>

#include "cin-rules-private.h"

/* Topics and mentions as a creator types them: `#word` and `@name`. */

static void
hashtag_clear (CinHashtag *tag)
{
  g_free (tag->word);
}

static gboolean
is_ascii_alnum (gunichar c)
{
  return c < 0x80 && g_ascii_isalnum ((char)c);
}

static gboolean
is_hashtag_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || c == '_';
}

static gboolean
is_mention_char (gunichar c)
{
  return is_hashtag_char (c) || c == '-' || c == '.';
}

/* How the platform's own text export spells a topic: "#word[话题]#". */
static const gunichar topic_marker[] = { '[', 0x8BDD, 0x9898, ']', '#', 0 };

static gboolean
has_topic_marker (const gunichar *chars,
                  glong           n,
                  glong           at)
{
  for (gsize k = 0; topic_marker[k] != 0; k++)
    {
      if (at + (glong)k >= n || chars[at + k] != topic_marker[k])
        return FALSE;
    }
  return TRUE;
}

/* A hashtag is '#' and a word; it ends at anything that is not a word
 * character. The platform's neighbours write topics as "#word#", so a '#'
 * right after the word closes it, unless a word follows that '#' too:
 * "#a#b" is two hashtags, as people chain them. A '#' right after an ASCII
 * letter or digit (C#, issue#12, a URL's #anchor) starts none. */
GArray *
_cin_rules_scan_hashtags (const char *text)
{
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (CinHashtag));
  g_autofree gunichar *chars = NULL;
  gboolean chained = FALSE;
  glong n = 0;

  g_array_set_clear_func (tags, (GDestroyNotify)hashtag_clear);

  if (text == NULL || !cin_text_validate (text, -1, NULL))
    return g_steal_pointer (&tags);

  chars = g_utf8_to_ucs4_fast (text, -1, &n);
  for (glong i = 0; i < n; )
    {
      CinHashtag tag;
      glong j;

      if (chars[i] != '#' || (!chained && i > 0 && is_ascii_alnum (chars[i - 1])))
        {
          chained = FALSE;
          i++;
          continue;
        }
      chained = FALSE;

      for (j = i + 1; j < n && is_hashtag_char (chars[j]); j++)
        ;
      if (j == i + 1)
        {
          i++;
          continue;
        }

      tag.start = i;
      tag.word = g_ucs4_to_utf8 (chars + i + 1, j - i - 1, NULL, NULL, NULL);
      if (has_topic_marker (chars, n, j))
        j += G_N_ELEMENTS (topic_marker) - 1;
      else if (j < n && chars[j] == '#')
        {
          if (j + 1 < n && is_hashtag_char (chars[j + 1]))
            chained = TRUE;
          else
            j++;
        }
      tag.end = j;
      g_array_append_val (tags, tag);
      i = j;
    }

  return g_steal_pointer (&tags);
}

static GStrv
unique_strv (GPtrArray *words)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (g_hash_table_add (seen, (gpointer)word))
        g_strv_builder_add (builder, word);
    }
  return g_strv_builder_end (builder);
}

GStrv
cin_rules_extract_hashtags (const char *text)
{
  g_autoptr(GArray) tags = _cin_rules_scan_hashtags (text);
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  for (guint i = 0; i < tags->len; i++)
    g_ptr_array_add (words, g_array_index (tags, CinHashtag, i).word);
  return unique_strv (words);
}

/* A mention is '@' and a name; one right after an ASCII letter or digit
 * is the middle of an e-mail address. A name ends before any '.' that
 * closes the sentence. */
GArray *
cin_rules_find_mentions (const char *text)
{
  GArray *found = g_array_new (FALSE, FALSE, sizeof (CinTextRange));
  const char *prev = NULL;

  if (text == NULL || !cin_text_validate (text, -1, NULL))
    return found;

  for (const char *p = text; *p != '\0'; prev = p, p = g_utf8_next_char (p))
    {
      const char *q;
      const char *end;
      CinTextRange range;

      if (*p != '@' || (prev != NULL && is_ascii_alnum (g_utf8_get_char (prev))))
        continue;

      for (q = p + 1; *q != '\0' && is_mention_char (g_utf8_get_char (q)); q = g_utf8_next_char (q))
        ;
      for (end = q; end > p + 1 && end[-1] == '.'; end--)
        ;
      if (end > p + 1)
        {
          range.start = (gsize)(p - text);
          range.end = (gsize)(end - text);
          g_array_append_val (found, range);
        }
      /* Go on after the name (the loop steps past q's first character
       * only if it is not itself an '@'). */
      if (q > p + 1)
        {
          prev = g_utf8_prev_char (q);
          p = prev;
        }
    }

  return found;
}

GStrv
cin_rules_extract_mentions (const char *text)
{
  g_autoptr(GArray) ranges = cin_rules_find_mentions (text);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ranges->len; i++)
    {
      const CinTextRange *range = &g_array_index (ranges, CinTextRange, i);

      g_ptr_array_add (words, g_strndup (text + range->start + 1, range->end - range->start - 1));
    }

  return unique_strv (words);
}
