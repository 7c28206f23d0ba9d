"""The text forms rules compare against, one name each.

- the *visible* form: the text without invisible format characters (what regex rules read);
- the *folded* form: casefolded and NFKC, invisible characters gone, line breaks where they
  were ("ADVERTISEMENT", "Advertisement" and its full-width form are one string);
- the *matching form*: folded, whitespace runs collapsed to one space ("Read  more" and
  "Read\u00a0more" are one): what `exact` and `contains` rules compare.

The original line is what gets written; these forms are for matching only.
"""

from __future__ import annotations

import re
import unicodedata

from cleaner._core import casefold, has_invisible

# Invisible format characters that pages slip into words (a zero-width space inside
# "Adver\u200btisement", soft hyphens, joiners, direction marks, a stray BOM): removed from
# the matching forms, so that a label so spelt still meets its rule.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def fold(text: str) -> str:
    """Casefold then NFKC, invisible format characters gone; keeps newlines where they are,
    so a folded page splits like the page.

    Only the lines that are not in NFKC already are normalised (a page is mostly lines that
    are, and the quick check costs a sixth of the normalisation): a line feed is a starter
    that composes with nothing, so NFKC of the page is NFKC of each line joined."""
    if text.isascii():
        return text.lower()
    folded = casefold(text)
    if not unicodedata.is_normalized("NFKC", folded):
        folded = "\n".join(
            line if unicodedata.is_normalized("NFKC", line)
            else unicodedata.normalize("NFKC", line) for line in folded.split("\n"))
    return INVISIBLE.sub("", folded) if has_invisible(folded) else folded


def visible(text: str) -> str:
    """The text without invisible format characters: what regex rules read."""
    if text.isascii():
        return text
    return INVISIBLE.sub("", text)


def collapse(text: str) -> str:
    """Whitespace runs to one space, none at the ends."""
    return " ".join(text.split())


def matching_form(text: str) -> str:
    """The matching form of one line: folded, whitespace collapsed."""
    return collapse(fold(text))
