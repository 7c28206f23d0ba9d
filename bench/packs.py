"""`make bench-quality`, per rule pack: what each pack adds, and what it takes from gold text.

For each pack: corpus F1 of cleaner rules only (no content model, so the pack's own effect
shows) with every pack, minus the F1 with that pack disabled; and the lines of the gold texts
that the pack removes (each a false removal), against the 0.1% limit. Writes its section of
bench/RESULTS.md.
"""

from __future__ import annotations

import time

from bench.common import DATASETS, replace_section, results_parser, scorer, summarise, today
from cleaner.chain import Cleaner
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.corpus import MAX_FALSE_SHARE, check_corpus
from cleaner.rulebook.loader import load_packs
from training.text import records


def main() -> None:
    parser = results_parser(__doc__)
    args = parser.parse_args()
    score = scorer(args.shared)
    dev = args.shared / "bench" / "dev"
    t0 = time.time()
    recs = {d: list(records(dev / f"{d}.jsonl.gz")) for d in DATASETS}
    packs = load_packs(())
    report = check_corpus(RuleSet.from_packs(packs),
                          (r.get("gold") or "" for d in DATASETS for r in recs[d]))
    by_pack = report.by_pack()

    def f1(cleaner: Cleaner, dataset: str) -> float:
        pairs = [(r.get("gold") or "", cleaner.clean_text(r["dump"])) for r in recs[dataset]]
        return summarise(score, pairs)["F1"]

    full = {d: f1(Cleaner(content=False), d) for d in DATASETS}
    lines = ["| pack | rules | F1 added, scrapinghub | F1 added, wcxb_dev | gold lines removed "
             "| share of gold lines |", "|---|---|---|---|---|---|"]
    for pack in packs:
        without = Cleaner(content=False, disable=[pack.name])
        gains = [full[d] - f1(without, d) for d in DATASETS]
        removed = by_pack.get(pack.name, 0)
        share = removed / max(report.lines, 1)
        flag = " (over the limit)" if share > MAX_FALSE_SHARE else ""
        lines.append(f"| {pack.name} | {len(pack.rules)} | {gains[0]:+.4f} | {gains[1]:+.4f} | "
                     f"{removed} | {share:.3%}{flag} |")
        print(lines[-1], flush=True)
    stamp = today()
    text = (f"## Rule packs ({stamp})\n\n`make bench-quality`: cleaner rules only (no content "
            f"model) on the dev dumps; F1 added is F1 with every pack minus F1 with the pack "
            f"disabled. Gold lines removed: lines of the {report.documents} gold texts "
            f"({report.lines} lines) that the pack takes, each a false removal; the limit is "
            f"{MAX_FALSE_SHARE:.1%}. Rules only, all packs: scrapinghub F1 "
            f"{full['scrapinghub']:.3f}, wcxb_dev {full['wcxb_dev']:.3f}.\n\n"
            + "\n".join(lines) + "\n")
    replace_section(args.out, "## Rule packs", text)
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
