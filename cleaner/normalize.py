"""The normalised form that `exact` and `contains` rules compare against.

Casefold and NFKC make "ADVERTISEMENT", "Advertisement" and its full-width form one
string; collapsing whitespace makes "Read  more" and "Read\u00a0more" the same. The
original line is what gets written; this form is for matching only.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Casefold then NFKC; keeps newlines where they are, so a folded page splits like the page."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text.casefold())


def collapse(text: str) -> str:
    """Whitespace runs to one space, none at the ends."""
    return " ".join(text.split())


def normalise(text: str) -> str:
    """The full matching form of one line."""
    return collapse(fold(text))
