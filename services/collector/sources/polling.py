"""Shared pieces of the polling sources (Telegram web preview, Reddit, RSS/Atom, VK): the one
HTTP GET every request goes through (token bucket per host, request metrics, bounded retries with
exponential backoff and full jitter on 5xx and network errors, `Retry-After` honoured on 429/503),
the options every polling source shares (`base_url`, `requests_per_second`, `backoff`), and pure
helpers that finish a normalised post (text bounded, validated against post.v1) or turn a bad item
into a `Reject`."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from services.collector.polite import Backoff, retry_after
from services.collector.sources.base import Reject, SourceContext
from services.runtime.config import parse_duration
from services.runtime.messages import MAX_TEXT, format_time, post_errors

# A dead letter keeps the offending bytes for analysts, but a hostile item must not make a record
# larger than the broker accepts.
MAX_REJECT_BYTES = 256 * 1024
# Longest single wait we accept from a server (Retry-After, x-ratelimit-reset): a broken header
# must not park a source for a day.
MAX_SERVER_WAIT = 900.0


class SourceUnavailable(Exception):
    """The platform kept failing (5xx, network, 429) after every retry: the collector restarts
    the source with backoff and reports it unhealthy after repeated failures."""


class BadPayload(Exception):
    """A whole response could not be understood (truncated, not the expected format): it is
    dead-lettered with the reason and the source polls again next time."""

    def __init__(self, raw: bytes, detail: str) -> None:
        super().__init__(detail)
        self.raw = raw
        self.detail = detail


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries: `attempts` tries in all; backoff uniform(0, min(cap, base * 2**n))."""

    attempts: int = 5
    base: float = 1.0
    cap: float = 60.0

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> RetryPolicy:
        raw = options.get("backoff") or {}
        return cls(
            attempts=int(raw.get("attempts", cls.attempts)),
            base=parse_duration(raw["base"]) if "base" in raw else cls.base,
            cap=parse_duration(raw["cap"]) if "cap" in raw else cls.cap,
        )


def configure_rate(ctx: SourceContext, base_url: str, options: Mapping[str, Any]) -> None:
    """Apply a source's `requests_per_second` (and `burst`) to its host's token bucket."""
    rate = options.get("requests_per_second")
    if rate is not None:
        burst = float(options.get("burst", max(1.0, float(rate))))
        ctx.limiter.configure(host_of(base_url), float(rate), burst)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _result(status: int) -> str:
    if status == 429:
        return "http_429"
    if status >= 500:
        return "http_5xx"
    if status >= 400:
        return "http_4xx"
    return "ok"


async def http_get(
    client: httpx.AsyncClient,
    ctx: SourceContext,
    url: str,
    *,
    params: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], Any] = asyncio.sleep,
) -> httpx.Response:
    """GET with politeness. Returns the first response that is not 429/5xx (the caller decides
    about 2xx, 304 and other 4xx); raises `SourceUnavailable` when every attempt failed."""
    host = host_of(url)
    backoff = Backoff(base=policy.base, cap=policy.cap)
    last = ""
    for _ in range(max(1, policy.attempts)):
        waited = await ctx.limiter.acquire(host)
        if waited > 0:
            ctx.observer.waited(waited)
        started = time.perf_counter()
        try:
            response = await client.get(url, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            ctx.observer.request(time.perf_counter() - started, "timeout")
            last = f"timeout: {type(exc).__name__}"
            await sleep(backoff.next_delay())
            continue
        except httpx.TransportError as exc:
            ctx.observer.request(time.perf_counter() - started, "network")
            last = f"network: {type(exc).__name__}"
            await sleep(backoff.next_delay())
            continue
        ctx.observer.request(time.perf_counter() - started, _result(response.status_code))
        status = response.status_code
        if status == 429 or status >= 500:
            last = f"HTTP {status}"
            told = retry_after(response.headers.get("retry-after"))
            if told is None and status == 429:
                told = header_float(response.headers, "x-ratelimit-reset")
            if told is not None and status in (429, 503):
                delay = min(told, MAX_SERVER_WAIT)
                ctx.observer.waited(delay)
            else:
                delay = backoff.next_delay()
            await sleep(delay)
            continue
        return response
    raise SourceUnavailable(f"GET {host} failed after {policy.attempts} attempts ({last})")


def header_float(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number >= 0 else None  # NaN and negatives: ignore


# -- pure helpers ---------------------------------------------------------------------------


def bounded_raw(raw: bytes | str) -> bytes:
    data = raw.encode("utf-8", "replace") if isinstance(raw, str) else raw
    return data[:MAX_REJECT_BYTES]


def reject(raw: bytes | str, reason: str, detail: str) -> Reject:
    return Reject(raw=bounded_raw(raw), reason=reason, detail=detail[:500])


def epoch_time(value: Any) -> str | None:
    """An RFC 3339 UTC time from epoch seconds (int, float or numeric string); None if invalid."""
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not 0 <= seconds < 253402300800:  # before year 10000
        return None
    return format_time(datetime.fromtimestamp(seconds, UTC))


def finish(post: dict[str, Any]) -> dict[str, Any] | str:
    """Drop empty optional fields, bound the text, validate: the post, or why it is invalid."""
    if len(post.get("text", "")) > MAX_TEXT:
        post["text"] = post["text"][:MAX_TEXT]
    for key in ("url", "lang", "author", "channel", "geo", "refs", "metrics", "media"):
        if key in post and not post[key]:
            del post[key]
    refs = post.get("refs")
    if refs is not None:
        post["refs"] = {k: v for k, v in refs.items() if v} or None
        if post["refs"] is None:
            del post["refs"]
    url = post.get("url")
    if isinstance(url, str) and len(url) > 2048:
        del post["url"]
    problems = post_errors(post)
    if problems:
        return "; ".join(f"{field}: {message}" for field, message in problems)
    return post


def remember(seen: list[str], new: list[str], keep: int) -> list[str]:
    """The most recent `keep` ids, oldest first, without repeats (bounded checkpoint state)."""
    fresh = set(new)
    merged = [s for s in seen if s not in fresh] + new
    return merged[-keep:]
