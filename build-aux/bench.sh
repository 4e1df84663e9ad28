#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Cinnabar needs, builds it (optimised) and runs the benchmarks
# under tests/bench on a headless X server. Each prints its ratios against the
# baseline its issue names, measured in the same run.
#
#   bash build-aux/bench.sh [BUILDDIR]      # default: build-bench
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${1:-build-bench}"
cd "$srcdir"

bash build-aux/install-deps.sh </dev/null
# The sync benchmarks (pull, publish) start cinnabar-server with the server
# tests' helpers, so the tests are built too.
options=(--buildtype=release -Dtests=true -Dbenchmarks=true)
if [ -d "$builddir" ]; then
  meson setup --reconfigure "$builddir" "${options[@]}" >/dev/null
else
  meson setup "$builddir" "${options[@]}"
fi
ninja -C "$builddir"

xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  meson test -C "$builddir" --benchmark --suite bench --verbose --timeout-multiplier 4
