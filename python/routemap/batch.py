"""Many maps at once: in threads of this process, or on a Dask cluster."""

import os
import queue
import threading

from ._lib import lib
from .core import render
from .errors import Error


def _render_job(spec, out=None, format=None, errors="raise", base_dir=None):
    """One map of a batch (module level, so that Dask can pickle it)."""
    try:
        return render(spec, out=out, format=format, base_dir=base_dir)
    except Error as e:
        if errors == "return":
            return e
        raise


def batch(specs, jobs=None, outputs=None, format=None, errors="raise", client=None,
          base_dir=None):
    """Renders many maps; returns their bytes (or, with outputs, the paths
    written), in the order of specs.

    specs: dicts, JSON texts or spec paths (see render()).
    jobs: maps rendered at once in this process's threads (default: the CPUs);
        the library releases the GIL and keeps no shared state between maps.
    outputs: paths to write, one per spec (None: return bytes).
    format: "svg", "pdf" or "png" for every map (default as render()).
    errors: "raise" -- every map is attempted, then the first failure is
        raised; "return" -- a failed map's slot holds its routemap.Error.
    base_dir: where relative paths in dict and text specs resolve (see render()).
    client: a dask.distributed Client: the maps are rendered by its workers
        (client.map of render), not here. Spec paths and outputs must then be
        reachable from the workers.
    """
    specs = list(specs)
    if outputs is not None:
        outputs = list(outputs)
        if len(outputs) != len(specs):
            raise ValueError("outputs: %d paths for %d specs" % (len(outputs), len(specs)))
    if errors not in ("raise", "return"):
        raise ValueError("errors: 'raise' or 'return', not %r" % (errors,))
    outs = outputs if outputs is not None else [None] * len(specs)
    if client is not None:
        futures = client.map(_render_job, specs, outs, format=format, errors="return",
                             base_dir=base_dir)
        results = client.gather(futures)
    else:
        results = _threads(specs, outs, format, jobs, base_dir)
    if errors == "raise":
        for r in results:
            if isinstance(r, Error):
                raise r
    return results


def _threads(specs, outs, format, jobs, base_dir):
    n = len(specs)
    results = [None] * n
    if n == 0:
        return results
    lib()  # load the library (and fail) before starting threads
    jobs = max(1, min(int(jobs or os.cpu_count() or 1), n))
    todo = queue.SimpleQueue()
    for i in range(n):
        todo.put(i)

    def worker():
        try:
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[i] = _render_job(specs[i], outs[i], format, "return", base_dir)
                except BaseException as e:  # not a routemap.Error: keep it for the caller
                    results[i] = e
        finally:
            lib().rm_thread_cleanup()  # this thread's font map

    threads = [threading.Thread(target=worker, name="routemap-%d" % t) for t in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        if isinstance(r, BaseException) and not isinstance(r, Error):
            raise r
    return results
