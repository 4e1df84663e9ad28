/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-engine"

#include "cin-note-json.h"
#include "cin-sync-engine-private.h"
#include "store-test-util.h"
#include "sync-test-client.h"

/* The sync engine against the real cinnabar-server, each client with its
 * own real store file. */

#define SETTLE_MS 30000

typedef struct {
  TestServer *server;
  char       *token;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_start (NULL);
  sync_test_add_account (fixture->server);
  fixture->token = sync_test_sign_in (fixture->server->base_url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_server_stop (fixture->server);
  g_free (fixture->token);
}

static CinNote *
make_note (const char *title,
           const char *body)
{
  CinNote *note = cin_note_new (CIN_NOTE_KIND_VIDEO);

  cin_note_set_title (note, title);
  cin_note_set_body (note, body);
  return note;
}

/* The note as the server has it, or NULL on 404. */
static CinNote *
server_note (Fixture    *fixture,
             const char *id)
{
  g_autofree char *path = g_strdup_printf ("/v1/notes/%s", id);
  g_autoptr(TestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  CinNote *note;

  response = test_server_request (fixture->server, "GET", path, fixture->token, NULL, NULL);
  if (response->status == 404)
    return NULL;
  g_assert_cmpuint (response->status, ==, 200);
  note = cin_note_from_json (response->json, &error);
  g_assert_no_error (error);
  return note;
}

static gint64
server_note_count (Fixture *fixture)
{
  g_autoptr(TestResponse) response = NULL;
  JsonArray *items;

  response = test_server_request (fixture->server, "GET", "/v1/notes?limit=100", fixture->token, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (response->json), "items");
  return json_array_get_length (items);
}

static void
assert_same_text (CinNote *a,
                  CinNote *b)
{
  g_assert_cmpstr (cin_note_get_id (a), ==, cin_note_get_id (b));
  g_assert_cmpstr (cin_note_get_title (a), ==, cin_note_get_title (b));
  g_assert_cmpstr (cin_note_get_body (a), ==, cin_note_get_body (b));
  g_assert_true (g_strv_equal (cin_note_get_topics (a), cin_note_get_topics (b)));
  g_assert_cmpstr (cin_note_get_rev (a), ==, cin_note_get_rev (b));
}

/* Every local note is on the server as it is here, synced. */
static void
assert_server_has_local_state (Fixture        *fixture,
                               SyncTestClient *client)
{
  g_autoptr(GPtrArray) notes = sync_test_client_notes (client);

  for (guint i = 0; i < notes->len; i++)
    {
      CinNote *local = g_ptr_array_index (notes, i);
      g_autoptr(CinNote) remote = server_note (fixture, cin_note_get_id (local));

      g_assert_nonnull (remote);
      assert_same_text (local, remote);
      g_assert_cmpint (cin_note_get_sync_state (local), ==, CIN_SYNC_STATE_SYNCED);
    }
}

static void
test_push_creates_and_updates (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) first = make_note ("春日穿搭🌸", "第一篇");
  g_autoptr(CinNote) second = make_note ("Café", "naïve ✨");
  g_autoptr(CinNote) loaded = NULL;

  sync_test_client_save (client, first);
  sync_test_client_save (client, second);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_IDLE);
  assert_server_has_local_state (fixture, client);
  g_assert_cmpint (server_note_count (fixture), ==, 2);

  /* An edit goes out as an update of the same note. */
  cin_note_set_title (first, "春日穿搭🌸 改");
  sync_test_client_save (client, first);
  loaded = sync_test_client_load (client, cin_note_get_id (first));
  g_assert_cmpint (cin_note_get_sync_state (loaded), ==, CIN_SYNC_STATE_MODIFIED);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_server_has_local_state (fixture, client);
  g_assert_cmpint (server_note_count (fixture), ==, 2);
}

