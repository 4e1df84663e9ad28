/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-text"

#include <string.h>

#include "cin-text.h"

static guint
count_or_fail (const char     *text,
               gssize          len,
               CinCountMethod  method)
{
  g_autoptr(GError) error = NULL;
  guint count = G_MAXUINT;

  g_assert_true (cin_text_count (text, len, method, &count, &error));
  g_assert_no_error (error);
  return count;
}

static guint
n_clusters (const char *text,
            gsize       len)
{
  const char *end = text + len;
  guint n = 0;

  for (const char *p = text; p < end; n++)
    {
      const char *next = cin_text_next_grapheme (p, end);

      /* Every step moves forward and never past the end. */
      g_assert_true (next > p);
      g_assert_true (next <= end);
      p = next;
    }
  return n;
}

typedef struct {
  const char *text;
  guint       half_ascii;
  guint       graphemes;
} CountCase;

static void
check_counts (const CountCase *cases,
              gsize            n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_test_message ("counting “%s”", cases[i].text);
      g_assert_cmpuint (count_or_fail (cases[i].text, -1, CIN_COUNT_HALF_ASCII), ==, cases[i].half_ascii);
      g_assert_cmpuint (count_or_fail (cases[i].text, -1, CIN_COUNT_GRAPHEMES), ==, cases[i].graphemes);
      g_assert_cmpuint (n_clusters (cases[i].text, strlen (cases[i].text)), ==, cases[i].graphemes);
    }
}

static void
test_count_ascii_cjk (void)
{
  static const CountCase cases[] = {
    { "", 0, 0 },
    { "a", 1, 1 },
    { "ab", 1, 2 },
    { "abc", 2, 3 },
    { "中文", 2, 2 },
    { "a中", 2, 2 },
    { "ab中", 2, 3 },
    { "中文abc", 4, 5 },
    { "夏日护肤小tips", 7, 9 },
    { "，。！", 3, 3 },          /* fullwidth punctuation is not ASCII */
    { "\r\n", 1, 1 },           /* CR LF is one cluster, all ASCII */
    { "\n\r", 1, 2 },
  };

  check_counts (cases, G_N_ELEMENTS (cases));
}

static void
test_count_emoji (void)
{
  static const CountCase cases[] = {
    { "👩‍👩‍👧‍👦", 1, 1 },                 /* ZWJ family */
    { "👩‍👩‍👧‍👦👩‍👩‍👧‍👦", 2, 2 },
    { "🇨🇳", 1, 1 },                       /* a flag is two regional indicators */
    { "🇨🇳🇯🇵", 2, 2 },
    { "🇨🇳🇯", 2, 2 },                      /* a third starts a new cluster */
    { "🏴󠁧󠁢󠁥󠁮󠁧󠁿", 1, 1 },                       /* subdivision flag: tags */
    { "👍🏽", 1, 1 },                       /* skin tone */
    { "👍🏽👍", 2, 2 },
    { "1️⃣", 1, 1 },                        /* keycap */
    { "1️⃣2️⃣", 2, 2 },
    { "#️⃣", 1, 1 },
    { "❤️", 1, 1 },                        /* variation selector */
    { "🧑‍💻ok", 2, 3 },                    /* ZWJ, then ASCII */
    { "a\u200Db", 2, 2 },                /* ZWJ after a letter joins nothing */
    { "👩\u200D", 1, 1 },                /* trailing ZWJ stays attached */
    { "©️", 1, 1 },
  };

  check_counts (cases, G_N_ELEMENTS (cases));
}

static void
test_count_combining (void)
{
  static const CountCase cases[] = {
    { "e\u0301", 1, 1 },              /* é as e + combining acute */
    { "ee\u0301", 2, 2 },             /* “e” is half, “é” is one */
    { "e\u0301\u0323\u0304", 1, 1 },  /* stacked marks */
    { "\u0301", 1, 1 },               /* a mark with no base */
    { "नमस्ते", 3, 3 },                 /* न म स्ते: the virama joins the conjunct */
    { "क्षि", 1, 1 },
    { "हिन्दी", 2, 2 },
    { "ที่", 1, 1 },                   /* Thai consonant + vowel + tone mark */
    { "กำ", 1, 1 },                    /* SARA AM is a spacing mark */
    { "สวัสดี", 4, 4 },
    { "ｶﾞ", 1, 1 },                    /* halfwidth kana + voicing mark */
    { "\u0600\u0661", 1, 1 },         /* Arabic number sign prepends */
  };

  check_counts (cases, G_N_ELEMENTS (cases));
}

