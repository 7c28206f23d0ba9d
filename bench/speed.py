"""`make bench-speed`: single-core throughput on the dev dumps, peers in the same run.

Each system cleans the same pages in this process, one core, after a warm-up page (model
loading and rule compiling are per-process costs, reported separately); the systems take
turns over a few rounds and each keeps its best (the machines are shared and noisy). MB are
the UTF-8 bytes of the input: the dump for text-mode systems, the HTML for trafilatura.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import replace_section, results_parser, today, versions
from bench.quality import justext_lines, trafilatura_html


def load(shared: Path, limit: int) -> list[dict[str, str]]:
    out = []
    for name in ("scrapinghub", "wcxb_dev"):
        with gzip.open(shared / "bench" / "dev" / f"{name}.jsonl.gz", "rt") as handle:
            for line in handle:
                rec = json.loads(line)
                out.append({"dump": rec["dump"], "html": rec["html"]})
    return out[:limit] if limit else out


System = tuple[str, Callable[[dict[str, str]], object], list[dict[str, str]], str]


def measure(systems: list[System], rounds: int) -> list[tuple[str, float, float]]:
    """(name, MB/s, pages/s) of each system's best round. The systems take turns within a
    round, so that a busy spell of a shared machine slows a round of each, not one system's
    only run, and the ratios of the best rounds compare like with like."""
    best: dict[str, float] = {}
    for _name, fn, pages, _field in systems:
        fn(pages[0])  # first use: models loaded, patterns compiled
    for _ in range(rounds):
        for name, fn, pages, _field in systems:
            start = time.perf_counter()
            for page in pages:
                fn(page)
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    out = []
    for name, _fn, pages, field in systems:
        size = sum(len(p[field].encode()) for p in pages) / 1e6
        out.append((name, size / best[name], len(pages) / best[name]))
    return out


def cli_runs(pages: list[dict[str, str]], big_mb: int,
             rounds: int) -> list[tuple[str, float, float, float]]:
    """`cleaner clean --jobs N` on a JSONL of the dumps, timed (--jobs 1 and 2 taking turns,
    the best of `rounds` each), with the peak RSS of the largest process; then --jobs 1 and 2
    once each on the dumps repeated to `big_mb` MB: memory does not grow with the input, and
    the speed-up where the processes' start-up is amortised, as in a dataset run."""
    import subprocess
    import tempfile

    script = ("import resource, subprocess, sys; "
              "subprocess.run(sys.argv[1:], check=True); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "dumps.jsonl"
        big = Path(tmp) / "big.jsonl"
        lines = [json.dumps({"id": i, "text": page["dump"]}) + "\n"
                 for i, page in enumerate(pages)]
        src.write_text("".join(lines), encoding="utf-8")
        with big.open("w", encoding="utf-8") as handle:
            while handle.tell() < big_mb * 1_000_000:
                handle.writelines(lines)
        runs = [("--jobs 1", src, "1"), ("--jobs 2", src, "2")] * rounds
        if big_mb:
            size = f"{big.stat().st_size / 1e6:.0f} MB input"
            runs += [(f"--jobs 1, {size}", big, "1"), (f"--jobs 2, {size}", big, "2")]
        seconds_of: dict[str, float] = {}
        mbs_of: dict[str, float] = {}
        rss_of: dict[str, float] = {}  # the peak over the rounds
        for name, path, jobs in runs:
            size = path.stat().st_size / 1e6
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", script, sys.executable, "-m", "cleaner", "clean",
                 str(path), "-o", str(Path(tmp) / "out.jsonl"), "--jobs", jobs,
                 "--markup", "text"], capture_output=True, text=True)
            if proc.returncode != 0:
                sys.exit(f"cleaner clean {name} failed:\n{proc.stderr}")
            seconds = time.perf_counter() - start
            rss = int(proc.stdout.strip().splitlines()[-1]) / 1024
            rss_of[name] = max(rss, rss_of.get(name, 0.0))
            if seconds < seconds_of.get(name, float("inf")):
                seconds_of[name], mbs_of[name] = seconds, size / seconds
        for name, seconds in seconds_of.items():
            out.append((f"cleaner clean {name}", seconds, mbs_of[name], rss_of[name]))
    return out


HTML_STEP = 4


