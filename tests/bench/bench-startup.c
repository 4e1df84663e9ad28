/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start-up benchmarks, in one run:
 *
 *  1. exec → first painted frame of Cinnabar against gnome-text-editor,
 *     both observed the same way from outside: an X11 client polls for a
 *     viewable top-level window of the child's pid whose pixels are no
 *     longer the unpainted background. Cold (median of runs each after
 *     dropping the page cache, when permitted; otherwise the first run)
 *     and warm (median of later runs).
 *  2. exec → first frame with the draft list shown (`--bench-startup`), and
 *     resident memory, with 10,000 drafts against an empty store.
 *
 * Needs an X display (run under xvfb-run, as build-aux/bench.sh does). */
#define G_LOG_DOMAIN "bench-startup"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "bench-stalls.h"
#include "cin-paths.h"
#include "cin-store.h"

#define FRAME_TIMEOUT_US (30 * G_USEC_PER_SEC)

static Display *display;
static Atom net_wm_pid;

static gboolean
window_has_pid (Window w,
                GPid   pid)
{
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  gboolean match = FALSE;

  if (XGetWindowProperty (display, w, net_wm_pid, 0, 1, False, XA_CARDINAL,
                          &type, &format, &n, &after, &data) == Success && data != NULL)
    {
      match = n == 1 && *(unsigned long *)data == (unsigned long)pid;
      XFree (data);
    }

  return match;
}

/* An unpainted X window shows its background (black, with no
 * compositor); a painted GTK window is mostly theme colours. */
static gboolean
window_is_painted (Window w)
{
  XWindowAttributes attrs;
  XImage *image;
  guint painted = 0, samples = 0;

  if (!XGetWindowAttributes (display, w, &attrs) || attrs.map_state != IsViewable ||
      attrs.width < 16 || attrs.height < 16)
    return FALSE;

  image = XGetImage (display, w, 0, 0, attrs.width, attrs.height, AllPlanes, ZPixmap);
  if (image == NULL)
    return FALSE;

  for (int y = attrs.height / 16; y < attrs.height; y += attrs.height / 8)
    for (int x = attrs.width / 16; x < attrs.width; x += attrs.width / 8)
      {
        samples++;
        if ((XGetPixel (image, x, y) & 0xffffff) != 0)
          painted++;
      }
  XDestroyImage (image);

  return painted * 2 > samples;
}

static gboolean
find_painted_window (Window root,
                     GPid   pid)
{
  Window parent, *children = NULL;
  unsigned int n = 0;
  gboolean found = FALSE;

  if (!XQueryTree (display, root, &root, &parent, &children, &n))
    return FALSE;

  for (unsigned int i = 0; i < n && !found; i++)
    found = window_has_pid (children[i], pid) && window_is_painted (children[i]);

  if (children != NULL)
    XFree (children);
  return found;
}

static GPid
spawn (char      **argv,
       char      **envp,
       int        *stdout_fd)
{
  g_autoptr(GError) error = NULL;
  GPid pid;

  if (!g_spawn_async_with_pipes (NULL, argv, envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL |
                                 (stdout_fd ? 0 : G_SPAWN_STDOUT_TO_DEV_NULL),
                                 NULL, NULL, &pid, NULL, stdout_fd, NULL, &error))
    g_error ("Could not start %s: %s", argv[0], error->message);

  return pid;
}

