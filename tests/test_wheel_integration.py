"""Packaging as a user meets it: `python -m build` makes an sdist and, from it, a wheel with the
compiled core; the wheel installs into a fresh venv and cleans a page as the checkout does
(CI runs it; `-m 'not integration'` skips it locally)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from cleaner import Cleaner
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=1500)


def test_the_wheel_built_from_the_sdist_installs_and_cleans(tmp_path: Path) -> None:
    pytest.importorskip("build")
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)])
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(dist.glob("cleaner-*.whl"))
    assert next(dist.glob("cleaner-*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("cleaner/_core") and n.endswith(".so") for n in names)
    assert "cleaner/_packs/ads.yaml" in names
    assert "cleaner/content/content_model.json.gz" in names
    assert "cleaner/content/model_numbers.bin.gz" in names, "the read-ahead ships"
    assert "cleaner/rulebook/atoms.json" in names
    assert not any(n.startswith(("training/", "bench/", "tests/")) for n in names)
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    installed = _run([str(python), "-m", "pip", "install", "--quiet", str(wheel)])
    assert installed.returncode == 0, installed.stderr[-2000:]
    page = REPO / "examples" / "page.txt"
    cleaned = _run([str(env / "bin" / "cleaner"), "clean", str(page)], cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout == Cleaner().clean_text(page.read_text(encoding="utf-8"))
    lightgbm = _run([str(python), "-c", "import lightgbm"])
    assert lightgbm.returncode != 0  # training-only: the wheel does not bring it
