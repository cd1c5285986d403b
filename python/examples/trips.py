"""Example: Kim Jong Un's foreign trips from the CSV of sourced facts, on a
map built in Python, with the rail route to Vladivostok computed by routemap.

    python3 python/examples/trips.py [OUT_DIR]

Writes trips.svg and trips.png to OUT_DIR (default: the current directory) and
prints the route. The markers go in as a GeoJSON-like object with
__geo_interface__ -- the way a GeoDataFrame would, without needing geopandas.
In Jupyter, `m` alone in a cell shows the map (Map._repr_svg_).
"""

import csv
import os
import sys

import routemap

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)


class Trips:
    """Points with properties, exposed through __geo_interface__."""

    def __init__(self, rows):
        self.rows = rows

    @property
    def __geo_interface__(self):
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
             "properties": {"label": r["destination"].split(" (")[0].split(" - ")[0],
                            "date": r["date_start"][:7], "number": i + 1,
                            "mode": r["mode"].split("+")[0], "kind": "trip"}}
            for i, r in enumerate(self.rows)]}


def main(out_dir="."):
    with open(os.path.join(ROOT, "data", "facts", "trips.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    r = routemap.route("Pyongyang", "Vladivostok", via=["Tumangang"])
    p = r["properties"]
    print("%s → %s: %.1f km by rail through %s" % (p["from"], p["to"], p["length_km"],
                                                   ", ".join(p["countries"])))
    for leg in p["lines"]:
        print("  %7.1f km  %s" % (leg["km"], leg["line"]))

    m = routemap.Map(title="Kim Jong Un's foreign trips, 2018–2023",
                     size={"preset": "slide-16x9"}, furniture={"inset": False})
    for layer in ("land", "countries", "borders", "coastline", "rail"):
        m.add_layer(layer + ".shp", id=layer)
    m.add_route("Pyongyang", "Vladivostok", via=["Tumangang"], label="Rail route, 2023")
    m.add_markers([{"place": "Pyongyang", "kind": "origin", "priority": 100}])
    m.add_markers(Trips(rows), group="Trips")
    for ext in ("svg", "png"):
        path = os.path.join(out_dir, "trips." + ext)
        m.render(path)
        print("wrote", path)
    return m


if __name__ == "__main__":
    main(*sys.argv[1:])
