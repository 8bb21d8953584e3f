"""Near-duplicate text for incident grouping: reposts, quotes, copy-paste and lightly edited
retellings. Pure and deterministic (no I/O, no process-seeded `hash()`), so fingerprints written
to the incidents topic mean the same after a restart.

Text is normalised (NFKC, casefold, invisible characters, URLs, @-handles and `RT @x:` prefixes
removed, `#` dropped from hashtags) and cut into word 3-grams (single words for very short
texts). Each shingle is hashed once with BLAKE2b: 4 bytes name the shingle (the exact set, capped
to its `MAX_SHINGLES` smallest values, bottom-k style, so long texts stay bounded) and 48 more
bytes give 24 independent 16-bit MinHash values at once; the signature is their element-wise
minimum. The 24 values form `BANDS` LSH bands of 2 rows, used only to find candidates in an
index; the decision itself is the exact Jaccard similarity of the capped shingle sets."""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TEXT = 4000  # characters considered; the start of a post is what reposts and quotes keep
MAX_SHINGLES = 64
HASHES = 24
ROWS = 2
BANDS = HASHES // ROWS

_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_RT = re.compile(r"^\s*(?:rt|repost(?:ed)?|via)\s*@?\w*\s*:", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_WORD = re.compile(r"\w+")
_DIGEST = struct.Struct(f"<I{HASHES}H")


@dataclass(frozen=True)
class Fingerprint:
    """What near-duplicate detection keeps of one text."""

    shingles: frozenset[int]
    minhash: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return not self.shingles

    def bands(self) -> tuple[int, ...]:
        """One integer per LSH band; two texts sharing any band are candidates."""
        if self.empty:
            return ()
        m = self.minhash
        return tuple((b << 32) | (m[b * ROWS] << 16) | m[b * ROWS + 1] for b in range(BANDS))


EMPTY = Fingerprint(frozenset(), ())


def normalise(text: str) -> list[str]:
    """The words that carry the content of `text`, normalised."""
    t = unicodedata.normalize("NFKC", text[:MAX_TEXT])
    t = _INVISIBLE.sub("", t).casefold()
    t = _URL.sub(" ", t)
    t = _RT.sub(" ", t)
    t = _HANDLE.sub(" ", t)
    return _WORD.findall(t)


def shingles(words: list[str]) -> list[str]:
    if len(words) < 3:
        return words
    return [f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:], strict=False)]


def fingerprint(text: str) -> Fingerprint:
    parts = set(shingles(normalise(text)))
    if not parts:
        return EMPTY
    rows = [
        _DIGEST.unpack(hashlib.blake2b(p.encode(), digest_size=_DIGEST.size).digest())
        for p in parts
    ]
    ids = sorted(r[0] for r in rows)[:MAX_SHINGLES]
    minhash = tuple(map(min, list(zip(*rows, strict=True))[1:]))
    return Fingerprint(frozenset(ids), minhash)


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    if a.empty or b.empty:
        return 0.0
    inter = len(a.shingles & b.shingles)
    return inter / (len(a.shingles) + len(b.shingles) - inter)


def best_similarity(fp: Fingerprint, others: Iterable[Fingerprint]) -> float:
    return max((jaccard(fp, o) for o in others), default=0.0)
