/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-log"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "cin-server-json.h"
#include "cin-server-log.h"

static gboolean log_verbose;

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

static void
append_digits (GString *line,
               int      value,
               int      width)
{
  char digits[8];

  g_assert (width <= (int)sizeof digits);
  for (int i = width - 1; i >= 0; i--, value /= 10)
    digits[i] = '0' + value % 10;
  g_string_append_len (line, digits, width);
}

/* RFC 3339 UTC with microseconds, as g_date_time_format()'s
 * "%Y-%m-%dT%H:%M:%S.%fZ" writes it, without a GDateTime or printf per
 * line. */
static void
append_time (GString *line,
             gint64   unix_usec)
{
  time_t seconds = unix_usec / G_USEC_PER_SEC;
  struct tm tm;

  gmtime_r (&seconds, &tm);
  append_digits (line, tm.tm_year + 1900, 4);
  g_string_append_c (line, '-');
  append_digits (line, tm.tm_mon + 1, 2);
  g_string_append_c (line, '-');
  append_digits (line, tm.tm_mday, 2);
  g_string_append_c (line, 'T');
  append_digits (line, tm.tm_hour, 2);
  g_string_append_c (line, ':');
  append_digits (line, tm.tm_min, 2);
  g_string_append_c (line, ':');
  append_digits (line, tm.tm_sec, 2);
  g_string_append_c (line, '.');
  append_digits (line, unix_usec % G_USEC_PER_SEC, 6);
  g_string_append_c (line, 'Z');
}

/* ,"key":"value" with the field's key in lower case ("domain" for
 * GLIB_DOMAIN). */
static void
append_member (GString    *line,
               const char *key,
               const char *value)
{
  g_string_append_c (line, ',');
  if (strcmp (key, "GLIB_DOMAIN") == 0)
    g_string_append (line, "\"domain\"");
  else
    {
      g_string_append_c (line, '"');
      for (const char *k = key; *k != '\0'; k++)
        g_string_append_c (line, *k >= 'A' && *k <= 'Z' ? *k + ('a' - 'A') : *k);
      g_string_append_c (line, '"');
    }
  g_string_append_c (line, ':');
  cin_server_json_append_string (line, value);
}

/* Written by hand rather than with json-glib, into one buffer kept for
 * the next line and with one write(2) a line: the server logs every
 * request, so this runs as often as they do. Field keys are GLib's
 * (upper case ASCII, no quote to escape). The tus handler's threads may
 * log too, hence the lock. */
G_LOCK_DEFINE_STATIC (line);

static GLogWriterOutput
write_json_line (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  static GString *line;
  const char *domain = NULL;

  if (level & G_LOG_LEVEL_DEBUG)
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
          domain = fields[i].value;
      if (!log_verbose && g_log_writer_default_would_drop (level, domain))
        return G_LOG_WRITER_HANDLED;
    }

  G_LOCK (line);
  if (line == NULL)
    line = g_string_sized_new (512);
  g_string_truncate (line, 0);
  g_string_append (line, "{\"time\":\"");
  append_time (line, g_get_real_time ());
  g_string_append (line, "\",\"level\":");
  cin_server_json_append_string (line, level_name (level));
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *key = fields[i].key;

      /* Only text fields; GLib's own bookkeeping fields stay out. */
      if (fields[i].length != -1 || strcmp (key, "PRIORITY") == 0 ||
          g_str_has_prefix (key, "CODE_") || strcmp (key, "GLIB_OLD_LOG_API") == 0)
        continue;
      if (!g_utf8_validate (fields[i].value, -1, NULL))
        continue;
      append_member (line, key, fields[i].value);
    }
  g_string_append (line, "}\n");

  fwrite (line->str, 1, line->len, stderr);
  fflush (stderr);
  G_UNLOCK (line);
  return G_LOG_WRITER_HANDLED;
}

void
cin_server_log_install (gboolean verbose)
{
  log_verbose = verbose;
  g_log_set_writer_func (write_json_line, NULL, NULL);
}
