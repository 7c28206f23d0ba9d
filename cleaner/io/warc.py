"""WARC and WET in: Common Crawl's response records (HTML) and conversion records (text).

One document per response record with an HTML or text payload, and per conversion record;
requests, metadata, warcinfo and non-text payloads are skipped (and counted). Read with
warcio (an optional extra), one record at a time: memory does not grow with the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.errors import InputError, UsageError
from cleaner.job import (
    BATCH_BYTES,
    BATCH_RECORDS,
    Adapter,
    InputFile,
    JobSpec,
    Output,
    ReadDocument,
    Unit,
)

if TYPE_CHECKING:
    from cleaner.chain import Cleaner

WARC_SUFFIXES = (".warc", ".wet", ".arc")
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True, slots=True)
class WarcDocument:
    """One page of an archive: its payload, and whether that payload is HTML."""

    url: str
    record_id: str
    payload: bytes
    html: bool
    charset: str | None = None


def _archive_iterator() -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise UsageError("WARC and WET need warcio: pip install 'cleaner[warc]'") from None

    class Quiet(ArchiveIterator):
        """warcio's iterator without its multi-line warning on stderr: a record whose
        Content-Length is wrong is reported by us, in one line, as an error."""

        INC_RECORD = ""

    return Quiet


def read_documents(stream: BinaryIO, name: str,
                   on_error: str = "fail") -> Iterator[WarcDocument | Damaged | None]:
    """Each record in order: a document, None for a record that holds no page, or (with
    `on_error` keep or skip) a `Damaged` marker for a record that is cut short or whose
    Content-Length is wrong. warcio reads a truncated archive as a short one and steps over a
    wrong Content-Length with a warning; both lose text, so by default both are an error
    naming the file and the record's offset."""
    iterator = _archive_iterator()(_Loud(stream, name), arc2warc=True)
    offset = following = 0
    try:
        for record in iterator:
            errors = iterator.err_count
            doc = _document(record)
            iterator.read_to_end(record)  # what _document left unread, and the blank lines
            offset = iterator.get_record_offset()  # (this too would read to the end)
            following = iterator.offset  # where the next record starts
            problem = None
            if getattr(record.raw_stream, "limit", 0):
                problem = "is cut short (the archive ends inside it)"
            elif iterator.err_count != errors:
                problem = "does not end where its Content-Length says"
            if problem is None:
                yield doc
                continue
            message = f"{name}: the record at offset {offset} {problem}"
            if on_error == "fail":
                raise InputError(message)
            yield Damaged(message, doc if on_error == "keep" else None)
    except _CutShort as exc:
        message = (f"{name}: the record at offset {following} (uncompressed) is cut short: the "
                   f"archive ends inside it ({exc})")
        if on_error == "fail":
            raise InputError(message) from None
        yield Damaged(message, None)
    except InputError:
        raise
    except Exception as exc:  # warcio raises its own and plain errors for broken archives
        raise InputError(f"{name}: not a readable WARC file after offset {offset} "
                         f"({type(exc).__name__}: {exc})") from None


class _CutShort(Exception):
    """The decompressor found the archive cut short."""