static void
test_count_hangul (void)
{
  static const CountCase cases[] = {
    { "한국어", 3, 3 },
    { "\u1100\u1161\u11A8", 1, 1 },   /* L V T */
    { "\u1100\u1100\u1161", 1, 1 },   /* L L V */
    { "\uAC00\u11A8", 1, 1 },         /* LV T */
    { "\uAC00\u1161", 1, 1 },         /* LV V */
    { "\uAC01\u1161", 2, 2 },         /* LVT V: a vowel can't follow T */
    { "\uAC01\u11A8", 1, 1 },         /* LVT T */
    { "\u11A8\u1100", 2, 2 },         /* T L */
    { "\uA960\uD7B0\uD7CB", 1, 1 },   /* extended jamo */
  };

  check_counts (cases, G_N_ELEMENTS (cases));
}

static void
test_count_length (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* 20 CJK characters and their ASCII equivalent, 40 letters. */
  for (guint i = 0; i < 20; i++)
    g_string_append (text, "字");
  g_assert_cmpuint (count_or_fail (text->str, -1, CIN_COUNT_HALF_ASCII), ==, 20);
  g_string_append_c (text, 'a');
  g_assert_cmpuint (count_or_fail (text->str, -1, CIN_COUNT_HALF_ASCII), ==, 21);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 40; i++)
    g_string_append_c (text, 'x');
  g_assert_cmpuint (count_or_fail (text->str, -1, CIN_COUNT_HALF_ASCII), ==, 20);
  g_string_append_c (text, 'x');
  g_assert_cmpuint (count_or_fail (text->str, -1, CIN_COUNT_HALF_ASCII), ==, 21);

  /* An explicit length stops the count there, terminator or not. */
  g_assert_cmpuint (count_or_fail ("abcdef", 3, CIN_COUNT_GRAPHEMES), ==, 3);
  g_assert_cmpuint (count_or_fail ("中文字", 6, CIN_COUNT_GRAPHEMES), ==, 2);
  g_assert_cmpuint (count_or_fail (NULL, 0, CIN_COUNT_GRAPHEMES), ==, 0);
}

typedef struct {
  const char   *name;
  const char   *bytes;
  gssize        len;
  int           code;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "truncated 2-byte", "ab\xC3", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "truncated 3-byte", "\xE4\xB8", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "truncated 4-byte emoji", "\xF0\x9F\x98", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "truncated by length", "中", 2, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "overlong slash", "\xC0\xAF", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "overlong 3-byte", "\xE0\x80\xAF", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "overlong NUL", "a\xC0\x80" "b", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "high surrogate", "\xED\xA0\x80", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "low surrogate", "x\xED\xBF\xBFy", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "above U+10FFFF", "\xF4\x90\x80\x80", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "stray continuation", "\x80", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "0xFF", "ok\xFF", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "Latin-1", "caf\xE9", -1, CIN_TEXT_ERROR_INVALID_UTF8 },
  { "embedded NUL", "ab\0cd", 5, CIN_TEXT_ERROR_CONTAINS_NUL },
  { "leading NUL", "\0", 1, CIN_TEXT_ERROR_CONTAINS_NUL },
  { "NUL after CJK", "中\0", 4, CIN_TEXT_ERROR_CONTAINS_NUL },
};

static void
test_invalid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      const InvalidCase *c = &invalid_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) count_error = NULL;
      gsize len = c->len < 0 ? strlen (c->bytes) : (gsize)c->len;
      guint count = 42;

      g_test_message ("invalid text: %s", c->name);

      g_assert_false (cin_text_validate (c->bytes, c->len, &error));
      g_assert_error (error, CIN_TEXT_ERROR, c->code);
      g_assert_cmpstr (error->message, !=, "");

      g_assert_false (cin_text_count (c->bytes, c->len, CIN_COUNT_HALF_ASCII, &count, &count_error));
      g_assert_error (count_error, CIN_TEXT_ERROR, c->code);
      g_assert_cmpuint (count, ==, 0);

      /* Walking clusters over the raw bytes still ends, exactly at the end. */
      g_assert_cmpuint (n_clusters (c->bytes, len), >=, 1);

      if (c->len < 0)
        g_assert_cmpint (cin_text_overflow_offset (c->bytes, CIN_COUNT_GRAPHEMES, 0), ==, -1);
    }
}

static void
test_invalid_messages (void)
{
  g_autoptr(GError) utf8_error = NULL;
  g_autoptr(GError) nul_error = NULL;

  g_assert_false (cin_text_validate ("\xFF", -1, &utf8_error));
  g_assert_false (cin_text_validate ("a\0b", 3, &nul_error));

  /* Each says what is wrong and what to do about it. */
  g_assert_nonnull (strstr (utf8_error->message, "UTF-8"));
  g_assert_nonnull (strstr (utf8_error->message, "Paste"));
  g_assert_nonnull (strstr (nul_error->message, "null character"));
  g_assert_cmpstr (utf8_error->message, !=, nul_error->message);
}

