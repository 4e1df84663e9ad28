/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Publish benchmark, in one run against a real cinnabar-server:
 *
 *  a. the floor: curl sending the same bytes to the same server's tus
 *     endpoint, one file after another on one kept-alive connection: one
 *     curl process POSTs every upload (creation, one request a file), then
 *     one curl process PATCHes each file whole at offset 0 (one request a
 *     file), "Expect: 100-continue" turned off so no request waits for the
 *     server's go-ahead. Uploads go to a second account, so the engine
 *     can't find them done. It runs before and after b; the ratio is
 *     against the mean of the two.
 *  b. the engine publishing 50 photo notes of 9 photos each (4000×3000
 *     JPEGs, generated now, each different, in the profile's media folder
 *     as <sha256>.jpg): the notes are saved as drafts and a publish is
 *     queued for each (cin_store_request_state_async()); timed from
 *     cin_sync_engine_start() — each note's photos uploaded, the note
 *     sent, then published — until the 50th note is read back published.
 *     Every note's state is checked in the store after.
 *  c. the main loop meanwhile: a 1 ms timer's lateness, the longest gap
 *     and how much of it the main thread was busy, next to the same timer
 *     on an idle loop (bench-stalls.h).
 *
 *   bench-publish [--notes N] [--photos N] */
#define G_LOG_DOMAIN "bench-publish"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <jpeglib.h>

#include "bench-stalls.h"
#include "bench-util.h"
#include "cin-note-json.h"
#include "cin-sha256.h"
#include "cin-store-sync.h"
#include "cin-sync-engine.h"
#include "store-test-util.h"

#define PHOTO_WIDTH      4000
#define PHOTO_HEIGHT     3000
#define JPEG_QUALITY     90
#define RATIO_TARGET     1.2
#define STALL_TARGET_MS  16.0

static int n_notes = 50;
static int n_photos = 9;

static const GOptionEntry options[] = {
  { "notes", 'n', 0, G_OPTION_ARG_INT, &n_notes, "Photo notes to publish (default 50)", "N" },
  { "photos", 'p', 0, G_OPTION_ARG_INT, &n_photos, "Photos in each (default 9)", "N" },
  { NULL }
};

/* The photos */

typedef struct {
  char    *path;
  char    *sha256;
  guint64  size;
} Photo;

static void
photo_free (Photo *photo)
{
  g_free (photo->path);
  g_free (photo->sha256);
  g_free (photo);
}

typedef struct {
  const char *media_dir;
  Photo      *photo;    /* filled in by the worker */
  guint       index;
} PhotoJob;

/* A photo-like picture: soft gradients and a few shapes that differ with
 * @index, and sensor-like noise, so each file is different and about as
 * large as a phone's JPEG of that size (a few MB). */
