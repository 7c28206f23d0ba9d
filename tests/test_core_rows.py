"""The compiled page kernel gives what the numpy code it replaced gives (tests/reference_rows.py),
bit for bit: the kept sequence, every column of every row, the second stage's rows, the scores
and the lines kept, on every pass the chain runs over dev pages (text and HTML mode) and on
generated pages; and its sums, means and windows are numpy's."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, _core, language
from cleaner.content.features import CHROME_WORDS, word_table
from cleaner.content.lexicon import Lexicon
from cleaner.content.model import load_model
from cleaner.content.rows import RowBuilder
from cleaner.content.selection import expected_f_keep
from cleaner.content.sequence import kept_sequence
from cleaner.content.stacking import stack_features
from cleaner.document import Document
from cleaner.options import FAVORS
from cleaner.page import DocumentState, Page
from cleaner.stages.content import ContentStage, HtmlContentStage
from tests import reference_rows as ref
from tests.conftest import DEV, need
from tests.test_core_lines import lines_strategy


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 600), st.integers(1, 5), st.sampled_from([1.0, 1e3, 1e-3, 1e7]),
       st.integers(0, 2**32 - 1))
def test_sums_are_numpys_pairwise_sums(n: int, stride: int, scale: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    wide = (rng.standard_normal((n, stride)) * scale)
    for dtype, kernel in ((np.float32, _core.sum_float32), (np.float64, _core.sum_float64)):
        column = wide.astype(dtype)[:, 0]
        assert kernel(np.ascontiguousarray(column)) == column.sum()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-50, 50, width=32), max_size=300), st.integers(1, 12))
def test_window_means_are_the_numpy_windows(values: list[float], radius: int) -> None:
    array = np.array(values, dtype=np.float32)
    assert same(_core.window_means(array, radius), ref.window_mean(array, radius))


WORDS = st.one_of(st.sampled_from(sorted(CHROME_WORDS)[:40]),
                  st.sampled_from(sorted(language.stoplist_index())[:200]), lines_strategy)


@settings(max_examples=300, deadline=None)
@given(WORDS)
def test_the_word_table_answers_as_the_stoplists_and_chrome_words(word: str) -> None:
    table = word_table()
    assert table.stoplists(word) == tuple(sorted(language.stoplist_index().get(word, ())))
    assert table.is_chrome(word) == (word in CHROME_WORDS)


def test_the_word_table_holds_every_stopword_of_every_language() -> None:
    """Built from the stoplists' texts, it answers for each word as the sets say."""
    table = word_table()
    index = language.stoplist_index()
    assert table.size == len(index.keys() | CHROME_WORDS)
    for word, langs in index.items():
        assert table.stoplists(word) == tuple(sorted(langs))


BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85",
                          "\u2028", "\u2029", "\n\n", "\t", " "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(st.sampled_from("ab\u00e9\u0130\U0001f600 "), max_size=4),
                          BREAKS), max_size=8))
def test_a_stoplist_text_is_split_as_splitlines_splits_it(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + brk for word, brk in parts)
    from_text = _core.WordTable((text,), frozenset())
    from_set = _core.WordTable((frozenset(text.splitlines()),), frozenset())
    assert from_text.size == from_set.size
    for word in {*text.splitlines(), *text.split(), text, ""}:
        assert from_text.stoplists(word) == from_set.stoplists(word)


LEXICON = Lexicon({"share": -2.5, "the": 0.75, "0": -0.125, "reply": -1.0, "straße": 0.5,
                   "share this": -3.0, "read more": -2.0, "0 comments": -1.5},
                  {"share": -3.0, "reply": -2.0, "0 comments": -2.5, "home": -1.25}, True)
page_lines = st.lists(st.one_of(lines_strategy, st.just(""), st.just("   ")), max_size=40)


def _reference_rows(page: Page, lexicon: Lexicon) -> tuple[ref.LineSequence, np.ndarray]:
    seq = ref.kept_sequence(page)
    rows = ref.page_features(seq.lines, seq.blank_before, seq.blank_after, seq.block_words,
                             seq.block_of)
    return seq, np.hstack([rows, ref.lexicon_columns(lexicon, seq.lines)])


def _check_sequence(got: _core.Sequence, want: ref.LineSequence) -> None:
    assert got.indices == want.indices and got.lines == want.lines
    assert got.blank_before == want.blank_before and got.blank_after == want.blank_after
    assert got.block_of == want.block_of and got.block_words == want.block_words


