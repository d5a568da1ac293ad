"""Near-duplicate detection for 查重: MinHash signatures over character 3-shingles.

The Jaccard similarity of two texts' shingle sets is estimated by the share of equal signature
slots. A pair at or above ``NEAR_DUPLICATE`` is flagged as a near-duplicate.

A shingle's three code points (each < 2²¹) are packed into one 63-bit integer — exact, so two
shingles collide only if they are equal — and mixed to 32 bits with the splitmix64 finaliser; the
whole signature is then a few numpy operations per document instead of a hash call per shingle
(indexing speed). Signatures written by the earlier per-shingle blake2b hash are recomputed by
migration ``search.0003_minhash_packed``.
"""

import hashlib
import struct

import numpy as np

from zhouqiao.search.analysis import _WORD, normalise

PERMUTATIONS = 64
NEAR_DUPLICATE = 0.8
SHINGLE = 3


def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    a, b = [], []
    for i in range(PERMUTATIONS):
        x, y = struct.unpack("<II", hashlib.sha256(f"zhouqiao-minhash-{i}".encode()).digest()[:8])
        a.append(x | 1)
        b.append(y)
    # uint32 arithmetic wraps, which is the mod 2³² of the universal hash.
    return np.array(a, dtype=np.uint32)[:, None], np.array(b, dtype=np.uint32)[:, None]


_A, _B = _coefficients()


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the character 3-shingles of the CJK/alphanumeric content (the shingles of
    ``analysis.shingles``; a text shorter than a shingle is one shingle)."""
    compact = "".join(_WORD.findall(normalise(text)))
    points = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if points.size < SHINGLE:
        if points.size == 0:
            return points
        points = np.concatenate([points, np.zeros(SHINGLE - points.size, dtype=np.uint64)])
    z = (points[:-2] << np.uint64(42)) | (points[1:-1] << np.uint64(21)) | points[2:]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return ((z ^ (z >> np.uint64(31))) >> np.uint64(32)).astype(np.uint32)


def minhash(text: str) -> list[int]:
    """64 slots of min((a·h + b) mod 2³²) over the shingle hashes h (universal hashing)."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return []
    return (_A * hashes[None, :] + _B).min(axis=1).tolist()


def estimated_jaccard(sig_a: list[int], sig_b: list[int]) -> float:
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 0.0
    return sum(1 for x, y in zip(sig_a, sig_b, strict=True) if x == y) / len(sig_a)
