#!/usr/bin/env bash
# Output that respects what is there (issue 19): devices, FIFOs and standard
# output are written through; a symbolic link's target is written (a
# dangling link is refused); an existing file keeps its mode and its hard
# links; an output equal to an input or to another output is refused;
# --layout/--georef are committed only with the map; SIGINT leaves no
# temporary file; every command reports an unwritable standard output.
# Usage: e2e_output.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
export ROUTEMAP_DATA=${ROUTEMAP_DATA:-$SRC/data/shapefiles}
[ -x "$RM" ] || { echo "no binary $RM"; exit 77; }
# the shapefile writer built with the tests (tests/util/rm_shpwrite.c)
SHPWRITE=${RM_SHPWRITE:-$(dirname "$RM")/tests/rm_shpwrite}
SHPWRITE=$(cd "$(dirname "$SHPWRITE")" 2>/dev/null && pwd)/$(basename "$SHPWRITE")

T=$(mktemp -d /tmp/rm_e2e_output.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
# one line on stderr, starting with "routemap", containing TEXT
one_line() { # NAME TEXT
    if [ "$(wc -l <err.txt)" -eq 1 ] && grep -q '^routemap' err.txt && grep -qF -- "$2" err.txt; then
        pass "$1: $(cat err.txt)"
    else bad "$1: expected one line naming '$2', got: $(head -c 400 err.txt)"; fi
}
no_dotfiles() { # NAME DIR
    local left
    left=$(ls -A "$2" | grep '^\.' || true)
    [ -z "$left" ] && pass "$1: no temporary file left" || bad "$1: left $left"
}

printf '{"size": "600x400", "markers": [{"place": "Pyongyang"}]}\n' >spec.json
cp spec.json spec.orig
"$RM" render spec.json -o ref.svg 2>err.txt || bad "reference render: $(cat err.txt)"

# ---- devices and FIFOs: written through, never replaced --------------------
"$RM" render spec.json --format svg -o /dev/null 2>err.txt && [ -c /dev/null ] &&
    pass "-o /dev/null: exit 0, /dev/null still a character device" || bad "-o /dev/null: $(cat err.txt)"
"$RM" render spec.json --format svg -o /dev/full 2>err.txt
rc=$?
[ "$rc" -ne 0 ] && pass "-o /dev/full: exit $rc" || bad "-o /dev/full: exit 0"
one_line "-o /dev/full" "/dev/full: cannot write: No space"
mkfifo fifo
cat fifo >fifo.out &
reader=$!
if "$RM" render spec.json --format svg -o fifo 2>err.txt && wait "$reader" && [ -p fifo ] &&
    cmp -s fifo.out ref.svg; then
    pass "-o FIFO: written through (the reader got the map), still a FIFO"
else
    bad "-o FIFO: $(cat err.txt)"
    kill "$reader" 2>/dev/null # the map never opened the FIFO: the reader still waits
fi
"$RM" render spec.json --format svg -o /dev/stdout >stdout.svg 2>err.txt && cmp -s stdout.svg ref.svg &&
    pass "-o /dev/stdout into a file" || bad "-o /dev/stdout: $(cat err.txt)"
"$RM" render spec.json --format svg -o /dev/stdout 2>err.txt | cat >piped.svg
cmp -s piped.svg ref.svg && pass "-o /dev/stdout into a pipe" || bad "-o /dev/stdout | cat: $(cat err.txt)"

# ---- symbolic links ----------------------------------------------------------
mkdir -p real
printf 'old\n' >real/map.svg
ln -s real/map.svg link.svg
"$RM" render spec.json -o link.svg 2>err.txt && [ -L link.svg ] && cmp -s real/map.svg ref.svg &&
    pass "-o SYMLINK: the target is written, the link stays a link" || bad "-o symlink: $(cat err.txt)"
no_dotfiles "-o SYMLINK" real
ln -s missing/dir/map.svg dangling.svg
"$RM" render spec.json -o dangling.svg 2>err.txt
[ $? -ne 0 ] && [ -L dangling.svg ] && [ ! -e missing ] && pass "-o DANGLING-SYMLINK refused" ||
    bad "-o dangling symlink was written"
one_line "-o DANGLING-SYMLINK" "dangling.svg"

# ---- an existing file keeps its mode, its hard links --------------------------
for m in 600 640 755; do
    printf 'x' >mode$m.svg
    chmod $m mode$m.svg
    "$RM" render spec.json -o mode$m.svg 2>err.txt
    [ "$(stat -c %a mode$m.svg)" = $m ] && cmp -s mode$m.svg ref.svg && pass "mode $m kept" ||
        bad "mode $m became $(stat -c %a mode$m.svg): $(cat err.txt)"
done
printf 'x' >hard1.svg
ln hard1.svg hard2.svg
"$RM" render spec.json -o hard1.svg 2>err.txt
[ "$(stat -c %h hard1.svg)" = 2 ] && cmp -s hard2.svg ref.svg && cmp -s hard1.svg ref.svg &&
    pass "a hard link keeps sharing the file" || bad "hard link broken: $(stat -c %h hard1.svg)"
umask 027
"$RM" render spec.json -o new.svg 2>err.txt
[ "$(stat -c %a new.svg)" = 640 ] && pass "a new file follows the umask (027: 640)" ||
    bad "new file mode $(stat -c %a new.svg)"
umask 022

# ---- an output that is an input or another output ------------------------------
"$RM" render spec.json -o spec.json 2>err.txt
[ $? -eq 2 ] && cmp -s spec.json spec.orig && pass "-o SPEC refused, the spec unchanged" ||
    bad "-o spec.json: the spec was replaced"
one_line "-o SPEC" "spec.json"
ln -s spec.json spec-link.json
"$RM" render spec.json -o spec-link.json 2>err.txt
[ $? -eq 2 ] && cmp -s spec.json spec.orig && pass "-o SYMLINK-TO-SPEC refused" || bad "-o link to the spec"
mkdir -p data
cp "$ROUTEMAP_DATA"/* data/
cp data/land.dbf land.orig
"$RM" render spec.json --data-dir data -o data/land.dbf 2>err.txt
[ $? -eq 2 ] && cmp -s data/land.dbf land.orig && pass "-o LAYER.dbf refused, the layer unchanged" ||
    bad "-o data/land.dbf: $(cat err.txt)"
one_line "-o LAYER.dbf" "land"
"$RM" render spec.json --data-dir data -o data/rail.shp 2>err.txt
[ $? -eq 2 ] && pass "-o RAIL.shp refused" || bad "-o data/rail.shp was written"
"$RM" render spec.json -o x.svg --layout x.svg 2>err.txt
[ $? -eq 2 ] && [ ! -e x.svg ] && pass "--layout = -o refused, nothing written" || bad "--layout = -o"
one_line "--layout = -o" "x.svg"
mkdir -p sub
"$RM" render spec.json -o ./sub//y.svg --georef sub/y.svg 2>err.txt
[ $? -eq 2 ] && [ ! -e sub/y.svg ] && pass "--georef = -o spelled differently refused" || bad "--georef = -o (./sub//y.svg)"
"$RM" render spec.json -o z.svg --layout l.json --georef ./l.json 2>err.txt
[ $? -eq 2 ] && [ ! -e z.svg ] && pass "--layout = --georef refused" || bad "--layout = --georef"

# ---- side outputs only with the map ---------------------------------------------
printf 'old layout\n' >lay.json
printf 'old georef\n' >geo.json
"$RM" render spec.json --format svg -o /dev/full --layout lay.json --georef geo.json 2>err.txt
[ $? -ne 0 ] && [ "$(cat lay.json)" = "old layout" ] && [ "$(cat geo.json)" = "old georef" ] &&
    pass "the map fails to be written (/dev/full): --layout and --georef unchanged" ||
    bad "side outputs replaced although the map failed"
"$RM" render spec.json -o "$T/no/such/dir/m.svg" --layout lay.json 2>err.txt
[ $? -ne 0 ] && [ "$(cat lay.json)" = "old layout" ] && pass "no directory for the map: --layout unchanged" ||
    bad "--layout replaced although the map had no directory"
printf '{"size": "600x400", "routes": [{"from": "Pyongyang", "to": "Atlantis"}]}' >badroute.json
"$RM" render badroute.json -o m.svg --layout lay.json 2>err.txt
[ $? -ne 0 ] && [ "$(cat lay.json)" = "old layout" ] && [ ! -e m.svg ] &&
    pass "a map that cannot be made: --layout unchanged" || bad "--layout replaced by a failed map"
"$RM" render spec.json -o m.svg --layout lay.json --georef geo.json 2>err.txt &&
    grep -q '"labels"' lay.json && grep -q '"crs"\|"affine"\|"page"' geo.json && cmp -s m.svg ref.svg &&
    pass "with the map: all three written" || bad "map with side outputs: $(cat err.txt)"
no_dotfiles "side outputs" .

# ---- SIGINT while a big map is made and written ------------------------------------
mkdir -p big
printf '{"size": "6000x4000", "output": {"format": "png"}}\n' >big.json
for d in 0.2 0.5 1 2; do
    "$RM" render big.json -o big/map.png 2>/dev/null &
    pid=$!
    sleep "$d"
    kill -INT "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done
no_dotfiles "SIGINT at 0.2, 0.5, 1 and 2 s" big

# ---- standard output that cannot be written -----------------------------------------
for c in "route Pyongyang Vladivostok" "places" "places --json vlad" "project Pyongyang --crs EPSG:3857" \
    "render spec.json -o -"; do
    # shellcheck disable=SC2086
    "$RM" $c >/dev/full 2>err.txt
    rc=$?
    [ "$rc" -ne 0 ] && pass "$c >/dev/full: exit $rc" || bad "$c >/dev/full: exit 0"
    one_line "$c >/dev/full" "No space left"
done

# ---- readers: a FIFO or a device where a file is needed, with a bound --------------
mkfifo markers.csv
printf '{"size": "600x400", "markers_file": "markers.csv"}' >fifo-markers.json
timeout 20 "$RM" render fifo-markers.json -o fm.svg 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && [ ! -e fm.svg ] && pass "markers_file a FIFO: refused at once" || bad "markers_file FIFO: exit $rc"
one_line "markers_file a FIFO" "markers.csv: not a regular file"
timeout 20 "$RM" batch --jobs /dev/zero 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && pass "batch --jobs /dev/zero: refused at once" || bad "batch --jobs /dev/zero: exit $rc"
one_line "batch --jobs /dev/zero" "/dev/zero"
head -c 40000000 /dev/zero | tr '\0' ' ' | timeout 60 "$RM" batch --jobs - 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && grep -q "longer than 16 MB" err.txt && pass "batch --jobs -: a 40 MB line is refused" ||
    bad "batch --jobs - with a 40 MB line: exit $rc: $(head -c 300 err.txt)"

# ---- batch: one output by two spellings --------------------------------------------
mkdir -p bo
printf '{"spec": "spec.json", "output": "bo/a.svg"}\n{"spec": "spec.json", "output": "./bo//a.svg"}\n' >dup.jsonl
ln -s bo bo-link
printf '{"spec": "spec.json", "output": "bo/b.svg"}\n{"spec": "spec.json", "output": "bo-link/b.svg"}\n' >dup2.jsonl
for j in dup dup2; do
    "$RM" batch --jobs $j.jsonl >out.txt 2>err.txt
    rc=$?
    [ "$rc" -ne 0 ] && grep -q "is also written by $j.jsonl line 1" err.txt &&
        pass "batch $j.jsonl: the second spelling of one output is refused" ||
        bad "batch $j.jsonl: exit $rc: $(cat err.txt)"
done

# ---- names from data files are printed without control characters ----------------
if [ -x "$SHPWRITE" ]; then
    mkdir -p esc
    "$SHPWRITE" esc/places point "127,40=Evil$(printf '\033')]0;pwned$(printf '\007')Town" \
        "128,41=Bell$(printf '\302\233')31mCity" || bad "rm_shpwrite esc/places"
    "$RM" places --data-dir esc >out.txt 2>err.txt
    if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" out.txt || grep -q "$(printf '\302\233')" out.txt; then
        bad "places printed control characters: $(od -c out.txt | head -3)"
    else
        grep -q 'Evil?]0;pwned?Town' out.txt && grep -q 'Bell?31mCity' out.txt &&
            pass "places: ESC, BEL and C1 CSI printed as '?'" || bad "places output: $(cat out.txt) $(cat err.txt)"
    fi
else
    bad "no shapefile writer at $SHPWRITE (build the rm_shpwrite target)"
fi

# ---- a cache folder that others may write is not used ---------------------------
mkdir -p opencache
chmod 777 opencache
ROUTEMAP_CACHE_DIR=$T/opencache "$RM" render spec.json -o cache.svg 2>err.txt
rc=$?
[ "$rc" -eq 0 ] && cmp -s cache.svg ref.svg && [ -z "$(ls -A opencache)" ] &&
    pass "a cache folder writable by others: the map is made, nothing cached there" ||
    bad "open cache folder: exit $rc, holds: $(ls -A opencache | head -3)"
grep -q "warning: cache folder $T/opencache is writable by others" err.txt &&
    pass "... with a warning: $(head -1 err.txt)" || bad "no warning about the open cache folder: $(cat err.txt)"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
