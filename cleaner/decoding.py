"""Bytes of a web page to text, never a crash: BOM, declared charset, detection, in that order.

A page says what it is in three places that can disagree: a byte-order mark (always right
when present), the HTTP header or a <meta charset> (usually right, sometimes stale), and its
bytes. Valid UTF-8 wins over a stale declaration of a single-byte charset, because a text
that decodes as UTF-8 is almost never anything else; detection (charset-normalizer, which
trafilatura installs) settles the rest, and a last resort replaces what cannot be decoded.
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_SINGLE_BYTE_FAMILIES = ("latin", "iso8859", "cp125", "windows-125", "ascii")


def declared_charset(payload: bytes) -> str | None:
    """The charset a <meta> tag near the top declares, if any."""
    match = _META.search(payload[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else None


# Browsers read these labels as their supersets (the WHATWG encoding standard), and so do we:
# a page labelled ISO-8859-1 with curly quotes in it is really Windows-1252.
_WHATWG = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
           "iso8859-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
           "iso-8859-9": "cp1254", "gb2312": "gb18030", "gbk": "gb18030", "tis-620": "cp874"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _WHATWG.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_page(payload: bytes, declared: str | None = None) -> str:
    """The page's text. `declared` is the transport's charset (an HTTP header), if known."""
    for bom, encoding in _BOMS:
        if payload.startswith(bom):
            return payload.decode(encoding, "replace")
    claim = _codec(declared) or _codec(declared_charset(payload))
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if claim is None or claim == "utf-8" or claim.replace("_", "-").startswith(
                _SINGLE_BYTE_FAMILIES):
            return text
    if claim is not None:
        try:
            return payload.decode(claim)
        except (UnicodeDecodeError, LookupError):
            pass
    guess = _detect(payload)
    if guess is not None:
        try:
            return payload.decode(guess)
        except (UnicodeDecodeError, LookupError):
            pass
    return payload.decode("utf-8", "replace")


def _detect(payload: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - trafilatura brings it
        return None
    best = from_bytes(payload[:65536]).best()
    return best.encoding if best is not None else None
