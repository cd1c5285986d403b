"""Loading libroutemap with ctypes and declaring the C functions the package calls.

Only functions declared in include/routemap/*.h are used. ctypes releases the
GIL around every foreign call, so maps render in parallel in Python threads.

The structures below mirror the public headers. Every structure the library
writes or reads is allocated with spare bytes at its end (``new_padded``), so
that a field appended to it in a later version of the library cannot write
past the Python buffer; the test suite compares route(), places() and
project() with the command line's output, which catches a layout that drifted.
"""

import ctypes
import ctypes.util
import os
import threading

# rm_status, in the order of include/routemap/error.h
STATUS_NAMES = (
    "ok", "nomem", "io", "format", "spec", "usage", "not_found", "proj", "limit",
    "no_path", "render",
)

# rm_format
FORMATS = {"svg": 1, "pdf": 2, "png": 3}

RM_ERROR_MAX = 1024


class rm_error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("message", ctypes.c_char * RM_ERROR_MAX)]


class rm_bbox(ctypes.Structure):
    _fields_ = [(n, ctypes.c_double) for n in ("minx", "miny", "maxx", "maxy")]


class rm_place(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("aliases", ctypes.c_char_p),
        ("country", ctypes.c_char_p),
        ("kind", ctypes.c_char_p),
        ("lon", ctypes.c_double),
        ("lat", ctypes.c_double),
    ]


class rm_railnet_options(ctypes.Structure):
    _fields_ = [
        ("snap_m", ctypes.c_double),
        ("max_gap_km", ctypes.c_double),
        ("max_snap_km", ctypes.c_double),
        ("name_field", ctypes.c_char_p),
        ("country_field", ctypes.c_char_p),
        ("weighting", ctypes.c_int),
        ("crossing_km", ctypes.c_double),
        ("class_field", ctypes.c_char_p),
        ("country_polygons", ctypes.c_void_p),
    ]


class rm_load_options(ctypes.Structure):
    _fields_ = [
        ("filter", ctypes.POINTER(rm_bbox)),
        ("skip_attributes", ctypes.c_int),
        ("max_features", ctypes.c_long),
        ("max_vertices", ctypes.c_long),
        ("clip", ctypes.c_int),
        ("no_cache", ctypes.c_int),
    ]


class rm_route(ctypes.Structure):
    _fields_ = [
        ("km", ctypes.c_double),
        ("npoints", ctypes.c_size_t),
        ("xy", ctypes.POINTER(ctypes.c_double)),
        ("nlegs", ctypes.c_size_t),
        ("legs", ctypes.c_void_p),
        ("nstops", ctypes.c_size_t),
        ("stop_snap_km", ctypes.POINTER(ctypes.c_double)),
        ("stop_xy", ctypes.POINTER(ctypes.c_double)),
        ("ngaps", ctypes.c_size_t),
        ("gap_xy", ctypes.POINTER(ctypes.c_double)),
        ("gap_km", ctypes.POINTER(ctypes.c_double)),
        ("countries", ctypes.POINTER(ctypes.c_char_p)),
        ("ncountries", ctypes.c_size_t),
    ]


class rm_rail_km(ctypes.Structure):
    _fields_ = [
        ("measured_km", ctypes.c_double),
        ("official_km", ctypes.c_double),
        ("nlegs", ctypes.c_size_t),
        ("nofficial", ctypes.c_size_t),
        ("nfacts", ctypes.c_size_t),
        ("facts", ctypes.c_void_p * 64),
    ]


_PAD = 512


def new_padded(struct_type):
    """A zeroed instance of struct_type with _PAD spare bytes after it."""
    buf = ctypes.create_string_buffer(ctypes.sizeof(struct_type) + _PAD)
    obj = struct_type.from_buffer(buf)
    obj._buf = buf  # keep the memory alive with the structure
    return obj


P = ctypes.POINTER
c_char_p, c_void_p, c_size_t, c_int, c_double = (
    ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_double)

