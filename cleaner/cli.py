"""The `cleaner` command. Thin: it parses options, builds a `Cleaner`, wires readers to writers.

Exit codes: 0 ok; 1 a check found something (`rules test` failures); 2 a usage, rule or input
error, reported in one line on stderr without a traceback.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, BinaryIO, TextIO

import typer

from cleaner import __version__, config
from cleaner.chain import Cleaner
from cleaner.check import check_files
from cleaner.document import Document, Result
from cleaner.errors import CleanerError, InputError, UsageError
from cleaner.io.atomic import atomic_writer
from cleaner.io.jsonl import dump_record, read_records, write_raw
from cleaner.io.text import decode, encode
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import load_packs, pack_files
from cleaner.rulebook.selftest import cases
from cleaner.stats import RunStats, provenance, write_json
from cleaner.views import explain_lines, unified_diff

app = typer.Typer(
    name="cleaner",
    help="Strip boilerplate from scraped web pages: keep the article, drop the site chrome.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="List and test the rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

STDIO = "-"
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


class Favor(str, Enum):
    balanced = "balanced"
    precision = "precision"
    recall = "recall"


class OnError(str, Enum):
    fail = "fail"
    keep = "keep"
    skip = "skip"


class Format(str, Enum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"


DedupOpt = Annotated[bool | None, typer.Option(
    "--dedup/--no-dedup", help="Drop repeated paragraphs (default: on).", show_default=False)]
ContentOpt = Annotated[bool | None, typer.Option(
    "--content/--no-content", help="The learned content stage (default: on); --no-content "
    "is rules only.", show_default=False)]
FavorOpt = Annotated[Favor | None, typer.Option(
    "--favor", help="Move the content stage's threshold toward dropping (precision) or "
    "keeping (recall); default balanced.", show_default=False)]
RulesOpt = Annotated[list[Path] | None, typer.Option(
    "--rules", help="Extra rule pack file or folder (repeatable).")]
DisableOpt = Annotated[list[str] | None, typer.Option(
    "--disable", help="Turn off a rule id or a whole pack (repeatable).")]


def _build(settings: config.Settings, rules: list[Path] | None, disable: list[str] | None,
           content: bool | None, dedup: bool | None, favor: Favor | None,
           repair: bool = True) -> Cleaner:
    """The Cleaner the command line asks for, over the settings of the configuration file."""
    return Cleaner(
        rules=[*settings.values.get("rules", []), *(rules or [])],
        disable=[*settings.values.get("disable", []), *(disable or [])],
        keep=settings.values.get("keep", []),
        content=settings.get("content", content, True),
        dedup=settings.get("dedup", dedup, True),
        favor=settings.get("favor", favor.value if favor else None, "balanced"),
        repair=repair,
    )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Strip boilerplate from scraped web pages: keep the article, drop the site chrome."""


@contextlib.contextmanager
def _reported() -> Iterator[None]:
    """User errors become one line on stderr and exit 2."""
    try:
        yield
    except CleanerError as exc:
        typer.echo(f"cleaner: error: {exc}", err=True)
        raise typer.Exit(2) from None


# -- clean ----------------------------------------------------------------------------------
@app.command()
def clean(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Input files; none or '-' reads stdin.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Output file, or folder for many inputs (written atomically). "
        "Default: stdout.")] = None,
    fmt: Annotated[Format, typer.Option(
        "--format", help="Input format; auto goes by suffix (.jsonl is JSONL, else text); "
        "stdin is text unless given.")] = Format.auto,
    field: Annotated[str | None, typer.Option(
        "--field", help="JSONL field holding the text (default: text).")] = None,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print a unified diff of what would go, not the clean text.")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", help="Write one JSON line per removal to this file ('-' = stderr).")] = None,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    no_repair: Annotated[bool, typer.Option("--no-repair", help="Skip unicode repair.")] = False,
    dedup: DedupOpt = None,
    content: ContentOpt = None,
    favor: FavorOpt = None,
    on_error: Annotated[OnError, typer.Option(
        "--on-error", help="A JSONL line that is not a JSON object: fail (exit 2, naming "
        "file and line), keep it unchanged, or skip it (counted in --stats).")
    ] = OnError.fail,
    stats: Annotated[bool, typer.Option(
        "--stats", help="Print run statistics (and what cleaned it) on stderr.")] = False,
    stats_json: Annotated[str | None, typer.Option(
        "--stats-json", help="Write the run statistics to this file as JSON.")] = None,
) -> None:
    """Clean pages: text or JSONL in, the article text out."""
    with _reported():
        settings = config.find()
        cleaner = _build(settings, rules, disable, content, dedup, favor, repair=not no_repair)
        field = settings.get("field", field, "text")
        inputs = [str(p) for p in paths] if paths else [STDIO]
        plan = _plan(inputs, output, diff)
        with _explain_sink(explain) as sink:
            job = _Job(cleaner, fmt, field, diff, sink, on_error)
            for target, group in plan:
                with _open_target(target) as handle:
                    for name in group:
                        job.run(name, handle)
        if stats or stats_json:
            prov = provenance([p.path for p in cleaner.packs], cleaner.model_digest())
            if stats:
                job.stats.write_table(sys.stderr, prov)
            if stats_json:
                write_json(stats_json, job.stats, prov)


