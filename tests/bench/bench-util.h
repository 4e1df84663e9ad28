/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cin-store.h"
#include "server-test-util.h"

G_BEGIN_DECLS

/* What the benchmarks against cinnabar-server share; waiting on async
 * results, closing a store and removing a folder come from
 * tests/store/store-test-util.h. */

double    bench_ms_since         (gint64      start);
/* CPU time of this process, every thread, in ms. */
double    bench_process_cpu_ms   (void);
/* CPU time of @server's process so far, from /proc, in ms; 0 when it
 * can't be read. */
double    bench_server_cpu_ms    (TestServer *server);
/* Opens the store at @path, or aborts the benchmark. */
CinStore *bench_open_store       (const char *path);

G_END_DECLS
