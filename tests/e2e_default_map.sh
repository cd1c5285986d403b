#!/usr/bin/env bash
# End-to-end: render the default map (no spec) and check what a reader would
# check — the SVG is well formed and opens in another reader (rsvg-convert),
# its size is in px with a viewBox, the drawn route passes within 5 km of
# Tumangang and of Khasan (page positions taken back through the georef
# affine and PROJ's inverse, not the router's own lon/lat), and every
# destination of Kim's foreign trips up to the article (data/facts/trips.csv,
# T01–T10) is drawn inside the map (a marker within 15 km) with a label or a
# numbered marker, or, far from the route, in the locator inset with its name.
# Args: CLI path, source dir, shared data dir (unused).
set -euo pipefail
cli=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$cli" render -o map.svg --georef georef.json --layout layout.json
test -s map.svg
command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing (apt-get install librsvg2-bin)"; exit 1; }
rsvg-convert -o map.png map.svg
test -s map.png

python3 - "$src/data/facts/trips.csv" <<'PY'
import csv, json, math, subprocess, sys
import xml.etree.ElementTree as ET

fails, passes = [], []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    (passes if cond else fails).append(what)

root = ET.parse("map.svg").getroot()
check(root.tag.endswith("svg"), "map.svg is well-formed SVG")
w, h = root.get("width", ""), root.get("height", "")
check(w.endswith("px") and h.endswith("px"), "SVG width/height in px (%s x %s)" % (w, h))
check(root.get("viewBox") is not None, "SVG has a viewBox")

g = json.load(open("georef.json"))
lay = json.load(open("layout.json"))
a, c, d, f = (g["affine"][k] for k in "acdf")
pw, ph = g["page"]["width"], g["page"]["height"]

def inverse(points):
    """page px -> map CRS -> lon/lat with PROJ's cs2cs."""
    text = "".join("%.6f %.6f\n" % ((x - c) / a, (y - f) / d) for x, y in points)
    out = subprocess.run(["cs2cs", "-f", "%.7f", g["crs"], "+to", "EPSG:4326"],
                         input=text, capture_output=True, text=True, check=True).stdout
    ll = []
    for line in out.splitlines():
        lat, lon = map(float, line.split()[:2])  # EPSG:4326 is lat, lon
        ll.append((lon, lat))
    return ll

def seg_km(p, s, t):
    """distance in km from p to segment st (local equirectangular)."""
    k = math.cos(math.radians(p[1])) * 111.195
    ax, ay = (s[0] - p[0]) * k, (s[1] - p[1]) * 111.195
    bx, by = (t[0] - p[0]) * k, (t[1] - p[1]) * 111.195
    dx, dy = bx - ax, by - ay
    L = dx * dx + dy * dy
    u = 0 if L == 0 else max(0, min(1, -(ax * dx + ay * dy) / L))
    return math.hypot(ax + u * dx, ay + u * dy)

routes = g["routes"]
check(len(routes) >= 1, "the map draws a route")
r = routes[0]
page = [(v[2], v[3]) for v in r["vertices"]]
check(all(0 <= x <= pw and 0 <= y <= ph for x, y in page), "route lies on the page")
ll = inverse(page)
for name, lon, lat in (("Tumangang", 130.6026, 42.4217), ("Khasan", 130.6453, 42.4281)):
    dist = min(seg_km((lon, lat), ll[i], ll[i + 1]) for i in range(len(ll) - 1))
    check(dist <= 5.0, "route passes within 5 km of %s (%.2f km)" % (name, dist))
check(950 <= r["km"] <= 1250, "route length %.0f km within 950-1,250 km" % r["km"])

places = g["places"]
labels = [l["text"] for l in lay.get("labels", [])]
ma = g["map_area"]
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if row["date_start"] >= "2023-09-10" and not row["id"].startswith("T10"):
        continue  # after the article
    lon, lat = float(row["lon"]), float(row["lat"])
    # one marker may stand for several venues of a city (FEFU, the piers and the
    # station of Vladivostok lie within 15 km of each other)
    near = [p for p in places if seg_km((lon, lat), (p["lon"], p["lat"]), (p["lon"], p["lat"])) <= 15]
    inside = [p for p in near if ma[0] <= p["x"] <= ma[2] and ma[1] <= p["y"] <= ma[3]]
    # a place far from the story is in the locator inset instead (issue 16),
    # named there beside its dot
    inset = [f["box"] for f in lay["furniture"] if f["kind"] == "inset"]
    located = [e for e in lay.get("elsewhere", []) if e["how"] == "locator" and inset
               and inset[0][0] <= e["point"][0] <= inset[0][2]
               and inset[0][1] <= e["point"][1] <= inset[0][3]
               and seg_km((lon, lat), e["lonlat"], e["lonlat"]) <= 15]
    check(bool(inside) or bool(located),
          "%s %s is drawn inside the map%s" % (row["id"], row["destination"],
                                               " (in the locator inset)" if located and not inside else ""))
    if located and not inside:
        check(bool(located[0]["label"]), "%s is named in the locator" % row["id"])
    if inside:
        nm = inside[0]["name"]
        check(any(nm.split(" (")[0].split(" –")[0] in t for t in labels) or "number" in inside[0],
              "%s has a label or a numbered marker" % row["id"])
print("%d passed, %d failed" % (len(passes), len(fails)))
sys.exit(1 if fails else 0)
PY