@settings(max_examples=200, deadline=None)
@given(page_lines, st.lists(st.booleans(), max_size=40))
def test_rows_of_generated_pages_are_the_numpy_rows(lines: list[str], drops: list[bool]
                                                    ) -> None:
    """Any lines (scripts, digits, spaces of every kind, blank lines), some already dropped."""
    page = Page.whole(DocumentState(Document("\n".join(lines))))
    for i, drop in enumerate(drops[: len(page)]):
        if drop:
            page.dropped[i] = page.dropped[i] or _DROPPED
    want_seq, want = _reference_rows(page, LEXICON)
    seq = kept_sequence(page)
    _check_sequence(seq, want_seq)
    assert same(RowBuilder("text").rows(seq, LEXICON), want)
    if len(want):
        scores = np.random.default_rng(len(want)).random(len(want))
        scores[::3] = scores[0]  # ties
        assert same(stack_features(scores, want, seq.block_of),
                    ref.stack_features(scores, want, seq.block_of))
        words = seq.words
        for favor in FAVORS.values():
            assert same(expected_f_keep(scores, words, favor.beta),
                        ref.expected_f_keep(scores, words, favor.beta))


_DROPPED: Any = object()


def _dev_records(name: str, step: int) -> Iterator[dict[str, Any]]:
    with gzip.open(DEV / f"{name}.jsonl.gz", "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n % step == 0:
                yield json.loads(line)


def test_every_pass_over_dev_pages_scores_as_the_numpy_code(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Each pass the full chain runs (the later passes see what the rules and the earlier
    passes left): the sequence, the rows, both stages' scores and the lines kept."""
    need(DEV / "wcxb_dev.jsonl.gz")
    model = load_model()
    assert model.lexicon is not None and model.stage2 is not None
    checked = []
    scored = ContentStage.scored

    def compare(stage: ContentStage, page: Page) -> Any:
        found = scored(stage, page)
        want_seq, want = _reference_rows(page, model.lexicon)  # type: ignore[arg-type]
        if found is None:
            assert not want_seq.lines
            return found
        _check_sequence(found.sequence, want_seq)
        assert same(found.rows, want), page.state.document.id
        first = model.booster.predict(want)  # type: ignore[union-attr]
        stacked = ref.stack_features(first, want, want_seq.block_of)
        scores = model.stage2.predict(stacked)  # type: ignore[union-attr]
        assert same(found.scores, scores), page.state.document.id
        words = found.sequence.words
        assert same(stage.keep_mask(found.scores, words),
                    ref.expected_f_keep(scores, words, FAVORS[stage.favor].beta))
        checked.append(page.state.document.id)
        return found

    monkeypatch.setattr(ContentStage, "scored", compare)
    cleaner = Cleaner()
    for name in ("scrapinghub", "wcxb_dev"):
        for record in _dev_records(name, 25):
            cleaner.clean(Document(record["dump"], id=f"{name}/{record['id']}"), "text")
    assert len(checked) > 100 and len(set(checked)) < len(checked)  # later passes too


def test_html_pages_rows_are_the_numpy_rows_with_the_dom_columns() -> None:
    need(DEV / "wcxb_dev.jsonl.gz")
    from cleaner.content.model import load_html_model
    from cleaner.html import extract
    from cleaner.htmldom import HtmlEvidence, dom_dump

    model = load_html_model()
    assert model.lexicon is not None
    stage = HtmlContentStage(model)
    pages = 0
    for record in _dev_records("wcxb_dev", 60):
        extraction = extract(record["html"]).text
        dump = dom_dump(record["html"], extraction)
        evidence = HtmlEvidence(dump.rows, dump.signals, extraction)
        page = Page.whole(DocumentState(Document(dump.text), evidence))
        found = stage.scored(page)
        want_seq = ref.kept_sequence(page)
        if found is None:
            assert not want_seq.lines
            continue
        line = ref.page_features(want_seq.lines, want_seq.blank_before, want_seq.blank_after,
                                 want_seq.block_words, want_seq.block_of)
        dom = evidence.rows[[page.origin[i] for i in want_seq.indices]]
        want = np.hstack([line, dom, ref.lexicon_columns(model.lexicon, want_seq.lines)])
        assert same(found.rows, want), record["id"]
        pages += 1
    assert pages > 10


@settings(max_examples=150, deadline=None)
@given(page_lines, st.lists(st.booleans(), max_size=40), st.data())
def test_a_later_pass_reading_from_the_memo_builds_the_same_rows(
        lines: list[str], drops: list[bool], data: st.DataObject) -> None:
    """The fixed point's later pass takes each line read before from the document's memo;
    its rows and scores equal a fresh reading's, lines whose text changed since (a strip, a
    repair) included."""
    model = load_model()
    page = Page.whole(DocumentState(Document("\n".join(lines))))
    memo = _core.LineMemo(len(page.lines))
    model.scorer.score(page.lines, page.dropped, origin=page.origin, memo=memo)
    later = page.lines[:]
    for i, drop in enumerate(drops[: len(later)]):
        if drop:
            later[i] = ""
    if later and data.draw(st.booleans()):
        k = data.draw(st.integers(0, len(later) - 1))
        later[k] = later[k][: len(later[k]) // 2] + " changed"
    dropped = [None] * len(later)
    fresh = model.scorer.score(later, dropped, origin=page.origin)
    again = model.scorer.score(later, dropped, origin=page.origin, memo=memo)
    assert (fresh is None) == (again is None)
    if fresh is not None and again is not None:
        assert same(fresh.rows, again.rows) and same(fresh.scores, again.scores)
