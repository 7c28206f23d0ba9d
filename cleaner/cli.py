"""The `cleaner` command. Thin: it parses options, builds a `Cleaner`, wires readers to writers.

Exit codes: 0 ok; 1 a check found something (`rules test` failures); 2 a usage, rule or input
error, reported in one line on stderr without a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TextIO

import typer

# The commands' own modules (check, learn, the rules' docs, self-test and corpus check) are
# imported by the commands: a one-file `clean` does not load them.
from cleaner import __version__, config
from cleaner.chain import Cleaner
from cleaner.errors import CleanerError, UsageError
from cleaner.filetypes import normalise_suffixes
from cleaner.io import formats
from cleaner.io.atomic import atomic_writer
from cleaner.options import CheckMarkup, Comments, Favor, Markup, OnError, Options, OutputFormat
from cleaner.parallel import default_jobs
from cleaner.progress import Progress
from cleaner.report import DEFAULT_SAMPLE, DEFAULT_SEED, SampledDocument
from cleaner.rulebook.compiler import RuleSet
from cleaner.rulebook.loader import load_packs, pack_files
from cleaner.runner import (
    DEFAULT_GLOB,
    STDIO,
    JobSpec,
    Target,
    expand_inputs,
    in_place_plan,
    input_size,
    output_plan,
    read_documents,
    run,
)
from cleaner.stats import RunStats, provenance, write_json

# -h as well as --help, on every command.
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    name="cleaner",
    help="Strip boilerplate from scraped web pages: keep the article, drop the site chrome.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
)
rules_app = typer.Typer(help="List and test the rule packs.", no_args_is_help=True,
                        context_settings=HELP_OPTIONS)
app.add_typer(rules_app, name="rules")



def _format(value: str) -> str:
    """--format: 'auto' or a registered format's name (io/formats.py): a one-line error
    otherwise."""
    if value != formats.AUTO:
        formats.adapter(value)
    return value


FormatOpt = Annotated[str, typer.Option(
    "--format", metavar="|".join(formats.names()),
    help="Input format: auto goes by suffix (.jsonl JSONL, .parquet Parquet, .warc/.wet "
    "WARC, else text; .gz/.zst read transparently); stdin is text unless given.")]


DedupOpt = Annotated[bool | None, typer.Option(
    "--dedup/--no-dedup", help="Drop repeated paragraphs (default: on).", show_default=False)]
ContentOpt = Annotated[bool | None, typer.Option(
    "--content/--no-content", help="The learned content stage (default: on); --no-content "
    "is rules only.", show_default=False)]
FavorOpt = Annotated[Favor | None, typer.Option(
    "--favor", help="Move the content stage's decision toward dropping (precision: it "
    "maximises each page's expected F0.5) or keeping (recall: F2); default balanced (F1).",
    show_default=False)]
CommentsOpt = Annotated[Comments | None, typer.Option(
    "--comments", help="A thread of readers' comments under an article: drop it (the "
    "default) or keep it; its reply, report and score buttons go either way, and a forum's "
    "posts stay either way.", show_default=False)]
MaxRemovalOpt = Annotated[float | None, typer.Option(
    "--max-removal", help="Guard: a document of 100+ words that would lose more than this "
    "share of its words keeps its best block instead, flagged in --stats and --explain "
    "(default 0.95; 1 turns the guard off).", min=0.0, max=1.0, show_default=False)]
MaxDocOpt = Annotated[int | None, typer.Option(
    "--max-doc-bytes", help="A document larger than this (HTML: four times this) is written "
    "through unchanged, counted and flagged 'oversize' (default 2097152; 0: no limit).",
    min=0, show_default=False)]
RulesOpt = Annotated[list[Path] | None, typer.Option(
    "--rules", help="Extra rule pack file or folder (repeatable).")]
DisableOpt = Annotated[list[str] | None, typer.Option(
    "--disable", help="Turn off a rule id or a whole pack (repeatable).")]
SuffixOpt = Annotated[list[str] | None, typer.Option(
    "--suffix", help="With --in-place and check: also rewrite files with this suffix as "
    "scraped text (repeatable; by default only .txt, .jsonl and their kin).",
    show_default=False)]
NoRepairOpt = Annotated[bool, typer.Option("--no-repair", help="Skip unicode repair.")]


def _options(settings: config.Settings, rules: list[Path] | None, disable: list[str] | None,
             no_repair: bool, **given: Any) -> Options:
    """The cleaning options the command line asks for (None: not given), over the
    configuration file's; every command that cleans takes the same flags."""
    return settings.options(rules=[str(p) for p in rules or ()], disable=disable,
                            repair=False if no_repair else None, **given)


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
    """User errors become one line on stderr and exit 2; so do the system's errors that reach
    this far (a full disk under stdout, say), named by the file they concern."""
    try:
        yield
    except CleanerError as exc:
        typer.echo(f"cleaner: error: {exc}", err=True)
        raise typer.Exit(2) from None
    except BrokenPipeError:  # the reader went away (`| head`): end quietly, exit 0
        _quiet_stdout()
        raise typer.Exit(0) from None
    except OSError as exc:
        where = exc.filename or "<stdout>"
        typer.echo(f"cleaner: error: {where}: {exc.strerror or exc}", err=True)
        _quiet_stdout()
        raise typer.Exit(2) from None
    except EOFError as exc:  # a compressed input cut short, seen outside the readers
        typer.echo(f"cleaner: error: an input ends too early ({exc})", err=True)
        raise typer.Exit(2) from None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's final flush of what could not be
    written cannot fail again (and print a second, longer error)."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# A content removal in --explain names this many features of the line's own model, and as
