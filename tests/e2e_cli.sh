#!/usr/bin/env bash
# End-to-end tests of the routemap command line: every subcommand, its
# --help, its exit codes (0 ok, 1 the map could not be made, 2 bad usage or
# input), one-line errors, flags overriding the spec, output formats, stdout,
# and byte-identical output for identical inputs.
# Usage: e2e_cli.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
SHARED=${3:-}
export ROUTEMAP_DATA=${ROUTEMAP_DATA:-$SRC/data/shapefiles}
[ -x "$RM" ] || { echo "no binary $RM"; exit 77; }
[ -f "$ROUTEMAP_DATA/rail.shp" ] || { echo "no data in $ROUTEMAP_DATA"; exit 77; }
# the shapefile writer built with the tests (tests/util/rm_shpwrite.c)
SHPWRITE=${RM_SHPWRITE:-$(dirname "$RM")/tests/rm_shpwrite}

T=$(mktemp -d /tmp/rm_e2e_cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# run NAME EXPECTED_EXIT CMD... : runs CMD, stdout to out.txt, stderr to err.txt
run() {
    local name=$1 want=$2
    shift 2
    "$@" >out.txt 2>err.txt
    local got=$?
    if [ "$got" -eq "$want" ]; then pass "$name (exit $got)"; else
        bad "$name: exit $got, expected $want; stderr: $(head -c 400 err.txt)"; fi
}
# the error is exactly one line on stderr, starting with "routemap"
one_line_error() {
    local n
    n=$(wc -l <err.txt)
    if [ "$n" -eq 1 ] && grep -q '^routemap' err.txt; then pass "$1: one-line error: $(cat err.txt)"
    else bad "$1: expected one error line on stderr, got $n: $(head -c 400 err.txt)"; fi
}
contains() { # FILE TEXT NAME
    if grep -qF -- "$2" "$1"; then pass "$3"; else bad "$3: '$2' not in $1: $(head -c 300 "$1")"; fi
}
have_json_checker() { command -v python3 >/dev/null 2>&1; }
valid_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; }

# ---- top level -------------------------------------------------------------
run "routemap --help" 0 "$RM" --help
contains out.txt "render" "top help lists render"
for c in render route project places batch; do contains out.txt "$c" "top help lists $c"; done
run "routemap --version" 0 "$RM" --version
run "routemap (no command)" 2 "$RM"
run "routemap bogus" 2 "$RM" bogus
one_line_error "unknown command"

# ---- every subcommand: --help describes every option; a bad option is exit 2
check_help() { # CMD OPTIONS...
    local cmd=$1
    shift
    run "$cmd --help" 0 "$RM" "$cmd" --help
    for o in "$@"; do contains out.txt "$o" "$cmd --help describes $o"; done
    run "$cmd --no-such-option" 2 "$RM" "$cmd" --no-such-option
    one_line_error "$cmd --no-such-option"
}
check_help render --output --format --preset --size --dpi --theme --projection --extent --title \
    --data-dir --transparent --layout --georef --full-precision --verbose --help
check_help project --crs --long --data-dir --verbose --help
check_help places --json --data-dir --help
check_help batch --jobs --parallel --out-dir --format --quiet --help
run "route --help" 0 "$RM" route --help

# ---- render: usage and input errors (exit 2) ---------------------------------
run "render missing spec" 2 "$RM" render "$T/missing.json" -o m.svg
one_line_error "render missing spec"
contains err.txt "missing.json" "the error names the missing file"
[ ! -e m.svg ] && pass "no output for a missing spec" || bad "output written for a missing spec"
run "render -o without value" 2 "$RM" render -o
one_line_error "render -o without value"
run "render --format jpg" 2 "$RM" render --format jpg
run "render --size 10" 2 "$RM" render --size 10
run "render --size 30000x100" 2 "$RM" render --size 30000x100 -o big.png
one_line_error "render --size too big"
run "render --extent 1,2,3" 2 "$RM" render --extent 1,2,3
run "render --preset poster" 2 "$RM" render --preset poster
contains err.txt "unknown size preset 'poster'" "bad preset is named"
run "render --theme neon" 2 "$RM" render --theme neon
run "render two specs" 2 "$RM" render a.json b.json
printf '{\n  "title": "x",\n  "layers": [{"file": "land.shp", "stlye": {}}]\n}\n' >typo.json
run "render spec with a typo" 2 "$RM" render typo.json -o typo.svg
one_line_error "render spec with a typo"
contains err.txt "typo.json:3:35: layers[0].stlye: unknown key 'stlye' (did you mean 'style'?)" \
    "spec error names file:line:col, key path and suggestion"
run "render --projection garbage" 2 "$RM" render --projection '+proj=nonsense' -o p.svg
one_line_error "render with an invalid projection"
run "render a missing layer file" 2 "$RM" render --data-dir "$T" -o nodata.svg
one_line_error "render with a data dir lacking the layers"

printf '{"size": "300x200", "titel": "x"}' | "$RM" render - -o stdin.svg >out.txt 2>err.txt
[ $? -eq 2 ] && grep -q "stdin:1:21: titel: unknown key 'titel' (did you mean 'title'?)" err.txt \
    && pass "render - reads the spec from stdin; errors name stdin" || bad "render - with a typo: $(cat err.txt)"
