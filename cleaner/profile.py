"""What a page is, in numbers: the evidence the page-type and quality models read.

One row per document, from what every run has anyway: the input's lines (the dump, or an
HTML page's dump lines), what the HTML says of itself (declared types, a census of its
tags), what the content model made of the page, and what the chain kept. The rows are
cheap, but nothing computes them until a result's `page_type` or `quality` is asked for
(`PageProfile`): a run that wants neither pays nothing.

Each column has its name in one of the `*_NAMES` tuples, in the order the row holds it; a
model file stores the names it was fitted on and is refused when they differ.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from cleaner.threads import FORUM_MARK as _FORUM_MARK
from cleaner.threads import find_threads, line_kind, under_article

if TYPE_CHECKING:
    from cleaner.document import Removal
    from cleaner.htmldom import HtmlEvidence

PageType = Literal["article", "forum", "product", "collection", "listing", "documentation",
                   "service"]
# WCXB's seven page types, in the order a model's probabilities come.
PAGE_TYPES: tuple[PageType, ...] = ("article", "forum", "product", "collection", "listing",
                                    "documentation", "service")

# Words that name a kind of page in many sites' chrome, a few languages each. A line counts
# for a group when one of its words is the group's; the learned type lexicon (pagetype.py)
# carries the rest of the vocabulary.
_GROUPS: dict[str, tuple[str, ...]] = {
    "commerce": ("cart", "basket", "checkout", "sku", "shipping", "wishlist", "quantity", "qty",
                 "warenkorb", "panier", "carrito", "carrello", "winkelwagen", "koszyk",
                 "instock", "stock", "delivery", "returns", "price", "sale"),
    "forum": ("reply", "replies", "posts", "joined", "quote", "thread", "member", "members",
              "moderator", "views", "upvote", "answered", "asked", "answers", "registered",
              "antworten", "répondre", "responder", "rispondi", "beiträge", "messages"),
    "docs": ("parameters", "returns", "example", "examples", "install", "installation", "api",
             "usage", "syntax", "deprecated", "documentation", "docs", "reference", "tutorial",
             "method", "argument", "arguments", "configuration", "sdk", "changelog"),
    "service": ("contact", "services", "quote", "appointment", "consultation", "clients",
                "testimonials", "trial", "pricing", "solutions", "team", "careers", "enquiry",
                "inquiry", "kontakt", "leistungen", "devis", "servicios", "servizi"),
    "listing": ("next", "previous", "showing", "results", "sort", "filter", "archive",
                "categories", "older", "newer", "page", "load", "all", "items", "weitere",
                "suivant", "siguiente", "successivo"),
    "article": ("published", "updated", "author", "share", "comments", "related", "read",
                "minutes", "min", "editor", "reporter", "staff", "advertisement", "newsletter"),
}
_GROUP_OF = {word: group for group, words in _GROUPS.items() for word in words}
_GROUP_NAMES = tuple(_GROUPS)

TEXT_EVIDENCE_NAMES: tuple[str, ...] = (
    "lines_log", "words_log", "words_per_line", "short_line_share", "prose_word_share",
    "sentence_end_share", "question_share", "price_share", "date_share", "code_share",
    "bullet_share", "digit_share", "table_share", "thread_header_share",
    "thread_control_share", "largest_block_share", "blocks_log", "long_lines_log",
    "repeated_line_share", "forum_mark_share", "thread_line_share", "thread_records_log",
    "first_thread_position", "thread_under_article",
    *(f"group_{g}" for g in _GROUP_NAMES),
)

_WORD = re.compile(r"[^\W\d_]+")
_PRICE = re.compile(r"[$€£¥₹]\s?\d|\d\s?(?:[$€£¥₹]|usd|eur|gbp|chf|kr|zł)\b", re.I)
_DATE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{4}|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b", re.I)
_CODE = re.compile(r"[{};]\s*$|^\s*(?:\$ |>>> |import |from \S+ import|def |class |function |"
                   r"return |var |const |let |#include|</?[a-z]+[ >])|\w\(\)|==|=>|->|::")
_BULLET = re.compile(r"^\s*(?:[-*•·–]\s|\d{1,3}[.)]\s)")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*\s*$")
_PROSE_WORDS = 15
_SHORT_WORDS = 3


def text_evidence(lines: Sequence[str]) -> np.ndarray:
    """`TEXT_EVIDENCE_NAMES` for a page's lines (blank lines split its blocks)."""
    row = np.zeros(len(TEXT_EVIDENCE_NAMES), dtype=np.float32)
    n = words_total = short = prose_words = ends = questions = prices = dates = code = 0
    bullets = digits = tables = headers = controls = long_lines = blocks = 0
    block_words = largest = 0
    groups = dict.fromkeys(_GROUP_NAMES, 0)
    seen: dict[str, int] = {}
    for line in lines:
        text = line.strip()
        if not text:
            largest = max(largest, block_words)
            block_words = 0
            continue
        if block_words == 0:
            blocks += 1
        n += 1
        count = len(text.split())
        words_total += count
        block_words += count
        seen[text] = seen.get(text, 0) + 1
        short += count <= _SHORT_WORDS
        if count >= _PROSE_WORDS:
            prose_words += count
            long_lines += 1
        ends += bool(_SENTENCE_END.search(text))
        questions += text.endswith("?")
        has_digit = any(c.isdigit() for c in text)
        digits += has_digit
        if has_digit:
            prices += bool(_PRICE.search(text))
            dates += bool(_DATE.search(text))
        code += bool(_CODE.search(text))
        bullets += bool(_BULLET.match(text))
        tables += "\t" in text or text.count("|") >= 2
        kind = line_kind(text)
        headers += kind == "header"
        controls += kind == "control"
        hit: set[str] = set()
        for word in _WORD.findall(text.casefold()):
            group = _GROUP_OF.get(word)
            if group is not None:
                hit.add(group)
        for group in hit:
            groups[group] += 1
    largest = max(largest, block_words)
    if n == 0:
        return row
    repeated = sum(c for c in seen.values() if c > 1)
    marks = sum(1 for line in lines if line and _FORUM_MARK.search(line)) if headers else 0
    threads = find_threads(lines) if headers else []
    thread_lines = sum(1 for t in threads for j in range(t.start, t.end + 1)
                       if lines[j].strip())
    records = sum(len(t.headers) for t in threads)
    first = min((t.start for t in threads), default=len(lines)) / max(len(lines), 1)
    values = [math.log1p(n), math.log1p(words_total), words_total / n, short / n,
              prose_words / max(words_total, 1), ends / n, questions / n, prices / n, dates / n,
              code / n, bullets / n, digits / n, tables / n, headers / n, controls / n,
              largest / max(words_total, 1), math.log1p(blocks), math.log1p(long_lines),
              repeated / n, marks / n, thread_lines / n, math.log1p(records), first,
              float(bool(threads) and under_article(lines, threads)),
              *(groups[g] / n for g in _GROUP_NAMES)]
    row[:] = values
    return row


