/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-topics"

#include "cin-server-json.h"
#include "cin-server-private.h"

/* GET /v1/topics?q=: the topics of published public notes whose name
 * holds the query, case-insensitively, most used first, for the composer
 * to complete a topic with. No account needed, as for search. The counts
 * are kept as notes are stored (cin-storage-sqlite-people.c), so a note
 * unpublished, made private or deleted stops counting at once. */

typedef struct {
  GString *text;
  guint    shown;
} TopicList;

static gboolean
append_topic (const CinTopicUse *topic,
              gpointer           user_data)
{
  TopicList *list = user_data;

  if (list->shown++ > 0)
    g_string_append_c (list->text, ',');
  cin_server_json_append_literal (list->text, "{\"name\":");
  cin_server_json_append_string (list->text, topic->name);
  cin_server_json_append_literal (list->text, ",\"notes\":");
  cin_server_json_append_int (list->text, topic->notes);
  g_string_append_c (list->text, '}');
  return TRUE;
}

void
_cin_route_topics (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  TopicList list = { 0 };
  guint limit;

  if ((query = cin_request_dup_query_text (request)) == NULL ||
      !cin_request_read_limit (request, &limit))
    return;

  list.text = g_string_sized_new (48 * limit + 16);
  g_string_append (list.text, "{\"items\":[");
  if (!storage->ops->topics_suggest (storage, query, limit, append_topic, &list, &error))
    {
      g_string_free (list.text, TRUE);
      cin_request_internal_error (request, error);
      return;
    }
  g_string_append (list.text, "]}");
  cin_request_respond_json_text (request, SOUP_STATUS_OK, list.text);
}
