"""Progress of a poll for the command line: outlets polled, pages fetched, matches found.

The poll flow reports each finished outlet to whoever listens (nobody, under a
schedule or a worker); `rasid poll` listens with a rich progress line, or not at all
with `--quiet`/`--json`. A module-level listener rather than a flow parameter, because
Prefect serialises flow parameters and a callback is not data.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Protocol


class Listener(Protocol):
    def started(self, outlets: int) -> None: ...

    def outlet_done(self, report) -> None: ...


_listeners: list[Listener] = []


def poll_started(outlets: int) -> None:
    for listener in list(_listeners):
        listener.started(outlets)


def outlet_done(report) -> None:
    """Called by the poll flow as each outlet finishes (report: flows.pipeline.outlet.OutletReport)."""
    for listener in list(_listeners):
        listener.outlet_done(report)


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    _listeners.append(listener)
    try:
        yield listener
    finally:
        _listeners.remove(listener)


@dataclass
class Totals:
    """What the progress line shows; also what `--json` callers may read."""

    outlets: int = 0
    polled: int = 0
    fetched: int = 0
    stored: int = 0
    matched: int = 0
    failed: int = 0

    def add(self, report) -> None:
        self.polled += 1
        self.fetched += report.fetched
        self.stored += report.stored
        self.matched += report.matched
        self.failed += report.failed

    def line(self) -> str:
        return (f"outlets {self.polled}/{self.outlets} · pages fetched {self.fetched} · stored {self.stored} · "
                f"matches {self.matched}" + (f" · failed {self.failed}" if self.failed else ""))


class RichProgress:
    """A live rich line on stderr, so stdout stays the poll's result."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

        self.totals = Totals()
        self.progress = Progress(SpinnerColumn(), BarColumn(), TextColumn("{task.description}"),
                                 console=console or Console(stderr=True), transient=False)
        self.task = self.progress.add_task("starting Prefect…", total=None)

    def started(self, outlets: int) -> None:
        self.totals.outlets = outlets
        self.progress.update(self.task, total=outlets, description=self.totals.line())

    def outlet_done(self, report) -> None:
        self.totals.add(report)
        self.progress.update(self.task, advance=1, description=self.totals.line())

    def __enter__(self) -> "RichProgress":
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()


class Counting:
    """A silent listener (for --quiet/--json and tests): totals only."""

    def __init__(self, on_outlet: Callable[[object], None] | None = None) -> None:
        self.totals = Totals()
        self.on_outlet = on_outlet

    def started(self, outlets: int) -> None:
        self.totals.outlets = outlets

    def outlet_done(self, report) -> None:
        self.totals.add(report)
        if self.on_outlet:
            self.on_outlet(report)


def run_poll(settings, outlet_ids: list[str] | None, *, show: bool):
    """`rasid poll`'s body: the poll flow with a progress line when `show` (a terminal, not --quiet/--json)."""
    import asyncio

    from flows.poll import poll_flow

    if not show:
        return asyncio.run(poll_flow(settings, outlet_ids))
    with RichProgress() as line, listening(line):
        return asyncio.run(poll_flow(settings, outlet_ids))
