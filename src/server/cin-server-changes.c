/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-changes"

#include "cin-server-entity.h"
#include "cin-server-json.h"

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

/* {"cursor","kind","id","rev","deleted","entity"}, written around the
 * stored JSON rather than through json-glib: a page of the feed is read
 * far more often than anything is written. */
static void
append_change (GString         *page,
               const CinEntity *entity)
{
  g_string_append (page, "{\"cursor\":\"");
  cin_server_json_append_int (page, entity->seq);
  g_string_append (page, "\",\"kind\":");
  cin_server_json_append_string (page, entity->kind);
  g_string_append (page, ",\"id\":");
  cin_server_json_append_string (page, entity->id);
  g_string_append (page, ",\"rev\":\"");
  cin_server_json_append_int (page, entity->rev);
  g_string_append (page, entity->deleted ? "\",\"deleted\":true,\"entity\":null}"
                                         : "\",\"deleted\":false,\"entity\":");
  if (!entity->deleted)
    {
      cin_entity_append_json (page, entity);
      g_string_append_c (page, '}');
    }
}

void
_cin_route_changes_list (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  GString *page;
  gint64 next;
  guint shown;
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

  shown = MIN (changes->len, limit);
  next = shown > 0 ? ((CinEntity *)g_ptr_array_index (changes, shown - 1))->seq : (gint64)since;

  page = g_string_sized_new (1024 * shown + 64);
  g_string_append (page, "{\"changes\":[");
  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append_c (page, ',');
      append_change (page, g_ptr_array_index (changes, i));
    }
  g_string_append (page, "],\"cursor\":\"");
  cin_server_json_append_int (page, next);
  g_string_append (page, changes->len > limit ? "\",\"more\":true}" : "\",\"more\":false}");
  cin_request_respond_json_text (request, SOUP_STATUS_OK, page);
}
