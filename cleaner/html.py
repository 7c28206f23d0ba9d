"""HTML to text: trafilatura's main-text extraction and its metadata.

Used two ways: on its own (`--no-content` in HTML mode: trafilatura, then the rules), and as
one signal of the HTML content model, which scores every visible line of the page with what
the DOM knows, trafilatura's verdict among it (htmldom.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKUP = re.compile(r"<(!doctype|html|head|body|div|p|article|section|span|a|table|meta|"
                     r"link|script|br|li|ul|h[1-6])\b", re.I)
_STRONG = re.compile(r"^\s*(<!--.*?-->\s*)*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html)", re.I | re.S)
_ANY_TAG = re.compile(r"<[^<>]{0,500}>")
META_FIELDS = ("title", "author", "date", "url", "sitename")


def looks_like_html(text: str) -> bool:
    """A page still to be turned into text, not text that mentions a tag or two: a doctype or
    <html> at the top, or markup dense enough that no prose would carry it."""
    head = text[:8192]
    if _STRONG.match(head):
        return True
    tags = len(_MARKUP.findall(head))
    if tags >= 3 and head.lstrip().startswith("<"):
        return True
    inside = sum(len(m) for m in _ANY_TAG.findall(head))
    return tags >= 8 and inside >= 0.3 * len(head)


@dataclass(frozen=True)
class Extraction:
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


def extract(html: str, *, with_metadata: bool = False) -> Extraction:
    """trafilatura's main text (comments off, tables and lists kept), '' when it finds none."""
    import trafilatura

    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True,
                                   include_formatting=False)
    except Exception:  # trafilatura raises assorted errors on broken markup
        text = None
    meta: dict[str, str] = {}
    if with_metadata:
        try:
            found = trafilatura.extract_metadata(html)
        except Exception:
            found = None
        if found is not None:
            values = found.as_dict()
            meta = {k: str(values[k]) for k in META_FIELDS if values.get(k)}
    return Extraction(str(text or ""), meta)


def to_text(html: str) -> str:
    """trafilatura's main text, or its whole-page text when it finds no main text."""
    import trafilatura

    found = extract(html).text
    if found:
        return found
    try:
        return str(trafilatura.html2txt(html) or "")
    except Exception:
        return ""
