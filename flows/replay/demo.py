"""`rasid demo`: the whole pipeline offline, against a replica of the seed outlets.

Starts the replay server and an alert sink on 127.0.0.1, polls the first wave,
then the second (later feed state), delivering alerts through apprise to the sink,
and reports what arrived. With `workers > 1` each wave is polled by that many
`rasid poll` processes at once, and the report counts what they doubled (nothing).
"""

from __future__ import annotations

import asyncio
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from flows.replay.servers import AlertSink, ReplayServer
from flows.settings import SEEDS_DIR, Settings, load_settings, write_settings_file
from storage import outbox, repo
from storage.db import init_db

REPLAY_DIR = SEEDS_DIR / "replay"
WAVES = ("wave1", "wave2")


@dataclass
class WaveResult:
    wave: str
    stored: int = 0
    copies: int = 0
    alerts: list[dict] = field(default_factory=list)
    delivered: int = 0
    errors: list[str] = field(default_factory=list)
    attached: list[dict] = field(default_factory=list)


def demo_settings(state_dir: Path, replay: ReplayServer, sink: AlertSink, database_url: str | None = None) -> Settings:
    """Settings for polling the replica: loopback allowed explicitly, no politeness delay needed."""
    return load_settings(
        None, state_dir=state_dir, database_url=database_url,
        outlets_file=REPLAY_DIR / "outlets.yaml", channels={"default": sink.url()},
        fetch={"replay_url": replay.base_url, "allow_networks": ["127.0.0.1/32"], "per_host_delay_s": 0.0,
               "per_host_concurrency": 4, "retries": 0})


def run_demo(state_dir: Path | None = None, database_url: str | None = None, workers: int = 1) -> dict:
    state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="rasid-demo-"))
    with ExitStack() as stack:
        replay = ReplayServer(REPLAY_DIR, WAVES[0])
        stack.callback(replay.close)
        sink = AlertSink()
        stack.callback(sink.close)
        settings = demo_settings(state_dir, replay, sink, database_url)
        poll = _in_process if workers == 1 else stack.enter_context(_processes(settings, workers))
        waves = []
        for wave in WAVES:
            replay.set_wave(wave)
            waves.append(_poll_wave(wave, settings, sink, poll))
    return _report(state_dir, settings, waves, sink, workers)


def _poll_wave(wave: str, settings: Settings, sink: AlertSink, poll) -> WaveResult:
    engine = init_db(settings)
    with Session(engine) as session:
        before_id = outbox.last_id(session)
        first_article = repo.last_article_id(session) + 1
    before = len(sink.deliveries)
    result = WaveResult(wave)
    for counts, errors in poll(settings):
        result.stored += sum(c["stored"] for c in counts.values())
        result.copies += sum(c["copies"] for c in counts.values())
        result.errors += errors
    result.delivered = len(sink.deliveries) - before
    result.alerts = _sent_views(settings, before_id)
    result.attached = _attached(engine, settings, first_article)
    return result


def _attached(engine, settings: Settings, first_article: int) -> list[dict]:
    """Articles of this wave that joined a known story instead of starting one (no alert)."""
    from flows.pipeline.watch import load_outlets

    names = {o.id: o.name for o in load_outlets(settings.outlets_file)}
    with Session(engine) as session:
        rows = [(article, story) for article, story in repo.attached_since(session, first_article)
                if not outbox.alerted(session, article.id)]  # a first denial joins its story with an update
    return [{"title": article.title, "outlet": names.get(article.outlet_id, article.outlet_id),
             "url": article.url, "story": story.title,
             "reported_by": [names.get(o, o) for o in story.outlets]} for article, story in rows]


def _in_process(settings: Settings):
    from flows.poll import poll_flow

    summary = asyncio.run(poll_flow(settings))
    yield {r.outlet_id: r.counts() for r in summary.outlets}, [e for r in summary.outlets for e in r.errors] + \
        summary.config_errors


class _processes:
    """Poll with N `rasid poll` child processes sharing one Prefect API."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.config = write_settings_file(settings, Path(settings.state_dir) / "demo-settings.yaml")
        self.workers = workers

    def __enter__(self):
        from flows.pipeline.workers import shared_prefect_api

        self._api = shared_prefect_api()
        self.api_url = self._api.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._api.__exit__(*exc)

    def __call__(self, settings: Settings):
        from flows.pipeline.workers import start_polls, wait_all

        for result in wait_all(start_polls(self.config, self.workers, self.api_url)):
            errors = [e for c in result["outlets"].values() for e in c["errors"]]
            yield result["outlets"], errors + result["config_errors"]


def _sent_views(settings: Settings, after_id: int) -> list[dict]:
    from flows.alerts.relay import views_for
    from flows.pipeline.watch import load_watch

    watch = load_watch(settings)
    view_of = views_for(settings, watch)
    with Session(init_db(settings)) as session:
        return [view_of(claimed).to_dict() for claimed in outbox.sent_after(session, after_id)]


def _report(state_dir: Path, settings: Settings, waves: list[WaveResult], sink: AlertSink, workers: int) -> dict:
    from flows.pipeline.workers import count_duplicates

    stored = count_duplicates(settings)
    delivered = [(d.payload.get("title"), d.payload.get("body") or d.payload.get("message"))
                 for d in sink.deliveries if isinstance(d.payload, dict)]
    return {
        "state_dir": str(state_dir),
        "workers": workers,
        "articles_stored": sum(w.stored for w in waves),
        "copies_attached": sum(w.copies for w in waves),
        "alerts": [{**a, "wave": w.wave} for w in waves for a in w.alerts],
        "delivered_to_endpoint": sum(w.delivered for w in waves),
        "duplicates": stored.total + len(delivered) - len(set(delivered)),
        "waves": [{"wave": w.wave, "stored": w.stored, "copies_attached": w.copies, "alerts": len(w.alerts),
                   "attached": w.attached, "errors": w.errors} for w in waves],
        "nothing_new": all(w.stored == 0 and not w.alerts for w in waves),
    }
