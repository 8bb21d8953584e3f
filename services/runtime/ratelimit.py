"""A token bucket, pure (the clock is an argument), shared by the collector's politeness towards
platforms and the alerter's pacing of each destination."""

from __future__ import annotations

from dataclasses import dataclass


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
