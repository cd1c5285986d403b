#!/usr/bin/env python3
"""Generates the hostile-input corpus for routemap (issue 8) into a directory.

    python3 make_corpus.py OUTDIR [--cli-only-list]

Every input is written from scratch with `struct` (no binary file is kept in
the repository): a small valid layer is built first, then one thing about it
is broken.  OUTDIR/manifest.tsv lists the cases that tests/e2e_corpus.sh runs.

manifest.tsv columns (tab-separated, one case a line, '#' lines are comments):
  name      case name (also the name of its directory under OUTDIR/cases/)
  expect    "error": exit code as given, exactly one line on stderr that
            matches every regex of `must`, the output file absent (or, when
            `sentinel` is 1, the pre-existing file unchanged), nothing else
            left in the output directory;
            "ok": exit code as given (0) and the output file written;
            "fast": as "ok", and the process used at most ROUTEMAP_CORPUS_FAST
            seconds of CPU (default 2; 10 under ASan).
  exit      expected exit code
  must      ';'-separated extended regexes (case-insensitive) the stderr
            line must match (the file name, the record, the field, ...);
            "-" when there is none
  output    the output path the command is given (checked afterwards)
  sentinel  1: the runner writes a sentinel file at `output` before running
            and checks that it is byte-identical afterwards
  args...   the command-line arguments after the CLI path

Every case also gets: no "AddressSanitizer", "LeakSanitizer" or
"runtime error" in stderr, and it must end within the runner's timeout.
"""

import json
import math
import os
import shutil
import stat
import struct
import sys

# --------------------------------------------------------------------------
# shapefile writer (ESRI Shapefile Technical Description, July 1998)

SHP_NULL, SHP_POINT, SHP_ARC, SHP_POLYGON, SHP_MULTIPOINT = 0, 1, 3, 5, 8

WGS84_PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
    '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)


