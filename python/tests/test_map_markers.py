"""Map and markers: specs built in Python, markers from dicts and from any
__geo_interface__, inline display in Jupyter; the example script; the
missing-library message."""

import json
import os
import runpy
import subprocess
import sys

import pytest

import routemap
from conftest import ROOT, example


class Points:
    """Like a GeoDataFrame: points with properties behind __geo_interface__
    (and a float NaN where a value is missing, as pandas gives it)."""

    def __init__(self, feats):
        self.feats = feats

    @property
    def __geo_interface__(self):
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
             "properties": props} for lon, lat, props in self.feats]}


class Int:
    """A numpy-like scalar (.item())."""

    def __init__(self, v):
        self.v = v

    def item(self):
        return self.v


def test_markers_from_geo_interface():
    pts = Points([(131.8869, 43.1155, {"name": "Vladivostok", "number": Int(6),
                                       "date": float("nan"), "population": 600000}),
                  (130.637, 42.424, {"label": "Bridge", "kind": "crossing"})])
    got = routemap.markers(pts, kind="trip")
    assert got == [{"lon": 131.8869, "lat": 43.1155, "number": 6, "label": "Vladivostok",
                    "kind": "trip"},
                   {"lon": 130.637, "lat": 42.424, "label": "Bridge", "kind": "crossing"}]
    # a single point, a MultiPoint
    assert routemap.markers({"type": "Point", "coordinates": [1, 2]}) == [{"lon": 1.0,
                                                                          "lat": 2.0}]
    assert len(routemap.markers({"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]})) == 2
    with pytest.raises(ValueError):
        routemap.markers({"type": "LineString", "coordinates": [[1, 2], [3, 4]]})


def test_markers_from_dicts():
    rows = [{"name": "Dalian", "longitude": 121.6147, "latitude": 38.914, "extra": "x"},
            {"place": "Pyongyang", "kind": "origin", "priority": 100}]
    assert routemap.markers(rows) == [
        {"label": "Dalian", "lon": 121.6147, "lat": 38.914},
        {"place": "Pyongyang", "kind": "origin", "priority": 100}]


def test_map_renders_like_the_equivalent_spec():
    with open(example("kim-train-2023.json"), encoding="utf-8") as f:
        spec = json.load(f)
    ms = spec.pop("markers")
    m = routemap.Map(spec)
    feats = [(d["lon"], d["lat"], {k: v for k, v in d.items() if k not in ("lon", "lat")})
             for d in ms if "lon" in d]
    m.add_markers([d for d in ms if "place" in d])
    m.add_markers(Points(feats))
    # the same markers in another order draw the same map only if they are the same
    # markers: compare with the spec holding the converted list
    spec["markers"] = m.spec["markers"]
    assert sorted(json.dumps(d, sort_keys=True) for d in m.spec["markers"]) == \
        sorted(json.dumps(d, sort_keys=True) for d in ms)
    assert m.render() == routemap.render(spec)
    svg = m._repr_svg_()
    assert isinstance(svg, str) and "<svg" in svg[:400]
    assert m._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


def test_map_from_file_keeps_relative_paths():
    path = example("kim-trips-2018-2023.json")  # has a relative markers_file
    m = routemap.Map(path, title="Trips")
    assert m.render() == routemap.render(dict(json.load(open(path, encoding="utf-8")),
                                              title="Trips"),
                                         base_dir=os.path.dirname(path))


def test_map_builder():
    m = (routemap.Map(title="Route")
         .add_layer("land.shp", id="land")
         .add_route("Pyongyang", "Vladivostok", via=["Tumangang"], label="Route"))
    assert m.spec["routes"] == [{"from": "Pyongyang", "to": "Vladivostok", "via": ["Tumangang"],
                                 "label": "Route"}]
    assert m.render(format="pdf")[:4] == b"%PDF"
    m.add_route("Pyongyang", "Atlantis")
    with pytest.raises(routemap.Error) as e:
        m.render()
    assert "Atlantis" in e.value.message


def test_example_script(tmp_path, capsys):
    runpy.run_path(os.path.join(ROOT, "python", "examples", "trips.py"), run_name="example")[
        "main"](str(tmp_path))
    out = capsys.readouterr().out
    km = routemap.route("Pyongyang", "Vladivostok", via=["Tumangang"])["properties"]["length_km"]
    assert ("%.1f km by rail through PRK, RUS" % km) in out
    assert (tmp_path / "trips.svg").read_bytes().startswith(b"<?xml")
    png = (tmp_path / "trips.png").read_bytes()
    assert png[:4] == b"\x89PNG" and len(png) > 50000


def test_missing_library_says_how_to_build_it(tmp_path):
    env = dict(os.environ, ROUTEMAP_LIBRARY=str(tmp_path / "libroutemap.so"),
               PYTHONPATH=os.path.join(ROOT, "python"))
    p = subprocess.run([sys.executable, "-c", "import routemap; routemap.render()"], env=env,
                       capture_output=True, text=True)
    assert p.returncode != 0
    last = p.stderr.strip().splitlines()[-1]
    assert last.startswith("routemap.errors.LibraryNotFound: libroutemap not found")
    assert "cmake -S . -B build && cmake --build build" in last
    assert str(tmp_path / "libroutemap.so") in last


def test_example_notebook(tmp_path, monkeypatch, capsys):
    # the notebook's code cells, run in order in one namespace (as a kernel
    # would); the last expression of a cell is what Jupyter would display
    import ast

    with open(os.path.join(ROOT, "python", "examples", "notebook.ipynb"),
              encoding="utf-8") as f:
        nb = json.load(f)
    monkeypatch.chdir(tmp_path)
    ns, shown = {}, []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<cell>", "exec"), ns)
        if last is not None:
            shown.append(eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns))
    out = capsys.readouterr().out
    km = routemap.route("Pyongyang", "Vladivostok", via=["Tumangang"])["properties"]["length_km"]
    assert ("Pyongyang → Vladivostok: %.0f km through PRK, RUS" % km) in out
    assert [p["name"] for p in shown[0]] == [p["name"] for p in routemap.places("vlad")]
    m = shown[1]
    assert isinstance(m, routemap.Map) and "<svg" in m._repr_svg_()[:400]
    assert {"label": "Ussuriysk", "kind": "city", "lon": 131.9317, "lat": 43.8029} in \
        m.spec["markers"]
    assert (tmp_path / "pyongyang-vladivostok.png").read_bytes() == m.render(format="png")
