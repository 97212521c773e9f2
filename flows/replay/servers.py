"""Loopback HTTP servers the demo and the tests run: the outlet replica and an alert sink.

Both bind 127.0.0.1 on a free port, run in a daemon thread and stop on `close()`.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from extractors.errors import ConfigError
from extractors.outlets import load_yaml


@dataclass(frozen=True)
class Resource:
    file: Path
    content_type: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


def load_wave(replay_dir: Path, wave: str) -> dict[str, Resource]:
    """URL -> Resource for one wave, following `extends:` to earlier waves."""
    manifest_path = replay_dir / wave / "manifest.yaml"
    if not manifest_path.is_file():
        raise ConfigError("replay wave has no manifest.yaml", source=str(manifest_path))
    data = load_yaml(manifest_path.read_text(encoding="utf-8"), str(manifest_path)) or {}
    resources = load_wave(replay_dir, data["extends"]) if data.get("extends") else {}
    for entry in data.get("resources") or []:
        try:
            resources[entry["url"]] = Resource(
                file=replay_dir / wave / entry["file"], content_type=entry.get("content_type", "text/html"),
                status=int(entry.get("status", 200)),
                headers=tuple((k, str(v)) for k, v in (entry.get("headers") or {}).items() if k != "__line__"))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"bad resource entry ({exc})", source=str(manifest_path),
                              line=entry.get("__line__") if isinstance(entry, dict) else None) from None
    return resources


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog is 5: a poll opening dozens of connections at once had
    # some SYNs dropped and retried a second later, which stalled its in-order storing.
    request_queue_size = 128

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()


class _QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Requests are counted by the server, not printed over the demo's output."""


class ReplayServer(_Server):
    """Serves recorded outlets: GET /HOST/PATH?Q answers the manifest entry of https://HOST/PATH?Q.

    `keep_alive` answers HTTP/1.1 and keeps connections open, as real outlets do (the
    benchmark uses it); by default each answer closes its connection (HTTP/1.0).
    """

    def __init__(self, replay_dir: Path, wave: str, page_delay_s: float = 0.0, keep_alive: bool = False) -> None:
        self.replay_dir = replay_dir
        self.page_delay_s = page_delay_s  # tests slow article pages down to kill a poll mid-run
        self.requests: list[str] = []
        self.set_wave(wave)
        super().__init__(_KeepAliveReplayHandler if keep_alive else _ReplayHandler)

    def set_wave(self, wave: str) -> None:
        self.resources = load_wave(self.replay_dir, wave)
        self.wave = wave

    def lookup(self, path: str) -> Resource | None:
        host, _, rest = path.lstrip("/").partition("/")
        for scheme in ("https", "http"):
            found = self.resources.get(f"{scheme}://{host}/{rest}")
            if found is not None:
                return found
        return None


class _ReplayHandler(_QuietHandler):
    server: ReplayServer

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.server.requests.append(self.path)
        resource = self.server.lookup(self.path)
        if resource is None:
            self.send_error(404)
            return
        body = resource.file.read_bytes()
        if self.server.page_delay_s and resource.content_type.startswith("text/html"):
            time.sleep(self.server.page_delay_s)
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in resource.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class _KeepAliveReplayHandler(_ReplayHandler):
    protocol_version = "HTTP/1.1"


@dataclass
class Delivery:
    path: str
    payload: Any
    headers: dict[str, str] = field(default_factory=dict)


class AlertSink(_Server):
    """Records what notification channels POST to it (apprise json:// and form://)."""

    def __init__(self, fail_times: int = 0, delay_s: float = 0.0) -> None:
        self.deliveries: list[Delivery] = []
        self.fail_times = fail_times
        self.delay_s = delay_s  # a slow channel, so tests can kill a relay mid-delivery
        self.lock = threading.Lock()
        super().__init__(_SinkHandler)

    def url(self, path: str = "alerts") -> str:
        """The apprise URL of this sink."""
        host, port = self.server_address[:2]
        return f"json://{host}:{port}/{path}"


class _SinkHandler(_QuietHandler):
    server: AlertSink

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.delay_s:
            time.sleep(self.server.delay_s)
        with self.server.lock:
            if self.server.fail_times > 0:
                self.server.fail_times -= 1
                self.send_error(503)
                return
            try:
                payload = json.loads(raw.decode("utf-8"))
            except ValueError:
                payload = raw.decode("utf-8", "replace")
            self.server.deliveries.append(Delivery(urlsplit(self.path).path, payload, dict(self.headers)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
