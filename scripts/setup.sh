#!/usr/bin/env bash
# Quick start, step 1: install the dependencies, build routemap and render the
# default map (Kim Jong Un's train, Pyongyang -> Vladivostok) to map.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
./build/routemap render -o map.svg
# The Python package (docs/python.md): `import routemap` for this user, through
# a routemap.pth in the user site-packages naming python/; the package loads
# build/libroutemap.so from beside it. (Or: pip install into a venv.)
site=$(python3 -m site --user-site)
mkdir -p "$site" && printf '%s\n' "$PWD/python" > "$site/routemap.pth"
echo "routemap: wrote map.svg ($(wc -c < map.svg) bytes); the binary is build/routemap"