def bbox_of(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def rec_point(x, y, stype=SHP_POINT):
    return struct.pack("<idd", stype, x, y)


def rec_poly(stype, parts, bbox=None, nparts=None, npoints=None, starts=None):
    """PolyLine/Polygon content. parts: list of point lists. The overrides
    write lying counts or part starts while keeping the real points."""
    pts = [p for part in parts for p in part]
    if starts is None:
        starts, n = [], 0
        for part in parts:
            starts.append(n)
            n += len(part)
    if bbox is None:
        bbox = bbox_of(pts)
    out = struct.pack("<i4d", stype, *bbox)
    out += struct.pack(
        "<ii",
        len(starts) if nparts is None else nparts,
        len(pts) if npoints is None else npoints,
    )
    out += struct.pack("<%di" % len(starts), *starts)
    for x, y in pts:
        out += struct.pack("<dd", x, y)
    return out


def rec_multipoint(points, npoints=None):
    out = struct.pack("<i4d", SHP_MULTIPOINT, *bbox_of(points))
    out += struct.pack("<i", len(points) if npoints is None else npoints)
    for x, y in points:
        out += struct.pack("<dd", x, y)
    return out


def file_header(code, length_words, stype, bbox, version=1000):
    h = struct.pack(">7i", code, 0, 0, 0, 0, 0, length_words)
    h += struct.pack("<2i", version, stype)
    h += struct.pack("<4d", *bbox)
    h += struct.pack("<4d", 0.0, 0.0, 0.0, 0.0)
    assert len(h) == 100
    return h


class Layer:
    """A shapefile as bytes: shp, shx, dbf, prj, cpg. `offsets[i]` is the byte
    offset of record i's header in the .shp (its content starts 8 later)."""

    def __init__(self, stype, contents, fields, rows, bbox=None):
        self.stype = stype
        if bbox is None:
            allpts = []
            for c in contents:
                allpts += points_of(c)
            bbox = bbox_of(allpts) if allpts else (0.0, 0.0, 0.0, 0.0)
        body, idx, self.offsets = b"", b"", []
        off = 100
        for i, c in enumerate(contents):
            assert len(c) % 2 == 0
            self.offsets.append(off)
            body += struct.pack(">ii", i + 1, len(c) // 2) + c
            idx += struct.pack(">ii", off // 2, len(c) // 2)
            off += 8 + len(c)
        self.shp = file_header(9994, (100 + len(body)) // 2, stype, bbox) + body
        self.shx = file_header(9994, (100 + len(idx)) // 2, stype, bbox) + idx
        self.dbf = make_dbf(fields, rows)
        self.prj = WGS84_PRJ.encode()
        self.cpg = b"UTF-8"

    def put(self, attr, offset, fmt, *values):
        b = bytearray(getattr(self, attr))
        struct.pack_into(fmt, b, offset, *values)
        setattr(self, attr, bytes(b))

    def content(self, i):
        """Byte offset in the .shp of record i's content."""
        return self.offsets[i] + 8


def points_of(content):
    """The points a content really holds (lying counts are clamped to the
    bytes present), for the header's bounding box."""
    stype = struct.unpack_from("<i", content, 0)[0]
    if stype == SHP_POINT:
        return [struct.unpack_from("<dd", content, 4)]
    if stype in (SHP_ARC, SHP_POLYGON):
        nparts, npts = struct.unpack_from("<ii", content, 36)
        base = 44 + 4 * max(0, min(nparts, (len(content) - 44) // 4))
        npts = max(0, min(npts, (len(content) - base) // 16))
        return [struct.unpack_from("<dd", content, base + 16 * k) for k in range(npts)]
    if stype == SHP_MULTIPOINT:
        npts = struct.unpack_from("<i", content, 36)[0]
        npts = max(0, min(npts, (len(content) - 40) // 16))
        return [struct.unpack_from("<dd", content, 40 + 16 * k) for k in range(npts)]
    return []


def make_dbf(fields, rows, nrecords=None, header_len=None, record_len=None, version=3):
    """dBase III file. fields: (name, type, length, decimals); rows: lists of
    str or bytes values."""
    rlen = 1 + sum(f[2] for f in fields)
    hlen = 32 + 32 * len(fields) + 1
    out = struct.pack(
        "<BBBBIHH20x",
        version,
        126,
        1,
        1,
        len(rows) if nrecords is None else nrecords,
        hlen if header_len is None else header_len,
        rlen if record_len is None else record_len,
    )
    for name, ftype, flen, fdec in fields:
        out += struct.pack("<11sc4xBB14x", name.encode(), ftype.encode(), flen, fdec)
    out += b"\r"
    for row in rows:
        rec = b" "
        for (name, ftype, flen, fdec), v in zip(fields, row):
            v = v if isinstance(v, bytes) else str(v).encode("utf-8")
            v = v[:flen]
            rec += v.rjust(flen) if ftype == "N" else v.ljust(flen)
        out += rec
    return out + b"\x1a"


# --------------------------------------------------------------------------
# the valid layers the cases start from (Korea / Russian Far East, lon/lat)

PYONGYANG = (125.75, 39.02)
WONSAN = (127.44, 39.15)
CHONGJIN = (129.78, 41.79)
TUMANGANG = (130.63, 42.40)
VLADIVOSTOK = (131.88, 43.12)

NAME_FIELDS = [("NAME", "C", 24, 0), ("GAUGE", "N", 6, 0)]


def line_layer():
    """Three rail lines joined end to end: Pyongyang .. Vladivostok."""
    contents = [
        rec_poly(SHP_ARC, [[PYONGYANG, (126.5, 39.0), WONSAN]]),
        rec_poly(SHP_ARC, [[WONSAN, (128.6, 40.7), CHONGJIN, TUMANGANG]]),
        rec_poly(SHP_ARC, [[TUMANGANG, (131.2, 42.9), VLADIVOSTOK]]),
    ]
    rows = [["Pyongyang-Wonsan", 1435], ["Wonsan-Tumangang", 1435], ["Khasan-Vladivostok", 1520]]
    return Layer(SHP_ARC, contents, NAME_FIELDS, rows)


def polygon_layer():
    sq = [(124.0, 38.0), (124.0, 42.0), (130.0, 42.0), (130.0, 38.0), (124.0, 38.0)]
    hole = [(126.0, 39.0), (127.0, 39.0), (127.0, 40.0), (126.0, 40.0), (126.0, 39.0)]
    tri = [(130.5, 42.5), (131.5, 43.5), (132.0, 42.5), (130.5, 42.5)]
    contents = [rec_poly(SHP_POLYGON, [sq, hole]), rec_poly(SHP_POLYGON, [tri])]
    rows = [["Korea box", 0], ["Primorye", 0]]
    return Layer(SHP_POLYGON, contents, NAME_FIELDS, rows)


def point_layer():
    pts = [PYONGYANG, WONSAN, CHONGJIN, VLADIVOSTOK]
    contents = [rec_point(*p) for p in pts]
    rows = [["Pyongyang", 0], ["Wonsan", 0], ["Chongjin", 0], ["Vladivostok", 0]]
    return Layer(SHP_POINT, contents, NAME_FIELDS, rows)


# --------------------------------------------------------------------------
# the corpus


class Corpus:
    def __init__(self, outdir):
        self.outdir = os.path.abspath(outdir)
        self.cases = []
        self.root = os.geteuid() == 0

    def casedir(self, name):
        d = os.path.join(self.outdir, "cases", name)
        os.makedirs(os.path.join(d, "out"), exist_ok=True)
        return d

    def write_layer(self, d, stem, layer, skip=()):
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            if ext in skip:
                continue
            with open(os.path.join(d, stem + "." + ext), "wb") as f:
                f.write(getattr(layer, ext))
        return os.path.join(d, stem + ".shp")

    def write_text(self, d, fname, text):
        p = os.path.join(d, fname)
        with open(p, "wb") as f:
            f.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        return p

    def add(self, name, expect, exitcode, must, output, args, sentinel=0):
        self.cases.append((name, expect, exitcode, must, output, sentinel, args))

    # A shapefile case: the layer is drawn by `render` through a spec that
    # names it (the way users hand routemap their own data).
    def layer_case(self, name, layer, must, expect="error", exitcode=2, skip=(), stem=None,
                   kind=None, extra=None, sentinel=0):
        d = self.casedir(name)
        stem = stem or name
        shp = self.write_layer(d, stem, layer, skip)
        lyr = {"id": "data", "file": shp}
        if kind:
            lyr["kind"] = kind
        if extra:
            lyr.update(extra)
        spec = self.write_text(d, "spec.json", json.dumps({"title": name, "layers": [lyr]}, indent=1))
        out = os.path.join(d, "out", "map.svg")
        self.add(name, expect, exitcode, must, out, ["render", spec, "-o", out], sentinel)
        return d

    # A shapefile case through `route ... --rail FILE`.
    def route_case(self, name, layer, must, expect="error", exitcode=2, skip=()):
        d = self.casedir(name)
        shp = self.write_layer(d, name, layer, skip)
        out = os.path.join(d, "out", "route.geojson")
        a = "%g,%g" % PYONGYANG
        b = "%g,%g" % VLADIVOSTOK
        self.add(name, expect, exitcode, must, out,
                 ["route", a, b, "--rail", shp, "--geojson", out])
        return d

    # A spec case: `render spec.json -o out.svg`.
    def spec_case(self, name, spec_text, must, expect="error", exitcode=2, fname="spec.json",
                  sentinel=0):
        d = self.casedir(name)
        spec = self.write_text(d, fname, spec_text)
        out = os.path.join(d, "out", "map.svg")
        self.add(name, expect, exitcode, must, out, ["render", spec, "-o", out], sentinel)
        return d

    def write_manifest(self):
        with open(os.path.join(self.outdir, "manifest.tsv"), "w") as f:
            f.write("# name\texpect\texit\tmust\toutput\tsentinel\targs...\n")
            for name, expect, code, must, out, sent, args in self.cases:
                for field in [name, must, out] + args:
                    assert "\t" not in field and "\n" not in field, name
                # bash's `read` merges runs of tabs: an empty field is written "-"
                f.write("\t".join([name, expect, str(code), must or "-", out or "-", str(sent)]
                                  + args) + "\n")


def rec(i):
    """Regex for a record number in a message: routemap numbers records from
    0 like rm_feature.record (docs/hardening.md)."""
    return r"record %d\b" % i


def build(c):
    L = line_layer

    # ---- controls: the harness must see success where input is valid ----
    c.layer_case("ok_lines", L(), "", expect="ok", exitcode=0)
    c.layer_case("ok_polygons", polygon_layer(), "", expect="ok", exitcode=0)
    c.layer_case("ok_points", point_layer(), "", expect="ok", exitcode=0)
    c.route_case("ok_route", L(), "", expect="ok", exitcode=0)

    # ---- missing companion files ----
    # No .prj: lon/lat WGS 84 is assumed (like shapelib, GDAL): success.
    c.layer_case("missing_prj", L(), "", expect="ok", exitcode=0, skip=("prj",))
    # No .cpg: the .dbf text is taken as UTF-8 (all of it is ASCII here): success.
    c.layer_case("missing_cpg", L(), "", expect="ok", exitcode=0, skip=("cpg",))
    c.layer_case("missing_shx", L(), r"missing_shx\.sh[xp]", skip=("shx",))
    # No .dbf: the geometry loads and the layer has no fields (src/geodata.c
    # documents this), so a map that asks for no attribute draws ...
    c.layer_case("missing_dbf", L(), "", expect="ok", exitcode=0, skip=("dbf",))
    # ... and one that filters on a field names the field that is missing.
    c.layer_case("missing_dbf_filter", L(), r"missing_dbf_filter;GAUGE", skip=("dbf",),
                 extra={"filter": {"field": "GAUGE", "values": ["1435"]}})
    c.layer_case("missing_shp", L(), r"missing_shp(\.shp)?", skip=("shp",))
    c.route_case("route_missing_shp", L(), r"route_missing_shp(\.shp)?", skip=("shp", "shx"))

    # ---- truncated files ----
    lay = L()
    lay.shp = lay.shp[:60]
    c.layer_case("shp_truncated_header", lay, r"shp_truncated_header\.shp")
    lay = L()
    lay.shp = lay.shp[: lay.content(1) + 30]
    c.layer_case("shp_truncated_record", lay, r"shp_truncated_record\.shp")
    lay = L()
    lay.shp = b""
    c.layer_case("shp_empty", lay, r"shp_empty\.shp")
    lay = L()
    lay.shx = lay.shx[:100 + 8 + 3]
    c.layer_case("shx_truncated", lay, r"shx_truncated\.sh[xp]")
    NF = {"filter": {"field": "NAME", "values": ["Pyongyang-Wonsan", "Wonsan-Tumangang"]}}
    lay = L()
    lay.dbf = lay.dbf[: len(lay.dbf) - 40]
    c.layer_case("dbf_truncated", lay, r"dbf_truncated\.dbf", extra=NF)
    c.route_case("route_dbf_truncated", lay, r"route_dbf_truncated\.dbf")
    # A map that needs no attribute of the layer does not read its .dbf at
    # all (src/render.c loads with skip_attributes): a broken one is harmless.
    c.layer_case("dbf_truncated_unused", lay, "", expect="ok", exitcode=0)
    lay = L()
    lay.dbf = lay.dbf[:20]
    c.layer_case("dbf_truncated_header", lay, r"dbf_truncated_header\.dbf", extra=NF)

    # ---- wrong magic / version ----
    lay = L()
    lay.put("shp", 0, ">i", 1234)
    c.layer_case("shp_bad_magic", lay, r"shp_bad_magic\.shp")
    lay = L()
    lay.put("shp", 28, "<i", 999)
    c.layer_case("shp_bad_version", lay, r"shp_bad_version\.shp")
    lay = L()
    lay.put("shx", 0, ">i", 0x7F454C46)
    c.layer_case("shx_bad_magic", lay, r"shx_bad_magic\.sh[xp]")
    lay = L()
    lay.put("shp", 32, "<i", 31)  # a MultiPatch header over line records
    lay.put("shx", 32, "<i", 31)
    c.layer_case("shp_multipatch", lay, r"shp_multipatch\.shp")
    lay = L()
    lay.put("shp", 32, "<i", 77)  # no such shape type
    lay.put("shx", 32, "<i", 77)
    c.layer_case("shp_unknown_type", lay, r"shp_unknown_type\.shp")

    # ---- sizes in headers that lie ----
    lay = L()
    lay.put("shp", 24, ">i", 0x7FFFFFF0)  # the .shp says it is ~4 GB long
    c.layer_case("shp_header_length_lies", lay, r"shp_header_length_lies\.shp")
    lay = L()
    # the .shx header claims ~500 M records: its size is whole 8-byte entries,
    # so the records are read from the size (as shapelib and GDAL do)
    lay.put("shx", 24, ">i", 0x7FFFFFF0)
    c.layer_case("shx_header_length_lies", lay, "", expect="ok", exitcode=0)
    lay = L()
    lay.put("shx", 100 + 8 * 1, ">i", 0x10000000)  # record 1 offset at 512 MB
    c.layer_case("shx_offset_past_eof", lay, r"shx_offset_past_eof\.sh[px];" + rec(1))
    lay = L()
    lay.put("shx", 100 + 8 * 2 + 4, ">i", 0x3FFFFFFF)  # record 2 length ~2 GB
    c.layer_case("shx_length_past_eof", lay, r"shx_length_past_eof\.sh[px];" + rec(2))
    lay = L()
    lay.put("shx", 100 + 8 * 1 + 4, ">i", -8)
    c.layer_case("shx_negative_length", lay, r"shx_negative_length\.sh[px];" + rec(1))
    lay = L()
    lay.put("shx", 100 + 8 * 0, ">i", -100)
    c.layer_case("shx_negative_offset", lay, r"shx_negative_offset\.sh[px];" + rec(0))
    lay = L()
    # record 1 points into the middle of record 0 (its bbox): overlapping records
    lay.put("shx", 100 + 8 * 1, ">i", (lay.content(0) + 4) // 2)
    c.layer_case("shx_overlapping", lay, r"shx_overlapping\.sh[px];" + rec(1))
    lay = L()
    lay.put("shx", 100 + 8 * 1 + 4, ">i", 4)  # record 1 content 8 bytes: too short for its type
    c.layer_case("shx_length_too_short", lay, r"shx_length_too_short\.sh[px];" + rec(1))
    lay = L()
    # the record says it holds more points than its content length allows
    lay.put("shp", lay.content(2) + 40, "<i", 400)
    c.layer_case("shp_points_past_record", lay, r"shp_points_past_record\.shp;" + rec(2))

    # ---- part and point counts ----
    lay = L()
    lay.put("shp", lay.content(0) + 36, "<i", -1)
    c.layer_case("shp_nparts_negative", lay, r"shp_nparts_negative\.shp;" + rec(0))
    lay = L()
    lay.put("shp", lay.content(0) + 36, "<i", 0x7FFFFFFF)
    c.layer_case("shp_nparts_huge", lay, r"shp_nparts_huge\.shp;" + rec(0))
    lay = L()
    lay.put("shp", lay.content(1) + 40, "<i", -5)
    c.layer_case("shp_npoints_negative", lay, r"shp_npoints_negative\.shp;" + rec(1))
    lay = L()
    lay.put("shp", lay.content(1) + 40, "<i", 0x40000000)
    c.layer_case("shp_npoints_huge", lay, r"shp_npoints_huge\.shp;" + rec(1))
    lay = L()
    lay.put("shp", lay.content(0) + 36, "<i", 0)
    c.layer_case("shp_nparts_zero", lay, r"shp_nparts_zero\.shp;" + rec(0))
    mp = Layer(SHP_MULTIPOINT, [rec_multipoint([PYONGYANG, WONSAN], npoints=0x20000000)],
               NAME_FIELDS, [["x", 0]])
    c.layer_case("multipoint_npoints_huge", mp, r"multipoint_npoints_huge\.shp;" + rec(0))

    # ---- part starts ----
    two = [[PYONGYANG, (126.0, 39.0), (126.5, 39.1)], [WONSAN, (128.0, 40.0), CHONGJIN]]
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, two, starts=[3, 0])], NAME_FIELDS, [["x", 0]])
    c.layer_case("parts_out_of_order", lay, r"parts_out_of_order\.shp;" + rec(0))
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, two, starts=[0, 99])], NAME_FIELDS, [["x", 0]])
    c.layer_case("parts_out_of_range", lay, r"parts_out_of_range\.shp;" + rec(0))
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, two, starts=[0, -2])], NAME_FIELDS, [["x", 0]])
    c.layer_case("parts_negative_start", lay, r"parts_negative_start\.shp;" + rec(0))
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, two, starts=[2, 3])], NAME_FIELDS, [["x", 0]])
    c.layer_case("parts_first_not_zero", lay, r"parts_first_not_zero\.shp;" + rec(0))

    # ---- coordinates ----
    lay = L()
    lay.put("shp", lay.content(1) + 44 + 4 + 16 * 2, "<d", float("nan"))
    c.layer_case("coord_nan", lay, r"coord_nan\.shp;" + rec(1))
    lay = L()
    lay.put("shp", lay.content(2) + 44 + 4 + 16 * 1 + 8, "<d", float("inf"))
    c.layer_case("coord_inf", lay, r"coord_inf\.shp;" + rec(2))
    pts = point_layer()
    pts.put("shp", pts.content(3) + 4, "<d", float("-inf"))
    c.layer_case("point_coord_inf", pts, r"point_coord_inf\.shp;" + rec(3))
    lay = L()
    lay.put("shp", lay.content(0) + 4, "<d", float("nan"))  # NaN in the record bbox
    c.layer_case("bbox_nan", lay, r"bbox_nan\.shp;" + rec(0))

    # ---- shape types ----
    lay = L()
    lay.put("shp", lay.content(1), "<i", SHP_POLYGON)  # a polygon in a line layer
    c.layer_case("record_type_mismatch", lay, r"record_type_mismatch\.shp;" + rec(1))
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, [[PYONGYANG, WONSAN]]), rec_point(*CHONGJIN)],
                NAME_FIELDS, [["a", 0], ["b", 0]])
    c.layer_case("point_in_line_layer", lay, r"point_in_line_layer\.shp;" + rec(1))
    # A null shape is legal in any layer: it is skipped, not an error.
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, [[PYONGYANG, WONSAN]]), struct.pack("<i", SHP_NULL)],
                NAME_FIELDS, [["a", 0], ["b", 0]])
    c.layer_case("null_shape_ok", lay, "", expect="ok", exitcode=0)

    # ---- degenerate geometry ----
    ring3 = [(124.0, 38.0), (125.0, 39.0), (124.0, 38.0)]
    lay = Layer(SHP_POLYGON, [rec_poly(SHP_POLYGON, [ring3])], NAME_FIELDS, [["x", 0]])
    c.layer_case("polygon_3_points", lay, r"polygon_3_points\.shp;" + rec(0))
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, [[PYONGYANG, WONSAN]]),
                          rec_poly(SHP_ARC, [[CHONGJIN]])], NAME_FIELDS, [["a", 0], ["b", 0]])
    c.layer_case("line_1_point", lay, r"line_1_point\.shp;" + rec(1))
    c.route_case("route_line_1_point", lay, r"route_line_1_point\.shp;" + rec(1))
    # a zero-length part inside an otherwise valid record
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, [[PYONGYANG, WONSAN], [CHONGJIN, TUMANGANG]],
                                   starts=[0, 2, 2], nparts=3)], NAME_FIELDS, [["x", 0]])
    c.layer_case("empty_part", lay, r"empty_part\.shp;" + rec(0))

    # ---- bounding boxes that lie ----
    # The record's box is far smaller than its points: a filter by box would
    # drop it wrongly, so it is refused.
    lay = Layer(SHP_ARC, [rec_poly(SHP_ARC, [[PYONGYANG, WONSAN, CHONGJIN]],
                                   bbox=(126.0, 39.0, 126.1, 39.1))], NAME_FIELDS, [["x", 0]])
    c.layer_case("record_bbox_lies", lay, r"record_bbox_lies\.shp;" + rec(0))
    # The file header's box is only a summary: routemap computes its own
    # from the records, so a wrong one is harmless (success).
    lay = L()
    for a in ("shp", "shx"):
        lay.put(a, 36, "<4d", 0.0, 0.0, 1.0, 1.0)
    c.layer_case("header_bbox_lies", lay, "", expect="ok", exitcode=0)

    # ---- DBF ----
    # The renderer reads a layer's .dbf only when the map needs an attribute
    # (a filter): these cases filter on NAME so that the .dbf is read.
    NF = {"filter": {"field": "NAME", "values": ["Pyongyang-Wonsan", "Wonsan-Tumangang"]}}
    lay = L()
    lay.dbf = make_dbf(NAME_FIELDS, [["a", 1]] * 3, header_len=4000)
    c.layer_case("dbf_header_length_lies", lay, r"dbf_header_length_lies\.dbf", extra=NF)
    lay = L()
    lay.dbf = make_dbf(NAME_FIELDS, [["a", 1]] * 3, record_len=60000)
    c.layer_case("dbf_record_length_lies", lay, r"dbf_record_length_lies\.dbf", extra=NF)
    lay = L()
    lay.dbf = make_dbf(NAME_FIELDS, [["a", 1]] * 3, record_len=5)  # shorter than its fields
    c.layer_case("dbf_record_length_short", lay, r"dbf_record_length_short\.dbf", extra=NF)
    lay = L()
    lay.dbf = make_dbf(NAME_FIELDS, [["a", 1]] * 3, nrecords=100000000)
    c.layer_case("dbf_record_count_lies", lay, r"dbf_record_count_lies\.dbf", extra=NF)
    lay = L()
    lay.dbf = make_dbf(NAME_FIELDS, [["a", 1]] * 2)  # the .shp has 3 records
    c.layer_case("dbf_fewer_records", lay, r"dbf_fewer_records\.(dbf|shp)", extra=NF)
    lay = L()
    lay.dbf = make_dbf([], [[], [], []])
    # A .dbf without fields: the features have no attributes, nothing asks for
    # one, so the layer draws (success) ...
    c.layer_case("dbf_no_fields", lay, "", expect="ok", exitcode=0)
    # ... but a filter on a field that is not there is refused, naming the field.
    c.layer_case("dbf_no_fields_filter", lay, r"dbf_no_fields_filter;NAME",
                 extra={"filter": {"field": "NAME", "values": ["x"]}})
    lay = L()
    lay.dbf = make_dbf(NAME_FIELDS, [["Pyongyang", 1], [b"Wonsan \xff\xfe bad", 2], ["c", 3]])
    c.layer_case("dbf_not_utf8", lay, r"dbf_not_utf8\.dbf;" + rec(1) + ";NAME", extra=NF)
    c.route_case("route_dbf_not_utf8", lay, r"route_dbf_not_utf8\.dbf;" + rec(1) + ";NAME")
    lay = L()
    lay.dbf = make_dbf([("NAME", "C", 250, 0)] * 200, [["a"] * 200] * 3)  # 50 000-byte records
    c.layer_case("dbf_wide_ok", lay, "", expect="ok", exitcode=0)
    lay = L()
    lay.dbf = b"\0" * 64
    c.layer_case("dbf_zeros", lay, r"dbf_zeros\.dbf", extra=NF)
    lay = L()
    b = bytearray(make_dbf(NAME_FIELDS, [["a", 1]] * 3))
    b[32 + 16] = 0  # NAME has length 0
    lay.dbf = bytes(b)
    c.layer_case("dbf_field_length_zero", lay, r"dbf_field_length_zero\.dbf", extra=NF)
    lay = L()
    b = bytearray(make_dbf(NAME_FIELDS, [["a", 1]] * 3))
    b[32 + 32 * 2] = 0x20  # no 0x0D terminator after the field descriptors
    lay.dbf = bytes(b)
    c.layer_case("dbf_no_terminator", lay, r"dbf_no_terminator\.dbf", expect="either", extra=NF)

    # ---- .prj ----
    lay = L()
    lay.prj = b"this is not a coordinate reference system"
    c.layer_case("prj_garbage", lay, r"prj_garbage\.prj")
    lay = L()
    lay.prj = b'GEOGCS["x",DATUM["y",SPHEROID["z",-1,0]]' + b"]" * 3
    c.layer_case("prj_bad_ellipsoid", lay, r"prj_bad_ellipsoid\.prj")
    lay = L()
    lay.prj = b"PROJCS[" * 5000
    c.layer_case("prj_deep_nesting", lay, r"prj_deep_nesting\.prj")

    # ---- a directory or a device in place of a file ----
    d = c.casedir("shp_is_directory")
    c.write_layer(d, "shp_is_directory", L(), skip=("shp",))
    os.makedirs(os.path.join(d, "shp_is_directory.shp"), exist_ok=True)
    spec = c.write_text(d, "spec.json", json.dumps(
        {"layers": [{"id": "data", "file": os.path.join(d, "shp_is_directory.shp")}]}))
    out = os.path.join(d, "out", "map.svg")
    c.add("shp_is_directory", "error", 2, r"shp_is_directory\.shp", out,
          ["render", spec, "-o", out])
    for ext in ("shp", "shx", "dbf", "prj"):
        name = "%s_dev_zero" % ext
        d = c.casedir(name)
        c.write_layer(d, name, L(), skip=(ext,))
        os.symlink("/dev/zero", os.path.join(d, name + "." + ext))
        lyr = {"id": "data", "file": os.path.join(d, name + ".shp")}
        if ext == "dbf":
            lyr.update(NF)
        spec = c.write_text(d, "spec.json", json.dumps({"layers": [lyr]}))
        out = os.path.join(d, "out", "map.svg")
        c.add(name, "error", 2, r"%s\.(%s|shp)" % (name, ext), out, ["render", spec, "-o", out])

    # ---- specs ----
    S = c.spec_case
    lines = c.write_layer(c.casedir("_data"), "lines", L())
    good = {"title": "t", "layers": [{"id": "rail", "file": lines}]}

    def spec_with(**kw):
        s = json.loads(json.dumps(good))
        s.update(kw)
        return json.dumps(s, indent=1)

    S("spec_ok", json.dumps(good), "", expect="ok", exitcode=0)
    S("spec_syntax", '{"title": "t",\n "width": 10,,\n}', r"spec\.json;\b3\b|:2:|line 2")
    S("spec_empty", "", r"spec\.json")
    S("spec_not_object", "[1, 2, 3]", r"spec\.json")
    S("spec_nul_byte", '{"title": "a\0b"}', r"spec\.json")
    S("spec_not_utf8", b'{"title": "\xff\xfe"}', r"spec\.json")
    S("spec_control_chars", b'{\n \x1b[31m"size": 1}', r"spec\.json")
    S("spec_newline_in_error", b'{"title": "a\n\n', r"spec\.json")
    # Values the spec gives are quoted by errors at render time too (a layer
    # id, a file name): the message stays one printable line.
    S("spec_layer_id_control", json.dumps({"layers": [{"id": "x\ny\u001b[31m",
                                                      "file": "/nonexistent/a\nb.shp"}]}),
      r"/nonexistent/a.b\.shp")
    S("spec_width_string", spec_with(size={"width": "big", "height": 300}), r"spec\.json;width")
    S("spec_width_negative", spec_with(size={"width": -640, "height": 300}), r"spec\.json;width")
    S("spec_width_zero", spec_with(size={"width": 0, "height": 0}), r"spec\.json;width|height")
    S("spec_width_huge", spec_with(size={"width": 1e9, "height": 1e9}), r"spec\.json;width|height")
    S("spec_size_string_huge", spec_with(size="99999999x99999999"), r"spec\.json;size")
    S("spec_size_string_nan", spec_with(size="nanxnan"), r"spec\.json;size")
    S("spec_width_overflow", spec_with(size={"width": 2**63, "height": 300}), r"spec\.json;width")
    S("spec_dpi_negative", spec_with(size={"width": 300, "height": 300, "dpi": -1}),
      r"spec\.json;dpi")
    S("spec_layers_object", spec_with(layers={"file": lines}), r"spec\.json;layers")
    S("spec_layer_no_file", spec_with(layers=[{"id": "x"}]), r"spec\.json;layers;file")
    S("spec_layer_file_number", spec_with(layers=[{"id": "x", "file": 42}]),
      r"spec\.json;layers;file")
    S("spec_route_no_to", spec_with(routes=[{"from": "Pyongyang"}]), r"spec\.json;routes;to")
    S("spec_unknown_key", spec_with(titel="t"), r"spec\.json;titel")
    S("spec_bad_color", spec_with(layers=[{"id": "x", "file": lines,
                                           "style": {"stroke": "#zz11"}}]),
      r"spec\.json;stroke")
    S("spec_dash_overflow", spec_with(layers=[{"id": "x", "file": lines,
                                               "style": {"dash": [1] * 64}}]),
      r"spec\.json;dash")
    S("spec_bad_projection", spec_with(projection="+proj=nonsense +foo"), r"projection|nonsense")
    S("spec_bad_extent", spec_with(extent=[130, 40, 120]), r"spec\.json;extent")
    S("spec_extent_inverted", spec_with(extent=[130, 45, 120, 35]), r"extent")
    S("spec_theme_unknown", spec_with(theme="neon"), r"spec\.json;theme")
    S("spec_unknown_place", spec_with(routes=[{"from": "Atlantis", "to": "Vladivostok"}]),
      r"Atlantis")
    S("spec_unknown_marker", spec_with(markers=[{"place": "Xanadu-on-Thames"}]),
      r"Xanadu-on-Thames")
    S("spec_layer_missing_file", spec_with(layers=[{"id": "x", "file": "/nonexistent/dir/x.shp"}]),
      r"/nonexistent/dir/x(\.shp)?")
    S("spec_markers_file_missing", spec_with(markers_file="/nonexistent/m.csv"),
      r"/nonexistent/m\.csv")
    depth = 200000
    S("spec_deep_nesting", '{"title": "t", "layers": ' + "[" * depth + "]" * depth + "}",
      r"spec\.json")
    S("spec_deep_nesting_unclosed", '{"layers": ' + "[{" * 100000, r"spec\.json")
    # 100 MB title, generated here at test time (never committed).
    d = c.casedir("spec_100mb_string")
    with open(os.path.join(d, "spec.json"), "wb") as f:
        f.write(b'{"title": "')
        chunk = b"A" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
        f.write(b'", "layers": [{"id": "r", "file": ' + json.dumps(lines).encode() + b"}]}")
    out = os.path.join(d, "out", "map.svg")
    c.add("spec_100mb_string", "error", 2, r"spec\.json", out,
          ["render", os.path.join(d, "spec.json"), "-o", out])
    # The spec path is a directory, /dev/zero (endless), /dev/null (empty).
    d = c.casedir("spec_is_directory")
    os.makedirs(os.path.join(d, "spec.json"), exist_ok=True)
    out = os.path.join(d, "out", "map.svg")
    c.add("spec_is_directory", "error", 2, r"spec\.json", out,
          ["render", os.path.join(d, "spec.json"), "-o", out])
    for dev in ("zero", "null"):
        name = "spec_dev_" + dev
        d = c.casedir(name)
        out = os.path.join(d, "out", "map.svg")
        c.add(name, "error", 2, r"/dev/" + dev, out, ["render", "/dev/" + dev, "-o", out])

    # ---- markers files (CSV, GeoJSON) ----
    def markers_case(name, fname, text, must, expect="error", exitcode=2):
        d = c.casedir(name)
        mf = c.write_text(d, fname, text)
        spec = c.write_text(d, "spec.json", spec_with(markers_file=mf))
        out = os.path.join(d, "out", "map.svg")
        c.add(name, expect, exitcode, must, out, ["render", spec, "-o", out])

    markers_case("csv_ok", "m.csv", "name,lon,lat\nPyongyang,125.75,39.02\n", "", "ok", 0)
    markers_case("geojson_ok", "m.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "A"},
             "geometry": {"type": "Point", "coordinates": [125.75, 39.02]}}]}), "", "ok", 0)
    markers_case("csv_no_lon_column", "m.csv", "name,x,lat\nA,125.7,39.0\n", r"m\.csv;lon")
    markers_case("csv_lon_not_number", "m.csv", "name,lon,lat\nA,125.7,39.0\nB,east,39.0\n",
                 r"m\.csv;\b3\b")
    markers_case("csv_lat_out_of_range", "m.csv", "name,lon,lat\nA,125.7,95.0\n",
                 r"m\.csv;\b2\b")
    markers_case("csv_short_row", "m.csv", "name,lon,lat\nA,125.7\n", r"m\.csv;\b2\b")
    markers_case("csv_unclosed_quote", "m.csv", 'name,lon,lat\n"A,125.7,39.0\n', r"m\.csv")
    markers_case("csv_not_utf8", "m.csv", b"name,lon,lat\n\xff\xfeA,125.7,39.0\n",
                 r"m\.csv;\b2\b")
    # An 8 MB name is within the 16 MB file cap: a clean error or a map, no crash.
    markers_case("csv_huge_line", "m.csv", "name,lon,lat\n" + "A" * (8 << 20) + ",1,2\n",
                 r"m\.csv", expect="either")
    markers_case("csv_over_cap", "m.csv", "name,lon,lat\n" + "B,1,2\n" * (3 << 20), r"m\.csv")
    markers_case("csv_empty", "m.csv", "", r"m\.csv")
    # Found by fuzz_csv / fuzz_geojson / fuzz_spec: messages that quote the
    # input must stay one printable line (a quoted field with a line break,
    # jansson's "near '...'" text with a line break or an escape character).
    markers_case("csv_newline_in_bad_value", "m.csv", 'name,lon,lat\nA,"12\n\n5",39\n',
                 r"m\.csv;longitude")
    markers_case("geojson_newline_in_error", "m.geojson", b'{"\\\\\\\n\\\x1b\\\\\\', r"m\.geojson")
    markers_case("geojson_not_collection", "m.geojson", '{"type": "Point", "coordinates": "x"}',
                 r"m\.geojson")
    markers_case("geojson_coords_strings", "m.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "A"},
             "geometry": {"type": "Point", "coordinates": ["125", "39"]}}]}), r"m\.geojson")
    markers_case("geojson_no_geometry", "m.geojson", json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}),
        r"m\.geojson")
    markers_case("geojson_syntax", "m.geojson", '{"type": "FeatureCollection", "features": [',
                 r"m\.geojson")

    # ---- output ----
    def out_case(name, out, must, sentinel=0, spec=None):
        d = c.casedir(name)
        sp = c.write_text(d, "spec.json", spec or json.dumps(good))
        c.add(name, "error", 2, must, out, ["render", sp, "-o", out], sentinel)

    out_case("out_missing_dir", os.path.join(c.outdir, "cases", "out_missing_dir", "no", "such",
                                             "map.svg"), r"no/such")
    # A read-only directory. root writes anywhere its mode says it may not, so
    # as root a directory of /proc stands in for it (nobody may create files there).
    d = c.casedir("out_readonly_dir")
    ro = os.path.join(d, "ro")
    os.makedirs(ro, exist_ok=True)
    os.chmod(ro, 0o555)
    rout = "/proc/self/map.svg" if c.root else os.path.join(ro, "map.svg")
    out_case("out_readonly_dir", rout, r"map\.svg")
    d = c.casedir("out_is_directory")
    os.makedirs(os.path.join(d, "out", "map.svg"), exist_ok=True)
    c.add("out_is_directory", "error", 2, r"map\.svg", os.path.join(d, "out", "map.svg"),
          ["render", c.write_text(d, "spec.json", json.dumps(good)), "-o",
           os.path.join(d, "out", "map.svg")])
    # A failed render leaves an existing output untouched (atomic replace).
    c.layer_case("out_kept_on_bad_layer", _bad_points(), r"out_kept_on_bad_layer\.shp;" + rec(0),
                 sentinel=1)
    out_case("out_kept_on_bad_spec", os.path.join(c.outdir, "cases", "out_kept_on_bad_spec", "out",
                                                  "map.svg"),
             r"spec\.json;width", sentinel=1, spec=spec_with(size={"width": -1, "height": 300}))

    # Issue 19: special files as outputs. A device that cannot take the map
    # is an error naming it; a dangling symbolic link is refused (nothing is
    # created at its target); an output equal to another output or to the
    # spec is refused before anything is drawn.
    d = c.casedir("out_dev_full")
    c.add("out_dev_full", "error", 2, r"/dev/full;No space", "/dev/full",
          ["render", c.write_text(d, "spec.json", json.dumps(good)), "--format", "svg", "-o",
           "/dev/full"])
    d = c.casedir("out_dangling_symlink")
    os.symlink(os.path.join(d, "nowhere", "map.svg"), os.path.join(d, "out", "map.svg"))
    c.add("out_dangling_symlink", "error", 2, r"map\.svg;symbolic link", os.path.join(d, "out", "x"),
          ["render", c.write_text(d, "spec.json", json.dumps(good)), "-o",
           os.path.join(d, "out", "map.svg")])
    d = c.casedir("out_same_as_layout")
    out = os.path.join(d, "out", "map.svg")
    c.add("out_same_as_layout", "error", 2, r"map\.svg;same file", out,
          ["render", c.write_text(d, "spec.json", json.dumps(good)), "-o", out, "--layout",
           os.path.join(d, "out", ".", "map.svg")])
    d = c.casedir("out_is_spec")
    sp = c.write_text(d, "spec.json", json.dumps(good))
    c.add("out_is_spec", "error", 2, r"spec\.json;input", os.path.join(d, "out", "x"),
          ["render", sp, "-o", sp])

    degenerate_maps(c, lines)


