"""An ordered map over batches on N processes, with bounded memory.

`multiprocessing.Pool.imap` feeds its workers from the input as fast as it can read, so a
large input would be held in memory; here at most `window` batches are in flight, and results
come back in input order, so `--jobs 1` and `--jobs N` write the same bytes. Each worker builds
its own state once (for the CLI: a `Cleaner`, rules compiled and model loaded once per worker).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(fn: Callable[[T], R], batches: Iterable[T], jobs: int,
                initializer: Callable[..., None] | None = None,
                initargs: tuple[Any, ...] = (), window: int | None = None) -> Iterator[R]:
    """fn over batches, results in order; in this process when jobs is 1."""
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for batch in batches:
            yield fn(batch)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    limit = window or 2 * jobs
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        pending: deque[Future[R]] = deque()
        for batch in batches:
            pending.append(pool.submit(fn, batch))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
