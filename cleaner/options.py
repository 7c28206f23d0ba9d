"""How to clean: one typed, frozen options object, and the closed sets its values come from.

Every way in (the `Cleaner` API, both commands, the configuration file, the job spec a worker
receives, the integrations) builds or reads an `Options`, so an option is declared once: a
field here, with its default and whether a configuration file may set it. Closed sets are
`Literal` types, so a type checker catches `favor="precison"` and the value check at run time
names the choices. Each `--favor` value is defined here once, with the F-beta its text-mode
selection maximises and the line model's threshold, which training and serving both read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any, Literal, TypedDict, get_args

from cleaner.errors import UsageError

if TYPE_CHECKING:
    from cleaner.content.model import ContentModel

Favor = Literal["balanced", "precision", "recall"]
# What becomes of readers' comment threads under an article (threads.py).
Comments = Literal["drop", "keep"]
Markup = Literal["auto", "text", "html"]
OnError = Literal["fail", "keep", "skip"]
# What a clean document is written as: its text, or Markdown (markdown.py).
OutputFormat = Literal["text", "markdown"]
# `check` cleans .html files only when asked: its --markup is "text" or "html", no "auto".
CheckMarkup = Literal["text", "html"]

MARKUPS: tuple[Markup, ...] = get_args(Markup)
COMMENTS: tuple[Comments, ...] = get_args(Comments)
ON_ERRORS: tuple[OnError, ...] = get_args(OnError)
OUTPUT_FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)


@dataclass(frozen=True, slots=True)
class FavorSetting:
    """What one `--favor` value means: the F-beta the text stage's expected-F selection
    maximises, and the score at which the line models call a line content."""

    beta: float
    threshold: float


# The thresholds were chosen out of fold: 0.5 ties 0.55 on the mean of the two dev sets; 0.6
# and 0.4 are the precision and recall ends of a flat curve (NOTES.md, "Decoding").
FAVORS: dict[Favor, FavorSetting] = {
    "balanced": FavorSetting(beta=1.0, threshold=0.5),
    "precision": FavorSetting(beta=0.5, threshold=0.6),
    "recall": FavorSetting(beta=2.0, threshold=0.4),
}

MAX_PASSES = 32
# The over-removal guard: a document of at least `chain.GUARD_MIN_WORDS` words that would
# lose more than this share of its words keeps its best block instead.
MAX_REMOVAL = 0.95
# Documents past this size pass through unchanged, flagged "oversize": the chain's memory
# grows with a document's lines (some 60 bytes per byte of text with the content model), and
# a 200 MB line must not take a worker past its share of the machine. The default keeps a
# worker of `--jobs 2` near 400 MB at the largest document it cleans. An HTML page is mostly
# markup, so it is allowed `HTML_ALLOWANCE` times as much.
MAX_DOC_BYTES = 2 << 20
HTML_ALLOWANCE = 4

_CONFIG = {"config": True}  # a configuration file may set this field


def _paths(values: Any) -> tuple[str, ...]:
    return tuple(os.fspath(v) for v in values)


@dataclass(frozen=True, slots=True)
class Options:
    """What `Cleaner` does. `rules` adds pack files or folders, `disable` turns rule ids or
    whole packs off, `builtin_rules=False` leaves the shipped packs out; `repair`,
    `rules_stage`, `content` and `dedup` switch stages off; `favor` moves the content stage
    toward dropping (precision) or keeping (recall); `comments` drops a thread of readers'
    comments under an article or keeps it (its controls go either way); `content_model`
    and `html_model` swap in other model files (or loaded models); `keep` is a list of
    regexes whose lines no stage may remove (the way out of a false removal);
    `output_format="markdown"` writes the kept lines as Markdown (`Result.text`);
    `evidence=N` gives each content removal the N features that pushed its score down most
    (and the second stage's N), by TreeSHAP: it costs a few ms per removed line."""

    rules: tuple[str, ...] = field(default=(), metadata=_CONFIG)
    disable: tuple[str, ...] = field(default=(), metadata=_CONFIG)
    keep: tuple[str, ...] = field(default=(), metadata=_CONFIG)
    builtin_rules: bool = True
    repair: bool = field(default=True, metadata=_CONFIG)
    rules_stage: bool = True
    content: bool = field(default=True, metadata=_CONFIG)
    dedup: bool = field(default=True, metadata=_CONFIG)
    favor: Favor = field(default="balanced", metadata=_CONFIG)
    comments: Comments = field(default="drop", metadata=_CONFIG)
    content_model: str | ContentModel | None = None
    html_model: str | ContentModel | None = None
    max_passes: int = MAX_PASSES
    max_removal: float = field(default=MAX_REMOVAL, metadata=_CONFIG)
    max_doc_bytes: int = field(default=MAX_DOC_BYTES, metadata=_CONFIG)
    output_format: OutputFormat = "text"  # not from a file: `check` must never write Markdown
    evidence: int = 0  # per content removal, the features that weighed most (--explain)

    def __post_init__(self) -> None:
        # Sequences of paths or patterns arrive as lists from users: stored as tuples, so
        # that options are hashable (one Cleaner per distinct options in a worker).
        for name in ("rules", "disable", "keep"):
            value = getattr(self, name)
            if isinstance(value, (str, os.PathLike)):
                value = (value,)
            object.__setattr__(self, name, _paths(value) if name == "rules" else tuple(value))
        for name in ("content_model", "html_model"):
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                object.__setattr__(self, name, os.fspath(value))
        if self.favor not in FAVORS:
            raise UsageError(f"--favor {self.favor}: one of {', '.join(FAVORS)}")
        if self.comments not in COMMENTS:
            raise UsageError(f"--comments {self.comments}: one of {', '.join(COMMENTS)}")
        if self.output_format not in OUTPUT_FORMATS:
            raise UsageError(f"--output-format {self.output_format}: one of "
                             f"{', '.join(OUTPUT_FORMATS)}")
        if self.evidence < 0:
            raise UsageError(f"evidence {self.evidence}: a number of features (0: none)")
        if not 0.0 <= self.max_removal <= 1.0:
            raise UsageError(f"--max-removal {self.max_removal}: a share between 0 and 1")
        if self.max_doc_bytes < 0:
            raise UsageError(f"--max-doc-bytes {self.max_doc_bytes}: a size in bytes "
                             "(0: no limit)")

    @property
    def favor_setting(self) -> FavorSetting:
        return FAVORS[self.favor]


class OptionValues(TypedDict, total=False):
    """The fields of `Options` as keywords (`Cleaner(favor="precision")`,
    `clean(text, **values)`): with `Unpack`, a type checker completes the names and catches
    a wrong name or value. A test keeps its keys equal to the fields of `Options`."""

    rules: Sequence[str | os.PathLike[str]]
    disable: Sequence[str]
    keep: Sequence[str]
    builtin_rules: bool
    repair: bool
    rules_stage: bool
    content: bool
    dedup: bool
    favor: Favor
    comments: Comments
    content_model: str | os.PathLike[str] | ContentModel | None
    html_model: str | os.PathLike[str] | ContentModel | None
    max_passes: int
    max_removal: float
    max_doc_bytes: int
    output_format: OutputFormat
    evidence: int


def option_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Options))


def configurable() -> dict[str, Any]:
    """The fields a configuration file may set, with their defaults."""
    return {f.name: f.default for f in fields(Options) if f.metadata.get("config")}


def make_options(base: Options | None = None, /, **values: Any) -> Options:
    """Options from keyword values (changing `base` when given), with a one-line error for
    a name that is no option. Sequences and paths are normalised by `Options` itself, so
    the wider types of `OptionValues` are accepted here."""
    unknown = sorted(set(values) - set(option_names()))
    if unknown:
        raise UsageError(f"{unknown[0]!r} is not a cleaner option (options: "
                         f"{', '.join(option_names())})")
    return Options(**values) if base is None else replace(base, **values)


def check_markup(value: str) -> Markup:
    if value not in MARKUPS:
        raise UsageError(f"markup {value!r}: one of {', '.join(MARKUPS)}")
    return value
