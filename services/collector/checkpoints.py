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
        # Read to the end offsets, then until a poll comes back empty: some Kafka-protocol
        # brokers report end offsets that lag behind the last record of a batch.
        reached = {tp for tp in tps if end[tp] == 0}
        idle_polls = 0
        while idle_polls < 2 or len(reached) < len(tps):
            batch = await consumer.getmany(timeout_ms=200)
            if not batch:
                idle_polls += 1
                if idle_polls > 50:  # 10 s without records: the end offsets were wrong
                    break
                continue
            idle_polls = 0
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
                        reached.add(tp)
        return out
    finally:
        await consumer.stop()


async def save_checkpoint(
    producer: AIOKafkaProducer, topic: str, name: str, checkpoint: Checkpoint
) -> None:
    await (await producer.send(topic, dumps(checkpoint), key=name.encode()))
