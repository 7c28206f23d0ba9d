"""One place for each piece of knowledge: a feature column, a favor value, a format name is
defined in one module, and a new format is one adapter registered in one table."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.content.gate import GATE_NAMES
from cleaner.content.rows import LAYOUTS
from cleaner.content.stacking import STACK_NAMES
from cleaner.document import Document
from cleaner.io import formats
from cleaner.job import Adapter, InputFile, JobSpec, Output, ReadDocument, Unit
from cleaner.options import FAVORS
from tests.conftest import REPO

PACKAGE = REPO / "cleaner"


# The modules that read and write formats: a format's name may be defined in its own
# adapter only ("text" elsewhere is also a markup and a model layout, other things).
IO_MODULES = ("cleaner/io/", "cleaner/job.py", "cleaner/runner.py", "cleaner/cli.py",
              "cleaner/check.py", "cleaner/learn.py", "cleaner/filetypes.py")


def _defining_modules(value: str, only: tuple[str, ...] = ("cleaner/",)) -> set[str]:
    """Modules that define `value`: a string constant in a tuple, list or set assigned at
    module or class level (a name table), a key of a dict so assigned, inside a
    `Literal[...]`, or the name given to an `Adapter(...)`. Uses (an index lookup, a
    comparison, a local variable) do not count."""
    found = _defining_kernel_sources(value) if only == ("cleaner/",) else set()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = str(path.relative_to(REPO))
        if not name.startswith(only):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        tables = [*tree.body, *(n for c in tree.body if isinstance(c, ast.ClassDef)
                                for n in c.body)]
        nodes = [*(n for n in tables if isinstance(n, (ast.Assign, ast.AnnAssign))
                   and not _slots(n)),
                 *(n for n in ast.walk(tree) if isinstance(n, (ast.Subscript, ast.Call)))]
        if any(_defines(node, value) for node in nodes):
            found.add(name)
    return found


def _defining_kernel_sources(value: str) -> set[str]:
    """The compiled core's sources (Cython, which `ast` cannot read) that define `value`: a
    string constant in a tuple assigned at module level (`NAMES = ("a", "b")`)."""
    found: set[str] = set()
    quoted = (f'"{value}"', f"'{value}'")
    for path in sorted(PACKAGE.rglob("*.pxi")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if not re.match(r"[A-Za-z_][A-Za-z_0-9]* = [(]", line):
                continue
            block, depth = [], 0
            for text in lines[i:]:
                block.append(text)
                depth += text.count("(") - text.count(")")
                if depth <= 0:
                    break
            if any(q in "\n".join(block) for q in quoted):
                found.add(str(path.relative_to(REPO)))
    return found


def _slots(node: ast.Assign | ast.AnnAssign) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return any(isinstance(t, ast.Name) and t.id == "__slots__" for t in targets)


def _defines(node: ast.AST, value: str) -> bool:
    def holds(container: ast.AST) -> bool:
        if isinstance(container, (ast.Tuple, ast.List, ast.Set)):
            return any(isinstance(e, ast.Constant) and e.value == value
                       for e in container.elts)
        if isinstance(container, ast.Dict):
            return any(isinstance(k, ast.Constant) and k.value == value
                       for k in container.keys)
        if isinstance(container, ast.BinOp):  # ("a", "b") + ("c",)
            return holds(container.left) or holds(container.right)
        return False

    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return holds(node.value)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
            and node.value.id == "Literal":
        inner = node.slice
        return holds(inner) or (isinstance(inner, ast.Constant) and inner.value == value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "Adapter" and node.args:
        first = node.args[0]
        return isinstance(first, ast.Constant) and first.value == value
    return False


def _columns() -> list[str]:
    names = [*LAYOUTS["html"].names, *STACK_NAMES, *GATE_NAMES]
    # Columns made from a name and an offset ("log_words@-3") are defined with their name.
    return sorted({name.split("@")[0] for name in names})


@pytest.mark.parametrize("column", _columns())
def test_each_feature_column_is_defined_in_one_module(column: str) -> None:
    assert len(_defining_modules(column)) == 1, (column, _defining_modules(column))


@pytest.mark.parametrize("favor", sorted(FAVORS))
def test_each_favor_value_is_defined_in_one_module(favor: str) -> None:
    assert _defining_modules(favor) == {"cleaner/options.py"}


@pytest.mark.parametrize("name", sorted(formats.ADAPTERS))
def test_each_format_name_is_defined_in_one_module(name: str) -> None:
    found = _defining_modules(name, IO_MODULES)
    assert found == {f"cleaner/io/{name}.py"}, found


# -- a made-up format, end to end through the command line ----------------------------------
def _units(source: InputFile, spec: JobSpec) -> Iterator[Unit]:
    """A 'pages' file: documents separated by a line holding only '%%'."""
    data = source.stream.read().decode("utf-8")
    yield Unit(source.target, source.label, "pages", source.out_kind, data.split("\n%%\n"))


def _clean(unit: Unit, spec: JobSpec, cleaner: object, out: Output) -> None:
    texts = []
    for n, text in enumerate(unit.payload):
        result = cleaner.clean(Document(text, id=f"{unit.label}#{n}"))  # type: ignore[attr-defined]
        out.report(spec, result, f"{unit.label}#{n}")
        texts.append(result.text.rstrip("\n"))
    out.data = ("\n%%\n".join(texts) + "\n").encode("utf-8")


def _documents(stream: BinaryIO, label: str, spec: JobSpec) -> Iterator[ReadDocument]:
    for text in stream.read().decode("utf-8").split("\n%%\n"):
        yield ReadDocument(text)


@pytest.fixture()
def pages_format() -> Iterator[None]:
    formats.register(Adapter("pages", (".pages",), ("text",), _units, _clean, _documents))
    try:
        yield
    finally:
        del formats.ADAPTERS["pages"]


ARTICLE = "The council voted on Tuesday to keep the library open for another ten years."


def test_a_format_registered_from_outside_works_through_the_cli(tmp_path: Path,
                                                                pages_format: None) -> None:
    source = tmp_path / "site.pages"
    source.write_text(f"Advertisement\n{ARTICLE}\n%%\nShare this article\n{ARTICLE}\n",
                      encoding="utf-8")
    out = tmp_path / "clean.pages"
    result = CliRunner().invoke(app, ["clean", "--no-content", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == f"{ARTICLE}\n%%\n{ARTICLE}\n"
    by_name = CliRunner().invoke(app, ["clean", "--no-content", "--format", "pages",
                                       str(source)])
    assert by_name.stdout == f"{ARTICLE}\n%%\n{ARTICLE}\n"


def test_an_unknown_format_is_a_one_line_error(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["clean", "--format", "pages", str(source)])
    assert result.exit_code == 2
    assert "--format pages: one of auto, text, jsonl, parquet, warc" in result.output
