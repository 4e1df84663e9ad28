/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-explore"

#include <string.h>

#include "cin-server-entity.h"
#include "cin-server-json.h"

/* The public side: GET /v1/explore, published public notes newest first,
 * and GET /v1/search?q=, the same notes whose title, body or topics hold
 * the query (trigram FTS5 for three characters and more, a scan for one
 * or two, which Chinese needs: 咖啡, 茶). Both page with an opaque
 * cursor and need no account. */

static void
answer_invalid_cursor (CinRequest *request)
{
  cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-cursor", "cursor",
                       "“cursor” must be one this server gave, or left out.");
}

/* {"items":[…],"cursor":…}, written around the stored JSON as the notes
 * are read. */
typedef struct {
  GString *text;
  guint    limit;
  guint    shown;
  gboolean more;
  /* The last note shown, for the explore cursor. */
  gint64   last_published_at;
  GString *last_id;
} Page;

static void
page_init (Page  *page,
           guint  limit)
{
  page->text = g_string_sized_new (1024 * limit + 64);
  page->limit = limit;
  page->shown = 0;
  page->more = FALSE;
  page->last_published_at = 0;
  page->last_id = g_string_new (NULL);
  g_string_append (page->text, "{\"items\":[");
}

static void
page_clear (Page *page)
{
  if (page->text != NULL)
    g_string_free (page->text, TRUE);
  g_string_free (page->last_id, TRUE);
}

static gboolean
append_item (const CinEntity *note,
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
  cin_entity_append_json (page->text, note);
  page->last_published_at = note->published_at;
  g_string_assign (page->last_id, note->id);
  return TRUE;
}

/* Answers the page, its cursor @next_cursor when more follow. */
static void
respond_page (CinRequest *request,
              Page       *page,
              const char *next_cursor)
{
  g_string_append (page->text, "],\"cursor\":");
  if (page->more)
    cin_server_json_append_string (page->text, next_cursor);
  else
    g_string_append (page->text, "null");
  g_string_append_c (page->text, '}');
  cin_request_respond_json_text (request, SOUP_STATUS_OK, g_steal_pointer (&page->text));
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
  if (cursor != NULL)
    {
      const char *dot = strchr (cursor, '.');
      g_autofree char *number = dot ? g_strndup (cursor, dot - cursor) : NULL;
      guint64 value;

      if (number == NULL || !g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT64, &value, NULL) ||
          !g_uuid_string_is_valid (dot + 1))
        {
          answer_invalid_cursor (request);
          return;
        }
      after = value;
      after_id = dot + 1;
    }

  page_init (&page, limit);
  if (!storage->ops->explore_list (storage, after, after_id, limit + 1, append_item, &page, &error))
    {
      cin_request_internal_error (request, error);
      page_clear (&page);
      return;
    }
  if (page.more)
    next = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", page.last_published_at, page.last_id->str);
  respond_page (request, &page, next);
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
      answer_invalid_cursor (request);
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
  respond_page (request, &page, next);
  page_clear (&page);
}