# many of the second stage's.
EXPLAIN_EVIDENCE = 3


# -- clean ----------------------------------------------------------------------------------
@app.command()
def clean(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Input files or folders (a folder's files are cleaned, recursively, see "
        "--glob); none or '-' reads stdin.", show_default=False)] = None,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", help="Output file, or folder for many inputs or a name ending in "
        "'/' (written atomically; inputs keep their layout below their common folder, a "
        "folder's files below that folder). Default: stdout (text documents one blank line "
        "apart).", show_default=False)] = None,
    glob: Annotated[str, typer.Option(
        "--glob", help="With a folder as input: the files to clean, by name ('*.txt') or "
        "path below the folder ('2024/**/*.jsonl'); hidden files are left out.")
    ] = DEFAULT_GLOB,
    fmt: FormatOpt = "auto",
    field: Annotated[str | None, typer.Option(
        "--field", help="JSONL or Parquet field holding the text (default: text).")] = None,
    output_field: Annotated[str | None, typer.Option(
        "--output-field", help="Write the clean text to this field and keep the original "
        "(JSONL and Parquet).", show_default=False)] = None,
    url_field: Annotated[str, typer.Option(
        "--url-field", help="JSONL field or Parquet column with the page's URL: rules with "
        "'where: {site: ...}' apply only to pages of that site.")] = "url",
    overwrite_field: Annotated[bool, typer.Option(
        "--overwrite-field", help="Let --output-field replace a field or column the input "
        "already has (without it, that is an error).")] = False,
    in_place: Annotated[bool, typer.Option(
        "--in-place", "-i", help="Rewrite each input file with its clean version, "
        "atomically (text, JSONL, Parquet).")] = False,
    markup: Annotated[Markup, typer.Option(
        "--markup", help="auto: a document (file, stdin or field value) that looks like HTML "
        "(a doctype, <html>, or dense tags) is cleaned as HTML; text or html force it.")
    ] = "auto",
    meta: Annotated[bool, typer.Option(
        "--meta", help="Add fields to each record (JSONL, Parquet and WARC output): "
        "page_type, page_type_prob and quality (the estimated F1 of the clean text), and "
        "an HTML page's title, author, date, url and sitename.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar on stderr (it shows only on a terminal).")
    ] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="A line on stderr per input file: documents, bytes in and "
        "out, what was removed; and each file skipped, and why.")] = False,
    diff: Annotated[bool, typer.Option(
        "--diff", help="Print a unified diff of what would go, not the clean text.")] = False,
    explain: Annotated[str | None, typer.Option(
        "--explain", help="Write one JSON line per removal to this file ('-' = stderr); a "
        "content removal also names the features that weighed most.")] = None,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    no_repair: NoRepairOpt = False,
    suffix: SuffixOpt = None,
    dedup: DedupOpt = None,
    content: ContentOpt = None,
    favor: FavorOpt = None,
    comments: CommentsOpt = None,
    max_removal: MaxRemovalOpt = None,
    max_doc_bytes: MaxDocOpt = None,
    output_format: Annotated[OutputFormat | None, typer.Option(
        "--output-format", help="text, or markdown: the kept lines with the page's headings "
        "(#), list items (-, 1.), tables (pipe tables) and code (fenced); from HTML input "
        "(a text document's Markdown is its text, escaped). Written to -o folders as .md.",
        show_default=False)] = None,
    on_error: Annotated[OnError, typer.Option(
        "--on-error", help="A JSONL line that is not a JSON object: fail (exit 2, naming "
        "file and line), keep it unchanged, or skip it (counted in --stats).")
    ] = "fail",
    stats: Annotated[bool, typer.Option(
        "--stats", help="Print run statistics (and what cleaned it) on stderr, with "
        "documents per page type and a histogram of the quality estimate.")] = False,
    stats_json: Annotated[str | None, typer.Option(
        "--stats-json", help="Write the run statistics to this file as JSON.")] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Worker processes (default: all cores; one for a single text "
        "file). Output is identical for any number.", show_default=False)] = None,
) -> None:
    """Clean pages: text, JSONL, Parquet or WARC in, the article text out."""
    with _reported():
        settings = config.find()
        options = _options(settings, rules, disable, no_repair, content=content, dedup=dedup,
                           favor=favor, comments=comments, max_removal=max_removal,
                           max_doc_bytes=max_doc_bytes, output_format=output_format,
                           evidence=EXPLAIN_EVIDENCE if explain is not None else None)
        if in_place and options.output_format == "markdown":
            raise UsageError("--in-place with --output-format markdown: in place, a file is "
                             "rewritten as its clean self; write the Markdown with -o")
        if jobs is not None and jobs < 1:
            raise UsageError(f"--jobs {jobs}: at least one worker is needed (the default "
                             "is all cores)")
        cleaner = Cleaner(options)  # built here first: bad rules fail before any work
        found = expand_inputs([str(p) for p in paths] if paths else [STDIO], glob,
                              allow_empty=in_place)
        for name in found.empty:
            typer.echo(f"Skipping {name}: a folder with no file matching --glob {glob!r}",
                       err=True)
        inputs = found.files
        spec = JobSpec(options=options, fmt=_format(fmt),
                       field=settings.get("field", field, "text"), output_field=output_field,
                       diff=diff, explain=explain is not None, on_error=on_error,
                       overwrite_field=overwrite_field, url_field=url_field,
                       markup=markup, meta=meta, page_stats=stats or bool(stats_json))
        suffixes = normalise_suffixes([*settings.values.get("suffixes", []), *(suffix or [])])
        if in_place:
            plan, skipped = in_place_plan(inputs, output, spec, suffixes)
            for name, reason in skipped:
                if verbose or name not in found.roots:  # a folder's other files: quietly
                    typer.echo(f"Skipping {name}: {reason}", err=True)
        else:
            plan = output_plan(inputs, output, spec, found.roots)
        if meta and not _meta_has_a_place(plan, spec):
            typer.echo("cleaner: note: --meta adds fields to JSONL, Parquet and WARC output; "
                       "plain text output has no place for them", err=True)
        if jobs is None:
            single = len(inputs) == 1 and formats.format_of(inputs[0], fmt).name == "text"
            jobs = 1 if single else default_jobs()
        with _explain_sink(explain) as sink:
            progress = Progress(enabled=False if quiet else None,  # None: on a terminal
                                total=input_size(inputs))
            run_stats = run(plan, spec, jobs, sink, progress,
                            _file_line if verbose else None)
        if stats or stats_json:
            prov = provenance([p.path for p in cleaner.packs], cleaner.model_digest())
            if stats:
                run_stats.write_table(sys.stderr, prov)
            if stats_json:
                write_json(stats_json, run_stats, prov)


