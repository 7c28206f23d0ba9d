"""Text in and out, byte-faithful; the text format's adapter (a file is one document).

Input is decoded as UTF-8 with `surrogateescape`: bytes that are not UTF-8 survive as lone
surrogates and are written back as the same bytes, so a kept line never loses a byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from cleaner.job import Adapter, InputFile, JobSpec, Output, ReadDocument, Unit

if TYPE_CHECKING:
    from cleaner.chain import Cleaner

ENCODING = "utf-8"
ERRORS = "surrogateescape"


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


def encode(text: str) -> bytes:
    try:
        return text.encode(ENCODING, ERRORS)
    except UnicodeEncodeError:  # a lone surrogate that did not come from our decoding
        return text.encode(ENCODING, "surrogatepass")


# -- the adapter: a text file is one document ------------------------------------------------
def _units(source: InputFile, spec: JobSpec) -> Iterator[Unit]:
    yield Unit(source.target, source.label, "text", source.out_kind, source.stream.read())


def _clean(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    from cleaner.decoding import decode_page
    from cleaner.document import Document
    from cleaner.html import looks_like_html

    text = decode(unit.payload)
    if spec.markup == "html" or (spec.markup == "auto" and looks_like_html(text)):
        # A page's bytes say their own charset (BOM, <meta>); decoded again by its rules.
        result = cleaner.clean_html(decode_page(unit.payload), id=unit.label)
    else:
        result = cleaner.clean(Document(text, id=unit.label), "text")
    out.report(spec, result, unit.label)
    if not spec.diff:
        out.data = encode(result.text)


def _documents(stream: BinaryIO, label: str, spec: JobSpec) -> Iterator[ReadDocument]:
    from cleaner.decoding import decode_page
    from cleaner.html import looks_like_html

    data = stream.read()
    text = decode(data)
    if spec.markup == "html" or (spec.markup == "auto" and looks_like_html(text)):
        yield ReadDocument(decode_page(data), markup="html")  # its own charset, as _clean
    else:
        yield ReadDocument(text, markup="text")


ADAPTER = Adapter("text", (), ("text",), _units, _clean, _documents)
