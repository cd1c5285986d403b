"""Map: a spec built up in Python, shown inline in Jupyter."""

import copy
import json
import math
import os

from .core import render

# the keys of a marker in the spec (docs/spec.md, "markers")
MARKER_KEYS = ("place", "lon", "lat", "label", "kind", "date", "number", "priority", "group",
               "mode")
_LABEL_KEYS = ("label", "name", "title")
_INT_KEYS = ("number", "priority")


def _plain(v):
    """A JSON value from numpy/pandas scalars; None for missing (None, NaN)."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalar
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _marker_from_props(props, lon=None, lat=None):
    m = {}
    if lon is not None:
        m["lon"], m["lat"] = float(lon), float(lat)
    for k in MARKER_KEYS:
        if k in ("lon", "lat") and lon is not None:
            continue
        v = _plain(props.get(k))
        if v is None:
            continue
        if k == "label" or k in ("kind", "date", "group", "mode", "place"):
            v = str(v)
        elif k in _INT_KEYS:
            v = int(v)
        else:
            v = float(v)
        m[k] = v
    if "label" not in m:
        for k in _LABEL_KEYS[1:]:
            v = _plain(props.get(k))
            if v is not None:
                m["label"] = str(v)
                break
    if "lon" not in m:
        for a, b in (("longitude", "latitude"), ("lng", "lat"), ("x", "y")):
            if _plain(props.get(a)) is not None and _plain(props.get(b)) is not None:
                m["lon"], m["lat"] = float(props[a]), float(props[b])
                break
    return m


def _features(gi):
    t = gi.get("type")
    if t == "FeatureCollection":
        for f in gi.get("features", []):
            yield from _features(f)
    elif t == "Feature":
        geom = gi.get("geometry")
        geom = geom.__geo_interface__ if hasattr(geom, "__geo_interface__") else geom
        for lon, lat in _points(geom):
            yield gi.get("properties") or {}, lon, lat
    else:
        for lon, lat in _points(gi):
            yield {}, lon, lat


def _points(geom):
    if not geom:
        return
    t = geom.get("type")
    if t == "Point":
        yield geom["coordinates"][0], geom["coordinates"][1]
    elif t == "MultiPoint":
        for c in geom["coordinates"]:
            yield c[0], c[1]
    elif t == "GeometryCollection":
        for g in geom.get("geometries", []):
            yield from _points(g)
    else:
        raise ValueError("markers: point geometries only, not %s" % t)


def markers(data, **defaults):
    """Marker dicts for a spec from: a list of dicts (keys of docs/spec.md's
    markers, plus name/title for the label and longitude/latitude, lng or x/y
    for the position; other keys are ignored), or any object with
    __geo_interface__ (a GeoDataFrame, a shapely point, a GeoJSON-like dict
    of Points) whose properties give label/name, kind, date, number, ...
    defaults (e.g. kind="trip") fill keys a marker does not give."""
    if hasattr(data, "__geo_interface__"):
        data = data.__geo_interface__
    if isinstance(data, dict) and "type" in data:
        items = [_marker_from_props(p, lon, lat) for p, lon, lat in _features(data)]
    else:
        items = []
        for d in data:
            if hasattr(d, "__geo_interface__") or (isinstance(d, dict) and d.get("type") in (
                    "Feature", "Point", "MultiPoint", "FeatureCollection")):
                items.extend(markers(d))
            else:
                items.append(_marker_from_props(dict(d)))
    for m in items:
        for k, v in defaults.items():
            m.setdefault(k, v)
    return items


class Map:
    """A map spec (a dict, as in docs/spec.md) with helpers, rendered by
    render() and shown inline by Jupyter (_repr_svg_, _repr_png_).

        m = routemap.Map(title="Pyongyang to Vladivostok")
        m.add_layer("land.shp").add_route("Pyongyang", "Vladivostok", via=["Tumangang"])
        m.add_markers(gdf, kind="trip")   # any __geo_interface__, or a list of dicts
        m.render("trip.png")

    Map(spec) starts from a spec (dict, JSON text or path; relative paths in a
    spec file keep resolving against its directory); keyword arguments set
    top-level keys (title=..., theme=..., size={...}).
    """

    def __init__(self, spec=None, base_dir=None, **keys):
        self.base_dir = base_dir
        if spec is None:
            self.spec = {}
        elif isinstance(spec, dict):
            self.spec = copy.deepcopy(spec)
        elif isinstance(spec, str) and spec.lstrip().startswith("{"):
            self.spec = json.loads(spec)
        else:
            path = os.fspath(spec)
            with open(path, encoding="utf-8") as f:
                self.spec = json.load(f)
            if base_dir is None:
                self.base_dir = os.path.dirname(os.path.abspath(path))
        self.spec.update(keys)

    def add_layer(self, file, **keys):
        """Appends a layer (a shapefile; keys: id, kind, style, legend, filter)."""
        self.spec.setdefault("layers", []).append(dict(file=os.fspath(file), **keys))
        return self

    def add_route(self, frm, to, via=(), **keys):
        """Appends a route (keys: label, style, max_gap_km, rail, arrows)."""
        r = {"from": frm, "to": to}
        if via:
            r["via"] = list(via)
        r.update(keys)
        self.spec.setdefault("routes", []).append(r)
        return self

    def add_markers(self, data, **defaults):
        """Appends markers from a list of dicts or a __geo_interface__ object
        (see routemap.markers)."""
        self.spec.setdefault("markers", []).extend(markers(data, **defaults))
        return self

    def render(self, out=None, format=None):
        """As routemap.render(self.spec, out, format)."""
        return render(self, out=out, format=format)

    def _repr_svg_(self):
        return self.render(format="svg").decode("utf-8")

    def _repr_png_(self):
        return self.render(format="png")

    def __repr__(self):
        return "routemap.Map(%s)" % json.dumps(self.spec, ensure_ascii=False)[:200]