/* Edits before the engine first sends share one request. */
static void
test_consecutive_edits_coalesce (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) note = make_note ("一", "");
  g_autoptr(GPtrArray) outbox = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *title = g_strdup_printf ("第%u稿", i);

      cin_note_set_title (note, title);
      sync_test_client_save (client, note);
    }
  outbox = sync_test_client_outbox (client);
  g_assert_cmpuint (outbox->len, ==, 1);

  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_server_has_local_state (fixture, client);
  {
    g_autoptr(CinNote) remote = server_note (fixture, cin_note_get_id (note));
    g_assert_cmpstr (cin_note_get_title (remote), ==, "第19稿");
  }
}

static void
test_pull_brings_other_clients_notes (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(SyncTestClient) a = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(SyncTestClient) b = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) note = make_note ("从A来", "正文");
  g_autoptr(CinNote) on_b = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  sync_test_client_save (a, note);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));

  on_b = sync_test_client_load (b, cin_note_get_id (note));
  g_assert_cmpstr (cin_note_get_title (on_b), ==, "从A来");
  g_assert_cmpint (cin_note_get_sync_state (on_b), ==, CIN_SYNC_STATE_SYNCED);

  /* A pulled note is not sent back. */
  {
    g_autoptr(GPtrArray) outbox = sync_test_client_outbox (b);
    g_assert_cmpuint (outbox->len, ==, 0);
  }

  /* An edit on B reaches A. */
  cin_note_set_body (on_b, "B 改了正文");
  sync_test_client_save (b, on_b);
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  notes = sync_test_client_notes (a);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (cin_note_get_body (g_ptr_array_index (notes, 0)), ==, "B 改了正文");
}

/* A and B change different fields of one note: both changes survive. */
static void
test_concurrent_edits_merge (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SyncTestClient) a = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(SyncTestClient) b = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) note = make_note ("标题", "正文");
  g_autoptr(CinNote) on_a = NULL;
  g_autoptr(CinNote) on_b = NULL;
  g_autoptr(CinNote) remote = NULL;
  const char * const topics_a[] = { "穿搭", NULL };
  const char * const topics_b[] = { "咖啡", NULL };

  sync_test_client_save (a, note);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));

  on_a = sync_test_client_load (a, cin_note_get_id (note));
  on_b = sync_test_client_load (b, cin_note_get_id (note));
  cin_note_set_title (on_a, "A 的标题");
  cin_note_set_topics (on_a, topics_a);
  cin_note_set_body (on_b, "B 的正文");
  cin_note_set_topics (on_b, topics_b);
  sync_test_client_save (a, on_a);
  sync_test_client_save (b, on_b);

  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));  /* 412, merged, sent again */
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));

  remote = server_note (fixture, cin_note_get_id (note));
  g_assert_cmpstr (cin_note_get_title (remote), ==, "A 的标题");
  g_assert_cmpstr (cin_note_get_body (remote), ==, "B 的正文");
  g_assert_cmpuint (g_strv_length ((char **)cin_note_get_topics (remote)), ==, 2);
  g_assert_cmpuint (a->conflicts + b->conflicts, ==, 0);
  assert_server_has_local_state (fixture, a);
  assert_server_has_local_state (fixture, b);
}

/* Both change the title: the server's stays, the other becomes a copy. */
static void
test_same_field_makes_conflict_copy (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(SyncTestClient) a = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(SyncTestClient) b = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) note = make_note ("原标题", "原正文");
  g_autoptr(CinNote) on_a = NULL;
  g_autoptr(CinNote) on_b = NULL;
  g_autoptr(GPtrArray) notes_a = NULL;
  g_autoptr(GPtrArray) notes_b = NULL;
  gboolean found_copy = FALSE;

  sync_test_client_save (a, note);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));

  on_a = sync_test_client_load (a, cin_note_get_id (note));
  on_b = sync_test_client_load (b, cin_note_get_id (note));
  cin_note_set_title (on_a, "A 改的标题");
  cin_note_set_title (on_b, "B 改的标题");
  cin_note_set_body (on_b, "B 也改了正文");
  sync_test_client_save (a, on_a);
  sync_test_client_save (b, on_b);

  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_cmpuint (b->conflicts, ==, 1);

  /* Both clients and the server hold both versions. */
  notes_a = sync_test_client_notes (a);
  notes_b = sync_test_client_notes (b);
  g_assert_cmpuint (notes_a->len, ==, 2);
  g_assert_cmpuint (notes_b->len, ==, 2);
  g_assert_cmpint (server_note_count (fixture), ==, 2);
  for (guint i = 0; i < notes_b->len; i++)
    {
      CinNote *n = g_ptr_array_index (notes_b, i);

      if (g_str_equal (cin_note_get_id (n), cin_note_get_id (note)))
        g_assert_cmpstr (cin_note_get_title (n), ==, "A 改的标题");
      else
        {
          g_assert_cmpstr (cin_note_get_title (n), ==, "B 改的标题");
          g_assert_cmpstr (cin_note_get_body (n), ==, "B 也改了正文");
          found_copy = TRUE;
        }
    }
  g_assert_true (found_copy);
  assert_server_has_local_state (fixture, a);
  assert_server_has_local_state (fixture, b);
}

