"""MinHash over word shingles, and the LSH band keys that find verbatim copies without a scan.

Deterministic across processes and machines (SHA-1 of each shingle and fixed
permutation seeds), because band keys are stored in the database and compared by
workers that never saw the other article's text.

This is datasketch's MinHash, scheme "affine32" (SHA-1 to 32 bits, MurmurHash3 fmix32,
odd affine permutations mod 2^32 drawn from RandomState(seed)), bit for bit — the test
suite checks it against datasketch. It is written out because `import datasketch` pulls
in scipy (1.0 s), paid by every process that signs articles: each poll's extraction
workers and every command.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Sequence

import numpy as np

NUM_PERM = 60
BANDS = 12          # 12 bands x 5 rows: a copy with shingle Jaccard 0.8 shares a band 99% of the time
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_SEED = 1
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Odd multipliers and offsets of the NUM_PERM affine permutations (datasketch's draw order)."""
    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: spreads the SHA-1 prefixes before the permutations (a bijection)."""
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def shingles(words: Sequence[str], size: int = SHINGLE) -> set[bytes]:
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def minhash(words: Sequence[str]) -> tuple[int, ...]:
    """The MinHash values of an article's word 3-shingles (empty text -> empty tuple)."""
    grams = shingles(words)
    if not grams:
        return ()
    digests = b"".join(hashlib.sha1(gram).digest()[:4] for gram in grams)
    hv = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32).reshape(-1, 1))
    a, b = _permutations()
    return tuple(int(v) for v in (hv * a + b).min(axis=0))


def band_keys(values: Sequence[int]) -> tuple[str, ...]:
    """One key per LSH band: "b:<band>:<digest>"; two articles sharing one are candidates."""
    if len(values) != NUM_PERM:
        return ()
    keys = []
    for band in range(BANDS):
        chunk = np.asarray(values[band * ROWS:(band + 1) * ROWS], dtype=np.uint64).tobytes()
        keys.append(f"b:{band}:{hashlib.blake2b(chunk, digest_size=6).hexdigest()}")
    return tuple(keys)


def jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated shingle Jaccard of two articles (0 when either is empty)."""
    if len(a) != NUM_PERM or len(b) != NUM_PERM:
        return 0.0
    return sum(1 for x, y in zip(a, b) if x == y) / NUM_PERM
