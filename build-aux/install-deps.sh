#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs everything Cinnabar needs to build, run and test on Debian 12
# (or a later Debian/Ubuntu). Safe to run again: when every package is
# already installed it changes nothing and needs no network.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libsqlite3-dev sqlite3 libsecret-1-dev
  # cinnabar-server: yescrypt password hashes; its OpenAPI document is read
  # and its responses checked against it by the server tests
  libcrypt-dev python3-yaml python3-jsonschema
  # data checks
  appstream desktop-file-utils
  # media formats the app imports and plays (and the tests generate)
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # photos: JPEG decoded with libjpeg(-turbo), HEIC (and, with x265, encoded
  # by the tests) with libheif, WebP through GdkPixbuf, SHA-256 of imports
  # with nettle's SHA instructions
  libjpeg-dev libheif-dev webp-pixbuf-loader nettle-dev
  # tests: a headless display, a session bus, fonts and locales for CJK text,
  # and a keyring (tests/sync/test-secret.c starts gnome-keyring-daemon)
  xvfb xauth dbus dbus-x11 gnome-keyring fonts-noto-cjk fonts-noto-color-emoji locales-all python3
  nodejs $(command -v npm >/dev/null || echo npm)  # tests/tus (npm packages); NodeSource's nodejs bundles npm and conflicts with Debian's
  # fuzzing (build-aux/fuzz.sh): clang, and its runtime for libFuzzer and
  # the sanitizers
  clang libclang-rt-14-dev
  # benchmarks: the startup benchmark compares against gnome-text-editor
  # and watches for the first window with Xlib; wrk loads the server; curl
  # uploads the publish benchmark's baseline
  gnome-text-editor libx11-dev wrk curl
)

missing=()
for pkg in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install these with your package manager:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps: not root and no sudo; as root run:" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
}
# A fresh container has no package lists; an old one may have stale ones.
if ! apt_install; then
  "${as_root[@]}" apt-get update </dev/null
  apt_install
fi
