"""An HTML page as dump lines that remember where they came from in the DOM.

The text model sees a page as lines. From HTML we can give it the same lines (every visible
block on its own line, paragraphs and headings set off by a blank line, table cells joined by
a tab, like a browser's innerText) and, for each line, what the DOM knows: how much of it is
link text, whether it sits in a nav, header, footer, aside, form, list item or table cell,
its heading level, whether its ancestors' class and id say "menu" or "article", and whether
trafilatura's extraction holds it. The HTML content model scores lines on both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cleaner.markdown import TEXT, Block, Structure

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
# A comment section's container: WordPress's "comments" and "commentlist", "comment-list",
# Disqus's "disqus_thread", a reply form's "respond"; not a single "comment-count" link.
_COMMENTS = re.compile(r"(?:^|[\s_-])(?:comments?(?:[-_]?(?:area|list|section|thread|wrap(?:per)?|"
                       r"container|block|box|stream|holder))?|commentlist|disqus_thread|respond|"
                       r"reader[-_]comments|user[-_]comments)(?:$|\s)", re.I)
# The same, case-sensitive, for values already lowered (`_name_bits`).
_BAD_LOWER, _GOOD_LOWER, _COMMENTS_LOWER = (
    re.compile(pattern.pattern) for pattern in (_BAD, _GOOD, _COMMENTS))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")

# Context bits carried down the tree. COMMENTS (inside a comment section's container) is no
# model column: the threads stage reads it (`DomDump.comments`).
(NAV, HEADER, FOOTER, ASIDE, FORM, LI, CELL, ARTICLE, FIGCAPTION, BAD, GOOD, LINK, QUOTE,
 COMMENTS) = (1 << i for i in range(14))
_TAG_BITS = {"nav": NAV, "header": HEADER, "footer": FOOTER, "aside": ASIDE, "form": FORM,
             "li": LI, "dt": LI, "dd": LI, "td": CELL, "th": CELL, "article": ARTICLE,
             "main": ARTICLE, "figcaption": FIGCAPTION, "a": LINK, "blockquote": QUOTE}
DOM_FEATURE_NAMES: tuple[str, ...] = (
    "dom_nav", "dom_header", "dom_footer", "dom_aside", "dom_form", "dom_li", "dom_cell",
    "dom_article", "dom_figcaption", "dom_bad_class", "dom_good_class", "dom_quote",
    "dom_link_density", "dom_heading", "dom_paragraph", "dom_depth", "dom_extract",
    "dom_extract@-1", "dom_extract@+1", "dom_link_density@-1", "dom_link_density@+1",
    "dom_page_extract_share", "dom_page_has_extract", "dom_page_extract_log_words",
    "dom_page_extract_ratio", "dom_page_paragraph_share", "dom_page_link_share",
)
_D = {name: i for i, name in enumerate(DOM_FEATURE_NAMES)}
# The context bit behind each of the first columns.
_BIT_COLUMNS = tuple((_D[name], bit) for name, bit in (
    ("dom_nav", NAV), ("dom_header", HEADER), ("dom_footer", FOOTER), ("dom_aside", ASIDE),
    ("dom_form", FORM), ("dom_li", LI), ("dom_cell", CELL), ("dom_article", ARTICLE),
    ("dom_figcaption", FIGCAPTION), ("dom_bad_class", BAD), ("dom_good_class", GOOD),
    ("dom_quote", QUOTE)))


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
    # bool per line: inside a comment section's container (class or id says so)
    comments: np.ndarray | None = None
    # The schema.org and Open Graph types the page declares (`declared_types`) and how many
    # of each tag it holds: the page-type model's evidence (profile.py).
    declared: frozenset[str] = frozenset()
    census: dict[str, int] = field(default_factory=dict)
    # Each line's block (heading, list item, table row, code) for Markdown output.
    structure: Structure = field(default_factory=Structure)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + ("\n" if self.lines else "")


@dataclass(frozen=True)
class HtmlEvidence:
    """What the HTML stages read beside a page's lines: the DOM dump's rows (one per original
    line), the page's declared type, trafilatura's extraction, and which lines sit in a
    comment section's container (the threads stage's evidence)."""

    rows: np.ndarray
    signals: np.ndarray
    extraction: str
    comments: np.ndarray | None = None
    declared: frozenset[str] = frozenset()
    census: dict[str, int] = field(default_factory=dict)
    structure: Structure = field(default_factory=Structure)

    @classmethod
    def of(cls, dump: DomDump, extraction: str) -> HtmlEvidence:
        return cls(dump.rows, dump.signals, extraction, dump.comments, dump.declared,
                   dump.census, dump.structure)


def parse(html: str) -> object | None:
    """The page as lxml's plain elements (lxml.html's element classes cost a Python call at
    every element a walk meets; the trees are the same)."""
    from lxml import etree

    from cleaner.html import dom_parser

    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        root: object | None = etree.fromstring(html, parser=dom_parser())
    except (etree.ParserError, ValueError):
        return None
    return root


def text_content(element: object) -> str:
    """The text of an element and everything inside it (lxml.html's text_content)."""
    from lxml import etree

    text: str = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return text


_NAME_BITS: dict[str, int] = {}
_NAME_BITS_MAX = 1 << 16


def _name_bits(names: str) -> int:
    """BAD, GOOD and COMMENTS as the names say. A case-blind regex folds each character it
    reads; an ASCII value (nearly every one) is lowered once and searched case-sensitively,
    which finds the same (the patterns are lower case)."""
    if not names.strip():
        return 0
    if names.isascii():
        names = names.lower()
        bad, good, comments = _BAD_LOWER, _GOOD_LOWER, _COMMENTS_LOWER
    else:
        bad, good, comments = _BAD, _GOOD, _COMMENTS
    bits = BAD if bad.search(names) else 0
    if good.search(names):
        bits |= GOOD
    if comments.search(names):
        bits |= COMMENTS
    return bits


@functools.lru_cache(maxsize=1024)
def tag_role(tag: str) -> tuple[int, int, int]:
    """What the walk does at a tag (`_core.DomWalk`): its TAG_* flags, the context bits it
    sets, and its heading level (0 for no heading). Remembered: the walk asks once per tag
    a page, and pages use the same few dozen tags."""
    from cleaner import _core

    flags = 0
    for found, flag in ((tag in SKIP, _core.TAG_SKIP), (tag in BLOCK, _core.TAG_BLOCK),
                        (tag in SPACED, _core.TAG_SPACED), (tag in CELLS, _core.TAG_CELL),
                        (tag in _STRUCTURE, _core.TAG_STRUCTURE),
                        (tag == "br", _core.TAG_BREAK), (tag == "p", _core.TAG_PARAGRAPH),
                        (tag == "pre", _core.TAG_PRE)):
        if found:
            flags |= flag
    heading = int(tag[1]) if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else 0
    return flags, _TAG_BITS.get(tag, 0), heading


def _remember_name_bits(value: str) -> int:
    """What a class, id or role value says, remembered: a class string repeats within a page
    and across a site's pages."""
    found = _name_bits(value)
    if len(_NAME_BITS) >= _NAME_BITS_MAX:
        _NAME_BITS.clear()
    _NAME_BITS[value] = found
    return found


if TYPE_CHECKING:
    from cleaner._core import DomWalk

def _walk() -> DomWalk:
    """A compiled walk, told what this module knows about tags and names. A walk keeps its
    state in itself, so each page gets its own (threads may clean pages side by side)."""
    from cleaner import _core

    return _core.DomWalk(tag_role, _NAME_BITS, _remember_name_bits, _HIDDEN_STYLE.search,
                         _block_of, TEXT, LINK, _WS.sub)


_STRUCTURE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dt", "dd",
                        "table", "pre", "blockquote"})


