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
 * a cursor.
 *
 * Reading from the start is a listing, and a listing's pages may well lie
 * before the horizon (the newest forgotten deletion): a listing misses
 * nothing forgotten before it started, since it never saw those entities.
 * So its cursors carry the horizon it started at, "SEQ.HORIZON", and such
 * a cursor expires only once a deletion after both is forgotten. Without
 * that, an account with more than a page of changes before its horizon
 * could never be read from the start again: its second page was a 410. */

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
  gint64   listing_horizon;  /* the horizon a listing started at, or 0 */
  gboolean more;
} Page;

/* "SEQ", or "SEQ.HORIZON" while a listing is still before its horizon. */
static void
append_cursor (Page   *page,
               gint64  seq)
{
  cin_server_json_append_int (page->text, seq);
  if (seq < page->listing_horizon)
    {
      g_string_append_c (page->text, '.');
      cin_server_json_append_int (page->text, page->listing_horizon);
    }
}

/* "SEQ" or "SEQ.HORIZON", as append_cursor() writes them. */
static gboolean
parse_cursor (const char *text,
              guint64    *seq,
              guint64    *horizon)
{
  g_auto(GStrv) parts = g_strsplit (text, ".", 3);

  *horizon = 0;
  if (!parse_whole_number (parts[0], G_MAXINT64, seq))
    return FALSE;
  if (parts[1] == NULL)
    return TRUE;
  return parts[2] == NULL && parse_whole_number (parts[1], G_MAXINT64, horizon);
}

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
  append_cursor (page, entity->seq);
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
  guint64 since_horizon = 0;
  guint64 limit = DEFAULT_LIMIT;
  gint64 horizon;
  Page page = { 0 };
  gboolean read;

  if (since_text != NULL && !parse_cursor (since_text, &since, &since_horizon))
    {
      cin_request_answer_invalid_cursor (request, "since");
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

  /* The horizon and the page come from one snapshot. */
  if (!storage->ops->begin_read (storage, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }
  horizon = storage->ops->changes_horizon (storage, request->account_id, &error);
  if (horizon < 0)
    {
      storage->ops->rollback (storage);
      cin_request_internal_error (request, error);
      return;
    }
  /* A listing from the start begins at today's horizon. Only a cursor
   * this server gave carries a horizon, never one ahead of the account's. */
  if (since_text == NULL)
    since_horizon = (guint64)horizon;
  if ((gint64)since_horizon > horizon)
    {
      storage->ops->rollback (storage);
      cin_request_answer_invalid_cursor (request, "since");
      return;
    }
  /* A listing under way has missed nothing forgotten before it started. */
  if ((gint64)MAX (since, since_horizon) < horizon)
    {
      storage->ops->rollback (storage);
      cin_request_problem (request, SOUP_STATUS_GONE, "cursor-expired", "since",
                           "This cursor is older than the deletions the server still "
                           "remembers. Start again without “since” and replace what you hold.");
      return;
    }

  page.text = g_string_sized_new (1024 * limit + 64);
  page.limit = limit;
  page.last_seq = since;
  page.listing_horizon = (gint64)since_horizon;
  cin_server_json_append_literal (page.text, "{\"changes\":[");
  /* One more than asked tells whether another page follows. */
  read = storage->ops->changes_list (storage, request->account_id, since, limit + 1,
                                     append_change, &page, &error);
  storage->ops->rollback (storage);
  if (!read)
    {
      g_string_free (page.text, TRUE);
      cin_request_internal_error (request, error);
      return;
    }

  cin_server_json_append_literal (page.text, "],\"cursor\":\"");
  append_cursor (&page, page.last_seq);
  if (page.more)
    cin_server_json_append_literal (page.text, "\",\"more\":true}");
  else
    cin_server_json_append_literal (page.text, "\",\"more\":false}");
  cin_request_respond_json_text (request, SOUP_STATUS_OK, page.text);
}
