#!/usr/bin/env bash
# End-to-end tests of `routemap batch`: spec files and a jobs file with
# variants, parallel threads, one failing map not stopping the others, exit
# codes, the summary, plain progress lines off a terminal and a bar on one,
# and batch output identical to single renders.
# Usage: e2e_batch.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
export ROUTEMAP_DATA=${ROUTEMAP_DATA:-$SRC/data/shapefiles}
[ -x "$RM" ] || { echo "no binary $RM"; exit 77; }
[ -f "$ROUTEMAP_DATA/rail.shp" ] || { echo "no data in $ROUTEMAP_DATA"; exit 77; }

T=$(mktemp -d /tmp/rm_e2e_batch.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
run() {
    local name=$1 want=$2
    shift 2
    "$@" >out.txt 2>err.txt
    local got=$?
    if [ "$got" -eq "$want" ]; then pass "$name (exit $got)"; else
        bad "$name: exit $got, expected $want; stderr: $(head -c 600 err.txt)"; fi
}

# usage errors: exit 2, nothing rendered
run "batch (nothing to do)" 2 "$RM" batch
run "batch missing spec" 2 "$RM" batch "$T/none.json"
run "batch --jobs missing" 2 "$RM" batch --jobs "$T/none.jsonl"
run "batch -j 0" 2 "$RM" batch -j 0 "$SRC/examples/kim-train-2023.json"
run "batch --bogus" 2 "$RM" batch --bogus
[ "$(wc -l <err.txt)" -eq 1 ] && pass "one-line usage error" || bad "usage error: $(cat err.txt)"

# small maps to keep the test quick
SPEC=$SRC/examples/kim-train-2023.json
cat >jobs.jsonl <<JSONL
{"spec": "$SPEC", "output": "light.svg", "size": "800x500"}
{"spec": "$SPEC", "output": "dark.svg", "size": "800x500", "theme": "dark"}

{"spec": "$SPEC", "output": "titled.png", "size": "640x400", "title": "Variant 3"}
{"spec": "$SPEC", "output": "typo.svg", "sise": "800x500"}
{"size": {"width": 700, "height": 450}, "markers": [{"lon": 131.88, "lat": 43.11, "label": "Vladivostok"}], "title": "Inline spec"}
{"spec": "$SPEC", "output": "print.pdf", "size": "800x500", "theme": "print", "format": "pdf"}
this is not json
JSONL
run "batch with 2 failing jobs" 1 "$RM" batch --jobs jobs.jsonl -j 2 --out-dir outs
for f in light.svg dark.svg titled.png job-0006.svg print.pdf; do
    [ -s "outs/$f" ] && pass "outs/$f written" || bad "outs/$f missing"
done
[ ! -e outs/typo.svg ] && pass "the job with a typo wrote nothing" || bad "typo.svg written"
grep -q "unknown key 'sise' (did you mean 'size'?)" err.txt && pass "the failing job's error is reported" || bad "no error for the typo: $(cat err.txt)"
grep -q "line 8" err.txt && pass "the broken line is named" || bad "broken line not named"
grep -q "7 maps, 5 ok, 2 failed" err.txt && pass "summary: 7 maps, 5 ok, 2 failed" || bad "summary: $(tail -1 err.txt)"
grep -q "maps/s" err.txt && pass "summary gives maps per second" || bad "no rate in summary"
grep -q '^\[[0-9]*/7\] ok' err.txt && pass "plain progress lines off a terminal" || bad "no progress lines"
head -c 5 outs/print.pdf | grep -q '%PDF' && pass "format override gives a PDF" || bad "print.pdf is not PDF"
grep -q "Variant 3" outs/dark.svg && bad "title leaked between jobs" || pass "jobs do not share state"
cmp -s outs/light.svg outs/dark.svg && bad "theme override had no effect" || pass "theme override changes the map"

# batch output equals single renders (threads change nothing)
run "render light alone" 0 "$RM" render "$SPEC" --size 800x500 -o single_light.svg
cmp -s single_light.svg outs/light.svg && pass "batch light.svg = render" || bad "batch light.svg differs from render"
run "render dark alone" 0 "$RM" render "$SPEC" --size 800x500 --theme dark -o single_dark.svg
cmp -s single_dark.svg outs/dark.svg && pass "batch dark.svg = render" || bad "batch dark.svg differs from render"

# spec files on the command line, all ok: exit 0; names from the spec files
mkdir -p specs
for i in 1 2 3; do
    printf '{"size": "600x400", "title": "Map %s", "markers": [{"lon": 13%s, "lat": 43, "label": "M%s"}]}\n' \
        "$i" "$i" "$i" >"specs/m$i.json"
done
run "batch of spec files" 0 "$RM" batch specs/m1.json specs/m2.json specs/m3.json --out-dir o2 -j 3 --format png
for i in 1 2 3; do [ -s "o2/m$i.png" ] && pass "o2/m$i.png written" || bad "o2/m$i.png missing"; done
grep -q "3 maps, 3 ok, 0 failed" err.txt && pass "summary: 3 ok" || bad "summary: $(tail -1 err.txt)"

# --format is only the default: a spec's own format or an output's extension wins
M='"markers": [{"lon": 131.9, "lat": 43.1, "label": "V"}]'
printf '{"size": "300x200", "output": {"format": "pdf"}, %s}\n{"size": "300x200", %s}\n{"size": "300x200", "output": "x.svg", %s}\n' \
    "$M" "$M" "$M" >fmt.jsonl
run "batch --format png as a default" 0 "$RM" batch --jobs fmt.jsonl -f png --out-dir o4
[ -s o4/job-0001.pdf ] && [ -s o4/job-0002.png ] && [ -s o4/x.svg ] \
    && pass "--format fills in only where nothing else decides" || bad "formats: $(ls o4)"

# two jobs writing the same file: the later one fails, the first is written
printf '{"size": "300x200", "output": "same.svg", %s}\n{"size": "300x200", "output": "same.svg", %s}\n' "$M" "$M" >dup.jsonl
run "batch with a duplicate output" 1 "$RM" batch --jobs dup.jsonl --out-dir o5
grep -q "also written by" err.txt && [ -s o5/same.svg ] && pass "duplicate output refused" || bad "duplicate: $(cat err.txt)"

# a progress bar on a terminal
if command -v script >/dev/null 2>&1; then
    script -qec "$RM batch specs/m1.json specs/m2.json --out-dir o3 -j 1" /dev/null >tty.txt 2>&1
    grep -q '\[##' tty.txt && pass "progress bar on a terminal" || bad "no progress bar: $(head -c 300 tty.txt)"
fi

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