/* A refusal parks the change with the server's reason; fixing the note
 * sends it. */
static void
test_refusal_parks_until_edited (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) note = make_note ("这是一个远远超过二十个字限制的标题，平台不会接受它的", "");
  g_autoptr(GPtrArray) outbox = NULL;
  CinOutboxEntry *entry;

  sync_test_client_save (client, note);
  cin_sync_engine_start (client->engine);
  g_assert_false (sync_test_client_settle (client, 2000));
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_NEEDS_ATTENTION);

  outbox = sync_test_client_outbox (client);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_true (entry->parked);
  g_assert_nonnull (entry->last_error);
  g_assert_cmpuint (strlen (entry->last_error), >, 0);
  g_assert_null (server_note (fixture, cin_note_get_id (note)));

  cin_note_set_title (note, "短标题");
  sync_test_client_save (client, note);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  assert_server_has_local_state (fixture, client);
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_IDLE);
}

/* Two clients make 500 random edits between syncs: they converge. */
static void
test_random_edits_converge (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SyncTestClient) a = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(SyncTestClient) b = sync_test_client_new (fixture->server->base_url, fixture->token);
  SyncTestClient *clients[2] = { a, b };
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notes_a = NULL;
  g_autoptr(GPtrArray) notes_b = NULL;
  const char * const words[] = { "春", "夏", "秋", "冬", "café", "🌸", "OOTD", "咖啡" };

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(CinNote) note = make_note ("起点", "");

      sync_test_client_save (a, note);
      g_ptr_array_add (ids, g_strdup (cin_note_get_id (note)));
    }
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));

  for (guint i = 0; i < 500; i++)
    {
      SyncTestClient *client = clients[g_rand_int_range (rand, 0, 2)];
      const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
      g_autoptr(CinNote) note = NULL;
      g_autofree char *text = g_strdup_printf ("%s%u", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i);

      note = sync_test_client_load (client, id);
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0: cin_note_set_title (note, text); break;
        case 1: cin_note_set_body (note, text); break;
        default:
          {
            const char * const topics[] = { text, NULL };
            cin_note_set_topics (note, topics);
          }
        }
      sync_test_client_save (client, note);

      /* Sometimes a client syncs in between. */
      if (g_rand_int_range (rand, 0, 8) == 0)
        g_assert_true (sync_test_client_settle (client, SETTLE_MS));
    }

  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (sync_test_client_settle (a, SETTLE_MS));
      g_assert_true (sync_test_client_settle (b, SETTLE_MS));
    }
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));

  notes_a = sync_test_client_notes (a);
  notes_b = sync_test_client_notes (b);
  g_assert_cmpuint (notes_a->len, ==, notes_b->len);
  g_assert_cmpint (server_note_count (fixture), ==, notes_a->len);
  /* Nothing was dropped: every note made is still there, and every
   * conflict left a copy. */
  g_assert_cmpuint (notes_a->len, ==, ids->len + a->conflicts + b->conflicts);
  for (guint i = 0; i < notes_a->len; i++)
    assert_same_text (g_ptr_array_index (notes_a, i), g_ptr_array_index (notes_b, i));
  assert_server_has_local_state (fixture, a);
  assert_server_has_local_state (fixture, b);
}

