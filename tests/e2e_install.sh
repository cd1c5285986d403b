#!/usr/bin/env bash
# Install anywhere (issue 17): `cmake --install BUILD --prefix DIR` into a
# temporary folder, then the prefix is MOVED elsewhere (so nothing can work
# through a path recorded at build time). From the moved prefix:
# - examples/example.c builds with pkg-config (only PKG_CONFIG_PATH set) and
#   runs without LD_LIBRARY_PATH or ROUTEMAP_DATA, finding the installed data;
# - a CMake project with find_package(routemap) builds and runs;
# - the installed CLI renders with the installed data;
# - the bash completion completes commands and options; the man page renders.
# Usage: e2e_install.sh ROUTEMAP_BINARY SOURCE_DIR [SHARED_DATA_DIR]
set -u
RM=$1
SRC=$(cd "$2" && pwd)
BUILD=$(cd "$(dirname "$RM")" && pwd)
[ -f "$BUILD/cmake_install.cmake" ] || { echo "no cmake build dir at $BUILD"; exit 77; }
command -v pkg-config >/dev/null || { echo "no pkg-config"; exit 77; }
CC=${CC:-cc}
command -v "$CC" >/dev/null || { echo "no C compiler"; exit 77; }
# A sanitizer build installs a library instrumented with ASan/UBSan: a program
# linked against it needs the same runtime.
SAN=
if grep -q '^ROUTEMAP_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt"; then
    SAN="-fsanitize=address,undefined"
    CC="$CC $SAN"
fi

