"""Rules against real article text: `cleaner rules test --corpus PATH`.

Examples prove what a rule's author thought of; a corpus of clean article text (the gold
texts of a benchmark, say) finds what they did not. Every rule runs on every text with the
whole rule set loaded, as in a real run; each removal of a line there is a false removal.
A pack that removes more than `MAX_FALSE_SHARE` of the corpus's lines fails the check.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.document import Document
from cleaner.errors import InputError
from cleaner.io.compression import reader
from cleaner.io.jsonl import read_records
from cleaner.page import DocumentState, Page, is_blank
from cleaner.rulebook.actions import apply_hit
from cleaner.rulebook.compiler import RuleSet

MAX_FALSE_SHARE = 0.001


@dataclass
class CorpusReport:
    documents: int = 0
    lines: int = 0
    removed: Counter[str] = field(default_factory=Counter)  # by rule id
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def by_pack(self) -> Counter[str]:
        packs: Counter[str] = Counter()
        for rule_id, count in self.removed.items():
            packs[rule_id.split(".")[0]] += count
        return packs

    def failing_packs(self, max_share: float = MAX_FALSE_SHARE) -> list[str]:
        return sorted(p for p, n in self.by_pack().items() if n > max_share * self.lines)


def texts(paths: Iterable[Path], field_name: str) -> Iterator[str]:
    """The string values of `field_name` in JSONL files (.gz and .zst by suffix)."""
    for path in paths:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except OSError as exc:
            raise InputError(f"--corpus {path}: cannot read ({exc.strerror})") from None
        with raw, reader(raw, path.name) as stream:
            for record in read_records(stream, str(path)):
                value = record.text(field_name)
                if value:
                    yield value


def check_corpus(ruleset: RuleSet, documents: Iterable[str]) -> CorpusReport:
    report = CorpusReport()
    for text in documents:
        report.documents += 1
        page = Page.whole(DocumentState(Document(text)))
        report.lines += sum(not is_blank(line) for line in page.lines)
        for hit in ruleset.find(page):
            apply_hit(page, hit)
        for removal in page.state.removals:
            key = removal.reason.key
            report.removed[key] += 1
            if len(report.examples[key]) < 3:
                report.examples[key].append(removal.text[:120])
    return report
