/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-stalls"

/* A canary that wakes later than this saw its CPU stop: waking a halted
 * vCPU alone costs the host up to a few hundred microseconds. */
#define CANARY_LATE_USEC 300

#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "bench-stalls.h"

struct _BenchTicker
{
  guint   source;
  gint64  last_tick;
  gint64  last_cpu;
  GArray *stalls;   /* of BenchStall */
};

/* The canaries */

typedef struct {
  int    cpu;
  gint64 start;   /* monotonic µs: when the canary was due */
  gint64 end;     /* when it ran */
} Frozen;

static struct {
  GMutex     lock;
  GArray    *frozen;    /* of Frozen, guarded by @lock */
  GPtrArray *threads;   /* of GThread */
  int        stop;      /* atomic */
  int        ready;     /* atomic: canaries set up */
  int        refused;   /* atomic: canaries that got no real-time priority */
} canaries;

static gint64
timespec_usec (const struct timespec *ts)
{
  return (gint64)ts->tv_sec * G_USEC_PER_SEC + ts->tv_nsec / 1000;
}

static gpointer
canary_thread_func (gpointer data)
{
  int cpu = GPOINTER_TO_INT (data);
  struct sched_param param = { .sched_priority = sched_get_priority_max (SCHED_FIFO) };
  struct timespec next;
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  if (pthread_setaffinity_np (pthread_self (), sizeof set, &set) != 0 ||
      pthread_setschedparam (pthread_self (), SCHED_FIFO, &param) != 0)
    g_atomic_int_inc (&canaries.refused);
  g_atomic_int_inc (&canaries.ready);

  clock_gettime (CLOCK_MONOTONIC, &next);
  while (!g_atomic_int_get (&canaries.stop))
    {
      struct timespec now;
      gint64 due, ran;

      next.tv_nsec += 1000000;
      if (next.tv_nsec >= 1000000000)
        {
          next.tv_sec++;
          next.tv_nsec -= 1000000000;
        }
      clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
      clock_gettime (CLOCK_MONOTONIC, &now);

      due = timespec_usec (&next);
      ran = timespec_usec (&now);
      if (ran - due > CANARY_LATE_USEC)
        {
          Frozen frozen = { cpu, due, ran };

          g_mutex_lock (&canaries.lock);
          g_array_append_val (canaries.frozen, frozen);
          g_mutex_unlock (&canaries.lock);
          next = now;
        }
    }

  return NULL;
}

gboolean
bench_canaries_start (void)
{
  long n_cpus = sysconf (_SC_NPROCESSORS_ONLN);

  g_return_val_if_fail (canaries.threads == NULL, FALSE);

  g_clear_pointer (&canaries.frozen, g_array_unref);
  canaries.frozen = g_array_new (FALSE, FALSE, sizeof (Frozen));
  canaries.threads = g_ptr_array_new ();
  g_atomic_int_set (&canaries.stop, 0);
  g_atomic_int_set (&canaries.ready, 0);
  g_atomic_int_set (&canaries.refused, 0);
  for (long cpu = 0; cpu < n_cpus; cpu++)
    g_ptr_array_add (canaries.threads,
                     g_thread_new ("bench-canary", canary_thread_func, GINT_TO_POINTER ((int)cpu)));
  while (g_atomic_int_get (&canaries.ready) < (int)n_cpus)
    g_usleep (100);

  if (g_atomic_int_get (&canaries.refused) > 0)
    {
      printf ("vCPU canaries: real-time priority not permitted; stalls are not split\n");
      bench_canaries_stop ();
      /* Nothing they saw counts: the reports say nothing of frozen time. */
      g_clear_pointer (&canaries.frozen, g_array_unref);
      return FALSE;
    }

  printf ("vCPU canaries: one per CPU (%ld), pinned, SCHED_FIFO %d, waking every 1 ms\n",
          n_cpus, sched_get_priority_max (SCHED_FIFO));
  return TRUE;
}

void
bench_canaries_stop (void)
{
  if (canaries.threads == NULL)
    return;

  g_atomic_int_set (&canaries.stop, 1);
  for (guint i = 0; i < canaries.threads->len; i++)
    g_thread_join (g_ptr_array_index (canaries.threads, i));
  g_clear_pointer (&canaries.threads, g_ptr_array_unref);
}

/* How long the most frozen CPU was frozen between @start and @end. Not
 * only the loop's own CPU: the loop also waits on what runs elsewhere (the
 * X server answering a request, the store's writer), which a frozen CPU
 * holds up just the same. */
