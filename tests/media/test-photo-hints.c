/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Advice on a photo's size and shape against the rules' 720 × 960. */
#define G_LOG_DOMAIN "test-photo-hints"

#include <string.h>

#include "cin-paths.h"
#include "cin-photo-hints.h"
#include "cin-rules.h"

static CinRules *
load_rules (void)
{
  g_autofree char *path = cin_paths_build_data_file ("rules", "rules.json", NULL);
  g_autoptr(GError) error = NULL;
  CinRules *rules = cin_rules_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (cin_rules_get_photo_recommended_width (rules), ==, 720);
  g_assert_cmpuint (cin_rules_get_photo_recommended_height (rules), ==, 960);
  return rules;
}

static void
test_hints (void)
{
  g_autoptr(CinRules) rules = load_rules ();
  static const struct {
    guint width, height;
    CinPhotoHints hints;
  } cases[] = {
    { 720, 960, CIN_PHOTO_HINT_NONE },
    { 3024, 4032, CIN_PHOTO_HINT_NONE },             /* an iPhone's 3:4 */
    { 1000, 1400, CIN_PHOTO_HINT_NONE },             /* 5:7, 5 % cut */
    { 719, 960, CIN_PHOTO_HINT_SMALL },
    { 600, 800, CIN_PHOTO_HINT_SMALL },
    { 1080, 1080, CIN_PHOTO_HINT_NOT_3_4 },          /* square: a quarter cut */
    { 1200, 1800, CIN_PHOTO_HINT_NOT_3_4 },          /* 2:3, 11 % cut */
    { 1080, 1920, CIN_PHOTO_HINT_NOT_3_4 },          /* a phone screenshot */
    { 4000, 3000, CIN_PHOTO_HINT_NOT_3_4 },          /* landscape 4:3 */
    { 640, 480, CIN_PHOTO_HINT_SMALL | CIN_PHOTO_HINT_NOT_3_4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cin_photo_hints_describe (rules, cases[i].width, cases[i].height);

      g_test_message ("%u × %u", cases[i].width, cases[i].height);
      g_assert_cmpint (cin_photo_hints_for_size (rules, cases[i].width, cases[i].height), ==,
                       cases[i].hints);
      if (cases[i].hints == CIN_PHOTO_HINT_NONE)
        g_assert_null (text);
      else
        g_assert_true (text != NULL && g_utf8_validate (text, -1, NULL));
      if (cases[i].hints & CIN_PHOTO_HINT_SMALL)
        g_assert_nonnull (strstr (text, "720 × 960"));
    }
}

static void
test_cropped_share (void)
{
  g_autoptr(CinRules) rules = load_rules ();
  g_autofree char *square = cin_photo_hints_describe (rules, 2000, 2000);
  g_autofree char *tall = cin_photo_hints_describe (rules, 1080, 1920);

  g_assert_cmpfloat_with_epsilon (cin_photo_hints_cropped_share (rules, 3000, 4000), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cin_photo_hints_cropped_share (rules, 1000, 1000), 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (cin_photo_hints_cropped_share (rules, 1080, 1920), 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (cin_photo_hints_cropped_share (rules, 0, 10), 0.0, 1e-9);

  /* A wide photo loses width, a tall one height. */
  g_assert_nonnull (strstr (square, "25%"));
  g_assert_nonnull (strstr (square, "width"));
  g_assert_nonnull (strstr (tall, "height"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/media/hints/size-and-shape", test_hints);
  g_test_add_func ("/media/hints/cropped-share", test_cropped_share);

  return g_test_run ();
}
