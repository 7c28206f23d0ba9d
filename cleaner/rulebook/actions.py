"""What a rule does to a page once it fires."""

from __future__ import annotations

from functools import lru_cache

from cleaner.document import Reason
from cleaner.page import Page, is_blank
from cleaner.rulebook.compiler import Hit

# Sentence-final punctuation, optionally followed by closing quotes or brackets: a line that
# ends like this is prose, not a headline in a "Read more" list.
_PROSE_END = frozenset(".!;,")
_CLOSERS = "\"'”’»)]"
HEADLINE_MAX_WORDS = 16
# A teaser headline says something ("Putin begins fifth term at Kremlin"); one or two words
# ("Bedroom Furniture", "$ 319", "Apple AirPods") are menu items, prices or product names,
# which end a "Read more" list rather than belong to it.
HEADLINE_MIN_WORDS = 3
CUT_MAX_SHARE = 0.5


def looks_like_headline(line: str) -> bool:
    """Short and without sentence-final punctuation: a teaser title, not a sentence."""
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    if not HEADLINE_MIN_WORDS <= len(words) <= HEADLINE_MAX_WORDS:
        return False
    tail = line.rstrip().rstrip(_CLOSERS)
    return not tail or tail[-1] not in _PROSE_END


@lru_cache(maxsize=4096)
def _reason(action: str, rule_id: str) -> Reason:
    """A rule's reason: one object per rule, shared by its every removal."""
    return Reason(stage="rules", action=action, rule_id=rule_id)


def apply_hit(page: Page, hit: Hit) -> None:
    rule = hit.rule
    reason = _reason(rule.action, rule.id)
    if rule.action == "strip":
        for start, end in reversed(hit.spans):
            page.strip(hit.index, start, end, reason)
        return
    if rule.action == "drop-line":
        for i in hit.lines:
            page.drop(i, reason)
        return
    if rule.action == "drop-block":
        for i in hit.lines:
            page.drop(i, reason)
        _drop_headlines_after(page, hit.lines[-1], rule.max_lines, reason)
        return
    words = page.words()
    total = sum(words)
    if rule.action == "cut-after":
        start = hit.lines[0]
        if sum(words[start:]) <= CUT_MAX_SHARE * total:
            for i in range(start, len(page)):
                page.drop(i, reason)
        return
    if rule.action == "cut-before":
        end = hit.lines[-1]
        if sum(words[: end + 1]) <= CUT_MAX_SHARE * total:
            for i in range(end + 1):
                page.drop(i, reason)
        return
    raise AssertionError(f"unknown action {rule.action}")  # the loader admits no other


def _drop_headlines_after(page: Page, index: int, max_lines: int, reason: Reason) -> None:
    taken = 0
    j = index + 1
    while j < len(page) and taken < max_lines:
        line = page.lines[j]
        if is_blank(line):
            j += 1
            continue
        if page.kept(j) and not looks_like_headline(line):
            break
        page.drop(j, reason)
        taken += 1
        j += 1
