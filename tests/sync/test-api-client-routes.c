/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-api-client-routes"

#include <string.h>

#include "cin-api-client.h"
#include "cin-api-client-people.h"
#include "cin-photo-download.h"
#include "cin-tus-client.h"
#include "sync-test-server.h"

/* Every route of the API through the client's typed calls, against the
 * real server with its demo data: the happy path with the fields decoded,
 * and a representative refusal with the right code and the server's
 * reason. The coverage test holds every route of docs/api/openapi.yaml
 * to a client call. */

#define DEMO_HANDLE   "demo"
#define DEMO_PASSWORD "cinnabar-demo"

typedef struct {
  TestServer   *server;
  CinApiClient *client;
} Fixture;

/* Runs cin_api_client_NAME_async (@client, ARGS…, no cancellable) to the
 * end and gives what cin_api_client_NAME_finish returns. */
#define CALL(name, client, failure, error, ...)                                              \
  ({                                                                                         \
    g_autoptr(GAsyncResult) result_ = NULL;                                                  \
    cin_api_client_##name##_async (client, ##__VA_ARGS__, NULL, sync_test_store_result,      \
                                   &result_);                                                \
    sync_test_wait (&result_);                                                               \
    cin_api_client_##name##_finish (client, result_, failure, error);                        \
  })

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start ("--demo", NULL);
  fixture->client = cin_api_client_new (fixture->server->base_url);
  cin_api_client_set_timeout (fixture->client, 10);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->client);
  test_server_stop (fixture->server);
}

static void
sign_in (Fixture    *fixture,
         const char *handle,
         const char *password)
{
  g_autoptr(CinApiSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = CALL (sign_in, fixture->client, NULL, &error, handle, password);
  g_assert_no_error (error);
  g_assert_nonnull (session);
}

/* A fresh account of the test's own, signed in. */
static void
sign_up_and_in (Fixture *fixture)
{
  g_autoptr(CinApiAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = CALL (sign_up, fixture->client, NULL, &error, SYNC_TEST_HANDLE, SYNC_TEST_PASSWORD);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  sign_in (fixture, SYNC_TEST_HANDLE, SYNC_TEST_PASSWORD);
}

/* The error is @code with the server's own reason as its message. */
static void
assert_refused (GError        *error,
                CinApiFailure *failure,
                gint           code,
                guint          status,
                const char    *type)
{
  g_assert_error (error, CIN_API_ERROR, code);
  g_assert_nonnull (failure);
  g_assert_cmpuint (failure->status, ==, status);
  g_assert_nonnull (failure->detail);
  g_assert_cmpstr (error->message, ==, failure->detail);
  if (type != NULL)
    {
      g_autofree char *urn = g_strconcat ("urn:cinnabar:problem:", type, NULL);

      g_assert_cmpstr (failure->type, ==, urn);
    }
}

/* As assert_refused(), and the failure names @field when that is not
 * NULL; then both are cleared for the next call. */
static void
assert_refused_and_clear (GError        **error,
                          CinApiFailure **failure,
                          gint            code,
                          guint           status,
                          const char     *type,
                          const char     *field)
{
  assert_refused (*error, *failure, code, status, type);
  if (field != NULL)
    g_assert_cmpstr ((*failure)->field, ==, field);
  g_clear_error (error);
  g_clear_pointer (failure, cin_api_failure_free);
}

/* DELETE of @id at @rev succeeds, and a GET after it is a 404. */
#define ASSERT_DELETED(name, client, id, rev, key)                                                 \
  G_STMT_START {                                                                                   \
    g_autoptr(CinApiFailure) failure_ = NULL;                                                      \
    g_autoptr(GError) error_ = NULL;                                                               \
    gpointer gone_;                                                                                \
                                                                                                   \
    g_assert_true (CALL (delete_##name, client, NULL, &error_, id, rev, key));                     \
    g_assert_no_error (error_);                                                                    \
    gone_ = CALL (get_##name, client, &failure_, &error_, id);                                     \
    g_assert_null (gone_);                                                                         \
    assert_refused_and_clear (&error_, &failure_, CIN_API_ERROR_NOT_FOUND, 404, "not-found", NULL); \
  } G_STMT_END

static void
today_utc (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay)g_date_time_get_day_of_month (now),
                  (GDateMonth)g_date_time_get_month (now), (GDateYear)g_date_time_get_year (now));
}

static void
test_account (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CinApiAccount) created = NULL;
  g_autoptr(CinApiAccount) taken = NULL;
  g_autoptr(CinApiAccount) invalid = NULL;
  g_autoptr(CinApiAccount) anonymous = NULL;
  g_autoptr(CinApiAccount) me = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  created = CALL (sign_up, fixture->client, &failure, &error, "bob", SYNC_TEST_PASSWORD);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (created->handle, ==, "bob");
  g_assert_nonnull (created->created_at);
  /* Signing up does not sign in. */
  g_assert_null (cin_api_client_get_token (fixture->client));

  taken = CALL (sign_up, fixture->client, &failure, &error, "bob", SYNC_TEST_PASSWORD);
  g_assert_null (taken);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_CONFLICT, 409, "handle-taken", NULL);

  invalid = CALL (sign_up, fixture->client, &failure, &error, "b", SYNC_TEST_PASSWORD);
  g_assert_null (invalid);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 422, NULL, "handle");

  anonymous = CALL (get_account, fixture->client, &failure, &error);
  g_assert_null (anonymous);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_UNAUTHORIZED, 401, NULL, NULL);

  sign_in (fixture, "bob", SYNC_TEST_PASSWORD);
  me = CALL (get_account, fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (me->handle, ==, "bob");
  g_assert_true (g_date_time_equal (me->created_at, created->created_at));
}

