"""An HTML page as dump lines that remember where they came from in the DOM.

The text model sees a page as lines. From HTML we can give it the same lines (every visible
block on its own line, paragraphs and headings set off by a blank line, table cells joined by
a tab, like a browser's innerText) and, for each line, what the DOM knows: how much of it is
link text, whether it sits in a nav, header, footer, aside, form, list item or table cell,
its heading level, whether its ancestors' class and id say "menu" or "article", and whether
trafilatura's extraction holds it. The HTML content model scores lines on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "svg", "math",
                  "iframe", "object", "embed", "canvas", "select", "option", "textarea",
                  "audio", "video", "source", "track", "map", "button"})
BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "footer", "nav",
                   "aside", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt",
                   "dd", "table", "tr", "thead", "tbody", "tfoot", "caption", "blockquote",
                   "pre", "form", "fieldset", "figure", "figcaption", "address", "hr",
                   "details", "summary", "center", "menu", "legend", "body", "html"})
SPACED = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
                    "figure"})
CELLS = frozenset({"td", "th"})
_BAD = re.compile(r"nav|menu|footer|header|sidebar|side-bar|widget|comment|share|social|"
                  r"related|recommend|promo|banner|cookie|consent|breadcrumb|subscribe|"
                  r"newsletter|advert|sponsor|login|signup|popup|modal|tags?\b|pagination|"
                  r"toolbar|masthead|teaser|trending|popular", re.I)
_GOOD = re.compile(r"article|content|post|entry|story|body|main|text|prose|blog|"
                   r"description|answer|question|message|review|product", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
TOKEN = re.compile(r"\w+")

# Context bits carried down the tree.
NAV, HEADER, FOOTER, ASIDE, FORM, LI, CELL, ARTICLE, FIGCAPTION, BAD, GOOD, LINK, QUOTE = (
    1 << i for i in range(13))
_TAG_BITS = {"nav": NAV, "header": HEADER, "footer": FOOTER, "aside": ASIDE, "form": FORM,
             "li": LI, "dt": LI, "dd": LI, "td": CELL, "th": CELL, "article": ARTICLE,
             "main": ARTICLE, "figcaption": FIGCAPTION, "a": LINK, "blockquote": QUOTE}
_BITS = (NAV, HEADER, FOOTER, ASIDE, FORM, LI, CELL, ARTICLE, FIGCAPTION, BAD, GOOD, QUOTE)
DOM_FEATURE_NAMES: tuple[str, ...] = (
    "dom_nav", "dom_header", "dom_footer", "dom_aside", "dom_form", "dom_li", "dom_cell",
    "dom_article", "dom_figcaption", "dom_bad_class", "dom_good_class", "dom_quote",
    "dom_link_density", "dom_heading", "dom_paragraph", "dom_depth", "dom_extract",
    "dom_extract@-1", "dom_extract@+1", "dom_link_density@-1", "dom_link_density@+1",
    "dom_page_extract_share", "dom_page_has_extract", "dom_page_extract_log_words",
    "dom_page_extract_ratio", "dom_page_paragraph_share", "dom_page_link_share",
)


@dataclass
class _Line:
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    context: int = 0
    heading: int = 0
    paragraph: bool = False
    depth: int = 0


# What the page says it is, in the markup sites write for search engines and social cards
# (schema.org types in JSON-LD or microdata, Open Graph's og:type): an article, a product, or
# a page of many items. The page gate's declared-article rule reads them (content/gate.py).
PAGE_SIGNAL_NAMES: tuple[str, ...] = ("declares_article", "declares_product",
                                      "declares_collection")
_ARTICLE_TYPES = ("newsarticle", "article", "blogposting", "reportagenewsarticle",
                  "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                  "backgroundnewsarticle", "techarticle", "liveblogposting", "report")
_PRODUCT_TYPES = ("product", "productgroup", "individualproduct", "offer", "aggregateoffer",
                  "vehicle", "book")
_COLLECTION_TYPES = ("collectionpage", "itemlist", "searchresultspage", "qapage", "faqpage",
                     "discussionforumposting", "profilepage")
_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_NAME = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class DomDump:
    """The page's dump lines (blank lines included), one feature row per line, and the
    page's own claims about its type (`PAGE_SIGNAL_NAMES`)."""

    lines: list[str]
    rows: np.ndarray  # float32, len(lines) x len(DOM_FEATURE_NAMES) (zeros for blank lines)
    signals: np.ndarray = field(
        default_factory=lambda: np.zeros(len(PAGE_SIGNAL_NAMES), dtype=np.float32))

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.lines else "")