def one_file_runs(repeats: int = 5) -> tuple[float, float]:
    """Best of `repeats` wall times: the interpreter's own floor, and a one-file clean."""
    import subprocess

    repo = Path(__file__).resolve().parent.parent
    cleaner = Path(sys.executable).with_name("cleaner")
    # As installed: pip compiles a wheel's modules to bytecode, an editable install does not
    # when PYTHONDONTWRITEBYTECODE is set (as on the CI machines), and then every run
    # compiles the package's sources again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(repo / "cleaner")],
                   check=True, capture_output=True, env=env)

    def best(args: list[str]) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(args, cwd=repo, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return min(times)

    return (best([sys.executable, "-c", "pass"]),
            best([str(cleaner), "clean", "examples/page.txt"]))


def main() -> None:
    parser = results_parser(__doc__)
    parser.add_argument("--limit", type=int, default=0, help="Pages to use (0: all).")
    parser.add_argument("--big-mb", type=int, default=300,
                        help="Size of the repeated-dumps JSONL for the memory run (0: skip).")
    parser.add_argument("--rounds", type=int, default=3,
                        help="Rounds in which the systems take turns; each keeps its best.")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from cleaner import Cleaner

    pages = load(args.shared, args.limit)
    t0 = time.perf_counter()
    full = Cleaner()
    full.clean_text("warm up the model")
    startup = time.perf_counter() - t0
    rules = Cleaner(content=False)

    def jsonl_floor(page: dict[str, str]) -> object:
        return json.dumps({"text": json.loads(json.dumps({"text": page["dump"]}))["text"]})

    rows = measure([
        ("plain JSONL read and write (the floor)", jsonl_floor, pages, "dump"),
        ("cleaner full (rules + content model)", lambda p: full.clean_text(p["dump"]),
         pages, "dump"),
        ("cleaner --no-content", lambda p: rules.clean_text(p["dump"]), pages, "dump"),
        ("jusText on the dump lines", lambda p: justext_lines(p["dump"]), pages, "dump"),
        ("trafilatura on the HTML", lambda p: trafilatura_html(p["html"]), pages, "html"),
    ], args.rounds)
    table = ["| system | MB/s | pages/s |", "|---|---|---|"]
    for name, mbs, pps in rows:
        table.append(f"| {name} | {mbs:.2f} | {pps:.0f} |")
        print(table[-1], flush=True)
    html_pages = pages[::HTML_STEP]
    html_rows = measure([
        ("trafilatura alone", lambda p: trafilatura_html(p["html"]), html_pages, "html"),
        ("cleaner HTML mode (content model on)", lambda p: full.clean_html(p["html"]),
         html_pages, "html"),
    ], args.rounds)
    table += ["", f"HTML mode on every {HTML_STEP}th page ({len(html_pages)} pages), MB of "
              "HTML:", "", "| system | MB/s | pages/s |", "|---|---|---|"]
    for name, mbs, pps in html_rows:
        table.append(f"| {name} | {mbs:.2f} | {pps:.1f} |")
        print(table[-1], flush=True)
    table.append(f"\nHTML mode at {html_rows[1][2] / html_rows[0][2]:.2f}x trafilatura's "
                 "pages/s.")
    floor, one_file = one_file_runs()
    table += ["", f"A one-file run end to end (`cleaner clean examples/page.txt`, process start "
              f"included, best of 5): {one_file:.2f} s; `python -c pass`: {floor:.2f} s."]
    print(table[-1], flush=True)
    table += ["", "The command line on a JSONL of the same dumps (process start-up included):", "",
              "| run | seconds | MB/s | peak RSS, largest process (MB) |", "|---|---|---|---|"]
    timings = cli_runs(pages, args.big_mb, args.rounds)
    for name, seconds, mbs, rss in timings:
        table.append(f"| {name} | {seconds:.1f} | {mbs:.2f} | {rss:.0f} |")
        print(table[-1], flush=True)
    speedup = timings[0][1] / timings[1][1]
    table.append(f"\n`--jobs 2` over `--jobs 1`: {speedup:.2f}x on the dev dumps"
                 + (f", {timings[2][1] / timings[3][1]:.2f}x on the "
                    f"{timings[3][0].split(', ', 1)[1]}." if len(timings) == 4 else "."))
    print(table[-1], flush=True)
    stamp = today()
    used = versions("cleaner", "trafilatura", "jusText", "google-re2", "numpy")
    text = (f"## Speed, one core ({stamp})\n\n`make bench-speed` on {len(pages)} dev pages; "
            f"Python {platform.python_version()} on {platform.machine()}; {used}. "
            f"Start-up (rules compiled, model loaded): {startup:.2f} s. Each figure is the best "
            f"of {args.rounds} rounds in which the systems took turns.\n\n"
            + "\n".join(table) + "\n")
    replace_section(args.out, "## Speed, one core", text)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
