#!/usr/bin/env bash
# scripts/check_deps.py (issue 12): every command the tests and scripts run
# comes from a Debian package that scripts/deps.sh installs (or one of its
# dependencies, or priority required/important). Checks that it passes on
# this tree, and that it fails, naming the command and the package, when a
# needed package is taken out of deps.sh or a test starts running a tool that
# no listed package provides (shapelib's shpcreate, the case of issue 12).
# Usage: e2e_deps.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
SRC=$(cd "$2" && pwd)
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
command -v dpkg-query >/dev/null && command -v apt-cache >/dev/null || { echo "not a Debian system"; exit 77; }
CHECK=$SRC/scripts/check_deps.py

T=$(mktemp -d /tmp/rm_e2e_deps.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

python3 "$CHECK" >"$T/out.txt" 2>&1
rc=$?
[ "$rc" -eq 0 ] && pass "the tree passes: $(tail -1 "$T/out.txt")" || bad "the tree fails (exit $rc): $(cat "$T/out.txt")"

# poppler-utils taken out of deps.sh: pdfinfo, pdftotext (e2e_cli.sh) and
# pdftoppm (test_render_formats.c) are named with their package
sed 's/ poppler-utils\b//' "$SRC/scripts/deps.sh" >"$T/deps.sh"
grep -q poppler-utils "$T/deps.sh" && bad "could not take poppler-utils out of the copy of deps.sh"
python3 "$CHECK" --deps "$T/deps.sh" >"$T/out.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && pass "without poppler-utils: exit 1" || bad "without poppler-utils: exit $rc: $(cat "$T/out.txt")"
for c in pdfinfo pdftotext pdftoppm; do
    grep -q "FAIL $c (run by tests/[a-z0-9_]*\.[csh]*:[0-9]*) comes from Debian package poppler-utils," "$T/out.txt" \
        && pass "names $c and poppler-utils" || bad "$c not named: $(cat "$T/out.txt")"
done
grep FAIL "$T/out.txt" | grep -v "comes from Debian package poppler-utils," >"$T/other.txt"
[ ! -s "$T/other.txt" ] && pass "nothing else is named" || bad "other failures: $(cat "$T/other.txt")"

# a copy of the tree whose e2e_cli.sh makes its fixture with shapelib's tools
mkdir -p "$T/tree/tests" "$T/tree/.ci"
cp -r "$SRC/scripts" "$T/tree/"
cp "$SRC"/tests/*.sh "$SRC"/tests/*.c "$T/tree/tests/"
cp "$SRC/.ci/run" "$T/tree/.ci/"
printf '\nshpcreate split arc >/dev/null && shpadd split 0 0 1 0 >/dev/null\n' >>"$T/tree/tests/e2e_cli.sh"
python3 "$CHECK" --root "$T/tree" >"$T/out.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "FAIL shpcreate (run by tests/e2e_cli.sh:[0-9]*)" "$T/out.txt" \
    && grep -q "FAIL shpadd " "$T/out.txt" \
    && pass "shapelib's tools in a test are caught: $(grep shpcreate "$T/out.txt")" \
    || bad "shpcreate not caught (exit $rc): $(cat "$T/out.txt")"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