def parse(html: str) -> object | None:
    import lxml.html
    from lxml import etree

    from cleaner.html import dom_parser

    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html, parser=dom_parser())
    except (etree.ParserError, ValueError):
        return None


def _class_bits(element: object) -> int:
    get = element.get  # type: ignore[attr-defined]
    names = f"{get('class') or ''} {get('id') or ''} {get('role') or ''}"
    if not names.strip():
        return 0
    bits = BAD if _BAD.search(names) else 0
    if _GOOD.search(names):
        bits |= GOOD
    return bits


def _hidden(element: object) -> bool:
    get = element.get  # type: ignore[attr-defined]
    if get("hidden") is not None or get("aria-hidden") == "true":
        return True
    style = get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _blocks(root: object) -> Iterator[tuple[_Line, bool]]:
    """Lines in document order, each with whether a blank line should precede it."""
    from lxml import etree

    current = _Line()
    context_stack: list[tuple[int, int]] = [(0, 0)]  # (context bits, heading level)
    pending_blank = False

    def flush(blank_after: bool) -> Iterator[tuple[_Line, bool]]:
        nonlocal current, pending_blank
        text = _WS.sub(" ", "".join(current.parts)).strip()
        if text:
            current.parts = [text]
            yield current, pending_blank
            pending_blank = False
        current = _Line()
        if blank_after:
            pending_blank = True

    def add(text: str | None, link: bool) -> None:
        if not text:
            return
        if not "".join(current.parts).strip():
            bits, heading = context_stack[-1]
            current.context = bits
            current.heading = heading
            current.depth = len(context_stack)
        current.parts.append(text)
        if link:
            current.link_chars += len(text.strip())

    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[int] = set()
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if not tag or tag in SKIP or _hidden(element):
                skipped.add(id(element))
                walker.skip_subtree()
                continue
            bits, heading = context_stack[-1]
            bits |= _TAG_BITS.get(tag, 0) | _class_bits(element)
            if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
                heading = int(tag[1])
            context_stack.append((bits, heading))
            if tag in BLOCK or tag == "br":
                yield from flush(blank_after=tag in SPACED)
                if tag in SPACED:
                    pending_blank = True
            if tag in CELLS and "".join(current.parts).strip():
                current.parts.append("\t")
            if tag == "p":
                current.paragraph = True
            add(element.text, bool(bits & LINK))
            continue
        # end
        if id(element) in skipped:
            skipped.discard(id(element))
        else:
            if tag in BLOCK:
                paragraph = tag == "p"
                if paragraph:
                    current.paragraph = True
                yield from flush(blank_after=tag in SPACED)
            context_stack.pop()
        add(element.tail, bool(context_stack[-1][0] & LINK))
    yield from flush(blank_after=False)


def _norm_tokens(text: str) -> list[str]:
    return TOKEN.findall(text.casefold())


def extract_shares(lines: list[str], extraction: str) -> np.ndarray:
    """For each line, the share of its word trigrams found in the extraction (a line of one
    or two words: whether it is a whole line of the extraction)."""
    tokens = _norm_tokens(extraction)
    trigrams = {tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)}
    whole = {tuple(_norm_tokens(x)) for x in extraction.splitlines() if x.strip()}
    out = np.zeros(len(lines), dtype=np.float32)
    for i, line in enumerate(lines):
        toks = _norm_tokens(line)
        if len(toks) >= 3:
            grams = [tuple(toks[k:k + 3]) for k in range(len(toks) - 2)]
            out[i] = sum(g in trigrams for g in grams) / len(grams)
        elif toks:
            out[i] = float(tuple(toks) in whole)
    return out


