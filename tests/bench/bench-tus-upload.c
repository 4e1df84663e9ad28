/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tus upload benchmark: one large video (1 GiB unless --mib says
 * otherwise) uploaded over tus to a server on 127.0.0.1, against cp of
 * the same file on the same disk, in one run:
 *
 *  a. the floor: `cp` of the file, and `cp` followed by an fsync of the
 *     copy (the server makes every upload durable before it answers);
 *  b. the upload: POST, then the whole file in one PATCH from a client
 *     that streams it from the page cache, until the server's 204 (which
 *     comes after it has checked the SHA-256 and moved the file into
 *     place); the client's own SHA-256 is worked out beforehand, as the
 *     app does when it imports media;
 *  c. the server's memory: its peak RSS (VmHWM) during the upload against
 *     its RSS before, so an upload that buffered the file would show.
 *
 * Targets: cp time / upload time ≥ 0.5; RSS growth ≤ 50 MB.
 *
 *   bench-tus-upload SERVER [--dir DIR] [--mib N]
 *
 * SERVER is cinnabar-server or the tus test host: anything that takes
 * --uploads, --media and --video-max-bytes and prints
 * "listening on http://127.0.0.1:PORT/". DIR (default: the current
 * directory, the build dir under meson) holds the file, the copy and the
 * server's folders. */
#define G_LOG_DOMAIN "bench-tus-upload"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#define BLOCK_SIZE        (1024 * 1024)
#define RATIO_TARGET      0.5
#define RSS_GROWTH_TARGET (50.0 * 1000 * 1000)

static char *bench_dir = NULL;
static int file_mib = 1024;

static const GOptionEntry options[] = {
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &bench_dir, "Folder for the file and the server (default: .)", "DIR" },
  { "mib", 'm', 0, G_OPTION_ARG_INT, &file_mib, "File size in MiB (default 1024)", "N" },
  { NULL }
};

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
put_be32 (guint8  *out,
          guint32  value)
{
  out[0] = value >> 24;
  out[1] = value >> 16;
  out[2] = value >> 8;
  out[3] = value;
}

/* An MP4 the server takes: ftyp, moov, and an mdat (64-bit size) of
 * pseudo-random bytes, which no file system or cache can compress. The
 * SHA-256 is worked out while writing. */
static char *
write_video (const char *path,
             guint64     payload_bytes)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint64 *block = g_malloc (BLOCK_SIZE);
  guint8 header[24 + 108 + 16] = { 0 };
  guint64 state = 0x9e3779b97f4a7c15;
  guint64 mdat_size = payload_bytes + 16;
  guint64 written = 0;
  int fd;

  put_be32 (header, 24);
  memcpy (header + 4, "ftypisom", 8);
  put_be32 (header + 12, 0x200);
  memcpy (header + 16, "isommp42", 8);
  put_be32 (header + 24, 108);
  memcpy (header + 28, "moov", 4);
  put_be32 (header + 132, 1);
  memcpy (header + 136, "mdat", 4);
  put_be32 (header + 140, (guint32) (mdat_size >> 32));
  put_be32 (header + 144, (guint32) mdat_size);

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert (fd >= 0);
  g_assert (write (fd, header, sizeof header) == sizeof header);
  g_checksum_update (checksum, header, sizeof header);

  while (written < payload_bytes)
    {
      gsize length = (gsize) MIN ((guint64) BLOCK_SIZE, payload_bytes - written);

      for (gsize i = 0; i < BLOCK_SIZE / sizeof (guint64); i++)
        {
          state ^= state << 13;
          state ^= state >> 7;
          state ^= state << 17;
          block[i] = state;
        }
      g_assert (write (fd, block, length) == (gssize) length);
      g_checksum_update (checksum, (const guint8 *) block, length);
      written += length;
    }
  g_assert (fsync (fd) == 0);
  g_close (fd, NULL);
  return g_strdup (g_checksum_get_string (checksum));
}

