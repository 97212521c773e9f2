"""What one fetch returns; apart from flows/fetch/client.py (httpx) so extraction workers need not import it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    body: bytes
    content_type: str | None
    encoding: str | None
    text: str | None
    elapsed_s: float
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
