/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pull benchmark, in one run:
 *
 *  a. the floor: the same rows the pull writes (10,000 notes as the
 *     server sends them, decoded, with their photos) inserted with plain
 *     sqlite3 in one transaction into an empty database on the same disk,
 *     with the store's PRAGMAs (WAL, synchronous=FULL) and its tables'
 *     columns; once bare, once with the store's indexes on those tables;
 *  b. a fresh client pulling them: a new store file and a CinSyncEngine
 *     with an empty outbox against a real cinnabar-server holding the
 *     10,000 notes of the signed-in account, from cin_sync_engine_start()
 *     until the engine is idle with every note in the store;
 *  c. where b's time goes: the change feed fetched alone through
 *     CinApiClient, and the pages applied alone through
 *     cin_store_apply_changes_async(), at the server's default page size
 *     and at its largest (what the engine asks for); and the same calls
 *     with the next page fetched while the store applies the one before,
 *     at both sizes. The engine also sends the pages that arrive while the
 *     store works as one transaction, which these do not.
 *
 * The notes get onto the server by PUT /v1/notes/{id} over HTTP before
 * anything is timed.
 *
 *   bench-pull [--notes N] */
#define G_LOG_DOMAIN "bench-pull"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-util.h"
#include "cin-note-json.h"
#include "cin-store-sync.h"
#include "cin-sync-engine.h"
#include "store-test-util.h"

#define PHOTOS_PER_NOTE   3
#define FILL_IN_FLIGHT    8
#define DEFAULT_PAGE      100   /* the server's default */
#define LARGEST_PAGE      500   /* the most the server gives in one page, which the engine asks for */
#define RATIO_TARGET      3.0

static int n_notes = 10000;

static const GOptionEntry options[] = {
  { "notes", 'n', 0, G_OPTION_ARG_INT, &n_notes, "Notes on the server (default 10000)", "N" },
  { NULL }
};

/* Filling the server */

static const char * const places[] = { "上海", "成都", "杭州", "北京", "大理", "厦门" };
static const char * const topics[] = { "咖啡", "美食", "旅行", "穿搭", "护肤", "家居" };

/* A photo note as creators write them: a short title, a few hundred
 * characters of body, two topics, a place and three photos. */
static CinNote *
make_note (GRand *rand,
           guint  index)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(CinNote) note = cin_note_new_with_id (id, CIN_NOTE_KIND_PHOTO);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  const char *place = places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))];
  const char *note_topics[] = { topics[index % G_N_ELEMENTS (topics)], place, NULL };
  gint64 created = G_GINT64_CONSTANT (1767225600000000) + (gint64)index * 60 * G_USEC_PER_SEC;

  title = g_strdup_printf ("%s周末探店 #%u 🌸", place, index);
  while (g_utf8_strlen (body->str, -1) < 300)
    g_string_append_printf (body, "藏在老街里的小店，豆子是店主自己烘的，酸甜很干净。第%u次来，"
                            "靠窗的位置可以坐一下午 ☕ ", g_rand_int_range (rand, 1, 100));
  cin_note_set_title (note, title);
  cin_note_set_body (note, body->str);
  cin_note_set_topics (note, note_topics);
  cin_note_set_location (note, place);
  cin_note_set_original (note, index % 3 != 0);
  cin_note_set_created_at (note, created);
  cin_note_set_updated_at (note, created + G_USEC_PER_SEC);

  for (guint i = 0; i < PHOTOS_PER_NOTE; i++)
    {
      g_autoptr(GString) sha256 = g_string_sized_new (64);
      g_autoptr(CinPhoto) photo = NULL;

      for (guint j = 0; j < 8; j++)
        g_string_append_printf (sha256, "%08x", g_rand_int (rand));
      photo = cin_photo_new (sha256->str, "image/jpeg", 3000, 4000);
      cin_note_insert_photo (note, i, photo);
    }
  return g_steal_pointer (&note);
}

typedef struct {
  TestServer  *server;
  SoupSession *session;
  const char  *token;
  GRand       *rand;
  guint        sent;
  guint        done;
  guint        in_flight;
} Fill;

static void fill_next (Fill *fill);