def _meta_has_a_place(plan: Sequence[Target], spec: JobSpec) -> bool:
    """Whether any output takes --meta's fields (a record format, not plain text)."""
    for target in plan:
        for name in target.inputs:
            adapter = formats.format_of(name, spec.fmt)
            kind = formats.output_kind(adapter, target.path.name if target.path else None)
            if kind != "text":
                return True
    return False


def _file_line(label: str, stats: RunStats) -> None:
    """--verbose: what one input came to."""
    share = 1 - stats.bytes_out / stats.bytes_in if stats.bytes_in else 0.0
    top = ", ".join(f"{k} {v}" for k, v in stats.stages.most_common(3))
    typer.echo(f"cleaner: {label}: {stats.documents} document{'s' * (stats.documents != 1)}"
               f" ({stats.changed} changed), {stats.bytes_in:,} -> {stats.bytes_out:,} bytes "
               f"({share:.1%} removed){'; lines removed by ' + top if top else ''}", err=True)


@contextlib.contextmanager
def _explain_sink(explain: str | None) -> Iterator[TextIO | None]:
    """Where --explain goes: stderr, or a file written atomically like every output."""
    if explain is None:
        yield None
    elif explain == STDIO:
        yield sys.stderr
    else:
        with atomic_writer(Path(explain)) as handle:
            yield _TextSink(handle)  # type: ignore[misc]