static double
time_cp (const char *source,
         const char *copy,
         double     *with_fsync)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "cp", source, copy, NULL };
  gint64 start = g_get_monotonic_time ();
  double plain;
  int status = 0;
  int fd;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  plain = seconds_since (start);

  fd = g_open (copy, O_RDONLY | O_CLOEXEC, 0);
  g_assert (fd >= 0 && fsync (fd) == 0);
  g_close (fd, NULL);
  *with_fsync = seconds_since (start);
  g_unlink (copy);
  return plain;
}

/* VmRSS or VmHWM of @pid, in bytes. */
static double
memory_of (const char *pid,
           const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtod (line + strlen (field) + 1, NULL) * 1024;
}

/* User and system CPU seconds of @pid (every thread, ended ones too) or
 * of one of its threads, from /proc. */
static void
cpu_of (const char *stat_path,
        double     *user,
        double     *system)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  g_assert_true (g_file_get_contents (stat_path, &stat, NULL, NULL));
  /* The command name may hold spaces; the fields after it may not. */
  after_name = strrchr (stat, ')');
  g_assert_nonnull (after_name);
  fields = g_strsplit (after_name + 2, " ", -1);
  *user = g_ascii_strtod (fields[11], NULL) / sysconf (_SC_CLK_TCK);
  *system = g_ascii_strtod (fields[12], NULL) / sysconf (_SC_CLK_TCK);
}

/* Sends @head, then @body_path's bytes when given, on a fresh connection,
 * and returns the answer's status line and headers. */
static char *
http_exchange (guint16     port,
               const char *head,
               const char *body_path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *output;
  GString *answer = g_string_new (NULL);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);

  if (body_path != NULL)
    {
      g_autofree guint8 *block = g_malloc (BLOCK_SIZE);
      int fd = g_open (body_path, O_RDONLY | O_CLOEXEC, 0);
      gssize n;

      g_assert (fd >= 0);
      while ((n = read (fd, block, BLOCK_SIZE)) > 0)
        {
          g_output_stream_write_all (output, block, (gsize) n, NULL, NULL, &error);
          g_assert_no_error (error);
        }
      g_assert (n == 0);
      g_close (fd, NULL);
    }

  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (input, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_strchomp (line);
      if (*line == '\0')
        break;
      g_string_append_printf (answer, "%s\n", line);
    }
  return g_string_free (answer, FALSE);
}

