"""JSON Lines: one document a line; the chosen field is cleaned, everything else kept.

A record whose text did not change is written back byte for byte; in a changed record only the
new value is new: it is spliced into the record's own bytes, so other fields keep their exact
spelling (1.10, \u00e9, 1e400, duplicate keys), which a decode and re-encode would not.
Reading streams line by line, so memory holds one record at a time.
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.document import Document, MetaValue
from cleaner.errors import InputError, UsageError
from cleaner.io.text import decode
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

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")


@dataclass(slots=True)
class Record:
    """One line of a JSONL file: its raw bytes and, if it holds a JSON object, the object."""

    line_no: int
    raw: bytes
    data: dict[str, Any] | None
    error: str | None = None  # why the line is not a record (only when reading leniently)

    def text(self, field: str) -> str | None:
        if self.data is None:
            return None
        value = self.data.get(field)
        return value if isinstance(value, str) else None

    def doc_id(self, name: str) -> str:
        if self.data is not None:
            for key in ("id", "doc_id", "warc_record_id", "url"):
                value = self.data.get(key)
                if isinstance(value, (str, int)) and not isinstance(value, bool):
                    return str(value)
        return f"{name}:{self.line_no}"


def read_records(stream: Iterable[bytes], name: str, *, strict: bool = True,
                 first_line: int = 1) -> Iterator[Record]:
    """Records one by one. Strict: a bad line is an error naming file and line; lenient: it is
    yielded with `error` set, for the caller to keep or skip."""
    for line_no, raw in enumerate(stream, first_line):
        body = raw.rstrip(b"\r\n")
        if not body.strip():
            yield Record(line_no, raw, None)
            continue
        problem = None
        try:
            data = json.loads(decode(body), parse_int=_integer)
        except ValueError as exc:
            problem = f"{name}:{line_no}: not valid JSON ({exc})"
        except RecursionError:
            problem = f"{name}:{line_no}: JSON nested too deeply to read"
        else:
            if not isinstance(data, dict):
                problem = f"{name}:{line_no}: not a JSON object (a JSONL record is an object)"
        if problem is not None:
            if strict:
                raise InputError(problem)
            yield Record(line_no, raw, None, problem)
            continue
        yield Record(line_no, raw, data)


def _integer(digits: str) -> int | decimal.Decimal:
    """An integer of any length: Python's int() refuses over 4,300 digits, which is still
    valid JSON (the record's bytes are written back as they are; this is only for reading)."""
    try:
        return int(digits)
    except ValueError:
        return decimal.Decimal(digits)


class _Scan:
    """Where each top-level key's value sits in a JSON object's bytes (iterative: no depth
    limit), for splicing a new value in without re-encoding anything else."""

    _WS = b" \t\r\n"

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.i = 0

    def _space(self) -> None:
        body, i = self.body, self.i
        while i < len(body) and body[i] in self._WS:
            i += 1
        self.i = i

    def _string(self) -> int:
        """The end of the string that starts at i (past its closing quote)."""
        body, i = self.body, self.i + 1
        while True:
            j = body.index(b'"', i)
            k = j
            while body[k - 1] == 0x5C:  # count the backslashes before the quote
                k -= 1
            if (j - k) % 2 == 0:
                return j + 1
            i = j + 1

    def _value(self) -> int:
        """The end of the value that starts at i."""
        body = self.body
        if body[self.i] == 0x22:
            return self._string()
        depth = 0
        i = self.i
        while i < len(body):
            c = body[i]
            if c == 0x22:
                self.i = i
                i = self._string()
                continue
            if c in b"{[":
                depth += 1
            elif c in b"}]":
                if depth == 0:
                    return i
                depth -= 1
                if depth == 0:
                    return i + 1
            elif c == 0x2C and depth == 0:
                return i
            i += 1
        return i

    def _value_end(self) -> int:
        end = self._value()
        while end > 0 and self.body[end - 1] in self._WS:
            end -= 1
        return end

    def members(self) -> tuple[list[tuple[str, int, int]], int]:
        """(key, value start, value end) of each member, and the offset of the closing brace."""
        out: list[tuple[str, int, int]] = []
        self._space()
        self.i += 1  # the opening brace
        while True:
            self._space()
            if self.body[self.i] == 0x7D:
                return out, self.i
            end = self._string()
            key = json.loads(self.body[self.i:end].decode("utf-8", "surrogateescape"))
            self.i = end
            self._space()
            self.i += 1  # the colon
            self._space()
            start = self.i
            end = self._value_end()
            out.append((key, start, end))
            self.i = end
            self._space()
            if self.body[self.i] == 0x2C:
                self.i += 1


def _encode_value(text: MetaValue, raw_is_utf8: bool) -> bytes:
    """A JSON string for `text`, as UTF-8; bytes that came in as non-UTF-8 go back out as
    they came, and lone surrogates from JSON escapes stay escapes. A number or None is
    written as JSON writes it."""
    if not isinstance(text, str):
        return json.dumps(text).encode("ascii")
    value = json.dumps(text, ensure_ascii=False)
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        if not raw_is_utf8:
            try:
                return value.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                pass
        return json.dumps(text, ensure_ascii=True).encode("ascii")


def splice(raw: bytes, values: Mapping[str, MetaValue], *, replace: bool = True) -> bytes:
    """The record's own bytes with each key's value replaced (its last occurrence, the one
    a JSON reader keeps) or, for a key it lacks, added at the end. Every other byte stays:
    numbers keep their spelling, escapes stay escapes, duplicate keys stay. With
    `replace=False` a key the record has is left alone (metadata never overwrites)."""
    body = raw.rstrip(b"\r\n")
    ending = raw[len(body):]
    members, close = _Scan(body).members()
    where = {key: (start, end) for key, start, end in members}
    utf8 = _is_utf8(raw)
    edits: list[tuple[int, int, bytes]] = []
    added: list[bytes] = []
    for key, text in values.items():
        value = _encode_value(text, utf8)
        if key in where:
            if replace:
                edits.append((*where[key], value))
        else:
            added.append(_encode_value(key, utf8) + b": " + value)
    if added:
        joiner = b", " if members else b""
        edits.append((close, close, joiner + b", ".join(added)))
    out = body
    for start, end, value in sorted(edits, reverse=True):
        out = out[:start] + value + out[end:]
    return out + ending


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def record_bytes(record: Record, field: str, text: str, output_field: str | None = None,
                 meta: Mapping[str, MetaValue] | None = None) -> bytes:
    """What to write for a record whose field was cleaned to `text`: its own bytes when
    nothing changed, else its own bytes with the new value spliced in. With `output_field`,
    the clean text goes there and `field` keeps the original; `meta` adds fields the record
    does not have."""
    if output_field is None and record.text(field) == text and not meta:
        return record.raw
    line = splice(record.raw, {output_field or field: text})
    return splice(line, meta, replace=False) if meta else line


# -- the adapter: a record per line, batches of lines ----------------------------------------
def _units(source: InputFile, spec: JobSpec) -> Iterator[Unit]:
    batch: list[bytes] = []
    size = 0
    first = 1
    for line_no, line in enumerate(source.stream, 1):
        if not batch:
            first = line_no
        batch.append(line)
        size += len(line)
        if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
            yield Unit(source.target, source.label, "jsonl", source.out_kind, batch, first,
                       last=False)
            batch, size = [], 0
    yield Unit(source.target, source.label, "jsonl", source.out_kind, batch, first)


def _clean(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    chunks: list[bytes] = []
    lines = ((line if line.endswith(b"\n") else line + b"\n") for line in unit.payload)
    records = read_records(lines, unit.label, strict=spec.on_error == "fail",
                           first_line=unit.first_line)
    for record in records:
        if record.error is not None:
            if spec.on_error == "keep":
                out.stats.records_kept_invalid += 1
                chunks.append(record.raw)
            else:
                out.stats.records_skipped += 1
            continue
        text = record.text(spec.field)
        if record.data is not None:
            out.census.count(record.data, spec.field in record.data, text is not None)
        if text is None:
            out.stats.records_without_field += record.data is not None
            chunks.append(record.raw)
            continue
        target = spec.output_field
        if (target is not None and target != spec.field and target in (record.data or {})
                and not spec.overwrite_field):
            raise UsageError(f"{unit.label}:{record.line_no}: the record already has a field "
                             f"{target!r}; pass --overwrite-field to replace it")
        result = cleaner.clean(Document(text, id=record.doc_id(unit.label),
                                        url=record.text(spec.url_field) or ""),
                               spec.markup, metadata=spec.meta)
        out.report(spec, result, f"{unit.label}:{record.line_no}")
        meta = result.meta_fields() if spec.meta else None
        chunks.append(record_bytes(record, spec.field, result.text, target, meta))
    out.data = b"".join(chunks)  # under --diff `clean` writes none of it; `check` needs it


def _documents(stream: BinaryIO, label: str, spec: JobSpec) -> Iterator[ReadDocument]:
    for record in read_records(stream, label):
        text = record.text(spec.field)
        if text is not None:
            yield ReadDocument(text, record.text(spec.url_field) or "")


ADAPTER = Adapter("jsonl", JSONL_SUFFIXES, ("jsonl",), _units, _clean, _documents)
