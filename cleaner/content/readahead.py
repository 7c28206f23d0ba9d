"""The shipped model files' numbers, read ahead: their arrays in binary.

A model file holds its trees as LightGBM's text and its lexicon's odds as decimals. Reading
a decimal of 17 digits to the double it names is bignum work, about half a microsecond
each, and the text model alone holds some 30,000 of them (the page models five times as
many): the larger part of what loading a model costs a one-file run. This file holds the
same numbers as arrays, each group under the SHA-256 of the text it was read from; a loader
whose text has a group takes the arrays, and any other text (a user's model, an edited one)
is read as text, so the file can make a start slower but never read a model wrong. `make
train` writes it (`write_shipped`), and a test holds it to the shipped model files, as
`make atoms` and its test do for the rule packs.

Format: one line of JSON (for each group, each array's dtype, offset and length), then the
arrays' bytes, each at a multiple of 8 from the line's end; the whole gzipped. A format of
our own rather than numpy's .npz: that is a zip archive, whose member timestamps make the
same arrays a different file at each write, and whose reader imports zipfile.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from isal import igzip

READ_AHEAD = Path(__file__).resolve().parent / "model_numbers.bin.gz"
_ALIGN = 8
Group = dict[str, np.ndarray]


def text_key(text: str) -> str:
    """The key of the numbers read from `text`."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def group(text: str) -> Group | None:
    """The arrays read ahead from `text` (writable copies), or None when it has none."""
    found = _store().get(text_key(text))
    if found is None:
        return None
    data, index = found
    return {name: np.frombuffer(data, dtype=np.dtype(dtype), count=count,
                                offset=offset).copy()
            for name, (dtype, offset, count) in index.items()}


@lru_cache(maxsize=1)
def _store() -> dict[str, tuple[bytes, dict[str, tuple[str, int, int]]]]:
    """Each group's index into the file's bytes (the file read once per process); empty
    when the file is missing or damaged, which leaves every model read as text."""
    try:
        raw = igzip.decompress(READ_AHEAD.read_bytes())
        head = raw.index(b"\n")
        groups = json.loads(raw[:head])["groups"]
        data = raw[head + 1:]
        out = {}
        for key, arrays in groups.items():
            index = {name: (str(dtype), int(offset), int(count))
                     for name, (dtype, offset, count) in arrays.items()}
            for dtype, offset, count in index.values():
                if offset < 0 or offset + np.dtype(dtype).itemsize * count > len(data):
                    raise ValueError("an array past the end")
            out[key] = (data, index)
        return out
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write(groups: Iterable[tuple[str, Group]], path: Path = READ_AHEAD) -> None:
    """Write the groups (text, arrays), sorted by key: the same models, the same file."""
    index: dict[str, dict[str, tuple[str, int, int]]] = {}
    chunks: list[bytes] = []
    offset = 0
    for key, arrays in sorted((text_key(text), arrays) for text, arrays in groups):
        entry = {}
        for name, array in sorted(arrays.items()):
            data = np.ascontiguousarray(array).tobytes()
            entry[name] = (array.dtype.str, offset, len(array))
            padding = -len(data) % _ALIGN
            chunks.append(data + bytes(padding))
            offset += len(data) + padding
        index[key] = entry
    head = json.dumps({"note": "Written by `make train` from the shipped model files.",
                       "groups": index}, separators=(",", ":")).encode()
    payload = head + b"\n" + b"".join(chunks)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    tmp.replace(path)
    _store.cache_clear()


def model_texts(payload: Any) -> Iterator[tuple[str, str]]:
    """Every forest's text ("forest") and lexicon's packed odds ("odds") in a model file's
    JSON, wherever they sit: what a loader of that file reads."""
    if isinstance(payload, dict):
        if set(payload) == {"keys", "odds"} and isinstance(payload["odds"], str):
            yield "odds", payload["odds"]
            return
        for value in payload.values():
            yield from model_texts(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from model_texts(value)
    elif isinstance(payload, str) and payload.startswith("tree\n"):
        yield "forest", payload


def shipped_model_files() -> list[Path]:
    from cleaner.content.model import HTML_MODEL_PATH, MODEL_PATH
    from cleaner.pagetype import PAGE_MODEL_PATH

    return [MODEL_PATH, HTML_MODEL_PATH, PAGE_MODEL_PATH]


def read_groups(files: Iterable[Path]) -> list[tuple[str, Group]]:
    """The numbers of every forest and lexicon in the model files, read from their text."""
    from cleaner.content.forest import Forest
    from cleaner.content.lexicon import read_odds

    out: list[tuple[str, Group]] = []
    for path in files:
        payload = json.loads(igzip.decompress(path.read_bytes()))
        for kind, text in model_texts(payload):
            if kind == "forest":
                out.append((text, Forest.read_arrays(text, str(path))))
            else:
                out.append((text, {"odds": read_odds(text)}))
    return out


def write_shipped() -> None:
    """`make train`'s last step: the read-ahead of the shipped model files."""
    write(read_groups(shipped_model_files()))
