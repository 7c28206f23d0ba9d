"""The compiled DOM walk (`_core.DomWalk`, libxml2's nodes) gives the lines the Python walk
over lxml's elements gave (tests/reference_dom.py): every line's text, blank line, link
characters, context bits, heading, paragraph, depth, Markdown block and cells, the tag census
and each <pre>'s text, on dev pages and on generated markup; and the compiled extraction
shares are the Python's, bit for bit."""

from __future__ import annotations

import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.html import extract
from cleaner.htmldom import _name_bits, _walk, extract_shares, parse
from tests import reference_dom
from tests.conftest import DEV, need


def compiled(root: object) -> tuple[list[tuple[object, ...]], dict[str, int], dict[int, str]]:
    census: dict[str, int] = {}
    code: dict[int, str] = {}
    return _walk().lines(root, census, code), census, code


@pytest.mark.parametrize("name", ["scrapinghub", "wcxb_dev"])
def test_dev_pages_walk_as_lxmls_iterwalk(name: str) -> None:
    need(DEV / f"{name}.jsonl.gz")
    pages = 0
    with gzip.open(DEV / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % 7:
                continue
            record = json.loads(line)
            root = parse(record["html"])
            if root is None:
                continue
            assert compiled(root) == reference_dom.lines(root), record["id"]
            pages += 1
    assert pages > 20


TAGS = ["p", "div", "span", "a", "b", "br", "pre", "code", "table", "tr", "td", "th", "ul",
        "ol", "li", "dl", "dt", "dd", "h1", "h2", "h4", "h7", "nav", "header", "footer",
        "aside", "form", "article", "main", "figure", "figcaption", "blockquote", "script",
        "style", "noscript", "button", "section", "center", "fb:like", "Custom-Tag"]
ATTRIBUTES = ["", ' class="menu"', ' class="post-content"', ' id="comments"',
              ' class="comment-list x"', ' role="navigation"', " hidden", ' aria-hidden="true"',
              ' aria-hidden="false"', ' style="display: none"', ' style="color:red"',
              ' style="VISIBILITY:Hidden"', ' class=""', ' class="  "', ' id="Ärger-nav"',
              ' class="SIDEBAR"', ' class="tags"', ' class="\u212Aomment"']
TEXTS = st.text(st.sampled_from(list("ab \t\n\u00a0\u2003.,é€\u212A<&")), max_size=8)


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    parts = [draw(TEXTS).replace("<", "&lt;").replace("&", "&amp;")]
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        choice = draw(st.integers(0, 9))
        if choice == 0:
            parts.append(f"<!--{draw(TEXTS).replace('-', '')}-->")
        elif choice == 1:
            parts.append(f"<![CDATA[{draw(TEXTS)}]]>")
        elif choice == 2:
            parts.append("&amp; &nbsp; &#8203;")
        else:
            tag = draw(st.sampled_from(TAGS))
            attribute = draw(st.sampled_from(ATTRIBUTES))
            inner = draw(markup(depth + 1))
            closed = draw(st.booleans()) or tag in ("p", "li", "td")
            parts.append(f"<{tag}{attribute}>{inner}" + (f"</{tag}>" if closed else ""))
        parts.append(draw(TEXTS).replace("<", "&lt;").replace("&", "&amp;"))
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(markup())
def test_generated_markup_walks_as_lxmls_iterwalk(body: str) -> None:
    root = parse(f"<html><head><title>t</title></head><body>{body}</body></html>")
    assert root is not None
    assert compiled(root) == reference_dom.lines(root)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("navMENUCommentsrespondtag-_ \t\u212a\u0130\u017fıİé")),
               max_size=24))
def test_names_lowered_once_say_what_the_case_blind_patterns_say(names: str) -> None:
    assert _name_bits(names) == reference_dom.name_bits(names)


def test_the_walk_wants_an_lxml_element() -> None:
    with pytest.raises(TypeError, match="lxml element"):
        _walk().lines("<p>not parsed</p>", {}, {})


def test_dev_pages_extraction_shares_are_the_pythons() -> None:
    need(DEV / "wcxb_dev.jsonl.gz")
    pages = 0
    with gzip.open(DEV / "wcxb_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % 25:
                continue
            record = json.loads(line)
            lines = [x for x in record["dump"].splitlines() if x.strip()]
            extraction = extract(record["html"]).text
            assert extract_shares(lines, extraction).tobytes() == \
                reference_dom.extract_shares(lines, extraction).tobytes(), record["id"]
            pages += 1
    assert pages > 20


WORDS = st.sampled_from(["the", "The", "THE", "vote", "Straße", "STRASSE", "ǅ", "x_1", "42",
                         "٣", "İstanbul", "ﬁne", "fine", "a", "b"])
GAPS = st.sampled_from([" ", "  ", ", ", "\n", "\r\n", "\u2028", "-", "\t", "\x85", "."])


@st.composite
def wordy(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.tuples(WORDS, GAPS), max_size=14))
    return "".join(word + gap for word, gap in items)


@settings(max_examples=400, deadline=None)
@given(st.lists(wordy(), max_size=12), wordy())
def test_generated_extraction_shares_are_the_pythons(lines: list[str], extraction: str
                                                      ) -> None:
    lines = [line.replace("\n", " ").replace("\r", " ") for line in lines]
    assert extract_shares(lines, extraction).tobytes() == \
        reference_dom.extract_shares(lines, extraction).tobytes()


def test_pages_walked_on_threads_side_by_side_give_their_own_lines() -> None:
    need(DEV / "wcxb_dev.jsonl.gz")
    from concurrent.futures import ThreadPoolExecutor

    roots = []
    with gzip.open(DEV / "wcxb_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % 50 == 0:
                roots.append(parse(json.loads(line)["html"]))
    serial = [compiled(root) for root in roots]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(compiled, roots)) == serial
