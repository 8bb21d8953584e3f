"""The shared stream loop against the real local broker: commit after acks, dead letters with
context, backpressure that rewinds and pauses without committing."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from aiokafka import TopicPartition
from prometheus_client import CollectorRegistry
from services.runtime.errors import Backpressure, PoisonMessage
from services.runtime.kafka import make_consumer, make_producer
from services.runtime.messages import loads
from services.runtime.metrics import StreamMetrics
from services.runtime.settings import load_settings
from services.runtime.stream import BatchResult, Incoming, Outgoing, Record, StreamLoop, per_record
from tests.helpers.kafka import produce, read_topic
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration


def decode(record: Record) -> Any:
    value = loads(record.value or b"")
    if not isinstance(value, dict) or "n" not in value:
        raise PoisonMessage("schema_invalid", "n: is required")
    return value


def make_loop(env: dict[str, str], process: Any, registry: CollectorRegistry) -> StreamLoop:
    settings = load_settings("classifier", env)
    prefix = settings.kafka.topic_prefix
    consumer = make_consumer(settings.kafka, group_id=f"{prefix}.loop")
    producer = make_producer(settings.kafka)
    loop = StreamLoop(
        consumer=consumer,
        producer=producer,
        topics=[f"{prefix}.posts"],
        dlq_topic=f"{prefix}.dlq",
        decode=decode,
        process=process,
        metrics=StreamMetrics(registry, [f"{prefix}.posts"]),
        stage="test",
        batch_max=50,
        poll_timeout_ms=100,
    )
    return loop


async def run_loop(loop: StreamLoop) -> asyncio.Task[Any]:
    loop.subscribe()
    await loop.consumer.start()
    await loop.producer.start()
    return asyncio.create_task(loop.run())


async def stop_loop(loop: StreamLoop, task: asyncio.Task[Any]) -> None:
    loop.stop()
    await asyncio.wait_for(task, timeout=10)
    await loop.producer.stop()
    await loop.consumer.stop()


async def committed_total(loop: StreamLoop, topic: str) -> int:
    total = 0
    for p in range(3):
        off = await loop.consumer.committed(TopicPartition(topic, p))
        total += off or 0
    return total


async def test_outputs_dead_letters_and_commits(topics: dict[str, str]) -> None:
    prefix, bootstrap = topics["FIELDWATCH_TOPIC_PREFIX"], topics["FIELDWATCH_KAFKA_BOOTSTRAP"]
    registry = CollectorRegistry()

    def handle(item: Incoming) -> list[Outgoing]:
        if item.value["n"] == 13:
            raise PoisonMessage("poison", "thirteen is unlucky")
        return [Outgoing(f"{prefix}.scored", orjson.dumps({"n": item.value["n"] * 2}))]

    loop = make_loop(topics, per_record(handle), registry)
    values = [orjson.dumps({"n": n}) for n in range(20)] + [b"garbage", orjson.dumps({"m": 1})]
    await produce(
        bootstrap, f"{prefix}.posts", values, keys=[str(i).encode() for i in range(len(values))]
    )
    task = await run_loop(loop)
    try:
        await wait_for(lambda: loop.stats.consumed >= 22, timeout=20, message="all consumed")
        await wait_for(lambda: committed_total(loop, f"{prefix}.posts"), timeout=10)
        assert await committed_total(loop, f"{prefix}.posts") == 22
    finally:
        await stop_loop(loop, task)
    out = sorted(
        orjson.loads(r.value)["n"] for r in await read_topic(bootstrap, f"{prefix}.scored")
    )
    assert out == sorted(n * 2 for n in range(20) if n != 13)
    dlq = await read_topic(bootstrap, f"{prefix}.dlq")
    reasons = sorted(dict(r.headers)["fieldwatch.errors.reason"].decode() for r in dlq)
    assert reasons == ["poison", "schema_invalid", "undecodable"]
    assert (
        registry.get_sample_value(
            "fieldwatch_stream_dead_lettered_total",
            {"topic": f"{prefix}.posts", "reason": "poison"},
        )
        == 1
    )


async def test_backpressure_rewinds_and_commits_nothing_until_the_sink_recovers(
    topics: dict[str, str],
) -> None:
    prefix, bootstrap = topics["FIELDWATCH_TOPIC_PREFIX"], topics["FIELDWATCH_KAFKA_BOOTSTRAP"]
    registry = CollectorRegistry()
    sink_up = asyncio.Event()
    seen: list[int] = []

    async def process(batch: list[Incoming]) -> BatchResult:
        seen.extend(item.value["n"] for item in batch)
        if not sink_up.is_set():
            raise Backpressure(0.2, "sink down")
        return BatchResult(outputs=[Outgoing(f"{prefix}.scored", b"ok") for _ in batch])

    loop = make_loop(topics, process, registry)
    await produce(bootstrap, f"{prefix}.posts", [orjson.dumps({"n": n}) for n in range(10)])
    task = await run_loop(loop)
    try:
        await wait_for(
            lambda: (
                (registry.get_sample_value("fieldwatch_stream_backpressure_pauses_total") or 0) >= 2
            )
        )
        assert await committed_total(loop, f"{prefix}.posts") == 0
        assert await read_topic(bootstrap, f"{prefix}.scored") == []
        sink_up.set()
        await wait_for(lambda: committed_total(loop, f"{prefix}.posts"), timeout=10)
        await wait_for(lambda: loop.stats.produced >= 10, timeout=10)
    finally:
        await stop_loop(loop, task)
    assert set(seen) == set(range(10))
    assert seen.count(0) >= 2  # the same records were offered again after the pause
    assert len(await read_topic(bootstrap, f"{prefix}.scored")) == 10


async def test_next_batch_is_processed_while_acks_are_pending_but_never_committed_early(
    topics: dict[str, str],
) -> None:
    """One batch's acks overlap the next batch's processing, no further: nothing of a batch is
    counted or committed before all its acks are in."""
    prefix, bootstrap = topics["FIELDWATCH_TOPIC_PREFIX"], topics["FIELDWATCH_KAFKA_BOOTSTRAP"]
    registry = CollectorRegistry()
    acks_open = asyncio.Event()
    settled_at_call: list[int] = []  # batches fully acknowledged when each process call began

    async def process(batch: list[Incoming]) -> BatchResult:
        settled_at_call.append(loop.stats.batches)
        return BatchResult(outputs=[Outgoing(f"{prefix}.scored", b"ok") for _ in batch])

    loop = make_loop(topics, process, registry)
    real_send_batch = loop.producer.send_batch

    async def gated_send_batch(batch: Any, topic: str, *, partition: int) -> Any:
        # The real broker acknowledges; the loop sees the ack only once the gate opens.
        acked = await real_send_batch(batch, topic, partition=partition)

        async def later() -> Any:
            metadata = await acked
            await acks_open.wait()
            return metadata

        return asyncio.ensure_future(later())

    loop.producer.send_batch = gated_send_batch  # type: ignore[method-assign]
    await produce(bootstrap, f"{prefix}.posts", [orjson.dumps({"n": n}) for n in range(120)])
    task = await run_loop(loop)
    try:
        await wait_for(lambda: len(settled_at_call) >= 2, timeout=20, message="two batches")
        assert loop.stats.consumed == 0
        assert await committed_total(loop, f"{prefix}.posts") == 0
        acks_open.set()
        await wait_for(lambda: loop.stats.consumed >= 120, timeout=20, message="all acked")
        await wait_for(
            lambda: _committed_is(loop, f"{prefix}.posts", 120), timeout=10, message="committed"
        )
    finally:
        await stop_loop(loop, task)
    assert all(done >= call - 1 for call, done in enumerate(settled_at_call)), settled_at_call
    assert len(await read_topic(bootstrap, f"{prefix}.scored")) == 120


async def _committed_is(loop: StreamLoop, topic: str, total: int) -> bool:
    return await committed_total(loop, topic) == total
