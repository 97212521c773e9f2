"""read_bounded: every Content-Encoding we advertise is undone, within the byte budget."""

import asyncio
import gzip
import zlib

import pytest

from flows.fetch.body import parse_encodings, read_bounded
from flows.fetch.errors import BadEncoding, BodyTooLarge, TruncatedBody

TEXT = "انسحاب قوات التحالف ".encode() * 2000


def chunks(data: bytes, size: int = 1000):
    async def gen():
        for i in range(0, len(data), size):
            yield data[i:i + size]
    return gen()


def read(data: bytes, header: str | None, max_bytes: int = 1_000_000) -> bytes:
    return asyncio.run(read_bounded(chunks(data), parse_encodings([header] if header else []), max_bytes))


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("header,encode", [
    (None, lambda d: d), ("identity", lambda d: d), ("gzip", gzip.compress), ("x-gzip", gzip.compress),
    ("deflate", zlib.compress), ("deflate", raw_deflate), ("GZIP , identity", gzip.compress),
    ("gzip", lambda d: gzip.compress(d[:1000]) + gzip.compress(d[1000:])),  # two gzip members
    ("deflate, gzip", lambda d: gzip.compress(zlib.compress(d))),
    ("gzip", lambda d: gzip.compress(d) + b"\r\n\x00 junk some servers append"),
])
def test_supported_encodings_are_undone(header, encode):
    assert read(encode(TEXT), header) == TEXT


@pytest.mark.parametrize("header", ["br", "zstd", "compress", "gzip, gzip, gzip", "gzip, br"])
def test_unsupported_or_too_deep_encodings_are_refused(header):
    with pytest.raises(BadEncoding):
        parse_encodings([header])


def test_budget_counts_raw_and_decoded_bytes():
    with pytest.raises(BodyTooLarge):
        read(TEXT, None, max_bytes=len(TEXT) - 1)
    with pytest.raises(BodyTooLarge):
        read(gzip.compress(TEXT), "gzip", max_bytes=len(TEXT) - 1)
    assert read(gzip.compress(TEXT), "gzip", max_bytes=len(TEXT)) == TEXT


def test_corrupt_and_truncated_bodies():
    with pytest.raises(BadEncoding):
        read(b"\x1f\x8b\x08\x00garbage-after-a-gzip-magic", "gzip")
    with pytest.raises(TruncatedBody):
        read(gzip.compress(TEXT)[:-20], "gzip")
    with pytest.raises(TruncatedBody):
        read(zlib.compress(TEXT)[:50], "deflate")
