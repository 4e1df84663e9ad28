#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds cinnabar-server's libFuzzer targets with clang, AddressSanitizer
# and UBSan (the server and core libraries instrumented too), and runs each
# for a bounded time from the seeds in tests/fuzz/, both at once:
#
#   fuzz-server-json     the JSON reader, the note codec and the rules
#   fuzz-server-request  raw HTTP requests to a whole server in process
#   fuzz-api-json        the API client's JSON reader, against json-glib
#   fuzz-api-changes     the change feed's fast reader, against json-glib
#
#   bash build-aux/fuzz.sh [BUILDDIR]        # default build-fuzz
#
# FUZZ_SECONDS sets each target's time (default 75). The corpus each run
# grows is kept in BUILDDIR/fuzz-corpus/ for the next run.
#
# A crash, sanitizer report, leak, hang (10 s an input) or use of more
# than 2 GiB fails its target, and the input is printed in base64. To
# reproduce: echo BASE64 | base64 -d > input && BUILDDIR/tests/DIR/TARGET input
#
# The last line counts the targets, for people and for .ci/run:
#   N passed, N failed
set -euo pipefail

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${1:-build-fuzz}"
seconds="${FUZZ_SECONDS:-75}"
cd "$srcdir"

# target name, then its seeds under tests/fuzz/
# tests/<dir>/<target>:<seeds under tests/fuzz/>
targets=(server/fuzz-server-json:json server/fuzz-server-request:request sync/fuzz-api-json:json
         sync/fuzz-api-changes:changes)

summary() {
  echo "$1 passed, $2 failed"
}

bash build-aux/install-deps.sh

if [ ! -f "$builddir/meson-private/coredata.dat" ] &&
   ! CC=clang meson setup "$builddir" --buildtype=debugoptimized \
       -Db_sanitize=address,undefined -Db_lundef=false \
       -Dc_args=-fsanitize=fuzzer-no-link; then
  echo "fuzz.sh: meson setup failed (is clang there?)" >&2
  summary 0 "${#targets[@]}"
  exit 1
fi

executables=()
for target in "${targets[@]}"; do
  executables+=("tests/${target%%:*}")
done
if ! ninja -C "$builddir" "${executables[@]}"; then
  echo "fuzz.sh: building the fuzz targets failed (clang and libclang-rt-14-dev?)" >&2
  summary 0 "${#targets[@]}"
  exit 1
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Leaks fail fuzz-server-json. fuzz-server-request runs without leak checks:
# libsoup 3.2 leaks the path of some malformed requests (fixed in 3.5.2,
# libsoup commit 450d43c4), and with Debian's GLib built without frame
# pointers LeakSanitizer's stacks end at g_malloc, so no suppression can
# name libsoup's frame (and slow unwinding makes the target ten times
# slower).
run_target() {
  local path=$1 seeds=$2 leaks=$3
  local name=${path##*/}
  local corpus="$builddir/fuzz-corpus/$name"
  local artifacts="$scratch/$name-artifacts/"
  local dict=()
  mkdir -p "$corpus" "$artifacts" "$scratch/$name-tmp"
  if [ -f "tests/fuzz/$seeds.dict" ]; then
    dict=("-dict=tests/fuzz/$seeds.dict")
  fi
  TMPDIR="$scratch/$name-tmp" \
  ASAN_OPTIONS="detect_leaks=$leaks:quarantine_size_mb=64" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$builddir/tests/$path" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -detect_leaks="$leaks" -print_final_stats=1 \
      -artifact_prefix="$artifacts" "${dict[@]}" \
      "$corpus" "tests/fuzz/$seeds" \
      >"$scratch/$name.log" 2>&1
}

pids=()
for target in "${targets[@]}"; do
  path=${target%%:*}
  name=${path##*/}
  seeds=${target#*:}
  leaks=1
  [ "$name" = fuzz-server-request ] && leaks=0
  echo "=== $name: ${seconds} s from tests/fuzz/$seeds ==="
  run_target "$path" "$seeds" "$leaks" &
  pids+=($!)
done

passed=0
failed=0
for i in "${!targets[@]}"; do
  name=${targets[$i]%%:*}
  name=${name##*/}
  status=0
  wait "${pids[$i]}" || status=$?
  runs="$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$scratch/$name.log" | grep -oE '[0-9]+$' || echo '?')"
  found=("$scratch/$name-artifacts/"*)
  if [ "$status" -eq 0 ] && [ ! -e "${found[0]}" ]; then
    echo "=== $name: passed, $runs inputs ==="
    passed=$((passed + 1))
    continue
  fi
  failed=$((failed + 1))
  echo "=== $name: FAILED (libFuzzer exited with $status after $runs inputs) ==="
  # What libFuzzer and the sanitizers said, without the progress lines.
  grep -vE '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)|^[[:space:]]+NEW_FUNC' "$scratch/$name.log" | tail -60
  for input in "${found[@]}"; do
    [ -e "$input" ] || continue
    echo "--- $name: $(basename "$input"), base64:"
    base64 -w0 "$input"
    echo
  done
done

summary "$passed" "$failed"
[ "$failed" -eq 0 ]
