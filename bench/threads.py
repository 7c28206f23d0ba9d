"""The threads stage on the labelled comment-thread pages of tests/cases/threads (written for
the project: several thread styles and languages, an article about comments, a forum thread).

Each page is cleaned whole (every stage on, `comments="drop"`). A line is taken as a comment
when the threads stage or a rule of the comments pack removes it (the pack takes a thread's
buttons and headings first, the stage the records). Recall: the share of the comment-thread
lines (`C`) so taken; precision: the share of the lines so taken that are not the page's
content (`A`); chrome (`X`) taken with a thread is no error. Content lines the cleaner drops
by any stage are counted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.common import replace_section, results_parser, today
from cleaner.chain import Cleaner

CASES = Path(__file__).resolve().parents[1] / "tests" / "cases" / "threads"


@dataclass(frozen=True)
class LabelledPage:
    name: str
    text: str
    labels: tuple[str, ...]  # one per line: "A", "C", "X" or "" for a blank line


def read_case(path: Path) -> LabelledPage:
    lines: list[str] = []
    labels: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw == ".":
            lines.append("")
            labels.append("")
            continue
        label, sep, text = raw.partition(" ")
        if label not in ("A", "C", "X") or not sep:
            raise ValueError(f"{path}:{number}: a line starts with A, C or X and a space")
        lines.append(text)
        labels.append(label)
    return LabelledPage(path.stem, "\n".join(lines) + "\n", tuple(labels))


def cases() -> list[LabelledPage]:
    return [read_case(p) for p in sorted(CASES.glob("*.txt"))]


@dataclass(frozen=True)
class Counts:
    taken_comment: int  # C lines taken as comments
    taken_other: int  # A lines taken as comments
    comments: int  # C lines
    content_lost: int  # A lines dropped by any stage
    content: int


def measure(page: LabelledPage, cleaner: Cleaner) -> Counts:
    result = cleaner.clean(page.text, "text")
    by_threads = {r.line - 1 for r in result.removals if r.reason.action != "strip" and (
        r.reason.stage == "threads" or (r.reason.rule_id or "").startswith("comments."))}
    dropped = {r.line - 1 for r in result.removals if r.reason.action != "strip"}
    labels = page.labels
    return Counts(
        taken_comment=sum(1 for i in by_threads if labels[i] == "C"),
        taken_other=sum(1 for i in by_threads if labels[i] == "A"),
        comments=labels.count("C"),
        content_lost=sum(1 for i in dropped if labels[i] == "A"),
        content=labels.count("A"),
    )


def table() -> tuple[str, float, float]:
    cleaner = Cleaner()
    rows = ["| page | comment lines | taken as comments (comment / content) | content lost |",
            "|---|---|---|---|"]
    total = Counts(0, 0, 0, 0, 0)
    for page in cases():
        c = measure(page, cleaner)
        rows.append(f"| {page.name} | {c.comments} | {c.taken_comment} / {c.taken_other} | "
                    f"{c.content_lost} of {c.content} |")
        total = Counts(*(a + b for a, b in zip(vars(total).values(), vars(c).values(),
                                               strict=True)))
    taken = total.taken_comment + total.taken_other
    precision = total.taken_comment / taken if taken else 1.0
    recall = total.taken_comment / total.comments if total.comments else 1.0
    rows.append(f"| all | {total.comments} | {total.taken_comment} / {total.taken_other} | "
                f"{total.content_lost} of {total.content} |")
    rows.append(f"\nComment handling: precision {precision:.3f}, recall {recall:.3f} "
                f"(lines; {len(cases())} pages, measured {today()}).")
    return "\n".join(rows), precision, recall


HEADING = "## Comment threads (labelled test pages)"


def main() -> None:
    args = results_parser(__doc__).parse_args()
    text, _, _ = table()
    print(text)
    replace_section(args.out, HEADING, f"{HEADING}\n\n{text}\n")


if __name__ == "__main__":
    main()
