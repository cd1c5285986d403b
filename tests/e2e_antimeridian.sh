#!/usr/bin/env bash
# End-to-end: a map across the 180th meridian (docs/gallery/bering.json:
# Chukotka, the Bering Strait and Alaska, extent [160, 55, -150, 72]) drawn
# from Natural Earth's GLOBAL 1:10m files, with the automatic projection.
# Checked as a reader would, at fixed lon/lat points taken to the page
# through the --georef affine and PROJ (cs2cs), on the rendered pixels
# (PDF -> pdftoppm): land is land and sea is sea on both sides of 180 (no
# strip of false land across the strait, Chukotka east of 180 not sea);
# the projection is centred near 175W (not near 0); markers on both sides
# are drawn inside the map, in their west-to-east order; the CLI takes the
# same box as --extent 160,55,-150,72; on a polar map with a conic, the scale
# bar's note names the standard parallel it is true along.
# Args: CLI path, source dir, shared data dir. Exit 77 = skip (no global data).
set -euo pipefail
cli=$1 src=$2 shared=${3:-}
global="$shared/global"
if [ ! -f "$global/ne_10m_land.shp" ]; then
    echo "skip: no Natural Earth global data in '$global'"
    exit 77
fi
command -v pdftoppm >/dev/null || { echo "pdftoppm missing (poppler-utils)"; exit 1; }
command -v cs2cs >/dev/null || { echo "cs2cs missing (proj-bin)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

spec="$src/docs/gallery/bering.json"
"$cli" render "$spec" --data-dir "$global" -o map.pdf --georef geo.json --layout lay.json
pdftoppm -r 96 map.pdf page
# the same box given on the command line, across 180 as min > max
"$cli" render "$spec" --data-dir "$global" --extent 160,55,-150,72 -o cli.svg --georef geo2.json

# a polar map on a conic with standard parallels 55N and 64N: the scale bar
# says it is true along a standard parallel the map shows, not at the
# latitude of the map's centre (about 80N)
cat > polar.json <<'JSON'
{"size": "1200x900", "extent": [90, 60, -170, 89],
 "projection": "+proj=lcc +lat_1=55 +lat_2=64 +lat_0=75 +lon_0=140 +datum=WGS84 +units=m",
 "layers": [{"file": "ne_10m_land.shp", "kind": "fill"}],
 "furniture": {"scale_bar": true, "legend": false}}
JSON
"$cli" render polar.json --data-dir "$global" -o polar.svg --layout polar-lay.json

python3 - "$spec" <<'PY'
import glob, json, subprocess, sys

fails = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails.append(what)

spec = json.load(open(sys.argv[1]))
g = json.load(open("geo.json"))
a, c, d, f = (g["affine"][k] for k in "acdf")
ma = g["map_area"]

def lonlat_to_page(pts):
    text = "".join("%.6f %.6f\n" % (lat, lon) for lon, lat in pts)  # EPSG:4326 is lat, lon
    out = subprocess.run(["cs2cs", "-f", "%.4f", "EPSG:4326", "+to", g["crs"]],
                         input=text, capture_output=True, text=True, check=True).stdout
    res = []
    for line in out.splitlines():
        x, y = map(float, line.split()[:2])
        res.append((a * x + c, d * y + f))
    return res

# the rendered page as pixels (P6 from pdftoppm at 96 dpi: 1 px = 1 CSS px)
ppm = open(sorted(glob.glob("page*.ppm"))[0], "rb").read()
parts = ppm.split(b"\n", 3)
assert parts[0] == b"P6"
W, H = map(int, parts[1].split())
pix = parts[3]
def rgb(x, y):
    i = 3 * (int(y) * W + int(x))
    return tuple(pix[i:i + 3])
def hexrgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))
land = hexrgb(spec["layers"][0]["style"]["fill"])
sea = hexrgb(spec["background"])
def near(p, q):
    return sum((u - v) ** 2 for u, v in zip(p, q)) ** 0.5 < 12

check(abs(W - g["page"]["width"]) <= 1 and abs(H - g["page"]["height"]) <= 1,
      "pixels match the page (%dx%d)" % (W, H))
