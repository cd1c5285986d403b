#!/usr/bin/env bash
# libroutemap.so exports its public API and nothing else: every dynamic
# symbol it defines is a function or object declared in include/routemap/*.h
# (the library is built with -fvisibility=hidden; the public headers mark
# their declarations visible), and the API's entry points are all there.
# Usage: e2e_exports.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
SRC=$(cd "$2" && pwd)
LIB=$(dirname "$1")/libroutemap.so
[ -e "$LIB" ] || { echo "no $LIB"; exit 77; }
command -v nm >/dev/null || { echo "no nm"; exit 77; }
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

exported=$(nm -D --defined-only "$LIB" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort -u)
n=$(printf '%s\n' "$exported" | grep -c .)
[ "$n" -gt 40 ] && pass "$n symbols exported" || bad "only $n symbols exported"
extra=""
for s in $exported; do
    grep -Eq "\\b$s\\b" "$SRC"/include/routemap/*.h || extra="$extra $s"
done
[ -z "$extra" ] && pass "every exported symbol is declared in include/routemap/" \
    || bad "exported but not public:$extra"
for s in rm_render_file rm_render_buffer rm_spec_parse_file rm_railnet_build rm_error_set; do
    printf '%s\n' "$exported" | grep -qx "$s" && pass "$s exported" || bad "$s not exported"
done
for s in rm_r_render_to rm_cv_record_new rm_closest_name rm_big_alloc; do
    printf '%s\n' "$exported" | grep -qx "$s" && bad "internal $s exported" || pass "internal $s hidden"
done
[ "$fails" -eq 0 ] && echo "e2e_exports: all passed" || echo "e2e_exports: $fails failure(s)"
[ "$fails" -eq 0 ]
