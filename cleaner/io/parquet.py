"""Parquet in and out with pyarrow, streamed by row batches: memory holds one batch.

The text column is replaced by the clean text (or the clean text goes to a new column), every
other column is kept as it was, and rows keep their order. pyarrow is an optional extra.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from cleaner.document import META_COLUMNS, NUMBER_FIELDS, Document, MetaValue
from cleaner.errors import InputError, UsageError
from cleaner.io.text import decode, encode
from cleaner.job import (
    BATCH_RECORDS,
    Adapter,
    InputFile,
    JobSpec,
    Output,
    OutputKind,
    ReadDocument,
    Unit,
)

if TYPE_CHECKING:
    from cleaner.chain import Cleaner

PARQUET_SUFFIXES = (".parquet", ".pq")
BATCH_ROWS = 200


def pyarrow() -> Any:
    """The pyarrow module, or a one-line hint at the extra that brings it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet
    except ImportError:
        raise UsageError("Parquet needs pyarrow: pip install 'cleaner[parquet]'") from None
    return pa


def schema_of(source: Any, name: str) -> Any:
    """The file's Arrow schema, read from its footer."""
    pa = pyarrow()
    try:
        schema = pa.parquet.ParquetFile(source).schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{name}: not a readable Parquet file ({exc})") from None
    source.seek(0)
    return schema


def read_batches(stream: BinaryIO, name: str, rows: int = BATCH_ROWS) -> Iterator[Any]:
    """The file's record batches of at most `rows` rows, one at a time."""
    pa = pyarrow()
    try:
        parquet = pa.parquet.ParquetFile(stream)
        yield from parquet.iter_batches(batch_size=rows)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{name}: not a readable Parquet file ({exc})") from None


def _text_type(pa: Any, kind: Any) -> bool:
    """A column type that holds text: strings, or binary (read as UTF-8), plain or
    dictionary-encoded."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_binary(kind) or pa.types.is_large_binary(kind))


def check_columns(schema: Any, name: str, field: str, output_field: str | None,
                  overwrite: bool) -> None:
    """Refuse, before anything is written, a text column that is missing or holds no text,
    and an --output-field that would overwrite another column."""
    pa = pyarrow()
    index = schema.get_field_index(field)
    if index < 0:
        seen = ", ".join(schema.names[:12]) or "none"
        raise InputError(f"{name}: no record has the field {field!r} (fields seen: {seen})")
    kind = schema.field(index).type
    if not _text_type(pa, kind):
        raise InputError(f"{name}: the column {field!r} holds {kind}, not text; name a "
                         "text column with --field")
    if (output_field is not None and output_field != field and not overwrite
            and schema.get_field_index(output_field) >= 0):
        raise UsageError(f"{name}: the column {output_field!r} exists already; pass "
                         "--overwrite-field to replace it")


def with_texts(batch: Any, field: str, texts: list[str | None], output_field: str | None) -> Any:
    """The batch with `field` replaced by `texts` (None keeps the value), or with the texts
    in a new column `output_field`. The column keeps its type: string or large string,
    binary (the text encoded as UTF-8 again), dictionary-encoded or not."""
    pa = pyarrow()
    source = batch.schema.get_field_index(field)
    kind = batch.schema.field(source).type if source >= 0 else pa.string()
    original = texts_of(batch, field)
    values = [t if t is not None else v for t, v in zip(texts, original, strict=True)]
    if output_field is not None and output_field != field:
        values = list(texts)
    column = _column(pa, values, kind)
    target = output_field or field
    index = batch.schema.get_field_index(target)
    if index >= 0:
        return batch.set_column(index, pa.field(target, column.type), column)
    return batch.append_column(pa.field(target, column.type), column)


def _column(pa: Any, values: list[str | None], kind: Any) -> Any:
    value_type = kind.value_type if pa.types.is_dictionary(kind) else kind
    if pa.types.is_binary(value_type) or pa.types.is_large_binary(value_type):
        array = pa.array([None if v is None else encode(v) for v in values], type=value_type)
    elif pa.types.is_string(value_type) or pa.types.is_large_string(value_type):
        array = pa.array([None if v is None else _utf8(v) for v in values], type=value_type)
    else:
        array = pa.array(values, type=pa.string())
    if pa.types.is_dictionary(kind):
        array = array.dictionary_encode().cast(kind)
    return array


def _utf8(text: str) -> str:
    """A text Arrow can store: bytes that came in undecodable are written as U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return encode(text).decode("utf-8", "replace")
    return text


def with_columns(batch: Any, columns: dict[str, list[MetaValue]]) -> Any:
    """The batch with `--meta` columns added (a column the batch already has is left
    alone): strings, and doubles for `NUMBER_FIELDS`."""
    pa = pyarrow()
    for name, values in columns.items():
        if batch.schema.get_field_index(name) < 0:
            kind = pa.float64() if name in NUMBER_FIELDS else pa.string()
            batch = batch.append_column(name, pa.array(values, type=kind))
    return batch


def texts_of(batch: Any, field: str) -> list[str | None]:
    """The field's values, None where a row has no text there (or the column is missing);
    a binary column's bytes are read as UTF-8, undecodable bytes kept (surrogateescape)."""
    index = batch.schema.get_field_index(field)
    if index < 0:
        return [None] * batch.num_rows
    out: list[str | None] = []
    for value in batch.column(index).to_pylist():
        if isinstance(value, bytes):
            out.append(decode(value))
        else:
            out.append(value if isinstance(value, str) else None)
    return out


