/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-api-client"

#include <string.h>

#include "cin-api-client-private.h"

/* Day-by-day numbers of a note and of the account's followers. */

void
cin_api_note_metrics_free (CinApiNoteMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_free (metrics->note_id);
  g_clear_pointer (&metrics->days, g_array_unref);
  g_free (metrics);
}

void
cin_api_account_metrics_free (CinApiAccountMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_clear_pointer (&metrics->days, g_array_unref);
  g_free (metrics);
}

/* "YYYY-MM-DD" */
static gboolean
read_date (JsonObject *object,
           GDate      *date)
{
  const char *text = _cin_api_json_get_string (object, "date");
  g_autofree char *year = NULL;
  g_autofree char *month = NULL;
  guint64 y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  year = g_strndup (text, 4);
  month = g_strndup (text + 5, 2);
  if (!g_ascii_string_to_unsigned (year, 10, 1, 9999, &y, NULL) ||
      !g_ascii_string_to_unsigned (month, 10, 1, 12, &m, NULL) ||
      !g_ascii_string_to_unsigned (text + 8, 10, 1, 31, &d, NULL) ||
      !g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
  return TRUE;
}

static gboolean
read_count (JsonObject *object,
            const char *member,
            guint64    *value)
{
  gint64 number;

  if (!_cin_api_json_get_int (object, member, &number) || number < 0)
    return FALSE;
  *value = (guint64)number;
  return TRUE;
}

/* The `days` array, each element read into the array by @read_day. */
static GArray *
read_days (JsonObject  *object,
           guint        element_size,
           gboolean   (*read_day) (JsonObject *day, gpointer element),
           GError     **error)
{
  JsonNode *days = json_object_get_member (object, "days");
  g_autoptr(GArray) array = NULL;
  JsonArray *elements;

  if (days == NULL || !JSON_NODE_HOLDS_ARRAY (days))
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("metrics without days"));
      return NULL;
    }
  elements = json_node_get_array (days);
  array = g_array_sized_new (FALSE, TRUE, element_size, json_array_get_length (elements));
  g_array_set_size (array, json_array_get_length (elements));
  for (guint i = 0; i < json_array_get_length (elements); i++)
    {
      JsonNode *day = json_array_get_element (elements, i);

      if (!JSON_NODE_HOLDS_OBJECT (day) ||
          !read_day (json_node_get_object (day), array->data + (gsize)i * element_size))
        {
          g_propagate_error (error, _cin_api_error_invalid_response ("not a day of metrics"));
          return NULL;
        }
    }
  return g_steal_pointer (&array);
}

static gboolean
read_note_day (JsonObject *object,
               gpointer    element)
{
  CinApiNoteDay *day = element;

  return read_date (object, &day->date) &&
         read_count (object, "impressions", &day->impressions) &&
         read_count (object, "views", &day->views) &&
         read_count (object, "cover_clicks", &day->cover_clicks) &&
         read_count (object, "watch_seconds", &day->watch_seconds) &&
         read_count (object, "completions", &day->completions) &&
         read_count (object, "likes", &day->likes) &&
         read_count (object, "collects", &day->collects) &&
         read_count (object, "comments", &day->comments) &&
         read_count (object, "shares", &day->shares) &&
         read_count (object, "follower_gain", &day->follower_gain);
}

static gboolean
read_follower_day (JsonObject *object,
                   gpointer    element)
{
  CinApiFollowerDay *day = element;

  return read_date (object, &day->date) &&
         read_count (object, "followers", &day->followers) &&
         read_count (object, "follower_gain", &day->follower_gain);
}

static CinApiNoteMetrics *
decode_note_metrics (JsonNode  *root,
                     GError   **error)
{
  JsonObject *object = json_node_get_object (root);
  const char *note_id = _cin_api_json_get_string (object, "note_id");
  g_autoptr(CinApiNoteMetrics) metrics = g_new0 (CinApiNoteMetrics, 1);

  if (note_id == NULL)
    {
      g_propagate_error (error, _cin_api_error_invalid_response ("note metrics without note_id"));
      return NULL;
    }
  metrics->days = read_days (object, sizeof (CinApiNoteDay), read_note_day, error);
  if (metrics->days == NULL)
    return NULL;
  metrics->note_id = g_strdup (note_id);
  return g_steal_pointer (&metrics);
}

static CinApiAccountMetrics *
decode_account_metrics (JsonNode  *root,
                        GError   **error)
{
  g_autoptr(CinApiAccountMetrics) metrics = g_new0 (CinApiAccountMetrics, 1);

  metrics->days = read_days (json_node_get_object (root), sizeof (CinApiFollowerDay),
                             read_follower_day, error);
  if (metrics->days == NULL)
    return NULL;
  return g_steal_pointer (&metrics);
}

static void
append_date (GString     *path,
             const char  *name,
             const GDate *date)
{
  g_autofree char *text = NULL;

  if (date == NULL)
    return;
  text = g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
  _cin_api_append_query (path, name, text);
}

void
cin_api_client_get_note_metrics_async (CinApiClient        *self,
                                       const char          *id,
                                       const GDate         *from,
                                       const GDate         *to,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GTask *task;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GString) path = g_string_new ("/v1/notes/");
  g_autofree char *escaped = NULL;

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (from == NULL || g_date_valid (from));
  g_return_if_fail (to == NULL || g_date_valid (to));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_get_note_metrics_async,
                                   cancellable, callback, user_data);

  escaped = _cin_api_escape_segment (id);
  g_string_append_printf (path, "%s/metrics", escaped);
  append_date (path, "from", from);
  append_date (path, "to", to);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path->str);
  _cin_api_client_send_json (self, task, msg,
                             (CinApiDecodeFunc)decode_note_metrics,
                             (GDestroyNotify)cin_api_note_metrics_free);
}

CinApiNoteMetrics *
cin_api_client_get_note_metrics_finish (CinApiClient   *self,
                                        GAsyncResult   *result,
                                        CinApiFailure **failure,
                                        GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_get_note_metrics_async,
                                         failure, error);
}

void
cin_api_client_get_account_metrics_async (CinApiClient        *self,
                                          const GDate         *from,
                                          const GDate         *to,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GString) path = g_string_new ("/v1/account/metrics");

  g_return_if_fail (CIN_IS_API_CLIENT (self));
  g_return_if_fail (from == NULL || g_date_valid (from));
  g_return_if_fail (to == NULL || g_date_valid (to));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = _cin_api_client_new_task (self, cin_api_client_get_account_metrics_async,
                                   cancellable, callback, user_data);

  append_date (path, "from", from);
  append_date (path, "to", to);
  msg = _cin_api_client_new_message (self, SOUP_METHOD_GET, path->str);
  _cin_api_client_send_json (self, task, msg,
                             (CinApiDecodeFunc)decode_account_metrics,
                             (GDestroyNotify)cin_api_account_metrics_free);
}

CinApiAccountMetrics *
cin_api_client_get_account_metrics_finish (CinApiClient   *self,
                                           GAsyncResult   *result,
                                           CinApiFailure **failure,
                                           GError        **error)
{
  return _cin_api_client_finish_pointer (self, result, cin_api_client_get_account_metrics_async,
                                         failure, error);
}
