#!/usr/bin/env bash
# End-to-end: type and layout for the medium (issue 16).
# - --dpi changes the pixels, not the composition: the default map at
#   --dpi 300 is 5000x3125 px (1600x1000 at 96 dpi) and its layout dump (every
#   label, marker and furniture box, in CSS px) is the one at 96 dpi; the
#   16:9 slide (13.333 x 7.5 in) is 1920x1080 px at its own 144 dpi, and at
#   --dpi 192 2560x1440 px with the same layout.
# Args: CLI path, source dir, shared data dir (unused).
set -euo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$cli" render -o d96.png --layout d96.json
"$cli" render --dpi 300 -o d300.png --layout d300.json
"$cli" render --preset slide-16x9 -o s96.png --layout s96.json
"$cli" render --preset slide-16x9 --dpi 192 -o s192.png --layout s192.json

python3 - <<'PY'
import json, struct, sys
fails = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails.append(what)

def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return struct.unpack(">II", head[16:24])

def layout(path):
    lay = json.load(open(path))
    lay["page"].pop("png_scale", None)
    return lay

check(png_size("d300.png") == (5000, 3125), "--dpi 300: 5000x3125 px (%dx%d)" % png_size("d300.png"))
check(png_size("d96.png") == (1600, 1000), "96 dpi: 1600x1000 px")
check(layout("d96.json") == layout("d300.json"), "--dpi 300 keeps the layout of 96 dpi")
check(png_size("s96.png") == (1920, 1080), "slide-16x9: 1920x1080 px (%dx%d)" % png_size("s96.png"))
check(png_size("s192.png") == (2560, 1440), "slide-16x9 at 192 dpi: 2560x1440 px (%dx%d)" % png_size("s192.png"))
check(layout("s96.json") == layout("s192.json"), "slide-16x9 at 192 dpi keeps its layout")
print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
PY
