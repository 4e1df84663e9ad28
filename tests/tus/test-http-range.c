/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cin-http-range.h"

/* The Range header of a media download (RFC 9110 §14), for a 1000-byte
 * file unless a case says otherwise. */

typedef struct {
  const char   *header;
  guint64       size;
  CinHttpRange  expected;
  guint64       first;
  guint64       last;
} RangeCase;

static void
test_ranges (void)
{
  static const RangeCase cases[] = {
    { NULL,                  1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=0-99",          1000, CIN_HTTP_RANGE_PARTIAL,       0,  99 },
    { "bytes=500-",          1000, CIN_HTTP_RANGE_PARTIAL,     500, 999 },
    { "bytes=-100",          1000, CIN_HTTP_RANGE_PARTIAL,     900, 999 },
    { "bytes=-5000",         1000, CIN_HTTP_RANGE_PARTIAL,       0, 999 },
    { "bytes=990-5000",      1000, CIN_HTTP_RANGE_PARTIAL,     990, 999 },
    { "bytes=999-999",       1000, CIN_HTTP_RANGE_PARTIAL,     999, 999 },
    { "BYTES=1-2",           1000, CIN_HTTP_RANGE_PARTIAL,       1,   2 },
    { " bytes= 3-4 ",        1000, CIN_HTTP_RANGE_PARTIAL,       3,   4 },
    { "bytes=1000-",         1000, CIN_HTTP_RANGE_UNSATISFIABLE, 0,   0 },
    { "bytes=5000-6000",     1000, CIN_HTTP_RANGE_UNSATISFIABLE, 0,   0 },
    { "bytes=-0",            1000, CIN_HTTP_RANGE_UNSATISFIABLE, 0,   0 },
    /* Ignored, so the whole file goes out: */
    { "bytes=0-1,5-6",       1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "items=0-1",           1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=9-1",           1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=a-b",           1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=+1-2",          1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=-",             1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=12",            1000, CIN_HTTP_RANGE_WHOLE,         0,   0 },
    { "bytes=99999999999999999999-", 1000, CIN_HTTP_RANGE_WHOLE, 0,   0 },
    /* Past 4 GiB, for long videos: */
    { "bytes=5000000000-",   6000000000, CIN_HTTP_RANGE_PARTIAL, 5000000000, 5999999999 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint64 first = 0, last = 0;
      CinHttpRange range = cin_http_range_parse (cases[i].header, cases[i].size, &first, &last);

      g_test_message ("%s", cases[i].header ? cases[i].header : "(none)");
      g_assert_cmpint (range, ==, cases[i].expected);
      if (range == CIN_HTTP_RANGE_PARTIAL)
        {
          g_assert_cmpuint (first, ==, cases[i].first);
          g_assert_cmpuint (last, ==, cases[i].last);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/http-range/ranges", test_ranges);

  return g_test_run ();
}
