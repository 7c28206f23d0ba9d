"""A datatrove pipeline step: `CleanerFormatter(**options)` cleans each document's text.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerFormatter

    LocalPipelineExecutor(pipeline=[JsonlReader("pages/"), CleanerFormatter(),
                                    JsonlWriter("clean/")], tasks=8).run()

It runs under datatrove's local, Slurm and Ray executors alike. The Cleaner is built in the
worker at its first document (compiled rules do not travel between processes), and the
removals per rule and per stage go to datatrove's stats. `markup` is as the CLI's --markup:
"auto" (the default) cleans a document that looks like an HTML page as HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from datatrove.pipeline.formatters.base import BaseFormatter

from cleaner.chain import Cleaner
from cleaner.options import Markup, check_markup


class CleanerFormatter(BaseFormatter):
    name = "🧹 cleaner"

    def __init__(self, markup: Markup = "auto", **options: Any) -> None:
        super().__init__()
        self.markup = check_markup(markup)
        self.options = options
        self._cleaner: Cleaner | None = None

    @property
    def cleaner(self) -> Cleaner:
        if self._cleaner is None:
            self._cleaner = Cleaner(**self.options)
        return self._cleaner

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cleaner"] = None  # built again in the worker
        return state

    def format(self, text: str) -> str:
        return self.cleaner.clean_markup(text, self.markup).text

    def run(self, data: Any, rank: int = 0, world_size: int = 1) -> Iterator[Any]:
        for doc in data:
            self.stat_update("total")
            with self.track_time():
                result = self.cleaner.clean_markup(doc.text, self.markup)
            for key, count in result.counts().items():
                self.stat_update(f"removed:{key}", value=count)
            if result.changed:
                self.stat_update("changed")
            doc.text = result.text
            yield doc
