"""MinHash over word shingles, and the LSH band keys that find verbatim copies without a scan.

Deterministic across processes and machines (datasketch hashes with SHA-1 and fixed
permutation seeds), because band keys are stored in the database and compared by
workers that never saw the other article's text.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np
from datasketch import MinHash

NUM_PERM = 60
BANDS = 12          # 12 bands x 5 rows: a copy with shingle Jaccard 0.8 shares a band 99% of the time
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_SEED = 1
_SCHEME = "affine32"  # pinned: stored band keys must not change when datasketch changes its default
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)  # permutations computed once


def shingles(words: Sequence[str], size: int = SHINGLE) -> set[bytes]:
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def minhash(words: Sequence[str]) -> tuple[int, ...]:
    """The MinHash values of an article's word 3-shingles (empty text -> empty tuple)."""
    grams = shingles(words)
    if not grams:
        return ()
    m = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_TEMPLATE.permutations, scheme=_SCHEME)
    m.update_batch(list(grams))
    return tuple(int(v) for v in m.hashvalues)


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
