"""Reading and writing topics of the real local broker from tests."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def produce(
    bootstrap: str, topic: str, values: list[bytes], keys: list[bytes | None] | None = None
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        futures = []
        for i, value in enumerate(values):
            key = keys[i] if keys else None
            futures.append(await producer.send(topic, value, key=key))
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def read_topic(bootstrap: str, topic: str, *, timeout: float = 3.0) -> list[Any]:
    """Every record currently in `topic` (from the beginning to the end offsets)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer._client.force_metadata_update()
        parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in parts]
        if not tps:
            return []
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        # Read until a poll comes back empty: the local broker's end offsets can lag behind the
        # last record of a multi-record batch, so they are not a reliable stop condition.
        out: list[Any] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            if not batch:
                break
            for records in batch.values():
                out.extend(records)
        return out
    finally:
        await consumer.stop()


async def read_json(bootstrap: str, topic: str) -> list[Any]:
    return [orjson.loads(r.value) for r in await read_topic(bootstrap, topic)]
