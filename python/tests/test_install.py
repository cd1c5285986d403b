"""`pip install ./python` into a venv (with Debian's setuptools, offline):
the installed package finds the library it was built against."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT, example


def test_pip_install_into_venv(tmp_path):
    lib = os.environ.get("ROUTEMAP_LIBRARY") or os.path.join(ROOT, "build", "libroutemap.so")
    assert os.path.exists(lib), lib
    src = tmp_path / "src"  # a copy: the build leaves build/ and *.egg-info behind
    shutil.copytree(os.path.join(ROOT, "python"), src,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    py = str(venv / "bin" / "python")
    env = dict(os.environ, ROUTEMAP_LIBRARY=lib, PIP_NO_INPUT="1")
    env.pop("PYTHONPATH", None)
    p = subprocess.run([py, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index",
                        str(src)], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    # at run time, without ROUTEMAP_LIBRARY or PYTHONPATH, from another directory
    del env["ROUTEMAP_LIBRARY"]
    code = ("import routemap, sys; sys.stdout.buffer.write(routemap.render(%r)); "
            "print(routemap.__file__, file=sys.stderr)" % example("kim-train-2023.json"))
    p = subprocess.run([py, "-c", code], env=env, cwd=str(tmp_path), capture_output=True)
    assert p.returncode == 0, p.stderr.decode()
    assert str(venv) in p.stderr.decode()
    ref = subprocess.run([os.environ.get("ROUTEMAP_CLI") or os.path.join(ROOT, "build",
                                                                          "routemap"),
                          "render", example("kim-train-2023.json"), "-o", "-"],
                         capture_output=True, check=True).stdout
    assert p.stdout == ref
