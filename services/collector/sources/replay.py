"""Replay of a JSONL file of `post.v1` (one per line), for demos and backtests. `speed` controls
pacing from the posts' own `created_at`: 0 replays as fast as possible, 1 in real time, 60 a
minute of history per second. The checkpoint is the number of lines consumed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.runtime.errors import PoisonMessage
from services.runtime.messages import loads, parse_time, validate_post

BATCH = 200


class ReplaySource:
    type = "replay"

    def __init__(self, spec: SourceSpec) -> None:
        self.name = spec.name
        self.path = Path(str(spec.options["path"]))
        self.speed = float(spec.options.get("speed", 0))
        self.loop = bool(spec.options.get("loop", False))

    async def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        start = int((checkpoint or {}).get("line", 0))
        lines = await asyncio.to_thread(self.path.read_bytes)
        rows = lines.splitlines()
        while True:
            previous: float | None = None
            batch = Fetched()
            for number in range(start, len(rows)):
                raw = rows[number]
                if not raw.strip():
                    continue
                batch.items += 1
                try:
                    post: dict[str, Any] = validate_post(loads(raw))
                except PoisonMessage as exc:
                    batch.rejects.append(
                        Reject(
                            raw=raw, reason=exc.reason, detail=f"line {number + 1}: {exc.detail}"
                        )
                    )
                else:
                    if self.speed > 0:
                        t = parse_time(post["created_at"]).timestamp()
                        if previous is not None and t > previous:
                            if batch.posts or batch.rejects:
                                batch.checkpoint = {"line": number}
                                yield batch
                                batch = Fetched()
                            await asyncio.sleep(min((t - previous) / self.speed, 60.0))
                        previous = t
                    batch.posts.append(post)
                if len(batch.posts) + len(batch.rejects) >= BATCH:
                    batch.checkpoint = {"line": number + 1}
                    yield batch
                    batch = Fetched()
            batch.checkpoint = {"line": len(rows)}
            yield batch
            if not self.loop:
                return
            start = 0


def create(spec: SourceSpec, ctx: SourceContext) -> ReplaySource:
    return ReplaySource(spec)
