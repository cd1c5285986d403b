#!/usr/bin/env bash
# Every map spec in examples/ renders on a fresh clone, with only what the
# repository ships: the repository's examples/ and data/ are copied into an
# empty directory (nothing beside it, so a path that reaches out of the
# checkout finds nothing), and each examples/*.json is rendered there with
# ROUTEMAP_DATA pointing into the copy. An example whose data_dir is missing is
# skipped with one line only when its `_about` says that it needs that folder
# (data the repository cannot ship); otherwise it fails. With SHARED_DATA_DIR
# such an example is also rendered with --data-dir pointing there.
# examples/example.c is built and run by e2e_install.sh.
# Usage: e2e_examples.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
SHARED=${3:-}
[ -x "$RM" ] || { echo "no binary $RM"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }

T=$(mktemp -d /tmp/rm_e2e_examples.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# the clone: the files git tracks (all of examples/ and data/ without git)
C=$T/clone
mkdir -p "$C"
if git -C "$SRC" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$SRC" && git ls-files -z examples data | xargs -0 cp --parents -t "$C")
else
    cp -r "$SRC/examples" "$SRC/data" "$C/"
fi
export ROUTEMAP_DATA=$C/data/shapefiles

# what an example needs outside the clone: "DIR<TAB>ABOUT-NAMES-IT" for a
# data_dir that is missing, nothing when every folder it names is there
needs() {
    python3 - "$1" <<'PY'
import json, os, sys
spec = json.load(open(sys.argv[1], encoding="utf-8"))
d = spec.get("data_dir")
if isinstance(d, str) and not os.path.isdir(os.path.join(os.path.dirname(sys.argv[1]), d)):
    print("%s\t%d" % (d, d in str(spec.get("_about", ""))))
PY
}

n=0
for ex in "$C"/examples/*.json; do
    name=examples/$(basename "$ex")
    n=$((n + 1))
    need=$(needs "$ex")
    if [ -n "$need" ]; then
        dir=${need%$'\t'*}
        if [ "${need##*$'\t'}" = 1 ]; then
            echo "skip $name: needs $dir (not shipped in the repository; its _about says so)"
            if [ -n "$SHARED" ] && [ -d "$SHARED/region" ]; then
                out=$T/$(basename "$ex" .json)-shared.svg
                if "$RM" render "$ex" --data-dir "$SHARED/region" -o "$out" 2>"$T/err.txt" && [ -s "$out" ]; then
                    pass "$name renders with --data-dir $SHARED/region"
                else bad "$name with --data-dir $SHARED/region: $(head -c 400 "$T/err.txt")"; fi
            fi
        else
            bad "$name: data_dir $dir is not in the repository and its _about does not say so"
        fi
        continue
    fi
    out=$T/$(basename "$ex" .json).svg
    if (cd "$T" && "$RM" render "$ex" -o "$out") 2>"$T/err.txt" && [ -s "$out" ] &&
        head -c 300 "$out" | grep -q '<svg'; then
        pass "$name renders from a fresh clone ($(wc -c <"$out") bytes)"
    else bad "$name: $(head -c 400 "$T/err.txt")"; fi
done
[ "$n" -ge 1 ] && pass "$n example specs" || bad "no example spec found in $SRC/examples"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
