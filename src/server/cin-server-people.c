/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cin-server-people"


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

/* The follows, as they are read; the last one shown makes the cursor. */
typedef struct {
  CinItemPage items;
  gint64      last_followed_at;
  gint64      last_account_id;
} FollowingPage;

static gboolean
append_follow (const CinFollow *follow,
               gpointer         user_data)
{
  FollowingPage *page = user_data;
  GString *text = page->items.text;
  g_autofree char *followed_at = NULL;

  if (!cin_item_page_add (&page->items))
    return FALSE;
  followed_at = cin_format_time (follow->followed_at);
  cin_server_json_append_literal (text, "{\"handle\":");
  cin_server_json_append_string (text, follow->handle);
  /* An account has no name besides its handle. */
  cin_server_json_append_literal (text, ",\"display_name\":");
  cin_server_json_append_string (text, follow->handle);
  cin_server_json_append_literal (text, ",\"followed_at\":");
  cin_server_json_append_string (text, followed_at);
  g_string_append_c (text, '}');
  page->last_followed_at = follow->followed_at;
  page->last_account_id = follow->account_id;
  return TRUE;
}

/* A cursor is "FOLLOWED_AT_USEC.ACCOUNT_ID" of the last account shown. */
void
_cin_route_following_list (CinRequest *request)
{
  CinStorage *storage = request->server->storage;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  const char *cursor = cin_request_query (request, "cursor");
  const char *account_text;
  gint64 after_followed_at = 0;
  guint64 after_account_id = 0;
  FollowingPage page = { { 0 } };
  guint limit;

  if (!cin_request_read_limit (request, &limit))
    return;
  if (cursor != NULL &&
      (!cin_request_split_cursor (cursor, &after_followed_at, &account_text) ||
       !g_ascii_string_to_unsigned (account_text, 10, 1, G_MAXINT64, &after_account_id, NULL)))
    {
      cin_request_answer_invalid_cursor (request, "cursor");
      return;
    }

  cin_item_page_init (&page.items, limit, 96);
  if (!storage->ops->following_list (storage, request->account_id, after_followed_at,
                                     (gint64)after_account_id, limit + 1, append_follow, &page, &error))
    {
      cin_item_page_clear (&page.items);
      cin_request_internal_error (request, error);
      return;
    }
  if (page.items.more)
    next = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                            page.last_followed_at, page.last_account_id);
  cin_request_respond_item_page (request, &page.items, next);
}
