"""The interface every source adapter implements, and what it hands the collector.

A source is an async iterator of `Fetched` batches. The collector publishes a batch's posts,
waits for the broker's acks, dead-letters its rejects, and only then stores the batch's
`checkpoint` (on the compacted `<prefix>.checkpoints` topic, key = source name). On restart the
source receives the last stored checkpoint and resumes from it: nothing acknowledged is lost, and
at most the last unacknowledged batch is fetched twice (post ids make that harmless)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

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
