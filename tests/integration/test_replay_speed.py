"""Replay speed control: `speed: 0` replays as fast as it can in one batch; a positive speed
paces posts by their own `created_at` (gaps divided by `speed`), yielding each post as it is due
with a checkpoint that points at the next line."""

from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
from services.collector.sources.base import Fetched, SourceContext, SourceSpec
from services.collector.sources.replay import create

pytestmark = pytest.mark.integration


def _feed(path: Path, gaps: list[int]) -> Path:
    t = 1_763_625_600
    lines = []
    for n, gap in enumerate([0, *gaps]):
        t += gap
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
        lines.append(
            orjson.dumps(
                {"id": f"replay:{n}", "source": "replay", "text": "x", "created_at": created}
            )
        )
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


async def _run(path: Path, speed: float) -> tuple[list[Fetched], float]:
    spec = SourceSpec(
        name="r",
        type="replay",
        enabled=True,
        poll_interval=1,
        options={"path": str(path), "speed": speed},
    )
    started = time.monotonic()
    batches = [b async for b in create(spec, SourceContext()).stream(None)]
    return batches, time.monotonic() - started


@pytest.mark.parametrize(
    ("speed", "min_seconds", "max_seconds", "sizes"),
    [
        (0, 0.0, 0.2, [6]),  # as fast as possible, one batch
        (20, 0.25, 1.5, [1, 1, 1, 1, 1, 1]),  # 5 s of history at 20x: 0.25 s, one post at a time
        (10, 0.5, 2.0, [1, 1, 1, 1, 1, 1]),
    ],
)
async def test_replay_speed(
    tmp_path: Path, speed: float, min_seconds: float, max_seconds: float, sizes: list[int]
) -> None:
    path = _feed(tmp_path / "feed.jsonl", [1, 1, 1, 1, 1])
    batches, elapsed = await _run(path, speed)
    assert [len(b.posts) for b in batches if b.posts] == sizes
    assert [p["id"] for b in batches for p in b.posts] == [f"replay:{n}" for n in range(6)]
    assert min_seconds <= elapsed < max_seconds
    assert batches[-1].checkpoint == {"line": 6}
    if speed:
        # Each batch's checkpoint covers exactly the lines published so far.
        assert [b.checkpoint for b in batches[:-1]] == [{"line": n} for n in range(1, 6)]


async def test_replay_resumes_from_line_checkpoint(tmp_path: Path) -> None:
    path = _feed(tmp_path / "feed.jsonl", [1, 1, 1])
    spec = SourceSpec(
        name="r", type="replay", enabled=True, poll_interval=1, options={"path": str(path)}
    )
    batches = [b async for b in create(spec, SourceContext()).stream({"line": 2})]
    assert [p["id"] for b in batches for p in b.posts] == ["replay:2", "replay:3"]
