"""The one Kafka stream loop shared by the classifier and the alerter.

    getmany (a batch) -> decode each record (poison -> dead-letter list)
                      -> processor(batch) -> outputs + more dead letters
                      -> produce all outputs and dead letters without awaiting one by one
                      -> await every broker ack -> commit `last offset + 1` per partition

One batch's acknowledgements are awaited while the next batch is decoded and processed (the
broker's round trip overlaps the work instead of idling it); a batch's bookkeeping, its offsets
included, happens only once all its acks are in, and before the batch after it is sent.

Offsets become committable only after every output of their batch was acknowledged; they are
committed at most every `commit_interval` seconds (and whenever the loop is idle, on partition
revoke and on stop), so a busy stream does not pay a commit round trip per batch. A crash
replays at most that interval's records.

Auto-commit is off, so a crash anywhere before the commit replays the batch: at least once,
and no record is ever skipped silently. A processor that raises `Backpressure` makes the loop
rewind to the batch's first offsets, pause every assigned partition (still polling, so the
consumer keeps its group membership), wait `retry_after` and try again. Dead letters carry the
original key, value and headers plus context headers naming the original topic, partition,
offset, error class and message, like Kafka Connect's `errors.deadletterqueue.context.headers`.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from services.runtime.errors import Backpressure, PoisonMessage
from services.runtime.logging import get_logger
from services.runtime.metrics import StreamMetrics, observe_many
from services.runtime.produce import Outgoing as Outgoing
from services.runtime.produce import send_many

log = get_logger("fieldwatch.stream")

ERROR_HEADER_PREFIX = "fieldwatch.errors."


class Record(Protocol):
    """What the loop needs of a consumed record (aiokafka's `ConsumerRecord` fits)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]
    timestamp: int


class Incoming(NamedTuple):
    """A consumed record and its decoded value (a named tuple: one per record on the hot path,
    and several times cheaper to create than a dataclass; the loop makes them with
    `tuple.__new__`, half the cost again of the generated `__new__`)."""

    record: Record
    value: Any


_new_tuple = tuple.__new__
_topic_of = attrgetter("topic")


@dataclass
class BatchResult:
    outputs: list[Outgoing] = field(default_factory=list)
    dead: list[tuple[Record, PoisonMessage]] = field(default_factory=list)
    # The post times (unix seconds) of what was processed, for end-to-end latency.
    event_times: list[float] = field(default_factory=list)


Processor = Callable[[list[Incoming]], Awaitable[BatchResult]]
Decoder = Callable[[Record], Any]


def dead_letter(
    dlq_topic: str,
    *,
    key: bytes | None,
    value: bytes | None,
    error: PoisonMessage,
    stage: str,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    headers: Sequence[tuple[str, bytes]] = (),
    extra: dict[str, str] | None = None,
) -> Outgoing:
    """A dead-letter record: the original bytes, the original headers, and error context."""
    ctx: dict[str, str] = {
        "stage": stage,
        "reason": error.reason,
        "exception.class.name": type(error).__name__,
        "exception.message": error.detail[:4000],
        "timestamp": str(int(time.time() * 1000)),
    }
    if topic is not None:
        ctx["topic"] = topic
    if partition is not None:
        ctx["partition"] = str(partition)
    if offset is not None:
        ctx["offset"] = str(offset)
    ctx.update(extra or {})
    context = tuple((ERROR_HEADER_PREFIX + k, v.encode()) for k, v in ctx.items())
    kept = tuple((k, v) for k, v in headers if not k.startswith(ERROR_HEADER_PREFIX))
    return Outgoing(topic=dlq_topic, value=value or b"", key=key, headers=kept + context)


def per_record(
    handle: Callable[[Incoming], list[Outgoing]],
    event_time: Callable[[Any], float | None] | None = None,
) -> Processor:
    """Adapt a synchronous per-record handler: a `PoisonMessage` it raises dead-letters that
    record only; anything else propagates (crash, restart from the last commit)."""

    async def process(batch: list[Incoming]) -> BatchResult:
        result = BatchResult()
        for item in batch:
            try:
                result.outputs.extend(handle(item))
            except PoisonMessage as exc:
                result.dead.append((item.record, exc))
                continue
            if event_time is not None:
                t = event_time(item.value)
                if t is not None:
                    result.event_times.append(t)
        return result

    return process


class _Listener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Commits finished-but-uncommitted offsets of revoked partitions. It takes no lock: the
    loop only records offsets here after their outputs were acknowledged."""

    def __init__(self, loop: StreamLoop) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: Sequence[TopicPartition]) -> None:
        try:
            await self.loop.settle()  # the batch in flight finishes, so its offsets commit now
        except Exception as exc:  # the loop itself raises it and stops; its offsets stay put
            log.warning("in_flight_batch_failed", error=str(exc))
        await self.loop.commit_pending(set(revoked))
        self.loop.metrics.assigned.set(0)

    async def on_partitions_assigned(self, assigned: Sequence[TopicPartition]) -> None:
        self.loop.metrics.assigned.set(len(assigned))
        log.info(
            "partitions_assigned",
            partitions=sorted(f"{tp.topic}/{tp.partition}" for tp in assigned),
        )


@dataclass
class LoopStats:
    batches: int = 0
    consumed: int = 0
    produced: int = 0
    dead_lettered: int = 0
    commits: int = 0


class StreamLoop:
    """Consume `topics`, decode, process, produce, commit. See the module docstring."""

    def __init__(
        self,
        *,
        consumer: AIOKafkaConsumer,
        producer: AIOKafkaProducer,
        topics: Sequence[str],
        dlq_topic: str,
        decode: Decoder,
        process: Processor,
        metrics: StreamMetrics,
        stage: str,
        batch_max: int = 500,
        poll_timeout_ms: int = 500,
        commit_interval: float = 1.0,
    ) -> None:
        self.consumer = consumer
        self.producer = producer
        self.topics = list(topics)
        self.dlq_topic = dlq_topic
        self.decode = decode
        self.process = process
        self.metrics = metrics
        self.stage = stage
        self.batch_max = batch_max
        self.poll_timeout_ms = poll_timeout_ms
        self.commit_interval = commit_interval
        self._last_commit = time.monotonic()
        self.stats = LoopStats()
        self._stopping = asyncio.Event()
        self._pending: dict[TopicPartition, int] = {}
        self._last_lag_update = 0.0
        self.started = asyncio.Event()
        # The acknowledgements of the last batch sent, and its bookkeeping once they are in.
        self._in_flight: asyncio.Task[None] | None = None

    def subscribe(self) -> None:
        self.consumer.subscribe(self.topics, listener=_Listener(self))

    def stop(self) -> None:
        """Stop taking new batches; the batch in flight finishes and is committed."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    async def run(self) -> LoopStats:
        self.started.set()
        try:
            while not self._stopping.is_set():
                batch = await self.consumer.getmany(
                    timeout_ms=self.poll_timeout_ms, max_records=self.batch_max
                )
                if not batch:
                    await self.settle()
                    await self.commit_pending(None)
                    await self._update_lag(force=False)
                    continue
                await self.handle_batch(batch)
            await self.settle()
        finally:
            if self._in_flight is not None and not self._in_flight.done():
                self._in_flight.cancel()  # the loop failed or was cancelled: nothing to commit
        await self.commit_pending(None)
        return self.stats

    async def settle(self) -> None:
        """Wait for the batch in flight: its acks, then its bookkeeping (offsets included).
        Raises what the acks raised (the loop then stops without committing that batch)."""
        flight = self._in_flight
        if flight is not None:
            await asyncio.shield(flight)
            if self._in_flight is flight:
                self._in_flight = None

    async def handle_batch(self, batch: dict[TopicPartition, list[Any]]) -> None:
        """Decode, process and send one batch, then wait for the batch before it; this batch's
        acks are awaited while the next one is processed (`settle` waits for them now)."""
        started = time.perf_counter()
        records: list[Record] = [r for recs in batch.values() for r in recs]
        incoming: list[Incoming] = []
        dead: list[tuple[Record, PoisonMessage]] = []
        for tp, recs in batch.items():
            self.metrics.consumed.labels(tp.topic).inc(len(recs))
        decode, append, new = self.decode, incoming.append, _new_tuple
        for record in records:
            try:
                append(new(Incoming, (record, decode(record))))
            except PoisonMessage as exc:
                dead.append((record, exc))
        try:
            result = await self.process(incoming)
        except Backpressure as bp:
            await self._back_off(batch, bp)
            return
        dead.extend(result.dead)
        letters = [
            dead_letter(
                self.dlq_topic,
                key=record.key,
                value=record.value,
                error=error,
                stage=self.stage,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                headers=record.headers,
            )
            for record, error in dead
        ]
        # The batch before this one must be settled before this one is sent: its bookkeeping
        # comes first, and its failure stops the loop before this batch goes out.
        await self.settle()
        futures = await send_many(self.producer, [*result.outputs, *letters])
        self._in_flight = asyncio.ensure_future(
            self._acknowledged(batch, records, result, dead, futures, started)
        )

    async def _acknowledged(
        self,
        batch: dict[TopicPartition, list[Any]],
        records: list[Record],
        result: BatchResult,
        dead: list[tuple[Record, PoisonMessage]],
        futures: list[asyncio.Future[Any]],
        started: float,
    ) -> None:
        for record, error in dead:
            self.metrics.dead_lettered.labels(record.topic, error.reason).inc()
            log.warning(
                "record_dead_lettered",
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                reason=error.reason,
                detail=error.detail[:500],
            )
        # Every output and dead letter must be acknowledged before the offsets move on.
        await asyncio.gather(*futures)
        for topic, count in Counter(map(_topic_of, result.outputs)).items():
            self.metrics.produced.labels(topic).inc(count)
        if dead:
            self.metrics.produced.labels(self.dlq_topic).inc(len(dead))
        for tp, recs in batch.items():
            self._pending[tp] = recs[-1].offset + 1
        if time.monotonic() - self._last_commit >= self.commit_interval:
            await self.commit_pending(None)
        now = time.time()
        if result.event_times:
            end_to_end = self.metrics.end_to_end.labels(self.topics[0])  # once, not per post
            observe_many(end_to_end, [now - t if t < now else 0.0 for t in result.event_times])
            self.metrics.last_event_time.labels(self.topics[0]).set(max(result.event_times))
        for tp, recs in batch.items():
            self.metrics.last_processed.labels(tp.topic).set(now)
            highwater = self.consumer.highwater(tp)
            if highwater is not None:
                self.metrics.lag.labels(tp.topic, str(tp.partition)).set(
                    max(0, highwater - recs[-1].offset - 1)
                )
        self.metrics.batch_size.observe(len(records))
        self.metrics.batch_duration.observe(time.perf_counter() - started)
        self.stats.batches += 1
        self.stats.consumed += len(records)
        self.stats.produced += len(result.outputs)
        self.stats.dead_lettered += len(dead)

    async def commit_pending(self, only: set[TopicPartition] | None) -> None:
        self._last_commit = time.monotonic()
        offsets = {tp: off for tp, off in self._pending.items() if only is None or tp in only}
        if not offsets:
            return
        try:
            await self.consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as exc:
            # The group rebalanced: another member will replay these records (at least once).
            self.metrics.commits.labels("failed").inc()
            log.warning("commit_failed", error=str(exc), partitions=len(offsets))
        except KafkaError:
            self.metrics.commits.labels("failed").inc()
            raise
        else:
            self.metrics.commits.labels("ok").inc()
            self.stats.commits += 1
        for tp in offsets:
            if self._pending.get(tp) == offsets[tp]:
                del self._pending[tp]

    async def _back_off(self, batch: dict[TopicPartition, list[Any]], bp: Backpressure) -> None:
        """Rewind, pause every assigned partition, keep polling until `retry_after` passes."""
        self.metrics.backpressure.inc()
        log.warning("backpressure_pause", retry_after=round(bp.retry_after, 2), detail=bp.detail)
        rewind = {tp: recs[0].offset for tp, recs in batch.items()}
        started = time.monotonic()
        assigned = set(self.consumer.assignment())
        for tp, offset in rewind.items():
            if tp in assigned:
                self.consumer.seek(tp, offset)
        self.consumer.pause(*assigned)
        try:
            deadline = started + bp.retry_after
            while not self._stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                stray = await self.consumer.getmany(timeout_ms=int(min(remaining, 0.5) * 1000) or 1)
                for tp, recs in stray.items():
                    # Should not happen while paused; never lose them if it does.
                    first = rewind.get(tp, recs[0].offset)
                    rewind[tp] = min(first, recs[0].offset)
                    self.consumer.seek(tp, rewind[tp])
        finally:
            still = set(self.consumer.assignment())
            self.consumer.resume(*(assigned & still))
            self.metrics.backpressure_seconds.inc(time.monotonic() - started)

    async def _update_lag(self, *, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._last_lag_update < 5.0:
            return
        self._last_lag_update = now
        for tp in self.consumer.assignment():
            highwater = self.consumer.highwater(tp)
            if highwater is None:
                continue
            try:
                position = await self.consumer.position(tp)
            except (IllegalStateError, KafkaError):
                continue
            self.metrics.lag.labels(tp.topic, str(tp.partition)).set(max(0, highwater - position))
