"""Threads: calls release the GIL and maps render correctly side by side;
batch() in threads and on a 2-worker Dask LocalCluster gives the CLI batch's
bytes."""

import ctypes
import threading
import time

import pytest

import routemap
from routemap import _lib
from routemap.core import _Spec
from conftest import batch_specs, cli_batch, example


def test_render_releases_the_gil():
    # While one thread is inside rm_render_buffer, the main thread keeps
    # running Python: with the GIL held through the call it could not.
    spec = _Spec(example("kim-train-2023.json"))
    ticks, span = [], []

    def render_raw():
        data = ctypes.POINTER(ctypes.c_ubyte)()
        size = ctypes.c_size_t()
        err = _lib.rm_error()
        t0 = time.monotonic()
        st = _lib.lib().rm_render_buffer(spec.ptr, 1, None, ctypes.byref(data),
                                         ctypes.byref(size), ctypes.byref(err))
        span.extend([t0, time.monotonic()])
        assert st == 0
        _lib.free(data)

    t = threading.Thread(target=render_raw)
    t.start()
    while t.is_alive():
        ticks.append(time.monotonic())
    t.join()
    spec.close()
    inside = [x for x in ticks if span[0] < x < span[1]]
    assert span[1] - span[0] > 0.01
    assert len(inside) > 100, "the main thread did not run during the render"


def test_threads_render_the_same_bytes():
    specs = batch_specs(8) + [example("kim-train-2019.json"), example("kim-train-2023.json")]
    serial = [routemap.render(s) for s in specs]
    results = [None] * (3 * len(specs))

    def work(k):
        results[k] = routemap.render(specs[k % len(specs)])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == serial * 3
    assert len(set(serial)) == len(serial)  # the maps differ


def test_batch_threads_equals_cli_batch(tmp_path):
    specs = batch_specs(12)
    ref = cli_batch(specs, tmp_path, jobs=2)
    assert routemap.batch(specs, jobs=2) == ref
    assert routemap.batch(specs, jobs=1) == ref


def test_batch_outputs_and_errors(tmp_path):
    specs = [example("kim-train-2019.json"), {"theme": "sepia"}, {"title": "ok"}]
    with pytest.raises(routemap.Error) as e:
        routemap.batch(specs, jobs=2)
    assert "theme" in e.value.message
    got = routemap.batch(specs, jobs=2, errors="return")
    assert isinstance(got[1], routemap.Error) and got[1].exit_code == 2
    assert got[0] == routemap.render(specs[0]) and got[2] == routemap.render(specs[2])
    outs = [tmp_path / "a.png", tmp_path / "b.svg", tmp_path / "c.pdf"]
    got = routemap.batch(specs, jobs=2, outputs=outs, errors="return")
    assert got[0] == outs[0] and got[2] == outs[2]
    assert outs[0].read_bytes()[:4] == b"\x89PNG" and outs[2].read_bytes()[:4] == b"%PDF"
    assert not outs[1].exists()
    with pytest.raises(ValueError):
        routemap.batch(specs, outputs=outs[:1])


def test_dask_local_cluster_equals_cli_batch(tmp_path):
    import distributed  # python3-distributed: scripts/deps.sh installs it
    specs = batch_specs(100)
    ref = cli_batch(specs, tmp_path, jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        got = routemap.batch(specs, client=client)
        assert got == ref
        # the plain form, as docs/python.md shows it
        futures = client.map(routemap.render, specs[:10])
        assert client.gather(futures) == ref[:10]
        # a bad spec comes back as a routemap.Error
        with pytest.raises(routemap.Error) as e:
            client.submit(routemap.render, {"size": {"widht": 3}}).result()
        assert e.value.line and "width" in e.value.message


def test_dask_threaded_worker(tmp_path):
    # one worker process rendering in two threads: the library is thread-safe
    import distributed

    specs = batch_specs(10)
    ref = [routemap.render(s) for s in specs]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert client.gather(client.map(routemap.render, specs)) == ref


FORK_SCRIPT = """
import multiprocessing, sys
sys.path.insert(0, %r)
from conftest import batch_specs  # puts python/ on sys.path
import routemap
specs = batch_specs(6)
ref = [routemap.render(s) for s in specs]   # the parent has rendered (font caches made)
with multiprocessing.get_context("fork").Pool(2) as pool:
    got = pool.map(routemap.render, specs)
assert got == ref, "forked children rendered different maps"
print("ok", len(got))
"""


def test_forked_processes_render_the_same_bytes():
    # Dask and multiprocessing may fork a process that has already rendered:
    # the children's maps are the parent's (run apart from pytest's threads)
    import os
    import subprocess
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    p = subprocess.run([sys.executable, "-c", FORK_SCRIPT % here], capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0 and p.stdout.strip() == "ok 6", p.stderr