def degenerate_maps(c, lines):
    """Issue 19: valid specs that are degenerate maps. Each must be drawn
    (exit 0, a map written) in little time: expect "fast" bounds the CPU
    time of the whole process (tests/e2e_corpus.sh). Routes run on the
    corpus's own line layer, between "lon,lat" literals."""
    FURN = {"legend": True, "scale_bar": True, "graticule": True, "north_arrow": True,
            "inset": True}
    route = {"from": "%g,%g" % PYONGYANG, "to": "%g,%g" % VLADIVOSTOK, "rail": lines}
    base = {"title": "degenerate", "layers": [{"id": "rail", "file": lines}], "routes": [route],
            "furniture": FURN}

    def D(name, must="", **kw):
        spec = json.loads(json.dumps(base))
        spec.update(kw)
        c.spec_case(name, json.dumps(spec, indent=1, ensure_ascii=False), must,
                    expect="error" if must else "fast", exitcode=2 if must else 0)

    p = "%g,%g" % PYONGYANG
    # a route 0 px long: from a place to itself (the arrow loop never advanced)
    D("degen_route_same_place", routes=[{"from": p, "to": p, "rail": lines}],
      markers=[{"place": p, "label": "here"}])
    # projected frames of 1 cm, 0.1 mm and the widest allowed, around the route
    x, y = 14200000, 5000000  # EPSG:3857 metres near Wonsan
    D("degen_frame_1cm", projection="EPSG:3857", frame=[x, y, x + 0.01, y + 0.00625])
    D("degen_frame_tenth_mm", projection="EPSG:3857", frame=[x, y, x + 1e-4, y + 1e-4])
    D("degen_frame_huge", projection="EPSG:3857", frame=[-1e9, -1e9, 1e9, 1e9])
    D("degen_frame_off_earth", projection="+proj=ortho +lat_0=40 +lon_0=126 +datum=WGS84",
      frame=[9e8, 9e8, 9e8 + 1000, 9e8 + 1000])
    D("degen_extent_tiny", extent=[127.0, 39.0, 127.000000001, 39.000000001])
    D("degen_extent_world", extent=[-180, -90, 179.999, 90], projection="EPSG:3857")
    # the far side of an orthographic view: every feature beyond the horizon
    D("degen_ortho_far_side", projection="+proj=ortho +lat_0=-40 +lon_0=-54 +datum=WGS84",
      extent=[-60, -45, -50, -35])
    # the smallest page at the highest dpi, the largest margin and font scale
    D("degen_page_small_dpi_high", size={"width": 1200, "height": 900, "dpi": 600})
    D("degen_a4_dpi_min", size={"preset": "a4-landscape", "dpi": 10})
    D("degen_margin_font_max", margin=0.45, labels={"font_scale": 4, "bilingual": True},
      title="T" * 60, subtitle="s " * 100)
    # no room left for the map: refused with a clear line, at once
    D("degen_page_min_dpi_max", size={"width": 64, "height": 64, "dpi": 2400}, must="no room")
    D("degen_title_fills_page", labels={"font_scale": 4}, title="T" * 2000, subtitle="s " * 2000,
      must="no room")
    # 200 labelled markers on one spot, and a line of zero length
    D("degen_markers_one_spot", markers=[{"lon": PYONGYANG[0], "lat": PYONGYANG[1],
                                          "label": "marker %d" % i, "kind": "city"}
                                         for i in range(200)])
    zero = c.write_layer(c.casedir("_degen"), "zero", Layer(
        SHP_ARC, [rec_poly(SHP_ARC, [[PYONGYANG, PYONGYANG]]),
                  rec_poly(SHP_ARC, [[WONSAN, WONSAN, WONSAN]])],
        NAME_FIELDS, [["a", 1], ["b", 2]]))
    D("degen_zero_length_lines", layers=[{"id": "zero", "file": zero, "kind": "line"}])
    flat = c.write_layer(c.casedir("_degen"), "flat", Layer(
        SHP_POLYGON, [rec_poly(SHP_POLYGON, [[PYONGYANG, WONSAN, (129.0, 39.3), PYONGYANG]])],
        NAME_FIELDS, [["flat", 0]]))
    # the widest gap bridging allowed, on the shipped network (found by
    # fuzz_render: 2.7 s of CPU, the gap rule's search scanned every target
    # for every node it settled)
    D("degen_max_gap_shipped_rail", layers=[], routes=[
        {"from": "Tumangang", "to": "Tumangang", "max_gap_km": 1000},
        {"from": "Pyongyang", "to": "Vladivostok", "max_gap_km": 1000}])
    # a line of 400 features of ~100 m each, routed with --snap-m 200: every
    # node is closer than snap_m to the next, and chained merging collapsed
    # the whole line into one node ("no rail line within 30 km", 10 s)
    step = 0.1 / (111.32 * math.cos(math.radians(40.0)))  # 100 m of longitude at 40N
    segs = [rec_poly(SHP_ARC, [[(125.0 + k * step, 40.0), (125.0 + (k + 1) * step, 40.0)]])
            for k in range(400)]
    short = c.write_layer(c.casedir("_degen"), "short", Layer(
        SHP_ARC, segs, NAME_FIELDS, [["s%d" % k, 1435] for k in range(400)]))
    d = c.casedir("degen_snap_chain")
    out = os.path.join(d, "out", "route.geojson")
    c.add("degen_snap_chain", "fast", 0, "", out,
          ["route", "125.0005,40", "%.6f,40" % (125.0 + 399.5 * step), "--rail", short,
           "--snap-m", "200", "--geojson", out])
    D("degen_flat_polygon", layers=[{"id": "flat", "file": flat, "kind": "fill"}], routes=[])


