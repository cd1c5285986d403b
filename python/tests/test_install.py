"""`pip install ./python` into a venv (with Debian's setuptools, offline):
the installed package finds the library it was built against."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT, example


def venv_with_package(tmp_path, env):
    """A venv (seeing Debian's packages) with the package pip-installed from
    a copy of python/ (the build leaves build/ and *.egg-info behind)."""
    src = tmp_path / "src"
    shutil.copytree(os.path.join(ROOT, "python"), src,
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    py = str(venv / "bin" / "python")
    p = subprocess.run([py, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-index",
                        str(src)], env=dict(env, PIP_NO_INPUT="1"), capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    return venv, py


def clean_env():
    env = dict(os.environ)
    for k in ("PYTHONPATH", "ROUTEMAP_LIBRARY", "LD_LIBRARY_PATH"):
        env.pop(k, None)
    return env


def test_pip_install_into_venv(tmp_path):
    lib = os.environ.get("ROUTEMAP_LIBRARY") or os.path.join(ROOT, "build", "libroutemap.so")
    assert os.path.exists(lib), lib
    env = dict(clean_env(), ROUTEMAP_LIBRARY=lib)
    venv, py = venv_with_package(tmp_path, env)
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


# the library the process loaded, from its memory map
WHICH_LIB = ("import routemap, sys; data = routemap.render(); "
             "maps = open('/proc/self/maps').read().split(); "
             "print([m for m in maps if 'libroutemap' in m][0]); "
             "sys.stdout.flush(); open('m.svg', 'wb').write(data)")


def test_pip_install_against_the_installed_library(tmp_path):
    # `cmake --install` into a prefix; a package built with no library to
    # record finds the installed one through the dynamic linker
    build = os.environ.get("ROUTEMAP_BUILD_DIR") or os.path.join(ROOT, "build")
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", build, "--prefix", str(prefix)], check=True,
                   capture_output=True)
    libdir = next(d for d in prefix.iterdir() if d.name.startswith("lib"))
    # no build/ beside the copy, no ROUTEMAP_LIBRARY: nothing to record
    venv, py = venv_with_package(tmp_path, clean_env())
    env = dict(clean_env(), LD_LIBRARY_PATH=str(libdir),
               ROUTEMAP_DATA=str(prefix / "share" / "routemap" / "shapefiles"))
    p = subprocess.run([py, "-c", WHICH_LIB], env=env, cwd=str(tmp_path), capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().startswith(str(libdir) + "/libroutemap.so")
    ref = subprocess.run([os.environ.get("ROUTEMAP_CLI") or os.path.join(build, "routemap"),
                          "render", "-o", "-"], capture_output=True, check=True).stdout
    assert (tmp_path / "m.svg").read_bytes() == ref
    # without the library anywhere: the message says how to build it
    import ctypes.util

    if ctypes.util.find_library("routemap"):
        return  # one is installed on this machine
    env.pop("LD_LIBRARY_PATH")
    p = subprocess.run([py, "-c", "import routemap; routemap.render()"], env=env,
                       cwd=str(tmp_path), capture_output=True, text=True)
    assert p.returncode != 0 and "cmake -S . -B build && cmake --build build" in p.stderr