lon0 = [t for t in g["crs"].split() if t.startswith("+lon_0=")]
check(bool(lon0) and abs(float(lon0[0][7:]) - (-175)) < 3,
      "automatic projection centred near 175W (%s)" % (lon0 or "no lon_0"))

# fixed points, chosen well away from any coast (>= 25 km)
points = [
    ("Chukotka west of 180", 172.0, 66.5, "land"),
    ("Chukotka just west of 180", 179.6, 67.0, "land"),
    ("Chukotka just east of 180", -179.6, 67.0, "land"),
    ("Chukotka east of 180", -176.0, 66.0, "land"),
    ("Chukotka near Provideniya", -174.8, 65.8, "land"),
    ("Wrangel Island west of 180", 179.6, 71.2, "land"),
    ("Wrangel Island east of 180", -179.3, 71.2, "land"),
    ("Alaska, interior", -155.0, 65.0, "land"),
    ("Seward Peninsula", -163.5, 65.2, "land"),
    ("Bering Sea west of 180", 178.0, 61.0, "sea"),
    ("Bering Sea east of 180", -178.0, 61.0, "sea"),
    ("Bering Sea south of the strait", -170.5, 64.7, "sea"),
    ("Chukchi Sea north of the strait", -168.0, 68.0, "sea"),
    ("Chukchi Sea west of 180", 178.5, 70.0, "sea"),
    ("Bering Sea north of the Aleutians", -175.0, 56.0, "sea"),
]
page = lonlat_to_page([(lon, lat) for _, lon, lat, _ in points])
for (name, lon, lat, want), (x, y) in zip(points, page):
    inside = ma[0] + 2 <= x <= ma[2] - 2 and ma[1] + 2 <= y <= ma[3] - 2
    check(inside, "%s (%g, %g) lies inside the map (%.0f, %.0f)" % (name, lon, lat, x, y))
    if not inside:
        continue
    # the 3x3 pixels around the point: all of the expected colour (a label or
    # a graticule line may cover one pixel, not all nine)
    got = [rgb(x + dx, y + dy) for dx in (-4, 0, 4) for dy in (-4, 0, 4)]
    good = sum(near(p, land if want == "land" else sea) for p in got)
    check(good >= 6, "%s (%g, %g) is %s (%d/9 px; centre %s)" % (name, lon, lat, want, good, got[4]))

# markers on both sides of 180, drawn inside the map, west to east on the page
places = {p["name"]: p for p in g["places"]}
order = ["Petropavlovsk-Kamchatsky", "Anadyr", "Provideniya", "Nome", "Anchorage"]
for n in order:
    p = places.get(n)
    check(p is not None and ma[0] <= p["x"] <= ma[2] and ma[1] <= p["y"] <= ma[3],
          "marker %s drawn inside the map" % n)
xs = [places[n]["x"] for n in order if n in places]
check(xs == sorted(xs) and len(xs) == len(order), "markers keep their west-to-east order")
lay = json.load(open("lay.json"))
labels = " ".join(l["text"] for l in lay.get("labels", []))
grat = [f["text"] for f in lay["furniture"] if f["kind"] == "graticule_label"]
lons = [t for t in grat if t.endswith("E") or t.endswith("W") or t == "180°"]
check("165°W" in grat and all(int(t.split("°")[0]) <= 180 for t in lons),
      "meridians east of 180 are labelled in degrees west (%s)" % grat)
for n in ("Anadyr", "Nome"):
    check(n in labels, "%s is labelled" % n)

g2 = json.load(open("geo2.json"))
check(g2["crs"] == g["crs"] and abs(g2["affine"]["a"] - a) < 1e-12,
      "--extent 160,55,-150,72 gives the same map as the spec's extent")
notes = [f.get("note", "") for f in json.load(open("polar-lay.json"))["furniture"]
         if f["kind"] == "scale_bar"]
check(len(notes) == 1 and notes[0].startswith("true along 64°N (standard parallel)"),
      "polar conic: the scale bar is true along a standard parallel (%s)" % notes)
print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
PY
