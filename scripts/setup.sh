#!/usr/bin/env bash
# Quick start, step 1: install the dependencies, build routemap and render the
# default map (Kim Jong Un's train, Pyongyang -> Vladivostok) to map.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
./build/routemap render -o map.svg
echo "routemap: wrote map.svg ($(wc -c < map.svg) bytes); the binary is build/routemap"
