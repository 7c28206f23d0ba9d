"""Every rule's examples, run as tests: `cleaner rules test` and the pytest suite share this.

A drop example runs with its rule alone, so that it proves the rule and not a neighbour; a
keep example runs with every loaded rule, so that no other rule takes it either. Rules with a
position guard see their example where the guard looks: after (tail) or before (head) a few
paragraphs of neutral prose, which must come through untouched.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from cleaner.document import Document
from cleaner.page import DocumentState, Page, is_blank
from cleaner.rulebook.actions import apply_hit
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.model import Pack, Rule

FILLER = (
    "The river rose slowly through the night, and by morning the lower fields were under water.",
    "",
    "Farmers in the valley had moved their animals to higher ground two days earlier, after "
    "the first warnings from the weather service reached the villages along the bank.",
    "",
    "Most of the older residents remembered the flood of 1987, when the water reached the "
    "steps of the church and stayed there for almost a week before it began to fall.",
    "",
    "This time the new embankment held, although the engineers who inspected it on Sunday "
    "said that two of its sections would need repairs before the autumn rains arrived.",
    "",
    "The regional council has promised to pay for the work, and a contractor is expected to "
    "start in the middle of the summer, when the level of the river is usually at its lowest.",
    "",
    "Until then, the families closest to the water will keep sandbags by their doors and a "
    "bag of dry clothes in the car, as they have done every spring for the past ten years.",
)


@dataclass(frozen=True, slots=True)
class ExampleCase:
    rule: Rule
    kind: str  # "drop" or "keep"
    index: int
    text: str

    @property
    def id(self) -> str:
        return f"{self.rule.id}:{self.kind}[{self.index}]"

    def check(self, everything: RuleSet) -> str | None:
        """None when the example behaves; otherwise what went wrong, in one line."""
        lines, first, last = _framed(self.rule, self.text)
        ruleset = RuleSet([self.rule]) if self.kind == "drop" else everything
        site = self.rule.where.site  # a site rule's examples are pages of its first site
        url = f"https://{site[0]}/page" if site else ""
        page = Page.whole(DocumentState(Document("\n".join(lines), url=url)))
        lang = self.rule.lang[0] if self.rule.lang else None
        for hit in ruleset.find(page, lang):
            apply_hit(page, hit)
        for i, original in enumerate(lines):
            if is_blank(original):
                continue
            inside = first <= i < last
            removed = page.dropped[i]
            changed = page.lines[i] != original
            if inside and self.kind == "drop":
                if self.rule.action == "strip":
                    if not changed:
                        return f"{self.id}: nothing was stripped from {original!r}"
                elif removed is None:
                    return f"{self.id}: {original!r} was kept"
            elif removed is not None or changed:
                culprit = removed.key if removed is not None else _stripper(page, i)
                what = "example" if inside else "surrounding prose"
                return f"{self.id}: {what} line {original!r} was removed by {culprit}"
        return None


def _stripper(page: Page, index: int) -> str:
    src = page.origin[index] + 1
    for removal in page.state.removals:
        if removal.line == src:
            return removal.reason.key
    return "?"


def _framed(rule: Rule, example: str) -> tuple[list[str], int, int]:
    body = example.split("\n")
    if rule.where.position == "tail":
        lines = [*FILLER, "", *body]
        return lines, len(FILLER) + 1, len(lines)
    if rule.where.position == "head":
        return [*body, "", *FILLER], 0, len(body)
    return body, 0, len(body)


def cases(packs: Sequence[Pack], only: set[str] | None = None) -> Iterator[ExampleCase]:
    """Every example of every rule (of the packs whose files are in `only`, when given)."""
    for pack in packs:
        if only is not None and pack.path not in only:
            continue
        for rule in pack.rules:
            for i, text in enumerate(rule.examples.drop):
                yield ExampleCase(rule, "drop", i, text)
            for i, text in enumerate(rule.examples.keep):
                yield ExampleCase(rule, "keep", i, text)
