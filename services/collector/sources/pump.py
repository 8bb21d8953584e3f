"""The shell shared by the streaming adapters (Bluesky, Mastodon, X): connection workers put
what they parsed (`Piece`: posts, rejects, item count, cursor updates) on a bounded queue, and
`pump` turns the queue into `Fetched` batches for the collector. A batch is cut when it holds
`batch_max` items or when nothing arrived for `linger` seconds, so a busy firehose publishes
in large batches and a quiet stream publishes at once. The checkpoint of a batch merges the
cursor updates of that batch into those of every batch yielded before it, so it never covers
a post the collector has not been handed yet. A worker that raises stops the whole source (the
collector restarts it from its checkpoint); the workers are cancelled when the source stops."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from services.collector.sources.base import Checkpoint, Fetched, Reject


@dataclass
class Piece:
    """What one worker parsed from one message (or a few): goes on the queue."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    items: int = 0
    # Merged into the source's checkpoint (top-level keys replace, nested dicts merge).
    cursor: Checkpoint | None = None


Put = Callable[[Piece], Coroutine[Any, Any, None]]
Worker = Callable[[Put], Coroutine[Any, Any, None]]


class _WorkerFailed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def merge_cursor(state: Checkpoint, update: Checkpoint) -> None:
    """Merge `update` into `state` in place: nested dicts key by key, other values replaced."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(state.get(key), dict):
            state[key].update(value)
        else:
            state[key] = copy.deepcopy(value) if isinstance(value, dict) else value


async def pump(
    workers: list[Worker],
    checkpoint: Checkpoint | None,
    *,
    batch_max: int = 200,
    linger: float = 0.25,
    queue_size: int = 2000,
) -> AsyncIterator[Fetched]:
    """Run `workers` concurrently and yield their pieces as batches (see the module doc)."""
    queue: asyncio.Queue[Piece | _WorkerFailed] = asyncio.Queue(maxsize=queue_size)
    state: Checkpoint = copy.deepcopy(checkpoint) if checkpoint else {}

    async def put(piece: Piece) -> None:
        await queue.put(piece)

    async def guard(worker: Worker) -> None:
        try:
            await worker(put)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # reported to the collector through the generator
            await queue.put(_WorkerFailed(exc))

    tasks = [asyncio.create_task(guard(w), name="source-worker") for w in workers]
    try:
        while True:
            first = await queue.get()
            pieces = [first]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + linger
            count = first.items if isinstance(first, Piece) else 0
            while count < batch_max and not isinstance(pieces[-1], _WorkerFailed):
                try:
                    piece = queue.get_nowait()
                except asyncio.QueueEmpty:
                    remaining = deadline - loop.time()
                    if remaining <= 0:
                        break
                    try:
                        piece = await asyncio.wait_for(queue.get(), remaining)
                    except TimeoutError:
                        break
                pieces.append(piece)
                if isinstance(piece, Piece):
                    count += piece.items
            batch = Fetched()
            failed: _WorkerFailed | None = None
            moved = False
            for piece in pieces:
                if isinstance(piece, _WorkerFailed):
                    failed = piece
                    continue
                batch.posts.extend(piece.posts)
                batch.rejects.extend(piece.rejects)
                batch.items += piece.items
                if piece.cursor:
                    merge_cursor(state, piece.cursor)
                    moved = True
            if moved:
                batch.checkpoint = copy.deepcopy(state)
            if batch.items or batch.posts or batch.rejects or moved:
                yield batch
            if failed is not None:
                raise failed.error
    finally:
        for task in tasks:
            task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*tasks, return_exceptions=True)
