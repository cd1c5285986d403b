"""Shared fixtures: the source tree, the CLI to compare with, specs for batches.

ctest runs this suite with ROUTEMAP_LIBRARY and ROUTEMAP_CLI naming the
library and the CLI of the build under test, and PYTHONPATH=python; run by
hand from the source tree, the in-tree package finds build/libroutemap.so."""

import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
sys.path.insert(0, os.path.join(ROOT, "python"))

CLI = os.environ.get("ROUTEMAP_CLI") or os.path.join(ROOT, "build", "routemap")

# reachable destinations from Pyongyang on the shipped network
DESTINATIONS = ["Vladivostok", "Khabarovsk", "Ussuriysk", "Beijing", "Dandong", "Shenyang",
                "Chongjin", "Hamhung", "Rajin", "Kaesong"]


def run_cli(*args, check=True, **kw):
    """Runs the routemap CLI; returns the CompletedProcess (stdout bytes)."""
    p = subprocess.run([CLI, *args], capture_output=True, **kw)
    if check and p.returncode != 0:
        raise AssertionError("routemap %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                            p.stderr.decode()))
    return p


def example(name):
    return os.path.join(ROOT, "examples", name)


def batch_specs(n):
    """n different maps: the default map's spec at a smaller size, with the
    route's destination and the title varied."""
    with open(example("kim-train-2023.json"), encoding="utf-8") as f:
        base = json.load(f)
    specs = []
    for i in range(n):
        s = json.loads(json.dumps(base))
        s["size"] = {"width": 800, "height": 500, "dpi": 96}
        dest = DESTINATIONS[i % len(DESTINATIONS)]
        s["routes"][0]["to"] = dest
        s["routes"][0]["via"] = ["Tumangang"] if dest in ("Vladivostok", "Khabarovsk",
                                                          "Ussuriysk") else []
        s["title"] = "Map %d: Pyongyang to %s" % (i + 1, dest)
        specs.append(s)
    return specs


def cli_batch(specs, tmp_path, jobs=2):
    """Renders specs with `routemap batch --jobs FILE -jN`; returns the bytes
    of each map in order (the CLI names a jobs line's map job-LINE.svg)."""
    jobs_file = tmp_path / "jobs.jsonl"
    jobs_file.write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in specs),
                         encoding="utf-8")
    out = tmp_path / "cli-out"
    run_cli("batch", "--jobs", str(jobs_file), "-j", str(jobs), "--out-dir", str(out), "-q")
    return [(out / ("job-%04d.svg" % (i + 1))).read_bytes() for i in range(len(specs))]


@pytest.fixture
def cli():
    return run_cli
