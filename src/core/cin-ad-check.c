/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-ad-check"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cin-ad-check.h"
#include "cin-paths.h"
#include "cin-text.h"

/* The word list format (data/adlaw/words.txt, and the creator's
 * $XDG_CONFIG_HOME/cinnabar/ad-words.txt): UTF-8, one entry per line,
 *
 *   category<TAB>word[<TAB>suggestion]
 *
 * where category is "absolute" (a claim advertising law forbids), "qr" (a
 * QR code, contact or other-platform hint the platform flags) or "allow" (a
 * word that contains a flagged one but is fine, such as 最近 or 第一次).
 * Lines starting with '#' and blank lines are skipped. A later entry for
 * the same word replaces the earlier one, so the creator's list can change
 * a shipped suggestion or allow a shipped word. */

typedef enum {
  CATEGORY_ABSOLUTE,
  CATEGORY_QR,
  CATEGORY_ALLOW,
} Category;

typedef struct {
  Category  category;
  char     *suggestion;  /* (owned) (nullable) */
  gunichar *folded;      /* (owned) the word as the matcher compares it */
  glong     len;
} Entry;

struct _CinAdCheck
{
  gatomicrefcount  ref_count;

  /* Owned */
  GHashTable      *entries;   /* folded word (UTF-8) → Entry */
  GHashTable      *by_first;  /* first folded char → GPtrArray of Entry, longest first */
};

G_DEFINE_BOXED_TYPE (CinAdCheck, cin_ad_check, cin_ad_check_ref, cin_ad_check_unref)
G_DEFINE_QUARK (cin-ad-check-error-quark, cin_ad_check_error)

/* Top-level domains common enough in notes that a bare "name.tld" is
 * surely a link; rarer ones would mostly catch ordinary words. */
static const char * const link_tlds[] = {
  "com", "cn", "net", "org", "io", "me", "top", "xyz", "shop", "co",
  "cc", "tv", "info", "vip", "app", "link", "site", "club",
};

static void
entry_free (Entry *entry)
{
  g_free (entry->suggestion);
  g_free (entry->folded);
  g_free (entry);
}

/* Matching ignores ASCII case, and reads fullwidth forms (ＶＸ, １００％) as
 * the ASCII they imitate, which people type on Chinese keyboards. Both map
 * one character to one, so offsets stay those of the text. */
static gunichar
fold_char (gunichar c)
{
  if (c >= 0xFF01 && c <= 0xFF5E)
    c -= 0xFEE0;
  if (c >= 'A' && c <= 'Z')
    c += 'a' - 'A';
  return c;
}

static gboolean
is_ascii_alnum (gunichar c)
{
  return c < 0x80 && g_ascii_isalnum ((char)c);
}

CinAdCheck *
cin_ad_check_new (void)
{
  CinAdCheck *self = g_new0 (CinAdCheck, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal,
                                         g_free, (GDestroyNotify)entry_free);
  self->by_first = g_hash_table_new_full (NULL, NULL,
                                          NULL, (GDestroyNotify)g_ptr_array_unref);

  return self;
}

CinAdCheck *
cin_ad_check_ref (CinAdCheck *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cin_ad_check_unref (CinAdCheck *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_hash_table_unref (self->by_first);
  g_hash_table_unref (self->entries);
  g_free (self);
}

guint
cin_ad_check_get_n_words (CinAdCheck *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->entries);
}

static int
compare_entries_longest_first (gconstpointer a,
                               gconstpointer b)
{
  const Entry *ea = *(const Entry * const *)a;
  const Entry *eb = *(const Entry * const *)b;

  if (ea->len != eb->len)
    return ea->len > eb->len ? -1 : 1;
  return 0;
}

/* Rebuilt on every change rather than lazily, so that scanning never
 * writes and one check can be shared between threads. */
