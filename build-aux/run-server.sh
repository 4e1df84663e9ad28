#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Cinnabar needs, builds it in ./build and starts
# cinnabar-server with the demo platform: an account (demo / cinnabar-demo)
# with 300 published notes, products and 90 days of numbers, kept in
# ./demo-server (made the first time). Arguments are passed on to
# cinnabar-server, for example --port 0 or --listen 0.0.0.0.
#
#   bash build-aux/run-server.sh
#
# BUILDDIR=other-dir picks another build folder; DEMO_DIR another data dir.
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${BUILDDIR:-build}"
demo_dir="${DEMO_DIR:-$srcdir/demo-server}"
cd "$srcdir"

bash build-aux/install-deps.sh

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir"
fi
ninja -C "$builddir" src/server/cinnabar-server

echo "run-server.sh: the demo account is demo / cinnabar-demo; data in $demo_dir" >&2
exec meson devenv -C "$builddir" ./src/server/cinnabar-server --demo "$demo_dir" "$@"
