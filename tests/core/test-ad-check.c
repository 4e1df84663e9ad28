/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-test-ad-check"

#include <string.h>

#include "cin-ad-check.h"
#include "cin-paths.h"

static CinAdCheck *
load_shipped (void)
{
  g_autofree char *path = cin_paths_build_data_file ("adlaw", "words.txt", NULL);
  g_autoptr(CinAdCheck) self = cin_ad_check_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (cin_ad_check_add_from_file (self, path, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&self);
}

static GPtrArray *
scan (CinAdCheck *self,
      const char *text)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_finding_free);

  cin_ad_check_scan (self, CIN_FIELD_BODY, text, findings);
  return findings;
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  return cin_finding_compare (*(const CinFinding * const *)a,
                              *(const CinFinding * const *)b);
}

/* Asserts the findings are exactly @expected, written "kind:start:end:match"
 * with kind a (absolute), q (qr) or l (link), in text order. */
static void
assert_findings (CinAdCheck         *self,
                 const char         *text,
                 const char * const *expected)
{
  g_autoptr(GPtrArray) findings = scan (self, text);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autofree char *want = g_strjoinv (" ", (char **)expected);

  g_ptr_array_sort (findings, compare_findings);
  for (guint i = 0; i < findings->len; i++)
    {
      const CinFinding *f = g_ptr_array_index (findings, i);
      char kind = f->kind == CIN_FINDING_AD_ABSOLUTE_CLAIM ? 'a'
                : f->kind == CIN_FINDING_AD_QR_HINT ? 'q'
                : f->kind == CIN_FINDING_AD_EXTERNAL_LINK ? 'l' : '?';

      g_assert_cmpint (f->severity, ==, CIN_SEVERITY_WARNING);
      g_assert_cmpint (f->field, ==, CIN_FIELD_BODY);
      g_string_append_printf (got, "%s%c:%u:%u:%s", i ? " " : "", kind, f->start, f->end, f->match);
    }

  if (g_strcmp0 (got->str, want) != 0)
    g_error ("scanning “%s”: got “%s”, expected “%s”", text, got->str, want);
}

#define F(...) ((const char * const []) { __VA_ARGS__, NULL })
#define NONE ((const char * const []) { NULL })

static void
test_shipped_list (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();
  g_autoptr(CinAdCheck) ref = NULL;

  g_assert_cmpuint (cin_ad_check_get_n_words (self), >=, 80);
  g_assert_true (G_TYPE_IS_BOXED (CIN_TYPE_AD_CHECK));
  ref = cin_ad_check_ref (self);
  g_assert_true (ref == self);
}

static void
test_absolute (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  assert_findings (self, "这是最好的面霜", F ("a:2:4:最好"));
  assert_findings (self, "我最爱这个", F ("a:1:2:最"));
  assert_findings (self, "国家级品质，顶级体验", F ("a:0:3:国家级", "a:6:8:顶级"));
  assert_findings (self, "独家配方，无副作用", F ("a:0:2:独家", "a:5:9:无副作用"));
  assert_findings (self, "平平无奇的一天", NONE);
  assert_findings (self, "", NONE);
}

static void
test_longest_match (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  /* One finding for the longest word, not one for each word inside it. */
  assert_findings (self, "全网最低价", F ("a:0:4:全网最低"));
  assert_findings (self, "最先进的技术", F ("a:0:3:最先进"));
  assert_findings (self, "销量第一", F ("a:0:4:销量第一"));
  assert_findings (self, "最最好", F ("a:0:1:最", "a:1:3:最好"));
}

static void
test_allow_words (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  assert_findings (self, "最近很忙", NONE);
  assert_findings (self, "第一次用，第一印象不错", NONE);
  assert_findings (self, "最后最好", F ("a:2:4:最好"));
  assert_findings (self, "第一名", F ("a:0:2:第一"));
  assert_findings (self, "最终还是最便宜的好", F ("a:4:7:最便宜"));
}

