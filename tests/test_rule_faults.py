"""Broken rule packs: one line naming the file, the line and the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.errors import RuleError
from cleaner.rulebook.loader import load_packs

GOOD_RULE = """  - id: mine.x
    description: A rule.
    match: {exact: [xyz]}
    action: drop-line
    examples: {drop: [xyz], keep: [xyz is a word]}
"""


def _load(tmp_path: Path, body: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("pack: mine\ndescription: Mine.\nrules:\n" + body)
    load_packs([path], builtin=False)


@pytest.mark.parametrize(("body", "message"), [
    (GOOD_RULE.replace("drop-line", "explode"), "mine.yaml:4: rule mine.x: unknown action 'explode'"),
    (GOOD_RULE.replace("{exact: [xyz]}", "{regex: '(a)\\1'}"), "does not compile on the linear-time engine"),
    (GOOD_RULE.replace("{exact: [xyz]}", "{regex: '(?=a)b'}"), "rule mine.x: pattern"),
    (GOOD_RULE.replace("{exact: [xyz]}", "{regex: 'a*'}"), "matches an empty line"),
    (GOOD_RULE.replace("id: mine.x", "id: other.x"), "needs an 'id' of the form 'mine.name'"),
    (GOOD_RULE + GOOD_RULE, "mine.yaml:9: rule mine.x: duplicate rule id"),
    (GOOD_RULE.replace("drop-line", "cut-after"), "cut-after needs 'where: {position: tail}'"),
    (GOOD_RULE.replace("keep: [xyz is a word]", "keep: []"), "examples.keep must be a non-empty"),
    (GOOD_RULE.replace("    action", "    colour: red\n    action"), "unknown key(s) colour"),
    ("  - id: mine.x\n    match: [unclosed\n", "not valid YAML"),
    (GOOD_RULE.replace("    action", "    where: {site: 'https://rei.com/'}\n    action"),
     "rule mine.x: 'where.site' 'https://rei.com/' is not a host name"),
    (GOOD_RULE.replace("    action", "    where: {site: []}\n    action"),
     "'where.site' is a host name or a list of them"),
    (GOOD_RULE.replace("    action", "    where: {site: 5}\n    action"),
     "'where.site' is a host name or a list of them"),
])
def test_rule_errors_name_file_line_and_rule(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(RuleError) as info:
        _load(tmp_path, body)
    text = str(info.value)
    assert message in text
    assert "mine.yaml" in text
    assert "\n" not in text


def test_catastrophic_backtracking_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("pack: mine\ndescription: Mine.\nrules:\n" + GOOD_RULE.replace(
        "{exact: [xyz]}", "{regex: '^(a+)+$'}").replace("drop: [xyz]", "drop: [aaa]"))
    from cleaner import Cleaner

    cleaner = Cleaner(rules=[path], builtin_rules=False)
    evil = "a" * 50_000 + "!"
    assert cleaner.clean_text(evil) == evil


def test_a_site_rule_fires_on_its_site_and_subdomains_only(tmp_path: Path) -> None:
    from cleaner import Cleaner
    from cleaner.document import Document

    path = tmp_path / "mine.yaml"
    path.write_text("pack: mine\ndescription: Mine.\nrules:\n" + GOOD_RULE.replace(
        "    action", "    where: {site: [WWW.Rei.com, shop.example]}\n    action"))
    cleaner = Cleaner(rules=[path], builtin_rules=False, content=False)
    page = "xyz\nThe ferry to the island runs twice a day in winter.\n"
    for url, dropped in [("https://rei.com/a", True), ("http://www.rei.com/", True),
                         ("https://m.shop.example/x", True), ("rei.com/b", True),
                         ("https://notrei.com/", False), ("https://rei.com.evil.example/", False),
                         ("", False), ("not a url at all", False)]:
        out = cleaner.clean(Document(page, url=url)).text
        assert (out != page) == dropped, url
