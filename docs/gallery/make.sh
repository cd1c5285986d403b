#!/usr/bin/env bash
# Renders every image of docs/gallery.md with routemap.
# usage: docs/gallery/make.sh [path/to/routemap [NE_GLOBAL_DIR]]
#   (default: build/routemap; the map across 180 needs Natural Earth's global
#   1:10m files, e.g. ../shared/data/global beside the checkout, and is
#   skipped without them)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rm_bin="${1:-$here/../../build/routemap}"
ne_global="${2:-}"
cd "$here"
for theme in light dark print; do
    "$rm_bin" render --theme "$theme" -o "theme-$theme.png"
done
for preset in slide-16x9 slide-4x3 a4-landscape a4-portrait square thumbnail; do
    "$rm_bin" render --preset "$preset" -o "preset-$preset.png"
done
"$rm_bin" render korea-detail.json -o korea-detail.png
"$rm_bin" render "$here/../../examples/kim-trips-2018-2023.json" --preset square -o trips-square.png
"$rm_bin" render journeys.json --dpi 72 -o journeys.png
if [ -n "$ne_global" ] && [ -f "$ne_global/ne_10m_land.shp" ]; then
    "$rm_bin" render bering.json --data-dir "$ne_global" --dpi 72 -o bering.png
fi
