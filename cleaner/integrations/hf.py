"""Hugging Face datasets: `Dataset.map(clean_batch, batched=True, fn_kwargs={...})`.

    from cleaner.integrations.hf import clean_batch
    ds = ds.map(clean_batch, batched=True, fn_kwargs={"field": "text"}, num_proc=8)

Each process builds its Cleaner once (at its first batch). Values that are not strings (None)
pass through unchanged. `markup` is as the CLI's --markup: "auto" (the default) cleans a value
that looks like an HTML page as HTML, "html" and "text" force it. `meta=True` adds the CLI's
`--meta` columns: page_type, page_type_prob, quality, and an HTML page's title, author, date,
url and sitename (None where a page has none). Other keywords are `Cleaner` options
(content, favor, rules, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cleaner.document import META_COLUMNS
from cleaner.integrations import cached_cleaner
from cleaner.options import Markup, check_markup

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cleaner.options import OptionValues


def clean_batch(batch: dict[str, list[Any]], field: str = "text",
                output_field: str | None = None, markup: Markup = "auto", meta: bool = False,
                **options: Unpack[OptionValues]) -> dict[str, list[Any]]:
    """The batch with `field`'s values replaced by the clean text (or the clean text in a
    new column `output_field`, the original kept); with `meta`, the `--meta` columns added
    (a column the batch has already is left alone)."""
    if field not in batch:
        raise KeyError(f"clean_batch: the batch has no field {field!r} "
                       f"(it has {', '.join(batch)})")
    cleaner = cached_cleaner(options)
    markup = check_markup(markup)
    results = [cleaner.clean(v, markup, metadata=meta) if isinstance(v, str) else None
               for v in batch[field]]
    out = dict(batch)
    out[output_field or field] = [r.text if r is not None else v
                                  for r, v in zip(results, batch[field], strict=True)]
    if meta:
        fields = [r.meta_fields() if r is not None else {} for r in results]
        for key in META_COLUMNS:
            out.setdefault(key, [f.get(key) for f in fields])
    return out
