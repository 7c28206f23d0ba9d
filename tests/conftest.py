from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DEV = SHARED / "bench" / "dev"


def need(path: Path) -> Path:
    """Skip, saying why, when the shared folder beside the repository is missing."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared seeds and benchmark sit beside the repo")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return need(SEEDS)
