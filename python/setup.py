"""Builds the routemap Python package (pure Python; ctypes loads libroutemap).

When the package is built from the routemap source tree and build/libroutemap.so
exists (or ROUTEMAP_LIBRARY names a library), its absolute path is recorded in
routemap/_build_config.py, so that the installed package finds the library
built but not installed. Without one, the package finds an installed
libroutemap (cmake --install) through the dynamic linker.
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class build_py_with_library(build_py):
    def run(self):
        super().run()
        lib = os.environ.get("ROUTEMAP_LIBRARY") or os.path.join(
            HERE, os.pardir, "build", "libroutemap.so")
        value = os.path.normpath(os.path.abspath(lib)) if os.path.exists(lib) else None
        target = os.path.join(self.build_lib, "routemap", "_build_config.py")
        with open(target, "w", encoding="utf-8") as f:
            f.write('"""Written by setup.py: the library found when the package was built."""\n')
            f.write("LIBRARY = %r\n" % value)


setup(cmdclass={"build_py": build_py_with_library})
