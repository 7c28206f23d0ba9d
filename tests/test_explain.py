"""`--explain` on a content removal: its score and the features that weighed most toward
removing it (TreeSHAP in the compiled core), for the line's own model and the second stage;
asking for them changes no decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import Cleaner, UsageError
from cleaner.cli import app
from cleaner.content.model import HTML_FEATURE_NAMES, TEXT_FEATURE_NAMES
from cleaner.content.stacking import STACK_NAMES

CASES = Path(__file__).parent / "cases"
runner = CliRunner()


def _content_lines(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["clean", *args, "--explain", "-"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(x) for x in result.stderr.splitlines() if x.startswith("{")]
    return [x for x in lines if x.get("stage") == "content"]


@pytest.mark.parametrize(("page", "names"), [
    (CASES / "markdown" / "guide.html", HTML_FEATURE_NAMES),
    (CASES / "pages" / "listing_en.txt", TEXT_FEATURE_NAMES),
])
def test_a_content_removal_names_the_features_that_pushed_it_out(page: Path,
                                                                  names: tuple[str, ...]) -> None:
    removals = _content_lines(str(page))
    assert removals, "the page should lose lines to the content stage"
    for removal in removals:
        evidence = removal["evidence"]
        assert isinstance(evidence, list) and 1 <= len(evidence) <= 3
        effects = [e["effect"] for e in evidence]
        assert all(e < 0 for e in effects) and effects == sorted(effects)
        assert all(e["feature"] in names for e in evidence)
        assert all(e["feature"] in STACK_NAMES for e in removal["context"])  # type: ignore[union-attr]


def test_asking_for_evidence_changes_no_decision() -> None:
    plain, explained = Cleaner(), Cleaner(evidence=3)
    for page in [*sorted((CASES / "pages").glob("*.txt")),
                 *sorted((CASES / "threads").glob("*.txt"))[:4]]:
        text = page.read_text(encoding="utf-8")
        a, b = plain.clean(text, "text"), explained.clean(text, "text")
        assert a.text == b.text
        assert [(r.line, r.reason.key, r.reason.score) for r in a.removals] == \
            [(r.line, r.reason.key, r.reason.score) for r in b.removals]
        assert all(not r.reason.evidence for r in a.removals)


def test_a_negative_evidence_count_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="evidence -1"):
        Cleaner(evidence=-1)
