#!/usr/bin/env bash
# Quick start, step 2 (and CI): install the dependencies, then build and run the
# whole test suite twice — a -Werror build, and an ASan+UBSan build — plus the
# format check and a short fuzzing run of every fuzz target. The sanitizer
# run comes last, so that ctest's summary closes the output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

echo "== every command the tests and scripts run is installed by scripts/deps.sh"
python3 scripts/check_deps.py
jobs=$(nproc)

echo "== clang-format check"
clang-format --dry-run --Werror $(git ls-files 'src/*.c' 'src/*.h' 'src/cli/*.c' 'src/cli/*.h' 'include/*.h' 'include/routemap/*.h' 'tests/*.c' 'tests/*.h' 'tests/fuzz/*.c' 'tests/fuzz/*.h' 'tests/util/*.c' 'bench/*.c' 'examples/*.c' 'data/sources/*.c')

echo "== build (-Wall -Wextra -Werror) and test"
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTEMAP_WERROR=ON >/dev/null
cmake --build build-ci -j"$jobs"
ctest --test-dir build-ci --output-on-failure -j"$jobs"

if [ -x scripts/fuzz.sh ] && [ "${ROUTEMAP_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzzing (${ROUTEMAP_FUZZ_SECONDS:-60} s per target)"
  scripts/fuzz.sh "${ROUTEMAP_FUZZ_SECONDS:-60}"
fi

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer and test"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DROUTEMAP_WERROR=ON -DROUTEMAP_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

