"""Run statistics: what went in, what came out, what took it, and what cleaned it.

A dataset can record the last part (cleaner version, hashes of the rule packs and of the
model) to say exactly which cleaner produced it.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TextIO

from cleaner import __version__
from cleaner.document import Result

# The quality estimate's histogram: tenths of [0, 1].
QUALITY_BINS = 10


def _bin_label(i: int) -> str:
    return f"{i / QUALITY_BINS:.1f}-{(i + 1) / QUALITY_BINS:.1f}"


@dataclass
class RunStats:
    documents: int = 0
    changed: int = 0
    emptied: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    html_bytes_in: int = 0  # the HTML pages' own bytes (bytes_in counts their text)
    html_pages: int = 0
    removals: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    flags: Counter[str] = field(default_factory=Counter)
    records_skipped: int = 0
    records_kept_invalid: int = 0
    records_without_field: int = 0
    records_not_pages: int = 0  # WARC records that hold no page (requests, images, ...)
    # With `pages`: documents per page type, and per tenth of the quality estimate.
    page_types: Counter[str] = field(default_factory=Counter)
    quality: list[int] = field(default_factory=lambda: [0] * QUALITY_BINS)

    def add(self, result: Result, pages: bool = False) -> None:
        """Count one result; with `pages`, its page type and quality too (this runs the
        page models)."""
        self.documents += 1
        self.changed += result.changed
        self.emptied += bool(result.document.text.strip()) and not result.text.strip()
        self.bytes_in += len(result.document.text.encode("utf-8", "surrogatepass"))
        self.bytes_out += len(result.text.encode("utf-8", "surrogatepass"))
        if result.html_bytes:
            self.html_pages += 1
            self.html_bytes_in += result.html_bytes
        self.removals.update(result.counts())
        self.stages.update(result.stage_counts())
        self.flags.update(result.flags)
        if pages and result.profile is not None:
            self.page_types[result.profile.page_type] += 1
            self.quality[min(int(result.profile.quality * QUALITY_BINS), QUALITY_BINS - 1)] += 1

    def merge(self, other: RunStats) -> None:
        for name in ("documents", "changed", "emptied", "bytes_in", "bytes_out",
                     "html_bytes_in", "html_pages",
                     "records_skipped", "records_kept_invalid", "records_without_field",
                     "records_not_pages"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.removals.update(other.removals)
        self.stages.update(other.stages)
        self.flags.update(other.flags)
        self.page_types.update(other.page_types)
        self.quality = [a + b for a, b in zip(self.quality, other.quality, strict=True)]

    def as_dict(self, provenance: dict[str, str]) -> dict[str, Any]:
        return {
            "cleaner": provenance,
            "documents": self.documents, "changed": self.changed, "emptied": self.emptied,
            "bytes_in": self.bytes_in, "bytes_out": self.bytes_out,
            "html_pages": self.html_pages, "html_bytes_in": self.html_bytes_in,
            "records_skipped": self.records_skipped,
            "records_kept_invalid": self.records_kept_invalid,
            "records_without_field": self.records_without_field,
            "records_not_pages": self.records_not_pages,
            "removals_by_stage": dict(sorted(self.stages.items())),
            "removals_by_rule": dict(self.removals.most_common()),
            "flags": dict(self.flags),
            **({"page_types": dict(self.page_types.most_common()),
                "quality_histogram": {_bin_label(i): n for i, n in enumerate(self.quality)}}
               if self.page_types else {}),
        }

    def write_table(self, out: TextIO, provenance: dict[str, str]) -> None:
        share = 1 - self.bytes_out / self.bytes_in if self.bytes_in else 0.0
        rows = [
            ("cleaner", f"{provenance['version']} (rules {provenance['rules']}, "
                        f"model {provenance['model']})"),
            ("documents", f"{self.documents} ({self.changed} changed, {self.emptied} emptied)"),
            ("bytes", f"{self.bytes_in} in, {self.bytes_out} out ({share:.1%} removed)"),
        ]
        if self.html_pages:
            rows.append(("html", f"{self.html_pages} pages, {self.html_bytes_in} bytes read "
                                 "(bytes in: their text)"))
        if self.records_skipped or self.records_kept_invalid or self.records_without_field:
            rows.append(("records", f"{self.records_skipped} invalid skipped, "
                                    f"{self.records_kept_invalid} invalid kept, "
                                    f"{self.records_without_field} without the field"))
        if self.records_not_pages:
            rows.append(("warc records", f"{self.records_not_pages} not pages, skipped"))
        rows += [(f"stage {k}", str(v)) for k, v in sorted(self.stages.items())]
        rows += [(f"  {k}", str(v)) for k, v in self.removals.most_common()]
        rows += [(f"flag {k}", str(v)) for k, v in sorted(self.flags.items())]
        rows += [(f"page type {k}", str(v)) for k, v in self.page_types.most_common()]
        if self.page_types:
            top = max(self.quality) or 1
            digits = len(str(top))
            rows += [(f"quality {_bin_label(i)}", f"{n:>{digits}} {'#' * round(20 * n / top)}")
                     for i, n in enumerate(self.quality)]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            out.write(f"{key:<{width}}  {value}\n")


def provenance(pack_paths: list[str], model_digest: str | None) -> dict[str, str]:
    digest = hashlib.sha256()
    for path in sorted(pack_paths):
        digest.update(Path(path).name.encode())
        digest.update(Path(path).read_bytes())
    return {"version": __version__, "rules": digest.hexdigest()[:16],
            "model": model_digest or "off"}


def write_json(path: str, stats: RunStats, prov: dict[str, str]) -> None:
    """Written atomically (its folder made when missing); a failure is an OutputError."""
    from cleaner.io.atomic import atomic_writer

    text = json.dumps(stats.as_dict(prov), indent=1) + "\n"
    with atomic_writer(Path(path)) as handle:
        handle.write(text.encode("utf-8"))


@dataclass
class FieldCensus:
    """How many records of an input could be cleaned: a mistyped --field must not pass
    every record through untouched with exit 0."""

    records: int = 0  # records that are objects (or rows)
    with_text: int = 0  # ... whose field holds a text
    with_key: int = 0  # ... that have the field at all
    seen: set[str] = field(default_factory=set)  # some of the field names records have

    SEEN_LIMIT: ClassVar[int] = 12

    def count(self, keys: Iterable[str], has_key: bool, has_text: bool) -> None:
        self.records += 1
        self.with_key += has_key
        self.with_text += has_text
        if len(self.seen) < self.SEEN_LIMIT:
            self.seen.update(list(keys)[: self.SEEN_LIMIT])

    def merge(self, other: FieldCensus) -> None:
        self.records += other.records
        self.with_text += other.with_text
        self.with_key += other.with_key
        if len(self.seen) < self.SEEN_LIMIT:
            self.seen.update(other.seen)

    def problem(self, label: str, name: str) -> str | None:
        """The one-line error when no record of the input had a text to clean."""
        if self.records == 0 or self.with_text:
            return None
        if self.with_key:
            return f"{label}: no record has a text in the field {name!r} (it holds other values)"
        seen = ", ".join(sorted(self.seen)[: self.SEEN_LIMIT]) or "none"
        return f"{label}: no record has the field {name!r} (fields seen: {seen})"
