"""Extraction, matching and signing in worker processes, so a poll uses every core.

In one process a poll is bound to one core: trafilatura, the topic matcher and the story
signature (the `prepare` stage, ~7 ms per page) share it with fetching and storing. A
pool of workers takes `prepare` off the poll's process, which keeps fetching and storing.

Workers come from a forkserver that imports the pipeline once, so starting them costs a
fork, not an interpreter start, and never forks the poll's own threads (Prefect's). Each
worker compiles the poll's topics once (its initializer). A small batch of pages is
prepared in the poll's process: handing it to workers would cost more than it saves.
Pages go to the workers in chunks (see `Preparer._dispatch`), each page's failure its own.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.forkserver
import sys
import threading
import types
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace

from extractors.errors import PermanentError
from extractors.feeds import FeedItem
from extractors.outlets import Outlet
from flows.fetch.result import FetchResult
from flows.pipeline.prepare import Prepared, prepare

log = logging.getLogger("rasid.pipeline")

POOL_MIN_PAGES = 8  # an outlet batch this large starts the pool (once per poll)
MAX_CHUNK = 8  # pages handed to a worker in one call
_worker: dict = {}  # in a worker process: the compiled matcher and the gazetteer


def _init_worker(topics, lists, gazetteer) -> None:
    from extractors.matcher import TopicMatcher

    _worker["matcher"] = TopicMatcher.compile(topics, lists)
    _worker["gazetteer"] = gazetteer


def _prepare_in_worker(jobs: list[tuple[Outlet, FeedItem, FetchResult, frozenset]]) -> list[tuple[bool, object]]:
    """(True, Prepared) or (False, the exception) per page: one page's failure is its own."""
    return [_outcome(prepare, _worker["matcher"], outlet, item, page, _worker["gazetteer"], site_lines)
            for outlet, item, page, site_lines in jobs]


def _outcome(function, *args) -> tuple[bool, object]:
    try:
        return True, function(*args)
    except Exception as exc:  # noqa: BLE001 - handed to the page's own caller, which re-raises it
        return False, exc


_HIDING = threading.Lock()  # the swap below is not reentrant: one thread at a time


