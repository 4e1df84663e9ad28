/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-people"

#include <string.h>

#include "cin-server-entity.h"
#include "cin-server-json.h"

/* Following: PUT and DELETE /v1/following/{handle} follow and unfollow an
 * account, and GET /v1/following pages through the accounts the caller
 * follows, most recently followed first (what the composer offers for
 * @mentions). Both changes are idempotent in what they leave: following
 * twice keeps the first time, unfollowing what is not followed is done
 * already. Follows are not entities: they have no revision and are not in
 * the change feed. */

/* The account of the path's handle, or 0 after answering 404 (or 500). */
static gint64
find_account (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  const char *handle = cin_request_param (request, 0);
  g_autoptr(CinAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = storage->ops->account_find (storage, handle, &error);
  if (account != NULL)
    return account->id;
  if (g_error_matches (error, CIN_STORAGE_ERROR, CIN_STORAGE_ERROR_NOT_FOUND))
    cin_request_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "handle",
                         "There is no account “%s”.", handle);
  else
    cin_request_internal_error (request, error);
  return 0;
}

void
_cin_route_follow_put (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  gint64 followee = find_account (request);

  if (followee == 0)
    return;
  if (followee == request->account_id)
    {
      cin_request_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "cannot-follow-self", "handle",
                           "You can't follow yourself; give another account's handle.");
      return;
    }
  if (!storage->ops->follow_put (storage, request->account_id, followee, request->now, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }
  cin_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

void
_cin_route_follow_delete (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  gint64 followee = find_account (request);

  if (followee == 0)
    return;
  if (!storage->ops->follow_delete (storage, request->account_id, followee, &error))
    {
      cin_request_internal_error (request, error);
      return;
    }
  cin_request_respond_empty (request, SOUP_STATUS_NO_CONTENT);
}

/* {"items":[…],"cursor":…}, written as the follows are read. */
typedef struct {
  GString *text;
  guint    limit;
  guint    shown;
  gboolean more;
  gint64   last_followed_at;
  gint64   last_account_id;
} FollowingPage;

static gboolean
append_follow (const CinFollow *follow,
               gpointer         user_data)
{
  FollowingPage *page = user_data;
  g_autofree char *followed_at = NULL;

  /* The row after the last asked for only says another page follows. */
  if (page->shown == page->limit)
    {
      page->more = TRUE;
      return FALSE;
    }
  if (page->shown++ > 0)
    g_string_append_c (page->text, ',');
  followed_at = cin_format_time (follow->followed_at);
  cin_server_json_append_literal (page->text, "{\"handle\":");
  cin_server_json_append_string (page->text, follow->handle);
  /* An account has no name besides its handle. */
  cin_server_json_append_literal (page->text, ",\"display_name\":");
  cin_server_json_append_string (page->text, follow->handle);
  cin_server_json_append_literal (page->text, ",\"followed_at\":");
  cin_server_json_append_string (page->text, followed_at);
  g_string_append_c (page->text, '}');
  page->last_followed_at = follow->followed_at;
  page->last_account_id = follow->account_id;
  return TRUE;
}

/* A cursor is "FOLLOWED_AT_USEC.ACCOUNT_ID" of the last account shown. */
static gboolean
parse_cursor (const char *cursor,
              gint64     *followed_at,
              gint64     *account_id)
{
  const char *dot = strchr (cursor, '.');
  g_autofree char *time = dot != NULL ? g_strndup (cursor, dot - cursor) : NULL;
  guint64 time_value, id_value;

  if (time == NULL ||
      !g_ascii_string_to_unsigned (time, 10, 1, G_MAXINT64, &time_value, NULL) ||
      !g_ascii_string_to_unsigned (dot + 1, 10, 1, G_MAXINT64, &id_value, NULL))
    return FALSE;
  *followed_at = time_value;
  *account_id = id_value;
  return TRUE;
}

void
_cin_route_following_list (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  const char *cursor = cin_request_query (request, "cursor");
  gint64 after_followed_at = 0;
  gint64 after_account_id = 0;
  FollowingPage page = { 0 };
  guint limit;

  if (!cin_request_read_limit (request, &limit))
    return;
  if (cursor != NULL && !parse_cursor (cursor, &after_followed_at, &after_account_id))
    {
      cin_request_problem (request, SOUP_STATUS_BAD_REQUEST, "invalid-cursor", "cursor",
                           "“cursor” must be one this server gave, or left out.");
      return;
    }

  page.text = g_string_sized_new (96 * limit + 64);
  page.limit = limit;
  g_string_append (page.text, "{\"items\":[");
  if (!storage->ops->following_list (storage, request->account_id, after_followed_at, after_account_id,
                                     limit + 1, append_follow, &page, &error))
    {
      g_string_free (page.text, TRUE);
      cin_request_internal_error (request, error);
      return;
    }
  g_string_append (page.text, "],\"cursor\":");
  if (page.more)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                                               page.last_followed_at, page.last_account_id);

      cin_server_json_append_string (page.text, next);
    }
  else
    g_string_append (page.text, "null");
  g_string_append_c (page.text, '}');
  cin_request_respond_json_text (request, SOUP_STATUS_OK, page.text);
}