static void
rebuild_index (CinAdCheck *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_remove_all (self->by_first);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;
      gpointer key = GUINT_TO_POINTER (entry->folded[0]);
      GPtrArray *bucket = g_hash_table_lookup (self->by_first, key);

      if (bucket == NULL)
        {
          bucket = g_ptr_array_new ();
          g_hash_table_insert (self->by_first, key, bucket);
        }
      g_ptr_array_add (bucket, entry);
    }

  g_hash_table_iter_init (&iter, self->by_first);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_sort (value, compare_entries_longest_first);
}

static guint
line_of (const char *data,
         const char *p)
{
  guint line = 1;

  for (; data < p; data++)
    {
      if (*data == '\n')
        line++;
    }
  return line;
}

static gboolean
parse_category (const char *name,
                Category   *category)
{
  if (g_strcmp0 (name, "absolute") == 0)
    *category = CATEGORY_ABSOLUTE;
  else if (g_strcmp0 (name, "qr") == 0)
    *category = CATEGORY_QR;
  else if (g_strcmp0 (name, "allow") == 0)
    *category = CATEGORY_ALLOW;
  else
    return FALSE;
  return TRUE;
}

static Entry *
parse_line (const char  *line,
            const char  *origin,
            guint        line_number,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (line, "\t", 0);
  guint n_parts = g_strv_length (parts);
  g_autofree gunichar *chars = NULL;
  Entry *entry;
  Category category;
  glong len;

  for (guint i = 0; i < n_parts; i++)
    g_strstrip (parts[i]);

  if (n_parts < 2 || n_parts > 3 || parts[0][0] == '\0' || parts[1][0] == '\0')
    {
      g_set_error (error, CIN_AD_CHECK_ERROR, CIN_AD_CHECK_ERROR_INVALID,
                   /* Translators: %s is a file name, %u a line number. Keep
                    * <Tab> as a name for the tab key, or translate it so. */
                   _("%s, line %u: write a category, a tab, a word and, if you like, "
                     "another tab and a suggestion, such as “absolute<Tab>最好<Tab>很好”."),
                   origin, line_number);
      return NULL;
    }

  if (!parse_category (parts[0], &category))
    {
      g_set_error (error, CIN_AD_CHECK_ERROR, CIN_AD_CHECK_ERROR_INVALID,
                   /* Translators: the first %s is a file name, %u a line
                    * number, the second %s what the line has as category.
                    * Keep absolute, qr and allow untranslated: they are the
                    * words the file uses. */
                   _("%s, line %u: “%s” is not a category. Use absolute, qr or allow."),
                   origin, line_number, parts[0]);
      return NULL;
    }

  chars = g_utf8_to_ucs4_fast (parts[1], -1, &len);
  for (glong i = 0; i < len; i++)
    chars[i] = fold_char (chars[i]);

  entry = g_new0 (Entry, 1);
  entry->category = category;
  entry->folded = g_steal_pointer (&chars);
  entry->len = len;
  if (n_parts == 3 && parts[2][0] != '\0' && category != CATEGORY_ALLOW)
    entry->suggestion = g_strdup (parts[2]);

  return entry;
}