static void
on_put_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fill *fill = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    g_error ("PUT failed: %s", error->message);
  if (soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    g_error ("PUT answered %u: %.*s", soup_message_get_status (msg),
             (int)g_bytes_get_size (body), (const char *)g_bytes_get_data (body, NULL));
  fill->done++;
  fill->in_flight--;
  fill_next (fill);
}

static void
fill_next (Fill *fill)
{
  while (fill->in_flight < FILL_IN_FLIGHT && fill->sent < (guint)n_notes)
    {
      g_autoptr(CinNote) note = make_note (fill->rand, fill->sent);
      g_autofree char *json = cin_note_to_json_string (note);
      g_autofree char *url = g_strdup_printf ("%s/v1/notes/%s", fill->server->base_url, cin_note_get_id (note));
      g_autofree char *bearer = g_strconcat ("Bearer ", fill->token, NULL);
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_PUT, url);
      g_autoptr(GBytes) bytes = NULL;
      SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
      gsize length = strlen (json);

      soup_message_headers_replace (headers, "Authorization", bearer);
      soup_message_headers_replace (headers, "If-None-Match", "*");
      soup_message_headers_replace (headers, "Idempotency-Key", key);
      bytes = g_bytes_new_take (g_steal_pointer (&json), length);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (fill->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        on_put_cb, fill);
      fill->sent++;
      fill->in_flight++;
    }
}

static void
fill_server (TestServer *server,
             const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", FILL_IN_FLIGHT,
                                                                  "timeout", 60, NULL);
  Fill fill = { server, session, token, g_rand_new_with_seed (1), 0, 0, 0 };
  gint64 start = g_get_monotonic_time ();

  fill_next (&fill);
  while (fill.done < (guint)n_notes)
    g_main_context_iteration (NULL, TRUE);
  g_rand_free (fill.rand);
  printf ("filled the server: %d photo notes (%d photos each) by PUT, %u at a time, in %.1f s\n",
          n_notes, PHOTOS_PER_NOTE, FILL_IN_FLIGHT, bench_ms_since (start) / 1000.0);
  fflush (stdout);
}

/* c. The change feed alone */

typedef struct {
  GPtrArray *pages;   /* of GPtrArray of CinRemoteChange */
  GPtrArray *cursors; /* of char *, one a page */
  GPtrArray *texts;   /* each note's topics and mentions as the store writes them, and a NULL */
  guint      n_notes;
} Feed;

static void
feed_free (Feed *feed)
{
  g_ptr_array_unref (feed->pages);
  g_ptr_array_unref (feed->texts);
  g_ptr_array_unref (feed->cursors);
  g_free (feed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Feed, feed_free)

/* A page of the feed as the engine makes it (CinRemoteChange); *@cursor
 * and *@more become the page's. */
static GPtrArray *
decode_page (CinApiClient  *client,
             GAsyncResult  *result,
             char         **cursor,
             gboolean      *more)
{
  g_autoptr(CinApiChangesPage) page = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *changes;

  page = cin_api_client_get_changes_finish (client, result, NULL, &error);
  if (page == NULL)
    g_error ("GET /v1/changes: %s", error->message);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify)cin_remote_change_free);
  for (guint i = 0; i < page->changes->len; i++)
    {
      CinApiChange *change = g_ptr_array_index (page->changes, i);

      if (g_strcmp0 (change->kind, "note") != 0 || change->deleted)
        continue;
      g_ptr_array_add (changes, cin_remote_change_new (change->id, change->rev, change->note));
    }
  g_free (*cursor);
  *cursor = g_strdup (page->cursor);
  *more = page->more;
  return changes;
}

/* Reads the whole feed through @client and decodes every note as the
 * engine does; *@ms is the time it took. */