static void
encode_photo (gpointer data,
              gpointer user_data)
{
  PhotoJob *job = data;
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  g_autofree guint8 *row = g_malloc (PHOTO_WIDTH * 3);
  g_autoptr(CinSha256) sha256 = cin_sha256_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  unsigned char *jpeg = NULL;
  unsigned long jpeg_size = 0;
  g_autofree guint8 *by_x = g_malloc (PHOTO_WIDTH);
  g_autofree guint8 *by_y = g_malloc (PHOTO_HEIGHT);
  g_autofree guint8 *by_sum = g_malloc (PHOTO_WIDTH + PHOTO_HEIGHT);
  guint32 noise = 2463534242u + job->index * 7919u;
  int cx = 500 + (job->index * 389) % 3000;
  int cy = 400 + (job->index * 211) % 2200;
  double hue = job->index * 0.61;

  for (guint x = 0; x < PHOTO_WIDTH; x++)
    by_x[x] = (guint8)(128 + 90 * sin (hue + x / 700.0));
  for (guint y = 0; y < PHOTO_HEIGHT; y++)
    by_y[y] = (guint8)(128 + 90 * sin (hue * 2 + y / 500.0));
  for (guint i = 0; i < PHOTO_WIDTH + PHOTO_HEIGHT; i++)
    by_sum[i] = (guint8)(128 + 90 * sin (hue * 3 + i / 900.0));

  cinfo.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &jpeg, &jpeg_size);
  cinfo.image_width = PHOTO_WIDTH;
  cinfo.image_height = PHOTO_HEIGHT;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, JPEG_QUALITY, TRUE);
  jpeg_start_compress (&cinfo, TRUE);

  for (guint y = 0; y < PHOTO_HEIGHT; y++)
    {
      JSAMPROW rows[1] = { row };

      for (guint x = 0; x < PHOTO_WIDTH; x++)
        {
          int dx = (int)x - cx, dy = (int)y - cy;
          gboolean inside = dx * dx + dy * dy < 600 * 600;
          int base[3] = { by_x[x], by_y[y], by_sum[x + y] };

          for (guint c = 0; c < 3; c++)
            {
              int value = inside ? 255 - base[c] : base[c];

              /* xorshift32: cheap noise, different for every photo. */
              noise ^= noise << 13;
              noise ^= noise >> 17;
              noise ^= noise << 5;
              value += (int)(noise & 31) - 16;
              row[x * 3 + c] = (guint8)CLAMP (value, 0, 255);
            }
        }
      jpeg_write_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);

  cin_sha256_update (sha256, jpeg, jpeg_size);
  job->photo = g_new0 (Photo, 1);
  job->photo->sha256 = cin_sha256_finish (sha256);
  job->photo->size = jpeg_size;
  basename = g_strconcat (job->photo->sha256, ".jpg", NULL);
  job->photo->path = g_build_filename (job->media_dir, basename, NULL);
  if (!g_file_set_contents (job->photo->path, (const char *)jpeg, (gssize)jpeg_size, &error))
    g_error ("%s", error->message);
  free (jpeg);
}

static guint64
total_bytes (GPtrArray *photos)
{
  guint64 total = 0;

  for (guint i = 0; i < photos->len; i++)
    total += ((Photo *)g_ptr_array_index (photos, i))->size;
  return total;
}

/* Returns the photos (Photo), generated on every CPU. */
static GPtrArray *
generate_photos (const char *media_dir,
                 guint       count)
{
  g_autofree PhotoJob *jobs = g_new0 (PhotoJob, count);
  GPtrArray *photos = g_ptr_array_new_with_free_func ((GDestroyNotify)photo_free);
  GThreadPool *pool;
  gint64 start = g_get_monotonic_time ();
  guint64 total;

  pool = g_thread_pool_new (encode_photo, NULL, (int)g_get_num_processors (), TRUE, NULL);
  for (guint i = 0; i < count; i++)
    {
      jobs[i].media_dir = media_dir;
      jobs[i].index = i;
      g_thread_pool_push (pool, &jobs[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (photos, jobs[i].photo);
  total = total_bytes (photos);
  printf ("generated %u JPEGs of %d×%d (quality %d), %.1f MB each on average, %.2f GB in all, in %.1f s\n",
          count, PHOTO_WIDTH, PHOTO_HEIGHT, JPEG_QUALITY, total / (double)count / 1e6, total / 1e9,
          bench_ms_since (start) / 1000.0);
  fflush (stdout);
  return photos;
}

/* a. curl */

static void
append_metadata (GString    *metadata,
                 const char *key,
                 const char *value)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *)value, strlen (value));

  g_string_append_printf (metadata, "%s%s %s", metadata->len > 0 ? "," : "", key, encoded);
}

/* Runs curl with @config and returns what it printed. */
static char *
run_curl (const char *config_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "curl", "--silent", "--show-error", "--config", config_path, NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error))
    g_error ("curl: %s (build-aux/install-deps.sh installs it)", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("curl: %s: %s", error->message, err);
  return g_steal_pointer (&out);
}

