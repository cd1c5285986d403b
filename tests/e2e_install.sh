#!/usr/bin/env bash
# Installs the build into a temporary directory with `cmake --install`, checks
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
# A sanitizer build installs a library instrumented with ASan/UBSan: a program
# linked against it needs the same runtime.
if grep -q '^ROUTEMAP_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt"; then
    CC="$CC -fsanitize=address,undefined"
fi

T=$(mktemp -d /tmp/rm_e2e_install.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# A staged install (DESTDIR) into the temporary directory: every file, even
# one with an absolute destination, lands under $T/stage, and nothing is
# written to the machine's real prefix. pkg-config then reads the installed
# routemap.pc with PKG_CONFIG_SYSROOT_DIR pointing at the stage.
PREFIX=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")
[ -n "$PREFIX" ] || PREFIX=/usr/local
STAGE=$T/stage
P=$STAGE$PREFIX
if DESTDIR=$STAGE cmake --install "$BUILD" >"$T/install.log" 2>&1; then pass "cmake --install (DESTDIR=$STAGE, prefix $PREFIX)"; else
    bad "cmake --install failed: $(tail -5 "$T/install.log")"; echo "$fails failure(s)"; exit 1; fi
grep "Installing:" "$T/install.log" | grep -v "Installing: $STAGE" | head -3 | while read -r l; do bad "installed outside the stage: $l"; done

PC=$(find "$STAGE" -name routemap.pc | head -1)
[ -n "$PC" ] && pass "installed ${PC#"$STAGE"}" || bad "no routemap.pc installed"
LIBDIR=$(dirname "$(dirname "${PC:-$P/lib/pkgconfig/routemap.pc}")")
for f in "$P/bin/routemap" "$P/include/routemap.h" "$P/include/routemap/spec.h" \
    "$P/include/routemap/render.h"; do
    [ -e "$f" ] && pass "installed ${f#"$STAGE"}" || bad "missing ${f#"$STAGE"}"
done
ls "$LIBDIR"/libroutemap.so* >/dev/null 2>&1 && pass "installed the shared library" || bad "no libroutemap.so"
[ -e "$LIBDIR/libroutemap.a" ] && pass "installed the static library" || bad "no libroutemap.a"
MAN=$(find "$STAGE" -name routemap.1 | head -1)
[ -n "$MAN" ] && pass "installed the man page ${MAN#"$STAGE"}" || bad "no man page"
if [ -n "$MAN" ] && command -v man >/dev/null; then
    MANWIDTH=80 man -l "$MAN" 2>/dev/null | grep -q "routemap render" && pass "man page renders" || bad "man -l cannot render the page"
fi
DATA=$(find "$STAGE" -type d -path '*routemap/shapefiles' | head -1)
[ -n "$DATA" ] && [ -f "$DATA/rail.shp" ] && pass "installed the data ${DATA#"$STAGE"}" || bad "no data under share/routemap"
case "$DATA" in "$P"/*) pass "the data is under the prefix" ;; *) bad "the data is not under the prefix $PREFIX: ${DATA#"$STAGE"}" ;; esac

export PKG_CONFIG_PATH=$LIBDIR/pkgconfig PKG_CONFIG_SYSROOT_DIR=$STAGE
pkg-config --exists routemap && pass "pkg-config finds routemap $(pkg-config --modversion routemap)" || bad "pkg-config cannot find routemap"
pkg-config --print-requires-private routemap | grep -q jansson && pass "Requires.private lists jansson" || bad "Requires.private: $(pkg-config --print-requires-private routemap)"
pkg-config --cflags routemap | grep -q -- "-I$P/include" && pass "Cflags point at the installed headers" || bad "Cflags: $(pkg-config --cflags routemap)"
pkg-config --libs routemap | grep -q -- "-L$LIBDIR" && pass "Libs point at the installed library" || bad "Libs: $(pkg-config --libs routemap)"

# shellcheck disable=SC2046
if $CC -std=c11 -Wall -Wextra -Werror -o "$T/example" "$SRC/examples/example.c" \
    $(pkg-config --cflags --libs routemap) >"$T/cc.log" 2>&1; then pass "example.c builds with pkg-config"
else bad "example.c does not build: $(head -c 800 "$T/cc.log")"; fi
# against the static library, with the dependencies that Requires.private names
# (linked dynamically): shows that the list is complete
# shellcheck disable=SC2046
if $CC -std=c11 -o "$T/example_static" "$SRC/examples/example.c" $(pkg-config --cflags routemap) \
    "$LIBDIR/libroutemap.a" $(env -u PKG_CONFIG_SYSROOT_DIR pkg-config --libs $(pkg-config --print-requires-private routemap | awk '{print $1}')) \
    -lm -pthread >"$T/cc2.log" 2>&1; then
    pass "example.c links with libroutemap.a and the Requires.private packages"
else bad "static link fails: $(head -c 800 "$T/cc2.log")"; fi

if [ -x "$T/example" ]; then
    cd "$T" || exit 1
    if LD_LIBRARY_PATH=$LIBDIR ROUTEMAP_DATA=$DATA ./example "$T/ex.svg" >"$T/run.log" 2>&1; then
        pass "example runs: $(tr '\n' ' ' <"$T/run.log")"
    else bad "example fails: $(head -c 600 "$T/run.log")"; fi
    [ -s "$T/ex.svg" ] && head -c 200 "$T/ex.svg" | grep -q "<svg" && pass "example wrote its map" || bad "example map missing"
    LD_LIBRARY_PATH=$LIBDIR ldd ./example | grep -q "$LIBDIR/libroutemap.so" && pass "example uses the installed library" || bad "example does not load the installed libroutemap"
fi
# the installed CLI works with the installed data
ROUTEMAP_DATA=$DATA "$P/bin/routemap" render --size 400x300 -o "$T/cli.svg" >/dev/null 2>"$T/cli.log" \
    && [ -s "$T/cli.svg" ] && pass "installed CLI renders" || bad "installed CLI: $(head -c 300 "$T/cli.log")"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
