"""`cleaner learn`: candidate rules from a corpus, for a person to review.

Site chrome repeats: the same "Subscribe to our newsletter" or "Posted in News | 3 comments"
line sits on page after page of one site, while article sentences do not. Counting each
normalised line once per document, per site when a URL is known, finds the lines that many
documents of a site share. Lines that read like prose (long, ending like a sentence) are left
out however often they repeat: a quoted sentence is not chrome. Lines that differ only in their
numbers become one pattern. Each candidate becomes a rule with its counts and real examples:
drop examples are the lines found, keep examples are prose lines of the same documents. The
pack is checked by the same self-test as the built-in packs before it is written.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import yaml

from cleaner.normalize import matching_form
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import load_packs, parse_pack
from cleaner.rulebook.selftest import cases

_DIGITS = re.compile(r"\d+")
_SLUG = re.compile(r"[^a-z0-9]+")
PROSE_WORDS = 8
MAX_WORDS = 20


@dataclass(frozen=True)
class LearnDocument:
    text: str
    site: str = ""


@dataclass
class Candidate:
    key: str  # the normalised line, or its digits-as-\d+ template
    site: str
    documents: int
    site_documents: int
    surfaces: Counter[str] = field(default_factory=Counter)
    is_pattern: bool = False


def read_corpus(paths: list[str], fmt: str, field: str, url_field: str
                ) -> Iterator[LearnDocument]:
    """The documents of the inputs, each with its site (the host of its URL), read through
    their formats' adapters: a text file is one document, a record or a page is one."""
    from cleaner.job import JobSpec
    from cleaner.page import host_of
    from cleaner.runner import read_documents

    spec = JobSpec(fmt=fmt, field=field, url_field=url_field)
    for path in paths:
        for doc in read_documents(path, spec):
            if doc.markup != "html":  # an archive's HTML page: its lines are markup
                yield LearnDocument(doc.text, host_of(doc.url))


def _prose(line: str) -> bool:
    words = line.split()
    return len(words) >= PROSE_WORDS and line.rstrip().rstrip("\"'”’)»").endswith(
        (".", "!", "?", ";"))


def candidates(documents: Iterable[LearnDocument], min_docs: int = 3,
               min_share: float = 0.2) -> tuple[list[Candidate], dict[str, list[str]]]:
    """Repeated non-prose lines per site, most widespread first; and prose lines per site
    (for keep examples)."""
    per_site_docs: Counter[str] = Counter()
    exact: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    exact_docs: Counter[tuple[str, str]] = Counter()
    template_docs: Counter[tuple[str, str]] = Counter()
    templates: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    prose: dict[str, list[str]] = defaultdict(list)
    for doc in documents:
        per_site_docs[doc.site] += 1
        seen: set[str] = set()
        seen_templates: set[str] = set()
        for raw in doc.text.splitlines():
            line = raw.strip()
            if not line:
                continue
            if _prose(line):
                if len(prose[doc.site]) < 50:
                    prose[doc.site].append(line)
                continue
            if len(line.split()) > MAX_WORDS:
                continue
            norm = matching_form(line)
            exact[(doc.site, norm)][line] += 1
            if norm not in seen:
                seen.add(norm)
                exact_docs[(doc.site, norm)] += 1
            if _DIGITS.search(norm):
                template = _DIGITS.sub("0", norm)
                templates[(doc.site, template)][line] += 1
                if template not in seen_templates:
                    seen_templates.add(template)
                    template_docs[(doc.site, template)] += 1
    found: list[Candidate] = []
    covered: set[tuple[str, str]] = set()
    for (site, template), count in template_docs.items():
        norms = {matching_form(s) for s in templates[(site, template)]}
        if len(norms) < 2 or not _enough(count, per_site_docs[site], min_docs, min_share):
            continue
        found.append(Candidate(template, site, count, per_site_docs[site],
                               templates[(site, template)], is_pattern=True))
        covered.update((site, n) for n in norms)
    for (site, norm), count in exact_docs.items():
        if (site, norm) in covered or not _enough(count, per_site_docs[site], min_docs,
                                                  min_share):
            continue
        found.append(Candidate(norm, site, count, per_site_docs[site], exact[(site, norm)]))
    found.sort(key=lambda c: (-c.documents, c.site, c.key))
    return found, prose


def _enough(count: int, total: int, min_docs: int, min_share: float) -> bool:
    return count >= min_docs and count >= min_share * total


def _pattern(template: str) -> str:
    """A folded line with digit runs as 0 → an RE2 pattern over the folded line."""
    parts = [re.escape(p) for p in template.split("0")]
    return "(?i)^\\s*" + "\\d+".join(parts).replace("\\ ", "\\s+") + "\\s*$"


def to_pack(found: list[Candidate], prose: dict[str, list[str]], name: str = "learned",
            limit: int = 200, *, global_rules: bool = False) -> str:
    """The candidates as a YAML rule pack; rules whose examples fail the self-test are left
    out, so the pack always passes `cleaner rules test`. A line learned from one site's pages
    becomes a rule for that site only (`where: {site: ...}`): "Add to cart" on a shop's pages
    says nothing about another site's. `global_rules` drops that guard."""
    rules: list[dict[str, object]] = []
    used: Counter[str] = Counter()
    for cand in found[:limit]:
        keep = [p for p in prose.get(cand.site, []) + prose.get("", []) if p][:2]
        if not keep:
            keep = ["The committee met on Tuesday and agreed the budget for next year."]
        slug = _SLUG.sub("-", cand.key.lower()).strip("-")[:40] or "line"
        used[slug] += 1
        rule_id = f"{name}.{slug}" + (f"-{used[slug]}" if used[slug] > 1 else "")
        where = f" on {cand.site}" if cand.site else ""
        match: dict[str, object] = ({"regex": _pattern(cand.key)} if cand.is_pattern
                                    else {"exact": [cand.surfaces.most_common(1)[0][0]]})
        rule: dict[str, object] = {
            "id": rule_id,
            "description": f"Seen in {cand.documents} of {cand.site_documents} "
                           f"documents{where} ({sum(cand.surfaces.values())} times). "
                           "Learned; review before use.",
            "match": match,
            "action": "drop-line",
            "examples": {"drop": [s for s, _ in cand.surfaces.most_common(3)],
                         "keep": keep},
        }
        if cand.site and not global_rules:
            rule["where"] = {"site": cand.site}
        rules.append(rule)
    header = {"pack": name, "description": "Candidate rules learned by `cleaner learn` from "
              "lines repeated across documents; review each before relying on it."}
    text = yaml.safe_dump({**header, "rules": rules}, sort_keys=False, allow_unicode=True,
                          width=100)
    return _passing(text, name)


def _passing(text: str, name: str) -> str:
    """Drop the rules whose examples fail (a keep example another rule takes, say)."""
    pack = parse_pack(text, f"{name}.yaml")
    everything = RuleSet.from_packs([*load_packs(()), pack])
    failing = {case.rule.id for case in cases([pack]) if case.check(everything)}
    if not failing:
        return text
    data = yaml.safe_load(text)
    data["rules"] = [r for r in data["rules"] if r["id"] not in failing]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