def _block_of(tag: str, outer: Block, group: int) -> Block:
    """The block an element's text is in, from the block around it: a <pre> or a table holds
    its lines whatever is inside; a list starts a group that its items carry."""
    if outer.kind == "code" or (outer.kind == "row" and tag != "table"):
        return outer
    if tag[0] == "h" and tag[1:].isdigit():
        return Block("heading", int(tag[1]), group)
    if tag == "pre":
        return Block("code", 0, group)
    if tag == "table":
        return Block("row", 0, group)
    if tag in ("ul", "ol"):  # a list: its items are one level below the items around it
        depth = outer.level if outer.kind in ("item", "list") else 0
        return Block("list", depth, group, tag == "ol")
    if tag in ("li", "dt", "dd"):
        return Block("item", outer.level + 1 if outer.kind == "list" else max(outer.level, 1),
                     outer.group if outer.kind == "list" else group,
                     outer.ordered if outer.kind == "list" else False)
    if tag == "blockquote":
        return Block("quote", 0, group)
    return outer


_LINK, _HEADING = _D["dom_link_density"], _D["dom_heading"]
_PARAGRAPH, _DEPTH = _D["dom_paragraph"], _D["dom_depth"]


def extract_shares(lines: list[str], extraction: str) -> np.ndarray:
    """For each line, the share of its word trigrams found in the extraction (a line of one
    or two words: whether it is a whole line of the extraction), casefolded."""
    from cleaner import _core

    shares: np.ndarray = _core.extract_shares([line.casefold() for line in lines],
                                              extraction.casefold())
    return shares


