"""HTML to text: trafilatura's main-text extraction and its metadata.

Used two ways: on its own (`--no-content` in HTML mode: trafilatura, then the rules), and as
one signal of the HTML content model, which scores every visible line of the page with what
the DOM knows, trafilatura's verdict among it (htmldom.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaner.document import META_FIELDS

_MARKUP = re.compile(r"<(!doctype|html|head|body|div|p|article|section|span|a|table|meta|"
                     r"link|script|br|li|ul|h[1-6])\b", re.I)
_STRONG = re.compile(r"^\s*(<!--.*?-->\s*)*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html)", re.I | re.S)
_ANY_TAG = re.compile(r"<[^<>]{0,500}>")


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


def trafilatura_tree(html: str) -> object | None:
    """The page parsed as trafilatura parses it (its repairs, its parser settings) but with
    lxml's limits lifted: libxml2 by default stops at 256 nested elements and at an
    attribute over 10 MB (an inline base64 image), and trafilatura's own parse of such a
    page keeps nothing past that point. None when there is no tree to be had."""
    from lxml import etree
    from lxml import html as lxml_html
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    repaired = repair_faulty_html(html, beginning)
    tree = None
    try:
        tree = lxml_html.fromstring(repaired, parser=_parser("trafilatura"))
    except ValueError:  # a string with an encoding declaration: lxml wants bytes
        tree = None
    except etree.ParserError:
        return None
    if tree is None or len(tree) < 1:
        try:
            tree = lxml_html.fromstring(repaired.encode("utf-8", "surrogatepass"),
                                        parser=_parser("trafilatura"))
        except (etree.ParserError, ValueError):
            return None
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


_PARSERS: dict[str, object] = {}


def _parser(kind: str) -> object:
    """lxml parsers with `huge_tree` (deep nesting, huge attributes); built once."""
    parser = _PARSERS.get(kind)
    if parser is None:
        from lxml import html as lxml_html

        if kind == "trafilatura":  # trafilatura.utils.HTML_PARSER's settings
            parser = lxml_html.HTMLParser(collect_ids=False, default_doctype=False,
                                          encoding="utf-8", remove_comments=True,
                                          remove_pis=True, huge_tree=True)
        else:  # lxml's plain elements: the same tree as lxml.html's, walked faster
            from lxml import etree

            parser = etree.HTMLParser(huge_tree=True)
        _PARSERS[kind] = parser
    return parser


def dom_parser() -> object:
    """The parser of the DOM dump: lxml's HTML defaults, limits lifted."""
    return _parser("dom")


_COMMENT = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_CONTAINER = re.compile(r"</?(?:div|span|section|font|center)\b[^>]*>", re.I)
_SPACE = re.compile(r"\s+")
LOST_SHARE = 0.5
LOST_MIN_CHARS = 500


def _markup_chars(html: str) -> int:
    """Non-space characters outside tags, comments, scripts and styles: the text a parse
    must not lose."""
    return len(_SPACE.sub("", _TAG.sub(" ", _COMMENT.sub(" ", html))))


def _tree_chars(root: object) -> int:
    """The same count over a parsed tree (scripts and styles left out)."""
    from cleaner.htmldom import text_content

    total = len(_SPACE.sub("", text_content(root)))
    for element in root.iter("script", "style"):  # type: ignore[attr-defined]
        total -= len(_SPACE.sub("", text_content(element)))
    return total


def loses_text(html: str, root: object | None) -> bool:
    """Whether a parse dropped the rest of the page: libxml2 still stops at some depth
    (2,048 nested elements with `huge_tree`), and what it drops is everything after that
    point. So both must hold: the tree keeps much less text than the markup holds (a rough
    count: entities and markup-like attribute values inflate it), and the markup after the
    tree's last text still holds text."""
    if root is None:
        return _markup_chars(html) > LOST_MIN_CHARS
    # The cheap test first (most pages end where their tree ends), the counts only after.
    end = _end_of_tree_text(html, root)
    if end is not None and (len(html) - end <= LOST_MIN_CHARS
                            or _markup_chars(html[end:]) <= LOST_MIN_CHARS):
        return False
    raw = _markup_chars(html)
    kept = _tree_chars(root)
    return raw - kept > LOST_MIN_CHARS and kept < LOST_SHARE * raw


def _end_of_tree_text(html: str, root: object) -> int | None:
    """Where in the markup the tree's last text ends; None when it cannot be found (text
    spelt with entities, say)."""
    last = root.xpath(  # type: ignore[attr-defined]
        "(//text()[normalize-space()])[position() > last() - 5]")
    tails = [str(t).strip()[-40:] for t in last]
    found = [html.rfind(t) + len(t) for t in tails if t and t in html]
    return max(found) if found else None


@dataclass(frozen=True)
class PreparedPage:
    """HTML ready for the parsers, and what had to be done to it (result flags)."""

    html: str
    root: object | None
    flags: tuple[str, ...] = ()


def prepare(html: str) -> PreparedPage:
    """The page parsed for the DOM dump. A page nested past the parser's limit (pages
    wrapped in thousands of unclosed divs exist) has its layout containers (div, span,
    section, font, center) taken out and is parsed again, flagged "html-flattened"; if text
    is still lost, it is flagged "html-truncated", never dropped silently."""
    from cleaner.htmldom import parse

    root = parse(html)
    if not loses_text(html, root):
        return PreparedPage(html, root)
    flat = _CONTAINER.sub("\n", html)
    flat_root = parse(flat)
    if not loses_text(flat, flat_root):
        return PreparedPage(flat, flat_root, ("html-flattened",))
    return PreparedPage(html, root, ("html-truncated",))


def extract(html: str, *, with_metadata: bool = False) -> Extraction:
    """trafilatura's main text (comments off, tables and lists kept), '' when it finds none."""
    import trafilatura

    tree = trafilatura_tree(html)
    text = None
    if tree is not None:
        try:
            text = trafilatura.extract(tree, include_comments=False, include_tables=True,
                                       include_formatting=False)
        except Exception:  # trafilatura raises assorted errors on broken markup
            text = None
    meta: dict[str, str] = {}
    if with_metadata and tree is not None:
        try:
            found = trafilatura.extract_metadata(tree)
        except Exception:
            found = None
        if found is not None:
            values = found.as_dict()
            meta = {k: str(values[k]) for k in META_FIELDS if values.get(k)}
    return Extraction(str(text or ""), meta)


def extract_markdown(html: str) -> str:
    """trafilatura's Markdown of the page's main text (its settings as `extract`'s, with the
    formatting that makes it Markdown: headings, emphasis, fences), '' when it finds none."""
    import trafilatura

    tree = trafilatura_tree(html)
    if tree is None:
        return ""
    try:
        text = trafilatura.extract(tree, output_format="markdown", include_comments=False,
                                   include_tables=True, include_formatting=True)
    except Exception:  # trafilatura raises assorted errors on broken markup
        return ""
    return str(text or "")


def to_text(html: str) -> str:
    """trafilatura's main text, or its whole-page text when it finds no main text."""
    import trafilatura

    html = prepare(html).html
    found = extract(html).text
    if found:
        return found
    try:
        return str(trafilatura.html2txt(html) or "")
    except Exception:
        return ""