printf '{"size": "300x200", "markers": [{"place": "Pyongyang"}]}' | "$RM" render - -o stdin.svg 2>err.txt \
    && [ -s stdin.svg ] && pass "render - renders a spec from stdin" || bad "render -: $(cat err.txt)"

# ---- render: a map that cannot be made (exit 1) --------------------------------
# two rail lines ~550 km apart: no route between their ends
"$SHPWRITE" split arc "0,0 1,0" "5,5 6,5" || bad "rm_shpwrite split"
cat >nopath.json <<JSON
{"routes": [{"from": "0,0", "to": "6,5", "rail": "$T/split.shp", "max_gap_km": 5}]}
JSON
run "render with no route" 1 "$RM" render nopath.json -o nopath.svg
one_line_error "render with no route"
[ ! -e nopath.svg ] && pass "no output when the map cannot be made" || bad "nopath.svg written"

# ---- render: the default map -----------------------------------------------------
run "render (default map)" 0 "$RM" render -o map.svg
if [ -s map.svg ] && head -c 200 map.svg | grep -q '<svg\|<?xml'; then pass "map.svg is SVG"; else bad "map.svg is not SVG"; fi
if command -v rsvg-convert >/dev/null; then
    rsvg-convert map.svg -o map_check.png 2>/dev/null && pass "rsvg-convert reads map.svg" || bad "rsvg-convert cannot read map.svg"
fi
run "render default again" 0 "$RM" render -o map2.svg
cmp -s map.svg map2.svg && pass "SVG output is byte-identical on a second run" || bad "SVG differs between runs"
run "render the default spec file" 0 "$RM" render "$SRC/examples/kim-train-2023.json" -o map3.svg
cmp -s map.svg map3.svg && pass "no spec = examples/kim-train-2023.json" || bad "built-in default differs from examples/kim-train-2023.json"

run "render -o - (stdout)" 0 "$RM" render -o -
cmp -s out.txt map.svg && pass "-o - writes the same SVG to stdout" || bad "stdout SVG differs from the file"
run "render -v" 0 "$RM" render -v --size 400x300 -o v.svg
contains err.txt "v.svg" "-v reports the output"