static void
test_list_notes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CinApiPage) anonymous = NULL;
  g_autoptr(CinApiPage) page = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  guint published = 0;

  anonymous = CALL (list_notes, fixture->client, &failure, &error);
  g_assert_null (anonymous);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_UNAUTHORIZED, 401, "unauthorized", NULL);

  sign_in (fixture, DEMO_HANDLE, DEMO_PASSWORD);
  page = CALL (list_notes, fixture->client, NULL, &error);
  g_assert_no_error (error);
  /* The demo's 300 notes, all in one page. */
  g_assert_cmpuint (page->items->len, ==, 300);
  g_assert_null (page->cursor);
  for (guint i = 0; i < page->items->len; i++)
    {
      CinNote *note = g_ptr_array_index (page->items, i);

      g_assert_true (CIN_IS_NOTE (note));
      g_assert_nonnull (cin_note_get_rev (note));
      g_assert_true (g_uuid_string_is_valid (cin_note_get_id (note)));
      if (cin_note_get_state (note) == CIN_NOTE_STATE_PUBLISHED)
        published++;
    }
  g_assert_cmpuint (published, >, 0);
}

static void
test_metrics (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CinApiPage) notes = NULL;
  g_autoptr(CinApiNoteMetrics) metrics = NULL;
  g_autoptr(CinApiNoteMetrics) missing = NULL;
  g_autoptr(CinApiAccountMetrics) followers = NULL;
  g_autoptr(CinApiAccountMetrics) backwards = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unknown = g_uuid_string_random ();
  CinNote *note = NULL;
  GDate today, from;
  guint64 impressions = 0;

  sign_in (fixture, DEMO_HANDLE, DEMO_PASSWORD);
  notes = CALL (list_notes, fixture->client, NULL, &error);
  g_assert_no_error (error);
  /* The oldest published note has numbers for every day asked. */
  for (guint i = 0; i < notes->items->len; i++)
    {
      CinNote *candidate = g_ptr_array_index (notes->items, i);

      if (cin_note_get_state (candidate) == CIN_NOTE_STATE_PUBLISHED &&
          (note == NULL || cin_note_get_created_at (candidate) < cin_note_get_created_at (note)))
        note = candidate;
    }
  g_assert_nonnull (note);

  today_utc (&today);
  from = today;
  g_date_subtract_days (&from, 6);
  metrics = CALL (get_note_metrics, fixture->client, NULL, &error, cin_note_get_id (note), &from, &today);
  g_assert_no_error (error);
  g_assert_cmpstr (metrics->note_id, ==, cin_note_get_id (note));
  g_assert_cmpuint (metrics->days->len, ==, 7);
  for (guint i = 0; i < metrics->days->len; i++)
    {
      CinApiNoteDay *day = &g_array_index (metrics->days, CinApiNoteDay, i);
      GDate expected = from;

      g_date_add_days (&expected, i);
      g_assert_cmpint (g_date_compare (&day->date, &expected), ==, 0);
      g_assert_cmpuint (day->views, <=, day->impressions);
      impressions += day->impressions;
    }
  g_assert_cmpuint (impressions, >, 0);

  missing = CALL (get_note_metrics, fixture->client, &failure, &error, unknown, NULL, NULL);
  g_assert_null (missing);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_NOT_FOUND, 404, "not-found", NULL);

  followers = CALL (get_account_metrics, fixture->client, NULL, &error, NULL, NULL);
  g_assert_no_error (error);
  /* By default the 30 days up to today. */
  g_assert_cmpuint (followers->days->len, ==, 30);
  g_assert_cmpint (g_date_compare (&g_array_index (followers->days, CinApiFollowerDay, 29).date, &today), ==, 0);
  for (guint i = 1; i < followers->days->len; i++)
    {
      CinApiFollowerDay *before = &g_array_index (followers->days, CinApiFollowerDay, i - 1);
      CinApiFollowerDay *day = &g_array_index (followers->days, CinApiFollowerDay, i);

      g_assert_cmpint (g_date_days_between (&before->date, &day->date), ==, 1);
      g_assert_cmpuint (day->followers, ==, before->followers + day->follower_gain);
    }

  backwards = CALL (get_account_metrics, fixture->client, &failure, &error, &today, &from);
  g_assert_null (backwards);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 400, "invalid-range", NULL);
}

