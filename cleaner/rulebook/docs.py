"""docs/rules.md, generated from the packs: what each rule takes, and proof by example.

Written by `cleaner rules docs -o docs/rules.md`; a test regenerates it and fails on any
difference, so the page never drifts from the packs.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.rulebook.model import Pack, Rule


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ⏎ ").strip()


def _examples(items: Sequence[str]) -> str:
    return "<br>".join(f"`{_cell(x)}`" if "`" not in x else _cell(x) for x in items)


def _match(rule: Rule) -> str:
    shown = ", ".join(f"`{_cell(p)}`" if "`" not in p else _cell(p) for p in rule.patterns[:4])
    more = f" (+{len(rule.patterns) - 4} more)" if len(rule.patterns) > 4 else ""
    return f"{rule.kind}: {shown}{more}"


def render(packs: Sequence[Pack]) -> str:
    rules = sum(len(p.rules) for p in packs)
    langs = sorted({lang for p in packs for r in p.rules for lang in r.lang})
    out = [
        "# Rule packs",
        "",
        "Generated from `rules/*.yaml` by `cleaner rules docs -o docs/rules.md`; do not edit.",
        "",
        f"{len(packs)} packs, {rules} rules; languages with their own rules: "
        f"{', '.join(langs) or 'none'} (rules without a language run on every page).",
        "",
    ]
    for pack in packs:
        out += [f"## {pack.name}", "", pack.description.strip(), "",
                "| rule | action | lang | what it takes | match | drop examples | "
                "keep examples |", "|---|---|---|---|---|---|---|"]
        for rule in pack.rules:
            out.append(
                f"| `{rule.id}` | {rule.action} | {','.join(rule.lang) or '*'} | "
                f"{_cell(rule.description)} | {_match(rule)} | "
                f"{_examples(rule.examples.drop)} | {_examples(rule.examples.keep)} |")
        out.append("")
    return "\n".join(out)