def dom_dump(html: str, extraction: str | None, root: object | None = None) -> DomDump:
    """The page's dump lines and DOM features; `extraction` is trafilatura's main text (None
    or empty when it found none); `root`, the page already parsed (by `parse`)."""
    root = parse(html) if root is None else root
    if root is None:
        return DomDump([], np.zeros((0, len(DOM_FEATURE_NAMES)), dtype=np.float32))
    declared = declared_types(root)
    signals = page_signals(declared)
    census: dict[str, int] = {}
    code: dict[int, str] = {}
    lines: list[str] = []
    # Each text line's (text, blank before, link characters, context bits, heading level,
    # paragraph, depth, block, cells) as the walk gives it; None for a blank line.
    meta: list[tuple[Any, ...] | None] = []
    for line in _walk().lines(root, census, code):
        if line[1] and lines:
            lines.append("")
            meta.append(None)
        lines.append(line[0])
        meta.append(line)
    rows = np.zeros((len(lines), len(DOM_FEATURE_NAMES)), dtype=np.float32)
    comments = np.array([m is not None and bool(m[3] & COMMENTS) for m in meta], dtype=bool)
    text_index = [i for i, m in enumerate(meta) if m is not None]
    shares = extract_shares([lines[i] for i in text_index], extraction or "")
    if text_index:
        # The line's own columns, row by row in Python, written into the array at once.
        width = len(DOM_FEATURE_NAMES)
        own: list[list[float]] = []
        for i in text_index:
            m = meta[i]
            assert m is not None
            _, _, link_chars, context, heading, paragraph, depth, _, _ = m
            row = [0.0] * width
            for column, bit in _BIT_COLUMNS:
                row[column] = float(bool(context & bit))
            row[_LINK] = min(1.0, link_chars / max(1, len(lines[i])))
            row[_HEADING] = heading
            row[_PARAGRAPH] = float(paragraph)
            row[_DEPTH] = min(depth, 40) / 40
            own.append(row)
        rows[text_index] = np.array(own, dtype=np.float32)
        rows[text_index, _D["dom_extract"]] = shares
    if text_index:
        seq = rows[text_index]
        extract = seq[:, _D["dom_extract"]]
        link = seq[:, _D["dom_link_density"]]
        words = np.array([len(lines[i].split()) for i in text_index], dtype=np.float64)
        extract_words = len((extraction or "").split())
        total = max(words.sum(), 1.0)
        page_columns = {
            "dom_extract@-1": np.concatenate([[-1.0], extract[:-1]]),
            "dom_extract@+1": np.concatenate([extract[1:], [-1.0]]),
            "dom_link_density@-1": np.concatenate([[-1.0], link[:-1]]),
            "dom_link_density@+1": np.concatenate([link[1:], [-1.0]]),
            "dom_page_extract_share": float((extract * words).sum() / max(words.sum(), 1.0)),
            "dom_page_has_extract": float(bool(extraction and extraction.strip())),
            "dom_page_extract_log_words": np.log1p(extract_words),
            "dom_page_extract_ratio": min(extract_words / total, 2.0),
            "dom_page_paragraph_share": float(
                (seq[:, _D["dom_paragraph"]] * words).sum() / total),
            "dom_page_link_share": float(((link > 0.5) * words).sum() / total),
        }
        for name, value in page_columns.items():
            rows[text_index, _D[name]] = value
    cells = {i: m[8] for i, m in enumerate(meta) if m is not None and len(m[8]) > 1}
    structure = Structure(tuple(TEXT if m is None else m[7] for m in meta), code, cells)
    return DomDump(lines, rows, signals, comments, declared, census, structure)


def declared_types(root: object) -> frozenset[str]:
    """The types a parsed page declares, lower case: schema.org's names from JSON-LD @type
    and microdata itemtype, and og:type's value both as a name and as "og:<value>"."""
    declared: set[str] = set()
    for content in root.xpath('//meta[@property="og:type"]/@content'):  # type: ignore[attr-defined]
        value = str(content).lower().split(":")[-1].split(".")[0]
        declared.update(_NAME.findall(value))
        declared.add(f"og:{value.strip()}")
    for itemtype in root.xpath("//*[@itemtype]/@itemtype"):  # type: ignore[attr-defined]
        declared.add(str(itemtype).rstrip("/").rsplit("/", 1)[-1].lower())
    for script in root.xpath('//script[@type="application/ld+json"]'):  # type: ignore[attr-defined]
        for match in _LD_TYPE.finditer(script.text or ""):
            declared.update(_NAME.findall(match.group(1).lower()))
    return frozenset(declared)


def page_signals(declared: frozenset[str]) -> np.ndarray:
    """`PAGE_SIGNAL_NAMES` from the page's `declared_types`."""
    return np.array([
        float(any(t in declared for t in _ARTICLE_TYPES)),
        float(any(t in declared for t in _PRODUCT_TYPES)),
        float(any(t in declared for t in _COLLECTION_TYPES)),
    ], dtype=np.float32)