static CinApiBoard *
put_board (Fixture        *fixture,
           CinApiBoard    *board,
           const char     *rev,
           CinApiFailure **failure,
           GError        **error)
{
  g_autofree char *key = test_idempotency_key ();

  return CALL (put_board, fixture->client, failure, error, board, rev, key);
}

static void
test_boards (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CinApiBoard) board = cin_api_board_new (NULL, "周末咖啡");
  g_autoptr(CinApiBoard) created = NULL;
  g_autoptr(CinApiBoard) updated = NULL;
  g_autoptr(CinApiBoard) stale = NULL;
  g_autoptr(CinApiBoard) current = NULL;
  g_autoptr(CinApiBoard) fetched = NULL;
  g_autoptr(CinApiBoard) invalid = NULL;
  g_autoptr(CinApiPage) page = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note_id = g_uuid_string_random ();
  g_autofree char *key = test_idempotency_key ();
  const char *note_ids[] = { note_id, NULL };

  sign_up_and_in (fixture);

  created = put_board (fixture, board, NULL, &failure, &error);
  g_assert_no_error (error);
  g_assert_null (failure);
  g_assert_cmpstr (created->id, ==, board->id);
  g_assert_cmpstr (created->name, ==, "周末咖啡");
  g_assert_false (created->is_public);
  g_assert_cmpuint (g_strv_length (created->note_ids), ==, 0);
  g_assert_nonnull (created->rev);
  g_assert_nonnull (created->created_at);
  g_assert_nonnull (created->updated_at);

  g_free (board->name);
  board->name = g_strdup ("成都咖啡");
  board->is_public = TRUE;
  g_strfreev (board->note_ids);
  board->note_ids = g_strdupv ((char **)note_ids);
  updated = put_board (fixture, board, created->rev, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->name, ==, "成都咖啡");
  g_assert_true (updated->is_public);
  g_assert_cmpstrv (updated->note_ids, note_ids);
  g_assert_cmpstr (updated->rev, !=, created->rev);

  /* From the first revision again: the server's board comes back. */
  stale = put_board (fixture, board, created->rev, &failure, &error);
  g_assert_null (stale);
  assert_refused (error, failure, CIN_API_ERROR_PRECONDITION_FAILED, 412, NULL);
  g_assert_nonnull (failure->current);
  g_clear_error (&error);
  current = cin_api_board_new_from_json (failure->current, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current->rev, ==, updated->rev);
  g_assert_cmpstr (current->name, ==, "成都咖啡");
  g_clear_pointer (&failure, cin_api_failure_free);

  g_free (board->name);
  board->name = g_strdup ("");
  invalid = put_board (fixture, board, updated->rev, &failure, &error);
  g_assert_null (invalid);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 422, "invalid-field", "name");

  fetched = CALL (get_board, fixture->client, NULL, &error, board->id);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->rev, ==, updated->rev);
  g_assert_cmpstrv (fetched->note_ids, note_ids);

  page = CALL (list_boards, fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_null (page->cursor);
  g_assert_cmpstr (((CinApiBoard *)g_ptr_array_index (page->items, 0))->name, ==, "成都咖啡");

  ASSERT_DELETED (board, fixture->client, board->id, updated->rev, key);
}

