"""The interface every source adapter implements, and what it hands the collector.

A source is an async iterator of `Fetched` batches. The collector publishes a batch's posts,
waits for the broker's acks, dead-letters its rejects, and only then stores the batch's
`checkpoint` (on the compacted `<prefix>.checkpoints` topic, key = source name). On restart the
source receives the last stored checkpoint and resumes from it: nothing acknowledged is lost, and
at most the last unacknowledged batch is fetched twice (post ids make that harmless)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from services.collector.polite import USER_AGENT, HostLimiter

Checkpoint = dict[str, Any]


@dataclass(frozen=True)
class Reject:
    """An item the source could not turn into a post: dead-lettered with its reason."""

    raw: bytes
    reason: str  # short closed-set label: undecodable, schema_invalid, unsupported...
    detail: str


@dataclass
class Fetched:
    posts: list[dict[str, Any]] = field(default_factory=list)
    checkpoint: Checkpoint | None = None
    rejects: list[Reject] = field(default_factory=list)
    # Items fetched from the platform, including ones that were not posts (deletes, likes...).
    items: int = 0


class Source(Protocol):
    """One configured source (a `sources` entry)."""

    name: str  # the configured name: unique, used as checkpoint key and metric label
    type: str  # bluesky, mastodon, telegram, reddit, rss, x, vk, replay

    def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        """Yield batches forever (or until a finite source is exhausted)."""
        ...


@dataclass(frozen=True)
class SourceSpec:
    """A validated `sources` entry: `options` holds the type-specific fields."""

    name: str
    type: str
    enabled: bool
    poll_interval: float
    options: Mapping[str, Any]
    line: int | None = None


class SourceObserver(Protocol):
    """Metric hooks a source reports to (bound to the source's type and name)."""

    def request(self, seconds: float, result: str) -> None:
        """One HTTP request or connection attempt; `result` is a closed-set label:
        ok, http_4xx, http_429, http_5xx, timeout, network, protocol."""

    def waited(self, seconds: float) -> None:
        """Time spent waiting for a rate limit (token bucket, Retry-After, x-ratelimit-*)."""


class NullObserver:
    def request(self, seconds: float, result: str) -> None:
        pass

    def waited(self, seconds: float) -> None:
        pass


@dataclass
class SourceContext:
    """What the collector hands every source factory: shared politeness, the environment (for
    credentials named by variable in the sources file), metric hooks and an HTTP client maker."""

    limiter: HostLimiter = field(default_factory=HostLimiter)
    user_agent: str = USER_AGENT
    env: Mapping[str, str] = field(default_factory=dict)
    observer: SourceObserver = field(default_factory=NullObserver)
    # Tests may inject a transport (e.g. to reach loopback fake servers); production uses None.
    transport: httpx.AsyncBaseTransport | None = None
    clock: Callable[[], float] | None = None

    def http_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An httpx client with the descriptive User-Agent and sane timeouts."""
        headers = {"user-agent": self.user_agent, **kwargs.pop("headers", {})}
        return httpx.AsyncClient(
            headers=headers,
            timeout=kwargs.pop("timeout", httpx.Timeout(20.0, connect=10.0)),
            transport=self.transport,
            follow_redirects=kwargs.pop("follow_redirects", True),
            **kwargs,
        )

    def credential(self, variable: str | None) -> str | None:
        """The value of the environment variable a sources entry names (`token_env`...)."""
        return self.env.get(variable) if variable else None
