"""The real pre-commit tool against this repository's hooks (CI runs it; `-m 'not integration'`
skips it locally). pre-commit builds its own environment from the repository, so this also
proves the package installs from a clean checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def _head() -> str:
    out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                         text=True)
    if out.returncode != 0:
        pytest.skip("this checkout has no commit for pre-commit to install from")
    return out.stdout.strip()


def test_real_pre_commit_fixes_then_passes_and_check_writes_nothing(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    rev = _head()
    env = _env(tmp_path)
    work = tmp_path / "scraped"
    (work / "data").mkdir(parents=True)
    page = (REPO / "examples" / "page.txt").read_text(encoding="utf-8")
    (work / "data" / "page.txt").write_text(page, encoding="utf-8")
    (work / "notes.md").write_text("Advertisement\n", encoding="utf-8")  # not matched: untouched
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n"
        "      - id: clean-scraped-text\n        files: ^data/\n", encoding="utf-8")
    assert _run(["git", "init", "-q"], work, env).returncode == 0
    assert _run(["git", "add", "-A"], work, env).returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit"]

    first = _run([*pre_commit, "run", "--all-files"], work, env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Fixing data/page.txt" in first.stdout
    assert (work / "data" / "page.txt").read_text(encoding="utf-8") == \
        Cleaner().clean_text(page)
    assert (work / "notes.md").read_text(encoding="utf-8") == "Advertisement\n"

    _run(["git", "add", "-A"], work, env)
    second = _run([*pre_commit, "run", "--all-files"], work, env)
    assert second.returncode == 0, second.stdout + second.stderr

    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n"
        "      - id: check-scraped-text\n", encoding="utf-8")
    (work / "data" / "more.txt").write_text(page, encoding="utf-8")
    _run(["git", "add", "-A"], work, env)
    check = _run([*pre_commit, "run", "--all-files"], work, env)
    assert check.returncode == 1
    assert "-Skip to content" in check.stdout
    assert (work / "data" / "more.txt").read_text(encoding="utf-8") == page


def _readme_config() -> str:
    """The README's .pre-commit-config.yaml example, as written there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\nrepos:") + len("```yaml\n")
    return readme[start:readme.index("```", start)]


def test_the_readme_example_leaves_csv_markdown_and_code_beside_the_data_untouched(
        tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    rev = _head()
    env = _env(tmp_path)
    work = tmp_path / "scraped"
    data = work / "data"
    data.mkdir(parents=True)
    page = (REPO / "examples" / "page.txt").read_text(encoding="utf-8")
    (data / "page.txt").write_text(page, encoding="utf-8")
    bystanders = {
        "labels.csv": "id,label\n1,News\n2,Share\n3,Advertisement\n",
        "labels.tsv": "1\tShare\n2\tAdvertisement\n",
        "README.md": "# Scraped pages\n\nAdvertisement\n\nShare this article\n",
        "clean.py": "# Advertisement\nprint('Share this article')\n",
        "schema.json": '{"text": "Advertisement"}\n',
        "config.yaml": "label: Share this article\n",
        "settings.toml": "label = 'Advertisement'\n",
    }
    for name, text in bystanders.items():
        (data / name).write_text(text, encoding="utf-8")
    config = _readme_config()
    config = config.replace("https://example.org/your-mirror/cleaner", str(REPO))
    config = config.replace("rev: v0.1.0", f"rev: {rev}")
    assert "files: ^data/" in config
    (work / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    assert _run(["git", "init", "-q"], work, env).returncode == 0
    assert _run(["git", "add", "-A"], work, env).returncode == 0
    first = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], work, env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Fixing data/page.txt" in first.stdout
    assert (data / "page.txt").read_text(encoding="utf-8") != page
    for name, text in bystanders.items():
        assert (data / name).read_text(encoding="utf-8") == text, name
