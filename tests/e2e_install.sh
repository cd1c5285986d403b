#!/usr/bin/env bash
# Installs the build into a temporary prefix with `cmake --install`, checks
# what landed there (library, headers, pkg-config file, CLI, man page, data),
# then builds examples/example.c against the installed library through
# pkg-config and runs it.
# Usage: e2e_install.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$1
SRC=$2
BUILD=$(cd "$(dirname "$RM")" && pwd)
[ -f "$BUILD/cmake_install.cmake" ] || { echo "no cmake build dir at $BUILD"; exit 77; }
command -v pkg-config >/dev/null || { echo "no pkg-config"; exit 77; }
CC=${CC:-cc}
command -v "$CC" >/dev/null || { echo "no C compiler"; exit 77; }

T=$(mktemp -d /tmp/rm_e2e_install.XXXXXX)
trap 'rm -rf "$T"' EXIT
P=$T/prefix
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

if cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1; then pass "cmake --install"; else
    bad "cmake --install failed: $(tail -5 "$T/install.log")"; echo "$fails failure(s)"; exit 1; fi

LIBDIR=$(dirname "$(find "$P" -name 'routemap.pc' | head -1)")
LIBDIR=${LIBDIR%/pkgconfig}
for f in "$P/bin/routemap" "$P/include/routemap.h" "$P/include/routemap/spec.h" \
    "$P/include/routemap/render.h" "$LIBDIR/pkgconfig/routemap.pc"; do
    [ -e "$f" ] && pass "installed ${f#"$P"/}" || bad "missing ${f#"$P"/}"
done
ls "$LIBDIR"/libroutemap.so* >/dev/null 2>&1 && pass "installed the shared library" || bad "no libroutemap.so"
[ -e "$LIBDIR/libroutemap.a" ] && pass "installed the static library" || bad "no libroutemap.a"
MAN=$(find "$P" -name routemap.1 | head -1)
[ -n "$MAN" ] && pass "installed the man page ${MAN#"$P"/}" || bad "no man page"
if [ -n "$MAN" ] && command -v man >/dev/null; then
    MANWIDTH=80 man -l "$MAN" 2>/dev/null | grep -q "routemap render" && pass "man page renders" || bad "man -l cannot render the page"
fi
DATA=$(find "$P" -type d -path '*routemap/shapefiles' | head -1)
[ -n "$DATA" ] && [ -f "$DATA/rail.shp" ] && pass "installed the data" || bad "no data under share/routemap"

export PKG_CONFIG_PATH=$LIBDIR/pkgconfig
pkg-config --exists routemap && pass "pkg-config finds routemap $(pkg-config --modversion routemap)" || bad "pkg-config cannot find routemap"
pkg-config --print-requires-private routemap | grep -q jansson && pass "Requires.private lists jansson" || bad "Requires.private: $(pkg-config --print-requires-private routemap)"
grep -q "$P" "$PKG_CONFIG_PATH/routemap.pc" || bad "routemap.pc does not point into the prefix (configured for another prefix?)"

# shellcheck disable=SC2046
if "$CC" -std=c11 -Wall -Wextra -Werror -o "$T/example" "$SRC/examples/example.c" \
    $(pkg-config --cflags --libs routemap) >"$T/cc.log" 2>&1; then pass "example.c builds with pkg-config"
else bad "example.c does not build: $(head -c 800 "$T/cc.log")"; fi
# the same against the static library (pkg-config --static adds the private deps)
if "$CC" -std=c11 -o "$T/example_static" "$SRC/examples/example.c" \
    $(pkg-config --cflags routemap) "$LIBDIR/libroutemap.a" $(pkg-config --static --libs routemap | sed 's/-lroutemap//') >"$T/cc2.log" 2>&1; then
    pass "example.c links statically"
else bad "static link fails: $(head -c 800 "$T/cc2.log")"; fi

if [ -x "$T/example" ]; then
    cd "$T" || exit 1
    if LD_LIBRARY_PATH=$LIBDIR ROUTEMAP_DATA=$DATA ./example "$T/ex.svg" >"$T/run.log" 2>&1; then
        pass "example runs: $(tr '\n' ' ' <"$T/run.log")"
    else bad "example fails: $(head -c 600 "$T/run.log")"; fi
    [ -s "$T/ex.svg" ] && grep -q "Pyongyang to Vladivostok by train" "$T/ex.svg" && pass "example wrote its map" || bad "example map missing or without its title"
    LD_LIBRARY_PATH=$LIBDIR ldd ./example | grep -q "$LIBDIR/libroutemap.so" && pass "example uses the installed library" || bad "example does not load the installed libroutemap"
fi
# the installed CLI works with the installed data
"$P/bin/routemap" render --size 400x300 -o "$T/cli.svg" >/dev/null 2>"$T/cli.log" \
    && [ -s "$T/cli.svg" ] && pass "installed CLI renders" || bad "installed CLI: $(head -c 300 "$T/cli.log")"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