static double
frozen_ms_between (gint64 start,
                   gint64 end)
{
  long n_cpus = sysconf (_SC_NPROCESSORS_ONLN);
  gint64 most = 0;

  if (canaries.frozen == NULL)
    return 0;

  g_mutex_lock (&canaries.lock);
  for (long cpu = 0; cpu < n_cpus; cpu++)
    {
      gint64 frozen = 0;

      for (guint i = 0; i < canaries.frozen->len; i++)
        {
          Frozen *f = &g_array_index (canaries.frozen, Frozen, i);

          if (f->cpu == cpu && f->end > start && f->start < end)
            frozen += MIN (f->end, end) - MAX (f->start, start);
        }
      most = MAX (most, frozen);
    }
  g_mutex_unlock (&canaries.lock);

  return most / 1000.0;
}

/* The ticker */

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
        .wall_ms = MAX ((now - ticker->last_tick) / 1000.0 - 1.0, 0.0),
        .cpu_ms = (cpu - ticker->last_cpu) / 1000.0,
        .end = now,
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

/* Done once the ticks are in: a canary records a freeze only when its
 * CPU runs again, at about the same moment as the loop. */
static void
add_frozen_times (BenchTicker *ticker)
{
  for (guint i = 0; i < ticker->stalls->len; i++)
    {
      BenchStall *stall = &g_array_index (ticker->stalls, BenchStall, i);
      gint64 start = stall->end - (gint64)((stall->wall_ms + 1.0) * 1000);

      if (stall->wall_ms >= 1.0)
        stall->frozen_ms = MIN (frozen_ms_between (start, stall->end), stall->wall_ms);
    }
}

void
bench_ticker_stop (BenchTicker *ticker)
{
  if (ticker->source == 0)
    return;
  g_clear_handle_id (&ticker->source, g_source_remove);
  add_frozen_times (ticker);
}

void
bench_ticker_free (BenchTicker *ticker)
{
  bench_ticker_stop (ticker);
  g_array_unref (ticker->stalls);
  g_free (ticker);
}

/* The longest stall, its frozen time taken out when @own. */
static BenchStall
longest_stall (BenchTicker *ticker,
               gboolean     own)
{
  BenchStall longest = { 0, };

  for (guint i = 0; i < ticker->stalls->len; i++)
    {
      BenchStall *stall = &g_array_index (ticker->stalls, BenchStall, i);

      if (stall->wall_ms - (own ? stall->frozen_ms : 0) > longest.wall_ms - (own ? longest.frozen_ms : 0))
        longest = *stall;
    }
  return longest;
}

BenchStall
bench_ticker_longest (BenchTicker *ticker)
{
  return longest_stall (ticker, FALSE);
}

BenchStall
bench_ticker_longest_own (BenchTicker *ticker)
{
  return longest_stall (ticker, TRUE);
}

guint
bench_ticker_get_ticks (BenchTicker *ticker)
{
  return ticker->stalls->len;
}

/* The most main-thread CPU in one gap: what our own code held the loop. */
static double
busiest_ms (BenchTicker *ticker)
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
          longest.wall_ms, longest.cpu_ms, busiest_ms (ticker));
  if (canaries.frozen != NULL)
    {
      BenchStall own = bench_ticker_longest_own (ticker);
      guint own_over = 0;

      for (guint i = 0; i < ticker->stalls->len; i++)
        {
          BenchStall *stall = &g_array_index (ticker->stalls, BenchStall, i);

          own_over += stall->wall_ms - stall->frozen_ms >= target_ms;
        }
      printf ("  a CPU was frozen %.2f ms of the longest; with the time a CPU was frozen taken out: "
              "%u late by ≥ %.0f ms; longest = %.2f ms (a %.2f ms stall, main thread busy %.2f ms)\n",
              longest.frozen_ms, own_over, target_ms, own.wall_ms - own.frozen_ms, own.wall_ms, own.cpu_ms);
    }
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

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *)a;
  double db = *(const double *)b;

  return (da > db) - (da < db);
}

double
bench_percentile (GArray *values,
                  double  p)
{
  gsize rank;

  g_assert (values->len > 0);
  g_array_sort (values, compare_doubles);
  rank = (gsize)ceil (p / 100.0 * values->len);
  return g_array_index (values, double, MAX (rank, 1) - 1);
}
