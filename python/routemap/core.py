"""render, route, places, project: thin calls into libroutemap."""

import ctypes
import json
import math
import os

from . import _lib
from ._lib import lib
from .errors import Error


def _raise(err, prefix=""):
    status = err.status
    name = _lib.STATUS_NAMES[status] if 0 <= status < len(_lib.STATUS_NAMES) else str(status)
    raise Error(prefix + err.message.decode("utf-8", "replace"), name,
                lib().rm_status_exit_code(status))


def _b(s):
    return None if s is None else os.fsencode(s) if isinstance(s, os.PathLike) else s.encode()


# ---------------------------------------------------------------- specs

def _spec_source(spec):
    """(kind, value, base_dir) for a spec given as None, a dict, JSON text or a path."""
    if spec is None:
        return "default", None, None
    if isinstance(spec, dict):
        return "text", json.dumps(spec, ensure_ascii=False, indent=1), None
    if isinstance(spec, bytes):
        spec = spec.decode("utf-8")
    if isinstance(spec, str) and spec.lstrip().startswith("{"):
        return "text", spec, None
    if isinstance(spec, (str, os.PathLike)):
        return "file", os.fspath(spec), None
    if hasattr(spec, "spec") and isinstance(getattr(spec, "spec"), dict):  # a Map
        return "text", json.dumps(spec.spec, ensure_ascii=False, indent=1), spec.base_dir
    raise TypeError("spec: a dict, JSON text, a path or None, not %s" % type(spec).__name__)


