/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-changes"

#include "cin-server-entity.h"

/* GET /v1/changes?since=CURSOR&limit=N: the account's entities changed
 * after the cursor, oldest change first, each at most once (its latest
 * state: the entity, or a tombstone). A cursor is opaque to clients; here
 * it is the feed position of the last change seen. Tombstones are kept
 * for --tombstone-ttl; a cursor older than a forgotten one has missed a
 * deletion and answers 410, after which the client starts again without
 * a cursor. */

#define DEFAULT_LIMIT 100
#define MAX_LIMIT 500

static gboolean
parse_whole_number (const char *text,
                    guint64     max,
                    guint64    *value)
{
  return text != NULL && *text != '\0' &&
         g_ascii_string_to_unsigned (text, 10, 0, max, value, NULL);
}

static JsonNode *
change_to_json (const CinEntity *entity)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, entity->seq);
  g_autofree char *rev = g_strdup_printf ("%" G_GINT64_FORMAT, entity->rev);

  json_object_set_string_member (object, "cursor", cursor);
  json_object_set_string_member (object, "kind", entity->kind);
  json_object_set_string_member (object, "id", entity->id);
  json_object_set_string_member (object, "rev", rev);
  json_object_set_boolean_member (object, "deleted", entity->deleted);
  if (entity->deleted)
    json_object_set_null_member (object, "entity");
  else
    json_object_set_member (object, "entity", cin_entity_to_json (entity));
  json_node_take_object (node, g_steal_pointer (&object));
  return node;
}

void
_cin_route_changes_list (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *next = NULL;
  const char *since_text = cin_request_query (request, "since");
  const char *limit_text = cin_request_query (request, "limit");
  guint64 since = 0;
  guint64 limit = DEFAULT_LIMIT;
  gint64 horizon;

  if (since_text != NULL && !parse_whole_number (since_text, G_MAXINT64, &since))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-cursor", "since",
                           "“since” must be a cursor this server gave, or left out.");
      return;
    }
  if (limit_text != NULL && !parse_whole_number (limit_text, MAX_LIMIT, &limit))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-limit", "limit",
                           "“limit” must be a whole number from 1 to %d.", MAX_LIMIT);
      return;
    }
  if (limit == 0)
    limit = DEFAULT_LIMIT;

  horizon = storage->ops->changes_horizon (storage, request->account_id, &error);
  if (horizon < 0)
    {
      cin_request_internal_error (request, error);
      return;
    }
  /* Without a cursor the feed starts from nothing known: nothing missed. */
  if (since_text != NULL && (gint64)since < horizon)
    {
      cin_request_problem (request, SOUP_STATUS_GONE, "cursor-expired", "since",
                           "This cursor is older than the deletions the server still "
                           "remembers. Start again without “since” and replace what you hold.");
      return;
    }

  /* One more than asked tells whether another page follows. */
  changes = storage->ops->changes_list (storage, request->account_id, since, limit + 1, &error);
  if (changes == NULL)
    {
      cin_request_internal_error (request, error);
      return;
    }

  for (guint i = 0; i < MIN (changes->len, limit); i++)
    json_array_add_element (items, change_to_json (g_ptr_array_index (changes, i)));

  if (changes->len > 0)
    next = g_strdup_printf ("%" G_GINT64_FORMAT,
                            ((CinEntity *)g_ptr_array_index (changes, MIN (changes->len, limit) - 1))->seq);
  else
    next = g_strdup_printf ("%" G_GUINT64_FORMAT, since);

  json_object_set_array_member (object, "changes", g_steal_pointer (&items));
  json_object_set_string_member (object, "cursor", next);
  json_object_set_boolean_member (object, "more", changes->len > limit);
  json_node_set_object (node, object);
  cin_request_respond_json (request, SOUP_STATUS_OK, node);
}
