"""JSON Lines: one document a line; the chosen field is cleaned, everything else kept.

A record whose text did not change is written back byte for byte; a changed record keeps its
key order. Reading streams line by line, so memory holds one record at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from cleaner.errors import InputError
from cleaner.io.text import decode

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
            data = json.loads(decode(body))
        except ValueError as exc:
            problem = f"{name}:{line_no}: not valid JSON ({exc})"
        else:
            if not isinstance(data, dict):
                problem = f"{name}:{line_no}: not a JSON object (a JSONL record is an object)"
        if problem is not None:
            if strict:
                raise InputError(problem)
            yield Record(line_no, raw, None, problem)
            continue
        yield Record(line_no, raw, data)


def dump_record(record: Record, field: str, text: str) -> bytes:
    """The record with `field` replaced by `text`, as one JSONL line."""
    assert record.data is not None
    data = dict(record.data)
    data[field] = text
    text_line = json.dumps(data, ensure_ascii=False)
    try:
        line = text_line.encode("utf-8")
    except UnicodeEncodeError:
        line = b""
        if not _is_utf8(record.raw):  # bytes that were not UTF-8 go back out as they came
            try:
                line = text_line.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                line = b""
        if not line:  # lone surrogates from JSON escapes: escapes keep them exactly
            line = json.dumps(data, ensure_ascii=True).encode("ascii")
    ending = b"\r\n" if record.raw.endswith(b"\r\n") else b"\n"
    return line + ending


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def record_bytes(record: Record, field: str, text: str, output_field: str | None = None) -> bytes:
    """What to write for a record whose field was cleaned to `text`: its own bytes when the
    text did not change, else the record re-dumped (key order kept) with its line ending.
    With `output_field`, the clean text goes there and `field` keeps the original."""
    if output_field is None and record.text(field) == text:
        return record.raw
    line = dump_record(record, output_field or field, text)
    return line if record.raw.endswith(b"\n") else line.rstrip(b"\r\n")


def write_raw(handle: BinaryIO, record: Record) -> None:
    raw = record.raw
    handle.write(raw if raw.endswith(b"\n") else raw + b"\n")