static void
test_case_and_width (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  assert_findings (self, "加V了解", F ("q:0:2:加V"));
  assert_findings (self, "加v了解", F ("q:0:2:加v"));
  assert_findings (self, "VX: abc", F ("q:0:2:VX"));
  assert_findings (self, "Vx号多少", F ("q:0:2:Vx"));
  assert_findings (self, "品质No.1", F ("a:2:6:No.1"));
  /* Fullwidth forms as typed on Chinese keyboards. */
  assert_findings (self, "ｖｘ联系", F ("q:0:2:ｖｘ"));
  assert_findings (self, "１００％纯棉", F ("a:0:4:１００％"));
  /* ASCII words match whole words only. */
  assert_findings (self, "vxworks 和 加VIP会员", NONE);
  assert_findings (self, "wx", F ("q:0:2:wx"));
}

static void
test_percent (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  assert_findings (self, "100%好评", F ("a:0:4:100%"));
  assert_findings (self, "好评率100%。", F ("a:3:7:100%"));
  assert_findings (self, "1100%", NONE);
  assert_findings (self, "100 分", NONE);
  assert_findings (self, "百分百满意，百分之百", F ("a:0:3:百分百", "a:6:10:百分之百"));
}

static void
test_qr (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;

  assert_findings (self, "扫码关注公众号", F ("q:0:2:扫码", "q:4:7:公众号"));
  assert_findings (self, "淘宝同款，拼多多更便宜", F ("q:0:2:淘宝", "q:5:8:拼多多"));
  assert_findings (self, "看图片二维码", F ("q:3:6:二维码"));

  findings = scan (self, "加微信");
  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_AD_QR_HINT);
  g_assert_null (f->suggestion);
  g_assert_cmpstr (f->message, ==,
                   "“加微信” sends readers to a QR code, a contact or another platform, "
                   "which the platform flags in notes. Remove it.");
}

static void
test_messages (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();
  g_autoptr(GPtrArray) findings = scan (self, "最好，第一，唯一");
  const CinFinding *f;

  g_assert_cmpuint (findings->len, ==, 3);

  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->suggestion, ==, "很好");
  g_assert_cmpstr (f->message, ==,
                   "“最好” is an absolute claim, which advertising law forbids in promotions. "
                   "Try “很好”.");

  f = g_ptr_array_index (findings, 1);
  g_assert_cmpstr (f->suggestion, ==, "前列");

  f = g_ptr_array_index (findings, 2);
  g_assert_null (f->suggestion);
  g_assert_cmpstr (f->message, ==,
                   "“唯一” is an absolute claim, which advertising law forbids in promotions. "
                   "Remove it or say what it is compared with.");
}

static void
test_links (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;

  assert_findings (self, "看 https://example.com/a?b=1。", F ("l:2:27:https://example.com/a?b=1"));
  assert_findings (self, "HTTP://EXAMPLE.ORG", F ("l:0:18:HTTP://EXAMPLE.ORG"));
  assert_findings (self, "访问 www.example.info/x 了解", F ("l:3:21:www.example.info/x"));
  assert_findings (self, "www.something.unknowntld", F ("l:0:24:www.something.unknowntld"));
  assert_findings (self, "taobao.com", F ("l:0:10:taobao.com"));
  assert_findings (self, "去163.com看", F ("l:1:8:163.com"));
  assert_findings (self, "see shop.example.co.", F ("l:4:19:shop.example.co"));
  assert_findings (self, "(t.cn/abc)", F ("l:1:9:t.cn/abc"));
  assert_findings (self, "链接xhs.cn，", F ("l:2:8:xhs.cn"));

  /* Not links: e-mail addresses, numbers, file names, bare schemes. */
  assert_findings (self, "mail a@b.com or john.me@x.cn", NONE);
  assert_findings (self, "版本1.5，readme.md，Vue.js", NONE);
  assert_findings (self, "http:// 和 https://例子", NONE);
  assert_findings (self, "xhttps://example.com", NONE);
  assert_findings (self, "a.comx", NONE);

  findings = scan (self, "see x.com");
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->kind, ==, CIN_FINDING_AD_EXTERNAL_LINK);
  g_assert_null (f->suggestion);
  g_assert_cmpstr (f->message, ==,
                   "“x.com” links to another website, which the platform flags in notes. "
                   "Remove it.");
}

