"""What `rasid serve` costs while nothing happens, and how long a new article takes to become an alert.

    uv run python bench/serve_costs.py [--quick] [--interval-seconds 20] [--idle-s 300]
                                       [--rasid /path/to/other/checkout/.venv/bin/rasid] [--idle-only]

Runs `rasid serve` as an operator does (a subprocess, no PREFECT_API_URL, so it starts its own
local Prefect server; a fresh PREFECT_HOME) against the offline replica (seeds/replay, wave 1)
and a local alert endpoint, both in this process. Prints one JSON object:

- idle: serve with the outlets' own intervals (10, 15 and 30 min). Once its first polls are done
  (one per interval: waiting for fewer left the last one running into the window, its end and its
  server-side events charged as idle) and have settled, the CPU time of serve's whole process tree (serve, the local Prefect server,
  any run subprocess) is read from /proc over `--idle-s` seconds: `idle_cpu_s_per_min`, with the
  share of the server (`idle_server_cpu_s_per_min`). The findings page is on, as by default.
- latency: serve again on the same archive with `--interval-seconds N` and on a port that is
  not Prefect's default. The replica's feeds (and news sitemap) first list every article but the
  ones that should alert; those appear one by one at random moments (uniform over 1.5 intervals
  after the previous alert), each timed until its alert reaches the endpoint: `alert_latency_s`
  (median), `alert_latency_p95_s` (nearest rank), `alert_latencies_s`, with `interval_s`.
- `custom_port` and `ui_api_url_on_custom_port`: the API address the dashboard's UI is told
  (`/ui-settings`) by the server serve started on that port.

`--quick` (~5 min): 60 s of idle sampling. `--rasid` runs another checkout's command (a
before/after comparison of the idle phase, `--idle-only`). On a shared machine the figures
move with the neighbours' load; say so beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.replay.demo import REPLAY_DIR  # noqa: E402
from flows.replay.servers import AlertSink, ReplayServer, Resource  # noqa: E402

WAVE = "wave1"
ARTICLE_BLOCK = re.compile(r"<(item|entry|url)\b.*?</\1>", re.S)


class HoldingReplica(ReplayServer):
    """The replica, with some articles left out of their feed or sitemap until `release(url)`."""

    def __init__(self, held: list[str], work: Path) -> None:
        super().__init__(REPLAY_DIR, WAVE, keep_alive=True)
        self.work, self.held = work, set(held)
        self.listings = {url: res for url, res in self.resources.items()
                         if res.content_type.split(";")[0].endswith("xml") and not url.endswith("robots.txt")}
        self._rewrite()

    def release(self, url: str) -> None:
        self.held.discard(url)
        self._rewrite()

    def _rewrite(self) -> None:
        for n, (url, original) in enumerate(self.listings.items()):
            text = original.file.read_text(encoding="utf-8")
            kept = ARTICLE_BLOCK.sub(lambda m: "" if any(_listed(h, m.group(0)) for h in self.held) else m.group(0),
                                     text)
            path = self.work / f"listing-{n}-{len(self.held)}.xml"
            path.write_text(kept, encoding="utf-8")
            self.resources[url] = Resource(path, original.content_type, original.status, original.headers)


def _listed(url: str, block: str) -> bool:
    return url in block or url.replace("&", "&amp;") in block


def alerting_articles() -> list[dict]:
    expected = yaml.safe_load((REPLAY_DIR / "expected.yaml").read_text(encoding="utf-8"))
    return [a for a in expected["waves"][WAVE]["articles"] if a.get("alert")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu_s(root: int) -> dict[str, float]:
    """CPU seconds (user + system) of `root` and every descendant, living or ended and reaped, by role
    (server, all). Ended processes are in their parent's cutime/cstime, so a subprocess that ran
    and exited between two readings (a relay run) is counted."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, cpu, command = {}, {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            command[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        # own time plus the children it reaped: a run's subprocess that ended within the window counts too
        cpu[int(entry)] = sum(int(value) for value in fields[11:15]) / tick
    totals = {"all": 0.0, "server": 0.0}
    for pid in cpu:
        ancestor = pid
        while ancestor not in (root, 0, 1) and ancestor in parent:
            ancestor = parent[ancestor]
        if ancestor != root:
            continue
        totals["all"] += cpu[pid]
        if "server start" in command[pid] or "lean_server" in command[pid]:
            totals["server"] += cpu[pid]
    return totals


class Serve:
    """`rasid serve` in a subprocess with its own Prefect home; stopped with SIGTERM."""

    def __init__(self, rasid: list[str], config: Path, home: Path, port: int, log: Path, *extra: str) -> None:
        env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "DO_NOT_TRACK": "1"}
        env.pop("PREFECT_API_URL", None)
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop
        self.process = subprocess.Popen([*rasid, "serve", "--config", str(config), "--port", str(port), *extra],
                                        env=env, cwd=config.parent, stdout=self.log, stderr=subprocess.STDOUT)

    def alive(self) -> None:
        if self.process.poll() is not None:
            raise SystemExit(f"rasid serve exited ({self.process.returncode}); see {self.log.name}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def wait_for(condition, serve: Serve, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        serve.alive()
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}; see {serve.log.name}")
        time.sleep(0.2)


