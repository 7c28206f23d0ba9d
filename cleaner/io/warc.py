"""WARC and WET in: Common Crawl's response records (HTML) and conversion records (text).

One document per response record with an HTML or text payload, and per conversion record;
requests, metadata, warcinfo and non-text payloads are skipped (and counted). Read with
warcio (an optional extra), one record at a time: memory does not grow with the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from cleaner.errors import InputError, UsageError

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
    return ArchiveIterator


def read_documents(stream: BinaryIO, name: str) -> Iterator[WarcDocument | None]:
    """Each record in order: a document, or None for a record that holds no page."""
    iterator = _archive_iterator()
    try:
        for record in iterator(stream, arc2warc=True):
            yield _document(record)
    except InputError:
        raise
    except Exception as exc:  # warcio raises its own and plain errors for broken archives
        raise InputError(f"{name}: not a readable WARC file ({type(exc).__name__}: "
                         f"{exc})") from None


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