# Issue 19: DBF text in code pages, named by the .cpg. Each case is a
# gazetteer (places.shp) whose names are written in that code page; `routemap
# places --data-dir DIR` must print them in UTF-8 exactly (tests/e2e_codepages.sh).
CODEPAGE_CASES = [
    # (case, .cpg text, Python codec, names)
    ("cp1252", "1252", "cp1252", ["Caf\u00e9 \u20ac5 \u2013 \u201cquoted\u201d"]),
    ("cp1251", "1251", "cp1251", ["\u0412\u043b\u0430\u0434\u0438\u0432\u043e\u0441\u0442\u043e\u043a"]),
    ("cp949", "949", "cp949", ["\ud3c9\uc591"]),
    ("euckr", "EUC-KR", "euc_kr", ["\uc6d0\uc0b0"]),
    ("gbk", "GBK", "gbk", ["\u5317\u4eac"]),
    ("shiftjis", "Shift_JIS", "shift_jis", ["\u6771\u4eac"]),
    ("iso8859_15", "ISO-8859-15", "iso8859_15", ["\u20ac \u0160ibenik \u0153uvre"]),
    ("iso8859_1", "ISO 8859-1", "latin_1", ["Z\u00fcrich \u00a4"]),
    ("iso8859_5", "ISO-8859-5", "iso8859_5", ["\u0425\u0430\u0441\u0430\u043d"]),
]