gboolean
cin_ad_check_add_from_data (CinAdCheck  *self,
                            const char  *data,
                            gssize       len,
                            const char  *origin,
                            GError     **error)
{
  g_autoptr(GPtrArray) parsed = NULL;
  const char *bad = NULL;
  const char *end;
  const char *line;
  guint line_number = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (origin == NULL)
    /* Translators: stands in for a file name in messages about a word
     * list that came from elsewhere, such as “the word list, line 3: …”. */
    origin = _("the word list");
  if (len < 0)
    len = strlen (data);
  end = data + len;

  if (!g_utf8_validate_len (data, len, &bad))
    {
      g_set_error (error, CIN_AD_CHECK_ERROR, CIN_AD_CHECK_ERROR_INVALID,
                   /* Translators: %s is a file name, %u a line number. */
                   _("%s, line %u: the text is not valid UTF-8. Save the file as UTF-8 and try again."),
                   origin, line_of (data, bad));
      return FALSE;
    }

  /* Parsed in full before anything is added, so that a mistake on line 40
   * leaves the check as it was rather than with half a list. */
  parsed = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  for (line = data; line < end; )
    {
      const char *eol = memchr (line, '\n', end - line);
      g_autofree char *text = NULL;
      Entry *entry;

      if (eol == NULL)
        eol = end;
      line_number++;

      text = g_strstrip (g_strndup (line, eol - line));
      line = eol + 1;

      if (text[0] == '\0' || text[0] == '#')
        continue;

      entry = parse_line (text, origin, line_number, error);
      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (parsed, entry);
    }

  for (guint i = 0; i < parsed->len; i++)
    {
      Entry *entry = g_ptr_array_index (parsed, i);
      char *key = g_ucs4_to_utf8 (entry->folded, entry->len, NULL, NULL, NULL);

      g_hash_table_replace (self->entries, key, entry);
    }
  g_ptr_array_set_free_func (parsed, NULL);

  rebuild_index (self);
  return TRUE;
}

gboolean
cin_ad_check_add_from_file (CinAdCheck  *self,
                            const char  *path,
                            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *origin = NULL;
  gsize len = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  origin = g_filename_display_basename (path);
  return cin_ad_check_add_from_data (self, contents, len, origin, error);
}

CinAdCheck *
cin_ad_check_load_default (GError **error)
{
  g_autoptr(CinAdCheck) self = cin_ad_check_new ();
  g_autofree char *shipped = cin_paths_build_data_file ("adlaw", "words.txt", NULL);
  g_autofree char *config_dir = cin_paths_get_config_dir ();
  g_autofree char *user = g_build_filename (config_dir, "ad-words.txt", NULL);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cin_ad_check_add_from_file (self, shipped, error))
    return NULL;

  /* A mistake in the creator's own list must not cost them the shipped
   * check: their file is skipped, loudly, until they fix it. */
  if (g_file_test (user, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) local_error = NULL;

      if (!cin_ad_check_add_from_file (self, user, &local_error))
        g_warning ("Ignoring the word list %s: %s", user, local_error->message);
    }

  return g_steal_pointer (&self);
}

typedef struct {
  glong start;
  glong end;
} Span;

static gboolean
spans_contain (GArray *spans,
               glong   start,
               glong   end)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      if (span->start <= start && end <= span->end)
        return TRUE;
    }
  return FALSE;
}

static gboolean
spans_overlap (GArray *spans,
               glong   start,
               glong   end)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      if (start < span->end && span->start < end)
        return TRUE;
    }
  return FALSE;
}

