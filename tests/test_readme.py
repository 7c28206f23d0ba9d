"""The README cannot drift from the CLI and the rule packs."""

from __future__ import annotations

from typing import Any

import typer

from cleaner.cli import app
from cleaner.rulebook.loader import load_packs
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "cleaner") -> list[str]:
    out = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            out.extend(_commands(command, f"{prefix} {name}"))
        else:
            out.append(f"{prefix} {name}")
    return out


def test_readme_opens_with_the_two_commands() -> None:
    head = README[:600]
    assert "make demo" in head and "make test" in head


def test_every_command_is_in_the_readme() -> None:
    group = typer.main.get_command(app)
    for command in _commands(group):
        assert command in README, command


def test_every_clean_option_is_in_the_readme() -> None:
    group = typer.main.get_command(app)
    for param in group.commands["clean"].params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in README, opt


def test_every_pack_is_in_the_readme() -> None:
    for pack in load_packs():
        assert f"| `{pack.name}` |" in README, pack.name


def test_docs_rules_md_is_generated_from_the_packs() -> None:
    from cleaner.rulebook.docs import render
    from cleaner.rulebook.loader import load_packs

    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render(load_packs(())), (
        "docs/rules.md is stale: run `cleaner rules docs -o docs/rules.md`")
