"""`rasid demo`: the whole pipeline offline, against a replica of the seed outlets.

Starts the replay server and an alert sink on 127.0.0.1, polls the first wave,
then the second (later feed state), delivering alerts through apprise to the sink,
and reports what arrived.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flows.local_servers import AlertSink, ReplayServer
from flows.settings import SEEDS_DIR, Settings, load_settings

REPLAY_DIR = SEEDS_DIR / "replay"
WAVES = ("wave1", "wave2")


@dataclass
class WaveResult:
    wave: str
    stored: int
    copies: int
    alerts: list[dict]
    delivered: int
    errors: list[str] = field(default_factory=list)


def demo_settings(state_dir: Path, replay: ReplayServer, sink: AlertSink, database_url: str | None = None) -> Settings:
    """Settings for polling the replica: loopback allowed explicitly, no politeness delay needed."""
    return load_settings(
        None, state_dir=state_dir, database_url=database_url,
        outlets_file=REPLAY_DIR / "outlets.yaml", channels={"default": sink.url()},
        fetch={"replay_url": replay.base_url, "allow_networks": ["127.0.0.1/32"], "per_host_delay_s": 0.0,
               "per_host_concurrency": 4, "retries": 0})


def run_demo(state_dir: Path | None = None, database_url: str | None = None) -> dict:
    from flows.poll import poll_flow

    state_dir = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="rasid-demo-"))
    replay, sink = ReplayServer(REPLAY_DIR, WAVES[0]), AlertSink()
    waves = []
    try:
        settings = demo_settings(state_dir, replay, sink, database_url)
        for wave in WAVES:
            replay.set_wave(wave)
            before = len(sink.deliveries)
            summary = asyncio.run(poll_flow(settings))
            waves.append(WaveResult(
                wave=wave, stored=summary.total("stored"), copies=summary.total("copies"),
                alerts=[v.to_dict() for v in summary.relay.sent], delivered=len(sink.deliveries) - before,
                errors=[e for r in summary.outlets for e in r.errors] + summary.config_errors))
    finally:
        replay.close()
        sink.close()
    return _report(state_dir, waves)


def _report(state_dir: Path, waves: list[WaveResult]) -> dict:
    return {
        "state_dir": str(state_dir),
        "articles_stored": sum(w.stored for w in waves),
        "copies_attached": sum(w.copies for w in waves),
        "alerts": [{**a, "wave": w.wave} for w in waves for a in w.alerts],
        "delivered_to_endpoint": sum(w.delivered for w in waves),
        "waves": [{"wave": w.wave, "stored": w.stored, "copies_attached": w.copies, "alerts": len(w.alerts),
                   "errors": w.errors} for w in waves],
        "nothing_new": all(w.stored == 0 and not w.alerts for w in waves),
    }