class _TextSink:
    """Text lines into an atomic binary output."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def write(self, text: str) -> int:
        return self._handle.write(text.encode("utf-8", "surrogatepass"))


# -- learn ----------------------------------------------------------------------------------
@app.command()
def learn(
    paths: Annotated[list[Path], typer.Argument(help="Text, JSONL, Parquet or WET files "
                                                "(.gz/.zst too).",
                                                show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The pack to write (YAML).")],
    fmt: FormatOpt = "auto",
    field: Annotated[str, typer.Option("--field", help="JSONL field holding the text.")
                     ] = "text",
    url_field: Annotated[str, typer.Option(
        "--url-field", help="JSONL field with the page URL: lines are counted per site.")
    ] = "url",
    min_docs: Annotated[int, typer.Option(
        "--min-docs", help="A line must repeat in at least this many documents of a site.",
        min=2)] = 3,
    min_share: Annotated[float, typer.Option(
        "--min-share", help="... and in at least this share of the site's documents.",
        min=0.0, max=1.0)] = 0.2,
    global_rules: Annotated[bool, typer.Option(
        "--global", help="Write rules for every site; by default a line learned from one "
        "site's pages becomes a rule for that site only (where: {site: ...}).")] = False,
) -> None:
    """Write candidate rules from lines that repeat across documents, for review."""
    with _reported():
        from cleaner.learn import candidates, read_corpus, to_pack
        found, prose = candidates(read_corpus([str(p) for p in paths], _format(fmt), field,
                                              url_field), min_docs, min_share)
        if not found:
            typer.echo(f"no candidate rules: no line repeats in {min_docs} or more documents "
                       f"of a site; {output} not written", err=True)
            return
        pack = to_pack(found, prose, name=_pack_name(output), global_rules=global_rules)
        if "\n- id: " not in pack and not pack.startswith("- id: "):
            typer.echo(f"no candidate rules passed their own examples; {output} not written",
                       err=True)
            return
        with atomic_writer(output) as handle:
            handle.write(pack.encode("utf-8"))
        count = pack.count("\n- id: ") + pack.startswith("- id: ")
        typer.echo(f"wrote {output}: {count} candidate rules from {len(found)} repeated "
                   "lines; review them, then use with --rules", err=True)


def _pack_name(output: Path) -> str:
    name = re.sub(r"[^a-z0-9_]+", "_", output.stem.lower()).strip("_")
    return name or "learned"


# -- report ---------------------------------------------------------------------------------
@app.command()
def report(
    paths: Annotated[list[Path], typer.Argument(
        help="Input files or folders (text, HTML, JSONL, Parquet, WARC; .gz/.zst too).",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="The report to write: one HTML file, no server or network "
        "needed to view it (written atomically).", show_default=False)],
    sample_size: Annotated[int, typer.Option(
        "--sample", help="Documents to show: a uniform sample of the inputs' documents.",
        min=1)] = DEFAULT_SAMPLE,
    seed: Annotated[int, typer.Option(
        "--seed", help="The sample's seed: the same seed and inputs give the same report.")
    ] = DEFAULT_SEED,
    glob: Annotated[str, typer.Option(
        "--glob", help="With a folder as input: the files to read, by name or path below "
        "the folder.")] = DEFAULT_GLOB,
    fmt: FormatOpt = "auto",
    field: Annotated[str, typer.Option(
        "--field", help="JSONL field or Parquet column holding the text.")] = "text",
    url_field: Annotated[str, typer.Option(
        "--url-field", help="JSONL field or Parquet column with the page's URL.")] = "url",
    markup: Annotated[Markup, typer.Option(
        "--markup", help="auto: a document that looks like HTML is cleaned as HTML; text "
        "or html force it.")] = "auto",
    title: Annotated[str, typer.Option("--title", help="The report's heading.")
                     ] = "cleaner report",
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    no_repair: NoRepairOpt = False,
    dedup: DedupOpt = None,
    content: ContentOpt = None,
    favor: FavorOpt = None,
    comments: CommentsOpt = None,
    max_removal: MaxRemovalOpt = None,
    max_doc_bytes: MaxDocOpt = None,
) -> None:
    """Write an HTML page to review what cleaning does to a sample of the inputs."""
    from cleaner.report import clean_sample, render, sample

    with _reported():
        settings = config.find()
        options = _options(settings, rules, disable, no_repair, content=content, dedup=dedup,
                           favor=favor, comments=comments, max_removal=max_removal,
                           max_doc_bytes=max_doc_bytes)
        cleaner = Cleaner(options)
        found = expand_inputs([str(p) for p in paths], glob)
        spec = JobSpec(options=options, fmt=_format(fmt), field=field, url_field=url_field,
                       markup=markup)
        picked, total = sample(_report_documents(found.files, spec), sample_size, seed)
        if not total:
            raise UsageError(f"no documents to report on in {', '.join(map(str, paths))}"
                             + ("" if fmt == "text" else f" (none has a field {field!r}?)"))
        page = render(list(clean_sample(cleaner, picked)), total, title)
        with atomic_writer(output) as handle:
            handle.write(page.encode("utf-8"))
        typer.echo(f"wrote {output}: {len(picked)} of {total} documents", err=True)


def _report_documents(files: list[str], spec: JobSpec) -> Iterator[SampledDocument]:
    """Every document of the inputs, named by file (and record number where a file holds
    many), read as its format reads it."""
    for name in files:
        many = formats.format_of(name, spec.fmt).name != "text"
        for number, doc in enumerate(read_documents(name, spec), 1):
            yield SampledDocument(f"{name}:{number}" if many else name, doc.text, doc.url,
                                  spec.markup if doc.markup == "auto" else doc.markup)


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
    markup: Annotated[CheckMarkup, typer.Option(
        "--markup", help="'html' also cleans .html files (by default they are left alone).")
    ] = "text",
    suffix: SuffixOpt = None,
    rules: RulesOpt = None,
    disable: DisableOpt = None,
    no_repair: NoRepairOpt = False,
    dedup: DedupOpt = None,
    content: ContentOpt = None,
    favor: FavorOpt = None,
    comments: CommentsOpt = None,
    max_removal: MaxRemovalOpt = None,
    max_doc_bytes: MaxDocOpt = None,
) -> None:
    """Check files the way a pre-commit hook does: exit 1 when any would change (or changed).

    Only scraped text is touched: .txt and .jsonl files (and their kin), .html with
    --markup html, and the suffixes --suffix adds; other files are skipped with a message."""
    with _reported():
        if fix and diff:
            raise UsageError("--fix and --diff: choose one (--diff writes nothing)")
        settings = config.find()
        cleaner = Cleaner(_options(settings, rules, disable, no_repair, content=content,
                                   dedup=dedup, favor=favor, comments=comments,
                                   max_removal=max_removal, max_doc_bytes=max_doc_bytes))
        suffixes = normalise_suffixes([*settings.values.get("suffixes", []), *(suffix or [])])
        from cleaner.check import check_files
        from cleaner.check import report as report_checks
        reports = check_files(paths, cleaner, fix=fix,
                              field=settings.get("field", field, "text"),
                              html=markup == "html", suffixes=suffixes, diff=diff)
        status = report_checks(reports, fix=fix, diff=diff)
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


@rules_app.command("docs")
def rules_docs(
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write here (atomically) instead of stdout.")] = None,
) -> None:
    """The built-in packs as Markdown: every rule with its description and examples."""
    with _reported():
        from cleaner.rulebook.docs import render as render_docs
        text = render_docs(load_packs(()))
        if output is None:
            typer.echo(text, nl=False)
            return
        with atomic_writer(output) as handle:
            handle.write(text.encode("utf-8"))


@rules_app.command("test")
def rules_test(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Pack files or folders to test; default: the built-in packs.",
        show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Name every case.")] = False,
    corpus: Annotated[list[Path] | None, typer.Option(
        "--corpus", help="Also run every rule over clean article text (JSONL, repeatable): "
        "each line a rule removes there is a false removal; a pack above 0.1% of the "
        "corpus's lines fails.", show_default=False)] = None,
    field: Annotated[str, typer.Option(
        "--field", help="The --corpus field holding the article text.")] = "text",
) -> None:
    """Run every rule's drop and keep examples; exit 1 if any fails."""
    with _reported():
        only: set[str] | None = None
        if files:
            only = {str(p) for p in pack_files(files)}
        packs = load_packs([Path(f) for f in sorted(only)] if only else (),
                           check_builtin=True)
        everything = RuleSet.from_packs(packs)
        failures = 0
        total = 0
        from cleaner.rulebook.selftest import cases
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
        if corpus:
            failures += _corpus_check(everything, corpus, field)
        if failures:
            raise typer.Exit(1)


