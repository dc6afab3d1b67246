"""Worker processes for ``python -m pipeline run --workers N``: N documents at once.

The runner decides which documents need a run and prints the one progress display; each run is
executed by one of N worker processes. Workers are forked, not spawned, from the runner once it
has imported Dagster and loaded the definitions and the spaCy model: a worker starts in
milliseconds and shares those pages with the parent instead of importing and loading them again
(a spawned worker costs several seconds of CPU each on a 2-core machine). They parse through
the runner's parser fork server (``core.layout.share_parser``), started before the runner imported
Dagster, rather than each starting one of its own.

A worker that dies (killed, out of memory) breaks the pool: the documents it and the queue still
held end as failed runs with that reason and, having no finish marker, are done again on the next
run, like the run of a killed ``--workers 1`` process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: prctl option: the signal a process gets when its parent dies
PR_SET_PDEATHSIG = 1
DIED = "the worker process running it died (killed, or out of memory); it is done again on the next run"


def die_with_parent() -> None:
    """A worker must not outlive its runner: when the runner is killed, its workers die too.

    Otherwise a killed ``pipeline run`` leaves workers finishing (or stuck in) runs that no
    process will record, and the next run cannot tell those runs were interrupted (their
    worker's pid is still alive). Linux only (``prctl(PR_SET_PDEATHSIG)``); elsewhere the
    workers finish their current document and exit when the pool's pipe closes.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the runner died before the line above: nobody will read our result
        os._exit(1)


def _start(initializer: Callable[..., None], args: tuple[Any, ...]) -> None:
    die_with_parent()
    from pipeline.core.layout import share_parser

    share_parser()  # the runner's parser fork server, not one per worker
    initializer(*args)


def run_in_workers(
    fn: Callable[[T], R],
    items: Iterable[T],
    workers: int,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
) -> Iterator[tuple[T, R | None, str | None]]:
    """``fn(item)`` in ``workers`` forked processes: (item, result, None) or (item, None, error),
    in the order they finish. ``initializer(*initargs)`` runs once in each worker first."""
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start, initargs=(initializer, initargs)
    ) as pool:
        futures: dict[Future[R], T] = {pool.submit(fn, item): item for item in items}
        try:
            for future in as_completed(futures):
                item = futures[future]
                try:
                    yield item, future.result(), None
                except BrokenProcessPool:
                    yield item, None, DIED
                except Exception as exc:  # one document's failure must not stop the others
                    yield item, None, f"run could not be executed: {exc!r}"[:500]
        except BaseException:  # Ctrl-C: the queued documents are not started
            pool.shutdown(wait=True, cancel_futures=True)
            raise
