"""The shipped model files' numbers read ahead (content/model_numbers.bin.gz): the arrays their
text gives, used only for a text whose hash they were written for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from isal import igzip

from cleaner import _core
from cleaner.content import readahead
from cleaner.content.forest import Forest
from cleaner.content.lexicon import Lexicon, read_odds
from cleaner.content.model import MODEL_PATH, load_model
from cleaner.content.readahead import group, model_texts, shipped_model_files

MAKE = "a model file changed: run `make model-numbers`"


def _shipped_texts() -> Iterator[tuple[str, str, str]]:
    for path in shipped_model_files():
        payload = json.loads(igzip.decompress(path.read_bytes()))
        for kind, text in model_texts(payload):
            yield path.name, kind, text


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_the_read_ahead_holds_every_shipped_model_number_as_its_text_reads_it() -> None:
    texts = list(_shipped_texts())
    kinds = {kind for _, kind, _ in texts}
    assert kinds == {"forest", "odds"}, "each kind of number is found in the model files"
    for name, kind, text in texts:
        arrays = group(text)
        assert arrays is not None, f"{name}: {MAKE}"
        expected = (Forest.read_arrays(text) if kind == "forest"
                    else {"odds": read_odds(text)})
        assert set(arrays) == set(expected), f"{name}: {MAKE}"
        for key, values in expected.items():
            assert _same(arrays[key], values), f"{name} {key}: {MAKE}"
            assert arrays[key].flags.writeable


def _forest_text() -> str:
    payload = json.loads(igzip.decompress(MODEL_PATH.read_bytes()))
    text: str = payload["stage2"]
    return text


def test_a_model_text_the_read_ahead_does_not_hold_is_read_from_its_text() -> None:
    text = _forest_text()
    first = text.index("leaf_value=") + len("leaf_value=")
    value = text[first:text.index(" ", first)]
    edited = text[:first] + "0.125" + text[first + len(value):]
    assert group(edited) is None
    forest = Forest.from_text(edited)
    assert forest.leaf[0] == 0.125
    assert _same(forest.threshold, Forest.from_text(text).threshold)


def test_the_shipped_model_loads_without_reading_its_trees_as_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, name: str = "model") -> dict[str, np.ndarray]:
        raise AssertionError("read as text")

    monkeypatch.setattr(Forest, "read_arrays", staticmethod(refuse))
    load_model.cache_clear()
    try:
        model = load_model()
        assert model.booster is not None and model.stage2 is not None
    finally:
        load_model.cache_clear()


@pytest.mark.parametrize("damage", [b"", b"not gzip", b"\x1f\x8b\x08\x00garbage"])
def test_a_missing_or_damaged_read_ahead_leaves_every_model_read_from_its_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    text = _forest_text()
    expected = Forest.from_text(text)
    path = tmp_path / "numbers.bin.gz"
    if damage:
        path.write_bytes(damage)
    monkeypatch.setattr(readahead, "READ_AHEAD", path)
    readahead._store.cache_clear()
    try:
        assert group(text) is None
        forest = Forest.from_text(text)
        for key in ("roots", "feature", "threshold", "left", "right", "missing", "leaf"):
            assert _same(getattr(forest, key), getattr(expected, key))
    finally:
        readahead._store.cache_clear()


def test_a_written_read_ahead_gives_back_its_arrays(tmp_path: Path) -> None:
    path = tmp_path / "numbers.bin.gz"
    arrays = {"a": np.array([1.5, -0.0, np.inf]), "b": np.array([3, -1], dtype=np.int32),
              "c": np.array([7], dtype=np.uint8)}
    readahead.write([("some text", arrays), ("other", {"odds": np.array([0.25])})], path)
    first = path.read_bytes()
    readahead.write([("other", {"odds": np.array([0.25])}), ("some text", arrays)], path)
    assert path.read_bytes() == first, "the same groups, the same file"
    raw = igzip.decompress(first)
    head = json.loads(raw[:raw.index(b"\n")])
    offsets = [o for g in head["groups"].values() for _, o, _ in g.values()]
    assert all(o % 8 == 0 for o in offsets)


def test_odds_read_ahead_build_the_table_their_text_builds() -> None:
    keys, odds = "read more\nharbour\nadd to cart", "-1.25 0.5 -2.0"
    from_text = _core.LexiconTable((keys, odds))
    from_array = _core.LexiconTable((keys, read_odds(odds)))
    for key in keys.split("\n"):
        assert from_text.get(key) == from_array.get(key) is not None
    assert from_text.size == from_array.size == 3


@pytest.mark.parametrize("odds", ["-1.25 0.5", "-1.25 0.5 2 3", "-1.25 x 2"])
def test_odds_that_do_not_fit_their_keys_are_refused(odds: str) -> None:
    with pytest.raises(ValueError):
        _core.LexiconTable(("read more\nharbour\nadd to cart", odds))


def test_a_shipped_lexicon_reads_its_odds_ahead() -> None:
    payload = json.loads(igzip.decompress(MODEL_PATH.read_bytes()))
    lexicon = Lexicon.from_json(payload["lexicon"])
    words, _ = lexicon.tables
    packed = payload["lexicon"]["words"]
    first_key = packed["keys"].split("\n", 1)[0]
    assert words.get(first_key) == float(packed["odds"].split(" ", 1)[0])