def _corpus_check(ruleset: RuleSet, paths: list[Path], field: str) -> int:
    """Print what the rules take from clean text; the number of packs over the limit."""
    from cleaner.rulebook.corpus import MAX_FALSE_SHARE, check_corpus, texts
    report = check_corpus(ruleset, texts(paths, field))
    for rule_id, count in report.removed.most_common():
        typer.echo(f"corpus {rule_id}: {count} of {report.lines} lines, e.g. "
                   f"{report.examples[rule_id][0]!r}")
    failing = report.failing_packs()
    for pack in failing:
        share = report.by_pack()[pack] / max(report.lines, 1)
        typer.echo(f"FAIL pack {pack} removes {share:.3%} of the corpus's lines "
                   f"(limit {MAX_FALSE_SHARE:.1%})")
    typer.echo(f"corpus: {report.documents} documents, {report.lines} lines, "
               f"{sum(report.removed.values())} removed by rules")
    return len(failing)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: a closed pipe ends quietly, Ctrl-C exits 130 and SIGTERM 143
    (both after removing any temporary file), no tracebacks."""
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        app(args=list(argv) if argv is not None else None, prog_name="cleaner")
    except BrokenPipeError:
        # The reader went away (`| head`): end quietly, with nothing left to flush.
        _quiet_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Terminated:
        sys.exit(143)
    except Exception as exc:  # a bug of ours: one line, and the way to see more
        if os.environ.get("CLEANER_DEBUG"):
            raise
        sys.stderr.write(f"cleaner: internal error: {type(exc).__name__}: {exc} (a bug; "
                         "please report it with CLEANER_DEBUG=1 set, which shows where)\n")
        sys.exit(2)
    finally:
        signal.signal(signal.SIGTERM, previous)


class Terminated(BaseException):
    """SIGTERM (`timeout`, `kill`, a scheduler), raised where the process is, so that every
    `finally` and atomic writer on the way out cleans up, as for Ctrl-C."""


def _terminated(signum: int, frame: object) -> None:
    raise Terminated
