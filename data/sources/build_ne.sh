#!/bin/sh
# Regenerates the Natural Earth layers of data/shapefiles/ from the Natural
# Earth 1:10m files (public domain) and the authored rail tables:
#   rail.shp              NE railroads in the map region (90E-150E, 5S-60N),
#                         split by country, named and gauged from the
#                         authored lines where they run along them, merged
#                         with the authored lines NE lacks (merge_rail.js)
#   world_places.shp      NE populated places (whole world): the gazetteer
#                         beyond the authored places.shp
#   ne_rail_far_east.shp  NE railroads as they are, lon 129-137E, lat 42-50N
#                         (Primorye and Khabarovsk: examples/ne-route.json)
# NE_DIR is the folder holding ne_10m_railroads.shp and the other NE
# layers (default: ../shared/data/global next to the repository).
# Needs: node, gcc, pkg-config, libshp-dev, libjansson-dev. No network.
# The output is byte-identical on every run.
# Usage: sh data/sources/build_ne.sh   (from anywhere; build.sh runs it too)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../shapefiles"
ne="${NE_DIR:-$here/../../../shared/data/global}"
[ -f "$ne/ne_10m_railroads.shp" ] || { echo "build_ne.sh: no ne_10m_railroads.shp in $ne (set NE_DIR)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for t in shpclip geojson2shp; do
    gcc -std=c11 -O2 -Wall -Wextra -o "$tmp/$t" "$here/$t.c" \
        $(pkg-config --cflags --libs shapelib jansson) -lm
done
clip="$tmp/shpclip"
g="$tmp/geojson2shp"
nefields="scalerank featurecla mult_track electric category"

# 1. rail: NE in the map region merged with the authored lines
"$clip" "$ne/ne_10m_railroads.shp" "$tmp/ne_rail.geojson" 90 -5 150 60 $nefields
"$clip" "$out/countries.shp" "$tmp/countries.geojson" 90 -5 150 60 NAME ISO_A3
node "$here/build_rail.js" "$tmp/authored.geojson"
node "$here/merge_rail.js" "$tmp/ne_rail.geojson" "$tmp/authored.geojson" \
    "$tmp/countries.geojson" "$tmp/rail.geojson"
"$g" "$tmp/rail.geojson" "$out/rail" line NAME:C COUNTRY:C GAUGE_MM:N CLASS:N NOTE:C SOURCE:C

# 2. the small NE clip of examples/ne-route.json, NE fields as they are
"$clip" "$ne/ne_10m_railroads.shp" "$tmp/far_east.geojson" 129 42 137 50 $nefields
"$g" "$tmp/far_east.geojson" "$out/ne_rail_far_east" line scalerank:N featurecla:C \
    mult_track:N electric:N category:N

# 3. the world gazetteer: NE populated places, the columns the gazetteer reads
"$clip" "$ne/ne_10m_populated_places.shp" "$tmp/pp.geojson" -180 -90 180 90 \
    NAME NAMEASCII NAME_EN ADM0_A3 FEATURECLA POP_MAX
node "$here/world_places.js" "$tmp/pp.geojson" "$tmp/world_places.geojson"
"$g" "$tmp/world_places.geojson" "$out/world_places" point NAME:C ALIASES:C COUNTRY:C KIND:C POP:N