def dom_dump(html: str, extraction: str | None, root: object | None = None) -> DomDump:
    """The page's dump lines and DOM features; `extraction` is trafilatura's main text (None
    or empty when it found none); `root`, the page already parsed (by `parse`)."""
    root = parse(html) if root is None else root
    if root is None:
        return DomDump([], np.zeros((0, len(DOM_FEATURE_NAMES)), dtype=np.float32))
    signals = page_signals(root)
    lines: list[str] = []
    meta: list[_Line | None] = []
    for line, blank_before in _blocks(root):
        if blank_before and lines:
            lines.append("")
            meta.append(None)
        lines.append(line.parts[0])
        meta.append(line)
    rows = np.zeros((len(lines), len(DOM_FEATURE_NAMES)), dtype=np.float32)
    text_index = [i for i, m in enumerate(meta) if m is not None]
    shares = extract_shares([lines[i] for i in text_index], extraction or "")
    for j, i in enumerate(text_index):
        m = meta[i]
        assert m is not None
        row = rows[i]
        for k, bit in enumerate(_BITS):
            row[k] = float(bool(m.context & bit))
        row[12] = min(1.0, m.link_chars / max(1, len(lines[i])))
        row[13] = m.heading
        row[14] = float(m.paragraph)
        row[15] = min(m.depth, 40) / 40
        row[16] = shares[j]
    if text_index:
        seq = rows[text_index]
        n = len(text_index)
        prev = np.concatenate([[-1.0], seq[:-1, 16]]) if n else seq[:, 16]
        nxt = np.concatenate([seq[1:, 16], [-1.0]]) if n else seq[:, 16]
        prev_link = np.concatenate([[-1.0], seq[:-1, 12]])
        next_link = np.concatenate([seq[1:, 12], [-1.0]])
        words = np.array([len(lines[i].split()) for i in text_index], dtype=np.float64)
        share = float((seq[:, 16] * words).sum() / max(words.sum(), 1.0))
        rows[text_index, 17] = prev
        rows[text_index, 18] = nxt
        rows[text_index, 19] = prev_link
        rows[text_index, 20] = next_link
        rows[text_index, 21] = share
        rows[text_index, 22] = float(bool(extraction and extraction.strip()))
        extract_words = len((extraction or "").split())
        total = max(words.sum(), 1.0)
        rows[text_index, 23] = np.log1p(extract_words)
        rows[text_index, 24] = min(extract_words / total, 2.0)
        rows[text_index, 25] = float((seq[:, 14] * words).sum() / total)
        rows[text_index, 26] = float(((seq[:, 12] > 0.5) * words).sum() / total)
    return DomDump(lines, rows, signals)


def page_signals(root: object) -> np.ndarray:
    """`PAGE_SIGNAL_NAMES` for a parsed page: which schema.org or Open Graph types it
    declares (JSON-LD @type, microdata itemtype, og:type)."""
    declared: set[str] = set()
    for content in root.xpath('//meta[@property="og:type"]/@content'):  # type: ignore[attr-defined]
        declared.update(_NAME.findall(str(content).lower().split(":")[-1].split(".")[0]))
    for itemtype in root.xpath("//*[@itemtype]/@itemtype"):  # type: ignore[attr-defined]
        declared.add(str(itemtype).rstrip("/").rsplit("/", 1)[-1].lower())
    for script in root.xpath('//script[@type="application/ld+json"]'):  # type: ignore[attr-defined]
        for match in _LD_TYPE.finditer(script.text or ""):
            declared.update(_NAME.findall(match.group(1).lower()))
    return np.array([
        float(any(t in declared for t in _ARTICLE_TYPES)),
        float(any(t in declared for t in _PRODUCT_TYPES)),
        float(any(t in declared for t in _COLLECTION_TYPES)),
    ], dtype=np.float32)