static double
upload_with_curl (const char *dir,
                  TestServer *server,
                  const char *token,
                  GPtrArray  *photos)
{
  g_autofree char *create_path = g_build_filename (dir, "create.curlrc", NULL);
  g_autofree char *patch_path = g_build_filename (dir, "patch.curlrc", NULL);
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GString) patch = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *patched = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) codes = NULL;
  gint64 start;
  double ms;

  for (guint i = 0; i < photos->len; i++)
    {
      Photo *photo = g_ptr_array_index (photos, i);
      g_autoptr(GString) metadata = g_string_new (NULL);
      g_autofree char *filename = g_path_get_basename (photo->path);

      append_metadata (metadata, "filename", filename);
      append_metadata (metadata, "filetype", "image/jpeg");
      append_metadata (metadata, "sha256", photo->sha256);
      g_string_append_printf (create,
                              "%surl = \"%s/v1/uploads\"\n"
                              "request = \"POST\"\n"
                              "header = \"Authorization: Bearer %s\"\n"
                              "header = \"Tus-Resumable: 1.0.0\"\n"
                              "header = \"Upload-Length: %" G_GUINT64_FORMAT "\"\n"
                              "header = \"Upload-Metadata: %s\"\n"
                              "output = \"/dev/null\"\n"
                              "write-out = \"%%{http_code} %%header{location}\\n\"\n",
                              i > 0 ? "next\n" : "", server->base_url, token, photo->size, metadata->str);
    }
  if (!g_file_set_contents (create_path, create->str, -1, &error))
    g_error ("%s", error->message);

  sync ();
  start = g_get_monotonic_time ();
  created = run_curl (create_path);
  lines = g_strsplit (g_strchomp (created), "\n", -1);
  if (g_strv_length (lines) != photos->len)
    g_error ("curl created %u uploads, not %u: %s", g_strv_length (lines), photos->len, created);
  for (guint i = 0; i < photos->len; i++)
    {
      Photo *photo = g_ptr_array_index (photos, i);
      const char *location = strchr (lines[i], ' ');
      g_autofree char *url = NULL;

      if (!g_str_has_prefix (lines[i], "201 ") || location == NULL || location[1] == '\0')
        g_error ("POST /v1/uploads answered “%s”", lines[i]);
      location++;
      url = location[0] == '/' ? g_strconcat (server->base_url, location, NULL) : g_strdup (location);
      g_string_append_printf (patch,
                              "%surl = \"%s\"\n"
                              "request = \"PATCH\"\n"
                              "header = \"Authorization: Bearer %s\"\n"
                              "header = \"Tus-Resumable: 1.0.0\"\n"
                              "header = \"Upload-Offset: 0\"\n"
                              "header = \"Content-Type: application/offset+octet-stream\"\n"
                              "header = \"Expect:\"\n"
                              "data-binary = \"@%s\"\n"
                              "output = \"/dev/null\"\n"
                              "write-out = \"%%{http_code}\\n\"\n",
                              i > 0 ? "next\n" : "", url, token, photo->path);
    }
  /* Writing the second config is part of what the baseline does, as a
   * script chaining the two would. */
  if (!g_file_set_contents (patch_path, patch->str, -1, &error))
    g_error ("%s", error->message);
  patched = run_curl (patch_path);
  ms = bench_ms_since (start);

  codes = g_strsplit (g_strchomp (patched), "\n", -1);
  for (guint i = 0; i < photos->len; i++)
    if (codes[i] == NULL || strcmp (codes[i], "204") != 0)
      g_error ("PATCH %u answered “%s”", i, codes[i] != NULL ? codes[i] : "nothing");

  g_remove (create_path);
  g_remove (patch_path);
  return ms;
}

/* b. The engine */

