"""routemap: route maps from shapefiles and a short map spec, from Python.

A ctypes binding of libroutemap (the C library behind the `routemap` command):

    import routemap
    svg = routemap.render("examples/kim-train-2023.json")        # bytes
    routemap.render({"routes": [{"from": "Pyongyang", "to": "Vladivostok"}]}, "trip.png")
    routemap.route("Pyongyang", "Vladivostok", via=["Tumangang"])  # a GeoJSON Feature
    routemap.places("vlad"); routemap.project(["Pyongyang"], crs="EPSG:3857")
    routemap.batch(specs, jobs=4)                # threads; or client=<dask Client>

Failures raise routemap.Error (message, status, exit_code, meaning, file,
line, column). Calls release the GIL; maps render in parallel in threads.
docs/python.md in the source tree documents it all.
"""

from .batch import batch
from .core import check, data_dir, places, project, render, route
from .errors import Error, LibraryNotFound
from .map import Map, markers

__version__ = "0.1.0"

__all__ = ["Error", "LibraryNotFound", "Map", "batch", "check", "data_dir", "markers", "places",
           "project", "render", "route"]
