#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what Cinnabar needs, builds it and runs every test (all suites but
# 'bench') on a headless X server with a private session bus.
#
#   bash build-aux/test.sh [BUILDDIR] [MESON-SETUP-OPTION…]
#
#   bash build-aux/test.sh                                # ./build
#   bash build-aux/test.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false
#
# BUILDDIR defaults to $BUILDDIR, else "build". Setup options given for an
# existing build dir are applied with `meson setup --reconfigure`.
# MESON_TEST_ARGS adds options to `meson test` (e.g. --timeout-multiplier 3).
#
# The last lines are the counts, for people and for .ci/run:
#   CINNABAR_TEST_SUMMARY passed=N failed=N skipped=N
#   N passed, N failed, N skipped
# passed = OK + EXPECTEDFAIL; failed = FAIL + UNEXPECTEDPASS + TIMEOUT + ERROR
# (a failed setup or build counts as one failure). If CIN_SUMMARY_FILE is set,
# the first of those lines is also written there. The exit status is 0 only
# when nothing failed.
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${BUILDDIR:-build}"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  builddir="$1"
  shift
fi
setup_options=("$@")
read -r -a test_options <<<"${MESON_TEST_ARGS:-}"
cd "$srcdir"

summary() {
  local passed=$1 failed=$2 skipped=$3
  local line="CINNABAR_TEST_SUMMARY passed=$passed failed=$failed skipped=$skipped"
  echo "$line"
  if [ -n "${CIN_SUMMARY_FILE:-}" ]; then
    echo "$line" >"$CIN_SUMMARY_FILE"
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
}

bash build-aux/install-deps.sh

if [ -f "$builddir/meson-private/coredata.dat" ]; then
  if [ ${#setup_options[@]} -gt 0 ]; then
    setup=(meson setup --reconfigure "$builddir" "${setup_options[@]}")
  else
    setup=()
  fi
else
  setup=(meson setup "$builddir" "${setup_options[@]}")
fi
if [ ${#setup[@]} -gt 0 ] && ! "${setup[@]}"; then
  echo "test.sh: meson setup failed" >&2
  summary 0 1 0
  exit 1
fi

if ! ninja -C "$builddir"; then
  echo "test.sh: the build failed" >&2
  summary 0 1 0
  exit 1
fi

testlog="$builddir/meson-logs/testlog.json"
rm -f "$testlog"
status=0
xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- \
  meson test -C "$builddir" --print-errorlogs --no-suite bench "${test_options[@]}" \
  || status=$?

counts="$(python3 - "$testlog" <<'PY'
import json, sys
passed = failed = skipped = 0
failures = []
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            test = json.loads(line)
            result = test.get("result")
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif result == "SKIP":
                skipped += 1
            else:  # FAIL, UNEXPECTEDPASS, TIMEOUT, ERROR, or anything new
                failed += 1
                failures.append(f"{test.get('name')}: {result}")
except FileNotFoundError:
    pass
for failure in failures:
    print(f"test.sh: failed: {failure}", file=sys.stderr)
print(passed, failed, skipped)
PY
)"
read -r passed failed skipped <<<"$counts"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # meson test itself went wrong (no log, or a failure the log does not show).
  echo "test.sh: meson test exited with status $status" >&2
  failed=1
fi
summary "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