def titles(sink: AlertSink) -> list[str]:
    with sink.lock:
        return [str(d.payload.get("title", "")) if isinstance(d.payload, dict) else str(d.payload)
                for d in sink.deliveries]


def completed_polls(state_dir: Path) -> int:
    import sqlite3

    path = state_dir / "rasid.db"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM poll_runs WHERE status = 'completed'").fetchone()[0]
    except sqlite3.Error:
        return 0


def poll_groups() -> int:
    """How many poll deployments serve makes for the replica: one per poll interval of its enabled outlets."""
    from flows.pipeline.watch import load_outlets

    return len({outlet.poll_minutes for outlet in load_outlets(REPLAY_DIR / "outlets.yaml") if outlet.enabled})


def idle_phase(args, rasid, config, state_dir, sink, work) -> dict:
    serve = Serve(rasid, config, work / "prefect-idle", free_port(), work / "serve-idle.log")
    try:
        wait_for(lambda: completed_polls(state_dir) >= poll_groups(), serve, 600, "the first polls")
        time.sleep(args.settle_s)
        polls_before = completed_polls(state_dir)
        before, started = tree_cpu_s(serve.process.pid), time.monotonic()
        while time.monotonic() - started < args.idle_s:
            serve.alive()
            time.sleep(1)
        after, span = tree_cpu_s(serve.process.pid), time.monotonic() - started
        polls_during = completed_polls(state_dir)
    finally:
        serve.stop()
    return {"idle_cpu_s_per_min": round((after["all"] - before["all"]) * 60 / span, 2),
            "idle_server_cpu_s_per_min": round((after["server"] - before["server"]) * 60 / span, 2),
            "idle_window_s": round(span), "idle_alerts_sent_before": len(sink.deliveries),
            "idle_polls_at_start": polls_before, "idle_polls_completed": polls_during}


def latency_phase(args, rasid, config, state_dir, sink, replica, work) -> dict:
    port = free_port()
    while port == 4200:
        port = free_port()
    serve = Serve(rasid, config, work / "prefect-latency", port, work / "serve-latency.log",
                  "--interval-seconds", str(args.interval_seconds))
    rng = random.Random(args.seed)
    latencies = []
    try:
        polls = completed_polls(state_dir)
        wait_for(lambda: completed_polls(state_dir) > polls, serve, 600, "the first poll at the short interval")
        ui = httpx.get(f"http://127.0.0.1:{port}/ui-settings", timeout=30, trust_env=False).json()
        for article in alerting_articles():
            time.sleep(rng.uniform(0, 1.5 * args.interval_seconds))
            count = len(sink.deliveries)
            released = time.monotonic()
            replica.release(article["url"])
            wait_for(lambda: len(sink.deliveries) > count, serve, 10 * args.interval_seconds + 120,
                     f"the alert of {article['url']}")
            latencies.append(round(time.monotonic() - released, 1))
    finally:
        serve.stop()
    ordered = sorted(latencies)
    return {"interval_s": args.interval_seconds, "alert_latency_s": statistics.median(latencies),
            "alert_latency_p95_s": ordered[max(0, -(-95 * len(ordered) // 100) - 1)],
            "alert_latencies_s": latencies, "custom_port": port, "ui_api_url_on_custom_port": ui.get("api_url")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="60 s of idle sampling (about 5 minutes in all)")
    parser.add_argument("--idle-s", type=float, default=300)
    parser.add_argument("--settle-s", type=float, default=30, help="wait after the first polls before sampling")
    parser.add_argument("--interval-seconds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--rasid", help="the rasid command to run (default: this checkout's)")
    parser.add_argument("--idle-only", action="store_true")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-ups below: serve is stopped, not orphaned
    if args.quick:
        args.idle_s = 60
    rasid = [args.rasid] if args.rasid else [str(Path(sys.executable).with_name("rasid"))]
    work = Path(tempfile.mkdtemp(prefix="rasid-serve-costs-"))
    state_dir = work / "state"
    replica = HoldingReplica([a["url"] for a in alerting_articles()], work)
    sink = AlertSink()
    config = work / "settings.yaml"
    config.write_text(yaml.safe_dump({
        "state_dir": str(state_dir), "outlets_file": str(REPLAY_DIR / "outlets.yaml"),
        "channels": {"default": sink.url()}, "web": {"port": free_port()},
        "fetch": {"replay_url": replica.base_url, "allow_networks": ["127.0.0.1/32"], "per_host_delay_s": 0.0,
                  "per_host_concurrency": 4, "retries": 0}}, allow_unicode=True), encoding="utf-8")
    result = {"rasid": " ".join(rasid), "cpus": os.cpu_count(), "load_1min_at_start": round(os.getloadavg()[0], 2)}
    try:
        result.update(idle_phase(args, rasid, config, state_dir, sink, work))
        print(json.dumps(result), file=sys.stderr, flush=True)  # the idle figures, while the latency phase runs
        if not args.idle_only:
            result.update(latency_phase(args, rasid, config, state_dir, sink, replica, work))
    finally:
        replica.close()
        sink.close()
    result["load_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
