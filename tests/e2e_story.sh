#!/usr/bin/env bash
# End-to-end: maps that tell the story (issue 16), checked through the
# layout dump (--layout: every label, marker, furniture box, the routes as
# drawn, and every place that is not a symbol of its own, with why).
# - Default map: the route's box is at least 10 % of the map area (the map
#   frames the route and the places near it; far ones go to the locator).
# - Slide preset at 1920x1080 px: median label box >= 22 px high, smallest >= 18
#   (in the slide's pixels: the dump's CSS px times png_scale).
# - No furniture (legend, inset, scale bar, north arrow) covers a route point
#   or a marker, on the default map in every preset.
# - No place lost silently: every marker of the spec is a symbol on the map,
#   or listed in "elsewhere" (merged into a neighbour, in the locator), and
#   -v names every one listed.
# - Several journeys (docs/gallery/journeys.json): a colour and a legend row
#   (with its km) per journey; where their centre lines share track (they
#   do: checked on the georef vertices), the drawn lines lie side by side:
#   no track drawn twice.
# Args: CLI path, source dir, shared data dir (unused).
set -euo pipefail
cli=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$cli" render -o def.svg --layout def.json -v 2>def.log
for p in slide-16x9 slide-4x3 a4-landscape a4-portrait square thumbnail; do
    "$cli" render --preset "$p" -o "$p.svg" --layout "$p.json" -v 2>"$p.log"
done
"$cli" render "$src/docs/gallery/journeys.json" -o j.svg --layout j.json --georef jg.json

python3 - <<'PY'
import json, math, sys
fails = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails.append(what)

def area(b):
    return max(0, b[2] - b[0]) * max(0, b[3] - b[1])

def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

def seg_dist(p, a, b):
    dx, dy = b[0] - a[0], b[1] - a[1]
    L = dx * dx + dy * dy
    t = 0 if L == 0 else max(0, min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / L))
    return math.hypot(a[0] + t * dx - p[0], a[1] + t * dy - p[1])

def poly_dist(p, pts):
    return min(seg_dist(p, pts[i], pts[i + 1]) for i in range(len(pts) - 1))

# --- framing: the route's box on the default map
d = json.load(open("def.json"))
pts = d["routes"][0]["points"]
xs, ys = [p[0] for p in pts], [p[1] for p in pts]
share = (max(xs) - min(xs)) * (max(ys) - min(ys)) / area(d["map_area"])
check(share >= 0.10, "default map: the route's box is %.1f %% of the map area (>= 10 %%)" % (100 * share))

# --- type for the medium: labels on the 16:9 slide
s = json.load(open("slide-16x9.json"))
k = s["page"]["png_scale"]  # the layout is in CSS px; the slide's pixels are k times them
hs = sorted((l["box"][3] - l["box"][1]) * k for l in s["labels"])
check(round(s["page"]["width"] * k) == 1920 and round(s["page"]["height"] * k) == 1080,
      "slide-16x9 is 1920x1080 px")
check(len(hs) >= 5, "slide: %d labels placed" % len(hs))
med = hs[len(hs) // 2]
check(med >= 22, "slide: median label box %.1f px high (>= 22)" % med)
check(hs[0] >= 18, "slide: smallest label box %.1f px high (>= 18)" % hs[0])

# --- furniture never covers the story; no place lost silently
for name in ["def", "slide-16x9", "slide-4x3", "a4-landscape", "a4-portrait", "square", "thumbnail"]:
    lay = json.load(open(name + ".json"))
    log = open(name + ".log").read()
    furn = [f for f in lay["furniture"] if f["kind"] in ("legend", "inset", "scale_bar", "north_arrow")]
    route_pts = [p for r in lay["routes"] for p in r["points"]]
    bad = []
    for f in furn:
        b = f["box"]
        for p in route_pts:
            if b[0] <= p[0] <= b[2] and b[1] <= p[1] <= b[3]:
                bad.append("%s covers the route at (%.0f, %.0f)" % (f["kind"], p[0], p[1]))
                break
        for m in lay["markers"]:
            if overlaps(b, m["box"]):
                bad.append("%s covers the marker %s" % (f["kind"], m["label"]))
    check(not bad, "%s: no furniture covers a route or a marker %s" % (name, bad[:3]))
    # every marker of the spec: a symbol, or elsewhere (and -v names it)
    drawn = {m["label"] for m in lay["markers"]}
    elsewhere = lay["elsewhere"]
    for e in elsewhere:
        check(e["label"] in log, "%s: -v names '%s' (%s)" % (name, e["label"], e["how"]))
        check(e["how"] in ("merged", "locator"), "%s: '%s' is %s" % (name, e["label"], e["how"]))
        if e["how"] == "merged":
            check(e["into"] in drawn or any(e["into"].startswith(x) for x in drawn),
                  "%s: '%s' merged into a drawn symbol ('%s')" % (name, e["label"], e["into"]))
    for wanted in ["Beijing", "Panmunjom", "Dalian", "Singapore", "Hanoi", "Vostochny Cosmodrome",
                   "Komsomolsk-on-Amur", "Artyom (Knevichi)", "Vladivostok", "Pyongyang"]:
        shown = any(wanted in m["label"] for m in lay["markers"]) or \
            any(wanted in e["label"] for e in elsewhere)
        check(shown, "%s: %s is on the map, merged into a named symbol, or in the locator" % (name, wanted))

# --- several journeys told apart, no track drawn twice
j = json.load(open("j.json"))
g = json.load(open("jg.json"))
routes = j["routes"]
check(len(routes) == 6, "journeys map: 6 routes drawn (%d)" % len(routes))
cols = [r["color"] for r in routes]
check(len(set(cols)) == len(cols), "each journey has its own colour %s" % cols)
legend_texts = [r["legend"] for r in routes]
check(len(set(legend_texts)) == len(routes) and all("km)" in t for t in legend_texts),
      "a legend row per journey, with its km")
centre = [[(v[2], v[3]) for v in r["vertices"]] for r in g["routes"]]
shared_pairs = 0
for a in range(len(routes)):
    for b in range(a + 1, len(routes)):
        A, B = centre[a], centre[b]
        on = [p for p in A if poly_dist(p, B) < 0.5]
        if len(on) < 10:
            continue  # these two do not share track
        shared_pairs += 1
        da, db = routes[a]["points"], routes[b]["points"]
        w = min(routes[a]["width"], routes[b]["width"])
        # the drawn lines along the shared centre line: side by side
        # (a route that runs past a junction and back, or crosses the
        # other, touches it at a few points: drawn twice, it would touch it
        # all along the shared track)
        touching = sum(1 for p in da if poly_dist(p, db) < 0.5 * w)
        check(touching <= len(on) // 10,
              "journeys %d and %d share track (%d vertices) and are drawn side by side "
              "(%d of %d drawn points on the other's line)" % (a + 1, b + 1, len(on), touching, len(da)))
check(shared_pairs >= 5, "the journeys map has journeys that share track (%d pairs)" % shared_pairs)
print("%d failed" % len(fails))
sys.exit(1 if fails else 0)
PY
