"""Source checkpoints on the compacted `<prefix>.checkpoints` topic (key = source name, value =
the cursor as JSON). Read once at start from the beginning (the latest value per key wins);
written only after the posts before the cursor were acknowledged by the broker."""

from __future__ import annotations

from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition

from services.collector.sources.base import Checkpoint
from services.runtime.kafka import make_consumer
from services.runtime.messages import dumps, loads
from services.runtime.settings import KafkaSettings


async def load_checkpoints(settings: KafkaSettings, topic: str) -> dict[str, Checkpoint]:
    consumer = make_consumer(settings, group_id=None, enable_auto_commit=False)  # type: ignore[arg-type]
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not tps:
            return {}
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        end = await consumer.end_offsets(tps)
        out: dict[str, Checkpoint] = {}
        remaining = {tp for tp in tps if end[tp] > 0}
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.key is None:
                        continue
                    name = record.key.decode()
                    if record.value is None:
                        out.pop(name, None)
                    else:
                        value: Any = loads(record.value)
                        if isinstance(value, dict):
                            out[name] = value
                    if record.offset + 1 >= end[tp]:
                        remaining.discard(tp)
        return out
    finally:
        await consumer.stop()


async def save_checkpoint(
    producer: AIOKafkaProducer, topic: str, name: str, checkpoint: Checkpoint
) -> None:
    await (await producer.send(topic, dumps(checkpoint), key=name.encode()))
