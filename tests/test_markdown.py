"""`--output-format markdown`: the lines HTML mode keeps, written with the page's structure
(headings, nested and numbered lists, pipe tables, fenced code with its own line breaks,
quotations), and no other cleaning decision than the text output's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cleaner import Cleaner, UsageError
from cleaner.cli import app
from cleaner.document import Document, Reason, Removal, Result
from cleaner.htmldom import dom_dump
from cleaner.markdown import escape, of_page, of_text, plain

CASES = Path(__file__).parent / "cases" / "markdown"
GUIDE = (CASES / "guide.html").read_text(encoding="utf-8")
runner = CliRunner()

TABLE = ("| Lining | Lowest inside | Lowest outside |\n| --- | --- | --- |\n"
         "| Bare glass | -1.5 C | -4.0 C |\n| Bubble insulation | 1.0 C | -4.5 C |")
CODE = ('```\ndef check(reading):\n    if reading < 0.5:\n'
        '        send_alert("Frost in the greenhouse")\n```')


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_the_page_path_writes_headings_lists_tables_code_and_quotes() -> None:
    markdown = Cleaner(output_format="markdown").clean(GUIDE).text
    assert "\n## What you need before the first frost\n" in markdown
    assert ("- Fleece for the coldest nights, with pegs to hold it down:\n"
            "  1. Drape it over the plants, not the pots alone.\n"
            "  2. Take it off in the morning so that the leaves do not stay damp.\n") in markdown
    assert TABLE in markdown
    assert CODE in markdown  # the page's own line breaks and indents, not the dump's line
    assert "\n> The cheapest heat is the heat you keep" in markdown
    for chrome in ("Home", "Privacy policy", "Copyright", "Share this article",
                   "Advertisement"):
        assert chrome not in markdown


def test_the_markdown_keeps_exactly_the_words_the_text_output_keeps() -> None:
    text = Cleaner().clean(GUIDE).text
    markdown = Cleaner(output_format="markdown").clean(GUIDE).text
    assert _words(plain(markdown)) == _words(text)


def test_trafilaturas_markdown_less_what_the_rules_removed_when_its_text_is_used() -> None:
    """With the content stage off (as where the page gate chooses trafilatura's text), the
    Markdown is trafilatura's, less the lines the chain took from its text."""
    result = Cleaner(content=False, output_format="markdown").clean(GUIDE)
    assert [r.text for r in result.removals] == ["Advertisement"]
    markdown = result.text
    assert markdown.startswith("# How to winter-proof a small greenhouse\n\n")
    assert "Advertisement" not in markdown
    assert "\n## How much insulation saves\n" in markdown
    assert CODE in markdown
    assert _words(plain(markdown)) == _words(Cleaner(content=False).clean(GUIDE).text)


def test_a_code_block_that_lost_a_line_writes_the_lines_it_kept() -> None:
    html = ("<html><body><p>Run these two commands to install it on a fresh machine.</p>"
            "<pre>pip install cleaner\ncleaner clean page.txt\n</pre></body></html>")
    dump = dom_dump(html, None)
    assert dump.lines[-1].startswith("pip install")  # one dump line for the <pre>
    whole = Result(Document(dump.text), dump.text, [])
    assert of_page(whole, dump.structure).endswith(
        "```\npip install cleaner\ncleaner clean page.txt\n```\n")
    line = len(dump.lines)
    gone = Removal(line, 0, 0, Reason(stage="content", action="drop-line"), dump.lines[-1])
    cut = Result(Document(dump.text), "\n".join(dump.lines[:-1]) + "\n", [gone])
    assert "```" not in of_page(cut, dump.structure)


def test_a_text_document_is_its_text_with_markdown_marks_escaped() -> None:
    text = "# not a heading\n\n1. not a list\n- nor this\nplain line\n"
    written = of_text(text)
    assert written == "\\# not a heading\n\n1\\. not a list\n\\- nor this\nplain line\n"
    assert plain(written) == text
    result = Cleaner(output_format="markdown").clean(
        "Advertisement\n# The council voted on Tuesday to keep the library open.\n", "text")
    assert result.text == "\\# The council voted on Tuesday to keep the library open.\n"


@given(st.text(alphabet="ab #->+.)0123456789|", min_size=1, max_size=30))
def test_escaping_a_line_reads_back_as_the_same_text(line: str) -> None:
    if not line.strip():
        return
    assert plain(escape(line)).rstrip("\n") == line.strip()


def test_the_cli_writes_markdown_files_under_a_folder_and_to_jsonl(tmp_path: Path) -> None:
    page = tmp_path / "guide.html"
    page.write_text(GUIDE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(page), "--output-format", "markdown", "-o",
                                 f"{out}/"])
    assert result.exit_code == 0, result.stderr
    assert TABLE in (out / "guide.md").read_text(encoding="utf-8")
    records = tmp_path / "pages.jsonl"
    records.write_text(json.dumps({"id": 1, "text": GUIDE}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["clean", str(records), "--output-format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert CODE in json.loads(result.stdout)["text"]


def test_in_place_markdown_is_a_one_line_error(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Advertisement\nThe council voted to keep the library open.\n")
    result = runner.invoke(app, ["clean", str(page), "-i", "--output-format", "markdown"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--in-place" in result.stderr
    assert page.read_text().startswith("Advertisement")


def test_an_unknown_output_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--output-format html"):
        Cleaner(output_format="html")  # type: ignore[arg-type]
