#!/usr/bin/env bash
# Code pages through iconv (issue 19): a gazetteer's DBF written in
# Windows-1252, 1251, 949, EUC-KR, GBK, Shift-JIS, ISO-8859-15, ISO-8859-1
# and ISO-8859-5 (the .cpg names it; tests/corpus/make_corpus.py writes
# them) is printed by `routemap places` in UTF-8, exactly: 1252 is not
# Latin-1 (€ – “ ” are in 0x80..0x9f), ISO-8859-15 is not ISO-8859-1. An
# unknown code page is one error naming the .cpg.
# Usage: e2e_codepages.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
[ -x "$RM" ] || { echo "no binary $RM"; exit 77; }
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
T=$(mktemp -d /tmp/rm_e2e_codepages.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import make_corpus; make_corpus.codepage_cases(sys.argv[2])' \
    "$SRC/tests/corpus" "$T" || { echo "the corpus generator failed"; exit 1; }
n=0
while IFS=$'\t' read -r case name; do
    n=$((n + 1))
    "$RM" places --data-dir "$T/$case" >"$T/out.txt" 2>"$T/err.txt"
    got=$(cut -f1 "$T/out.txt")
    [ "$got" = "$name" ] && pass "$case: $got" || bad "$case: got '$got', expected '$name' ($(head -c 300 "$T/err.txt"))"
done <"$T/codepages.tsv"
[ "$n" -ge 9 ] && pass "$n code pages" || bad "only $n code-page cases"

cp -r "$T/cp1252" "$T/unknown"
printf 'KLINGON-7' >"$T/unknown/places.cpg"
"$RM" places --data-dir "$T/unknown" >"$T/out.txt" 2>"$T/err.txt"
rc=$?
[ "$rc" -ne 0 ] && [ "$(wc -l <"$T/err.txt")" -eq 1 ] && grep -q "places.cpg: unknown code page 'KLINGON-7'" "$T/err.txt" &&
    pass "an unknown code page: $(cat "$T/err.txt")" || bad "unknown code page: exit $rc: $(cat "$T/err.txt")"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
