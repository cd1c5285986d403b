#!/bin/sh
# Regenerates every file in data/shapefiles/ from the inputs in this folder:
#   npm packages pinned in package.json / package-lock.json (world-atlas,
#   topojson-client, i18n-iso-countries) and the authored tables
#   rail_stations.csv, rail_lines.csv, places.csv, and (build_ne.sh) the
#   Natural Earth 1:10m railroads in NE_DIR.
# Needs: node + npm, gcc, pkg-config, libshp-dev, libjansson-dev, gdal-bin (ogr2ogr).
# The output is byte-identical on every run (no dates, stable order).
# Usage: sh data/sources/build.sh            (from anywhere)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../shapefiles"
box="60 -15 180 75"   # lon/lat clip box: a wide margin around 90E-150E, 5S-60N

cd "$here"
if [ ! -d node_modules/world-atlas ] || [ ! -d node_modules/topojson-client ] || \
   [ ! -d node_modules/i18n-iso-countries ]; then
    npm ci --no-audit --no-fund
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
gcc -std=c11 -O2 -Wall -Wextra -o "$tmp/geojson2shp" geojson2shp.c \
    $(pkg-config --cflags --libs shapelib jansson) -lm

# 1. Natural Earth 10m TopoJSON -> GeoJSON (countries, borders, coastline, land)
node topo2geojson.js "$tmp" $box
# 2. make polygons valid (quantised TopoJSON has a few self-intersections),
#    then clip every layer to the box
for l in countries land; do
    ogr2ogr -f GeoJSON -makevalid "$tmp/${l}_valid.geojson" "$tmp/$l.geojson"
    ogr2ogr -f GeoJSON -clipsrc $box "$tmp/${l}_clip.geojson" "$tmp/${l}_valid.geojson"
done
for l in borders coastline; do
    ogr2ogr -f GeoJSON -clipsrc $box "$tmp/${l}_clip.geojson" "$tmp/$l.geojson"
done
# 3. authored layers
node build_rail.js "$tmp/rail.geojson"
node build_places.js "$tmp/places.geojson"
# 4. check: rail vertices and places on land, in their country
node check_points.js "$tmp/countries_clip.geojson" "$tmp/rail.geojson" "$tmp/places.geojson"

# 5. write the shapefiles
mkdir -p "$out"
g="$tmp/geojson2shp"
"$g" "$tmp/countries_clip.geojson" "$out/countries" polygon NAME:C ISO_A3:C
"$g" "$tmp/land_clip.geojson" "$out/land" polygon
"$g" "$tmp/borders_clip.geojson" "$out/borders" line ISO_A3_1:C ISO_A3_2:C
"$g" "$tmp/coastline_clip.geojson" "$out/coastline" line
"$g" "$tmp/places.geojson" "$out/places" point NAME:C ALIASES:C COUNTRY:C KIND:C
# 6. the Natural Earth rail layers (rail.shp: NE merged with the authored lines)
sh "$here/build_ne.sh"