static Feed *
fetch_feed (CinApiClient *client,
            guint         limit,
            double       *ms)
{
  Feed *feed = g_new0 (Feed, 1);
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;
  gint64 start = g_get_monotonic_time ();

  feed->pages = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);
  feed->cursors = g_ptr_array_new_with_free_func (g_free);
  feed->texts = g_ptr_array_new_with_free_func (g_free);
  while (more)
    {
      g_autoptr(GAsyncResult) result = NULL;
      GPtrArray *changes;

      cin_api_client_get_changes_async (client, cursor, limit, NULL, store_test_result_cb, &result);
      changes = decode_page (client, store_test_wait (&result), &cursor, &more);
      feed->n_notes += changes->len;
      g_ptr_array_add (feed->pages, changes);
      g_ptr_array_add (feed->cursors, g_strdup (cursor));
    }
  *ms = bench_ms_since (start);

  for (guint p = 0; p < feed->pages->len; p++)
    {
      GPtrArray *changes = g_ptr_array_index (feed->pages, p);

      for (guint i = 0; i < changes->len; i++)
        {
          CinNote *note = ((CinRemoteChange *)g_ptr_array_index (changes, i))->note;

          g_ptr_array_add (feed->texts, cin_strv_to_json_string (cin_note_get_topics (note)));
          g_ptr_array_add (feed->texts, cin_strv_to_json_string (cin_note_get_mentions (note)));
          g_ptr_array_add (feed->texts, NULL);  /* the base the store no longer writes */
        }
    }
  return feed;
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db = store_test_sqlite_open (path);
  gint64 count = store_test_sqlite_int (db, sql);

  sqlite3_close (db);
  return count;
}

static void
remove_db (const char *path)
{
  const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_remove (file);
    }
}

/* Applies @feed's pages one transaction each into a new store, as the
 * engine does after each page arrives. */
static double
apply_feed (const char *dir,
            Feed       *feed)
{
  g_autofree char *path = g_build_filename (dir, "apply.db", NULL);
  g_autoptr(CinStore) store = bench_open_store (path);
  gint64 start = g_get_monotonic_time ();
  double ms;

  for (guint i = 0; i < feed->pages->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      cin_store_apply_changes_async (store, g_ptr_array_index (feed->pages, i),
                                     g_ptr_array_index (feed->cursors, i), CIN_APPLY_NORMAL,
                                     NULL, store_test_result_cb, &result);
      if (!cin_store_apply_changes_finish (store, store_test_wait (&result), &error))
        g_error ("%s", error->message);
    }
  ms = bench_ms_since (start);
  store_test_close (store);
  remove_db (path);
  return ms;
}

/* The engine's pull as it could be: the next page asked for while the
 * store applies this one, so the network and the writer thread overlap.
 * Returns the time from the first request until the last page is in. */
static double
pull_pipelined (const char   *dir,
                CinApiClient *client,
                guint         limit)
{
  g_autofree char *path = g_build_filename (dir, "pipelined.db", NULL);
  g_autoptr(CinStore) store = bench_open_store (path);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *cursor = NULL;
  gboolean more = FALSE;
  gint64 start = g_get_monotonic_time ();
  double ms;

  cin_api_client_get_changes_async (client, NULL, limit, NULL, store_test_result_cb, &first);
  changes = decode_page (client, store_test_wait (&first), &cursor, &more);
  for (;;)
    {
      g_autoptr(GAsyncResult) applied = NULL;
      g_autoptr(GAsyncResult) fetched = NULL;
      g_autoptr(GError) error = NULL;

      cin_store_apply_changes_async (store, changes, cursor, CIN_APPLY_NORMAL, NULL,
                                     store_test_result_cb, &applied);
      if (more)
        cin_api_client_get_changes_async (client, cursor, limit, NULL, store_test_result_cb, &fetched);
      if (!cin_store_apply_changes_finish (store, store_test_wait (&applied), &error))
        g_error ("%s", error->message);
      g_clear_pointer (&changes, g_ptr_array_unref);
      if (!more)
        break;
      changes = decode_page (client, store_test_wait (&fetched), &cursor, &more);
    }
  ms = bench_ms_since (start);

  if (count_rows (path, "SELECT count(*) FROM notes") != n_notes)
    g_error ("The pipelined pull missed notes");
  store_test_close (store);
  remove_db (path);
  return ms;
}

/* a. Plain SQLite */

