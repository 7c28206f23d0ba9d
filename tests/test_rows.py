"""The feature rows: training and serving build the very same rows (one builder)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cleaner import Cleaner
from cleaner.content.features import FEATURE_NAMES
from cleaner.content.model import HTML_FEATURE_NAMES, TEXT_FEATURE_NAMES
from cleaner.content.rows import LAYOUTS, RowBuilder
from cleaner.stages.content import ContentStage, HtmlContentStage
from training.html import fit_html, html_page_data
from training.text import clean_version, fit_text_model, page_data, rules_only

_SITES = ("alpha.example", "beta.example", "gamma.example", "delta.example", "eps.example",
          "zeta.example")
_TOPICS = ("the harbour", "the library", "the orchard", "the railway", "the bakery",
           "the school", "the bridge", "the market", "the museum", "the clinic", "the pool",
           "the theatre")


def _article(n: int) -> list[str]:
    topic = _TOPICS[n % len(_TOPICS)]
    return [
        f"The council met on Tuesday to decide the future of {topic}, which has served the "
        f"town for {40 + n} years and needs a new roof before winter.",
        f"Residents wrote {120 + 7 * n} letters in favour of keeping {topic} open, and the "
        "mayor said the budget could carry the repairs if the county helped.",
        f"A final vote on {topic} is expected next month, after engineers report on the "
        "state of the walls and the cost of the work.",
    ]


def _records() -> list[dict[str, str]]:
    out = []
    for n in range(12):
        site = _SITES[n % len(_SITES)]
        article = _article(n)
        menu = ["Home", "News", "Sport", "Weather", "Contact us"]
        dump = "\n".join([*menu, "", article[0], "", "Advertisement", "", *article[1:], "",
                          "Share this story", "Follow us on Twitter", "© 2024 The Courier"])
        body = "".join(f"<p>{p}</p>" for p in article)
        html = ("<html><head><title>Courier</title></head><body><nav><ul>"
                + "".join(f'<li><a href="/{m}">{m}</a></li>' for m in menu)
                + f"</ul></nav><article><h1>{_TOPICS[n % len(_TOPICS)].title()}</h1>{body}"
                "</article><footer><p>Share this story</p><p>© 2024 The Courier</p>"
                "</footer></body></html>")
        out.append({"id": str(n), "url": f"https://www.{site}/story/{n}", "dump": dump,
                    "html": html, "gold": "\n".join(article)})
    return out


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """The rows the content stages score, in order (the compiled kernel builds them)."""
    seen: list[np.ndarray] = []
    for stage in (ContentStage, HtmlContentStage):
        scored = stage.scored

        def spy(self: Any, page: Any, scored: Any = scored) -> Any:
            found = scored(self, page)
            if found is not None:
                seen.append(found.rows.copy())
            return found

        monkeypatch.setattr(stage, "scored", spy)
    return seen


def test_serving_builds_the_rows_training_saw_in_text_mode(recording: list[np.ndarray]
                                                           ) -> None:
    records = _records()
    cleaner = rules_only()
    pages = []
    for record in records:
        data = page_data(record, "made-up", cleaner)
        assert data is not None
        data.id = record["id"]
        pages.append(data)
        clean = clean_version(data, record["dump"], cleaner)
        if clean is not None:
            pages.append(clean)
    model = fit_text_model(pages, rounds=3)
    assert model.lexicon is not None and model.lexicon.words  # six sites: words are kept
    seen = recording
    serving = Cleaner(content_model=model)
    builder = RowBuilder("text")
    for record, data in zip(records, [p for p in pages if not p.id.endswith("#clean")],
                            strict=True):
        seen.clear()
        serving.clean_text(record["dump"])
        trained = builder.with_lexicon(data.features, data.lines, model.lexicon)
        assert trained.shape[1] == len(TEXT_FEATURE_NAMES)
        assert np.array_equal(seen[0], trained), record["id"]


def test_serving_builds_the_rows_training_saw_in_html_mode(recording: list[np.ndarray]
                                                           ) -> None:
    records = _records()
    pages = [html_page_data(r, "made-up", rules_only()) for r in records]
    assert all(p is not None for p in pages)
    model = fit_html([p.data for p in pages if p is not None], rounds=3)
    seen = recording
    serving = Cleaner(html_model=model)
    builder = RowBuilder("html")
    for record, page in zip(records, pages, strict=True):
        assert page is not None
        seen.clear()
        result = serving.clean_html(record["html"])
        assert "no-extraction" not in result.flags
        trained = builder.with_lexicon(page.data.features, page.lines, model.lexicon)
        assert trained.shape[1] == len(HTML_FEATURE_NAMES)
        assert np.array_equal(seen[0], trained), record["id"]


def test_a_layout_names_its_columns_group_by_group() -> None:
    assert LAYOUTS["text"].names[: len(FEATURE_NAMES)] == FEATURE_NAMES
    assert LAYOUTS["html"].names[: len(FEATURE_NAMES)] == FEATURE_NAMES
    assert LAYOUTS["html"].names[-9:] == LAYOUTS["text"].names[-9:]
    assert len(set(LAYOUTS["html"].names)) == len(LAYOUTS["html"].names)


def test_an_html_layout_refuses_rows_without_the_dom() -> None:
    from cleaner.content.sequence import kept_sequence
    from cleaner.document import Document
    from cleaner.page import DocumentState, Page

    seq = kept_sequence(Page.whole(DocumentState(Document("One line\nTwo lines\n"))))
    with pytest.raises(ValueError, match="DOM row per line"):
        RowBuilder("html").partial_rows(seq)
