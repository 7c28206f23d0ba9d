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
from cleaner.options import Options, configurable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# What a file may set: the options marked configurable (options.py), and two settings of the
# commands' own (the JSONL field, and the suffixes `check` and `--in-place` may rewrite).
JOB_KEYS: dict[str, Any] = {"field": "text", "suffixes": ()}
KEYS: dict[str, type] = {
    key: list if isinstance(default, tuple) else type(default)
    for key, default in {**configurable(), **JOB_KEYS}.items()}


@dataclass(frozen=True, slots=True)
class Settings:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, cli_value: Any, default: Any) -> Any:
        """The command line's value when given, else the file's, else the default."""
        if cli_value is not None and cli_value != [] and cli_value != ():
            return cli_value
        return self.values.get(key, default)

    def options(self, **given: Any) -> Options:
        """The options the command line gives (None: not given) over the file's: a list
        setting (rules, disable, keep) is the file's entries, then the command line's."""
        values: dict[str, Any] = {}
        for key, default in configurable().items():
            cli = given.pop(key, None)
            if isinstance(default, tuple):
                values[key] = (*self.values.get(key, ()), *(cli or ()))
            else:
                values[key] = self.get(key, cli, default)
        values.update({k: v for k, v in given.items() if v is not None})
        try:
            return Options(**values)
        except TypeError as exc:  # a bug of ours: a command passed a name that is no option
            raise UsageError(f"internal: {exc}") from None


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