class _Loud:
    """The input stream with its EOFError (a .gz or .zst cut short: the decompressor says so)
    made an error of ours: warcio takes an EOFError for the end of the archive."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def read(self, size: int = -1) -> bytes:
        # read1: what one step of the decompressor gives, so that the records before the cut
        # arrive before the error does.
        read1 = getattr(self._stream, "read1", None)
        try:
            return read1(size) if read1 is not None and size > 0 else self._stream.read(size)
        except EOFError as exc:
            raise _CutShort(str(exc)) from None

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._stream.readline(size)
        except EOFError as exc:
            raise _CutShort(str(exc)) from None

    def __getattr__(self, attr: str) -> object:
        return getattr(self._stream, attr)


@dataclass(frozen=True, slots=True)
class Damaged:
    """A record that could not be read whole: what was read of it (with --on-error keep),
    and why."""

    message: str
    document: WarcDocument | None


def _document(record: Any) -> WarcDocument | None:
    kind = record.rec_type
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or ""
    record_id = (headers.get_header("WARC-Record-ID") or "").strip("<>")
    if kind == "conversion":
        return WarcDocument(url, record_id, record.content_stream().read(), html=False,
                            charset="utf-8")
    if kind != "response":
        return None
    http = record.http_headers
    content_type = (http.get_header("Content-Type") if http else None) or ""
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in TEXT_TYPES:
        return None
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    payload = record.content_stream().read()
    return WarcDocument(url, record_id, payload, html=mime != "text/plain", charset=charset)


# -- the adapter: an archive's pages, batches of records -------------------------------------
def _units(source: InputFile, spec: JobSpec) -> Iterator[Unit]:
    batch: list[WarcDocument | Damaged | None] = []
    size = 0
    for doc in read_documents(source.stream, source.label, spec.on_error):
        batch.append(doc)
        size += len(doc.payload) if isinstance(doc, WarcDocument) else 0
        if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
            yield Unit(source.target, source.label, "warc", source.out_kind, batch, last=False)
            batch, size = [], 0
    yield Unit(source.target, source.label, "warc", source.out_kind, batch)


def _clean(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    import json
    import sys

    from cleaner.decoding import decode_page
    from cleaner.document import META_COLUMNS, NUMBER_FIELDS, Document
    from cleaner.io import parquet

    rows: list[dict[str, str]] = []
    for item in unit.payload:
        doc = item
        if isinstance(item, Damaged):
            sys.stderr.write(f"cleaner: note: {item.message}; "
                             f"{'kept as read' if item.document else 'skipped'}\n")
            if item.document is None:
                out.stats.records_skipped += 1
                continue
            out.stats.records_kept_invalid += 1
            doc = item.document
        if doc is None:
            out.stats.records_not_pages += 1
            continue
        text = decode_page(doc.payload, doc.charset)
        doc_id = doc.record_id or doc.url
        result = (cleaner.clean_html(text, id=doc_id, metadata=spec.meta, url=doc.url)
                  if doc.html else cleaner.clean(Document(text, id=doc_id, url=doc.url), "text"))
        out.report(spec, result, doc.url or doc.record_id)
        row = {"text": result.text, "url": doc.url, "warc_record_id": doc.record_id}
        if spec.meta:
            fields = result.meta_fields()
            row.update({k: fields.get(k) for k in META_COLUMNS if k != "url"})
        rows.append(row)
    if spec.diff:
        return
    if unit.out_kind == "jsonl":
        out.data = b"".join(json.dumps(row, ensure_ascii=False).encode(
            "utf-8", "surrogatepass") + b"\n" for row in rows)
        return
    pa = parquet.pyarrow()
    names = ["text", "url", "warc_record_id"]
    if spec.meta:
        names += [k for k in META_COLUMNS if k != "url"]
    schema = pa.schema([(name, pa.float64() if name in NUMBER_FIELDS else pa.string())
                        for name in names])
    parquet.emit_batch(out, "parquet", pa.RecordBatch.from_pylist(rows, schema=schema))


def _documents(stream: BinaryIO, label: str, spec: JobSpec) -> Iterator[ReadDocument]:
    """The archive's pages: text ones (WET conversions, text/plain) and HTML ones, each
    marked as which it is."""
    from cleaner.decoding import decode_page

    for doc in read_documents(stream, label, spec.on_error):
        if isinstance(doc, WarcDocument):
            yield ReadDocument(decode_page(doc.payload, doc.charset), doc.url,
                               "html" if doc.html else "text")


ADAPTER = Adapter("warc", WARC_SUFFIXES, ("jsonl", "parquet"), _units, _clean, _documents,
                  in_place=False, output_suffix=".jsonl.gz")