# The built-in rule packs, whose share of the page's lines each took says what the page
# holds (a shop's buttons, a comment form, a byline); a test keeps the tuple equal to the
# packs in rules/. The threads stage's share comes last.
RULE_PACKS: tuple[str, ...] = ("ads", "apps", "bylines", "captions", "comments", "consent",
                               "embeds", "legal", "media", "navigation", "newsletter",
                               "paywall", "related", "shop", "social")
REMOVAL_EVIDENCE_NAMES: tuple[str, ...] = (*(f"removed_{p}" for p in RULE_PACKS),
                                           "removed_threads")
_PACK_INDEX = {p: i for i, p in enumerate(RULE_PACKS)}


def removal_evidence(removals: Iterable[Removal], lines: int) -> np.ndarray:
    """`REMOVAL_EVIDENCE_NAMES`: the share of the page's lines each built-in pack (and the
    threads stage) took."""
    row = np.zeros(len(REMOVAL_EVIDENCE_NAMES), dtype=np.float32)
    for removal in removals:
        reason = removal.reason
        if reason.rule_id is not None:
            i = _PACK_INDEX.get(reason.rule_id.split(".", 1)[0])
            if i is not None:
                row[i] += 1
        elif reason.stage == "threads":
            row[-1] += 1
    return row / max(lines, 1)


# What the chain made of the page: the content model's first-pass scores and what was kept.
CONTENT_EVIDENCE_NAMES: tuple[str, ...] = (
    "scored", "score_mean", "score_word_mean", "score_keep_share", "score_unsure_share",
    "kept_word_share", "kept_line_share", "passes", "guarded", "routed_extraction",
    "no_extraction",
)


@dataclass(frozen=True)
class ContentSummary:
    """The content stage's first look at a page: how many lines it scored and how sure it was.
    Taken once per document (the first pass sees the page whole)."""

    lines: int
    mean: float
    word_mean: float
    keep_share: float
    unsure_share: float

    @classmethod
    def of(cls, scores: np.ndarray, words: np.ndarray, threshold: float) -> ContentSummary:
        if len(scores) == 0:
            return cls(0, 0.0, 0.0, 0.0, 0.0)
        weight = words.sum() or 1.0
        keep = scores >= threshold
        unsure = (scores > 0.2) & (scores < 0.8)
        return cls(len(scores), float(scores.mean()), float((scores * words).sum() / weight),
                   float(words[keep].sum() / weight), float(words[unsure].sum() / weight))