/* Publishing counts once the note read back says so. */
static void
test_publish_reads_back (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) note = make_note ("发布一篇", "正文 #穿搭");
  g_autoptr(CinNote) loaded = NULL;
  g_autoptr(CinNote) remote = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sync_test_client_save (client, note);
  cin_store_request_state_async (client->store, cin_note_get_id (note), CIN_OUTBOX_PUBLISH, 0,
                                 NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  g_assert_true (cin_store_request_state_finish (client->store, result, &error));
  g_assert_no_error (error);

  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  loaded = sync_test_client_load (client, cin_note_get_id (note));
  remote = server_note (fixture, cin_note_get_id (note));
  g_assert_cmpint (cin_note_get_state (remote), ==, CIN_NOTE_STATE_PUBLISHED);
  g_assert_cmpint (cin_note_get_state (loaded), ==, CIN_NOTE_STATE_PUBLISHED);
  g_assert_cmpstr (cin_note_get_rev (loaded), ==, cin_note_get_rev (remote));
}

/* The trash's delete waits out the undo; the test doesn't. */
static void
make_deletes_due (SyncTestClient *client)
{
  sqlite3 *db = store_test_sqlite_open (cin_store_get_path (client->store));

  store_test_sqlite_exec (db, "UPDATE outbox SET next_attempt_at = 0 WHERE op = 'delete'");
  sqlite3_close (db);
}

static void
test_delete_reaches_everyone (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SyncTestClient) a = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(SyncTestClient) b = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_autoptr(CinNote) doomed = make_note ("要删的", "");
  g_autoptr(CinNote) undone = make_note ("删了又撤销", "");
  g_autoptr(GPtrArray) notes_b = NULL;
  g_autoptr(GError) error = NULL;

  sync_test_client_save (a, doomed);
  sync_test_client_save (a, undone);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));

  /* Within the undo's time nothing is sent. */
  g_assert_true (store_test_trash (a->store, cin_note_get_id (undone), &error));
  g_assert_true (store_test_trash (a->store, cin_note_get_id (doomed), &error));
  g_assert_false (sync_test_client_settle (a, 300));
  g_assert_nonnull (server_note (fixture, cin_note_get_id (doomed)));
  g_assert_true (store_test_restore (a->store, cin_note_get_id (undone), &error));
  g_assert_no_error (error);

  make_deletes_due (a);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_null (server_note (fixture, cin_note_get_id (doomed)));
  g_assert_nonnull (server_note (fixture, cin_note_get_id (undone)));

  g_assert_true (sync_test_client_settle (b, SETTLE_MS));
  notes_b = sync_test_client_notes (b);
  g_assert_cmpuint (notes_b->len, ==, 1);
  g_assert_cmpstr (cin_note_get_id (g_ptr_array_index (notes_b, 0)), ==, cin_note_get_id (undone));
}

/* A cursor older than the server's memory of deletions (410): the client
 * reads everything again, drops what was deleted meanwhile and keeps its
 * own unsent edits. */
/* The client's stored cursor. */
static char *
stored_cursor (SyncTestClient *client)
{
  sqlite3 *db = store_test_sqlite_open (cin_store_get_path (client->store));
  char *cursor = store_test_sqlite_text (db, "SELECT cursor FROM sync_cursor");

  sqlite3_close (db);
  return cursor;
}

/* Moves the server's clock past the tombstones' life and waits for its
 * tick to forget them, seen as @cursor's 410. */
static void
expire_tombstones (TestServer *server,
                   const char *token,
                   const char *cursor)
{
  g_autofree char *path = g_strdup_printf ("/v1/changes?since=%s", cursor);
  guint status = 0;

  test_server_advance_clock (server, 120);
  for (guint i = 0; i < 200 && status != 410; i++)
    {
      g_autoptr(TestResponse) response = test_server_request (server, "GET", path, token, NULL, NULL);

      status = response->status;
      if (status != 410)
        sync_test_run_for (50);
    }
  g_assert_cmpuint (status, ==, 410);
}