static void
test_words_inside_links (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();
  g_autoptr(GError) error = NULL;

  g_assert_true (cin_ad_check_add_from_data (self, "qr\texample\n", -1, "test", &error));
  g_assert_no_error (error);

  /* Within a link only the link is reported. */
  assert_findings (self, "https://example.com/vx/100%", F ("l:0:27:https://example.com/vx/100%"));
  assert_findings (self, "example 和 example.com", F ("q:0:7:example", "l:10:21:example.com"));
}

static void
test_offsets_code_points (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  /* The family is seven code points; é is two. */
  assert_findings (self, "👩‍👩‍👧‍👦最好", F ("a:7:9:最好"));
  assert_findings (self, "e\u0301 最佳", F ("a:3:5:最佳"));
}

static void
test_invalid_text (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();

  assert_findings (self, "最好\xFF", NONE);
  assert_findings (self, "\xED\xA0\x80最好", NONE);
}

static void
test_user_data (void)
{
  g_autoptr(CinAdCheck) self = load_shipped ();
  g_autoptr(GError) error = NULL;
  guint before = cin_ad_check_get_n_words (self);
  g_autoptr(GPtrArray) findings = NULL;
  const CinFinding *f;
  const char *data =
    "# my words\r\n"
    "\r\n"
    "absolute\t超值\t划算\r\n"
    "  qr\t私我  \n"
    "allow\t最爱\n"
    "absolute\t最好\t挺好\n"
    "allow\t不是第一\tignored suggestion\n";

  g_assert_true (cin_ad_check_add_from_data (self, data, -1, "mine.txt", &error));
  g_assert_no_error (error);
  /* Four new words; 最好 replaces the shipped entry. */
  g_assert_cmpuint (cin_ad_check_get_n_words (self), ==, before + 4);

  assert_findings (self, "超值好物，私我", F ("a:0:2:超值", "q:5:7:私我"));
  assert_findings (self, "我最爱它", NONE);
  assert_findings (self, "不是第一，是第一", F ("a:6:8:第一"));

  findings = scan (self, "超值 最好");
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpstr (f->suggestion, ==, "划算");
  f = g_ptr_array_index (findings, 1);
  g_assert_cmpstr (f->suggestion, ==, "挺好");
}

static void
test_empty_check (void)
{
  g_autoptr(CinAdCheck) self = cin_ad_check_new ();

  g_assert_cmpuint (cin_ad_check_get_n_words (self), ==, 0);
  assert_findings (self, "最好 https://x.com", F ("l:3:16:https://x.com"));
  g_assert_true (cin_ad_check_add_from_data (self, "# nothing\n\n", -1, NULL, NULL));
  g_assert_true (cin_ad_check_add_from_data (self, "", 0, NULL, NULL));
  g_assert_cmpuint (cin_ad_check_get_n_words (self), ==, 0);
}

typedef struct {
  const char *name;
  const char *data;
  const char *message;
} MalformedCase;

static const MalformedCase malformed_cases[] = {
  { "unknown category",
    "absolute\t最好\n\nbogus\tword\n",
    "mine.txt, line 3: “bogus” is not a category. Use absolute, qr or allow." },
  { "no tab",
    "absolute 最好\n",
    "mine.txt, line 1: write a category, a tab, a word and, if you like, another tab and a suggestion, such as “absolute<Tab>最好<Tab>很好”." },
  { "empty word",
    "# c\nqr\t\t建议\n",
    "mine.txt, line 2: write a category, a tab, a word and, if you like, another tab and a suggestion, such as “absolute<Tab>最好<Tab>很好”." },
  { "too many fields",
    "qr\ta\n\n\nabsolute\ta\tb\tc\n",
    "mine.txt, line 4: write a category, a tab, a word and, if you like, another tab and a suggestion, such as “absolute<Tab>最好<Tab>很好”." },
  { "invalid UTF-8",
    "qr\ta\nabsolute\t\xE6\x9C\n",
    "mine.txt, line 2: the text is not valid UTF-8. Save the file as UTF-8 and try again." },
  { "NUL",
    "qr\ta\nqr\tb\nqr\t\0c\n",
    NULL },
};