# Declared page types, grouped as the page-type model reads them (JSON-LD @type, microdata
# itemtype, og:type; lower case, schema.org's names).
DECLARED_GROUPS: dict[str, frozenset[str]] = {
    "article": frozenset({"newsarticle", "article", "blogposting", "reportagenewsarticle",
                          "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
                          "backgroundnewsarticle", "liveblogposting", "report", "posting"}),
    "forum": frozenset({"discussionforumposting", "qapage", "question", "answer", "comment"}),
    "product": frozenset({"product", "productgroup", "individualproduct", "offer",
                          "aggregateoffer", "vehicle", "book", "aggregaterating"}),
    "collection": frozenset({"collectionpage", "itemlist", "searchresultspage", "offercatalog"}),
    "documentation": frozenset({"techarticle", "apireference", "softwaresourcecode",
                                "softwareapplication", "howto"}),
    "service": frozenset({"service", "localbusiness", "organization", "professionalservice",
                          "corporation", "contactpage", "aboutpage", "faqpage", "website"}),
    "profile": frozenset({"profilepage", "person"}),
    "og_article": frozenset({"og:article"}),
    "og_product": frozenset({"og:product"}),
    "og_website": frozenset({"og:website"}),
}
# Tags whose number says something of the page's kind (forms on a service page, code on
# documentation, many list items on a listing).
CENSUS_TAGS: tuple[str, ...] = ("a", "li", "form", "input", "button", "select", "pre", "code",
                                "table", "article", "section", "h1", "h2", "h3", "img",
                                "time", "nav", "aside", "blockquote", "dl")
HTML_EVIDENCE_NAMES: tuple[str, ...] = (
    *(f"declares_{g}" for g in DECLARED_GROUPS),
    *(f"tags_{t}_log" for t in CENSUS_TAGS),
    "extraction_word_share",
)


def html_evidence(declared: frozenset[str], census: dict[str, int], dump_words: int,
                  extraction_words: int) -> np.ndarray:
    """`HTML_EVIDENCE_NAMES` from what a page declares, its tag census, and how much of its
    text trafilatura's extraction holds."""
    values = [float(bool(declared & names)) for names in DECLARED_GROUPS.values()]
    values += [math.log1p(census.get(tag, 0)) for tag in CENSUS_TAGS]
    values.append(extraction_words / max(dump_words, 1))
    return np.array(values, dtype=np.float32)


ProfileMode = Literal["text", "html"]


@dataclass
class PageProfile:
    """A cleaned document's evidence, turned into its page type and quality estimate on
    first request (the models load then, once per process; see pagetype.py). Holds only
    references to what the run made anyway until then."""

    mode: ProfileMode
    lines: Sequence[str]  # the input's lines: the text, or an HTML page's dump lines
    output: str  # the cleaned text
    passes: int
    flags: tuple[str, ...]
    content: ContentSummary | None = None
    page: HtmlEvidence | None = None  # for a page made from HTML
    removals: Iterable[Removal] = ()

    def __post_init__(self) -> None:
        self._text: np.ndarray | None = None
        self._html: np.ndarray | None = None
        self._types: np.ndarray | None = None
        self._quality: float | None = None

    @property
    def text_row(self) -> np.ndarray:
        """`TEXT_EVIDENCE_NAMES` of the input's lines."""
        if self._text is None:
            self._text = text_evidence(self.lines)
        return self._text

    @property
    def removal_row(self) -> np.ndarray:
        """`REMOVAL_EVIDENCE_NAMES`."""
        return removal_evidence(self.removals, sum(1 for line in self.lines if line.strip()))

    @property
    def html(self) -> np.ndarray | None:
        """`HTML_EVIDENCE_NAMES` for a page made from HTML, else None."""
        if self.page is None:
            return None
        if self._html is None:
            words = sum(len(line.split()) for line in self.lines)
            self._html = html_evidence(self.page.declared, self.page.census, words,
                                       len(self.page.extraction.split()))
        return self._html

    def content_row(self) -> np.ndarray:
        """`CONTENT_EVIDENCE_NAMES`."""
        summary = self.content or ContentSummary(0, 0.0, 0.0, 0.0, 0.0)
        words = sum(len(line.split()) for line in self.lines)
        lines = sum(1 for line in self.lines if line.strip())
        kept = self.output.splitlines()
        return np.array([
            math.log1p(summary.lines), summary.mean, summary.word_mean, summary.keep_share,
            summary.unsure_share, sum(len(x.split()) for x in kept) / max(words, 1),
            sum(1 for x in kept if x.strip()) / max(lines, 1), self.passes,
            float("max-removal" in self.flags), float("extraction" in self.flags),
            float("no-extraction" in self.flags),
        ], dtype=np.float32)

    @property
    def page_type_probs(self) -> np.ndarray:
        """One probability per `PAGE_TYPES` entry, summing to 1."""
        if self._types is None:
            from cleaner.pagetype import page_models

            self._types = page_models().for_mode(self.mode).type_probs(self)
        return self._types

    @property
    def page_type(self) -> PageType:
        return PAGE_TYPES[int(np.argmax(self.page_type_probs))]

    @property
    def page_type_prob(self) -> float:
        return float(self.page_type_probs.max())

    @property
    def quality(self) -> float:
        """The estimated F1 of the cleaned text against what a person would keep."""
        if self._quality is None:
            from cleaner.pagetype import page_models

            self._quality = page_models().for_mode(self.mode).quality(self)
        return self._quality