static void
test_expired_cursor_resyncs (void)
{
  TestServer *server = test_server_start ("--tombstone-ttl=60", "--tick-ms=50", NULL);
  g_autofree char *token = NULL;
  g_autoptr(SyncTestClient) a = NULL;
  g_autoptr(SyncTestClient) b = NULL;
  g_autoptr(CinNote) deleted = make_note ("会被删", "");
  g_autoptr(CinNote) kept = make_note ("留着", "");
  g_autoptr(CinNote) refused = NULL;
  g_autoptr(CinNote) added = make_note ("后来加的", "");
  g_autoptr(GPtrArray) notes_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor_b = NULL;

  sync_test_add_account (server);
  token = sync_test_sign_in (server->base_url);
  a = sync_test_client_new (server->base_url, token);
  b = sync_test_client_new (server->base_url, token);

  sync_test_client_save (a, deleted);
  sync_test_client_save (a, kept);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));
  g_assert_true (sync_test_client_settle (b, SETTLE_MS));

  /* B's edit the server refuses: it stays waiting (parked) through the
   * resync. */
  refused = sync_test_client_load (b, cin_note_get_id (kept));
  cin_note_set_title (refused, "这是一个远远超过二十个字限制的标题，平台不会接受它的");
  sync_test_client_save (b, refused);
  g_assert_false (sync_test_client_settle (b, 1000));

  g_assert_true (store_test_trash (a->store, cin_note_get_id (deleted), &error));
  make_deletes_due (a);
  sync_test_client_save (a, added);
  g_assert_true (sync_test_client_settle (a, SETTLE_MS));

  /* The server forgets the tombstone; B's cursor is from before it. */
  cursor_b = stored_cursor (b);
  expire_tombstones (server, token, cursor_b);

  g_assert_false (sync_test_client_settle (b, 2000));
  notes_b = sync_test_client_notes (b);
  g_assert_cmpuint (notes_b->len, ==, 2);
  for (guint i = 0; i < notes_b->len; i++)
    {
      CinNote *note = g_ptr_array_index (notes_b, i);

      g_assert_cmpstr (cin_note_get_id (note), !=, cin_note_get_id (deleted));
      if (g_str_equal (cin_note_get_id (note), cin_note_get_id (kept)))
        {
          g_assert_cmpstr (cin_note_get_title (note), ==, cin_note_get_title (refused));
          g_assert_cmpint (cin_note_get_sync_state (note), ==, CIN_SYNC_STATE_MODIFIED);
        }
      else
        g_assert_cmpstr (cin_note_get_title (note), ==, "后来加的");
    }

  g_clear_pointer (&a, sync_test_client_free);
  g_clear_pointer (&b, sync_test_client_free);
  test_server_stop (server);
}

static void
put_server_note (TestServer *server,
                 const char *token,
                 const char *id,
                 const char *title)
{
  g_autofree char *path = g_strdup_printf ("/v1/notes/%s", id);
  g_autofree char *json = test_note_json (id, title, "正文");
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = test_server_request (server, "PUT", path, token, json,
                                                          "If-None-Match", "*",
                                                          "Idempotency-Key", key, NULL);

  g_assert_cmpuint (response->status, ==, 201);
}

