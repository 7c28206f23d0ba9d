"""The compiled core (cleaner/_core.pyx) and the rule packs in the wheel; everything else
about the project is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithPacks(build_py):
    """The top-level rules/ folder ships inside the package as cleaner/_packs."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "cleaner" / "_packs"
        target.mkdir(parents=True, exist_ok=True)
        for pack in sorted((HERE / "rules").glob("*.yaml")):
            shutil.copy2(pack, target / pack.name)


setup(
    ext_modules=cythonize(
        # lxml's headers: the DOM walk reads its elements' libxml2 nodes (dom.pxi).
        [Extension("cleaner._core", ["cleaner/_core.pyx"],
                   include_dirs=["cleaner/_core_src", *lxml.get_include()],
                   depends=sorted(f"cleaner/_core_src/{p.name}"
                                  for p in (HERE / "cleaner" / "_core_src").iterdir()),
                   extra_compile_args=["-O3", "-ffp-contract=off"])],
        compiler_directives={"language_level": "3"},
    ),
    cmdclass={"build_py": BuildWithPacks},
)
