/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-explore"


#include "cin-server-entity.h"
#include "cin-server-json.h"

/* The public side: GET /v1/explore, published public notes newest first,
 * and GET /v1/search?q=, the same notes whose title, body or topics hold
 * the query (trigram FTS5 for three characters and more, a scan for one
 * or two, which Chinese needs: 咖啡, 茶). Both page with an opaque
 * cursor and need no account. */

/* The notes, written around their stored JSON as they are read; the last
 * one shown makes the explore cursor. */
typedef struct {
  CinItemPage items;
  gint64      last_published_at;
  GString    *last_id;
} Page;

static void
page_init (Page  *page,
           guint  limit)
{
  cin_item_page_init (&page->items, limit, 1024);
  page->last_published_at = 0;
  page->last_id = g_string_new (NULL);
}

static void
page_clear (Page *page)
{
  cin_item_page_clear (&page->items);
  g_string_free (page->last_id, TRUE);
}

static gboolean
append_item (const CinEntity *note,
             gpointer         user_data)
{
  Page *page = user_data;

  if (!cin_item_page_add (&page->items))
    return FALSE;
  cin_entity_append_json (page->items.text, note);
  page->last_published_at = note->published_at;
  g_string_assign (page->last_id, note->id);
  return TRUE;
}

/* An explore cursor is "PUBLISHED_AT_USEC.ID" of the last note shown. */
void
_cin_route_explore (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  const char *cursor = cin_request_query (request, "cursor");
  const char *after_id = NULL;
  gint64 after = 0;
  guint limit;
  Page page;

  if (!cin_request_read_limit (request, &limit))
    return;
  if (cursor != NULL &&
      (!cin_request_split_cursor (cursor, &after, &after_id) || !g_uuid_string_is_valid (after_id)))
    {
      cin_request_answer_invalid_cursor (request, "cursor");
      return;
    }

  page_init (&page, limit);
  if (!storage->ops->explore_list (storage, after, after_id, limit + 1, append_item, &page, &error))
    {
      cin_request_internal_error (request, error);
      page_clear (&page);
      return;
    }
  if (page.items.more)
    next = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", page.last_published_at, page.last_id->str);
  cin_request_respond_item_page (request, &page.items, next);
  page_clear (&page);
}

/* A search cursor is the number of results already shown. */
void
_cin_route_search (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *next = NULL;
  const char *cursor = cin_request_query (request, "cursor");
  guint64 offset = 0;
  guint limit;
  Page page;

  if ((query = cin_request_dup_query_text (request)) == NULL)
    return;
  if (!cin_request_read_limit (request, &limit))
    return;
  if (cursor != NULL && !g_ascii_string_to_unsigned (cursor, 10, 1, 100000, &offset, NULL))
    {
      cin_request_answer_invalid_cursor (request, "cursor");
      return;
    }

  page_init (&page, limit);
  if (!storage->ops->explore_search (storage, query, offset, limit + 1, append_item, &page, &error))
    {
      cin_request_internal_error (request, error);
      page_clear (&page);
      return;
    }
  next = g_strdup_printf ("%" G_GUINT64_FORMAT, offset + limit);
  cin_request_respond_item_page (request, &page.items, next);
  page_clear (&page);
}