/* Whether the server has nothing after the client's stored cursor. */
static gboolean
client_is_at_feed_end (TestServer     *server,
                       const char     *token,
                       SyncTestClient *client)
{
  g_autofree char *cursor = stored_cursor (client);
  g_autofree char *path = NULL;
  g_autoptr(TestResponse) response = NULL;
  JsonObject *page;

  path = g_strdup_printf ("/v1/changes?since=%s", cursor);
  response = test_server_request (server, "GET", path, token, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  page = json_node_get_object (response->json);
  return json_array_get_length (json_object_get_array_member (page, "changes")) == 0 &&
         !json_object_get_boolean_member (page, "more");
}

/* Thousands of changes come in pages of 500; those that arrive while the
 * store applies the one before go in together. Every note arrives once,
 * the cursor ends at the feed's end, and a resync after a 410 across as
 * many pages keeps every note but the one deleted meanwhile. */
#define MANY_NOTES 1250

static void
test_pull_many_pages (void)
{
  TestServer *server = test_server_start ("--tombstone-ttl=60", "--tick-ms=50", NULL);
  g_autofree char *token = NULL;
  g_autoptr(SyncTestClient) client = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  sync_test_add_account (server);
  token = sync_test_sign_in (server->base_url);
  for (guint i = 0; i < MANY_NOTES; i++)
    {
      g_autofree char *title = g_strdup_printf ("第%u篇", i);

      g_ptr_array_add (ids, test_uuid ());
      put_server_note (server, token, g_ptr_array_index (ids, i), title);
    }

  client = sync_test_client_new (server->base_url, token);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  notes = sync_test_client_notes (client);
  g_assert_cmpuint (notes->len, ==, MANY_NOTES);
  for (guint i = 0; i < notes->len; i++)
    {
      CinNote *note = g_ptr_array_index (notes, i);

      g_assert_true (g_ptr_array_find_with_equal_func (ids, cin_note_get_id (note), g_str_equal, NULL));
      g_assert_cmpint (cin_note_get_sync_state (note), ==, CIN_SYNC_STATE_SYNCED);
    }
  g_assert_true (client_is_at_feed_end (server, token, client));

  /* One note deleted on the server, its tombstone forgotten before this
   * client pulls again: a 410, and a resync of every page. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/notes/%s", (char *)g_ptr_array_index (ids, 7));
    g_autofree char *key = test_idempotency_key ();
    g_autoptr(TestResponse) current = test_server_request (server, "GET", path, token, NULL, NULL);
    g_autoptr(TestResponse) deleted = test_server_request (server, "DELETE", path, token, NULL,
                                                           "If-Match", test_response_header (current, "ETag"),
                                                           "Idempotency-Key", key, NULL);
    g_autofree char *cursor = stored_cursor (client);

    g_assert_cmpuint (deleted->status / 100, ==, 2);
    expire_tombstones (server, token, cursor);
  }
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = sync_test_client_notes (client);
  g_assert_cmpuint (notes->len, ==, MANY_NOTES - 1);
  for (guint i = 0; i < notes->len; i++)
    g_assert_cmpstr (cin_note_get_id (g_ptr_array_index (notes, i)), !=, g_ptr_array_index (ids, 7));
  g_assert_true (client_is_at_feed_end (server, token, client));

  g_clear_pointer (&client, sync_test_client_free);
  test_server_stop (server);
}

/* A token the server no longer takes: the engine says so, keeps the edit,
 * and goes on once it has a good token again. */
static void
test_refused_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = sync_test_client_new (fixture->server->base_url,
                                                           "a-token-the-server-never-gave");
  g_autoptr(CinNote) note = make_note ("等我重新登录", "");

  sync_test_client_save (client, note);
  g_assert_false (sync_test_client_settle (client, 1000));
  g_assert_true (cin_sync_engine_get_signed_out (client->engine));
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_NEEDS_ATTENTION);
  g_assert_null (server_note (fixture, cin_note_get_id (note)));

  cin_api_client_set_token (client->client, fixture->token);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  g_assert_false (cin_sync_engine_get_signed_out (client->engine));
  assert_server_has_local_state (fixture, client);
}

static void
follow (Fixture    *fixture,
        const char *method,
        const char *handle)
{
  g_autofree char *path = g_strdup_printf ("/v1/following/%s", handle);
  g_autofree char *key = test_idempotency_key ();
  g_autoptr(TestResponse) response = test_server_request (fixture->server, method, path,
                                                          fixture->token, NULL,
                                                          "Idempotency-Key", key, NULL);

  g_assert_cmpuint (response->status / 100, ==, 2);
}

static GStrv
stored_following (SyncTestClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GStrv handles;

  cin_store_list_following_async (client->store, NULL, sync_test_store_result, &result);
  sync_test_wait (&result);
  handles = cin_store_list_following_finish (client->store, result, &error);
  g_assert_no_error (error);
  return handles;
}