static void
test_bookmarks (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
  g_autoptr(CinNote) stored_note = NULL;
  g_autoptr(CinApiBoard) board = cin_api_board_new (NULL, "收藏");
  g_autoptr(CinApiBoard) stored_board = NULL;
  g_autoptr(CinApiBookmark) bookmark = NULL;
  g_autoptr(CinApiBookmark) created = NULL;
  g_autoptr(CinApiBookmark) moved = NULL;
  g_autoptr(CinApiBookmark) stale = NULL;
  g_autoptr(CinApiBookmark) current = NULL;
  g_autoptr(CinApiBookmark) fetched = NULL;
  g_autoptr(CinApiBookmark) unreadable = NULL;
  g_autoptr(CinApiPage) page = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key1 = test_idempotency_key ();
  g_autofree char *key2 = test_idempotency_key ();
  g_autofree char *key3 = test_idempotency_key ();
  g_autofree char *key4 = test_idempotency_key ();
  g_autofree char *key5 = test_idempotency_key ();
  g_autofree char *unknown = g_uuid_string_random ();

  sign_up_and_in (fixture);
  cin_note_set_title (note, "收藏的咖啡店");
  {
    g_autoptr(GAsyncResult) result = NULL;

    cin_api_client_put_note_async (fixture->client, note, NULL, key1, NULL, sync_test_store_result, &result);
    sync_test_wait (&result);
    stored_note = cin_api_client_put_note_finish (fixture->client, result, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  stored_board = put_board (fixture, board, NULL, NULL, &error);
  g_assert_no_error (error);

  bookmark = cin_api_bookmark_new (NULL, cin_note_get_id (note), NULL);
  created = CALL (put_bookmark, fixture->client, NULL, &error, bookmark, NULL, key2);
  g_assert_no_error (error);
  g_assert_cmpstr (created->id, ==, bookmark->id);
  g_assert_cmpstr (created->note_id, ==, cin_note_get_id (note));
  g_assert_null (created->board_id);
  /* The note as it was, to show offline. */
  g_assert_nonnull (created->note);
  g_assert_cmpstr (cin_note_get_title (created->note), ==, "收藏的咖啡店");
  g_assert_cmpstr (cin_note_get_rev (created->note), ==, cin_note_get_rev (stored_note));

  bookmark->board_id = g_strdup (board->id);
  moved = CALL (put_bookmark, fixture->client, NULL, &error, bookmark, created->rev, key3);
  g_assert_no_error (error);
  g_assert_cmpstr (moved->board_id, ==, board->id);

  stale = CALL (put_bookmark, fixture->client, &failure, &error, bookmark, created->rev, key4);
  g_assert_null (stale);
  assert_refused (error, failure, CIN_API_ERROR_PRECONDITION_FAILED, 412, NULL);
  g_clear_error (&error);
  current = cin_api_bookmark_new_from_json (failure->current, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (current->rev, ==, moved->rev);
  g_assert_cmpstr (current->board_id, ==, board->id);
  g_clear_pointer (&failure, cin_api_failure_free);

  g_free (bookmark->note_id);
  bookmark->note_id = g_strdup (unknown);
  unreadable = CALL (put_bookmark, fixture->client, &failure, &error, bookmark, moved->rev, key4);
  g_assert_null (unreadable);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 422, "invalid-field", "note_id");

  fetched = CALL (get_bookmark, fixture->client, NULL, &error, bookmark->id);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->rev, ==, moved->rev);
  g_assert_cmpstr (fetched->note_id, ==, cin_note_get_id (note));

  page = CALL (list_bookmarks, fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 1);
  g_assert_cmpstr (((CinApiBookmark *)g_ptr_array_index (page->items, 0))->board_id, ==, board->id);

  ASSERT_DELETED (bookmark, fixture->client, bookmark->id, moved->rev, key5);
}

static void
test_products (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CinApiProduct) product = NULL;
  g_autoptr(CinApiProduct) created = NULL;
  g_autoptr(CinApiProduct) repriced = NULL;
  g_autoptr(CinApiProduct) stale = NULL;
  g_autoptr(CinApiProduct) current = NULL;
  g_autoptr(CinApiProduct) invalid = NULL;
  g_autoptr(CinApiProduct) fetched = NULL;
  g_autoptr(CinApiPage) shelf = NULL;
  g_autoptr(CinApiPage) page = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key1 = test_idempotency_key ();
  g_autofree char *key2 = test_idempotency_key ();
  g_autofree char *key3 = test_idempotency_key ();
  g_autofree char *key4 = test_idempotency_key ();
  g_autofree char *stale_rev = NULL;
  gboolean deleted;

  /* The demo's shelf. */
  sign_in (fixture, DEMO_HANDLE, DEMO_PASSWORD);
  shelf = CALL (list_products, fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (shelf->items->len, >, 0);
  for (guint i = 0; i < shelf->items->len; i++)
    {
      CinApiProduct *item = g_ptr_array_index (shelf->items, i);

      g_assert_nonnull (item->title);
      g_assert_cmpint (strlen (item->currency), ==, 3);
      g_assert_true (g_str_has_prefix (item->url, "http"));
    }

  product = cin_api_product_new (NULL, "手冲咖啡壶", 12900, "CNY", "https://example.com/kettle");
  product->sku = g_strdup ("KETTLE-1");
  created = CALL (put_product, fixture->client, NULL, &error, product, NULL, key1);
  g_assert_no_error (error);
  g_assert_cmpstr (created->title, ==, "手冲咖啡壶");
  g_assert_cmpint (created->price_cents, ==, 12900);
  g_assert_cmpstr (created->currency, ==, "CNY");
  g_assert_cmpstr (created->url, ==, "https://example.com/kettle");
  g_assert_null (created->image_url);
  g_assert_cmpstr (created->sku, ==, "KETTLE-1");

  product->price_cents = 9900;
  product->image_url = g_strdup ("https://example.com/kettle.jpg");
  repriced = CALL (put_product, fixture->client, NULL, &error, product, created->rev, key2);
  g_assert_no_error (error);
  g_assert_cmpint (repriced->price_cents, ==, 9900);
  g_assert_cmpstr (repriced->image_url, ==, "https://example.com/kettle.jpg");

  stale = CALL (put_product, fixture->client, &failure, &error, product, created->rev, key3);
  g_assert_null (stale);
  assert_refused (error, failure, CIN_API_ERROR_PRECONDITION_FAILED, 412, NULL);
  g_clear_error (&error);
  current = cin_api_product_new_from_json (failure->current, &error);
  g_assert_no_error (error);
  g_assert_cmpint (current->price_cents, ==, 9900);
  g_clear_pointer (&failure, cin_api_failure_free);

  g_free (product->currency);
  product->currency = g_strdup ("yuan");
  invalid = CALL (put_product, fixture->client, &failure, &error, product, repriced->rev, key3);
  g_assert_null (invalid);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 422, "invalid-field", "currency");

  fetched = CALL (get_product, fixture->client, NULL, &error, product->id);
  g_assert_no_error (error);
  g_assert_cmpstr (fetched->currency, ==, "CNY");

  page = CALL (list_products, fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, shelf->items->len + 1);

  /* Deleting from a stale revision is refused, then from the current one. */
  stale_rev = g_strdup (created->rev);
  deleted = CALL (delete_product, fixture->client, &failure, &error, product->id, stale_rev, key4);
  g_assert_false (deleted);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PRECONDITION_FAILED, 412, NULL, NULL);
  ASSERT_DELETED (product, fixture->client, product->id, repriced->rev, key4);
}

