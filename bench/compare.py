"""Did a change move the cleaner's output on the dev pages? Snapshot before, snapshot after, diff.

A refactor or speed change must leave every dev page's output byte-identical; a fix that is
meant to change output must change only the pages it concerns. This script cleans every page
of ../shared/bench/dev with the shipped models, in text mode (the dump) and HTML mode (the
page's HTML), and stores a digest and the text of each output; `diff` lists the pages whose
output differs between two snapshots, and why in one line (lines gone, lines added).

    python -m bench.compare save before          # bench/out/compare/before.jsonl.gz
    ... change the code ...
    python -m bench.compare save after
    python -m bench.compare diff before after    # exit 1 when a page changed
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.common import DATASETS

REPO = Path(__file__).resolve().parent.parent

OUT = REPO / "bench" / "out" / "compare"
MODES = ("text", "html")

_CLEANER: Any = None


def _init(favor: str) -> None:
    global _CLEANER
    from cleaner.chain import Cleaner

    _CLEANER = Cleaner(favor=favor)


def _clean(task: tuple[str, str, str]) -> dict[str, str]:
    key, mode, value = task
    from cleaner.document import Document

    if mode == "text":
        result = _CLEANER.clean(Document(value, id=key), "text")
    else:
        result = _CLEANER.clean_html(value, id=key)
    text = result.text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return {"key": key, "mode": mode, "sha": digest, "text": text,
            "flags": ",".join(result.flags)}


def _tasks(shared: Path, limit: int | None, modes: tuple[str, ...] = MODES
           ) -> Iterator[tuple[str, str, str]]:
    for dataset in DATASETS:
        path = shared / "bench" / "dev" / f"{dataset}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                if limit is not None and n >= limit:
                    break
                record = json.loads(line)
                key = f"{dataset}/{record['id']}"
                if "text" in modes:
                    yield key, "text", record["dump"]
                if "html" in modes:
                    yield key, "html", record["html"]


def save(name: str, shared: Path, jobs: int, limit: int | None, favor: str = "balanced",
         modes: tuple[str, ...] = MODES) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{name}.jsonl.gz"
    t0 = time.time()
    count = 0
    context = multiprocessing.get_context("fork")
    partial = target.with_name(target.name + ".part")  # a snapshot cut short is no snapshot
    with context.Pool(jobs, initializer=_init, initargs=(favor,)) as pool, \
            gzip.open(partial, "wt", encoding="utf-8") as out:
        for row in pool.imap(_clean, _tasks(shared, limit, modes), chunksize=4):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    partial.replace(target)
    print(f"{target}: {count} outputs ({time.time() - t0:.0f} s)")
    return target


def load(name: str) -> dict[tuple[str, str], dict[str, str]]:
    path = Path(name) if name.endswith(".jsonl.gz") else OUT / f"{name}.jsonl.gz"
    if not path.is_file():
        known = ", ".join(sorted(p.name.removesuffix(".jsonl.gz")
                                 for p in OUT.glob("*.jsonl.gz"))) or "none"
        raise SystemExit(f"compare: no snapshot {path} (saved: {known}); "
                         f"`python -m bench.compare save {name}` makes it")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle)
        return {(r["key"], r["mode"]): r for r in rows}


def why(before: dict[str, str], after: dict[str, str]) -> str:
    """One line: how many lines the change took away and added, and one of each."""
    old = before["text"].splitlines()
    new = after["text"].splitlines()
    gone = [x for x in old if x not in set(new)]
    added = [x for x in new if x not in set(old)]
    parts = [f"-{len(gone)} +{len(added)} lines"]
    if before["flags"] != after["flags"]:
        parts.append(f"flags {before['flags'] or '-'} -> {after['flags'] or '-'}")
    if gone:
        parts.append(f"e.g. gone {gone[0][:70]!r}")
    if added:
        parts.append(f"e.g. added {added[0][:70]!r}")
    return "; ".join(parts)


def diff(a: str, b: str) -> int:
    before, after = load(a), load(b)
    changed = 0
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            print(f"{key[1]:<4} {key[0]}: only in {'after' if old is None else 'before'}")
            changed += 1
        elif old["sha"] != new["sha"] or old["flags"] != new["flags"]:
            print(f"{key[1]:<4} {key[0]}: {why(old, new)}")
            changed += 1
    for mode in MODES:
        total = sum(1 for k in before if k[1] == mode)
        if not total:
            continue
        moved = sum(1 for k in before if k[1] == mode and k in after
                    and before[k]["sha"] != after[k]["sha"])
        print(f"{mode}: {moved} of {total} pages changed")
    return 1 if changed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_save = sub.add_parser("save", help="Clean every dev page and store the outputs.")
    p_save.add_argument("name")
    p_save.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    p_save.add_argument("--jobs", "-j", type=int, default=2)
    p_save.add_argument("--limit", type=int, default=None,
                        help="Only the first N pages of each set (a quick look).")
    p_save.add_argument("--favor", default="balanced", help="The --favor to clean with.")
    p_save.add_argument("--modes", default=",".join(MODES),
                        help="Comma-separated: text, html (default both).")
    p_diff = sub.add_parser("diff", help="List the pages whose output differs.")
    p_diff.add_argument("before")
    p_diff.add_argument("after")
    args = parser.parse_args()
    if args.command == "save":
        modes = tuple(m for m in args.modes.split(",") if m in MODES)
        save(args.name, args.shared, args.jobs, args.limit, args.favor, modes)
    else:
        sys.exit(diff(args.before, args.after))


if __name__ == "__main__":
    main()
