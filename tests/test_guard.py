"""The over-removal guard: a long document that would lose more than --max-removal of its
words keeps its best block, flagged in the result, --explain and --stats; and the output is
still a fixed point."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app

runner = CliRunner()
SENTENCE = "The harbour master said the new pier would open to ferries before the summer."
SENTENCES = [SENTENCE.replace("summer", f"summer of year {n}") for n in range(2001, 2013)]
HOSTILE = """pack: hostile
description: A rule gone wrong that drops every line with a letter in it.
rules:
  - id: hostile.all
    description: Everything.
    match: {regex: '\\pL'}
    action: drop-line
    examples: {drop: [a], keep: ['1']}
"""


def _hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE)
    return path


def _page() -> str:
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Contact us"] * 4)
    article = "\n".join(SENTENCES[:8])  # 128 words in sentence-length lines
    footer = "\n".join(["Privacy", "Terms", "Cookies"] * 3)
    return f"{menu}\n\n{article}\n\n{footer}\n"


def test_a_rule_that_would_empty_a_long_page_leaves_its_best_block(tmp_path: Path) -> None:
    cleaner = Cleaner(rules=[_hostile(tmp_path)], content=False)
    result = cleaner.clean(_page())
    assert result.text == "\n".join(SENTENCES[:8]) + "\n"
    assert "max-removal" in result.flags
    assert all(r.reason.stage == "rules" for r in result.removals)
    assert not [r for r in result.removals if r.text in SENTENCES]
    assert cleaner.clean(result.text).text == result.text


def test_max_removal_one_turns_the_guard_off(tmp_path: Path) -> None:
    cleaner = Cleaner(rules=[_hostile(tmp_path)], content=False, max_removal=1.0)
    result = cleaner.clean(_page())
    assert result.text == "" and result.flags == ()


def test_a_short_page_is_not_guarded(tmp_path: Path) -> None:
    cleaner = Cleaner(rules=[_hostile(tmp_path)], content=False)
    assert cleaner.clean("Home\n\n" + SENTENCE + "\n").text == ""


def test_an_ordinary_cleaning_is_not_guarded() -> None:
    article = "".join(line + "\n" for line in SENTENCES)
    result = Cleaner(content=False).clean("Advertisement\n" + article)
    assert result.flags == () and result.text == article


def test_the_flag_shows_in_explain_and_stats(tmp_path: Path) -> None:
    src = tmp_path / "page.txt"
    src.write_text(_page())
    explain = tmp_path / "explain.jsonl"
    stats = tmp_path / "stats.json"
    result = runner.invoke(app, ["clean", "--no-content", "--rules", str(_hostile(tmp_path)),
                                 str(src), "--explain", str(explain), "--stats-json",
                                 str(stats)])
    assert result.exit_code == 0
    flags = [json.loads(line) for line in explain.read_text().splitlines()
             if "flag" in json.loads(line)]
    assert [f["flag"] for f in flags] == ["max-removal"]
    assert json.loads(stats.read_text())["flags"] == {"max-removal": 1}
    off = runner.invoke(app, ["clean", "--no-content", "--rules", str(_hostile(tmp_path)),
                              "--max-removal", "1", str(src)])
    assert off.exit_code == 0 and off.stdout == ""


def test_max_removal_out_of_range_is_a_usage_error() -> None:
    result = runner.invoke(app, ["clean", "--max-removal", "1.5"], input=b"x\n")
    assert result.exit_code == 2


words = st.sampled_from(["ferry", "harbour", "zz", "pier", "summer", "Home", "the", "a"])
lines = st.lists(words, min_size=1, max_size=14).map(" ".join)
blocks = st.lists(st.lists(lines, min_size=1, max_size=8).map("\n".join), min_size=1,
                  max_size=6).map("\n\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks, st.sampled_from([0.5, 0.8, 0.95]))
def test_guarded_output_is_a_fixed_point(text: str, share: float) -> None:
    cleaner = _zz_cleaner(share)
    once = cleaner.clean(text).text
    assert cleaner.clean(once).text == once


@lru_cache(maxsize=4)
def _zz_cleaner(share: float) -> Cleaner:
    """The hostile rule alone (dropping every line with "zz"), built once per share."""
    import tempfile

    pack = HOSTILE.replace("'\\pL'", "zz").replace("examples: {drop: [a], keep: ['1']}",
                                                    "examples: {drop: [zz], keep: [b]}")
    path = Path(tempfile.mkdtemp()) / "hostile.yaml"
    path.write_text(pack)
    return Cleaner(rules=[path], builtin_rules=False, content=False, dedup=False,
                   max_removal=share)


def test_a_page_repeated_many_times_keeps_its_whole_text_not_one_block() -> None:
    """Scrapers save a page many times over: dedup's removals are not losses, so the guard
    does not step in and cut the page down to its best block."""
    article = "\n\n".join(SENTENCES)  # twelve blocks, one sentence each
    page = "\n\n".join([article] * 30) + "\n"
    result = Cleaner(content=False).clean(page)
    assert "max-removal" not in result.flags
    assert result.text == article + "\n"


def test_the_guard_still_weighs_what_other_stages_take_from_a_repeated_page(
        tmp_path: Path) -> None:
    result = Cleaner(content=False, rules=[_hostile(tmp_path)]).clean(_page() * 5)
    assert "max-removal" in result.flags
    assert result.text == "\n".join(SENTENCES[:8]) + "\n"


def test_a_label_repeated_on_every_screen_counts_once() -> None:
    """A page of 3,000 copies of one label and one sentence has 13 distinct words: too
    short to guard, so the label goes and the sentence stays."""
    page = ("Advertisement\n" + SENTENCE + "\n") * 3000
    result = Cleaner(content=False).clean(page)
    assert result.text == SENTENCE + "\n"
    assert "max-removal" not in result.flags