static void
test_explore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CinApiPage) first = NULL;
  g_autoptr(CinApiPage) second = NULL;
  g_autoptr(CinApiPage) invalid = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  /* Anyone may explore: no token. */
  first = CALL (explore, fixture->client, NULL, &error, NULL, 5);
  g_assert_no_error (error);
  g_assert_cmpuint (first->items->len, ==, 5);
  g_assert_nonnull (first->cursor);
  second = CALL (explore, fixture->client, NULL, &error, first->cursor, 5);
  g_assert_no_error (error);
  g_assert_cmpuint (second->items->len, ==, 5);
  for (guint i = 0; i < 10; i++)
    {
      CinNote *note = g_ptr_array_index (i < 5 ? first->items : second->items, i % 5);

      g_assert_cmpint (cin_note_get_state (note), ==, CIN_NOTE_STATE_PUBLISHED);
      g_assert_true (g_hash_table_add (seen, (gpointer)cin_note_get_id (note)));
    }

  invalid = CALL (explore, fixture->client, &failure, &error, "not-a-cursor", 5);
  g_assert_null (invalid);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 400, "invalid-cursor", "cursor");
}

static gboolean
note_holds (CinNote    *note,
            const char *text)
{
  const char * const *topics = cin_note_get_topics (note);

  if (strstr (cin_note_get_title (note) != NULL ? cin_note_get_title (note) : "", text) != NULL ||
      strstr (cin_note_get_body (note) != NULL ? cin_note_get_body (note) : "", text) != NULL)
    return TRUE;
  for (guint i = 0; topics != NULL && topics[i] != NULL; i++)
    if (strstr (topics[i], text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CinApiPage) page = NULL;
  g_autoptr(CinApiPage) next = NULL;
  g_autoptr(CinApiPage) empty = NULL;
  g_autoptr(CinApiFailure) failure = NULL;
  g_autoptr(GError) error = NULL;

  page = CALL (search, fixture->client, NULL, &error, "咖啡", NULL, 3);
  g_assert_no_error (error);
  g_assert_cmpuint (page->items->len, ==, 3);
  g_assert_nonnull (page->cursor);
  for (guint i = 0; i < page->items->len; i++)
    g_assert_true (note_holds (g_ptr_array_index (page->items, i), "咖啡"));
  next = CALL (search, fixture->client, NULL, &error, "咖啡", page->cursor, 3);
  g_assert_no_error (error);
  g_assert_cmpuint (next->items->len, >, 0);
  g_assert_cmpstr (cin_note_get_id (g_ptr_array_index (next->items, 0)), !=,
                   cin_note_get_id (g_ptr_array_index (page->items, 0)));

  empty = CALL (search, fixture->client, &failure, &error, "   ", NULL, 0);
  g_assert_null (empty);
  assert_refused_and_clear (&error, &failure, CIN_API_ERROR_PROBLEM, 400, "invalid-query", "q");
}

static void
test_following (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) anonymous = NULL;
  g_auto(GStrv) demo = NULL;
  g_auto(GStrv) after = NULL;
  g_auto(GStrv) back = NULL;
  g_autofree char *demo_joined = NULL;

  anonymous = SYNC_TEST_CALL (list_following, fixture->client, &error);
  g_assert_null (anonymous);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* The demo account follows a few others, the latest first. */
  sign_in (fixture, DEMO_HANDLE, DEMO_PASSWORD);
  demo = SYNC_TEST_CALL (list_following, fixture->client, &error);
  g_assert_no_error (error);
  demo_joined = g_strjoinv (" ", demo);
  g_assert_cmpstr (demo_joined, ==, "ahua-coffee momo.home lin_travel chengdu.eats xiaoyu");

  g_assert_true (SYNC_TEST_CALL (unfollow, fixture->client, &error, "xiaoyu"));
  g_assert_no_error (error);
  after = SYNC_TEST_CALL (list_following, fixture->client, &error);
  g_assert_cmpuint (g_strv_length (after), ==, 4);
  g_assert_false (g_strv_contains ((const char * const *)after, "xiaoyu"));
  g_assert_true (SYNC_TEST_CALL (follow, fixture->client, &error, "xiaoyu"));
  g_assert_no_error (error);
  back = SYNC_TEST_CALL (list_following, fixture->client, &error);
  g_assert_cmpstr (back[0], ==, "xiaoyu");

  g_assert_false (SYNC_TEST_CALL (follow, fixture->client, &error, "no-such-account"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (SYNC_TEST_CALL (unfollow, fixture->client, &error, "no-such-account"));
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_NOT_FOUND);
}

static void
test_topics (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) coffee = NULL;
  g_auto(GStrv) city = NULL;
  g_auto(GStrv) empty = NULL;

  /* Anyone may ask: no token. The demo's themes and places are its
   * topics. */
  coffee = SYNC_TEST_CALL (suggest_topics, fixture->client, &error, "咖", 5);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (coffee), ==, 1);
  g_assert_cmpstr (coffee[0], ==, "咖啡");
  city = SYNC_TEST_CALL (suggest_topics, fixture->client, &error, "都", 5);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (city), ==, 1);
  g_assert_cmpstr (city[0], ==, "成都");

  empty = SYNC_TEST_CALL (suggest_topics, fixture->client, &error, "", 5);
  g_assert_null (empty);
  g_assert_error (error, CIN_API_ERROR, CIN_API_ERROR_PROBLEM);
  g_assert_nonnull (strstr (error->message, "“q”"));
}

