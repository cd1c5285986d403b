#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined)
# and runs each one for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Targets: fuzz_shp fuzz_dbf fuzz_prj fuzz_spec fuzz_csv fuzz_geojson fuzz_render (default: all).
# The corpus each target grows is kept in $ROUTEMAP_FUZZ_BUILD/corpus/<target>
# (default build-fuzz/), so that runs add up; the seeds in
# tests/fuzz/seeds/<target>/ are read too. A crash leaves its input in
# $ROUTEMAP_FUZZ_BUILD/artifacts/ and makes the script exit 1.
#
# Running longer: give more seconds (`scripts/fuzz.sh 1800 fuzz_shp`), or run
# several workers on one target with ROUTEMAP_FUZZ_JOBS=N (libFuzzer -fork=N).
# Replaying a crash: build-fuzz/tests/fuzz/fuzz_shp build-fuzz/artifacts/crash-...
# docs/hardening.md has the details.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_shp fuzz_dbf fuzz_prj fuzz_spec fuzz_csv fuzz_geojson fuzz_render)
fi
build=${ROUTEMAP_FUZZ_BUILD:-build-fuzz}
mkdir -p "$build"
build=$(cd "$build" && pwd) # absolute: fuzz_spec works in a scratch directory
jobs=${ROUTEMAP_FUZZ_JOBS:-1}

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz.sh: clang not found (apt-get install clang)" >&2
  exit 2
fi

CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTEMAP_FUZZ=ON \
  -DROUTEMAP_SANITIZE=ON -DROUTEMAP_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null

# Seeds are regenerated from the corpus generator (deterministic), so they
# always follow its formats.
if command -v python3 >/dev/null 2>&1; then
  python3 tests/fuzz/make_seeds.py "$build/seeds" >/dev/null
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus" "$build/artifacts"
  dirs=("$corpus")
  [ -d "$src/tests/fuzz/seeds/$t" ] && dirs+=("$src/tests/fuzz/seeds/$t") # fuzz_render has none
  [ -d "$build/seeds/$t" ] && dirs+=("$build/seeds/$t")
  extra=()
  case "$t" in
    fuzz_spec)
      extra+=(-dict="$src/tests/fuzz/spec.dict" -max_len=16384)
      [ -d examples ] && dirs+=("$src/examples")
      ;;
    fuzz_shp) extra+=(-max_len=16384) ;;
    # choices, not a file: a few hundred bytes build a whole map, so long inputs from the start
    fuzz_render) extra+=(-max_len=4096 -len_control=0) ;;
    *) extra+=(-max_len=8192) ;;
  esac
  if [ "$jobs" -gt 1 ]; then extra+=(-fork="$jobs"); fi
  echo "== $t: $seconds s (corpus $corpus)"
  log="$build/$t.log"
  # every input must end within the timeout (wall clock): 20 s for a file; a whole map
  # is bounded by fuzz_render itself to 10 s of CPU (ROUTEMAP_FUZZ_CPU_LIMIT), which a
  # loaded machine does not inflate, with 120 s of wall clock as the hang guard
  timeout=20
  [ "$t" = fuzz_render ] && timeout=120
  if "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" "${extra[@]}" "${dirs[@]}" \
    >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' "$log" | tr '\n' ' '
    echo
    echo "   $(ls "$corpus" | wc -l) inputs in the corpus"
  else
    status=1
    echo "fuzz.sh: $t FAILED (log: $log):"
    grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$log" | head -20 || tail -30 "$log"
  fi
done
exit $status