T=$(mktemp -d /tmp/rm_e2e_install.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0
pass() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
unset LD_LIBRARY_PATH ROUTEMAP_DATA PKG_CONFIG_SYSROOT_DIR

if cmake --install "$BUILD" --prefix "$T/first" >"$T/install.log" 2>&1; then pass "cmake --install --prefix $T/first"; else
    bad "cmake --install failed: $(tail -5 "$T/install.log")"; echo "$fails failure(s)"; exit 1; fi
grep "Installing:" "$T/install.log" | grep -v "Installing: $T/first" | head -3 | while read -r l; do bad "installed outside the prefix: $l"; done
mv "$T/first" "$T/moved"
P=$T/moved
pass "prefix moved to $P"

PC=$(find "$P" -name routemap.pc | head -1)
[ -n "$PC" ] && pass "installed ${PC#"$P"/}" || bad "no routemap.pc installed"
LIBDIR=$(dirname "$(dirname "${PC:-$P/lib/pkgconfig/routemap.pc}")")
for f in "$P/bin/routemap" "$P/include/routemap.h" "$P/include/routemap/spec.h" \
    "$P/include/routemap/render.h" "$LIBDIR/cmake/routemap/routemapConfig.cmake" \
    "$LIBDIR/cmake/routemap/routemapConfigVersion.cmake" \
    "$P/share/bash-completion/completions/routemap" "$P/share/zsh/site-functions/_routemap"; do
    [ -e "$f" ] && pass "installed ${f#"$P"/}" || bad "missing ${f#"$P"/}"
done
ls "$LIBDIR"/libroutemap.so* >/dev/null 2>&1 && pass "installed the shared library" || bad "no libroutemap.so"
[ -e "$LIBDIR/libroutemap.a" ] && pass "installed the static library" || bad "no libroutemap.a"
MAN=$(find "$P" -name routemap.1 | head -1)
[ -n "$MAN" ] && pass "installed the man page ${MAN#"$P"/}" || bad "no man page"
if [ -n "$MAN" ] && command -v man >/dev/null; then
    MANWIDTH=80 man -l "$MAN" 2>/dev/null | grep -q "routemap render" && pass "man page renders" || bad "man -l cannot render the page"
fi
DATA=$P/share/routemap/shapefiles
[ -f "$DATA/rail.shp" ] && pass "installed the data share/routemap/shapefiles" || bad "no data under share/routemap"
grep -q 'pcfiledir' "$PC" && ! grep -q "$T/first" "$PC" && pass "routemap.pc is relocatable (\${pcfiledir})" \
    || bad "routemap.pc names a fixed prefix: $(grep '^prefix' "$PC")"

export PKG_CONFIG_PATH=$LIBDIR/pkgconfig
pkg-config --exists routemap && pass "pkg-config finds routemap $(pkg-config --modversion routemap)" || bad "pkg-config cannot find routemap"
pkg-config --print-requires-private routemap | grep -q jansson && pass "Requires.private lists jansson" || bad "Requires.private: $(pkg-config --print-requires-private routemap)"
[ "$(cd "$(pkg-config --variable=includedir routemap)" 2>/dev/null && pwd)" = "$P/include" ] \
    && pass "Cflags point at the moved headers" || bad "includedir: $(pkg-config --variable=includedir routemap)"

# shellcheck disable=SC2046
if $CC -std=c11 -Wall -Wextra -Werror -o "$T/example" "$SRC/examples/example.c" \
    $(pkg-config --cflags --libs routemap) >"$T/cc.log" 2>&1; then pass "example.c builds with pkg-config"
else bad "example.c does not build: $(head -c 800 "$T/cc.log")"; fi
# against the static library, with the dependencies that Requires.private names
# shellcheck disable=SC2046
if $CC -std=c11 -o "$T/example_static" "$SRC/examples/example.c" $(pkg-config --cflags routemap) \
    "$LIBDIR/libroutemap.a" $(pkg-config --libs $(pkg-config --print-requires-private routemap | awk '{print $1}')) \
    -lm -pthread >"$T/cc2.log" 2>&1; then
    pass "example.c links with libroutemap.a and the Requires.private packages"
else bad "static link fails: $(head -c 800 "$T/cc2.log")"; fi

if [ -x "$T/example" ]; then
    cd "$T" || exit 1
    if ./example "$T/ex.svg" >"$T/run.log" 2>&1; then
        pass "example runs without LD_LIBRARY_PATH or ROUTEMAP_DATA: $(tr '\n' ' ' <"$T/run.log")"
    else bad "example fails: $(head -c 600 "$T/run.log")"; fi
    grep -q "km by rail" "$T/run.log" && pass "example found the installed rail network" || bad "example found no route"
    [ -s "$T/ex.svg" ] && head -c 200 "$T/ex.svg" | grep -q "<svg" && pass "example wrote its map" || bad "example map missing"
    loaded=$(ldd ./example | awk '/libroutemap/ {print $3}')
    [ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = "$(readlink -f "$LIBDIR")/$(basename "$(readlink -f "$loaded")")" ] \
        && pass "example loads the moved library" || bad "example does not load the installed libroutemap: $loaded"
fi
# where the library looks for its data, asked of the installed library
cat >"$T/datadir.c" <<'C'
#include <routemap.h>
#include <stdio.h>
int main(void) { puts(rm_default_data_dir()); return 0; }
C
# shellcheck disable=SC2046
$CC -o "$T/datadir" "$T/datadir.c" $(pkg-config --cflags --libs routemap) 2>"$T/cc3.log" \
    && [ "$("$T/datadir")" = "$DATA" ] && pass "rm_default_data_dir() is the moved prefix's data" \
    || bad "rm_default_data_dir(): $("$T/datadir" 2>&1) $(head -c 300 "$T/cc3.log")"

# find_package(routemap) from a CMake project
mkdir -p "$T/cmproj"
cp "$SRC/examples/example.c" "$T/cmproj/"
cat >"$T/cmproj/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(uses_routemap C)
find_package(routemap 0.1 REQUIRED)
add_executable(example example.c)
target_link_libraries(example PRIVATE routemap::routemap)
CM
if (cd "$T/cmproj" && cmake -S . -B b -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_FLAGS="$SAN" >"$T/cm.log" 2>&1 \
    && cmake --build b >>"$T/cm.log" 2>&1); then
    pass "a CMake project with find_package(routemap) builds"
    (cd "$T" && "$T/cmproj/b/example" "$T/cm.svg" >"$T/cmrun.log" 2>&1) && [ -s "$T/cm.svg" ] \
        && pass "and runs: $(head -1 "$T/cmrun.log")" || bad "the find_package example fails: $(head -c 400 "$T/cmrun.log")"
else bad "find_package(routemap): $(tail -c 800 "$T/cm.log")"; fi

# the installed CLI: its own data, its library path
(cd "$T" && "$P/bin/routemap" render --size 400x300 -o "$T/cli.svg" >/dev/null 2>"$T/cli.log") \
    && [ -s "$T/cli.svg" ] && pass "installed CLI renders with the installed data" || bad "installed CLI: $(head -c 300 "$T/cli.log")"
grep -aq 'ORIGIN/../lib' "$P/bin/routemap" && pass "the CLI's RPATH is \$ORIGIN/../lib" || bad "no \$ORIGIN RPATH in the CLI"

# bash completion: commands, and a command's options from its --help
COMP=$P/share/bash-completion/completions/routemap
out=$(PATH="$P/bin:$PATH" bash -c '
    source "$1"
    COMP_WORDS=(routemap ren); COMP_CWORD=1; _routemap; echo "${COMPREPLY[*]}"
    COMP_WORDS=(routemap render --pre); COMP_CWORD=2; _routemap; echo "${COMPREPLY[*]}"
    COMP_WORDS=(routemap render --preset sl); COMP_CWORD=3; _routemap; echo "${COMPREPLY[*]}"' _ "$COMP" 2>&1)
[ "$(printf '%s\n' "$out" | sed -n 1p)" = "render" ] && pass "bash completes 'ren' to render" || bad "bash completion of commands: $out"
[ "$(printf '%s\n' "$out" | sed -n 2p)" = "--preset" ] && pass "bash completes 'render --pre' to --preset" || bad "bash completion of options: $out"
[ "$(printf '%s\n' "$out" | sed -n 3p)" = "slide-16x9 slide-4x3" ] && pass "bash completes preset names" || bad "bash completion of presets: $out"

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
