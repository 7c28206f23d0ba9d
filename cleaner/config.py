"""Settings where hook users keep them: `[tool.cleaner]` in pyproject.toml, or .cleaner.toml.

Found by the CLI only, walking up from the working directory; the library and the
integrations read no file (a worker must clean exactly as its caller asked). Command-line
options win over the file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from cleaner.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KEYS: dict[str, type] = {"rules": list, "disable": list, "keep": list, "content": bool,
                         "dedup": bool, "favor": str, "field": str,
                         "max_removal": float, "suffixes": list, "max_doc_bytes": int}


@dataclass(frozen=True, slots=True)
class Settings:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, cli_value: Any, default: Any) -> Any:
        """The command line's value when given, else the file's, else the default."""
        if cli_value is not None and cli_value != [] and cli_value != ():
            return cli_value
        return self.values.get(key, default)


def find(start: Path | None = None) -> Settings:
    folder = (start or Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        dotfile = here / ".cleaner.toml"
        if dotfile.is_file():
            return _load(dotfile, table=None)
        pyproject = here / "pyproject.toml"
        if pyproject.is_file():
            settings = _load(pyproject, table=("tool", "cleaner"))
            if settings.values or settings.path is not None:
                return settings
    return Settings()


def _load(path: Path, table: tuple[str, ...] | None) -> Settings:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the configuration ({exc})") from None
    if table is not None:
        for depth, key in enumerate(table):
            data = data.get(key, {})
            if not isinstance(data, dict):
                name = ".".join(table[: depth + 1])
                raise UsageError(f"{path}: [{name}] must be a table of settings, not "
                                 f"{type(data).__name__}")
        if not data:
            return Settings()
    values: dict[str, Any] = {}
    item: tuple[str, Any]
    for item in data.items():
        key, value = item
        kind = KEYS.get(key)
        if kind is None:
            raise UsageError(f"{path}: unknown setting {key!r} (one of {', '.join(KEYS)})")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, list) and
                                           not all(isinstance(v, str) for v in value)):
            raise UsageError(f"{path}: setting {key!r} must be a {kind.__name__}")
        if key == "rules":  # rule folders are relative to the configuration file
            value = [str((path.parent / v).resolve()) for v in cast(list[str], value)]
        values[key] = value
    return Settings(path, values)
