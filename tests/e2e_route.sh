#!/usr/bin/env bash
# End-to-end tests of 'routemap route': output, exit codes, one-line errors,
# GeoJSON (valid, atomic, never written on failure), negative lon,lat.
#
#   tests/e2e_route.sh CLI SOURCE_DIR [SHARED_DATA_DIR]
#
# Uses the shipped data/shapefiles (rail.shp, places.shp) and, when present,
# the Natural Earth railroads in SHARED_DATA_DIR/global. Exit 77 = skip.
set -u
RM=${1:?usage: e2e_route.sh CLI SOURCE_DIR [SHARED_DATA_DIR]}
SRC=${2:?usage}
SHARED=${3:-}
case $RM in /*) ;; *) RM=$PWD/$RM ;; esac
case $SRC in /*) ;; *) SRC=$PWD/$SRC ;; esac
DATA=$SRC/data/shapefiles
NE=$SHARED/global/ne_10m_railroads.shp
NE_REGION=$SHARED/region/ne_10m_railroads.shp
if [ ! -r "$DATA/rail.shp" ] || [ ! -r "$DATA/places.shp" ]; then
    echo "e2e_route: no shipped rail/places data, skipping"
    exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/rm-e2e-route.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }

# run NAME EXPECTED_EXIT CMD...: stdout in out.txt, stderr in err.txt
run() {
    local name=$1 want=$2
    shift 2
    "$@" >out.txt 2>err.txt
    local rc=$?
    if [ "$rc" -eq "$want" ]; then pass "$name (exit $rc)"; else
        fail "$name: exit $rc, expected $want"
        sed 's/^/    stderr: /' err.txt | head -5
    fi
}
contains() { if grep -q -- "$2" "$1"; then pass "$3"; else fail "$3: '$2' not in $1"; head -20 "$1" | sed 's/^/    /'; fi; }
one_line_error() {
    local n
    n=$(wc -l <err.txt)
    if [ "$n" -eq 1 ] && grep -q '^routemap: ' err.txt; then pass "$1: one-line error"; else
        fail "$1: stderr has $n lines"
        sed 's/^/    /' err.txt | head -5
    fi
}
valid_feature() {
    if python3 - "$1" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
assert f["type"] == "Feature", f["type"]
g = f["geometry"]
assert g["type"] == "LineString" and len(g["coordinates"]) >= 2
for lon, lat in g["coordinates"]:
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert round(lon, 6) == lon and round(lat, 6) == lat
p = f["properties"]
assert p["length_km"] > 0 and isinstance(p["lines"], list) and "countries" in p and "gaps" in p
PY
    then pass "$2: valid GeoJSON Feature"; else fail "$2: not a valid GeoJSON Feature"; fi
}

export ROUTEMAP_DATA=$DATA

run "route --help" 0 "$RM" route --help
for opt in --via --rail --places --data-dir --max-gap --snap-m --max-snap --geojson; do
    contains out.txt -- "$opt" "help describes $opt"
done

run "Pyongyang to Vladivostok (shipped data)" 0 "$RM" route Pyongyang Vladivostok
contains out.txt "km by rail" "report has the total"
contains out.txt "Tumangang-Khasan" "report names the border line"
contains out.txt "countries: PRK, RUS" "report lists the countries"
contains out.txt "bridged gaps: 0" "report lists the bridged gaps"

run "case and accents do not matter" 0 "$RM" route PYONGYANG "vladivostok"
run "a via point" 0 "$RM" route Pyongyang Beijing --via Dandong
contains out.txt "via" "report shows the via point"

run "GeoJSON to a file" 0 "$RM" route Pyongyang Vladivostok --geojson route.geojson
valid_feature route.geojson "route.geojson"
run "GeoJSON to stdout" 0 "$RM" route Pyongyang Vladivostok --geojson -
valid_feature out.txt "stdout GeoJSON"
contains err.txt "km by rail" "report goes to stderr with --geojson -"

run "unknown place" 2 "$RM" route Pyongyng Vladivostok
one_line_error "unknown place"
contains err.txt "Pyongyang" "unknown place suggests the closest name"
run "missing TO" 2 "$RM" route Pyongyang
one_line_error "missing TO"
run "bad --max-gap" 2 "$RM" route Pyongyang Vladivostok --max-gap abc
one_line_error "bad --max-gap"
run "bad lon,lat" 2 "$RM" route 200,40 Vladivostok
one_line_error "bad lon,lat"
run "unknown option" 2 "$RM" route Pyongyang Vladivostok --bogus
one_line_error "unknown option"
run "missing rail file" 2 "$RM" route Pyongyang Vladivostok --rail "$T/none.shp"
one_line_error "missing rail file"

# a place too far from the network: exit 1, the distance is named; the
# GeoJSON is not written and an existing file is left as it was
echo keep >kept.geojson
run "too far from the network" 1 "$RM" route Pyongyang 150,10 --geojson kept.geojson
one_line_error "too far from the network"
contains err.txt "km from the nearest rail line" "too far: the distance is named"
if [ "$(cat kept.geojson)" = keep ]; then pass "existing GeoJSON untouched on failure"; else
    fail "existing GeoJSON was replaced on failure"; fi
run "GeoJSON into a missing directory" 2 "$RM" route Pyongyang Vladivostok --geojson "$T/no/dir/r.json"
one_line_error "GeoJSON into a missing directory"
if [ ! -e "$T/no" ]; then pass "nothing created for a missing directory"; else fail "a directory was created"; fi

if [ -r "$NE" ] && [ -r "$NE_REGION" ]; then
    run "Natural Earth: Pyongyang to Vladivostok" 0 "$RM" route Pyongyang Vladivostok --rail "$NE_REGION"
    contains out.txt "bridged gaps: 1" "Natural Earth: the Tumen gap is bridged"
    contains out.txt "(bridged gap)" "Natural Earth: the gap is a leg"
    run "Natural Earth: no bridging" 0 "$RM" route Pyongyang Vladivostok --rail "$NE_REGION" --max-gap 0
    contains out.txt "bridged gaps: 0" "Natural Earth: --max-gap 0 bridges nothing"
    # negative literals are places, not options
    run "Natural Earth: no path between continents" 1 "$RM" route 125.75,39.03 -74.0,40.75 --rail "$NE"
    one_line_error "no path between continents"
    contains err.txt "network part of" "no path: the parts are named"
    contains err.txt "come within" "no path: how close the parts come"
    run "Natural Earth: New York to Chicago" 0 "$RM" route -74.0,40.75 -87.63,41.88 --rail "$NE" --max-gap 0
    contains out.txt "km by rail" "negative lon,lat literals"
else
    echo "skip: no Natural Earth railroads at $NE"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
