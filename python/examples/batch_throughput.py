"""Throughput of a batch of maps: routemap.batch in threads or on a Dask
LocalCluster, against `routemap batch -jN` on the same specs.

    python3 python/examples/batch_throughput.py jobs  N FILE.jsonl   # write the CLI's jobs file
    python3 python/examples/batch_throughput.py threads N JOBS       # render in N threads
    python3 python/examples/batch_throughput.py dask N WORKERS       # on a LocalCluster

The maps: the default map's spec (examples/kim-train-2023.json) at 800x500 px,
with the route's destination and the title varied, as the test suite's batch.
Time whole runs (e.g. /usr/bin/time) against
`routemap batch --jobs FILE.jsonl -j N --out-dir DIR -q`; each run here also
prints the seconds spent rendering (after the cluster started) and a digest of
the maps, which equals the digest of the CLI's outputs in line order.
"""

import hashlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
sys.path.insert(0, os.path.join(ROOT, "python", "tests"))

import routemap  # noqa: E402
from conftest import batch_specs  # noqa: E402


def digest(maps):
    h = hashlib.sha256()
    for m in maps:
        h.update(hashlib.sha256(m).digest())
    return h.hexdigest()[:16]


def main(mode, n, arg):
    specs = batch_specs(int(n))
    if mode == "jobs":
        with open(arg, "w", encoding="utf-8") as f:
            for s in specs:
                f.write(json.dumps(s, ensure_ascii=False) + "\n")
        return
    if mode == "threads":
        t0 = time.perf_counter()
        maps = routemap.batch(specs, jobs=int(arg))
    elif mode == "dask":
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=int(arg), threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.wait_for_workers(int(arg))
            t0 = time.perf_counter()
            maps = routemap.batch(specs, client=client)
            t1 = time.perf_counter()
        print("%s %s: %d maps rendered in %.2f s (%.1f maps/s), digest %s"
              % (mode, arg, len(maps), t1 - t0, len(maps) / (t1 - t0), digest(maps)))
        return
    else:
        raise SystemExit("mode: jobs, threads or dask")
    t1 = time.perf_counter()
    print("%s %s: %d maps rendered in %.2f s (%.1f maps/s), digest %s"
          % (mode, arg, len(maps), t1 - t0, len(maps) / (t1 - t0), digest(maps)))


if __name__ == "__main__":
    main(*sys.argv[1:])
