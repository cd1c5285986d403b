#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets into tests/fuzz/seeds/<target>/
(or into the directory given), from the valid layers and some of the broken
ones of tests/corpus/make_corpus.py.  Deterministic: a rerun writes the same
bytes.  The seeds are kept tiny (well under 4 KB each).

    python3 tests/fuzz/make_seeds.py [OUTDIR]
"""

import json
import os
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "corpus"))
import make_corpus as mc  # noqa: E402


def shp_input(layer, flags=0, with_dbf=True):
    """The fuzz_shp layout: flags, len(shp), len(shx), shp, shx, dbf."""
    dbf = layer.dbf if with_dbf else b""
    return struct.pack("<BII", flags, len(layer.shp), len(layer.shx)) + layer.shp + layer.shx + dbf


def polyline_z(parts):
    """A PolyLineZ record content (type 13): the 2-D part, then Z and M."""
    c = bytearray(mc.rec_poly(mc.SHP_ARC, parts))
    struct.pack_into("<i", c, 0, 13)
    n = sum(len(p) for p in parts)
    c += struct.pack("<2d", 0.0, 10.0) + struct.pack("<%dd" % n, *[5.0] * n)
    c += struct.pack("<2d", 0.0, 1.0) + struct.pack("<%dd" % n, *[0.5] * n)
    return bytes(c)


def write(outdir, target, name, data):
    d = os.path.join(outdir, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "seeds")
    L = mc.line_layer

    # fuzz_shp
    write(outdir, "fuzz_shp", "lines", shp_input(L(), flags=16))
    write(outdir, "fuzz_shp", "lines_filter_latin1", shp_input(L(), flags=1 | 4))
    write(outdir, "fuzz_shp", "polygons", shp_input(mc.polygon_layer()))
    write(outdir, "fuzz_shp", "polygons_clip", shp_input(mc.polygon_layer(), flags=4 | 32))
    write(outdir, "fuzz_shp", "points_nodbf", shp_input(mc.point_layer(), flags=8, with_dbf=False))
    mp = mc.Layer(mc.SHP_MULTIPOINT, [mc.rec_multipoint([mc.PYONGYANG, mc.WONSAN])],
                  mc.NAME_FIELDS, [["x", 0]])
    write(outdir, "fuzz_shp", "multipoint", shp_input(mp, flags=2))
    z = mc.Layer(13, [polyline_z([[mc.PYONGYANG, mc.WONSAN, mc.CHONGJIN]])], mc.NAME_FIELDS,
                 [["z", 0]], bbox=(125.75, 39.02, 129.78, 41.79))
    write(outdir, "fuzz_shp", "polyline_z", shp_input(z))
    nul = mc.Layer(mc.SHP_ARC, [mc.rec_poly(mc.SHP_ARC, [[mc.PYONGYANG, mc.WONSAN]]),
                                struct.pack("<i", 0)], mc.NAME_FIELDS, [["a", 1], ["b", 2]])
    write(outdir, "fuzz_shp", "null_shape", shp_input(nul))
    two = [[mc.PYONGYANG, (126.0, 39.0), (126.5, 39.1)], [mc.WONSAN, (128.0, 40.0), mc.CHONGJIN]]
    mpart = mc.Layer(mc.SHP_ARC, [mc.rec_poly(mc.SHP_ARC, two)], mc.NAME_FIELDS, [["x", 0]])
    write(outdir, "fuzz_shp", "two_parts", shp_input(mpart))

    # fuzz_dbf: the .dbf of a three-point layer
    F = [("NAME", "C", 24, 0), ("POP", "N", 10, 0), ("SHARE", "F", 8, 3), ("DATE", "D", 8, 0),
         ("OK", "L", 1, 0)]
    write(outdir, "fuzz_dbf", "mixed", mc.make_dbf(F, [
        ["Pyongyang", 3000000, "0.125", "20230912", "T"],
        ["Wonsan", "**********", "", "", "F"],
        ["Vladivostok", 600000, "1.5", "20190425", "?"]]))
    write(outdir, "fuzz_dbf", "utf8", mc.make_dbf(mc.NAME_FIELDS, [
        ["평양", 1435], ["Владивосток", 1520], ["北京", 1435]]))
    write(outdir, "fuzz_dbf", "latin1", mc.make_dbf(mc.NAME_FIELDS, [
        [b"Bras\xedlia", 1], [b"M\xfcnchen", 2], [b"S\xe3o Paulo", 3]]))
    write(outdir, "fuzz_dbf", "nofields", mc.make_dbf([], [[], [], []]))

    # fuzz_prj: the .prj text of a line layer
    write(outdir, "fuzz_prj", "wgs84", mc.WGS84_PRJ)
    write(outdir, "fuzz_prj", "wkt2_geog",
          'GEOGCRS["WGS 84",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,'
          '298.257223563]],CS[ellipsoidal,2],AXIS["lat",north],AXIS["lon",east],'
          'ANGLEUNIT["degree",0.0174532925199433]]\n')
    write(outdir, "fuzz_prj", "utm52n",
          'PROJCS["WGS_1984_UTM_Zone_52N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",'
          'SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
          'UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],'
          'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
          'PARAMETER["Central_Meridian",129.0],PARAMETER["Scale_Factor",0.9996],'
          'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')

    # fuzz_spec
    spec = {
        "size": {"width": 800, "height": 600, "dpi": 96}, "theme": "dark", "transparent": False,
        "projection": "auto", "extent": [120, 35, 135, 45], "margin": 0.05,
        "layers": [{"id": "rail", "file": "rail.shp", "kind": "line",
                    "style": {"stroke": "#aa0000", "fill": "none", "width": 1.5, "dash": [4, 2],
                              "opacity": 0.8},
                    "filter": {"field": "country", "values": ["PRK", "RUS"]}, "legend": "Rail"}],
        "routes": [{"from": "Pyongyang", "to": "Vladivostok", "via": ["Tumangang"],
                    "rail": "rail.shp", "max_gap_km": 5, "label": "Route", "arrows": True,
                    "style": {"stroke": "#ff0000cc", "width": 3}}],
        "markers": [{"place": "Pyongyang", "label": "P", "kind": "origin", "priority": 10},
                    {"lon": 131.88, "lat": 43.12, "label": "V", "number": 1, "date": "2023-09",
                     "group": "Trips", "mode": "train"}],
        "title": "T", "subtitle": "S", "attribution": "A",
        "furniture": {"legend": True, "scale_bar": True, "graticule": False, "north_arrow": True,
                      "inset": False},
        "labels": {"bilingual": True, "font_scale": 1.2},
        "output": {"path": "x.svg", "format": "svg"},
    }
    write(outdir, "fuzz_spec", "full", json.dumps(spec, indent=1, ensure_ascii=False))
    write(outdir, "fuzz_spec", "preset", '{"size": "slide-16x9", "extent": "auto", "output": "a.png"}')
    write(outdir, "fuzz_spec", "wxh", '{"size": "640x480", "title": "평양 → Владивосток"}')
    write(outdir, "fuzz_spec", "error", '{"layers": [{"fiel": "x"}]}')
    # fuzz_csv
    write(outdir, "fuzz_csv", "trips",
          "id,date_start,destination,country,lon,lat,mode\n"
          'T01,2018-03-25,"Beijing, Great Hall",China,116.3875,39.9031,train\n'
          'T06,2019-04-24,"Vladivostok ""Russky""",Russia,131.8869,43.1155,train\n')
    write(outdir, "fuzz_csv", "longitude", "name;latitude;longitude\r\nSeoul;37.56;126.97\r\n")
    write(outdir, "fuzz_csv", "crlf_quoted", 'label,lon,lat,date\r\n"a\nb",1.5,-2.25,2020-01\r\n')

    # fuzz_geojson
    write(outdir, "fuzz_geojson", "fc", json.dumps({
        "type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Pyongyang", "date": "2023-09", "kind": "origin"},
             "geometry": {"type": "Point", "coordinates": [125.75, 39.02]}},
            {"type": "Feature", "properties": {"label": "Vladivostok"},
             "geometry": {"type": "Point", "coordinates": [131.88, 43.12, 10]}}]}))
    write(outdir, "fuzz_geojson", "single",
          '{"type": "Feature", "properties": null, "geometry": {"type": "Point", "coordinates": [0, 0]}}')
    write(outdir, "fuzz_geojson", "multipoint", json.dumps({
        "type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "x"},
             "geometry": {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]}}]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
