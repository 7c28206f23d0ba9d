"""`cleaner report`: one static HTML page to review what cleaning does to a sample of a dataset.

A reviewer would rather look than read JSON: the page shows, for a seeded sample of the
documents, every original line with the removed ones struck through and coloured by what
took them (the rule's pack, or the stage), the reason on hover (rule id or stage, and the
content model's score), and a filter by rule that finds every line a rule took across the
sample, which is how a false removal becomes a `keep` pattern. Above them, the sample's
summary: documents, bytes, the share removed, removals per stage, pack and rule as bars, and
the page types and quality estimates.

The file needs nothing at view time: its CSS and script are inline, no server, no network.
The sample is a reservoir (bounded memory over any number of documents), the same for the
same seed and inputs.
"""

from __future__ import annotations

import html
import json
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cleaner import __version__
from cleaner.chain import Cleaner
from cleaner.document import Document, Reason, Result
from cleaner.options import Markup
from cleaner.stats import QUALITY_BINS, RunStats

DEFAULT_SAMPLE = 200
DEFAULT_SEED = 0


@dataclass(frozen=True)
class SampledDocument:
    """A document picked for the report: where it came from, its text and how to read it."""

    id: str
    text: str
    url: str = ""
    markup: Markup = "auto"


def sample(documents: Iterable[SampledDocument], size: int, seed: int
           ) -> tuple[list[SampledDocument], int]:
    """A uniform sample of at most `size` documents, in input order, and how many there
    were (reservoir sampling: one pass, `size` documents held)."""
    rng = random.Random(seed)
    kept: list[tuple[int, SampledDocument]] = []
    seen = 0
    for seen, doc in enumerate(documents, 1):
        if len(kept) < size:
            kept.append((seen, doc))
            continue
        slot = rng.randrange(seen)
        if slot < size:
            kept[slot] = (seen, doc)
    kept.sort(key=lambda pair: pair[0])
    return [doc for _, doc in kept], seen


def clean_sample(cleaner: Cleaner, documents: Iterable[SampledDocument]) -> Iterator[Result]:
    for doc in documents:
        yield cleaner.clean(Document(doc.text, id=doc.id, url=doc.url), doc.markup)


def cause(key: str) -> str:
    """What a removal is coloured by: a rule's pack (`social.share-prompt`: social), or the
    stage."""
    return key.split(".", 1)[0]


# Colours for causes, in order of first use; enough to tell a page's causes apart.
_PALETTE = ("#d1495b", "#00798c", "#edae49", "#66a182", "#8d96a3", "#6a4c93", "#f3722c",
            "#277da1", "#b5838d", "#4d908e", "#90be6d", "#c9184a")


def render(results: list[Result], total: int, title: str = "cleaner report") -> str:
    """The report page for cleaned sample documents (`total`: documents in the inputs)."""
    stats = RunStats()
    for result in results:
        stats.add(result, pages=True)
    causes = sorted({cause(r.reason.key) for res in results for r in res.removals})
    colours = {c: _PALETTE[i % len(_PALETTE)] for i, c in enumerate(causes)}
    rules = Counter(r.reason.key for res in results for r in res.removals)
    documents = "\n".join(_document(i, res, colours) for i, res in enumerate(results))
    share = 1 - stats.bytes_out / stats.bytes_in if stats.bytes_in else 0.0
    summary = [
        f'<p class="counts"><span id="n-docs">{stats.documents}</span> documents '
        f"(a sample of {total}), {stats.changed} changed, {stats.emptied} emptied; "
        f"{stats.bytes_in:,} bytes in, {stats.bytes_out:,} out: "
        f'<span id="share">{share:.1%}</span> removed, in '
        f'<span id="n-removals">{sum(rules.values())}</span> removals.</p>',
        '<div class="charts">',
        _bars("Removals by stage", Counter(stats.stages), colours, by_cause=False),
        _bars("Removals by pack", Counter({c: sum(n for k, n in rules.items()
                                                  if cause(k) == c) for c in causes}), colours),
        _bars("Removals by rule", rules, colours),
    ]
    if stats.page_types:
        summary.append(_bars("Page types", Counter(stats.page_types), {}, by_cause=False))
        labels = [f"{i / QUALITY_BINS:.1f}" for i in range(QUALITY_BINS)]
        summary.append(_bars("Quality estimate (from)", Counter(dict(
            zip(labels, stats.quality, strict=True))), {}, by_cause=False, ordered=True))
    summary.append("</div>")
    options = "".join(f'<option value="{html.escape(k)}">{html.escape(k)} ({n})</option>'
                      for k, n in sorted(rules.items()))
    legend = "".join(f'<span class="swatch" style="background:{colours[c]}"></span>'
                     f"{html.escape(c)} " for c in causes)
    return _PAGE.format(
        title=html.escape(title), version=html.escape(__version__),
        summary="\n".join(summary), options=options, legend=legend, documents=documents,
        style=_STYLE, script=_SCRIPT)