class _Spec:
    """An rm_spec parsed by the library (freed on close)."""

    def __init__(self, spec, name=None, base_dir=None):
        kind, value, bdir = _spec_source(spec)
        base_dir = base_dir if base_dir is not None else bdir
        L = lib()
        err = _lib.rm_error()
        if kind == "default":
            self.ptr = L.rm_spec_default(ctypes.byref(err))
            self.doc = None
        elif kind == "file":
            self.ptr = L.rm_spec_parse_file(_b(value), ctypes.byref(err))
            self.doc = value
        else:
            text = value.encode("utf-8")
            label = name or ("spec" if isinstance(spec, dict) else "<string>")
            self.ptr = L.rm_spec_parse_text_at(text, len(text), _b(label), _b(base_dir),
                                               ctypes.byref(err))
            self.doc = value
        self.kind = kind
        if not self.ptr:
            _raise(err)

    def output_format(self):
        """output.format of the spec document, when it names one."""
        if self.kind == "default":
            return None
        try:
            if self.kind == "file":
                with open(self.doc, encoding="utf-8") as f:
                    doc = json.load(f)
            else:
                doc = json.loads(self.doc)
        except (OSError, ValueError):
            return None
        out = doc.get("output") if isinstance(doc, dict) else None
        if isinstance(out, dict):
            fmt = out.get("format")
            if fmt:
                return fmt
            out = out.get("path")
        if isinstance(out, str):
            return _ext_format(out)
        return None

    def close(self):
        if self.ptr:
            lib().rm_spec_free(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


def _ext_format(path):
    ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    return ext if ext in _lib.FORMATS else None


def _format_code(fmt):
    try:
        return _lib.FORMATS[fmt.lower()]
    except (KeyError, AttributeError):
        raise Error("format: '%s' is not svg, pdf or png" % (fmt,), "usage", 2) from None


def render(spec=None, out=None, format=None, base_dir=None, name=None):
    """Renders a map.

    spec: a dict (the JSON spec of docs/spec.md), JSON text, the path of a
    spec file, a Map, or None for the built-in default map. Relative
    data_dir and markers_file resolve against a spec file's directory, and for
    a dict or text against base_dir (default: the current directory).

    out: None returns the image as bytes; a path writes it there atomically
    (and returns the path). The spec's own output.path is not used.

    format: "svg", "pdf" or "png"; default: out's extension, else the spec's
    output format, else SVG -- as `routemap render SPEC -o OUT` decides.

    Raises routemap.Error (with .file, .line, .column for spec errors).
    """
    fmt = format or (_ext_format(out) if out is not None and out != "-" else None)
    with _Spec(spec, name=name, base_dir=base_dir) as s:
        fmt = fmt or s.output_format() or "svg"
        code = _format_code(fmt)
        L = lib()
        err = _lib.rm_error()
        if out is not None:
            if L.rm_render_file(s.ptr, _b(out), code, None, ctypes.byref(err)) != 0:
                _raise(err)
            return out
        data = ctypes.POINTER(ctypes.c_ubyte)()
        size = ctypes.c_size_t()
        if L.rm_render_buffer(s.ptr, code, None, ctypes.byref(data), ctypes.byref(size),
                              ctypes.byref(err)) != 0:
            _raise(err)
        try:
            return ctypes.string_at(data, size.value)
        finally:
            _lib.free(data)


def check(spec, base_dir=None, name=None):
    """Parses and validates a spec without rendering it; raises routemap.Error."""
    with _Spec(spec, name=name, base_dir=base_dir):
        return True


# ---------------------------------------------------------------- places

def data_dir():
    """The built-in data directory ($ROUTEMAP_DATA, installed, or the source tree's)."""
    return lib().rm_default_data_dir().decode()


def _places_path(data_dir_):
    return os.path.join(data_dir_ or data_dir(), "places.shp")


class _Gazetteer:
    def __init__(self, path, required=True):
        err = _lib.rm_error()
        self.ptr = lib().rm_gazetteer_load(_b(path), ctypes.byref(err))
        self.err = err
        if not self.ptr and required:
            _raise(err)

    def close(self):
        if self.ptr:
            lib().rm_gazetteer_free(self.ptr)
            self.ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()


def _s(p):
    return p.decode("utf-8", "replace") if p else ""


def _place_dict(p):
    aliases = [a for a in _s(p.aliases).split("|") if a]
    return {"name": _s(p.name), "aliases": aliases, "country": _s(p.country),
            "kind": _s(p.kind), "lon": p.lon, "lat": p.lat}


def places(query=None, data_dir=None):
    """Searches the gazetteer: the places whose name or alias contains query
    (case-insensitive; None lists them all), as dicts with name, aliases,
    country, kind, lon, lat -- like `routemap places --json QUERY`."""
    with _Gazetteer(_places_path(data_dir)) as g:
        L = lib()
        total = L.rm_gazetteer_count(g.ptr)
        if query is None:
            return [_place_dict(L.rm_gazetteer_get(g.ptr, i).contents) for i in range(total)]
        found = (ctypes.POINTER(_lib.rm_place) * max(total, 1))()
        n = L.rm_gazetteer_search(g.ptr, query.encode(), found, total)
        return [_place_dict(found[i].contents) for i in range(n)]


def _stop_text(stop):
    """A place name, or a (lon, lat) pair as the "lon,lat" literal."""
    if isinstance(stop, str):
        return stop
    if hasattr(stop, "__geo_interface__"):
        stop = stop.__geo_interface__
        stop = stop.get("geometry", stop) if isinstance(stop, dict) else stop
        stop = stop["coordinates"]
    lon, lat = stop[0], stop[1]
    return "%r,%r" % (float(lon), float(lat))


def _resolve(g, names):
    """[(name, lon, lat)] for place names or lon,lat literals."""
    L = lib()
    out = []
    for q in names:
        pl = _lib.new_padded(_lib.rm_place)
        err = _lib.rm_error()
        qb = q.encode()
        if L.rm_gazetteer_resolve(g.ptr if g else None, qb, ctypes.byref(pl),
                                  ctypes.byref(err)) != 0:
            if g is not None and not g.ptr:
                raise Error("'%s' is not lon,lat and the gazetteer is unavailable: %s"
                            % (q, g.err.message.decode("utf-8", "replace")), "not_found", 2)
            _raise(err)
        out.append((_s(pl.name), pl.lon, pl.lat))
    return out


# ---------------------------------------------------------------- project

def project(points, crs="auto", data_dir=None):
    """Projects places (names, aliases, "lon,lat" text or (lon, lat) pairs) to
    a CRS (a PROJ string, "EPSG:n", WKT, or "auto": the conformal projection
    routemap chooses for their box), like `routemap project -l`.

    Returns a list of dicts: name, lon, lat, x, y (x and y None where the
    point cannot be projected)."""
    if isinstance(points, str) or (isinstance(points, (tuple, list)) and len(points) == 2
                                   and all(isinstance(v, (int, float)) for v in points)):
        points = [points]
    names = [_stop_text(p) for p in points]
    if not names:
        return []
    with _Gazetteer(_places_path(data_dir), required=False) as g:
        res = _resolve(g, names)
    L = lib()
    box = _lib.rm_bbox(math.inf, math.inf, -math.inf, -math.inf)
    for _, lon, lat in res:
        box.minx, box.miny = min(box.minx, lon), min(box.miny, lat)
        box.maxx, box.maxy = max(box.maxx, lon), max(box.maxy, lat)
    err = _lib.rm_error()
    p = L.rm_proj_new(_b(crs), ctypes.byref(box), ctypes.byref(err))
    if not p:
        _raise(err)
    try:
        xy = (ctypes.c_double * (2 * len(res)))(*[v for _, lon, lat in res for v in (lon, lat)])
        L.rm_proj_forward(p, xy, len(res))
    finally:
        L.rm_proj_free(p)
    out = []
    for i, (name, lon, lat) in enumerate(res):
        x, y = xy[2 * i], xy[2 * i + 1]
        ok = math.isfinite(x) and math.isfinite(y)
        out.append({"name": name, "lon": lon, "lat": lat,
                    "x": x if ok else None, "y": y if ok else None})
    return out


# ---------------------------------------------------------------- route

def route(frm, to, via=(), rail=None, places=None, data_dir=None, max_gap_km=5.0, snap_m=5.0,
          max_snap_km=30.0, countries=None, name_field=None, shortest=False, crossing_km=0.0,
          km_facts=None):
    """The shortest rail route from frm to to through via (place names,
    aliases, "lon,lat" or (lon, lat) pairs), as `routemap route --geojson -`
    gives it: a GeoJSON Feature (a dict) whose LineString is the route and
    whose properties are from, to, length_km, lines (line, km, country),
    countries, gaps and stops.

    rail: a line shapefile (default DATA_DIR/rail.shp); places: the gazetteer
    (default DATA_DIR/places.shp); countries: polygons naming the countries
    passed when the rail layer has no COUNTRY field (default
    DATA_DIR/countries.shp when present). shortest: minimise the length only
    (default: prefer main lines and avoid needless border crossings, as the
    CLI does; crossing_km: the cost of a crossing, 0 = the default).
    km_facts: rail_km.csv (default DATA_DIR/../facts/rail_km.csv; False: none)
    for the railway km (properties rail_km, distance_text, rail_km_facts). Raises routemap.Error (status
    "no_path", exit code 1, when the places are not connected)."""
    ddir = data_dir or globals()["data_dir"]()
    rail_path = rail or os.path.join(ddir, "rail.shp")
    places_path = places or os.path.join(ddir, "places.shp")
    names = [_stop_text(frm)] + [_stop_text(v) for v in via] + [_stop_text(to)]
    L = lib()
    # the gazetteer only when some stop is a name, not a lon,lat literal
    need_gaz = False
    for q in names:
        pl = _lib.new_padded(_lib.rm_place)
        err = _lib.rm_error()
        if L.rm_gazetteer_resolve(None, q.encode(), ctypes.byref(pl), ctypes.byref(err)) != 0:
            if _lib.STATUS_NAMES[err.status] != "not_found":
                _raise(err)
            need_gaz = True
    g = _Gazetteer(places_path) if need_gaz else None
    layer = net = None
    r = _lib.new_padded(_lib.rm_route)
    try:
        res = _resolve(g, names)
        err = _lib.rm_error()
        layer = L.rm_layer_load(_b(rail_path), None, ctypes.byref(err))
        if not layer:
            _raise(err)
        opt = _lib.new_padded(_lib.rm_railnet_options)
        opt.snap_m, opt.max_gap_km, opt.max_snap_km = snap_m, max_gap_km, max_snap_km
        opt.name_field = _b(name_field)
        opt.weighting = 0 if shortest else 1
        opt.crossing_km = crossing_km or 0.0
        # a rail layer without COUNTRY (Natural Earth's): country polygons
        # tell the router where the borders are, as `routemap route` does
        cp = None
        if not shortest and L.rm_layer_field_index(layer, b"COUNTRY") < 0:
            cpath = countries or os.path.join(ddir, "countries.shp")
            if countries or os.access(cpath, os.R_OK):
                box = L.rm_layer_bbox(layer)
                copt = _lib.new_padded(_lib.rm_load_options)
                copt.filter = ctypes.pointer(box)
                cp = L.rm_layer_load(_b(cpath), ctypes.byref(copt), ctypes.byref(err))
                if not cp:
                    _raise(err)
                opt.country_polygons = cp
        try:
            net = L.rm_railnet_build(layer, ctypes.byref(opt), ctypes.byref(err))
        finally:
            if cp:
                L.rm_layer_free(cp)
        if not net:
            _raise(err)
        stops = (ctypes.c_double * (2 * len(res)))(*[v for _, lon, lat in res for v in (lon, lat)])
        if L.rm_railnet_route(net, stops, len(res), ctypes.byref(r), ctypes.byref(err)) != 0:
            _raise(err, "%s → %s: " % (res[0][0], res[-1][0]))
        if r.ncountries == 0:
            cpath = countries or os.path.join(ddir, "countries.shp")
            if countries or os.access(cpath, os.R_OK):
                box = _lib.rm_bbox(math.inf, math.inf, -math.inf, -math.inf)
                for i in range(r.npoints):
                    lon, lat = r.xy[2 * i], r.xy[2 * i + 1]
                    box.minx, box.miny = min(box.minx, lon), min(box.miny, lat)
                    box.maxx, box.maxy = max(box.maxx, lon), max(box.maxy, lat)
                copt = _lib.new_padded(_lib.rm_load_options)
                copt.filter = ctypes.pointer(box)
                C = L.rm_layer_load(_b(cpath), ctypes.byref(copt), ctypes.byref(err))
                if not C:
                    _raise(err)
                try:
                    if L.rm_route_countries_from(ctypes.byref(r), C, None, ctypes.byref(err)):
                        _raise(err)
                finally:
                    L.rm_layer_free(C)
        kf = None
        if km_facts is not False:
            err = _lib.rm_error()
            kf = (L.rm_km_facts_load_file(_b(km_facts), ctypes.byref(err)) if km_facts
                  else L.rm_km_facts_load_default(_b(ddir), ctypes.byref(err)))
            if not kf and (km_facts or _lib.STATUS_NAMES[err.status] != "not_found"):
                _raise(err)
        rk = _lib.new_padded(_lib.rm_rail_km)
        try:
            if L.rm_route_rail_km(kf, ctypes.byref(r), ctypes.byref(rk), ctypes.byref(err)):
                _raise(err)
            gj = L.rm_route_geojson_km(ctypes.byref(r), res[0][0].encode(), res[-1][0].encode(),
                                       ctypes.byref(rk))
        finally:
            if kf:
                L.rm_km_facts_free(kf)
        if not gj:
            raise Error("route: out of memory writing GeoJSON", "nomem", 2)
        try:
            text = ctypes.string_at(gj)
        finally:
            _lib.free(gj)
        return json.loads(text)
    finally:
        L.rm_route_free(ctypes.byref(r))
        if net:
            L.rm_railnet_free(net)
        if layer:
            L.rm_layer_free(layer)
        if g:
            g.close()
