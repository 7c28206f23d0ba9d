"""HTML input: the article text out of a page, by file, stdin or JSONL field; decoded robustly;
a page trafilatura finds nothing in falls back to the text model; text about tags stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner import Cleaner
from cleaner.cli import app
from cleaner.decoding import decode_page
from cleaner.html import looks_like_html
from cleaner.htmldom import DOM_FEATURE_NAMES, dom_dump

runner = CliRunner()
CASES = Path(__file__).parent / "cases" / "html"
ARTICLE = CASES / "article.html"
PARAGRAPHS = ("The town council voted on Tuesday evening",
              "More than four thousand residents signed a petition",
              "The library's director said the building would now extend",
              "Councillors who had supported the closure said")
CHROME = ("Advertisement", "Share this article", "Contact us", "Related stories",
          "Bus timetable changes", "All rights reserved", "Privacy")


def _assert_article(text: str) -> None:
    for start in PARAGRAPHS:
        assert start in text, start
    for chrome in CHROME:
        assert chrome not in text, chrome


def test_an_html_file_gives_the_article_text() -> None:
    result = runner.invoke(app, ["clean", str(ARTICLE)])
    assert result.exit_code == 0, result.stderr
    _assert_article(result.stdout)
    assert "Library stays open after council vote" in result.stdout


def test_html_on_stdin_gives_the_same_text() -> None:
    by_file = runner.invoke(app, ["clean", str(ARTICLE)])
    by_pipe = runner.invoke(app, ["clean"], input=ARTICLE.read_bytes())
    assert by_pipe.exit_code == 0
    assert by_pipe.stdout == by_file.stdout


def test_a_page_declaring_utf8_with_cp1252_bytes_decodes_without_loss(tmp_path: Path) -> None:
    # The article as a stale template serves it: <meta charset="utf-8">, Windows-1252 bytes.
    html = ARTICLE.read_text(encoding="utf-8")
    raw = html.replace("library open", "library open in the Café Quarter").encode("cp1252")
    page = tmp_path / "broken_charset.html"
    page.write_bytes(raw)
    assert "Café Quarter" in decode_page(raw)
    result = runner.invoke(app, ["clean", str(page)])
    assert result.exit_code == 0
    assert "Café Quarter" in result.stdout
    _assert_article(result.stdout)


def test_a_page_trafilatura_empties_falls_back_to_the_text_model(tmp_path: Path) -> None:
    explain = tmp_path / "explain.jsonl"
    result = runner.invoke(app, ["clean", str(CASES / "tiny.html"), "--explain", str(explain)])
    assert result.exit_code == 0
    assert "Opening hours: Monday to Friday, nine to five." in result.stdout
    flags = [json.loads(x) for x in explain.read_text().splitlines() if '"flag"' in x]
    assert [f["flag"] for f in flags] == ["no-extraction"]


def test_text_that_talks_about_tags_stays_text() -> None:
    page = (CASES / "talks_about_tags.txt").read_text()
    assert not looks_like_html(page)
    result = runner.invoke(app, ["clean", "--no-content", str(CASES / "talks_about_tags.txt")])
    assert result.stdout == page
    assert looks_like_html(ARTICLE.read_text())


def test_markup_text_forces_text_mode_on_html() -> None:
    result = runner.invoke(app, ["clean", "--no-content", "--markup", "text", str(ARTICLE)])
    assert result.exit_code == 0
    assert "<article" in result.stdout


def test_no_content_in_html_mode_is_trafilatura_then_the_rules() -> None:
    text = Cleaner(content=False).clean_html(ARTICLE.read_text()).text
    assert "The town council voted on Tuesday evening" in text
    assert "Advertisement" not in text and "Share this article" not in text


def test_html_in_a_jsonl_field_with_meta(tmp_path: Path) -> None:
    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"id": "p1", "text": ARTICLE.read_text()}) + "\n")
    result = runner.invoke(app, ["clean", str(src), "--meta"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    _assert_article(record["text"])
    assert record["title"].startswith("Library stays open after council vote")
    assert record["author"] == "Maria Lopez"
    assert record["date"] == "2024-03-12"
    assert record["sitename"] == "Riverton Gazette"
    assert record["url"] == "https://gazette.example.org/news/library-vote"


def test_dom_dump_lines_carry_their_dom_view() -> None:
    dump = dom_dump(ARTICLE.read_text(), "The town council voted on Tuesday evening to keep the "
                    "central library open for at least another year, reversing a plan that "
                    "would have closed it in the summer to save money.")
    assert dump.rows.shape == (len(dump.lines), len(DOM_FEATURE_NAMES))
    col = {name: i for i, name in enumerate(DOM_FEATURE_NAMES)}
    home = dump.lines.index("Home")
    assert dump.rows[home, col["dom_nav"]] == 1 and dump.rows[home, col["dom_link_density"]] == 1
    vote = next(i for i, x in enumerate(dump.lines) if x.startswith("The town council"))
    assert dump.rows[vote, col["dom_article"]] == 1 and dump.rows[vote, col["dom_paragraph"]] == 1
    assert dump.rows[vote, col["dom_extract"]] > 0.9
    heading = dump.lines.index("Library stays open after council vote")
    assert dump.rows[heading, col["dom_heading"]] == 1
    assert dump.lines[heading - 1] == ""  # headings and paragraphs are set off by blank lines


def test_the_page_says_what_it_is_in_its_structured_data() -> None:
    from cleaner.htmldom import PAGE_SIGNAL_NAMES

    def signals(head: str, body: str = "<p>Text of the page.</p>") -> dict[str, float]:
        dump = dom_dump(f"<html><head>{head}</head><body>{body}</body></html>", "")
        return dict(zip(PAGE_SIGNAL_NAMES, dump.signals.tolist(), strict=True))

    news = signals('<meta property="og:type" content="article">')
    assert news["declares_article"] == 1 and news["declares_product"] == 0
    shop = signals('<script type="application/ld+json">{"@context": "https://schema.org", '
                   '"@type": ["Product", "Thing"], "offers": {"@type": "Offer"}}</script>')
    assert shop["declares_product"] == 1 and shop["declares_article"] == 0
    forum = signals("", '<div itemscope itemtype="https://schema.org/DiscussionForumPosting">'
                        "<article>One</article><article>Two</article></div>")
    assert forum["declares_collection"] == 1 and forum["declares_article"] == 0
    assert not any(signals("").values())


def test_a_declared_article_keeps_the_extraction_when_the_model_would_add_much() -> None:
    from cleaner.content.gate import article_keeps_extraction, gate_row

    extraction = " ".join(["word"] * 50)
    words, extract = np.array([50, 30]), np.array([1.0, 0.0])

    def row(outside_score: float) -> np.ndarray:
        return gate_row(words, np.array([0.9, outside_score]), extract, extraction, 0.5)

    article, nothing = np.array([1, 0, 0.0]), np.zeros(3)
    forum_thread = np.array([1, 0, 1.0])  # an article that is also a list of posts
    # the model would add 30 words from outside a 50-word extraction: 60% more
    assert article_keeps_extraction(row(0.9), article)
    assert not article_keeps_extraction(row(0.9), nothing)
    assert not article_keeps_extraction(row(0.9), forum_thread)
    assert not article_keeps_extraction(row(0.1), article)


def test_a_page_whose_text_is_all_in_noscript_keeps_trafilaturas_text() -> None:
    # Discourse forums serve their posts to readers without scripts inside <noscript>: the
    # page has no visible line, trafilatura finds the posts, and the result is never empty.
    posts = "".join(
        f"<div class='post'><p>{text}</p></div>" for text in (
            "Has anyone moved a large workspace to the new release without losing history?",
            "We did it last month; export the archive first, then import it in two parts.",
            "Thanks, splitting the archive worked and nothing was lost in the move."))
    html = (f"<!doctype html><html><head><title>Moving a workspace</title></head><body>"
            f"<section id='splash'><style>html {{ overflow: hidden; }}</style></section>"
            f"<noscript><main><h1>Moving a workspace</h1>{posts}</main></noscript>"
            f"</body></html>")
    result = Cleaner().clean_html(html)
    assert "export the archive first" in result.text
    assert "extraction" in result.flags


def test_broken_or_empty_markup_never_crashes() -> None:
    cleaner = Cleaner()
    for html in ("", "<html>", "<<<>>>", "<html><body><p>Hi</p>", "\x00<p>x</p>",
                 "<?xml version='1.0' encoding='utf-8'?><html><body><p>A.</p></body></html>"):
        cleaner.clean_html(html)


class _Gate:
    """A stand-in gate with a fixed verdict, to pin what each verdict does."""

    def __init__(self, verdict: float) -> None:
        self.verdict = verdict

    def predict(self, rows: object, num_threads: int = 1) -> list[float]:
        return [self.verdict]


def test_the_page_gate_switches_between_extraction_and_line_model() -> None:
    from cleaner.content.model import load_html_model

    shipped = load_html_model()
    assert shipped.gate is not None
    model = load_html_model.__wrapped__()  # a private copy: the gate is swapped below
    html = ARTICLE.read_text()
    model.gate = _Gate(1.0)
    trusted = Cleaner(html_model=model).clean_html(html)
    assert trusted.flags == ("extraction",)
    _assert_article(trusted.text)
    model.gate = _Gate(0.0)
    scored = Cleaner(html_model=model).clean_html(html)
    assert "extraction" not in scored.flags
    _assert_article(scored.text)


def test_the_page_gate_reads_the_row_it_was_trained_on_under_every_favor() -> None:
    """The gate is fitted on rows made at the balanced threshold: --favor moves which lines
    stay, not the evidence the gate reads (it once read rows made at 0.6 or 0.4)."""
    from types import SimpleNamespace

    from cleaner import _core
    from cleaner.content.model import ContentModel

    class Spread(ContentModel):
        """Scores from 0.3 to 0.7 down the page: lines on both sides of every threshold."""

        @property
        def scorer(self) -> Any:
            return self

        def score(self, lines: list[str], dropped: list[object], *dom: object,
                  **_: object) -> SimpleNamespace:
            seq = _core.kept_sequence(lines, dropped)
            return SimpleNamespace(sequence=seq, rows=np.zeros((len(seq), 1), np.float32),
                                   scores=np.linspace(0.3, 0.7, len(seq)))

    rows: dict[str, np.ndarray] = {}
    for favor in ("balanced", "precision", "recall"):
        gate = _Recording()
        model = Spread(booster=None)
        model.gate = gate
        Cleaner(html_model=model, favor=favor).clean_html(ARTICLE.read_text())
        assert len(gate.rows) == 1
        rows[favor] = gate.rows[0]
    assert np.array_equal(rows["precision"], rows["balanced"])
    assert np.array_equal(rows["recall"], rows["balanced"])


class _Recording:
    """A gate that says 'the line model' and keeps the rows it was shown."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []

    def predict(self, row: np.ndarray, num_threads: int = 1) -> np.ndarray:
        self.rows.append(row.copy())
        return np.zeros(len(row))