static void
test_malformed (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      const MalformedCase *c = &malformed_cases[i];
      g_autoptr(CinAdCheck) self = load_shipped ();
      g_autoptr(GError) error = NULL;
      guint before = cin_ad_check_get_n_words (self);
      gssize len = c->message ? -1 : 16;

      g_test_message ("malformed word list: %s", c->name);

      g_assert_false (cin_ad_check_add_from_data (self, c->data, len, "mine.txt", &error));
      g_assert_error (error, CIN_AD_CHECK_ERROR, CIN_AD_CHECK_ERROR_INVALID);
      if (c->message)
        g_assert_cmpstr (error->message, ==, c->message);
      else
        g_assert_nonnull (strstr (error->message, "line 3"));

      /* Nothing of a broken list is taken. */
      g_assert_cmpuint (cin_ad_check_get_n_words (self), ==, before);
      assert_findings (self, "a", NONE);
    }
}

static char *
user_words_path (void)
{
  g_autofree char *config_dir = cin_paths_get_config_dir ();

  g_assert_cmpint (g_mkdir_with_parents (config_dir, 0700), ==, 0);
  return g_build_filename (config_dir, "ad-words.txt", NULL);
}

static void
test_load_default (void)
{
  g_autoptr(CinAdCheck) shipped = load_shipped ();
  g_autoptr(CinAdCheck) plain = NULL;
  g_autoptr(CinAdCheck) extended = NULL;
  g_autofree char *path = user_words_path ();
  g_autoptr(GError) error = NULL;

  plain = cin_ad_check_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (cin_ad_check_get_n_words (plain), ==, cin_ad_check_get_n_words (shipped));
  assert_findings (plain, "超值", NONE);

  g_file_set_contents (path, "absolute\t超值\t划算\n", -1, &error);
  g_assert_no_error (error);
  extended = cin_ad_check_load_default (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (cin_ad_check_get_n_words (extended), ==, cin_ad_check_get_n_words (shipped) + 1);
  assert_findings (extended, "超值", F ("a:0:2:超值"));
}

static void
test_load_default_bad_user_file (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CinAdCheck) shipped = load_shipped ();
      g_autoptr(CinAdCheck) self = NULL;
      g_autofree char *path = user_words_path ();
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, "absolute\t超值\nabsolute\t太值\n# ok\nnonsense\n", -1, &error);
      g_assert_no_error (error);

      /* The warning is the point here, not a failure. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      self = cin_ad_check_load_default (&error);
      g_assert_no_error (error);
      g_assert_nonnull (self);
      g_assert_cmpuint (cin_ad_check_get_n_words (self), ==, cin_ad_check_get_n_words (shipped));
      assert_findings (self, "超值最好", F ("a:2:4:最好"));
      g_print ("shipped list kept\n");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*shipped list kept*");
  g_test_trap_assert_stderr ("*WARNING*ad-words.txt*ad-words.txt, line 4: write a category*");
}

static void
test_add_from_file_missing (void)
{
  g_autoptr(CinAdCheck) self = cin_ad_check_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (cin_ad_check_add_from_file (self, "/nonexistent/words.txt", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ad-check/shipped-list", test_shipped_list);
  g_test_add_func ("/ad-check/absolute", test_absolute);
  g_test_add_func ("/ad-check/longest-match", test_longest_match);
  g_test_add_func ("/ad-check/allow-words", test_allow_words);
  g_test_add_func ("/ad-check/case-and-width", test_case_and_width);
  g_test_add_func ("/ad-check/percent", test_percent);
  g_test_add_func ("/ad-check/qr", test_qr);
  g_test_add_func ("/ad-check/messages", test_messages);
  g_test_add_func ("/ad-check/links", test_links);
  g_test_add_func ("/ad-check/words-inside-links", test_words_inside_links);
  g_test_add_func ("/ad-check/offsets-code-points", test_offsets_code_points);
  g_test_add_func ("/ad-check/invalid-text", test_invalid_text);
  g_test_add_func ("/ad-check/user-data", test_user_data);
  g_test_add_func ("/ad-check/empty-check", test_empty_check);
  g_test_add_func ("/ad-check/malformed", test_malformed);
  g_test_add_func ("/ad-check/load-default", test_load_default);
  g_test_add_func ("/ad-check/load-default-bad-user-file", test_load_default_bad_user_file);
  g_test_add_func ("/ad-check/add-from-file-missing", test_add_from_file_missing);

  return g_test_run ();
}