static void
stop (GPid pid)
{
  int status;

  kill (pid, SIGTERM);
  for (int i = 0; i < 200; i++)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        return;
      g_usleep (10000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
}

/* Milliseconds from exec to the first painted frame, as seen from outside. */
static double
time_first_frame (char **argv,
                  char **envp)
{
  gint64 start = g_get_monotonic_time ();
  GPid pid = spawn (argv, envp, NULL);
  Window root = DefaultRootWindow (display);
  double ms = -1;

  while (g_get_monotonic_time () - start < FRAME_TIMEOUT_US)
    {
      if (find_painted_window (root, pid))
        {
          ms = (g_get_monotonic_time () - start) / 1000.0;
          break;
        }
      g_usleep (500);
    }

  stop (pid);
  if (ms < 0)
    g_error ("%s showed no painted window within %d s", argv[0], (int)(FRAME_TIMEOUT_US / G_USEC_PER_SEC));
  return ms;
}

static double
median (GArray *values)
{
  return bench_percentile (values, 50);
}

/* Written in place: g_file_set_contents() would write a temporary file
 * beside it and rename it over, which /proc refuses. */
static gboolean
drop_page_cache (void)
{
  FILE *file;
  gboolean written;

  sync ();
  file = fopen ("/proc/sys/vm/drop_caches", "w");
  if (file == NULL)
    return FALSE;
  written = fputs ("3\n", file) >= 0;
  return fclose (file) == 0 && written;
}

static char **
env_for_home (const char *home)
{
  char **envp = g_get_environ ();
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);

  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache, TRUE);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  envp = g_environ_setenv (envp, "NO_AT_BRIDGE", "1", TRUE);
  return envp;
}

typedef struct
{
  double ms;
  long   rss_kb;
} ListShown;

/* Runs `cinnabar --bench-startup`, which prints when the draft list is
 * first painted (CLOCK_MONOTONIC, shared with this process), then its
 * resident memory once every draft is listed and painted, and quits. */
static ListShown
time_list_shown (const char *cinnabar,
                 char      **envp)
{
  char *argv[] = { (char *)cinnabar, (char *)"--bench-startup", NULL };
  gint64 start = g_get_monotonic_time ();
  int fd = -1;
  GPid pid = spawn (argv, envp, &fd);
  g_autoptr(GIOChannel) channel = g_io_channel_unix_new (fd);
  g_autofree char *line = NULL;
  gint64 shown_us = 0;
  gint64 complete_us = 0;
  ListShown result = { -1, 0 };
  int status;

  g_io_channel_set_close_on_unref (channel, TRUE);
  while (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) == G_IO_STATUS_NORMAL)
    {
      long rss_kb;

      if (sscanf (line, "bench list-shown monotonic-us=%" G_GINT64_FORMAT " rss-kb=%ld",
                  &shown_us, &rss_kb) == 2)
        result.ms = (shown_us - start) / 1000.0;
      else if (sscanf (line, "bench list-complete monotonic-us=%" G_GINT64_FORMAT " rss-kb=%ld",
                       &complete_us, &rss_kb) == 2)
        result.rss_kb = rss_kb;
      g_clear_pointer (&line, g_free);
    }
  waitpid (pid, &status, 0);

  if (result.ms < 0 || result.rss_kb == 0)
    g_error ("cinnabar --bench-startup printed no timing (exit status %d)", status);
  return result;
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;

  if (!cin_store_save_note_finish (CIN_STORE (object), result, &error))
    g_error ("Could not save a draft: %s", error->message);
  (*pending)--;
}