def _plan(inputs: list[str], output: Path | None,
          diff: bool) -> list[tuple[Path | None, list[str]]]:
    """Which inputs go to which output: stdout, one file, or one file each in a folder."""
    if output is None:
        return [(None, inputs)]
    resolved = {Path(p).resolve() for p in inputs if p != STDIO}
    folder = output.is_dir() or str(output).endswith(("/", "\\")) or len(inputs) > 1
    if not folder:
        if output.resolve() in resolved:
            raise UsageError(f"-o {output}: that is an input file; cleaner never writes over "
                             "its input this way")
        return [(output, inputs)]
    if STDIO in inputs:
        raise UsageError("-o names a folder, but stdin has no file name to write under")
    plan: list[tuple[Path | None, list[str]]] = []
    for name in inputs:
        rel = Path(name)
        if rel.is_absolute() or ".." in rel.parts:
            rel = Path(rel.name)
        target = output / rel
        if target.resolve() in resolved:
            raise UsageError(f"-o {output}: would write {target} over an input file")
        plan.append((target, [name]))
    return plan


@contextlib.contextmanager
def _open_target(target: Path | None) -> Iterator[BinaryIO]:
    if target is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_writer(target) as handle:
        yield handle


@contextlib.contextmanager
def _explain_sink(explain: str | None) -> Iterator[TextIO | None]:
    if explain is None:
        yield None
    elif explain == STDIO:
        yield sys.stderr
    else:
        try:
            handle = open(explain, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"--explain {explain}: cannot write ({exc.strerror})") from None
        with handle:
            yield handle


@contextlib.contextmanager
def _open_input(name: str) -> Iterator[BinaryIO]:
    if name == STDIO:
        yield sys.stdin.buffer
        return
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a folder; name the files to clean")
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror})") from None
    with handle:
        yield handle


class _Job:
    """One `clean` invocation's settings, applied to each input in turn."""

    def __init__(self, cleaner: Cleaner, fmt: Format, field: str, diff: bool,
                 explain: TextIO | None, on_error: OnError = OnError.fail) -> None:
        self.cleaner = cleaner
        self.fmt = fmt
        self.field = field
        self.diff = diff
        self.explain = explain
        self.on_error = on_error
        self.stats = RunStats()

    def format_of(self, name: str) -> Format:
        if self.fmt is not Format.auto:
            return self.fmt
        return Format.jsonl if name.lower().endswith(JSONL_SUFFIXES) else Format.text

    def run(self, name: str, handle: BinaryIO) -> None:
        label = "<stdin>" if name == STDIO else name
        with _open_input(name) as stream:
            if self.format_of(name) is Format.jsonl:
                self._run_jsonl(stream, label, handle)
            else:
                result = self.cleaner.clean(Document(decode(stream.read()), id=label))
                self._report(result, label)
                if not self.diff:
                    handle.write(encode(result.text))

    def _run_jsonl(self, stream: BinaryIO, label: str, handle: BinaryIO) -> None:
        for record in read_records(stream, label, strict=self.on_error is OnError.fail):
            if record.error is not None:
                if self.on_error is OnError.keep:
                    self.stats.records_kept_invalid += 1
                    if not self.diff:
                        write_raw(handle, record)
                else:
                    self.stats.records_skipped += 1
                continue
            text = record.text(self.field)
            if text is None:
                if record.data is not None:
                    self.stats.records_without_field += 1
                if not self.diff:
                    write_raw(handle, record)
                continue
            doc_id = record.doc_id(label)
            result = self.cleaner.clean(Document(text, id=doc_id))
            self._report(result, f"{label}:{record.line_no}")
            if self.diff:
                continue
            if result.changed:
                handle.write(dump_record(record, self.field, result.text))
            else:
                write_raw(handle, record)

    def _report(self, result: Result, name: str) -> None:
        self.stats.add(result)
        if self.diff and result.changed:
            sys.stdout.write(unified_diff(result, name))
        if self.explain is not None:
            for line in explain_lines(result):
                self.explain.write(line + "\n")


