"""Fast producing: records grouped by topic and partition into aiokafka batches (`create_batch`
/ `send_batch`), so the hot path pays per batch, not per record, and never awaits each send.

Keyed records go to `crc32(key) % partitions` (zlib's C implementation; aiokafka's default
murmur2 is pure Python and cost more than the classification of a post). Every Fieldwatch
producer uses the same function, so one key always lands on one partition (order per post id).
"""

from __future__ import annotations

import asyncio
import itertools
import zlib
from collections.abc import Sequence
from typing import Any, NamedTuple

from aiokafka import AIOKafkaProducer

Headers = tuple[tuple[str, bytes], ...]


class Outgoing(NamedTuple):
    """A record to produce. A named tuple: as immutable as a frozen dataclass and several times
    cheaper to create (one per post on the hot path)."""

    topic: str
    value: bytes
    key: bytes | None = None
    headers: Headers = ()


_round_robin = itertools.count()


def crc32_partitioner(
    key: bytes | None, all_partitions: Sequence[int], available: Sequence[int]
) -> int:
    """aiokafka partitioner: crc32 of the key, or round-robin over available partitions."""
    if key is None:
        pool = available or all_partitions
        return pool[next(_round_robin) % len(pool)]
    return all_partitions[zlib.crc32(key) % len(all_partitions)]


# aiokafka's batch builder takes headers as a list and only reads them: records without
# headers (most of them) share this one instead of a new empty list each.
_NO_HEADERS: list[tuple[str, bytes]] = []


async def send_many(
    producer: AIOKafkaProducer, records: Sequence[Outgoing]
) -> list[asyncio.Future[Any]]:
    """Queue every record; return the futures of the broker's acks (await them together).
    Records keep their order within each partition."""
    # topic -> partition -> records; a batch's records mostly share one topic, so the topic's
    # partitions and groups are looked up when the topic changes, not per record.
    groups: dict[str, dict[int, list[Outgoing]]] = {}
    partitions: dict[str, list[int]] = {}
    crc32, round_robin = zlib.crc32, _round_robin
    topic: str | None = None
    parts: list[int] = []
    by_partition: dict[int, list[Outgoing]] = {}
    for record in records:
        if record.topic != topic:
            topic = record.topic
            found = groups.get(topic)
            if found is None:
                found = groups[topic] = {}
                partitions[topic] = sorted(await producer.partitions_for(topic))
            by_partition, parts = found, partitions[topic]
        key = record.key
        if key is None:
            partition = parts[next(round_robin) % len(parts)]
        else:
            partition = parts[crc32(key) % len(parts)]
        group = by_partition.get(partition)
        if group is None:
            group = by_partition[partition] = []
        group.append(record)
    futures: list[asyncio.Future[Any]] = []
    for topic, by_partition in groups.items():
        for partition, group in by_partition.items():
            futures.extend(await _send_group(producer, topic, partition, group))
    return futures


async def _send_group(
    producer: AIOKafkaProducer, topic: str, partition: int, group: list[Outgoing]
) -> list[asyncio.Future[Any]]:
    """One partition's records in as few batches as they fit in, in order."""
    futures: list[asyncio.Future[Any]] = []
    batch = producer.create_batch()
    append = batch.append
    for _, value, key, headers in group:
        listed = list(headers) if headers else _NO_HEADERS
        if append(key=key, value=value, timestamp=None, headers=listed) is None:
            if batch.record_count():
                batch.close()
                futures.append(await producer.send_batch(batch, topic, partition=partition))
                batch = producer.create_batch()
                append = batch.append
            if append(key=key, value=value, timestamp=None, headers=listed) is None:
                # Larger than a batch: the ordinary path checks it against max_request_size.
                futures.append(
                    await producer.send(topic, value, key=key, partition=partition, headers=listed)
                )
    if batch.record_count():
        batch.close()
        futures.append(await producer.send_batch(batch, topic, partition=partition))
    return futures