static void
fill_store (const char *home,
            guint       n_drafts)
{
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CinStore) store = NULL;
  guint pending = 0;

  g_setenv ("XDG_DATA_HOME", data, TRUE);
  path = cin_paths_get_store_path ("local");
  store = cin_store_open_sync (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_drafts; i++)
    {
      g_autoptr(CinNote) note = cin_note_new (CIN_NOTE_KIND_PHOTO);
      g_autofree char *title = g_strdup_printf ("第 %u 篇 春季穿搭分享", i);
      g_autoptr(GString) body = g_string_new (NULL);

      for (guint j = 0; j < 6; j++)
        g_string_append_printf (body, "今天试了第 %u 款面霜，质地清爽，适合通勤。Day %u.\n", j, i);
      cin_note_set_title (note, title);
      cin_note_set_body (note, body->str);
      cin_note_set_updated_at (note, g_get_real_time () - (gint64)i * G_USEC_PER_SEC * 60);

      pending++;
      cin_store_save_note_async (store, note, NULL, save_cb, &pending);
      while (pending > 64)
        g_main_context_iteration (NULL, TRUE);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static char *
make_home (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("cinnabar-bench-XXXXXX", &error);

  g_assert_no_error (error);
  return home;
}

int
main (int   argc,
      char *argv[])
{
  const char *cinnabar = argc > 1 ? argv[1] : "src/cinnabar";
  guint runs = argc > 2 ? (guint)atoi (argv[2]) : 7;
  char *editor_argv[] = { (char *)"gnome-text-editor", (char *)"--standalone", NULL };
  char *cinnabar_argv[] = { (char *)cinnabar, NULL };
  g_autofree char *editor_home = make_home ();
  g_autofree char *empty_home = make_home ();
  g_autofree char *full_home = make_home ();
  g_auto(GStrv) editor_env = env_for_home (editor_home);
  g_auto(GStrv) empty_env = env_for_home (empty_home);
  g_auto(GStrv) full_env = env_for_home (full_home);
  g_autoptr(GArray) warm_cin = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) warm_editor = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) empty_list = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_list = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cold_cin = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cold_editor = g_array_new (FALSE, FALSE, sizeof (double));
  long empty_rss = 0, full_rss = 0;
  gboolean dropped;

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "bench-startup needs an X display: run it under xvfb-run\n");
      return 77;
    }
  net_wm_pid = XInternAtom (display, "_NET_WM_PID", False);

  if (!g_find_program_in_path ("gnome-text-editor"))
    {
      fprintf (stderr, "gnome-text-editor is not installed (apt-get install gnome-text-editor)\n");
      return 77;
    }

  /* 1. First frame, cold then warm, the two programs interleaved. Cold
   * runs each start from a dropped page cache, as many as the warm ones,
   * when that is permitted; otherwise only the very first run is cold. */
  dropped = drop_page_cache ();
  for (guint i = 0; i < (dropped ? runs : 1); i++)
    {
      double ms;

      dropped = (i == 0 || drop_page_cache ()) && dropped;
      ms = time_first_frame (cinnabar_argv, empty_env);
      g_array_append_val (cold_cin, ms);
      dropped = drop_page_cache () && dropped;
      ms = time_first_frame (editor_argv, editor_env);
      g_array_append_val (cold_editor, ms);
    }

  for (guint i = 0; i < runs; i++)
    {
      double ms = time_first_frame (cinnabar_argv, empty_env);
      g_array_append_val (warm_cin, ms);
      ms = time_first_frame (editor_argv, editor_env);
      g_array_append_val (warm_editor, ms);
    }

  printf ("start-up, exec to first painted frame (%s):\n",
          dropped ? "cold = page cache dropped before each run"
                  : "cold = first run; the page cache could not be dropped without privileges");
  printf ("  cold (median of %u): cinnabar %.1f ms, gnome-text-editor %.1f ms, ratio %.2f (target <= 1.0)\n",
          cold_cin->len, median (cold_cin), median (cold_editor), median (cold_cin) / median (cold_editor));
  printf ("  warm (median of %u): cinnabar %.1f ms, gnome-text-editor %.1f ms, ratio %.2f (target <= 1.0)\n",
          runs, median (warm_cin), median (warm_editor), median (warm_cin) / median (warm_editor));

  /* 2. The draft box with 10,000 drafts against an empty store. */
  fill_store (full_home, 10000);
  for (guint i = 0; i < runs; i++)
    {
      ListShown empty = time_list_shown (cinnabar, empty_env);
      ListShown full = time_list_shown (cinnabar, full_env);

      g_array_append_val (empty_list, empty.ms);
      g_array_append_val (full_list, full.ms);
      empty_rss = MAX (empty_rss, empty.rss_kb);
      full_rss = MAX (full_rss, full.rss_kb);
    }

  printf ("draft box, exec to first frame with the list shown (median of %u):\n", runs);
  printf ("  empty store %.1f ms, 10,000 drafts %.1f ms, ratio %.2f (target <= 1.5)\n",
          median (empty_list), median (full_list), median (full_list) / median (empty_list));
  printf ("  resident memory with every draft listed: empty %.1f MB, 10,000 drafts %.1f MB, growth %.1f MB (target <= 30 MB)\n",
          empty_rss / 1024.0, full_rss / 1024.0, (full_rss - empty_rss) / 1024.0);

  XCloseDisplay (display);
  return 0;
}