/* Saves the notes as drafts, each with its @n_photos photos. */
static GPtrArray *
save_notes (CinStore  *store,
            GPtrArray *photos)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < (guint)n_notes; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(CinNote) note = cin_note_new_with_id (id, CIN_NOTE_KIND_PHOTO);
      g_autofree char *title = g_strdup_printf ("成都周末探店 #%u 🌸", i);
      const char *topics[] = { "咖啡", "成都", NULL };
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      cin_note_set_title (note, title);
      cin_note_set_body (note, "藏在老街里的小店，豆子是店主自己烘的，酸甜很干净。");
      cin_note_set_topics (note, topics);
      cin_note_set_created_at (note, g_get_real_time ());
      cin_note_set_updated_at (note, g_get_real_time ());
      for (guint j = 0; j < (guint)n_photos; j++)
        {
          Photo *file = g_ptr_array_index (photos, i * n_photos + j);
          g_autoptr(CinPhoto) photo = cin_photo_new (file->sha256, "image/jpeg", PHOTO_WIDTH, PHOTO_HEIGHT);

          cin_note_insert_photo (note, j, photo);
        }
      cin_store_save_note_async (store, note, NULL, store_test_result_cb, &result);
      if (!cin_store_save_note_finish (store, store_test_wait (&result), &error))
        g_error ("%s", error->message);
      g_ptr_array_add (ids, g_steal_pointer (&id));
    }
  return ids;
}

static void
wait_idle (CinSyncEngine *engine,
           const char    *what)
{
  while (cin_sync_engine_get_busy (engine))
    g_main_context_iteration (NULL, TRUE);
  if (cin_sync_engine_get_status (engine) != CIN_SYNC_STATUS_IDLE)
    g_error ("%s: the engine stopped with status %d: %s", what, cin_sync_engine_get_status (engine),
             cin_sync_engine_get_problem (engine));
}

typedef struct {
  guint   published;
  gint64  last_published;
} Publishing;

static void
on_published_cb (CinSyncEngine *engine,
                 const char    *id,
                 Publishing    *publishing)
{
  publishing->published++;
  publishing->last_published = g_get_monotonic_time ();
}

