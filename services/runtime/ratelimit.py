"""Rate limiting shared by the collector's politeness towards platforms and the alerter's pacing
of each destination: a pure token bucket (the clock is an argument) and `Retry-After` parsing."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or HTTP date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


@dataclass
class TokenBucket:
    """`rate` tokens per second, at most `burst` banked. `delay(now)` says how long to wait for
    the next token (0 when one is available) and takes it. Tokens go negative while callers
    hold reservations, so waits queue up: the n-th caller past the burst waits n / rate."""

    rate: float
    burst: float
    tokens: float = 0.0
    updated: float | None = None  # None: never used, starts full

    def delay(self, now: float) -> float:
        if self.updated is None:
            self.tokens, self.updated = self.burst, now
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        wait = (1 - self.tokens) / self.rate
        self.tokens -= 1  # reserved: the caller sleeps `wait` and owns this token
        return wait
