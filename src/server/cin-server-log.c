/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-log"

#include <stdio.h>

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

static GLogWriterOutput
write_json_line (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_autofree char *line = NULL;
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;

  if ((level & G_LOG_LEVEL_DEBUG) && !log_verbose && g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, level_name (level));
  for (gsize i = 0; i < n_fields; i++)
    {
      g_autofree char *key = NULL;

      /* Only text fields; GLib's own bookkeeping fields stay out. */
      if (fields[i].length != -1 || g_strcmp0 (fields[i].key, "PRIORITY") == 0 ||
          g_str_has_prefix (fields[i].key, "CODE_") || g_strcmp0 (fields[i].key, "GLIB_OLD_LOG_API") == 0)
        continue;
      if (!g_utf8_validate (fields[i].value, -1, NULL))
        continue;
      key = g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 ? g_strdup ("domain")
                                                          : g_ascii_strdown (fields[i].key, -1);
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, fields[i].value);
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  line = cin_server_json_to_string (node);
  fprintf (stderr, "%s\n", line);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

void
cin_server_log_install (gboolean verbose)
{
  log_verbose = verbose;
  g_log_set_writer_func (write_json_line, NULL, NULL);
}
