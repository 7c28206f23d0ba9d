"""Text in and out, byte-faithful.

Input is decoded as UTF-8 with `surrogateescape`: bytes that are not UTF-8 survive as lone
surrogates and are written back as the same bytes, so a kept line never loses a byte.
"""

from __future__ import annotations

ENCODING = "utf-8"
ERRORS = "surrogateescape"


def decode(data: bytes) -> str:
    return data.decode(ENCODING, ERRORS)


def encode(text: str) -> bytes:
    try:
        return text.encode(ENCODING, ERRORS)
    except UnicodeEncodeError:  # a lone surrogate that did not come from our decoding
        return text.encode(ENCODING, "surrogatepass")
