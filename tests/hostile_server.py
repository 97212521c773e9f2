"""A loopback HTTP server that misbehaves on purpose, and a well-behaved outlet beside it.

Start with `with HostileServer() as server:` (binds 127.0.0.1 on a free port, serves from
a daemon thread, stops on exit). Every path below is a way real or hostile servers break
clients; `server.hits` counts requests per path so tests can check politeness (robots.txt
fetched once, nothing fetched twice, disallowed paths never requested).
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import zlib
from collections import Counter
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs, urlsplit

import httpcore

ARABIC_HTML = ("<html><head><title>العراق</title></head><body><h1>القوات الأجنبية تغادر قاعدة عسكرية في العراق</h1>"
               "<p>قالت مصادر عراقية إن القوات الأجنبية بدأت الانسحاب من القواعد العسكرية.</p></body></html>")
ROBOTS = "User-agent: *\nDisallow: /private/\n\nUser-agent: badbot\nDisallow: /\n"


@lru_cache(maxsize=None)
def gzip_bomb(expanded: int = 200_000_000, layers: int = 1) -> bytes:
    """`expanded` zero bytes gzipped `layers` times (200 MB -> under 1 MB), made once per run (fast level)."""
    packer = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1_000_000)
    data = b"".join(packer.compress(block) for _ in range(expanded // len(block))) + packer.flush()
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


@lru_cache(maxsize=None)
def big_html(size: int = 20_000_000) -> bytes:
    row = "<p>سطر طويل من نص عربي لملء الصفحة الكبيرة جدا</p>\n".encode()
    return b"<html><body>" + row * (size // len(row)) + b"</body></html>"


def rss(items: list[tuple[str, str]], title: str = "outlet") -> bytes:
    entries = "".join(f"<item><title>{t}</title><link>{link}</link>"
                      f"<pubDate>Mon, 20 May 2024 10:{i % 60:02d}:00 +0300</pubDate></item>"
                      for i, (link, t) in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"{entries}</channel></rss>").encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "HostileServer"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: tests read `server.hits`, not stderr."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        parts = urlsplit(self.path)
        with self.server.lock:
            self.server.hits[parts.path] += 1
            self.server.headers_seen.append(dict(self.headers))
            self.server.started.append((time.monotonic(), parts.path))
        route = self.server.route(parts.path)
        if route is None:
            self.reply(404, b"not found", "text/plain")
            return
        try:
            route(self, parse_qs(parts.query))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up, as it should on the hostile routes

    def reply(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        with self.server.lock:
            self.server.bytes_sent += len(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.reply(status, b"", "text/plain", {"Location": location})

    def conditional(self, body: bytes, content_type: str) -> None:
        """200 with ETag/Last-Modified, or 304 when the client already has this body."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = "Mon, 20 May 2024 10:00:00 GMT"
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.reply(200, body, content_type, {"ETag": etag, "Last-Modified": modified})

    def stream_forever(self, piece: bytes, pause_s: float, length: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        deadline = time.monotonic() + 30
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            self.wfile.write(piece)
            self.wfile.flush()
            if pause_s:
                time.sleep(pause_s)
        self.close_connection = True

    def drip_chunked(self, pause_s: float = 1.0) -> None:
        """200, chunked, one byte per chunk every `pause_s`: each byte resets a read timeout, never the whole."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        deadline = time.monotonic() + 30
        while not self.server.stopping.is_set() and time.monotonic() < deadline:
            self.wfile.write(b"1\r\n<\r\n")
            self.wfile.flush()
            self.server.stopping.wait(pause_s)
        self.close_connection = True


Route = Callable[[_Handler, dict[str, list[str]]], None]


def _hostile_routes() -> dict[str, Route]:
    cp1256 = ARABIC_HTML.encode("cp1256")
    return {
        "/robots.txt": lambda h, q: h.reply(200, ROBOTS.encode(), "text/plain"),
        "/ok.html": lambda h, q: h.reply(200, ARABIC_HTML.encode()),
        "/private/secret.html": lambda h, q: h.reply(200, b"should never be fetched"),
        "/gzip-bomb": lambda h, q: h.reply(200, gzip_bomb(), "text/html", {"Content-Encoding": "gzip"}),
        "/stacked-bomb": lambda h, q: h.reply(200, gzip_bomb(200_000_000, 2), "text/html",
                                              {"Content-Encoding": "gzip, gzip"}),
        "/stacked-ok": lambda h, q: h.reply(200, gzip.compress(gzip.compress(ARABIC_HTML.encode())),
                                            "text/html; charset=utf-8", {"Content-Encoding": "gzip, gzip"}),
        "/stacked-deep": lambda h, q: h.reply(200, b"x", "text/html", {"Content-Encoding": "gzip, " * 6 + "gzip"}),
        "/brotli": lambda h, q: h.reply(200, b"x", "text/html", {"Content-Encoding": "br"}),
        "/truncated-gzip": lambda h, q: h.reply(200, _truncated_gzip(),
                                                "text/html", {"Content-Encoding": "gzip"}),
        "/drip": lambda h, q: h.stream_forever(b"<", 0.2, length=10_000),
        "/drip-chunked": lambda h, q: h.drip_chunked(float(q.get("s", ["1"])[0])),
        "/silent": lambda h, q: h.server.stopping.wait(30),  # accepts, never answers
        "/endless": lambda h, q: h.stream_forever(b"<p>" + b"x" * 65_536 + b"</p>", 0.0),
        "/big.html": lambda h, q: h.reply(200, big_html()),
        "/big-unannounced.html": lambda h, q: h.stream_forever(big_html()[:1_000_000], 0.0),
        "/to-arabic": lambda h, q: h.redirect("/عربي/خبر?ref=1".encode().decode("latin-1")),  # raw UTF-8 bytes
        "/%D8%B9%D8%B1%D8%A8%D9%8A/%D8%AE%D8%A8%D8%B1": lambda h, q: h.reply(200, ARABIC_HTML.encode()),
        "/cookie-gate": _cookie_gate,
        "/loop/a": lambda h, q: h.redirect("/loop/b"),
        "/loop/b": lambda h, q: h.redirect("/loop/a"),
        "/to": lambda h, q: h.redirect(q["u"][0]),
        "/cp1256-nocharset": lambda h, q: h.reply(200, cp1256, "text/html"),
        "/cp1256-wrong-charset": lambda h, q: h.reply(200, cp1256, "text/html; charset=iso-8859-1"),
        "/iso-8859-6": lambda h, q: h.reply(200, ARABIC_HTML.encode("iso8859-6"), "text/html"),
        "/invalid.xml": lambda h, q: h.reply(200, b"<rss><channel><item><title>\x00\xff</tit", "application/xml"),
        "/feed-js.xml": lambda h, q: h.reply(200, rss([("javascript:alert(1)", "js"), ("data:text/html,x", "data"),
                                                       ("/news/1", "ok")]), "application/rss+xml"),
        "/status": lambda h, q: h.reply(int(q["code"][0]), b"status", "text/plain",
                                        {"Retry-After": q["retry"][0]} if "retry" in q else None),
        "/flaky": _flaky,
        "/slow": _slow,
    }


def _truncated_gzip() -> bytes:
    whole = gzip.compress(big_html(200_000))
    return whole[: len(whole) // 2]


def _cookie_gate(handler: _Handler, query: dict[str, list[str]]) -> None:
    """Sets a cookie and redirects to itself; answers once the cookie comes back (a common bot gate)."""
    if "gate=passed" in (handler.headers.get("Cookie") or ""):
        handler.reply(200, ARABIC_HTML.encode())
    else:
        handler.reply(302, b"", "text/plain", {"Location": "/cookie-gate", "Set-Cookie": "gate=passed; Path=/"})


def _slow(handler: _Handler, query: dict[str, list[str]]) -> None:
    """Holds each request a moment and records how many were in flight at once."""
    server = handler.server
    with server.lock:
        server.in_flight += 1
        server.max_in_flight = max(server.max_in_flight, server.in_flight)
    time.sleep(float(query.get("s", ["0.2"])[0]))
    with server.lock:
        server.in_flight -= 1
    handler.reply(200, b"<p>slow</p>")


def _flaky(handler: _Handler, query: dict[str, list[str]]) -> None:
    """503 for the first `fail` requests, then 200."""
    with handler.server.lock:
        count = handler.server.hits["/flaky"]
    if count <= int(query.get("fail", ["1"])[0]):
        handler.reply(503, b"busy", "text/plain", {"Retry-After": "0"})
    else:
        handler.reply(200, ARABIC_HTML.encode())


def outlet_routes(articles: int, mount: str = "", page: bytes | None = None) -> dict[str, Route]:
    """A well-behaved outlet under /outlet/: feed, sitemaps, a section page and its articles.

    `mount` prefixes every route but not the links inside the pages, so with mount
    "/news.example.com" the replay mode of the fetcher sees the outlet at https://news.example.com/outlet/.
    """
    links = [(f"/outlet/article/{n}.html", f"خبر رقم {n}") for n in range(articles)]
    section = "".join(f'<a href="{link}?utm_source=section">{title}</a>' for link, title in links)
    urlset = "".join(f"<url><loc>{link}</loc><lastmod>2024-05-20</lastmod></url>" for link, _ in links)
    sitemap = (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>').encode()
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
             "<loc>/outlet/sitemap.xml.gz</loc><lastmod>2024-05-20</lastmod></sitemap></sitemapindex>").encode()
    routes: dict[str, Route] = {
        "/outlet/feed.xml": lambda h, q: h.conditional(rss(links), "application/rss+xml; charset=utf-8"),
        "/outlet/sitemap-index.xml": lambda h, q: h.conditional(index, "application/xml"),
        "/outlet/sitemap.xml.gz": lambda h, q: h.conditional(gzip.compress(sitemap, mtime=0), "application/x-gzip"),
        "/outlet/section.html": lambda h, q: h.conditional(
            f"<html><body><nav><a href='/outlet/about'>about</a></nav>{section}</body></html>".encode(),
            "text/html; charset=utf-8"),
        "/outlet/": lambda h, q: h.reply(200, b'<html><head><link rel="alternate" type="application/rss+xml" '
                                         b'href="/outlet/feed.xml"></head><body>home</body></html>'),
    }
    body = page or ARABIC_HTML.encode()
    for link, _ in links:
        routes[link] = lambda h, q: h.conditional(body, "text/html; charset=utf-8")
    return {mount + path: route for path, route in routes.items()}


class LoopbackOnlyBackend(httpcore.AsyncNetworkBackend):
    """Network backend for tests: opens sockets to 127.0.0.1 and ::1 only, and records each one.

    Put under the Fetcher's guard, it turns any guard failure into a test failure instead
    of a packet to a private or metadata address.
    """

    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.connects: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        if host not in ("127.0.0.1", "::1"):
            raise AssertionError(f"test tried to connect to {host}:{port}")
        self.connects.append((host, port))
        return await self.inner.connect_tcp(host, port, timeout=timeout, local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None) -> httpcore.AsyncNetworkStream:
        raise AssertionError("test tried to open a unix socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # the default 5 drops bursts of connections (1 s SYN retry)

    def __init__(self, articles: int = 20, extra: dict[str, Route] | None = None) -> None:
        self.routes = {**_hostile_routes(), **outlet_routes(articles), **(extra or {})}
        self.hits: Counter[str] = Counter()
        self.headers_seen: list[dict[str, str]] = []
        self.in_flight = self.max_in_flight = 0
        self.started: list[tuple[float, str]] = []  # (monotonic time, path) of every request
        self.bytes_sent = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up on a hostile route is expected, not worth a traceback."""

    def route(self, path: str) -> Route | None:
        return self.routes.get(path)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> "HostileServer":
        from flows.fetch.robots import clear_robots_cache

        clear_robots_cache()  # this port may have served another robots.txt earlier in the run
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()
