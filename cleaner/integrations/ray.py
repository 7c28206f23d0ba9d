"""Ray Data: `clean_dataset(ds, field="text", **options)` cleans a dataset on a Ray cluster.

    import ray
    from cleaner.integrations.ray import clean_dataset
    ds = ray.data.read_parquet("s3://bucket/pages/")
    clean_dataset(ds, field="text", favor="precision").write_parquet("s3://bucket/clean/")

The same call runs on a laptop (`ray.init()`) or a cluster (`ray.init(address="auto")`, or
under `ray job submit`): Ray schedules the batches, cleaner only says what to do with one.
Batches go through a pool of actors, each holding one Cleaner (rules compiled and model loaded
once per actor); Arrow batches keep every other column as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cleaner.chain import Cleaner
from cleaner.document import META_COLUMNS
from cleaner.io.parquet import texts_of, with_columns, with_texts
from cleaner.options import Markup, check_markup

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cleaner.options import OptionValues

BATCH_SIZE = 256


class CleanBatches:
    """The per-actor state and the per-batch step (a Ray Data callable class)."""

    def __init__(self, field: str, output_field: str | None, options: OptionValues,
                 markup: Markup = "auto", meta: bool = False) -> None:
        self.field = field
        self.output_field = output_field
        self.markup = markup
        self.meta = meta
        self.cleaner = Cleaner(**options)

    def __call__(self, batch: Any) -> Any:
        if batch.schema.get_field_index(self.field) < 0:
            raise KeyError(f"clean_dataset: no column {self.field!r} "
                           f"(columns: {', '.join(batch.schema.names)})")
        texts = texts_of(batch, self.field)
        results = [self.cleaner.clean(t, self.markup, metadata=self.meta)
                   if t is not None else None for t in texts]
        out = with_texts(batch, self.field, [r.text if r is not None else None for r in results],
                         self.output_field)
        if self.meta:
            fields = [r.meta_fields() if r is not None else {} for r in results]
            out = with_columns(out, {key: [f.get(key) for f in fields] for key in META_COLUMNS})
        return out


def clean_dataset(ds: Any, field: str = "text", *, output_field: str | None = None,
                  batch_size: int = BATCH_SIZE, concurrency: int | tuple[int, int] | None = None,
                  markup: Markup = "auto", meta: bool = False,
                  **options: Unpack[OptionValues]) -> Any:
    """A lazy `ray.data.Dataset` with `field` cleaned (other keywords: `Cleaner` options;
    `markup` as the CLI's --markup: auto cleans a value that looks like a page as HTML;
    `meta` adds the CLI's --meta columns: page_type, page_type_prob, quality, and an HTML
    page's title, author, date, url and sitename).

    The batches go through an autoscaling pool of actors (Ray Data's ActorPoolStrategy) that
    leaves one CPU of the cluster to the rest of the pipeline: actors that take every CPU
    leave none to the tasks that read and write, and the pipeline stalls. `concurrency` fixes
    the number of actors (or a (min, max) range); the actors then share what the pipeline
    leaves, each taking at most one CPU.
    """
    import ray
    from ray.data import ActorPoolStrategy

    markup = check_markup(markup)
    Cleaner(**options)  # a wrong option fails here, in one line, not in a remote actor
    cpus = max(1.0, float(ray.cluster_resources().get("CPU", 1.0)))
    spare = max(1.0, cpus - 1.0)  # what the actors may take between them
    if concurrency is None:
        most = max(1, int(spare))
        compute = ActorPoolStrategy(min_size=1, max_size=most)
    elif isinstance(concurrency, tuple):
        most = concurrency[1]
        compute = ActorPoolStrategy(min_size=concurrency[0], max_size=concurrency[1])
    else:
        most = concurrency
        compute = ActorPoolStrategy(size=concurrency)
    return ds.map_batches(
        CleanBatches,
        fn_constructor_kwargs={"field": field, "output_field": output_field,
                               "options": options, "markup": markup, "meta": meta},
        batch_format="pyarrow",
        batch_size=batch_size,
        compute=compute,
        num_cpus=min(1.0, spare / max(1, most)),
    )
