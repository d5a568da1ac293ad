"""Near-duplicate detection for 查重: MinHash signatures over character 3-shingles.

The Jaccard similarity of two texts' shingle sets is estimated by the share of equal signature
slots. A pair at or above ``NEAR_DUPLICATE`` is flagged as a near-duplicate.
"""

import hashlib
import struct

import numpy as np

from zhouqiao.search.analysis import shingles

PERMUTATIONS = 64
NEAR_DUPLICATE = 0.8
_MASK = np.uint64((1 << 32) - 1)


def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    a, b = [], []
    for i in range(PERMUTATIONS):
        x, y = struct.unpack("<II", hashlib.sha256(f"zhouqiao-minhash-{i}".encode()).digest()[:8])
        a.append(x | 1)
        b.append(y)
    return np.array(a, dtype=np.uint64)[:, None], np.array(b, dtype=np.uint64)[:, None]


_A, _B = _coefficients()


def _hash(shingle: str) -> int:
    return struct.unpack("<I", hashlib.blake2b(shingle.encode(), digest_size=4).digest())[0]


def minhash(text: str) -> list[int]:
    """64 slots of min((a·h + b) mod 2³²) over the shingle hashes h (universal hashing)."""
    hashes = np.fromiter((_hash(s) for s in shingles(text)), dtype=np.uint64)
    if hashes.size == 0:
        return []
    return ((_A * hashes[None, :] + _B) & _MASK).min(axis=1).astype(int).tolist()


def estimated_jaccard(sig_a: list[int], sig_b: list[int]) -> float:
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 0.0
    return sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / len(sig_a)
