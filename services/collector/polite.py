"""Politeness towards platforms, shared by every HTTP-based source: a token bucket per host,
a concurrency limit per host, exponential backoff with full jitter for 5xx and network errors,
`Retry-After` honoured on 429/503, and a descriptive User-Agent.

`TokenBucket` and `Backoff` are pure (they take the clock as an argument) so tests drive them
without sleeping; `HostLimiter` is the async shell the sources await."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from services import __version__
from services.runtime.ratelimit import TokenBucket
from services.runtime.ratelimit import retry_after as retry_after

USER_AGENT = (
    f"Fieldwatch/{__version__} (+https://github.com/fieldwatch/fieldwatch; "
    "OSINT monitoring; contact: see README)"
)


@dataclass
class Backoff:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2**n))."""

    base: float = 1.0
    cap: float = 300.0
    attempt: int = 0
    rand: Callable[[], float] = field(default=random.random)

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return float(ceiling * self.rand())

    def reset(self) -> None:
        self.attempt = 0


class HostLimiter:
    """Per-host token buckets and concurrency limits, shared by all sources of a collector."""

    def __init__(self, rate: float = 1.0, burst: float = 5.0, concurrency: int = 4) -> None:
        self.rate = rate
        self.burst = burst
        self.concurrency = concurrency
        self._buckets: dict[str, TokenBucket] = {}
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._rates: dict[str, tuple[float, float]] = {}
        self.waited_seconds = 0.0

    def configure(self, host: str, rate: float, burst: float) -> None:
        self._rates[host] = (rate, burst)
        self._buckets.pop(host, None)

    def semaphore(self, host: str) -> asyncio.Semaphore:
        if host not in self._sems:
            self._sems[host] = asyncio.Semaphore(self.concurrency)
        return self._sems[host]

    async def acquire(self, host: str) -> float:
        """Wait for the host's next token; returns the seconds waited."""
        bucket = self._buckets.get(host)
        if bucket is None:
            rate, burst = self._rates.get(host, (self.rate, self.burst))
            bucket = self._buckets[host] = TokenBucket(rate=rate, burst=burst)
        wait = bucket.delay(time.monotonic())
        if wait > 0:
            self.waited_seconds += wait
            await asyncio.sleep(wait)
        return wait
