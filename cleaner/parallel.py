"""An ordered map over batches on N processes, with bounded memory.

`multiprocessing.Pool.imap` feeds its workers from the input as fast as it can read, so a
large input would be held in memory; here at most `window` batches are in flight, and results
come back in input order, so `--jobs 1` and `--jobs N` write the same bytes. Each worker builds
its own state once (for the CLI: a `Cleaner`, rules compiled and model loaded once per worker).
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from cleaner.errors import WorkerError

if TYPE_CHECKING:
    from concurrent.futures import Future

PR_SET_PDEATHSIG = 1

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
    # The pool's modules are loaded here: a run of one job (one file) does without them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    limit = window or 2 * jobs
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start,
                               initargs=(os.getpid(), initializer, initargs))
    pending: deque[Future[R]] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(fn, batch))
            if len(pending) >= limit:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise WorkerError("a worker process died (killed by a signal, or out of memory); "
                          "the output being written was left out") from None
    finally:
        # On any way out (an error, Ctrl-C, SIGTERM) the workers go too, unfinished work
        # dropped: nothing of theirs is written after the parent has stopped writing.
        for future in pending:
            future.cancel()
        # Batches still buffered for killed workers are dropped, not flushed: the queue's
        # feeder thread would otherwise block for good writing them into a pipe that no
        # process reads any more, and the shutdown with it (a run that failed on a full disk
        # hung now and then, with big Arrow batches in flight).
        queue = getattr(pool, "_call_queue", None)
        if queue is not None:
            queue.cancel_join_thread()
        for process in list(getattr(pool, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(parent: int, initializer: Callable[..., None] | None,
                  initargs: tuple[Any, ...]) -> None:
    """A worker ends when its parent does (killed with SIGKILL, it runs no cleanup of its
    own), and takes SIGTERM and Ctrl-C as plain ends, leaving the report to the parent."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def _die_with_parent(parent: int) -> None:
    """Linux's PR_SET_PDEATHSIG: the kernel sends SIGKILL to this process when its parent
    exits. Elsewhere, or if the parent is already gone, nothing is set / the worker exits."""
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the call above took effect
        os._exit(1)