def test_the_shipped_html_model_scores_the_known_page_as_pinned() -> None:
    from training.pin import HTML_PIN, current_html

    pinned = json.loads(HTML_PIN.read_text(encoding="utf-8"))
    now = current_html()
    assert now["model"] == pinned["model"], "the model changed: `make train` rewrites the pin"
    assert now["scores"] == pinned["scores"]  # to the last bit: scores are deterministic


# -- deep or huge pages keep their text ------------------------------------------------------
_POSTS = "".join(f"<p>Post number {i} of the thread says something long enough to count "
                 "as a real sentence of the discussion.</p>" for i in range(30))


def _deep(depth: int) -> str:
    return ("<html><head><title>Thread</title></head><body><article><h1>Thread</h1>"
            "<p>The opening post of the thread is long enough to be a sentence.</p>"
            + "<div>" * depth + _POSTS + "</article></body></html>")


def _huge_attribute() -> str:
    image = "data:image/png;base64," + "A" * 11_000_000
    return ("<html><body><article><p>Before the image the article starts with a sentence."
            f"</p><img src='{image}'>" + _POSTS + "</article></body></html>")


@pytest.mark.parametrize("page", ["depth-300", "depth-3000", "depth-20000", "attribute"])
@pytest.mark.parametrize("content", [True, False])
def test_deep_or_huge_html_keeps_every_post(page: str, content: bool) -> None:
    html = _huge_attribute() if page == "attribute" else _deep(int(page.split("-")[1]))
    result = Cleaner(content=content).clean_html(html)
    for i in (0, 15, 29):
        assert f"Post number {i} of the thread" in result.text
    assert ("html-flattened" in result.flags) == (page in ("depth-3000", "depth-20000"))


def test_trafilatura_gets_a_tree_without_the_parser_limits() -> None:
    from cleaner.html import extract

    assert "Post number 29" in extract(_deep(300)).text
    assert "Post number 29" in extract(_huge_attribute()).text


def test_text_lost_past_every_limit_is_flagged_never_silent() -> None:
    from cleaner.html import prepare

    # Nesting made of elements the flattening keeps (tables) still loses text: say so.
    html = ("<html><body><p>Start of the page.</p>" + "<table><tr><td>" * 3000 + _POSTS
            + "</body></html>")
    assert prepare(html).flags == ("html-truncated",)
    assert prepare(_deep(10)).flags == ()