@contextmanager
def _main_hidden():
    """multiprocessing re-runs the parent's __main__ (the rasid script, pytest, a bench) in every
    worker it starts; workers need none of it, so it is hidden while a submit may start one."""
    with _HIDING:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _forkserver() -> multiprocessing.context.BaseContext:
    """The forkserver context, its server running with the pipeline imported (idempotent,
    thread-safe: multiprocessing locks the start). Failures surface when the pool starts."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["flows.pipeline.prepare_pool", "trafilatura"])
    with _main_hidden():
        try:
            multiprocessing.forkserver.ensure_running()
        except (OSError, RuntimeError):
            pass
    return context


class Preparer:
    """`await preparer.prepare(outlet, item, page)`: inline for small batches, in workers for large ones."""

    def __init__(self, watch, matcher, processes: int):
        self.watch, self.matcher, self.processes = watch, matcher, processes
        self._pool: ProcessPoolExecutor | None = None
        self._starting = asyncio.Lock()
        self._queued: list[tuple[tuple, asyncio.Future]] = []
        self._chunks: set[asyncio.Task] = set()
        self._in_flight = 0
        self._early: asyncio.Future | None = None  # the background start of start_soon

    def wants_pool(self, pages: int) -> bool:
        return self.processes > 0 and (self._pool is not None or pages >= POOL_MIN_PAGES)

    def start_soon(self) -> None:
        """Start the workers now, in the background, once discovery shows a batch for them, rather
        than when its first page has been fetched (measured: ready ~0.05–0.1 s sooner in a
        600-page poll; their start overlaps the first fetches either way)."""
        if self._pool is None and self.processes > 0 and self._early is None:
            self._early = asyncio.ensure_future(self._running())

    async def prepare(self, outlet: Outlet, item: FeedItem, page: FetchResult, pooled: bool,
                      site_lines: frozenset[str] = frozenset()) -> Prepared:
        if not pooled:
            return self._inline(outlet, item, page, site_lines)
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        # the text is what extraction reads; do not pickle the bytes twice
        self._queued.append(((outlet, item, replace(page, body=b""), site_lines), future))
        if len(self._queued) == 1:  # pages that arrive in this turn of the loop travel together
            loop.call_soon(self._dispatch)
        return await future

    def _dispatch(self) -> None:
        """The queued pages in chunks, one worker call each: a call costs the poll's process
        ~1 ms (pickling, the executor's queue and threads, waking the loop) whatever it holds.
        While every worker is busy with one chunk and has the next waiting, pages wait here
        and leave together when one finishes: no page waits for a chunk while a worker idles."""
        while self._queued and self._in_flight <= self.processes:
            free = self.processes + 1 - self._in_flight
            size = min(MAX_CHUNK, -(-len(self._queued) // free))
            chunk, self._queued = self._queued[:size], self._queued[size:]
            self._in_flight += 1
            task = asyncio.ensure_future(self._run_chunk(chunk))
            self._chunks.add(task)
            task.add_done_callback(self._chunk_done)

    def _chunk_done(self, task: asyncio.Task) -> None:
        self._chunks.discard(task)
        self._in_flight -= 1
        self._dispatch()

    async def _run_chunk(self, chunk: list) -> None:
        jobs, futures = [job for job, _ in chunk], [future for _, future in chunk]
        try:
            outcomes = await self._in_workers(jobs)
        except BaseException as exc:  # noqa: BLE001 - every page waiting on this chunk gets it
            outcomes = [(False, exc)] * len(jobs)
        for future, (ok, value) in zip(futures, outcomes):
            if not future.done():  # its poll may have been cancelled meanwhile
                future.set_result(value) if ok else future.set_exception(value)

    async def _in_workers(self, jobs: list) -> list[tuple[bool, object]]:
        for _ in (1, 2):  # a dead worker fails every page in flight: each gets one more try
            pool = await self._running()
            if pool is None:  # workers cannot start here: the poll goes on in its own process
                return [_outcome(self._inline, *job) for job in jobs]
            try:
                return await asyncio.wrap_future(pool.submit(_prepare_in_worker, jobs))
            except BrokenProcessPool:
                self._discard(pool)
        return [(False, PermanentError(f"{page.url}: the extraction worker died twice on this page"))
                for _, _, page, _ in jobs]

    def _inline(self, outlet: Outlet, item: FeedItem, page: FetchResult,
                site_lines: frozenset[str] = frozenset()) -> Prepared:
        return prepare(self.matcher, outlet, item, page, self.watch.gazetteer, site_lines)

    async def _running(self) -> ProcessPoolExecutor | None:
        """The pool with all its workers up; started in a thread, so fetching goes on meanwhile
        (the first start imports the pipeline in the forkserver). None when processes cannot be
        started here (a sandbox without fork, no /dev/shm): then every page is prepared inline."""
        async with self._starting:
            if self._pool is None and self.processes > 0:
                try:
                    self._pool = await asyncio.to_thread(self._start)
                except (OSError, RuntimeError, BrokenProcessPool) as exc:
                    log.warning("extraction workers could not start (%s: %s); extracting in the poll's process",
                                exc.__class__.__name__, exc)
                    self.processes = 0
        return self._pool

    def warm_up(self) -> None:
        """Start the forkserver now, in the background: it imports the pipeline (~0.3 s), which
        otherwise delays the first worker until after discovery. It serves every later poll in
        this process too, so a poll that needs no workers costs it once per process."""
        if self.processes > 0:
            threading.Thread(target=_forkserver, name="rasid-forkserver-start", daemon=True).start()

    def _start(self) -> ProcessPoolExecutor:
        context = _forkserver()
        pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init_worker,
                                   initargs=(self.watch.topics, self.watch.lists, self.watch.gazetteer))
        with _main_hidden():  # every worker starts here: one submit each while none is idle
            for ready in [pool.submit(int) for _ in range(self.processes)]:
                ready.result()
        log.debug("started %d extraction workers", self.processes)
        return pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """A dead worker breaks the whole pool; the next page starts a fresh one."""
        if self._pool is pool:
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
