/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-stalls"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "bench-stalls.h"

struct _BenchTicker
{
  guint   source;
  gint64  last_tick;
  gint64  last_cpu;
  GArray *stalls;   /* of BenchStall */
};

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
on_tick_cb (gpointer user_data)
{
  BenchTicker *ticker = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();

  if (ticker->last_tick != 0)
    {
      BenchStall stall = {
        MAX ((now - ticker->last_tick) / 1000.0 - 1.0, 0.0),
        (cpu - ticker->last_cpu) / 1000.0,
      };
      g_array_append_val (ticker->stalls, stall);
    }
  ticker->last_tick = now;
  ticker->last_cpu = cpu;

  return G_SOURCE_CONTINUE;
}

BenchTicker *
bench_ticker_start (void)
{
  BenchTicker *ticker = g_new0 (BenchTicker, 1);

  ticker->stalls = g_array_new (FALSE, FALSE, sizeof (BenchStall));
  ticker->source = g_timeout_add (1, on_tick_cb, ticker);
  return ticker;
}

void
bench_ticker_stop (BenchTicker *ticker)
{
  g_clear_handle_id (&ticker->source, g_source_remove);
}

void
bench_ticker_free (BenchTicker *ticker)
{
  bench_ticker_stop (ticker);
  g_array_unref (ticker->stalls);
  g_free (ticker);
}

BenchStall
bench_ticker_longest (BenchTicker *ticker)
{
  BenchStall longest = { 0, 0 };

  for (guint i = 0; i < ticker->stalls->len; i++)
    {
      BenchStall *stall = &g_array_index (ticker->stalls, BenchStall, i);

      if (stall->wall_ms > longest.wall_ms)
        longest = *stall;
    }
  return longest;
}

double
bench_ticker_busiest_ms (BenchTicker *ticker)
{
  double busiest = 0;

  for (guint i = 0; i < ticker->stalls->len; i++)
    busiest = MAX (busiest, g_array_index (ticker->stalls, BenchStall, i).cpu_ms);
  return busiest;
}

static int
compare_walls (gconstpointer a,
               gconstpointer b)
{
  double da = ((const BenchStall *)a)->wall_ms;
  double db = ((const BenchStall *)b)->wall_ms;

  return (da > db) - (da < db);
}

void
bench_ticker_report (BenchTicker *ticker,
                     const char  *what,
                     double       target_ms)
{
  BenchStall longest = bench_ticker_longest (ticker);
  g_autoptr(GArray) sorted = NULL;
  guint over = 0;
  gsize rank;

  g_assert (ticker->stalls->len > 0);
  for (guint i = 0; i < ticker->stalls->len; i++)
    over += g_array_index (ticker->stalls, BenchStall, i).wall_ms >= target_ms;

  sorted = g_array_copy (ticker->stalls);
  g_array_sort (sorted, compare_walls);
  rank = (gsize)ceil (0.999 * sorted->len);

  printf ("%s: %u ticks, %u late by ≥ %.0f ms; p99.9 = %.2f ms; longest = %.2f ms "
          "(main thread busy %.2f ms of it); longest busy gap = %.2f ms\n",
          what, ticker->stalls->len, over, target_ms,
          g_array_index (sorted, BenchStall, MAX (rank, 1) - 1).wall_ms,
          longest.wall_ms, longest.cpu_ms, bench_ticker_busiest_ms (ticker));
}

static gboolean
on_idle_done_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

BenchTicker *
bench_ticker_measure_idle (guint seconds)
{
  BenchTicker *ticker = bench_ticker_start ();
  gboolean done = FALSE;

  g_timeout_add_seconds (seconds, on_idle_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  bench_ticker_stop (ticker);
  return ticker;
}

void
bench_try_realtime (void)
{
  struct sched_param param = { .sched_priority = 10 };

  if (sched_setscheduler (0, SCHED_FIFO, &param) == 0)
    printf ("running at SCHED_FIFO priority %d: stalls are the program's and the machine's own\n",
            param.sched_priority);
  else
    printf ("SCHED_FIFO not permitted (%s); measuring at normal priority\n", g_strerror (errno));
}