/* Every route of the contract and the client call that sends it. A route
 * no call sends yet says so, and why, in `uncalled`: only the tus routes
 * cin-tus-client.c does not need to upload (it creates, asks the offset
 * and appends, but does not discover, terminate or download). */
static const struct {
  const char *route;
  GCallback   call;
  const char *uncalled;
} client_routes[] = {
  { "POST /v1/accounts",               G_CALLBACK (cin_api_client_sign_up_async), NULL },
  { "POST /v1/session",                G_CALLBACK (cin_api_client_sign_in_async), NULL },
  { "GET /v1/session",                 G_CALLBACK (cin_api_client_get_account_async), NULL },
  { "DELETE /v1/session",              G_CALLBACK (cin_api_client_sign_out_async), NULL },
  { "GET /v1/notes",                   G_CALLBACK (cin_api_client_list_notes_async), NULL },
  { "PUT /v1/notes/{id}",              G_CALLBACK (cin_api_client_put_note_async), NULL },
  { "GET /v1/notes/{id}",              G_CALLBACK (cin_api_client_get_note_async), NULL },
  { "DELETE /v1/notes/{id}",           G_CALLBACK (cin_api_client_delete_note_async), NULL },
  { "POST /v1/notes/{id}/publish",     G_CALLBACK (cin_api_client_change_state_async), NULL },
  { "POST /v1/notes/{id}/schedule",    G_CALLBACK (cin_api_client_change_state_async), NULL },
  { "POST /v1/notes/{id}/unpublish",   G_CALLBACK (cin_api_client_change_state_async), NULL },
  { "GET /v1/notes/{id}/metrics",      G_CALLBACK (cin_api_client_get_note_metrics_async), NULL },
  { "GET /v1/account/metrics",         G_CALLBACK (cin_api_client_get_account_metrics_async), NULL },
  { "GET /v1/boards",                  G_CALLBACK (cin_api_client_list_boards_async), NULL },
  { "PUT /v1/boards/{id}",             G_CALLBACK (cin_api_client_put_board_async), NULL },
  { "GET /v1/boards/{id}",             G_CALLBACK (cin_api_client_get_board_async), NULL },
  { "DELETE /v1/boards/{id}",          G_CALLBACK (cin_api_client_delete_board_async), NULL },
  { "GET /v1/bookmarks",               G_CALLBACK (cin_api_client_list_bookmarks_async), NULL },
  { "PUT /v1/bookmarks/{id}",          G_CALLBACK (cin_api_client_put_bookmark_async), NULL },
  { "GET /v1/bookmarks/{id}",          G_CALLBACK (cin_api_client_get_bookmark_async), NULL },
  { "DELETE /v1/bookmarks/{id}",       G_CALLBACK (cin_api_client_delete_bookmark_async), NULL },
  { "GET /v1/products",                G_CALLBACK (cin_api_client_list_products_async), NULL },
  { "PUT /v1/products/{id}",           G_CALLBACK (cin_api_client_put_product_async), NULL },
  { "GET /v1/products/{id}",           G_CALLBACK (cin_api_client_get_product_async), NULL },
  { "DELETE /v1/products/{id}",        G_CALLBACK (cin_api_client_delete_product_async), NULL },
  { "GET /v1/changes",                 G_CALLBACK (cin_api_client_get_changes_async), NULL },
  { "GET /v1/explore",                 G_CALLBACK (cin_api_client_explore_async), NULL },
  { "GET /v1/search",                  G_CALLBACK (cin_api_client_search_async), NULL },
  { "GET /v1/topics",                  G_CALLBACK (cin_api_client_suggest_topics_async), NULL },
  { "GET /v1/following",               G_CALLBACK (cin_api_client_list_following_async), NULL },
  { "PUT /v1/following/{handle}",      G_CALLBACK (cin_api_client_follow_async), NULL },
  { "DELETE /v1/following/{handle}",   G_CALLBACK (cin_api_client_unfollow_async), NULL },
  { "POST /v1/uploads",                G_CALLBACK (cin_tus_client_upload_async), NULL },
  { "HEAD /v1/uploads/{id}",           G_CALLBACK (cin_tus_client_upload_async), NULL },
  { "PATCH /v1/uploads/{id}",          G_CALLBACK (cin_tus_client_upload_async), NULL },
  { "OPTIONS /v1/uploads",             G_CALLBACK (cin_tus_client_get_capabilities_async), NULL },
  { "DELETE /v1/uploads/{id}",         G_CALLBACK (cin_tus_client_terminate_async), NULL },
  { "GET /v1/uploads/{id}",            G_CALLBACK (cin_photo_download_async), NULL },
};

