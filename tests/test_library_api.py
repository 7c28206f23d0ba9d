"""The library's way in: `clean()` and `Cleaner.clean` read HTML as the CLI does (markup
"auto" sniffs a page), and their option keywords are typed (a checker catches a wrong name
or value, as it does for `Options`)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import cleaner
from cleaner import Cleaner, Document, UsageError
from cleaner.options import OptionValues, option_names

CASES = Path(__file__).parent / "cases" / "html"
HTML_PAGE = (CASES / "article.html").read_text(encoding="utf-8")
REPO = Path(__file__).resolve().parent.parent


def test_clean_reads_an_html_page_as_html_by_default() -> None:
    expected = Cleaner().clean_html(HTML_PAGE).text
    assert "<" not in expected and len(expected.split()) > 50
    assert cleaner.clean(HTML_PAGE) == expected
    assert cleaner.clean(HTML_PAGE, markup="html") == expected
    assert Cleaner().clean(HTML_PAGE).text == expected
    assert Cleaner().clean(Document(HTML_PAGE, id="p")).document.id == "p"


def test_markup_text_keeps_a_page_a_dump() -> None:
    as_text = Cleaner().clean(HTML_PAGE, "text")
    assert "<" in as_text.text  # the markup's lines are read as text, not parsed
    assert as_text.html_bytes == 0
    assert Cleaner().clean_text(HTML_PAGE) == as_text.text


def test_plain_text_is_not_sniffed_as_html() -> None:
    page = ("Advertisement\nThe council voted on Tuesday to keep the library open, "
            "and the <b> tag in this sentence is only quoted.\n")
    assert cleaner.clean(page) == cleaner.clean(page, markup="text")
    assert Cleaner().clean(page).html_bytes == 0


def test_a_wrong_markup_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="markup 'xml'"):
        cleaner.clean("text", markup="xml")  # type: ignore[arg-type]


def test_metadata_reaches_the_result_of_an_html_page() -> None:
    result = Cleaner().clean(HTML_PAGE, metadata=True)
    assert result.meta_fields().get("title")


def test_option_values_name_every_option() -> None:
    """The typed keywords (`OptionValues`) and `Options` are one list of names."""
    assert tuple(OptionValues.__annotations__) == option_names()


def test_an_option_keyword_that_is_no_option_is_a_one_line_error() -> None:
    with pytest.raises(UsageError, match="'favr' is not a cleaner option"):
        Cleaner(favr="precision")  # type: ignore[call-arg]
    with pytest.raises(UsageError, match="--favor precison"):
        cleaner.clean("text", favor="precison")  # type: ignore[arg-type]


SNIPPET = """
    import cleaner
    from cleaner import Cleaner, Options
    from cleaner.integrations.hf import clean_batch

    Cleaner(favor="precision", rules=["my-rules/"], disable=("social",))
    Cleaner(Options(), comments="keep")
    cleaner.clean("page", markup="html", max_removal=0.5)
    clean_batch({{"text": []}}, favor="recall")
    {bad}
"""


@pytest.mark.parametrize(("bad", "message"), [
    ('Cleaner(favr="precision")', 'Unexpected keyword argument "favr"'),
    ('Cleaner(favor="precison")', 'Argument "favor" to "Cleaner" has incompatible type'),
    ('cleaner.clean("page", comments="hide")', 'Argument "comments" to "clean"'),
    ('cleaner.clean("page", markup="xml")', 'Argument "markup" to "clean"'),
    ('clean_batch({"text": []}, max_passes="2")', 'Argument "max_passes" to "clean_batch"'),
])
def test_a_type_checker_catches_a_wrong_option_name_or_value(tmp_path: Path, bad: str,
                                                              message: str) -> None:
    """mypy over a user's script: the good calls pass, the bad one is named."""
    pytest.importorskip("mypy")
    script = tmp_path / "user_script.py"
    script.write_text(textwrap.dedent(SNIPPET.format(bad=bad)), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(REPO / ".mypy_cache"), "--follow-imports", "silent", str(script)],
        capture_output=True, text=True, cwd=REPO, check=False)
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, run.stdout
    assert message in errors[0] and ":10:" in errors[0], errors[0]
