"""Reading rule packs from YAML, with errors that point at the file, line and rule id."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import re2

from cleaner.errors import RuleError
from cleaner.rulebook.model import ACTIONS, MATCH_KINDS, POSITIONS, Examples, Pack, Rule, Where

_LINE_KEY = "__line__"
_RULE_KEYS = {"id", "description", "match", "where", "action", "lang", "examples", "max_lines",
              _LINE_KEY}
_WHERE_KEYS = {"max_words", "position", "share", "site", _LINE_KEY}


if TYPE_CHECKING:
    import yaml

# The built-in packs' documents as YAML reads them (line keys included), as JSON keyed by the
# SHA-256 of each file's text; `make atoms` writes it and a test holds it to the packs. A
# one-file run reads it instead of importing PyYAML and building each document with it (a
# twentieth of such a run). A pack whose text is not in it (a user's, an edited one) is read
# as YAML, so the file can make a start slower but never read a pack wrong.
READ_AHEAD = Path(__file__).resolve().parent / "packs.json"


@lru_cache(maxsize=1)
def _line_loader() -> Any:
    """A SafeLoader that records the 1-based line of every mapping, for error messages, on
    libyaml's parser when PyYAML has it (its wheels do): the pure-Python one took a second to
    read the shipped packs."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False
                              ) -> dict[Any, Any]:
            mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
            mapping[_LINE_KEY] = node.start_mark.line + 1
            return mapping

    return LineLoader