def codepage_cases(outdir):
    """Writes OUTDIR/<case>/places.{shp,shx,dbf,prj,cpg} for CODEPAGE_CASES
    and OUTDIR/codepages.tsv: case TAB expected UTF-8 name."""
    fields = [("NAME", "C", 40, 0), ("ALIASES", "C", 20, 0), ("COUNTRY", "C", 3, 0),
              ("KIND", "C", 10, 0)]
    with open(os.path.join(outdir, "codepages.tsv"), "w", encoding="utf-8") as tsv:
        for case, cpg, codec, names in CODEPAGE_CASES:
            d = os.path.join(outdir, case)
            os.makedirs(d, exist_ok=True)
            rows = [[n.encode(codec), b"", b"KOR", b"city"] for n in names]
            lay = Layer(SHP_POINT, [rec_point(127.0 + i, 40.0) for i in range(len(names))],
                        fields, rows)
            lay.cpg = cpg.encode()
            for ext in ("shp", "shx", "dbf", "prj", "cpg"):
                with open(os.path.join(d, "places." + ext), "wb") as f:
                    f.write(getattr(lay, ext))
            for n in names:
                tsv.write("%s\t%s\n" % (case, n))


def _bad_points():
    lay = line_layer()
    lay.put("shp", lay.content(0) + 40, "<i", 0x7FFFFFFF)
    return lay


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: make_corpus.py OUTDIR\n")
        return 2
    outdir = sys.argv[1]
    if os.path.exists(os.path.join(outdir, "cases")):
        # chmod back what the previous run made read-only, then start over
        for root, dirs, _ in os.walk(os.path.join(outdir, "cases")):
            for x in dirs:
                p = os.path.join(root, x)
                if not os.path.islink(p):
                    os.chmod(p, 0o755)
        shutil.rmtree(os.path.join(outdir, "cases"))
    os.makedirs(outdir, exist_ok=True)
    c = Corpus(outdir)
    build(c)
    c.write_manifest()
    print("%d cases in %s" % (len(c.cases), os.path.join(outdir, "manifest.tsv")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
