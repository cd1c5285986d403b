#!/usr/bin/env bash
# Maps of the user's own data (issue 20), read back from the PDF's text and
# the georef dump: a map of layers only is framed on its data; the footer
# credits only what is drawn (a layer's own attribution; Natural Earth only
# when its shipped layers are drawn; the spec's attribution overrides); a
# route on a road network says "by road" (from the file name, the spec's
# mode or --mode).
# Args: CLI path, source dir, shared data dir (unused).
set -u
RM=$1
SRC=$(cd "$2" && pwd)
command -v pdftotext >/dev/null || { echo "no pdftotext"; exit 77; }
T=$(mktemp -d /tmp/rm_e2e_userdata.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
text() { pdftotext "$1" - 2>/dev/null | tr '\n' ' '; }

# a Mexico-like polygon, no routes, no markers
cat >mx.geojson <<'J'
{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "mx"},
 "geometry": {"type": "Polygon", "coordinates": [[[-117, 32.5], [-86.7, 21.2], [-92, 14.5], [-105, 18], [-117, 32.5]]]}}]}
J
printf '{"layers": [{"file": "%s/mx.geojson", "attribution": "INEGI (test)"}]}' "$T" >mx.json
if "$RM" render mx.json -o mx.pdf --georef mx.geo >/dev/null 2>err.txt; then
    python3 - mx.geo <<'PY' && pass "a layers-only map is framed on its data (LCC on Mexico's latitudes, frame < 5000 km wide)" || bad "layers-only framing: $(head -c 300 mx.geo)"
import json, re, sys
g = json.load(open(sys.argv[1]))
crs = g["crs"]
lat1 = float(re.search(r"\+lat_1=([-0-9.]+)", crs).group(1))
lat2 = float(re.search(r"\+lat_2=([-0-9.]+)", crs).group(1))
lon0 = float(re.search(r"\+lon_0=([-0-9.]+)", crs).group(1))
f = g["frame"]
assert 14 <= lat1 < lat2 <= 33 and -117 < lon0 < -86, crs
assert f[2] - f[0] < 5e6 and f[3] - f[1] < 5e6, f
PY
    t=$(text mx.pdf)
    case $t in *"Data: INEGI (test)"*) pass "the footer credits the layer's attribution" ;; *) bad "footer: $t" ;; esac
    case $t in *"Natural Earth"*) bad "Natural Earth credited though none of it is drawn: $t" ;; *) pass "no Natural Earth credit when none of it is drawn" ;; esac
else bad "render mx.json: $(cat err.txt)"; fi

# the shipped land under the user's layer: both credited
printf '{"layers": [{"file": "land.shp"}, {"file": "%s/mx.geojson", "attribution": "INEGI (test)"}]}' "$T" >mx2.json
"$RM" render mx2.json -o mx2.pdf >/dev/null 2>err.txt || bad "render mx2.json: $(cat err.txt)"
t=$(text mx2.pdf)
case $t in *"Data: Natural Earth (via world-atlas) · INEGI (test)"*) pass "shipped land + a layer: both credited" ;; *) bad "footer with land: $t" ;; esac
# the map's attribution key overrides
printf '{"attribution": "Mine only", "layers": [{"file": "land.shp"}, {"file": "%s/mx.geojson", "attribution": "INEGI"}]}' "$T" >mx3.json
"$RM" render mx3.json -o mx3.pdf >/dev/null 2>err.txt || bad "render mx3.json: $(cat err.txt)"
t=$(text mx3.pdf)
case $t in *"Mine only"*) case $t in *INEGI*) bad "attribution key did not override: $t" ;; *) pass "the spec's attribution overrides the credits" ;; esac ;; *) bad "footer override: $t" ;; esac

# a road network: two roads meeting at a junction
cat >roads.geojson <<'J'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"NAME": "Carretera 1"}, "geometry": {"type": "LineString", "coordinates": [[-99.13, 19.43], [-98.2, 19.04]]}},
 {"type": "Feature", "properties": {"NAME": "Carretera 2"}, "geometry": {"type": "LineString", "coordinates": [[-98.2, 19.04], [-96.13, 19.2]]}}]}
J
printf '{"routes": [{"from": "-99.13,19.43", "to": "-96.13,19.2", "rail": "%s/roads.geojson"}], "attribution": "t"}' "$T" >road.json
if "$RM" render road.json -o road.pdf >/dev/null 2>err.txt; then
    t=$(text road.pdf)
    case $t in *"km by road"*) pass "a route on roads.geojson says 'by road'" ;; *) bad "road route label: $t" ;; esac
    case $t in *"by rail"*) bad "a road route says 'by rail': $t" ;; *) pass "and never 'by rail'" ;; esac
    case $t in *"Road route"*) pass "its legend says 'Road route'" ;; *) bad "road legend: $t" ;; esac
else bad "render road.json: $(cat err.txt)"; fi
# --mode and the spec's mode
"$RM" render road.json --mode walk -o walk.pdf >/dev/null 2>err.txt && case $(text walk.pdf) in *"km on foot"*) pass "--mode walk: 'on foot'" ;; *) bad "--mode walk: $(text walk.pdf)" ;; esac || bad "--mode walk: $(cat err.txt)"
sed 's/"rail":/"mode": "river", "rail":/' road.json >river.json
"$RM" render river.json -o river.pdf >/dev/null 2>err.txt && case $(text river.pdf) in *"km by river"*) pass "the spec's mode: 'by river'" ;; *) bad "spec mode: $(text river.pdf)" ;; esac || bad "river: $(cat err.txt)"
sed 's/"rail":/"mode": "roads", "rail":/' road.json >bad.json
"$RM" render bad.json -o bad.pdf >/dev/null 2>err.txt; rc=$?
[ $rc -eq 2 ] && grep -q "did you mean 'road'" err.txt && pass "an unknown mode is refused with the closest" || bad "bad mode rc=$rc: $(cat err.txt)"
"$RM" route --rail roads.geojson -99.13,19.43 -96.13,19.2 >route.txt 2>err.txt \
    && grep -q "km by road" route.txt && pass "route on roads.geojson reports 'by road'" || bad "route report: $(cat route.txt err.txt)"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