static void
on_following_changed_cb (CinSyncEngine *engine,
                         guint         *n_changed)
{
  (*n_changed)++;
}

/* The follow list comes down at the end of a run, into the store, newest
 * first; it is said to change only when it did. */
static void
test_following_comes_down (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SyncTestClient) client = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) unchanged = NULL;
  g_auto(GStrv) after_unfollow = NULL;
  guint n_changed = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *handle = g_strdup_printf ("friend%u", i);
      g_autofree char *token = test_server_sign_up (fixture->server, handle);

      g_assert_nonnull (token);
      follow (fixture, "PUT", handle);
    }

  client = sync_test_client_new (fixture->server->base_url, fixture->token);
  g_signal_connect (client->engine, "following-changed", G_CALLBACK (on_following_changed_cb), &n_changed);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  first = stored_following (client);
  g_assert_true (g_strv_equal ((const char * const *)first,
                               (const char * const []) { "friend2", "friend1", "friend0", NULL }));
  g_assert_cmpuint (n_changed, ==, 1);

  /* Asked again at every run now: nothing new, nothing said. */
  _cin_sync_engine_set_following_interval (client->engine, 0);
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  unchanged = stored_following (client);
  g_assert_true (g_strv_equal ((const char * const *)unchanged, (const char * const *)first));
  g_assert_cmpuint (n_changed, ==, 1);

  follow (fixture, "DELETE", "friend1");
  g_assert_true (sync_test_client_settle (client, SETTLE_MS));
  after_unfollow = stored_following (client);
  g_assert_true (g_strv_equal ((const char * const *)after_unfollow,
                               (const char * const []) { "friend2", "friend0", NULL }));
  g_assert_cmpuint (n_changed, ==, 2);
  g_assert_cmpint (cin_sync_engine_get_status (client->engine), ==, CIN_SYNC_STATUS_IDLE);
}

static void
test_backoff_is_full_jitter (void)
{
  gint64 largest = 0;

  for (guint i = 0; i < 2000; i++)
    {
      gint64 first = _cin_sync_backoff_delay_ms (1, 100, 10000);
      gint64 fifth = _cin_sync_backoff_delay_ms (5, 100, 10000);
      gint64 late = _cin_sync_backoff_delay_ms (40, 100, 10000);

      g_assert_cmpint (first, >=, 0);
      g_assert_cmpint (first, <, 100);
      g_assert_cmpint (fifth, <, 1600);
      g_assert_cmpint (late, <, 10000);
      largest = MAX (largest, late);
    }
  /* Random over the whole range, not a fixed step. */
  g_assert_cmpint (largest, >, 5000);
}

int
main (int   argc,
      char *argv[])
{
  /* Only 127.0.0.1 is spoken to. GNOME's proxy resolver would look for
   * its settings schema in the isolated XDG dirs and abort. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/engine/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/sync/engine/backoff-full-jitter", test_backoff_is_full_jitter);
  ADD ("push-creates-and-updates", test_push_creates_and_updates);
  ADD ("consecutive-edits-coalesce", test_consecutive_edits_coalesce);
  ADD ("pull", test_pull_brings_other_clients_notes);
  ADD ("concurrent-edits-merge", test_concurrent_edits_merge);
  ADD ("same-field-conflict-copy", test_same_field_makes_conflict_copy);
  ADD ("refusal-parks", test_refusal_parks_until_edited);
  ADD ("random-edits-converge", test_random_edits_converge);
  ADD ("publish-reads-back", test_publish_reads_back);
  ADD ("delete", test_delete_reaches_everyone);
  ADD ("refused-token", test_refused_token);
  ADD ("following-comes-down", test_following_comes_down);
  g_test_add_func ("/sync/engine/expired-cursor-resyncs", test_expired_cursor_resyncs);
  g_test_add_func ("/sync/engine/pull-many-pages", test_pull_many_pages);

  return g_test_run ();
}