static double
publish_with_engine (const char *dir,
                     const char *media_dir,
                     const char *base_url,
                     const char *token,
                     GPtrArray  *photos,
                     BenchTicker **ticker)
{
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(CinStore) store = bench_open_store (path);
  g_autoptr(CinApiClient) client = cin_api_client_new (base_url);
  g_autoptr(CinSyncEngine) engine = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  Publishing publishing = { 0, };
  gint64 start;

  cin_api_client_set_token (client, token);
  engine = cin_sync_engine_new (store, client);
  cin_sync_engine_set_media_dir (engine, media_dir);
  g_signal_connect (engine, "published", G_CALLBACK (on_published_cb), &publishing);

  /* The drafts have not reached the server: their photos go up as their
   * notes do, before the publishes, and all of it is timed. */
  ids = save_notes (store, photos);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      cin_store_request_state_async (store, g_ptr_array_index (ids, i), CIN_OUTBOX_PUBLISH, 0,
                                     NULL, store_test_result_cb, &result);
      if (!cin_store_request_state_finish (store, store_test_wait (&result), &error))
        g_error ("%s", error->message);
    }

  sync ();
  *ticker = bench_ticker_start ();
  start = g_get_monotonic_time ();
  cin_sync_engine_start (engine);
  while (publishing.published < ids->len &&
         (cin_sync_engine_get_busy (engine) || cin_sync_engine_get_status (engine) == CIN_SYNC_STATUS_SYNCING))
    g_main_context_iteration (NULL, TRUE);
  bench_ticker_stop (*ticker);
  if (publishing.published < ids->len)
    g_error ("The engine published %u notes of %u and stopped with status %d: %s",
             publishing.published, ids->len, cin_sync_engine_get_status (engine),
             cin_sync_engine_get_problem (engine));
  wait_idle (engine, "publishing");
  cin_sync_engine_stop (engine);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CinNote) note = NULL;

      cin_store_load_note_async (store, g_ptr_array_index (ids, i), NULL, store_test_result_cb, &result);
      note = cin_store_load_note_finish (store, store_test_wait (&result), &error);
      if (note == NULL)
        g_error ("%s", error->message);
      if (cin_note_get_state (note) != CIN_NOTE_STATE_PUBLISHED)
        g_error ("Note %s is %s in the store after publishing", cin_note_get_id (note),
                 cin_note_state_to_string (cin_note_get_state (note)));
    }

  g_clear_object (&engine);
  store_test_close (store);
  return (publishing.last_published - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) option_context = g_option_context_new ("— measure publishing photo notes");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) photos = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *media_dir = NULL;
  g_autofree char *token = NULL;
  g_autofree char *baseline_token = NULL;
  TestServer *server;
  g_autoptr(BenchTicker) ticker = NULL;
  g_autoptr(BenchTicker) idle = NULL;
  BenchStall longest;
  double curl_before_ms, curl_after_ms, curl_ms, engine_ms, mb, server_cpu;

  g_option_context_add_main_entries (option_context, options, NULL);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_notes < 1 || n_photos < 1)
    {
      g_printerr ("--notes and --photos must be at least 1\n");
      return 2;
    }

  dir = g_dir_make_tmp ("cin-bench-publish-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  media_dir = g_build_filename (dir, "media", NULL);
  g_mkdir (media_dir, 0700);
  photos = generate_photos (media_dir, (guint)(n_notes * n_photos));
  mb = total_bytes (photos) / 1e6;

  server = test_server_start (NULL);
  token = test_server_sign_up (server, "bench");
  baseline_token = test_server_sign_up (server, "baseline");

  /* The baseline runs before and after the engine, and the ratio takes
   * their mean: on a shared machine the disk and CPUs are not the same
   * from one minute to the next. */
  server_cpu = bench_server_cpu_ms (server);
  curl_before_ms = upload_with_curl (dir, server, baseline_token, photos);
  server_cpu = bench_server_cpu_ms (server) - server_cpu;
  printf ("baseline: curl, %u files (%.0f MB) sent one after another to the tus endpoint "
          "(one process POSTs all, one PATCHes each whole): %.0f ms, %.0f MB/s; server CPU %.0f ms\n",
          photos->len, mb, curl_before_ms, mb / (curl_before_ms / 1000.0), server_cpu);
  fflush (stdout);

  bench_canaries_start ();
  idle = bench_ticker_measure_idle (3);
  server_cpu = bench_server_cpu_ms (server);
  engine_ms = publish_with_engine (dir, media_dir, server->base_url, token, photos, &ticker);
  /* Stopped before the second baseline, which must run as the first did;
   * the freezes they saw are kept for the reports. */
  bench_canaries_stop ();
  longest = bench_ticker_longest (ticker);
  server_cpu = bench_server_cpu_ms (server) - server_cpu;
  printf ("engine: %d photo notes × %d photos published and read back: %.0f ms, %.0f MB/s; "
          "server CPU %.0f ms\n",
          n_notes, n_photos, engine_ms, mb / (engine_ms / 1000.0), server_cpu);
  fflush (stdout);

  curl_after_ms = upload_with_curl (dir, server, baseline_token, photos);
  curl_ms = (curl_before_ms + curl_after_ms) / 2;
  printf ("baseline again, after the engine: %.0f ms, %.0f MB/s; mean %.0f ms\n",
          curl_after_ms, mb / (curl_after_ms / 1000.0), curl_ms);
  printf ("publish ratio engine / mean curl = %.2f (target ≤ %.1f) %s\n",
          engine_ms / curl_ms, RATIO_TARGET, engine_ms / curl_ms <= RATIO_TARGET ? "PASS" : "MISS");
  bench_ticker_report (ticker, "main loop while publishing", STALL_TARGET_MS);
  bench_ticker_report (idle, "main loop idle, same machine, 3 s", STALL_TARGET_MS);
  printf ("longest main-loop stall while publishing = %.2f ms, main thread busy %.2f ms of it "
          "(target < %.0f ms) %s\n",
          longest.wall_ms, longest.cpu_ms, STALL_TARGET_MS,
          longest.wall_ms < STALL_TARGET_MS ? "PASS" : "MISS");

  test_server_stop (server);
  store_test_rm_rf (dir);
  return 0;
}
