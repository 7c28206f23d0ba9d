"""HTML to the text the chain cleans.

For now: trafilatura's main-text extraction (comments off, tables and lists kept), and when it
returns nothing, its full-page text, so that the content stage decides rather than nothing
coming out. The fused path of the HTML issue (a dump whose lines carry DOM features) will
replace the fallback.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"<(!doctype|html|head|body|div|p|article|section|span|a|table)\b", re.I)


def looks_like_html(text: str) -> bool:
    """Markup near the top: a page still to be turned into text, not text that mentions <p>."""
    head = text[:4096]
    return len(_MARKUP.findall(head)) >= 2


def to_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=True,
                               include_formatting=False)
    if text:
        return str(text)
    return str(trafilatura.html2txt(html) or "")
