#!/usr/bin/env bash
# Scripting interfaces (issue 17): --json for route, project, places and the
# batch summary, parsed back; -q and -v on every command; project reads
# coordinates from standard input like cs2cs.
# Args: CLI path, source dir, shared data dir (unused).
set -u
RM=$1
SRC=$2
T=$(mktemp -d /tmp/rm_e2e_scripting.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# ---- route --json
if "$RM" route Pyongyang Vladivostok --json >route.json 2>route.err; then
    python3 - route.json <<'PY' && pass "route --json: $(python3 -c 'import json;d=json.load(open("route.json"));print(d["from"], "->", d["to"], d["distance_text"])')" || bad "route --json: $(head -c 300 route.json)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["from"] == "Pyongyang" and d["to"] == "Vladivostok", d
assert 900 < d["km"] < 1300 and d["stops"][0]["role"] == "from" and d["stops"][-1]["role"] == "to"
assert d["legs"] and all(l["km"] > 0 for l in d["legs"])
assert abs(sum(l["km"] for l in d["legs"]) - d["km"]) < 1, (sum(l["km"] for l in d["legs"]), d["km"])
assert d["rail_km"] is None or d["rail_km"] > 0
PY
else bad "route --json failed: $(cat route.err)"; fi
[ ! -s route.err ] && pass "route --json: nothing on stderr" || bad "route --json stderr: $(cat route.err)"

# ---- project: operands, stdin (cs2cs style), --json
"$RM" project --crs EPSG:3857 125.75,39.03 Vladivostok >p_args.txt 2>p.err || bad "project with operands: $(cat p.err)"
printf '# a comment\n125.75 39.03\n\nVladivostok\n' | "$RM" project --crs EPSG:3857 >p_stdin.txt 2>p.err \
    || bad "project from stdin: $(cat p.err)"
cmp -s p_args.txt p_stdin.txt && [ "$(wc -l <p_stdin.txt)" -eq 2 ] && pass "project reads 'lon lat' lines and names from stdin: $(tr '\n' ';' <p_stdin.txt)" \
    || bad "project stdin differs: $(cat p_args.txt) / $(cat p_stdin.txt)"
printf '125.75\t39.03\n' | "$RM" project --crs EPSG:3857 - >p_dash.txt && cmp -s p_dash.txt <(head -1 p_args.txt) \
    && pass "project - reads stdin too" || bad "project -: $(cat p_dash.txt)"
printf 'Atlantis\n' | "$RM" project >/dev/null 2>p.err; rc=$?
[ $rc -eq 2 ] && grep -q "Atlantis" p.err && pass "project: an unknown place on stdin exits 2 naming it" || bad "project stdin unknown place: rc=$rc $(cat p.err)"
ORTHO="+proj=ortho +lat_0=40 +lon_0=125 +datum=WGS84 +units=m"
"$RM" project --crs "$ORTHO" --json 125.75,39.03 -55,-40 >p.json 2>/dev/null; rc=$?
"$RM" project --crs "$ORTHO" 125.75,39.03 >p1.txt 2>/dev/null
python3 - p.json p1.txt <<'PY' && [ $rc -eq 1 ] && pass "project --json: x, y as the text says, null for the far side of an orthographic globe (exit 1)" || bad "project --json rc=$rc: $(head -c 400 p.json)"
import json, sys
d = json.load(open(sys.argv[1]))
x, y = map(float, open(sys.argv[2]).read().split())
p = d["points"]
assert d["crs"].startswith("+proj=ortho") and "ortho" in d["definition"]
assert abs(p[0]["x"] - x) < 0.001 and abs(p[0]["y"] - y) < 0.001, (p[0], x, y)
assert p[0]["name"] == "125.75,39.03" and p[0]["lon"] == 125.75
assert p[1]["x"] is None and p[1]["y"] is None
PY

# ---- places --json, -q, -v
"$RM" places vlad --json >pl.json 2>pl.err && python3 -c '
import json,sys; d=json.load(open("pl.json")); assert any(x["name"]=="Vladivostok" for x in d), d' \
    && pass "places --json" || bad "places --json: $(cat pl.err)"
"$RM" places -v vlad >/dev/null 2>pl.err && grep -q "places:.*places.shp" pl.err && pass "places -v says which gazetteer" || bad "places -v: $(cat pl.err)"

# ---- -q and -v on every command
for cmd in "render -o q.svg --size 400x300" "route Pyongyang Sinuiju" "project Pyongyang" "places Pyongyang" \
    "batch $SRC/examples/kim-train-2019.json --out-dir qb"; do
    for flag in -q -v; do
        # shellcheck disable=SC2086
        if "$RM" $cmd $flag >/dev/null 2>flag.err; then :; else bad "'$cmd $flag': $(head -c 200 flag.err)"; continue; fi
        # -q: nothing on stderr (batch keeps its one-line summary)
        if [ "$flag" = -q ] && [ -n "$(grep -v '^routemap: batch: [0-9]* maps' flag.err)" ]; then
            bad "'$cmd -q' printed: $(head -c 200 flag.err)"
        fi
    done
done
[ $fails -eq 0 ] && pass "-q and -v on render, route, project, places, batch (-q: no warnings, no progress)"

# ---- batch --json summary
printf '{"size": "300x200", "titel": "x"}' >broken.json
"$RM" batch "$SRC/examples/kim-train-2019.json" broken.json --out-dir out --json -q >b.json 2>b.err; rc=$?
python3 - b.json <<'PY' && [ $rc -eq 1 ] && pass "batch --json: totals and each job (exit 1: one failed)" || bad "batch --json rc=$rc: $(head -c 500 b.json) $(cat b.err)"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["maps"] == 2 and d["ok"] == 1 and d["failed"] == 1, d
ok = [j for j in d["jobs"] if j["ok"]]
ko = [j for j in d["jobs"] if not j["ok"]]
assert ok[0]["output"].endswith("kim-train-2019.svg") and ok[0]["message"] is None
assert "titel" in ko[0]["message"] and ko[0]["exit"] == 2, ko
PY

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