static char *
header_value (const char *answer,
              const char *name)
{
  g_auto(GStrv) lines = g_strsplit (answer, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, strlen (name)) == 0 && lines[i][strlen (name)] == ':')
      return g_strdup (g_strstrip (lines[i] + strlen (name) + 1));
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("SERVER - time a tus upload against cp");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) server_output = NULL;
  g_autofree char *work = NULL, *source = NULL, *copy = NULL, *sha256 = NULL;
  g_autofree char *uploads = NULL, *media = NULL, *listening = NULL;
  g_autofree char *metadata = NULL, *encoded = NULL, *post = NULL, *created = NULL;
  g_autofree char *location = NULL, *patch = NULL, *patched = NULL;
  g_autofree char *template = NULL, *max_size = NULL;
  guint64 payload, size;
  double cp_seconds, cp_fsync_seconds, upload_seconds, rss_before, rss_peak, growth, ratio;
  double user, system, main_user, main_system;
  g_autofree char *process_stat = NULL, *main_thread_stat = NULL;
  const char *pid;
  guint16 port;
  gint64 start;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || file_mib < 1)
    {
      g_printerr ("Usage: bench-tus-upload SERVER [--dir DIR] [--mib N]\n");
      return 2;
    }

  template = g_build_filename (bench_dir != NULL ? bench_dir : ".", "bench-tus-XXXXXX", NULL);
  work = g_mkdtemp (template) != NULL ? g_canonicalize_filename (template, NULL) : NULL;
  g_assert_nonnull (work);
  source = g_build_filename (work, "source.mp4", NULL);
  copy = g_build_filename (work, "copy.mp4", NULL);
  uploads = g_build_filename (work, "uploads", NULL);
  media = g_build_filename (work, "media", NULL);

  payload = (guint64) file_mib * 1024 * 1024 - (24 + 108 + 16);
  size = payload + 24 + 108 + 16;
  printf ("writing a %d MiB video in %s …\n", file_mib, work);
  fflush (stdout);
  sha256 = write_video (source, payload);

  cp_seconds = time_cp (source, copy, &cp_fsync_seconds);
  printf ("cp:            %6.2f s  (%.0f MB/s)\n", cp_seconds, size / 1e6 / cp_seconds);
  printf ("cp + fsync:    %6.2f s  (%.0f MB/s)\n", cp_fsync_seconds, size / 1e6 / cp_fsync_seconds);

  max_size = g_strdup_printf ("%" G_GUINT64_FORMAT, size * 2);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             argv[1], "--uploads", uploads, "--media", media,
                             "--video-max-bytes", max_size, NULL);
  g_assert_no_error (error);
  pid = g_subprocess_get_identifier (server);
  server_output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  listening = g_data_input_stream_read_line (server_output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (listening != NULL && sscanf (listening, "listening on http://127.0.0.1:%hu/", &port) == 1);
  rss_before = memory_of (pid, "VmRSS:");

  encoded = g_base64_encode ((const guchar *) sha256, strlen (sha256));
  metadata = g_strconcat ("filename YmVuY2gubXA0,sha256 ", encoded, NULL);
  post = g_strdup_printf ("POST /v1/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                          "Upload-Length: %" G_GUINT64_FORMAT "\r\nUpload-Metadata: %s\r\n"
                          "Content-Length: 0\r\nConnection: close\r\n\r\n", size, metadata);

  start = g_get_monotonic_time ();
  created = http_exchange (port, post, NULL);
  location = header_value (created, "Location");
  g_assert_true (g_str_has_prefix (created, "HTTP/1.1 201") && location != NULL);
  patch = g_strdup_printf ("PATCH %s HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                           "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                           "Content-Length: %" G_GUINT64_FORMAT "\r\nConnection: close\r\n\r\n",
                           location, size);
  patched = http_exchange (port, patch, source);
  upload_seconds = seconds_since (start);
  if (!g_str_has_prefix (patched, "HTTP/1.1 204"))
    g_error ("The upload failed:\n%s", patched);
  {
    g_autofree char *name = g_strconcat (strrchr (location, '/') + 1, ".mp4", NULL);
    g_autofree char *stored = g_build_filename (media, name, NULL);
    GStatBuf info;

    g_assert_true (g_stat (stored, &info) == 0 && (guint64) info.st_size == size);
  }

  rss_peak = memory_of (pid, "VmHWM:");
  process_stat = g_strdup_printf ("/proc/%s/stat", pid);
  main_thread_stat = g_strdup_printf ("/proc/%s/task/%s/stat", pid, pid);
  cpu_of (process_stat, &user, &system);
  cpu_of (main_thread_stat, &main_user, &main_system);
  growth = rss_peak - rss_before;
  ratio = cp_seconds / upload_seconds;

  printf ("tus upload:    %6.2f s  (%.0f MB/s, SHA-256 and structure checked, fsync'ed)\n",
          upload_seconds, size / 1e6 / upload_seconds);
  printf ("ratio cp / upload = %.2f (target ≥ %.1f) %s; cp + fsync / upload = %.2f\n",
          ratio, RATIO_TARGET, ratio >= RATIO_TARGET ? "PASS" : "MISS",
          cp_fsync_seconds / upload_seconds);
  printf ("server CPU: %.2f s user + %.2f s system; its main thread %.2f s + %.2f s\n",
          user, system, main_user, main_system);
  printf ("server RSS: %.1f MB before, %.1f MB peak, growth %.1f MB (target ≤ %.0f MB) %s\n",
          rss_before / 1e6, rss_peak / 1e6, growth / 1e6, RSS_GROWTH_TARGET / 1e6,
          growth <= RSS_GROWTH_TARGET ? "PASS" : "MISS");

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);

  /* The file, its copy and the server's folders go; the folder too. */
  {
    const char *argv_rm[] = { "rm", "-rf", work, NULL };
    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return 0;
}