static void
test_valid (void)
{
  g_assert_true (cin_text_validate ("", -1, NULL));
  g_assert_true (cin_text_validate ("中文 abc 👩‍👩‍👧‍👦", -1, NULL));
  g_assert_true (cin_text_validate ("\xF4\x8F\xBF\xBF", -1, NULL));  /* U+10FFFF */
  g_assert_true (cin_text_validate ("ab\0cd", 2, NULL));             /* NUL outside len */
  g_assert_true (cin_text_validate (NULL, 0, NULL));
}

static void
test_next_grapheme_raw_bytes (void)
{
  /* The walk reads raw buffers too: a NUL, a bad byte and a sequence cut
   * by @end are clusters of their own and never swallow what follows. */
  static const char nul[] = "a\0b";
  static const char bad[] = "a\xFF\xFE" "b";
  static const char cut[] = "\xF0\x9F\x98\x80";
  const char *end;

  g_assert_cmpuint (n_clusters (nul, 3), ==, 3);
  g_assert_cmpuint (n_clusters (bad, 4), ==, 4);
  g_assert_cmpuint (n_clusters (cut, 3), ==, 3);
  g_assert_cmpuint (n_clusters (cut, 4), ==, 1);

  /* A combining mark after a bad byte doesn't join it. */
  g_assert_cmpuint (n_clusters ("\xFF\xCC\x81", 3), ==, 2);

  end = cut + 4;
  g_assert_true (cin_text_next_grapheme (end, end) == end);

  /* Clusters end where they should, not just in the right number. */
  {
    const char *text = "e\xCC\x81x";
    g_assert_true (cin_text_next_grapheme (text, text + 4) == text + 3);
  }
}

static void
test_overflow_offset (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_cmpint (cin_text_overflow_offset ("", CIN_COUNT_HALF_ASCII, 0), ==, -1);
  g_assert_cmpint (cin_text_overflow_offset ("a", CIN_COUNT_HALF_ASCII, 0), ==, 0);
  g_assert_cmpint (cin_text_overflow_offset ("ab", CIN_COUNT_HALF_ASCII, 1), ==, -1);
  g_assert_cmpint (cin_text_overflow_offset ("abc", CIN_COUNT_HALF_ASCII, 1), ==, 2);
  g_assert_cmpint (cin_text_overflow_offset ("a中", CIN_COUNT_HALF_ASCII, 1), ==, 1);
  g_assert_cmpint (cin_text_overflow_offset ("abc", CIN_COUNT_GRAPHEMES, 3), ==, -1);
  g_assert_cmpint (cin_text_overflow_offset ("abcd", CIN_COUNT_GRAPHEMES, 3), ==, 3);

  for (guint i = 0; i < 20; i++)
    g_string_append (text, "字");
  g_assert_cmpint (cin_text_overflow_offset (text->str, CIN_COUNT_HALF_ASCII, 20), ==, -1);
  g_string_append (text, "多");
  g_assert_cmpint (cin_text_overflow_offset (text->str, CIN_COUNT_HALF_ASCII, 20), ==, 20);

  /* Offsets count code points, not clusters: the family is 7 of them. */
  g_string_assign (text, "👩‍👩‍👧‍👦");
  for (guint i = 0; i < 18; i++)
    g_string_append (text, "字");
  g_string_append (text, "x");
  g_assert_cmpint (cin_text_overflow_offset (text->str, CIN_COUNT_HALF_ASCII, 20), ==, -1);
  g_string_append (text, "y");
  g_assert_cmpint (cin_text_overflow_offset (text->str, CIN_COUNT_HALF_ASCII, 20), ==, -1);
  g_string_append (text, "z");
  g_assert_cmpint (cin_text_overflow_offset (text->str, CIN_COUNT_HALF_ASCII, 20), ==, 7 + 18 + 2);

  /* A cluster is never cut: the overflow starts at its first code point. */
  g_assert_cmpint (cin_text_overflow_offset ("e\u0301e\u0301e\u0301", CIN_COUNT_GRAPHEMES, 2), ==, 4);
  g_assert_cmpint (cin_text_overflow_offset ("ab🇨🇳", CIN_COUNT_GRAPHEMES, 2), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/text/count/ascii-cjk", test_count_ascii_cjk);
  g_test_add_func ("/text/count/emoji", test_count_emoji);
  g_test_add_func ("/text/count/combining", test_count_combining);
  g_test_add_func ("/text/count/hangul", test_count_hangul);
  g_test_add_func ("/text/count/length", test_count_length);
  g_test_add_func ("/text/validate/valid", test_valid);
  g_test_add_func ("/text/validate/invalid", test_invalid);
  g_test_add_func ("/text/validate/messages", test_invalid_messages);
  g_test_add_func ("/text/next-grapheme/raw-bytes", test_next_grapheme_raw_bytes);
  g_test_add_func ("/text/overflow-offset", test_overflow_offset);

  return g_test_run ();
}
