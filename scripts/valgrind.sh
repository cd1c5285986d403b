#!/usr/bin/env bash
# valgrind memcheck on the default map render and on the unit tests.
#
#   scripts/valgrind.sh [BUILD_DIR] [TEST_REGEX]
#
# BUILD_DIR (default build-valgrind) is configured without sanitizers
# (valgrind and ASan do not mix) and built. Then, each under memcheck:
#   1. `routemap render -o OUT.svg` (the built-in default map),
#   2. every test program of ctest (tests/test_*), or those matching TEST_REGEX.
# A run fails on any memcheck error (invalid read/write, use of
# uninitialised values, invalid free) or a definite leak; "still reachable"
# and "possibly lost" blocks (fontconfig, pango and glib caches) are not
# errors. scripts/valgrind.supp holds the few suppressions of library noise,
# each with its reason. Exit 0 when everything is clean, 1 otherwise.
#
# ROUTEMAP_VALGRIND_CHILDREN=1 also follows the CLI when a test runs it
# (--trace-children): slower, but it covers the end-to-end paths.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
build=${1:-build-valgrind}
filter=${2:-}

if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind.sh: valgrind not found (apt-get install valgrind)" >&2
  exit 2
fi

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTEMAP_SANITIZE=OFF >/dev/null || exit 2
if ! cmake --build "$build" -j"$(nproc)" >"$build.build.log" 2>&1; then
  # Run what did build (a test that does not compile is not a memcheck result).
  echo "valgrind.sh: the build had errors (see $build.build.log); checking what was built" >&2
  [ -x "$build/routemap" ] || exit 2
fi
build=$(cd "$build" && pwd)
logs="$build/valgrind"
rm -rf "$logs"
mkdir -p "$logs"

vg=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
  --show-leak-kinds=definite --errors-for-leak-kinds=definite
  --num-callers=30 --suppressions="$src/scripts/valgrind.supp")
if [ "${ROUTEMAP_VALGRIND_CHILDREN:-0}" = 1 ]; then
  vg+=(--trace-children=yes --trace-children-skip='*/sh,*/bash,*/rsvg-convert,*/pdftoppm,*/python3*')
fi

export ROUTEMAP_DATA="$src/data/shapefiles"
export RM_CLI="$build/routemap"
# glib's slice allocator hides frees from valgrind.
export G_SLICE=always-malloc G_DEBUG=gc-friendly

pass=0
fail=0
failed=()
run() { # name, working directory, command...
  local name=$1 dir=$2
  shift 2
  local log="$logs/$name.%p.log"
  local t0=$(date +%s)
  (cd "$dir" && exec "${vg[@]}" --log-file="$log" "$@") >"$logs/$name.out" 2>&1
  local rc=$?
  log="$logs/$name.*.log"
  local secs=$(($(date +%s) - t0))
  local errs
  errs=$(cat $log | grep -h 'ERROR SUMMARY' | awk '{s += $4} END {print s + 0}')
  if [ "$rc" = 99 ] || [ "$errs" != 0 ]; then
    fail=$((fail + 1))
    failed+=("$name")
    echo "FAIL $name: $errs memcheck errors (${secs} s, log $log)"
    if grep -q -E '^\[  FAILED  \]' "$logs/$name.out"; then
      echo "     note: the test itself failed ($logs/$name.out); leaks on a failed assertion's path are expected"
    fi
    cat $log | grep -h -A12 -E '^==[0-9]+== (Invalid|Conditional|Use of|Mismatched|Source and|[0-9,]+ bytes in [0-9,]+ blocks are definitely)' |
      head -40
  elif [ "$rc" != 0 ]; then
    fail=$((fail + 1))
    failed+=("$name")
    echo "FAIL $name: exit $rc without memcheck errors (${secs} s; output $logs/$name.out)"
    tail -5 "$logs/$name.out"
  else
    pass=$((pass + 1))
    echo "ok   $name (${secs} s)"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$filter" ] || [[ "default-map" =~ $filter ]]; then
  run default-map "$tmp" "$build/routemap" render -o "$tmp/map.svg"
  if [ ! -s "$tmp/map.svg" ]; then
    echo "FAIL default-map: no map written"
    fail=$((fail + 1))
    failed+=("default-map(output)")
  fi
fi

for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  if [ -n "$filter" ] && ! [[ $name =~ $filter ]]; then continue; fi
  run "$name" "$build/tests" "$t"
done

echo "$pass clean, $fail failed"
if [ "$fail" -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
exit 0