# -- check ----------------------------------------------------------------------------------
@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Files to check.", show_default=False)],
    fix: Annotated[bool, typer.Option(
        "--fix", help="Rewrite changed files in place (atomically); print 'Fixing <file>'.")
    ] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print the diff of what would go; write nothing.")] = False,
    field: Annotated[str | None, typer.Option(
        "--field", help="JSONL field holding the text (default: text).")] = None,
    markup: Annotated[str, typer.Option(
        "--markup", help="'html' also cleans .html files (by default they are left alone).")
    ] = "text",
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    dedup: DedupOpt = None,
    content: ContentOpt = None,
    favor: FavorOpt = None,
) -> None:
    """Check files the way a pre-commit hook does: exit 1 when any would change (or changed)."""
    with _reported():
        if fix and diff:
            raise UsageError("--fix and --diff: choose one (--diff writes nothing)")
        settings = config.find()
        cleaner = _build(settings, rules, disable, content, dedup, favor)
        reports = check_files(paths, cleaner, fix=fix,
                              field=settings.get("field", field, "text"),
                              html=markup == "html")
        status = 0
        for report in reports:
            if report.skipped:
                typer.echo(f"Skipping {report.path}: {report.skipped}", err=True)
            elif report.changed:
                status = 1
                if fix:
                    typer.echo(f"Fixing {report.path}")
                elif diff:
                    before = report.before.splitlines(keepends=True)
                    after = report.after.splitlines(keepends=True)
                    sys.stdout.write("".join(difflib.unified_diff(
                        before, after, fromfile=f"a/{report.path}", tofile=f"b/{report.path}",
                        n=1)))
                else:
                    typer.echo(f"Would fix {report.path}")
        raise typer.Exit(status)


# -- rules ----------------------------------------------------------------------------------
@rules_app.command("list")
def rules_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per rule.")] = False,
    rules: RulesOpt = None,
) -> None:
    """Every rule: id, pack, action, languages and description (--json adds examples)."""
    with _reported():
        packs = load_packs(rules or ())
        for pack in packs:
            for rule in pack.rules:
                if as_json:
                    typer.echo(json.dumps(rule.as_dict(), ensure_ascii=False))
                else:
                    lang = ",".join(rule.lang) or "*"
                    typer.echo(f"{rule.id:<34} {rule.action:<10} {lang:<6} "
                               f"{rule.description.splitlines()[0][:80]}")


@rules_app.command("test")
def rules_test(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Pack files or folders to test; default: the built-in packs.",
        show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Name every case.")] = False,
) -> None:
    """Run every rule's drop and keep examples; exit 1 if any fails."""
    with _reported():
        only: set[str] | None = None
        if files:
            only = {str(p) for p in pack_files(files)}
        packs = load_packs([Path(f) for f in sorted(only)] if only else ())
        everything = RuleSet.from_packs(packs)
        failures = 0
        total = 0
        for case in cases(packs, only):
            total += 1
            problem = case.check(everything)
            if problem:
                failures += 1
                typer.echo(f"FAIL {problem}")
            elif verbose:
                typer.echo(f"ok   {case.id}")
        rule_count = sum(len(p.rules) for p in packs if only is None or p.path in only)
        typer.echo(f"{rule_count} rules, {total} examples: {total - failures} passed, "
                   f"{failures} failed")
        if failures:
            raise typer.Exit(1)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: a closed pipe ends quietly, Ctrl-C exits 130, no tracebacks."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="cleaner")
    except BrokenPipeError:
        # The reader went away (`| head`): point stdout at /dev/null so that the interpreter's
        # final flush cannot fail again, and end quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