def ids_of(batch: Any) -> list[str | None]:
    for key in ("id", "doc_id", "warc_record_id", "url"):
        index = batch.schema.get_field_index(key)
        if index >= 0:
            return [None if v is None else str(v) for v in batch.column(index).to_pylist()]
    return [None] * batch.num_rows


def jsonl_bytes(batch: Any) -> bytes:
    """The batch's rows as JSON lines (values JSON cannot hold become strings; bytes base64)."""
    return b"".join(json.dumps(row, ensure_ascii=False, default=_jsonable).encode(
        "utf-8", "surrogatepass") + b"\n" for row in batch.to_pylist())


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, (datetime.date, datetime.time, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, datetime.timedelta)):
        return str(value)
    return repr(value)


class ParquetSink:
    """Batches into one Parquet file; the writer opens at the first batch (its schema)."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self._handle = handle
        self._name = name
        self._writer: Any = None

    def write(self, batch: Any) -> None:
        pa = pyarrow()
        if self._writer is None:
            self._writer = pa.parquet.ParquetWriter(self._handle, batch.schema,
                                                    compression="zstd")
        elif not batch.schema.equals(self._writer.schema):
            raise UsageError(f"{self._name}: inputs with different columns cannot go into one "
                             "Parquet file; write one output each (-o FOLDER)")
        self._writer.write_batch(batch)

    def close(self, empty_schema: Any = None) -> None:
        pa = pyarrow()
        if self._writer is None:
            schema = empty_schema if empty_schema is not None else pa.schema(
                [("text", pa.string())])
            self._writer = pa.parquet.ParquetWriter(self._handle, schema, compression="zstd")
        self._writer.close()


def emit_batch(out: Output, kind: OutputKind, batch: Any) -> None:
    """A unit's records as its target wants them: an Arrow batch, or JSON lines."""
    if kind == "parquet":
        out.batch = batch
    else:
        out.data = jsonl_bytes(batch)


# -- the adapter: batches of rows ------------------------------------------------------------
def _units(source: InputFile, spec: JobSpec) -> Iterator[Unit]:
    stream, label = source.stream, source.label
    row = 0
    readable: Any = stream
    if not stream.seekable():  # Parquet's footer is at the end: a pipe is read whole
        import io

        readable = io.BytesIO(stream.read())
    schema = schema_of(readable, label)
    check_columns(schema, label, spec.field, spec.output_field, spec.overwrite_field)
    pending: Unit | None = None
    for batch in read_batches(readable, label, BATCH_RECORDS):
        if pending is not None:
            yield pending
        pending = Unit(source.target, label, "parquet", source.out_kind, batch, row,
                       last=False)
        row += batch.num_rows
    if pending is None:
        pending = Unit(source.target, label, "parquet", source.out_kind,
                       _empty_batch(readable), row)
    pending.last = True
    yield pending


def _empty_batch(readable: Any) -> Any:
    pa = pyarrow()
    readable.seek(0)
    schema = pa.parquet.ParquetFile(readable).schema_arrow
    return pa.RecordBatch.from_pylist([], schema=schema)


def _clean(unit: Unit, spec: JobSpec, cleaner: Cleaner, out: Output) -> None:
    batch = unit.payload
    texts = texts_of(batch, spec.field)
    ids = ids_of(batch)
    urls = texts_of(batch, spec.url_field)
    cleaned: list[str | None] = []
    metas: list[dict[str, MetaValue]] = []
    for row, (text, doc_id, url) in enumerate(zip(texts, ids, urls, strict=True),
                                              unit.first_line):
        out.census.count((), True, text is not None)
        if text is None:
            out.stats.records_without_field += 1
            cleaned.append(None)
            metas.append({})
            continue
        name = f"{unit.label}:{row}"
        result = cleaner.clean(Document(text, id=doc_id or name, url=url or ""),
                               spec.markup, metadata=spec.meta)
        out.report(spec, result, name)
        cleaned.append(result.text)
        metas.append(result.meta_fields() if spec.meta else {})
    if spec.diff:
        return
    if batch.schema.get_field_index(spec.field) >= 0 or spec.output_field:
        batch = with_texts(batch, spec.field, cleaned, spec.output_field)
    if spec.meta:
        batch = with_columns(batch, {key: [m.get(key) for m in metas] for key in META_COLUMNS})
    emit_batch(out, unit.out_kind, batch)


def _documents(stream: BinaryIO, label: str, spec: JobSpec) -> Iterator[ReadDocument]:
    import io

    readable: Any = stream if stream.seekable() else io.BytesIO(stream.read())
    for batch in read_batches(readable, label, BATCH_RECORDS):
        texts = texts_of(batch, spec.field)
        urls = texts_of(batch, spec.url_field)
        for text, url in zip(texts, urls, strict=True):
            if text is not None:
                yield ReadDocument(text, url or "")


ADAPTER = Adapter("parquet", PARQUET_SUFFIXES, ("parquet", "jsonl"), _units, _clean,
                  _documents)