/* "METHOD /path" for every operation under `paths:` in the contract: a
 * path is a two-space-indented key, an operation a four-space-indented
 * HTTP method under it. */
static GPtrArray *
contract_routes (void)
{
  static const char * const methods[] = { "get", "put", "post", "delete", "patch", "head", "options" };
  g_autofree char *path = g_build_filename (CIN_SOURCE_DATADIR, "..", "docs", "api", "openapi.yaml", NULL);
  g_autofree char *text = NULL;
  g_autofree char *current = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *routes = g_ptr_array_new_with_free_func (g_free);
  gboolean in_paths = FALSE;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (line[0] != ' ' && line[0] != '\0' && line[0] != '#')
        {
          in_paths = g_str_equal (line, "paths:");
          continue;
        }
      if (!in_paths)
        continue;
      if (g_str_has_prefix (line, "  /") && g_str_has_suffix (line, ":"))
        {
          g_free (current);
          current = g_strndup (line + 2, strlen (line) - 3);
          continue;
        }
      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        {
          g_autofree char *key = g_strdup_printf ("    %s:", methods[m]);
          g_autofree char *method = g_ascii_strup (methods[m], -1);

          if (current != NULL && g_str_has_prefix (line, key))
            g_ptr_array_add (routes, g_strdup_printf ("%s %s", method, current));
        }
    }
  return routes;
}

