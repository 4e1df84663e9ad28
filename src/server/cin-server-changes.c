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

/* A page of the feed as it is read, written around the stored JSON rather
 * than through json-glib: the feed is read far more often than anything
 * is written. */
typedef struct {
  GString *text;
  guint    limit;
  guint    shown;
  gint64   last_seq;
  gboolean more;
} Page;

/* {"cursor","kind","id","rev","deleted","entity"} */
static gboolean
append_change (const CinEntity *entity,
               gpointer         user_data)
{
  Page *page = user_data;

  /* The row after the last asked for only says another page follows. */
  if (page->shown == page->limit)
    {
      page->more = TRUE;
      return FALSE;
    }
  if (page->shown++ > 0)
    g_string_append_c (page->text, ',');
  page->last_seq = entity->seq;

  cin_server_json_append_literal (page->text, "{\"cursor\":\"");
  cin_server_json_append_int (page->text, entity->seq);
  cin_server_json_append_literal (page->text, "\",\"kind\":");
  cin_server_json_append_string (page->text, entity->kind);
  cin_server_json_append_literal (page->text, ",\"id\":");
  cin_server_json_append_string (page->text, entity->id);
  cin_server_json_append_literal (page->text, ",\"rev\":\"");
  cin_server_json_append_int (page->text, entity->rev);
  if (entity->deleted)
    cin_server_json_append_literal (page->text, "\",\"deleted\":true,\"entity\":null}");
  else
    {
      cin_server_json_append_literal (page->text, "\",\"deleted\":false,\"entity\":");
      cin_entity_append_json (page->text, entity);
      g_string_append_c (page->text, '}');
    }
  return TRUE;
}

void
_cin_route_changes_list (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  const char *since_text = cin_request_query (request, "since");
  const char *limit_text = cin_request_query (request, "limit");
  guint64 since = 0;
  guint64 limit = DEFAULT_LIMIT;
  gint64 horizon;
  Page page = { 0 };
  gboolean read;

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

  /* Without a cursor the feed starts from nothing known, so nothing can
   * have been missed and the horizon is not read. With one, the horizon
   * and the page come from one snapshot. */
  if (since_text != NULL)
    {
      if (!storage->ops->begin_read (storage, &error))
        {
          cin_request_internal_error (request, error);
          return;
        }
      horizon = storage->ops->changes_horizon (storage, request->account_id, &error);
      if (horizon < 0 || (gint64)since < horizon)
        {
          storage->ops->rollback (storage);
          if (horizon < 0)
            cin_request_internal_error (request, error);
          else
            cin_request_problem (request, SOUP_STATUS_GONE, "cursor-expired", "since",
                                 "This cursor is older than the deletions the server still "
                                 "remembers. Start again without “since” and replace what you hold.");
          return;
        }
    }

  page.text = g_string_sized_new (1024 * limit + 64);
  page.limit = limit;
  page.last_seq = since;
  cin_server_json_append_literal (page.text, "{\"changes\":[");
  /* One more than asked tells whether another page follows. */
  read = storage->ops->changes_list (storage, request->account_id, since, limit + 1,
                                     append_change, &page, &error);
  if (since_text != NULL)
    storage->ops->rollback (storage);
  if (!read)
    {
      g_string_free (page.text, TRUE);
      cin_request_internal_error (request, error);
      return;
    }

  cin_server_json_append_literal (page.text, "],\"cursor\":\"");
  cin_server_json_append_int (page.text, page.last_seq);
  if (page.more)
    cin_server_json_append_literal (page.text, "\",\"more\":true}");
  else
    cin_server_json_append_literal (page.text, "\",\"more\":false}");
  cin_request_respond_json_text (request, SOUP_STATUS_OK, page.text);
}
