"""What a rule is, once its YAML has been read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS = ("drop-line", "drop-block", "cut-after", "cut-before", "strip")
MATCH_KINDS = ("exact", "contains", "regex", "sequence")
POSITIONS = ("any", "head", "tail")


@dataclass(frozen=True, slots=True)
class Where:
    """Guards: a rule fires only on lines that pass all of them."""

    max_words: int | None = None
    position: str = "any"
    share: float = 0.25
    # Sites (host names) the rule is for: it fires only on documents whose URL is on one of
    # them or a subdomain (`rei.com` covers `www.rei.com`); a document without a URL is not
    # touched. Empty: every site.
    site: tuple[str, ...] = ()

    def covers(self, host: str) -> bool:
        """Whether a document on `host` (lower case, '' when unknown) is in the rule's reach."""
        if not self.site:
            return True
        return bool(host) and any(host == s or host.endswith("." + s) for s in self.site)


@dataclass(frozen=True, slots=True)
class Examples:
    drop: tuple[str, ...]
    keep: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pack: str
    description: str
    kind: str
    patterns: tuple[str, ...]
    action: str
    where: Where = field(default_factory=Where)
    lang: tuple[str, ...] = ()
    examples: Examples = field(default_factory=lambda: Examples((), ()))
    max_lines: int = 6
    path: str = ""
    line: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "pack": self.pack,
            "description": self.description,
            "match": {self.kind: list(self.patterns) if self.kind != "regex"
                      or len(self.patterns) > 1 else self.patterns[0]},
            "where": {"max_words": self.where.max_words, "position": self.where.position,
                      "share": self.where.share, "site": list(self.where.site)},
            "action": self.action,
            "lang": list(self.lang),
            "examples": {"drop": list(self.examples.drop), "keep": list(self.examples.keep)},
            "file": self.path,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    description: str
    path: str
    rules: tuple[Rule, ...]
