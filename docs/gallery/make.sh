#!/usr/bin/env bash
# Renders every image of docs/gallery.md with routemap.
# usage: docs/gallery/make.sh [path/to/routemap]   (default: build/routemap)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rm_bin="${1:-$here/../../build/routemap}"
cd "$here"
for theme in light dark print; do
    "$rm_bin" render --theme "$theme" -o "theme-$theme.png"
done
for preset in slide-16x9 slide-4x3 a4-landscape a4-portrait square; do
    "$rm_bin" render --preset "$preset" -o "preset-$preset.png"
done
"$rm_bin" render korea-detail.json -o korea-detail.png
"$rm_bin" render "$here/../../examples/kim-trips-2018-2023.json" --preset square -o trips-square.png