# name: (restype, argtypes)
PROTOTYPES = {
    "rm_status_name": (c_char_p, [c_int]),
    "rm_status_exit_code": (c_int, [c_int]),
    "rm_spec_default": (c_void_p, [P(rm_error)]),
    "rm_spec_parse_file": (c_void_p, [c_char_p, P(rm_error)]),
    "rm_spec_parse_text_at": (c_void_p, [c_char_p, c_size_t, c_char_p, c_char_p, P(rm_error)]),
    "rm_spec_free": (None, [c_void_p]),
    "rm_render_buffer": (c_int, [c_void_p, c_int, c_void_p, P(P(ctypes.c_ubyte)), P(c_size_t),
                                 P(rm_error)]),
    "rm_render_file": (c_int, [c_void_p, c_char_p, c_int, c_void_p, P(rm_error)]),
    "rm_default_data_dir": (c_char_p, []),
    "rm_thread_cleanup": (None, []),
    "rm_gazetteer_load": (c_void_p, [c_char_p, P(rm_error)]),
    "rm_gazetteer_free": (None, [c_void_p]),
    "rm_gazetteer_count": (c_size_t, [c_void_p]),
    "rm_gazetteer_get": (P(rm_place), [c_void_p, c_size_t]),
    "rm_gazetteer_resolve": (c_int, [c_void_p, c_char_p, P(rm_place), P(rm_error)]),
    "rm_gazetteer_search": (c_size_t, [c_void_p, c_char_p, P(P(rm_place)), c_size_t]),
    "rm_layer_load": (c_void_p, [c_char_p, P(rm_load_options), P(rm_error)]),
    "rm_layer_free": (None, [c_void_p]),
    "rm_layer_bbox": (rm_bbox, [c_void_p]),
    "rm_layer_field_index": (c_int, [c_void_p, c_char_p]),
    "rm_railnet_build": (c_void_p, [c_void_p, P(rm_railnet_options), P(rm_error)]),
    "rm_railnet_free": (None, [c_void_p]),
    "rm_railnet_route": (c_int, [c_void_p, P(c_double), c_size_t, P(rm_route), P(rm_error)]),
    "rm_route_free": (None, [P(rm_route)]),
    "rm_route_countries_from": (c_int, [P(rm_route), c_void_p, c_char_p, P(rm_error)]),
    "rm_route_geojson": (c_void_p, [P(rm_route), c_char_p, c_char_p]),
    "rm_km_facts_load_default": (c_void_p, [c_char_p, P(rm_error)]),
    "rm_km_facts_load_file": (c_void_p, [c_char_p, P(rm_error)]),
    "rm_km_facts_free": (None, [c_void_p]),
    "rm_route_rail_km": (c_int, [c_void_p, P(rm_route), P(rm_rail_km), P(rm_error)]),
    "rm_route_geojson_km": (c_void_p, [P(rm_route), c_char_p, c_char_p, P(rm_rail_km)]),
    "rm_proj_new": (c_void_p, [c_char_p, P(rm_bbox), P(rm_error)]),
    "rm_proj_free": (None, [c_void_p]),
    "rm_proj_definition": (c_char_p, [c_void_p]),
    "rm_proj_forward": (c_size_t, [c_void_p, P(c_double), c_size_t]),
}

LIBRARY_NAME = "libroutemap.so"

_lock = threading.Lock()
_lib = None


def candidates():
    """The places looked at for the library, in order."""
    out = []
    env = os.environ.get("ROUTEMAP_LIBRARY")
    if env:
        out.append(env)
    try:
        from . import _build_config  # written by setup.py when the package is installed

        if getattr(_build_config, "LIBRARY", None):
            out.append(_build_config.LIBRARY)
    except ImportError:
        pass
    here = os.path.dirname(os.path.abspath(__file__))
    # in the source tree: python/routemap/ -> build/libroutemap.so
    out.append(os.path.join(here, os.pardir, os.pardir, "build", LIBRARY_NAME))
    # installed (cmake --install): the dynamic linker's search path
    found = ctypes.util.find_library("routemap")
    out.append(found or LIBRARY_NAME + ".0")
    return out


def _load():
    from .errors import LibraryNotFound

    tried = []
    env = os.environ.get("ROUTEMAP_LIBRARY")
    paths = [env] if env else candidates()  # when set, the variable alone decides
    for path in paths:
        is_file = os.sep in path
        if is_file and not os.path.exists(path):
            tried.append(os.path.normpath(path))
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append("%s (%s)" % (os.path.normpath(path) if is_file else path, e))
            continue
        for name, (res, args) in PROTOTYPES.items():
            try:
                fn = getattr(lib, name)
            except AttributeError:
                raise LibraryNotFound(
                    "%s has no function %s: it is older than this package; rebuild it "
                    "(cmake --build build) or point ROUTEMAP_LIBRARY at a current one" % (path, name))
            fn.restype = res
            fn.argtypes = args
        return lib
    raise LibraryNotFound(
        "libroutemap not found (looked for: %s). Build it in the routemap source tree with "
        "'./scripts/setup.sh' or 'cmake -S . -B build && cmake --build build' (then it is found "
        "as build/libroutemap.so), install it with 'cmake --install build', or set "
        "ROUTEMAP_LIBRARY=/path/to/libroutemap.so" % "; ".join(tried))


def lib():
    """The loaded library (loaded on first use)."""
    global _lib
    if _lib is None:
        with _lock:
            if _lib is None:
                _lib = _load()
    return _lib


_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None


def free(ptr):
    """free() for memory the library malloc'ed and handed over."""
    _libc.free(ptr)
