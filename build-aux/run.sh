#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Cinnabar needs, builds it in ./build and starts it from the
# build tree. Arguments are passed on to cinnabar.
#
#   bash build-aux/run.sh
#
# BUILDDIR=other-dir picks another build folder.
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${BUILDDIR:-build}"
cd "$srcdir"

bash build-aux/install-deps.sh

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir"
fi
ninja -C "$builddir"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no display (DISPLAY and WAYLAND_DISPLAY are unset); Cinnabar needs a desktop session." >&2
  exit 1
fi

# `meson devenv` sets GSETTINGS_SCHEMA_DIR, CINNABAR_DATADIR and
# XDG_DATA_DIRS (see data/meson.build) and runs the command in the build dir.
exec meson devenv -C "$builddir" ./src/cinnabar "$@"
