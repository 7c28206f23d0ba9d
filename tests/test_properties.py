"""Invariants of the chain, driven by hypothesis: what holds for any page, not just the seeds."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner
from cleaner import Cleaner
from cleaner.document import split_lines
from cleaner.rulebook.compiler import compile_regex
from cleaner.rulebook.loader import load_packs

VOCAB = ["river", "water", "village", "council", "farmer", "engineer", "bridge", "winter", "harvest", "market", "family", "school", "teacher", "doctor", "museum", "garden", "station", "ferry", "island", "valley", "mountain", "letter", "morning", "evening", "summer", "autumn", "spring", "field", "road", "house", "window", "door", "table"]
VERBS = ["built", "repaired", "visited", "painted", "opened", "closed", "measured", "crossed", "planted", "described"]

_RULES = [rule for pack in load_packs() for rule in pack.rules]
# Cut rules take everything after (or before) their line by design; lines they fire on are
# left out of the generated boilerplate, so that "prose survives" means what it says.
_CUTS = [compile_regex(p) for r in _RULES if r.action.startswith("cut") for p in r.patterns
         if r.kind == "regex"]
BOILERPLATE = sorted({ex for rule in _RULES for ex in rule.examples.drop
                      if "\n" not in ex and rule.where.position == "any"
                      and rule.action == "drop-line"
                      and not any(c.search(ex) for c in _CUTS)})

words = st.sampled_from(VOCAB)


@st.composite
def sentences(draw: st.DrawFn) -> str:
    subject = draw(words)
    verb = draw(st.sampled_from(VERBS))
    rest = draw(st.lists(words, min_size=5, max_size=20))
    return f"The {subject} {verb} the " + " ".join(rest) + "."


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    prose = draw(st.lists(sentences(), min_size=1, max_size=12, unique=True))
    lines: list[str] = []
    for sentence in prose:
        lines.extend(draw(st.lists(st.sampled_from(BOILERPLATE), max_size=2)))
        lines.append(sentence)
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n", prose


RULES = Cleaner(content=False)
fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(pages())
def test_prose_that_no_rule_names_survives_among_boilerplate(page: tuple[str, list[str]]) -> None:
    text, prose = page
    out = RULES.clean_text(text).splitlines()
    for sentence in prose:
        assert sentence in out


@fast
@given(pages())
def test_cleaning_is_idempotent_and_deterministic(page: tuple[str, list[str]]) -> None:
    text, _ = page
    once = cleaner.clean(text)
    assert cleaner.clean(text) == once
    assert cleaner.clean(once) == once


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(c in chars for c in short)


@fast
@given(st.lists(st.one_of(st.sampled_from(BOILERPLATE), sentences(),
                          st.sampled_from(["The link https://t.co/abc123 stays out.", ""])),
                max_size=20))
def test_every_output_line_comes_from_the_input(lines: list[str]) -> None:
    text = "\n".join(lines)
    for line in cleaner.clean(text).splitlines() + RULES.clean_text(text).splitlines():
        if line.strip():
            assert line in lines or any(len(src) > len(line) and _is_subsequence(line, src)
                                        for src in lines)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_unicode_never_raises(text: str) -> None:
    out = cleaner.clean(text)
    assert isinstance(out, str)
    assert cleaner.clean(out) == out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_with_every_stage_off_the_output_is_the_input_up_to_blank_lines(text: str) -> None:
    bare = Cleaner(repair=False, rules_stage=False, content=False, dedup=False)
    out = bare.clean_text(text)
    assert [x for x in split_lines(out)[0] if x.strip()] == \
        [x for x in split_lines(text)[0] if x.strip()]


INVISIBLES = ["\u200b", "\u00ad", "\u200d", "\u2060", "\ufeff", "\u200e"]


@fast
@given(st.sampled_from(BOILERPLATE), st.sampled_from(INVISIBLES), st.data())
def test_an_invisible_character_inside_a_label_does_not_hide_it_from_its_rule(
        label: str, mark: str, data: st.DataObject) -> None:
    plain = RULES.clean(label + "\n" + "The ferry runs twice a day from the harbour.\n")
    if any(r.text == label for r in plain.removals):
        at = data.draw(st.integers(min_value=1, max_value=max(1, len(label) - 1)))
        hidden = label[:at] + mark + label[at:]
        result = RULES.clean(hidden + "\n" + "The ferry runs twice a day from the harbour.\n")
        assert any(r.text == hidden for r in result.removals), hidden