# ---- formats, sizes and flags overriding the spec ------------------------------
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
run "render --size 800x500 png" 0 "$RM" render --size 800x500 -o small.png
[ "$(head -c 8 small.png | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] && pass "small.png is a PNG" || bad "small.png is not PNG"
[ "$(png_size small.png)" = "800x500" ] && pass "--size 800x500 gives an 800x500 PNG" || bad "PNG is $(png_size small.png)"
run "render png again" 0 "$RM" render --size 800x500 -o small2.png
cmp -s small.png small2.png && pass "PNG output is byte-identical" || bad "PNG differs between runs"
run "render --preset square --format png (no extension)" 0 "$RM" render --preset square --format png -o sq.out
[ "$(png_size sq.out)" = "1200x1200" ] && pass "--preset square is 1200x1200" || bad "square is $(png_size sq.out)"
run "render --preset a4-landscape pdf" 0 "$RM" render --preset a4-landscape --dpi 48 -o a4.pdf
head -c 5 a4.pdf | grep -q '%PDF' && pass "a4.pdf is PDF" || bad "a4.pdf is not PDF"
if command -v pdfinfo >/dev/null; then
    pdfinfo a4.pdf | awk '/Page size/ {exit !($3 > 840 && $3 < 843 && $5 > 594 && $5 < 597)}' \
        && pass "a4-landscape PDF is 297x210 mm (842x595 pt)" || bad "a4 PDF size: $(pdfinfo a4.pdf | grep 'Page size')"
fi
# paper presets are millimetres at the spec's dpi: A4 at 48 dpi is 561x397 px
# (at 300 dpi 3508x2480), and its PDF is still 297x210 mm
run "render a4-landscape --dpi 48 png" 0 "$RM" render --preset a4-landscape --dpi 48 -o a4.png
[ "$(png_size a4.png)" = "561x397" ] && pass "A4 at 48 dpi is 561x397 px" || bad "A4 at 48 dpi PNG is $(png_size a4.png)"
if command -v pdfinfo >/dev/null; then
    run "render a4-landscape --dpi 48 pdf" 0 "$RM" render --preset a4-landscape --dpi 48 -o a4_48.pdf
    pdfinfo a4_48.pdf | awk '/Page size/ {exit !($3 > 840 && $3 < 843 && $5 > 594 && $5 < 597)}' \
        && pass "A4 PDF at 48 dpi is still 842x595 pt" || bad "a4 PDF at 48 dpi: $(pdfinfo a4_48.pdf | grep 'Page size')"
fi
run "render pdf again" 0 "$RM" render --preset a4-landscape --dpi 48 -o a4b.pdf
cmp -s a4.pdf a4b.pdf && pass "PDF output is byte-identical" || bad "PDF differs between runs"
run "render flags" 0 "$RM" render --theme dark --title "My own title" --transparent --dpi 120 \
    --projection EPSG:3857 --extent 110,20,140,50 --size 600x400 -o flags.svg
cmp -s flags.svg map.svg && bad "flags changed nothing" || pass "flags change the map"
if command -v pdftotext >/dev/null; then
    run "render --title (pdf)" 0 "$RM" render --title "My own title" --size 600x400 -o title.pdf
    pdftotext title.pdf title.txt
    contains title.txt "My own title" "--title overrides the spec's title"
    grep -q "train to Russia" title.txt && bad "the spec's title is still drawn" || pass "the spec's title is replaced"
    "$RM" render --size 600x400 -o deftitle.pdf 2>/dev/null && pdftotext deftitle.pdf deftitle.txt
    contains deftitle.txt "Kim Jong Un" "the default map has its title"
fi
run "render --georef --layout" 0 "$RM" render --georef geo.json --layout lay.json -o g.svg
[ -s geo.json ] && [ -s lay.json ] && pass "georef and layout files written" || bad "georef/layout missing"
contains lay.json '"text": "Vladivostok"' "the default map labels Vladivostok"
contains lay.json '"text": "Pyongyang"' "the default map labels Pyongyang"
cmp -s g.svg map.svg && pass "--georef/--layout do not change the map" || bad "--georef changes the SVG"
run "render --title '' " 0 "$RM" render --title '' --size 600x400 --layout lay2.json -o notitle.svg
grep -q '"kind": "title"' lay2.json && bad "--title '' still draws a title" || pass "--title '' removes the title"
if have_json_checker; then
    valid_json geo.json && pass "georef is JSON" || bad "georef is not valid JSON"
    valid_json lay.json && pass "layout is JSON" || bad "layout is not valid JSON"
fi
run "render --full-precision" 0 "$RM" render --full-precision --size 600x400 -o full.svg
run "render into a missing directory" 2 "$RM" render -o "$T/no/such/dir/x.svg"
one_line_error "render into a missing directory"

# ---- examples: every examples/*.json renders in e2e_examples.sh --------------------

# ---- project ---------------------------------------------------------------------
run "project lon,lat in EPSG:3857" 0 "$RM" project 131.8817,43.1112 -70.5,40.25 --crs EPSG:3857
mine=$(cat out.txt)
theirs=$(printf '131.8817 43.1112\n-70.5 40.25\n' | cs2cs -f %.3f +proj=longlat +datum=WGS84 +to EPSG:3857 | awk '{print $1, $2}')
[ "$mine" = "$theirs" ] && pass "project agrees with cs2cs ($(echo $mine))" || bad "project: '$mine' vs cs2cs '$theirs'"
run "project place names" 0 "$RM" project Pyongyang Vladivostok --crs EPSG:32652 --long
[ "$(wc -l <out.txt)" -eq 2 ] && pass "one line per place" || bad "project output: $(cat out.txt)"
read -r _ plon plat px py < <(head -1 out.txt | tr '\t' ' ')
cx=$(printf '%s %s\n' "$plon" "$plat" | cs2cs -f %.3f +proj=longlat +datum=WGS84 +to EPSG:32652 | awk '{print $1, $2}')
[ "$px $py" = "$cx" ] && pass "Pyongyang in UTM 52N agrees with cs2cs" || bad "Pyongyang: '$px $py' vs '$cx'"
run "project (auto CRS)" 0 "$RM" project Pyongyang Vladivostok
[ "$(wc -l <out.txt)" -eq 2 ] && pass "auto CRS projects both" || bad "auto: $(cat out.txt)"
run "project beyond the horizon of an orthographic view" 1 "$RM" project 126,40 -54,-40 --crs "+proj=ortho +lat_0=40 +lon_0=126 +datum=WGS84"
[ "$(sed -n 2p out.txt)" = "* *" ] && [ "$(sed -n 1p out.txt)" = "0.000 0.000" ] \
    && pass "the centre projects to 0 0, the antipode prints '* *'" || bad "ortho: $(cat out.txt)"
one_line_error "project a point that cannot be projected"
run "project unknown place" 2 "$RM" project Atlantis --crs EPSG:3857
one_line_error "project unknown place"
run "project bad CRS" 2 "$RM" project 1,2 --crs EPSG:999999
one_line_error "project bad CRS"
run "project no input" 2 "$RM" project
one_line_error "project no input"

# ---- places ----------------------------------------------------------------------
run "places vlad" 0 "$RM" places vlad
contains out.txt "Vladivostok" "places finds Vladivostok"
run "places (all)" 0 "$RM" places
[ "$(wc -l <out.txt)" -ge 10 ] && pass "places lists the gazetteer ($(wc -l <out.txt) places)" || bad "too few places"
run "places --json Pyongyang" 0 "$RM" places --json Pyongyang
contains out.txt '"name": "Pyongyang"' "JSON names Pyongyang"
if have_json_checker; then valid_json out.txt && pass "places --json is JSON" || bad "places --json is not JSON"; fi
run "places no match" 1 "$RM" places zzqqxx
run "places with a missing data dir" 2 "$RM" places --data-dir "$T/none" x
one_line_error "places missing data"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