static gboolean
has_prefix (const gunichar *chars,
            glong           n,
            glong           at,
            const char     *ascii)
{
  glong len = strlen (ascii);

  if (at + len > n)
    return FALSE;
  for (glong i = 0; i < len; i++)
    {
      if (chars[at + i] != (gunichar)ascii[i])
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_url_char (gunichar c)
{
  return c > 0x20 && c < 0x7F && strchr ("<>\"'`{}|\\^", (int)c) == NULL;
}

static gboolean
is_label_char (gunichar c)
{
  return is_ascii_alnum (c) || c == '-';
}

/* The end of a link whose host ends at @from: its path, port or query,
 * without the punctuation that closes the sentence around it. */
static glong
extend_over_path (const gunichar *chars,
                  glong           n,
                  glong           from)
{
  glong end = from;

  while (end < n && is_url_char (chars[end]))
    end++;
  while (end > from && strchr (".,;:!?)]}", (int)chars[end - 1]) != NULL)
    end--;
  return end;
}

static gboolean
is_link_tld (const gunichar *chars,
             glong           start,
             glong           end)
{
  for (guint i = 0; i < G_N_ELEMENTS (link_tlds); i++)
    {
      if ((glong)strlen (link_tlds[i]) == end - start
          && has_prefix (chars, end, start, link_tlds[i]))
        return TRUE;
    }
  return FALSE;
}

/* Finds the link starting at @i, if any; sets *@end past it, or past the
 * run of characters that turned out not to be one, so that the caller
 * never looks at the middle of a word twice. */
static gboolean
match_link (const gunichar *chars,
            glong           n,
            glong           i,
            glong          *end)
{
  gunichar before = i > 0 ? chars[i - 1] : ' ';
  glong j;
  glong last_dot = -1;

  *end = i + 1;

  if (has_prefix (chars, n, i, "https://") || has_prefix (chars, n, i, "http://"))
    {
      glong host = i + (chars[i + 4] == 's' ? 8 : 7);

      if (is_ascii_alnum (before))
        return FALSE;
      *end = extend_over_path (chars, n, host);
      return *end > host;
    }

  /* A bare host: labels of letters, digits and '-', joined by dots, the
   * last one a known top-level domain. What comes before must not make
   * it the middle of a longer name or of an e-mail address. */
  if (!is_ascii_alnum (chars[i]))
    return FALSE;
  if (is_label_char (before) || before == '.' || before == '@' || before == '_' || before == '/')
    {
      for (j = i; j < n && is_label_char (chars[j]); j++)
        ;
      *end = j;
      return FALSE;
    }

  j = i;
  for (;;)
    {
      while (j < n && is_label_char (chars[j]))
        j++;
      if (j + 1 < n && chars[j] == '.' && is_ascii_alnum (chars[j + 1]))
        {
          last_dot = j;
          j++;
          continue;
        }
      break;
    }
  *end = j;

  /* The local part of an e-mail address is not a host. */
  if (j < n && (chars[j] == '@' || chars[j] == '_'))
    return FALSE;
  if (last_dot < 0)
    return FALSE;
  if (!has_prefix (chars, n, i, "www.") && !is_link_tld (chars, last_dot + 1, j))
    return FALSE;

  *end = extend_over_path (chars, n, j);
  return TRUE;
}

static gboolean
matches_at (const Entry    *entry,
            const gunichar *folded,
            glong           n,
            glong           i)
{
  glong last;

  if (i + entry->len > n)
    return FALSE;
  if (memcmp (folded + i, entry->folded, entry->len * sizeof (gunichar)) != 0)
    return FALSE;

  /* ASCII words match whole words only, so that “vx” does not flag
   * “vxworks” and “加V” does not flag “加VIP”. */
  last = i + entry->len - 1;
  if (is_ascii_alnum (folded[i]) && i > 0 && is_ascii_alnum (folded[i - 1]))
    return FALSE;
  if (is_ascii_alnum (folded[last]) && last + 1 < n && is_ascii_alnum (folded[last + 1]))
    return FALSE;

  return TRUE;
}

static const Entry *
longest_match (CinAdCheck     *self,
               const gunichar *folded,
               glong           n,
               glong           i,
               gboolean        allow)
{
  GPtrArray *bucket = g_hash_table_lookup (self->by_first, GUINT_TO_POINTER (folded[i]));

  if (bucket == NULL)
    return NULL;

  for (guint k = 0; k < bucket->len; k++)
    {
      const Entry *entry = g_ptr_array_index (bucket, k);

      if ((entry->category == CATEGORY_ALLOW) == allow
          && matches_at (entry, folded, n, i))
        return entry;
    }
  return NULL;
}

static char *
substring (const gunichar *chars,
           glong           start,
           glong           end)
{
  return g_ucs4_to_utf8 (chars + start, end - start, NULL, NULL, NULL);
}

static CinFinding *
new_word_finding (const Entry *entry,
                  CinField     field,
                  glong        start,
                  glong        end,
                  const char  *match)
{
  g_autofree char *message = NULL;
  CinFindingKind kind;

  if (entry->category == CATEGORY_ABSOLUTE)
    {
      kind = CIN_FINDING_AD_ABSOLUTE_CLAIM;
      if (entry->suggestion != NULL)
        /* Translators: the first %s is the word found in the note, such
         * as 最好; the second a milder word to use instead, such as 很好. */
        message = g_strdup_printf (_("“%s” is an absolute claim, which advertising law "
                                     "forbids in promotions. Try “%s”."),
                                   match, entry->suggestion);
      else
        /* Translators: %s is the word found in the note, such as 第一. */
        message = g_strdup_printf (_("“%s” is an absolute claim, which advertising law "
                                     "forbids in promotions. Remove it or say what it "
                                     "is compared with."),
                                   match);
    }
  else
    {
      kind = CIN_FINDING_AD_QR_HINT;
      if (entry->suggestion != NULL)
        /* Translators: the first %s is the word found in the note, such
         * as 加微信; the second a word to use instead. */
        message = g_strdup_printf (_("“%s” sends readers to a QR code, a contact or another "
                                     "platform, which the platform flags in notes. Try “%s”."),
                                   match, entry->suggestion);
      else
        /* Translators: %s is the word found in the note, such as 二维码. */
        message = g_strdup_printf (_("“%s” sends readers to a QR code, a contact or another "
                                     "platform, which the platform flags in notes. Remove it."),
                                   match);
    }

  return cin_finding_new (kind, CIN_SEVERITY_WARNING, field, start, end,
                          match, message, entry->suggestion);
}

void
cin_ad_check_scan (CinAdCheck  *self,
                   CinField     field,
                   const char  *text,
                   GPtrArray   *findings)
{
  g_autofree gunichar *chars = NULL;
  g_autofree gunichar *folded = NULL;
  g_autoptr(GArray) links = NULL;
  g_autoptr(GArray) allowed = NULL;
  glong n = 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);
  g_return_if_fail (findings != NULL);

  /* Nothing can be pointed at in text that is not text. */
  if (!cin_text_validate (text, -1, NULL))
    return;

  chars = g_utf8_to_ucs4_fast (text, -1, &n);
  folded = g_new (gunichar, n + 1);
  for (glong i = 0; i < n; i++)
    folded[i] = fold_char (chars[i]);
  folded[n] = 0;

  links = g_array_new (FALSE, FALSE, sizeof (Span));
  for (glong i = 0; i < n; )
    {
      glong end;

      if (match_link (folded, n, i, &end))
        {
          g_autofree char *match = substring (chars, i, end);
          g_autofree char *message = NULL;
          Span span = { i, end };

          /* Translators: %s is the link found in the note. */
          message = g_strdup_printf (_("“%s” links to another website, which the platform "
                                       "flags in notes. Remove it."),
                                     match);
          g_ptr_array_add (findings,
                           cin_finding_new (CIN_FINDING_AD_EXTERNAL_LINK, CIN_SEVERITY_WARNING,
                                            field, i, end, match, message, NULL));
          g_array_append_val (links, span);
        }
      i = end;
    }

  allowed = g_array_new (FALSE, FALSE, sizeof (Span));
  for (glong i = 0; i < n; i++)
    {
      const Entry *entry = longest_match (self, folded, n, i, TRUE);

      if (entry != NULL)
        {
          Span span = { i, i + entry->len };

          g_array_append_val (allowed, span);
        }
    }

  for (glong i = 0; i < n; )
    {
      const Entry *entry = longest_match (self, folded, n, i, FALSE);
      g_autofree char *match = NULL;
      glong end;

      if (entry == NULL)
        {
          i++;
          continue;
        }

      end = i + entry->len;
      if (spans_contain (allowed, i, end) || spans_overlap (links, i, end))
        {
          i++;
          continue;
        }

      match = substring (chars, i, end);
      g_ptr_array_add (findings, new_word_finding (entry, field, i, end, match));
      i = end;
    }
}
