"""The learned content stage: features, the shipped model, the stage's guarantees."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from cleaner import Cleaner, _core, language
from cleaner.content.features import FEATURE_NAMES
from cleaner.content.lexicon import Lexicon
from cleaner.content.model import MODEL_PATH, TEXT_FEATURE_NAMES, ContentModel, load_model
from cleaner.content.rows import RowBuilder
from cleaner.content.sequence import kept_sequence
from cleaner.document import Document
from cleaner.errors import CleanerError
from cleaner.options import FAVORS
from cleaner.page import DocumentState, Page
from tests.conftest import DEV, REPO, need
from training.text import label_lines

MENU = ["Home", "News", "Sport", "Weather"]
ARTICLE = [
    "The river rose slowly through the night, and by morning the lower fields were under water.",
    "Farmers in the valley had moved their animals to higher ground two days earlier.",
    "Most of the older residents remembered the flood of 1987, when the water reached the church.",
]


def _features(lines: list[str]) -> dict[str, np.ndarray]:
    page = Page.whole(DocumentState(Document("\n".join(lines))))
    x = RowBuilder("text").partial_rows(kept_sequence(page))
    return {name: x[:, i] for i, name in enumerate(FEATURE_NAMES)}


def test_features_tell_menu_lines_from_prose() -> None:
    f = _features(MENU + ARTICLE)
    assert f["terminal"].tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert f["long"].tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert f["in_dense_run"].tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert (f["stop_ratio"][4:] > 0.3).all()
    assert f["title_ratio"][0] == 1.0
    assert f["pos_words"][0] == 0.0 and 0 < f["pos_words"][-1] < 1
    assert f["log_words@-1"][0] == -1.0  # no line before the first
    assert f["chrome_ratio"][0] == 1.0 and f["chrome_ratio"][4] == 0.0


def test_repeated_lines_are_counted() -> None:
    f = _features(["Subscribe", *ARTICLE, "Subscribe"])
    assert f["log_repeat"][0] == f["log_repeat"][-1] == pytest.approx(np.log(2))
    assert f["log_repeat"][1] == 0


def test_prices_and_the_page_type_evidence_are_seen() -> None:
    shop = ["Red shoe", "$ 20", "Blue shoe", "30 €", "Green shoe?", "$40"]
    f = _features(MENU + ARTICLE + shop)
    assert f["price"][-6:].tolist() == [0, 1, 0, 1, 0, 1]
    assert f["price"][:7].tolist() == [0] * 7
    # every line carries the page's numbers: 3 of 13 lines are prices, 10 are short
    assert f["page_price_share"].tolist() == pytest.approx([3 / 13] * 13)
    assert f["page_short_share"][0] == pytest.approx(10 / 13)
    assert f["page_question_share"][0] == pytest.approx(1 / 13)
    assert f["page_block_count"][0] == pytest.approx(np.log1p(1))


def test_language_detection_picks_the_stoplist() -> None:
    german = "Der Fluss stieg in der Nacht langsam an und am Morgen waren die Felder".lower()
    assert language.code(language.detect(german.split())) == "de"
    assert language.code(language.detect(ARTICLE[0].lower().split())) == "en"


def test_shipped_model_loads_once_and_scores_the_same_every_time() -> None:
    model = load_model()
    assert load_model() is model
    lines = MENU + ARTICLE
    page = Page.whole(DocumentState(Document("\n".join(lines))))
    seq = kept_sequence(page)
    assert model.lexicon is not None
    x = RowBuilder("text").rows(seq, model.lexicon)
    first = model.predict(x)
    assert np.array_equal(first, model.predict(x.copy()))
    assert first[4:].min() > first[:4].max()


def test_a_stale_model_file_fails_loudly(tmp_path: Path) -> None:
    bad = tmp_path / "m.json.gz"
    bad.write_bytes(gzip.compress(json.dumps({"features": ["x"], "model": ""}).encode()))
    with pytest.raises(CleanerError, match="trained on other features"):
        ContentModel.from_bytes(bad.read_bytes(), str(bad))


@pytest.mark.parametrize("damage", [
    lambda payload: b"not gzip at all",
    lambda payload: gzip.compress(b"[1, 2]"),
    lambda payload: gzip.compress(json.dumps({**payload, "model": None}).encode()),
    lambda payload: gzip.compress(json.dumps(
        {**payload, "lexicon": {"words": {"the": "high"}, "lines": {}}}).encode()),
    lambda payload: gzip.compress(json.dumps(
        {**payload, "lexicon": {"words": {"keys": "the\nmenu", "odds": "1.0"},
                                "lines": {"keys": "", "odds": ""}}}).encode()),
    lambda payload: gzip.compress(json.dumps(
        {**payload, "lexicon": {"words": {"keys": "the", "odds": "high"},
                                "lines": {"keys": "", "odds": ""}}}).encode()),
], ids=["not-gzip", "not-an-object", "no-trees", "odds-not-numbers", "packed-counts-differ",
        "packed-odds-not-numbers"])
def test_a_damaged_model_file_is_a_one_line_error(damage: Any) -> None:
    shipped = json.loads(gzip.decompress(MODEL_PATH.read_bytes()))
    with pytest.raises(CleanerError, match=r"m\.json\.gz: not a content model file"):
        ContentModel.from_bytes(damage(shipped), "m.json.gz", TEXT_FEATURE_NAMES)


def test_a_lexicon_with_whole_number_odds_reads_them_as_floats() -> None:
    lexicon = Lexicon.from_json({"words": {"the": 1, "menu": -2.5}, "lines": {}})
    assert lexicon.words == {"the": 1.0, "menu": -2.5}
    assert all(type(v) is float for v in lexicon.words.values())


def test_a_lexicon_written_packed_reads_back_the_same_odds_in_the_same_order() -> None:
    lexicon = Lexicon({"the": 1.25, "menu": -0.1 + -0.2, "read more": 3e-5}, {"home": -2.0},
                      pairs=True)
    back = Lexicon.from_json(json.loads(json.dumps(lexicon.to_json())))
    for key in ("the", "menu", "read more"):  # the compiled table, read from the packed form
        assert back.tables[0].get(*key.split(" ")) == lexicon.words[key]
    assert back.tables[1].get("home") == -2.0
    assert list(back.words.items()) == list(lexicon.words.items())
    assert back.lines == lexicon.lines and back.pairs
    empty = Lexicon.from_json(Lexicon({}, {}).to_json())
    assert empty.words == {} and empty.lines == {}


def test_the_shipped_lexicon_read_packed_holds_what_its_dicts_hold() -> None:
    lexicon = load_model().lexicon
    assert lexicon is not None
    packed_words, packed_lines = lexicon.tables
    for packed, odds in ((packed_words, lexicon.words), (packed_lines, lexicon.lines)):
        dict_built = _core.LexiconTable(odds)
        assert packed.size == dict_built.size == len(odds)
        for key, value in odds.items():
            assert packed.get(key) == dict_built.get(key) == value


def test_a_packed_lexicon_whose_keys_and_odds_differ_in_number_is_refused() -> None:
    with pytest.raises(ValueError, match="differ in number"):
        Lexicon.from_json({"words": {"keys": "the\nmenu", "odds": "1.0"}, "lines": {}})


class _Nothing:
    """A model that finds no content anywhere."""

    def __init__(self) -> None:
        self.lexicon = None
        self.scorer = self

    def score(self, lines: list[str], dropped: list[object], **_: object
              ) -> SimpleNamespace | None:
        seq = _core.kept_sequence(lines, dropped)
        if not seq.lines:
            return None
        return SimpleNamespace(sequence=seq, rows=np.zeros((len(seq), 1), dtype=np.float32),
                               scores=np.linspace(0.1, 0.2, len(seq)))


def test_a_page_the_model_would_empty_keeps_its_best_block() -> None:
    cleaner = Cleaner(content_model=_Nothing())  # type: ignore[arg-type]
    text = "\n".join(MENU) + "\n\n" + "\n".join(ARTICLE) + "\n\nContact\n"
    assert cleaner.clean_text(text) == "\n".join(ARTICLE) + "\n"


def test_favor_moves_the_decision_toward_dropping_or_keeping() -> None:
    page = (REPO / "examples" / "page.txt").read_text(encoding="utf-8")
    kept = {favor: len(Cleaner(rules_stage=False, favor=favor).clean_text(page).split())
            for favor in ("precision", "balanced", "recall")}
    assert kept["precision"] <= kept["balanced"] <= kept["recall"]
    assert kept["precision"] < kept["recall"]
    assert FAVORS["precision"].threshold > FAVORS["balanced"].threshold \
        > FAVORS["recall"].threshold
    assert FAVORS["precision"].beta < FAVORS["balanced"].beta < FAVORS["recall"].beta


def test_labels_cover_words_whose_runs_the_gold_holds_across_line_ends() -> None:
    gold = "Size: XS, S, M\n\nThe dress is cut from hemp and dyed without azo dyes."
    lines = ["Menu", "Size:", "XS, S, M", "The dress is cut from hemp and dyed without azo dyes.",
             "Add to cart", "The shop is cut from a different cloth altogether."]
    assert label_lines(lines, gold).tolist() == [0, 1, 1, 1, 0, 0]


def test_the_model_alone_finds_the_article_and_scores_what_it_removes() -> None:
    page = (REPO / "examples" / "page.txt").read_text(encoding="utf-8")
    result = Cleaner(rules_stage=False).clean(page)
    removed = {r.text: r.reason.score for r in result.removals if r.reason.stage == "content"}
    for chrome in ("Skip to content", "Share this article", "Accept all", "Leave a Reply"):
        assert removed[chrome] is not None and removed[chrome] < 0.5
    assert "Why did it take so long?" in result.text
    # Without the rules, the paragraph after the "Read more:" teasers is a close call (the
    # model scores it near 0.5); every paragraph before them stays.
    assert "Local historians believe the first trees were planted" in result.text
    assert "The council has agreed to pay for a part-time gardener" in result.text


def _dev_dumps(n: int) -> list[str]:
    out: list[str] = []
    for name, step in (("scrapinghub", 9), ("wcxb_dev", 37)):
        with gzip.open(need(DEV / f"{name}.jsonl.gz"), "rt", encoding="utf-8") as handle:
            for k, line in enumerate(handle):
                if k % step == 0:
                    out.append(json.loads(line)["dump"])
                if len(out) % n == 0 and len(out):
                    break
    return out


def test_cleaning_dev_pages_twice_changes_nothing() -> None:
    cleaner = Cleaner()
    unstable = 0
    for dump in _dev_dumps(20):
        once = cleaner.clean_text(dump)
        if cleaner.clean_text(once) != once:
            unstable += 1
    assert unstable == 0


def test_model_file_is_small() -> None:
    size = (REPO / "cleaner" / "content" / "content_model.json.gz").stat().st_size
    assert size < 5_000_000


def test_the_shipped_model_scores_the_known_page_as_pinned() -> None:
    from training.pin import PIN, current

    pinned = json.loads(PIN.read_text(encoding="utf-8"))
    now = current()
    assert now["model"] == pinned["model"], "the model changed: `make train` rewrites the pin"
    assert now["scores"] == pinned["scores"]  # to the last bit: scores are deterministic


def test_the_model_loads_at_first_use_not_when_the_chain_is_built(tmp_path: Path) -> None:
    cleaner = Cleaner(content_model=tmp_path / "missing.json.gz")
    with pytest.raises(CleanerError, match="cannot read the content model"):
        cleaner.clean_text("Some text to clean.")