static void
test_every_route_has_a_call (void)
{
  g_autoptr(GPtrArray) routes = contract_routes ();
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) contract = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < G_N_ELEMENTS (client_routes); i++)
    {
      g_assert_true (g_hash_table_insert (table, (gpointer)client_routes[i].route, GUINT_TO_POINTER (i)));
      /* A call, or a reason there is none; never both. */
      g_assert_true ((client_routes[i].call != NULL) != (client_routes[i].uncalled != NULL));
      if (client_routes[i].uncalled != NULL)
        g_test_message ("%s: no client call (%s)", client_routes[i].route, client_routes[i].uncalled);
    }

  /* The whole API: notes, collections, metrics, explore, uploads. */
  g_assert_cmpuint (routes->len, >=, 30);
  for (guint i = 0; i < routes->len; i++)
    {
      const char *route = g_ptr_array_index (routes, i);

      if (!g_hash_table_contains (table, route))
        g_error ("%s is in docs/api/openapi.yaml but no client call sends it: "
                 "add one to src/sync/cin-api-client*.c and to client_routes", route);
      g_hash_table_add (contract, (gpointer)route);
    }
  for (guint i = 0; i < G_N_ELEMENTS (client_routes); i++)
    if (!g_hash_table_contains (contract, client_routes[i].route))
      g_error ("%s is in client_routes but not in docs/api/openapi.yaml", client_routes[i].route);
}

int
main (int   argc,
      char *argv[])
{
  /* GNOME's proxy resolver aborts under the isolated XDG dirs. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/api-client-routes/account", test_account);
  ADD ("/api-client-routes/list-notes", test_list_notes);
  ADD ("/api-client-routes/metrics", test_metrics);
  ADD ("/api-client-routes/boards", test_boards);
  ADD ("/api-client-routes/bookmarks", test_bookmarks);
  ADD ("/api-client-routes/products", test_products);
  ADD ("/api-client-routes/explore", test_explore);
  ADD ("/api-client-routes/search", test_search);
  ADD ("/api-client-routes/following", test_following);
  ADD ("/api-client-routes/topics", test_topics);
#undef ADD
  g_test_add_func ("/api-client-routes/every-route-has-a-call", test_every_route_has_a_call);

  return g_test_run ();
}
