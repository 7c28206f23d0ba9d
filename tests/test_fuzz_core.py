"""Fuzzing the rule compiler and the segmenter (hypothesis, bounded examples, run in CI).

Any pattern a user writes either compiles or is a RuleError naming the rule; a compiled rule
runs on any text without raising; the segmenter renders an untouched page back to its text.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.errors import RuleError
from cleaner.page import DocumentState, Page
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import parse_pack
from cleaner.stages.rules import RulesStage

bounded = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
regex_pieces = st.lists(st.sampled_from(
    ["a", "b", "(?i)", "^", "$", ".", "*", "+", "?", "(", ")", "[", "]", "\\w", "\\d", "\\s",
     "|", "{2,3}", "\\b", "\\pL", "[^\\pL\\pN]", "é", "Реклама", "\\", "(?=", "\\1", " "]),
    min_size=1, max_size=12).map("".join)


@bounded
@given(regex_pieces, st.sampled_from(["drop-line", "drop-block", "strip", "cut-after"]),
       st.text(max_size=300))
def test_any_pattern_compiles_or_is_a_rule_error_and_runs_on_any_text(
        pattern: str, action: str, text: str) -> None:
    where = "\n    where: {position: tail}" if action == "cut-after" else ""
    pack = (f"pack: fz\ndescription: Fuzz.\nrules:\n  - id: fz.r\n    description: Fuzz.\n"
            f"    match: {{regex: {json.dumps(pattern)}}}\n    action: {action}{where}\n"
            "    examples: {drop: [x], keep: [y]}\n")
    try:
        parsed = parse_pack(pack, "fuzz.yaml")
    except RuleError as exc:
        assert "fuzz.yaml" in str(exc) and "\n" not in str(exc)
        return
    stage = RulesStage(RuleSet(parsed.rules))
    page = Page.whole(DocumentState(Document(text)))
    stage.apply(page)
    assert len(page.lines) == len(page.dropped)


@bounded
@given(st.text(max_size=400))
def test_an_untouched_page_renders_back_to_its_text(text: str) -> None:
    page = Page.whole(DocumentState(Document(text)))
    assert page.render() == text or (text == "" and page.render() == "")