def _bars(heading: str, counts: Counter[str], colours: dict[str, str], by_cause: bool = True,
          ordered: bool = False) -> str:
    items = list(counts.items()) if ordered else counts.most_common(25)
    top = max((n for _, n in items), default=0) or 1
    rows = []
    for name, n in items:
        colour = colours.get(cause(name) if by_cause else name, "#5c7cfa")
        rows.append(f'<div class="bar"><span class="label" title="{html.escape(name)}">'
                    f"{html.escape(name)}</span><span class=\"fill\" style=\"width:"
                    f'{100 * n / top:.1f}%;background:{colour}"></span>'
                    f'<span class="n">{n}</span></div>')
    more = "" if ordered or len(counts) <= 25 else f"<p>and {len(counts) - 25} more</p>"
    return f'<section class="chart"><h3>{html.escape(heading)}</h3>{"".join(rows)}{more}</section>'


def _document(index: int, result: Result, colours: dict[str, str]) -> str:
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    lines = result.lines()
    for r in result.removals:
        if r.reason.action == "strip" and 0 < r.line <= len(lines):
            base = lines[r.line - 1].start
            spans.setdefault(r.line, []).append(
                (r.start - base, r.end - base, r.reason.key, _reason_text(r.reason)))
    out = []
    for line in lines:
        if line.reason is not None:
            out.append(_struck(line.text or "\u00a0", line.reason.key,
                               _reason_text(line.reason), colours))
        elif line.number in spans:
            out.append(f"<span>{_with_spans(line.text, spans[line.number], colours)}</span>")
        else:
            out.append(f"<span>{html.escape(line.text) or '&nbsp;'}</span>")
    facts = [f"{len(result.removals)} removals"]
    if result.page_type is not None and result.page_type_prob is not None:
        facts.append(f"{result.page_type} ({result.page_type_prob:.2f})")
    if result.quality is not None:
        facts.append(f"quality {result.quality:.2f}")
    facts += [f"flag {f}" for f in result.flags]
    keys = sorted({r.reason.key for r in result.removals})
    name = result.document.id or f"document {index + 1}"
    return (f'<article class="doc" data-rules="{html.escape(json.dumps(keys))}">'
            f"<h3>{html.escape(name)}</h3>"
            f'<p class="facts">{html.escape("; ".join(facts))}</p>'
            f'<div class="lines">{"".join(out)}</div></article>')


def _struck(text: str, key: str, reason: str, colours: dict[str, str]) -> str:
    colour = colours[cause(key)]
    return (f'<del data-rule="{html.escape(key)}" style="text-decoration-color:{colour};'
            f'background:{colour}22" title="{html.escape(reason)}">{html.escape(text)}</del>')


def _with_spans(line: str, spans: list[tuple[int, int, str, str]],
                colours: dict[str, str]) -> str:
    parts = []
    at = 0
    for start, end, key, reason in sorted(spans):
        start, end = max(start, at), min(end, len(line))
        if start >= end:
            continue
        parts.append(html.escape(line[at:start]))
        parts.append(_struck(line[start:end], key, reason, colours))
        at = end
    parts.append(html.escape(line[at:]))
    return "".join(parts)


def _reason_text(reason: Reason) -> str:
    text = f"{reason.rule_id} ({reason.stage}, {reason.action})" if reason.rule_id else \
        f"{reason.stage} ({reason.action})"
    if reason.score is not None:
        text += f", score {reason.score:.2f}"
    return text


_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;
color:#222}
h1{font-size:1.5em;margin-bottom:.2em}h3{margin:.2em 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1em}
.chart{border:1px solid #ddd;border-radius:6px;padding:.5em .8em}
.bar{display:grid;grid-template-columns:11em 1fr 3em;align-items:center;gap:.4em;
font-size:.85em}
.bar .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar .fill{height:.9em;border-radius:3px;min-width:2px}.bar .n{text-align:right}
.filter{position:sticky;top:0;background:#fff;padding:.6em 0;border-bottom:1px solid #ddd;
z-index:1}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin:0 .2em 0 .6em}
.doc{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.6em 1em}
.doc.hidden{display:none}.facts{color:#666;font-size:.85em;margin:.1em 0 .5em}
.lines>*{display:block;white-space:pre-wrap;font-family:ui-monospace,monospace;
font-size:.85em}
del{text-decoration-thickness:2px;color:#777}
del.match{outline:2px solid #222}
"""

_SCRIPT = """
const select = document.getElementById('rule');
const shown = document.getElementById('n-shown');
function apply() {
  const rule = select.value;
  let n = 0;
  document.querySelectorAll('.doc').forEach(doc => {
    const has = !rule || JSON.parse(doc.dataset.rules).includes(rule);
    doc.classList.toggle('hidden', !has);
    if (has) n++;
  });
  let lines = 0;
  document.querySelectorAll('del').forEach(d => {
    const on = rule && d.dataset.rule === rule;
    d.classList.toggle('match', on);
    if (on) lines++;
  });
  shown.textContent = rule ? `${n} documents, ${lines} lines taken by ${rule}` :
    `${n} documents`;
}
select.addEventListener('change', apply);
apply();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><style>{style}</style></head>
<body>
<h1>{title}</h1>
<p class="facts">cleaner {version}. Removed lines are struck through, coloured by the pack
of the rule that took them or by the stage; hover for the reason.</p>
{summary}
<div class="filter"><label>Rule or stage: <select id="rule"><option value="">all
documents</option>{options}</select></label> <span id="n-shown"></span>
<div>{legend}</div></div>
{documents}
<script>{script}</script>
</body></html>
"""
