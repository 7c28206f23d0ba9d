"""The model's scores on a known page, pinned: a changed model must be a deliberate change.

`make train` rewrites the pin beside the model it writes; the test suite recomputes the scores
and fails when the shipped model scores the known page differently from its pin.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cleaner.content.model import load_html_model, load_model
from cleaner.document import Document
from cleaner.html import extract
from cleaner.htmldom import HtmlEvidence, dom_dump
from cleaner.page import DocumentState, Page
from cleaner.stages.content import ContentStage, HtmlContentStage

REPO = Path(__file__).resolve().parents[1]
KNOWN_PAGE = REPO / "examples" / "page.txt"
KNOWN_HTML = REPO / "tests" / "cases" / "html" / "article.html"
PIN = REPO / "tests" / "cases" / "model_scores.json"
HTML_PIN = REPO / "tests" / "cases" / "html_model_scores.json"


def current() -> dict[str, Any]:
    model = load_model()
    page = Page.whole(DocumentState(Document(KNOWN_PAGE.read_text(encoding="utf-8"))))
    _indices, scores, _blocks = ContentStage(model).scores(page)
    return {"model": model.digest, "page": KNOWN_PAGE.name,
            "scores": [float(s) for s in scores]}


def current_html() -> dict[str, Any]:
    """The HTML model's line scores on the known HTML page (gate aside)."""
    model = load_html_model()
    html = KNOWN_HTML.read_text(encoding="utf-8")
    extraction = extract(html).text
    dump = dom_dump(html, extraction)
    evidence = HtmlEvidence(dump.rows, dump.signals, extraction)
    page = Page.whole(DocumentState(Document(dump.text), evidence))
    _indices, scores, _blocks = HtmlContentStage(model).scores(page)
    return {"model": model.digest, "page": KNOWN_HTML.name,
            "scores": [float(s) for s in scores]}


def write() -> None:
    PIN.write_text(json.dumps(current(), indent=1) + "\n", encoding="utf-8")
    HTML_PIN.write_text(json.dumps(current_html(), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
    print(f"wrote {PIN} and {HTML_PIN}")
