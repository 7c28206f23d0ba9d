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
from typing import Any, BinaryIO

from cleaner.errors import InputError, UsageError

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


def read_batches(stream: BinaryIO, name: str, rows: int = BATCH_ROWS) -> Iterator[Any]:
    """The file's record batches of at most `rows` rows, one at a time."""
    pa = pyarrow()
    try:
        parquet = pa.parquet.ParquetFile(stream)
        yield from parquet.iter_batches(batch_size=rows)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{name}: not a readable Parquet file ({exc})") from None


def with_texts(batch: Any, field: str, texts: list[str | None], output_field: str | None) -> Any:
    """The batch with `field` replaced by `texts` (None keeps the value), or with the texts
    in a new column `output_field`; the column's string type is kept."""
    pa = pyarrow()
    target = output_field or field
    index = batch.schema.get_field_index(target)
    if output_field is None or index >= 0:
        original = batch.column(batch.schema.get_field_index(field)).to_pylist()
        values = [t if t is not None else v for t, v in zip(texts, original, strict=True)]
    else:
        values = list(texts)
    kind = batch.schema.field(index).type if index >= 0 else pa.string()
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        kind = pa.string()
    column = pa.array(values, type=kind)
    if index >= 0:
        return batch.set_column(index, target, column)
    return batch.append_column(target, column)


def with_columns(batch: Any, columns: dict[str, list[str | None]]) -> Any:
    """The batch with string columns added (a column the batch already has is left alone)."""
    pa = pyarrow()
    for name, values in columns.items():
        if batch.schema.get_field_index(name) < 0:
            batch = batch.append_column(name, pa.array(values, type=pa.string()))
    return batch


def texts_of(batch: Any, field: str) -> list[str | None]:
    """The field's values, None where a row has no string there (or the column is missing)."""
    index = batch.schema.get_field_index(field)
    if index < 0:
        return [None] * batch.num_rows
    return [v if isinstance(v, str) else None for v in batch.column(index).to_pylist()]


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
