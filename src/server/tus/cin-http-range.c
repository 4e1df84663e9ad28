/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-http-range"

#include <string.h>

#include "cin-http-range.h"

/* Digits only: strtoull() would take signs, spaces and overflow quietly. */
static gboolean
parse_position (const char *text,
                gsize       length,
                guint64    *value)
{
  guint64 result = 0;

  if (length == 0 || length > 19)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      result = result * 10 + (guint64) (text[i] - '0');
    }
  *value = result;
  return TRUE;
}

CinHttpRange
cin_http_range_parse (const char *header,
                      guint64     size,
                      guint64    *first,
                      guint64    *last)
{
  const char *spec, *dash, *end;
  guint64 start, stop;

  g_return_val_if_fail (first != NULL && last != NULL, CIN_HTTP_RANGE_WHOLE);

  if (header == NULL)
    return CIN_HTTP_RANGE_WHOLE;
  while (*header == ' ')
    header++;
  if (g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return CIN_HTTP_RANGE_WHOLE;
  spec = header + 6;
  while (*spec == ' ')
    spec++;
  end = spec + strlen (spec);
  while (end > spec && end[-1] == ' ')
    end--;
  if (memchr (spec, ',', (gsize) (end - spec)) != NULL)
    return CIN_HTTP_RANGE_WHOLE;
  dash = memchr (spec, '-', (gsize) (end - spec));
  if (dash == NULL)
    return CIN_HTTP_RANGE_WHOLE;

  if (dash == spec)
    {
      /* "-N": the last N bytes. */
      guint64 suffix;

      if (!parse_position (dash + 1, (gsize) (end - dash - 1), &suffix))
        return CIN_HTTP_RANGE_WHOLE;
      if (suffix == 0 || size == 0)
        return CIN_HTTP_RANGE_UNSATISFIABLE;
      *first = size - MIN (suffix, size);
      *last = size - 1;
      return CIN_HTTP_RANGE_PARTIAL;
    }

  if (!parse_position (spec, (gsize) (dash - spec), &start))
    return CIN_HTTP_RANGE_WHOLE;
  if (dash + 1 == end)
    stop = G_MAXUINT64;
  else if (!parse_position (dash + 1, (gsize) (end - dash - 1), &stop) || stop < start)
    return CIN_HTTP_RANGE_WHOLE;

  if (start >= size)
    return CIN_HTTP_RANGE_UNSATISFIABLE;
  *first = start;
  *last = MIN (stop, size - 1);
  return CIN_HTTP_RANGE_PARTIAL;
}
