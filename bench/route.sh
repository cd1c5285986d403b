#!/usr/bin/env bash
# Rail routing benchmark: runs route_bench RUNS times (a fresh process each
# time, so that peak memory is per run) and prints the median of each figure.
#
#   bench/route.sh [BUILD_DIR] [RAIL.shp] [RUNS]
#
# Defaults: build/, ../shared/data/global/ne_10m_railroads.shp, 7 runs.
# Budget (issue 4): load + graph build <= 400 ms, one query <= 20 ms,
# peak memory <= 150 MB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rail=${2:-$here/../../shared/data/global/ne_10m_railroads.shp}
runs=${3:-7}
bin=$build/bench/route_bench
if [ ! -x "$bin" ]; then
    echo "route.sh: $bin not found; build first: cmake --build $build --target route_bench" >&2
    exit 2
fi
if [ ! -r "$rail" ]; then
    echo "route.sh: $rail not found (Natural Earth railroads)" >&2
    exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$runs"); do
    "$bin" "$rail" >>"$out"
done
echo "route_bench on $rail, $runs runs (median; min..max):"
for key in load_ms build_ms load_build_ms load_build_cpu_ms query_ms peak_rss_mb; do
    sed -n "s/.*\b$key=\([0-9.]*\).*/\1/p" "$out" | sort -g |
        awk -v k="$key" '{v[NR]=$1} END {printf "  %-14s %8.1f  (%s..%s)\n", k, v[int((NR+1)/2)], v[1], v[NR]}'
done
tail -n 1 "$out" | tr ' ' '\n' | grep -E '^(nodes|edges|vertices|pyongyang_vladivostok_km)=' | sed 's/^/  /'
