"""The formats `clean`, `check` and `learn` read, in one table: adding a format is one
module with an `Adapter` and one row here (or a `register` call from outside the package).

A file's format is what its name says under any compression suffix; a name that says none is
text.
"""

from __future__ import annotations

from cleaner.errors import UsageError
from cleaner.io import jsonl, parquet, text, warc
from cleaner.io.compression import strip_suffix
from cleaner.job import Adapter, OutputKind

ADAPTERS: dict[str, Adapter] = {
    adapter.name: adapter for adapter in (text.ADAPTER, jsonl.ADAPTER, parquet.ADAPTER,
                                          warc.ADAPTER)
}
DEFAULT = text.ADAPTER.name
AUTO = "auto"


def register(adapter: Adapter) -> None:
    """Add a format (a plugin's); its name and suffixes must be new."""
    if adapter.name in ADAPTERS or adapter.name == AUTO:
        raise UsageError(f"a format named {adapter.name!r} exists already")
    ADAPTERS[adapter.name] = adapter


def names() -> tuple[str, ...]:
    return (AUTO, *ADAPTERS)


def adapter(name: str) -> Adapter:
    """The adapter of a format name, or a one-line error listing the names."""
    found = ADAPTERS.get(name)
    if found is None:
        raise UsageError(f"--format {name}: one of {', '.join(names())}")
    return found


def format_by_name(filename: str) -> str:
    """The format a file name says (compression suffixes aside); text when it says nothing."""
    base = strip_suffix(filename).lower()
    for candidate in ADAPTERS.values():
        if candidate.suffixes and base.endswith(candidate.suffixes):
            return candidate.name
    return DEFAULT


def format_of(filename: str, given: str = AUTO) -> Adapter:
    """The adapter for an input: the one asked for, or the one its name says."""
    return adapter(format_by_name(filename) if given == AUTO else given)


def output_kind(source: Adapter, target_name: str | None) -> OutputKind:
    """What a target holds: what the input's format writes, in the kind the target's name
    says when the format can write it (stdout: the format's first kind, JSON lines for
    records)."""
    if target_name is None:
        return "jsonl" if "jsonl" in source.writes else source.writes[0]
    named = format_by_name(target_name)
    if named in source.writes:
        return named
    if named in ("jsonl", "parquet"):
        if source.writes == ("text",):
            raise UsageError(f"-o {target_name}: text input writes text; give a text file "
                             "name")
        raise UsageError(f"-o {target_name}: {source.name.upper()} input writes "
                         f"{' or '.join(k.upper() for k in source.writes)}; give a "
                         f".{source.writes[0]} name")
    return source.writes[0]