static void
check_sqlite (sqlite3 *db,
              int      rc,
              int      expected)
{
  if (rc != expected)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

/* The store's own CREATE statements for its notes and media tables (and,
 * with @indexes, theirs), from a store file made for it. */
static GPtrArray *
store_schema (const char *dir,
              gboolean    indexes)
{
  g_autofree char *path = g_build_filename (dir, "schema.db", NULL);
  GPtrArray *statements = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(CinStore) store = bench_open_store (path);

    store_test_close (store);
  }
  check_sqlite (db, sqlite3_open (path, &db), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "SELECT sql FROM sqlite_master WHERE tbl_name IN ('notes', 'media') AND sql IS NOT NULL "
    "AND (type = 'table' OR ?1) ORDER BY type DESC, name", -1, &stmt, NULL), SQLITE_OK);
  sqlite3_bind_int (stmt, 1, indexes);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (statements, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  remove_db (path);
  return statements;
}

/* Inserts @feed's notes and their photos with the columns the store
 * writes for them in one transaction (no base: a synced note is its own,
 * and the store keeps none either until the note is edited); returns the time
 * from BEGIN until COMMIT returned. The values are ready before: what is
 * timed is SQLite's work alone. */
static double
insert_bare (const char *dir,
             Feed       *feed,
             gboolean    indexes,
             double     *cpu_ms)
{
  g_autofree char *path = g_build_filename (dir, "bare.db", NULL);
  g_autoptr(GPtrArray) schema = store_schema (dir, indexes);
  sqlite3_stmt *note_stmt = NULL;
  sqlite3_stmt *photo_stmt = NULL;
  sqlite3 *db = NULL;
  guint n = 0;
  gint64 start;
  double ms;

  check_sqlite (db, sqlite3_open (path, &db), SQLITE_OK);
  check_sqlite (db, sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                                  NULL, NULL, NULL), SQLITE_OK);
  for (guint i = 0; i < schema->len; i++)
    check_sqlite (db, sqlite3_exec (db, g_ptr_array_index (schema, i), NULL, NULL, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "INSERT INTO notes (id, kind, title, body, topics, mentions, location, visibility, original, "
    "                   state, scheduled_at, created_at, updated_at, rev, sync_state, base) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'synced', ?15)",
    -1, &note_stmt, NULL), SQLITE_OK);
  check_sqlite (db, sqlite3_prepare_v2 (db,
    "INSERT INTO media (id, note_id, position, kind, sha256, mime, width, height, "
    "                   crop, crop_x, crop_y, alt_text) "
    "VALUES (?1, ?2, ?3, 'photo', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    -1, &photo_stmt, NULL), SQLITE_OK);

  *cpu_ms = -bench_process_cpu_ms ();
  start = g_get_monotonic_time ();
  check_sqlite (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  for (guint p = 0; p < feed->pages->len; p++)
    {
      GPtrArray *changes = g_ptr_array_index (feed->pages, p);

      for (guint i = 0; i < changes->len; i++)
        {
          CinRemoteChange *change = g_ptr_array_index (changes, i);
          CinNote *note = change->note;
          const char *topics_json = g_ptr_array_index (feed->texts, 3 * n);
          const char *mentions_json = g_ptr_array_index (feed->texts, 3 * n + 1);
          GPtrArray *photos = cin_note_get_photos (note);

          n++;

          sqlite3_bind_text (note_stmt, 1, cin_note_get_id (note), -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 2, cin_note_kind_to_string (cin_note_get_kind (note)), -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 3, cin_note_get_title (note), -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 4, cin_note_get_body (note), -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 5, topics_json, -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 6, mentions_json, -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 7, cin_note_get_location (note), -1, SQLITE_STATIC);
          sqlite3_bind_text (note_stmt, 8, cin_visibility_to_string (cin_note_get_visibility (note)), -1, SQLITE_STATIC);
          sqlite3_bind_int (note_stmt, 9, cin_note_get_original (note));
          sqlite3_bind_text (note_stmt, 10, cin_note_state_to_string (cin_note_get_state (note)), -1, SQLITE_STATIC);
          sqlite3_bind_null (note_stmt, 11);
          sqlite3_bind_int64 (note_stmt, 12, cin_note_get_created_at (note));
          sqlite3_bind_int64 (note_stmt, 13, cin_note_get_updated_at (note));
          sqlite3_bind_text (note_stmt, 14, change->rev, -1, SQLITE_STATIC);
          sqlite3_bind_null (note_stmt, 15);
          check_sqlite (db, sqlite3_step (note_stmt), SQLITE_DONE);
          sqlite3_reset (note_stmt);

          for (guint j = 0; j < photos->len; j++)
            {
              const CinPhoto *photo = g_ptr_array_index (photos, j);

              sqlite3_bind_text (photo_stmt, 1, cin_photo_get_id (photo), -1, SQLITE_STATIC);
              sqlite3_bind_text (photo_stmt, 2, cin_note_get_id (note), -1, SQLITE_STATIC);
              sqlite3_bind_int (photo_stmt, 3, j);
              sqlite3_bind_text (photo_stmt, 4, cin_photo_get_sha256 (photo), -1, SQLITE_STATIC);
              sqlite3_bind_text (photo_stmt, 5, cin_photo_get_mime (photo), -1, SQLITE_STATIC);
              sqlite3_bind_int (photo_stmt, 6, cin_photo_get_width (photo));
              sqlite3_bind_int (photo_stmt, 7, cin_photo_get_height (photo));
              sqlite3_bind_text (photo_stmt, 8, cin_crop_aspect_to_string (cin_photo_get_crop (photo)), -1, SQLITE_STATIC);
              sqlite3_bind_double (photo_stmt, 9, cin_photo_get_crop_x (photo));
              sqlite3_bind_double (photo_stmt, 10, cin_photo_get_crop_y (photo));
              sqlite3_bind_text (photo_stmt, 11, cin_photo_get_alt_text (photo), -1, SQLITE_STATIC);
              check_sqlite (db, sqlite3_step (photo_stmt), SQLITE_DONE);
              sqlite3_reset (photo_stmt);
            }
        }
    }
  check_sqlite (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  ms = bench_ms_since (start);
  *cpu_ms += bench_process_cpu_ms ();

  sqlite3_finalize (note_stmt);
  sqlite3_finalize (photo_stmt);
  sqlite3_close (db);
  remove_db (path);
  return ms;
}

/* b. The engine */

typedef struct {
  double client_cpu_ms;
  double server_cpu_ms;
} Cpu;

static double
pull_with_engine (const char *dir,
                  TestServer *server,
                  const char *token,
                  Cpu        *cpu)
{
  const char *base_url = server->base_url;
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(CinStore) store = bench_open_store (path);
  g_autoptr(CinApiClient) client = cin_api_client_new (base_url);
  g_autoptr(CinSyncEngine) engine = NULL;
  gint64 notes, photos;
  gint64 start;
  double ms;

  cin_api_client_set_token (client, token);
  engine = cin_sync_engine_new (store, client);

  cpu->client_cpu_ms = -bench_process_cpu_ms ();
  cpu->server_cpu_ms = -bench_server_cpu_ms (server);
  start = g_get_monotonic_time ();
  cin_sync_engine_start (engine);
  while (cin_sync_engine_get_busy (engine))
    g_main_context_iteration (NULL, TRUE);
  ms = bench_ms_since (start);
  cpu->client_cpu_ms += bench_process_cpu_ms ();
  cpu->server_cpu_ms += bench_server_cpu_ms (server);

  if (cin_sync_engine_get_status (engine) != CIN_SYNC_STATUS_IDLE)
    g_error ("The engine stopped with status %d: %s", cin_sync_engine_get_status (engine),
             cin_sync_engine_get_problem (engine));
  cin_sync_engine_stop (engine);
  g_clear_object (&engine);

  notes = count_rows (path, "SELECT count(*) FROM notes WHERE sync_state = 'synced'");
  photos = count_rows (path, "SELECT count(*) FROM media");
  if (notes != n_notes || photos != (gint64)n_notes * PHOTOS_PER_NOTE)
    g_error ("After the pull the store holds %" G_GINT64_FORMAT " synced notes and %" G_GINT64_FORMAT
             " photos, not %d and %d", notes, photos, n_notes, n_notes * PHOTOS_PER_NOTE);

  store_test_close (store);
  remove_db (path);
  return ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) option_context = g_option_context_new ("— measure pulling the change feed into an empty store");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *token = NULL;
  g_autoptr(CinApiClient) client = NULL;
  g_autoptr(Feed) feed = NULL;
  g_autoptr(Feed) large_feed = NULL;
  TestServer *server;
  double fetch_ms, fetch_large_ms, apply_ms, apply_large_ms;
  double bare_ms, indexed_ms, engine_ms, pipelined_ms, pipelined_large_ms;
  double bare_cpu_ms, indexed_cpu_ms;
  Cpu cpu;

  g_option_context_add_main_entries (option_context, options, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_notes < 1)
    {
      g_printerr ("--notes must be at least 1\n");
      return 2;
    }

  /* The bare database and every store share this folder: one disk. */
  dir = g_dir_make_tmp ("cin-bench-pull-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  server = test_server_start (NULL);
  token = test_server_sign_up (server, "bench");
  fill_server (server, token);

  client = cin_api_client_new (server->base_url);
  cin_api_client_set_token (client, token);
  feed = fetch_feed (client, DEFAULT_PAGE, &fetch_ms);
  large_feed = fetch_feed (client, LARGEST_PAGE, &fetch_large_ms);
  if (feed->n_notes != (guint)n_notes || large_feed->n_notes != (guint)n_notes)
    g_error ("The feed holds %u notes, not %d", feed->n_notes, n_notes);

  /* Each measurement starts with the disk's queue empty. */
  sync ();
  bare_ms = insert_bare (dir, feed, FALSE, &bare_cpu_ms);
  sync ();
  indexed_ms = insert_bare (dir, feed, TRUE, &indexed_cpu_ms);
  sync ();
  engine_ms = pull_with_engine (dir, server, token, &cpu);
  sync ();
  apply_ms = apply_feed (dir, feed);
  sync ();
  apply_large_ms = apply_feed (dir, large_feed);
  sync ();
  pipelined_ms = pull_pipelined (dir, client, DEFAULT_PAGE);
  sync ();
  pipelined_large_ms = pull_pipelined (dir, client, LARGEST_PAGE);

  printf ("baseline: %d notes + %d photo rows, one sqlite3 transaction (WAL, synchronous=FULL), "
          "the store's columns: %.1f ms bare, %.1f ms with the store's indexes\n",
          n_notes, n_notes * PHOTOS_PER_NOTE, bare_ms, indexed_ms);
  printf ("engine: fresh store, empty outbox, start → idle with every note pulled: %.1f ms "
          "(%.0f notes/s)\n", engine_ms, n_notes / (engine_ms / 1000.0));
  printf ("  CPU meanwhile: client %.0f ms (every thread), server %.0f ms; the bare baseline's CPU %.0f ms "
          "(%.0f ms with indexes): CPU ratio %.2f, which a busy machine disturbs less than the wall-clock one\n",
          cpu.client_cpu_ms, cpu.server_cpu_ms, bare_cpu_ms, indexed_cpu_ms,
          (cpu.client_cpu_ms + cpu.server_cpu_ms) / bare_cpu_ms);
  printf ("  where it goes: feed fetched and decoded alone (CinApiClient), %u pages of %d: %.1f ms; "
          "%u pages of %d: %.1f ms\n",
          feed->pages->len, DEFAULT_PAGE, fetch_ms, large_feed->pages->len, LARGEST_PAGE, fetch_large_ms);
  printf ("  pages applied alone (cin_store_apply_changes_async), %u of %d: %.1f ms; %u of %d: %.1f ms\n",
          feed->pages->len, DEFAULT_PAGE, apply_ms, large_feed->pages->len, LARGEST_PAGE, apply_large_ms);
  printf ("  the same pull with the next page fetched while the store applies this one: "
          "pages of %d: %.1f ms (ratio %.2f); pages of %d: %.1f ms (ratio %.2f)\n",
          DEFAULT_PAGE, pipelined_ms, pipelined_ms / bare_ms,
          LARGEST_PAGE, pipelined_large_ms, pipelined_large_ms / bare_ms);
  printf ("pull ratio engine / bare sqlite3 = %.2f (target ≤ %.0f) %s; against the indexed baseline %.2f\n",
          engine_ms / bare_ms, RATIO_TARGET, engine_ms / bare_ms <= RATIO_TARGET ? "PASS" : "MISS",
          engine_ms / indexed_ms);

  g_clear_object (&client);
  test_server_stop (server);
  store_test_rm_rf (dir);
  return 0;
}
