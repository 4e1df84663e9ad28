/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The main loop's stalls, as a frame clock would see them: a 1 ms timer,
 * and any lateness beyond its millisecond is time the loop could not run.
 * Each gap also records how much CPU the main thread used in it, which
 * tells our own work apart from the machine running something else (a
 * virtual machine's vCPU descheduled shows as a long gap with next to no
 * CPU). Shared by the autosave, typing, import, publish and start-up
 * benchmarks. */

typedef struct {
  double wall_ms;   /* lateness beyond the 1 ms period */
  double cpu_ms;    /* main-thread CPU time spent in the gap */
  double frozen_ms; /* of @wall_ms, how long a CPU was itself not running
                     * (see bench_canaries_start) */
  gint64 end;       /* monotonic µs: when the loop ran again */
} BenchStall;

typedef struct _BenchTicker BenchTicker;

/* Starts the timer on the thread-default main context. */
BenchTicker *bench_ticker_start      (void);
/* Stops the timer; the stalls stay readable until the ticker is freed. */
void         bench_ticker_stop       (BenchTicker *ticker);
void         bench_ticker_free       (BenchTicker *ticker);
BenchStall   bench_ticker_longest    (BenchTicker *ticker);
guint        bench_ticker_get_ticks  (BenchTicker *ticker);
/* Prints one line: ticks, how many were late by @target_ms or more, the
 * 99.9th percentile, the longest and the longest busy gap. */
void         bench_ticker_report     (BenchTicker *ticker,
                                      const char  *what,
                                      double       target_ms);

/* The same timer on the loop with nothing else to do for @seconds: what
 * the machine's own scheduling costs. */
BenchTicker *bench_ticker_measure_idle (guint seconds);

/* A virtual machine's vCPU can be descheduled by its host for several
 * milliseconds, and the guest can't tell: no steal time is reported, and
 * the thread that was on it is charged the CPU time. A canary thread per
 * CPU, pinned to it at the highest real-time priority, wakes every
 * millisecond; when it wakes late, that CPU did not run at all. Each
 * ticker stall then records how much of it the most frozen CPU was
 * frozen: the loop's own, or the one running what it waited for. Returns FALSE (and the stalls say 0) when real-time
 * priority is not permitted, as a canary preempted by our own threads
 * would prove nothing. */
gboolean     bench_canaries_start    (void);
void         bench_canaries_stop     (void);
/* The longest stall once the frozen time is taken out of each: what the
 * program itself, and the guest's scheduling of it, held the loop. */
BenchStall   bench_ticker_longest_own (BenchTicker *ticker);

/* Runs at SCHED_FIFO when permitted, so other processes on the machine
 * don't show up as stalls; threads made after this inherit it. Prints
 * what it got. */
void         bench_try_realtime      (void);

/* The nearest-rank @p-th percentile of @values (doubles, sorted in
 * place); what every benchmark that times a series prints. */
double       bench_percentile        (GArray      *values,
                                      double       p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchTicker, bench_ticker_free)

G_END_DECLS