@lru_cache(maxsize=1)
def _read_ahead() -> dict[str, str]:
    """Each read-ahead document's JSON text by its file's hash (decoded at each use, so no
    two packs share a mutable document)."""
    try:
        data = json.loads(READ_AHEAD.read_text(encoding="utf-8"))
        return {key: json.dumps(doc, ensure_ascii=False)
                for key, doc in data.get("documents", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_yaml(text: str, path: str) -> Any:
    """The YAML document in `text`, with the line of every mapping under `__line__`."""
    import yaml

    try:
        return yaml.load(text, Loader=_line_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise RuleError(f"not valid YAML ({exc.problem})", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise RuleError(f"not valid YAML ({exc})", path=path) from None


def write_read_ahead(files: Iterable[Path]) -> None:
    """Write READ_AHEAD for the pack files (sorted by hash: the same packs, the same file).
    A document JSON cannot hold as it is (a date, a key that is no string) is left out."""
    documents: dict[str, Any] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = read_yaml(text, str(path))
        if repr(json.loads(json.dumps(data))) == repr(data):
            documents[_text_key(text)] = data
    READ_AHEAD.write_text(
        json.dumps({"note": "Written by `make atoms` from the built-in packs.",
                    "documents": dict(sorted(documents.items()))},
                   ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def builtin_pack_dir() -> Path:
    """The shipped packs: inside the wheel, or the repository's rules/ in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    shipped = here / "_packs"
    return shipped if shipped.is_dir() else here.parent / "rules"


def pack_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every pack file named: files as given, folders by their *.yaml and *.yml, sorted."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():  # only regular files: a FIFO named *.yaml would block the read
            out.extend(sorted(p for p in [*path.glob("*.yaml"), *path.glob("*.yml")]
                              if p.is_file()))
        elif path.is_file():
            out.append(path)
        elif path.exists():
            raise RuleError("not a regular file; name a pack file or a folder of them",
                            path=str(path))
        else:
            raise RuleError("no such rule file or folder", path=str(path))
    return out


def load_packs(extra: Sequence[str | os.PathLike[str]] = (), *, builtin: bool = True,
               check_builtin: bool = False) -> list[Pack]:
    """The built-in packs (unless `builtin` is off) and then the extra files or folders.

    Every pattern of a user's pack is compiled here, so that a bad one is an error naming
    its file, line and rule before any work. The built-in packs' patterns are checked so by
    `cleaner rules test` (`check_builtin`), which the build runs, and compile at first use in
    a run: compiling all of them took most of a one-file run's start-up."""
    builtin_files = pack_files([builtin_pack_dir()]) if builtin else []
    packs = [load_pack_file(f, check_patterns=check_builtin) for f in builtin_files]
    packs += [load_pack_file(f) for f in pack_files(extra)]
    seen: dict[str, Rule] = {}
    for pack in packs:
        for rule in pack.rules:
            first = seen.get(rule.id)
            if first is not None:
                raise RuleError(f"duplicate rule id (first defined in {first.path}:{first.line})",
                                path=rule.path, line=rule.line, rule_id=rule.id)
            seen[rule.id] = rule
    return packs


def load_pack_file(path: Path, *, check_patterns: bool = True) -> Pack:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule file ({exc})", path=str(path)) from None
    return parse_pack(text, str(path), check_patterns=check_patterns)


def parse_pack(text: str, path: str, *, check_patterns: bool = True) -> Pack:
    ahead = _read_ahead().get(_text_key(text))
    data = json.loads(ahead) if ahead is not None else read_yaml(text, path)
    if not isinstance(data, dict):
        raise RuleError("a pack is a mapping with pack, description and rules", path=path, line=1)
    name = data.get("pack")
    if not isinstance(name, str) or not name:
        raise RuleError("the pack has no 'pack' name", path=path, line=1)
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise RuleError("the pack has no 'description'", path=path, line=1)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RuleError("the pack has no 'rules' list", path=path, line=data[_LINE_KEY])
    rules = tuple(_parse_rule(r, name, path, data[_LINE_KEY], check_patterns)
                  for r in raw_rules)
    return Pack(name=name, description=description.strip(), path=path, rules=rules)


def _parse_rule(raw: object, pack: str, path: str, pack_line: int,
                check_patterns: bool = True) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError("each rule is a mapping", path=path, line=pack_line)
    line = int(raw.get(_LINE_KEY, 0)) or None
    rule_id = raw.get("id")

    def fail(message: str) -> RuleError:
        return RuleError(message, path=path, line=line,
                         rule_id=rule_id if isinstance(rule_id, str) else None)

    if not isinstance(rule_id, str) or not rule_id.startswith(pack + ".") or \
            len(rule_id) == len(pack) + 1:
        raise fail(f"the rule needs an 'id' of the form '{pack}.name'")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    description = raw.get("description")
    if not isinstance(description, str) or not description.strip():
        raise fail("the rule needs a 'description'")
    action = raw.get("action")
    if action not in ACTIONS:
        raise fail(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
    kind, patterns = _parse_match(raw.get("match"), fail, check_patterns)
    where = _parse_where(raw.get("where"), fail)
    if action == "cut-after" and where.position != "tail":
        raise fail("cut-after needs 'where: {position: tail}'")
    if action == "cut-before" and where.position != "head":
        raise fail("cut-before needs 'where: {position: head}'")
    if action == "strip" and kind != "regex":
        raise fail("strip needs a 'regex' match (it removes the matched span)")
    lang = raw.get("lang", [])
    if isinstance(lang, str):
        lang = [lang]
    if not isinstance(lang, list) or not all(isinstance(x, str) and x for x in lang):
        raise fail("'lang' is a list of language codes")
    examples = raw.get("examples")
    if not isinstance(examples, dict):
        raise fail("the rule needs 'examples' with 'drop' and 'keep' lists")
    drop, keep = examples.get("drop"), examples.get("keep")
    for label, value in (("drop", drop), ("keep", keep)):
        if not isinstance(value, list) or not value or not all(isinstance(x, str) for x in value):
            raise fail(f"examples.{label} must be a non-empty list of strings")
    max_lines = raw.get("max_lines", 6)
    if not isinstance(max_lines, int) or isinstance(max_lines, bool) or max_lines < 1:
        raise fail("'max_lines' is a positive integer")
    assert isinstance(drop, list) and isinstance(keep, list)
    return Rule(id=rule_id, pack=pack, description=description.strip(), kind=kind,
                patterns=patterns, action=action, where=where, lang=tuple(lang),
                examples=Examples(tuple(drop), tuple(keep)), max_lines=max_lines,
                path=path, line=line or 0)


def _parse_match(match: object, fail: Any, check_patterns: bool = True
                 ) -> tuple[str, tuple[str, ...]]:
    if not isinstance(match, dict):
        raise fail(f"the rule needs a 'match' with one of {', '.join(MATCH_KINDS)}")
    kinds = [k for k in match if k != _LINE_KEY]
    if len(kinds) != 1 or kinds[0] not in MATCH_KINDS:
        raise fail(f"'match' takes exactly one of {', '.join(MATCH_KINDS)}")
    kind = kinds[0]
    value = match[kind]
    if kind == "regex" and isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or \
            not all(isinstance(x, str) and x.strip() for x in value):
        raise fail(f"match.{kind} must be a non-empty list of non-empty strings")
    if kind in ("regex", "sequence"):
        for pattern in value:
            if "\\A" in pattern or "\\z" in pattern or "\\Z" in pattern:
                raise fail(f"pattern {pattern!r}: use ^ and $ (patterns run on one line at a "
                           "time)")
            if check_patterns:
                _check_regex(pattern, fail)
    return kind, tuple(value)


def _check_regex(pattern: str, fail: Any) -> None:
    """Reject what the linear-time engine cannot run, or what would match every line."""
    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise fail(f"pattern {pattern!r} does not compile on the linear-time engine "
                   f"(RE2: {detail}); lookarounds and backreferences are not supported"
                   ) from None
    if compiled.search("") is not None:
        raise fail(f"pattern {pattern!r} matches an empty line; it would match everywhere")


def _parse_where(where: object, fail: Any) -> Where:
    if where is None:
        return Where()
    if not isinstance(where, dict):
        raise fail("'where' is a mapping (max_words, position, share)")
    unknown = set(where) - _WHERE_KEYS
    if unknown:
        raise fail(f"unknown 'where' key(s) {', '.join(sorted(map(str, unknown)))}")
    max_words = where.get("max_words")
    if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
        raise fail("'where.max_words' is a positive integer")
    position = where.get("position", "any")
    if position not in POSITIONS:
        raise fail(f"'where.position' is one of {', '.join(POSITIONS)}")
    share = where.get("share", 0.25)
    if not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise fail("'where.share' is a number in (0, 1]")
    return Where(max_words=max_words, position=position, share=float(share),
                 site=_parse_sites(where.get("site"), fail))


_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$")


def _parse_sites(value: object, fail: Any) -> tuple[str, ...]:
    """'where.site': one host name or a list of them, as a URL's host reads (no scheme)."""
    if value is None:
        return ()
    sites = [value] if isinstance(value, str) else value
    if not isinstance(sites, list) or not sites or not all(isinstance(s, str) for s in sites):
        raise fail("'where.site' is a host name or a list of them, such as rei.com")
    out: list[str] = []
    for site in sites:
        host = site.strip().lower().removeprefix("www.")
        if not _HOST.match(host):
            raise fail(f"'where.site' {site!r} is not a host name (such as rei.com, with no "
                       "scheme or path)")
        out.append(host)
    return tuple(out)
