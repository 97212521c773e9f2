"""Reading a response body within a byte budget, decompressing it ourselves.

httpx would inflate a whole network chunk at once (a 64 KB gzip-bomb chunk becomes 64 MB)
and accepts any stack of encodings. Here each layer inflates at most `_STEP` bytes per
call, the output of every layer is capped at the budget, at most `MAX_LAYERS` encodings are
accepted, and only gzip and deflate (what we advertise) are understood. A bomb therefore
stops after at most `max_bytes` of output, with memory to match.
"""

from __future__ import annotations

import zlib
from typing import AsyncIterator, Iterator

from flows.fetch.errors import BadEncoding, BodyTooLarge, TruncatedBody

MAX_LAYERS = 2
ACCEPT_ENCODING = "gzip, deflate"
_STEP = 64 * 1024


class _Inflater:
    """One gzip or deflate layer that never yields more than `_STEP` bytes per piece."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS)
        self._started = False
        self._trailing = False
        self.produced = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            if self._obj.eof:
                data = self._next_member(self._obj.unused_data + data)
            if not data:
                return
            try:
                piece = self._obj.decompress(data, _STEP)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self._started:  # raw deflate without zlib header
                    self._obj, self._started = zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                raise BadEncoding(f"corrupt {self.encoding} body ({exc})") from None
            self._started = True
            data = self._obj.unconsumed_tail
            self.produced += len(piece)
            if piece:
                yield piece

    def _next_member(self, rest: bytes) -> bytes:
        """Concatenated gzip members are one body; anything else after the end is ignored."""
        if self._trailing or not rest:
            return b""
        if self.encoding == "gzip" and rest[:2] == b"\x1f\x8b":
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return rest
        if len(rest) >= 2:
            self._trailing = True  # junk after the end of the stream: ignored from here on
        return b""

    def finish(self) -> None:
        if self._started and not self._obj.eof:
            raise TruncatedBody(f"{self.encoding} body ends early (truncated)")


def parse_encodings(header_values: list[str]) -> list[str]:
    """Content-Encoding layers in the order they were applied; BadEncoding if we cannot undo them."""
    layers = [part.strip().lower() for value in header_values for part in value.split(",")]
    layers = ["gzip" if enc == "x-gzip" else enc for enc in layers if enc and enc != "identity"]
    unknown = [enc for enc in layers if enc not in ("gzip", "deflate")]
    if unknown:
        raise BadEncoding(f"unsupported Content-Encoding {', '.join(unknown)}")
    if len(layers) > MAX_LAYERS:
        raise BadEncoding(f"{len(layers)} stacked Content-Encodings (at most {MAX_LAYERS} accepted)")
    return layers


async def read_bounded(raw_chunks: AsyncIterator[bytes], encodings: list[str], max_bytes: int) -> bytes:
    """The decoded body, or BodyTooLarge as soon as any layer's output passes `max_bytes`."""
    inflaters = [_Inflater(enc) for enc in reversed(encodings)]  # undo the last applied first
    body = bytearray()
    received = 0
    async for chunk in raw_chunks:
        received += len(chunk)
        if received > max_bytes:
            raise BodyTooLarge(f"body larger than {max_bytes} bytes")
        for piece in _through(inflaters, chunk, max_bytes):
            body += piece
            if len(body) > max_bytes:
                raise BodyTooLarge(f"body larger than {max_bytes} bytes after decompression")
    for inflater in inflaters:
        inflater.finish()
    return bytes(body)


def _through(inflaters: list[_Inflater], chunk: bytes, max_bytes: int) -> Iterator[bytes]:
    if not inflaters:
        yield chunk
        return
    first, rest = inflaters[0], inflaters[1:]
    for piece in first.feed(chunk):
        if first.produced > max_bytes:
            raise BodyTooLarge(f"{first.encoding} layer expands beyond {max_bytes} bytes")
        yield from _through(rest, piece, max_bytes)
