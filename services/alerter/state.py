"""The shell around the incident core: its metrics, and its state on the compacted
`<prefix>.incidents` topic (key = incident id, value = the incident's state record, a null
value once the incident is forgotten). At start the alerter reads the whole topic and keeps, per
key, the state with the highest `rev` (or nothing after a tombstone): the local broker may not
compact, and a state written by the flush timer may land next to one written by a batch, so the
revision decides, not the offset. A record that cannot be read is counted and skipped: the
incident it described starts afresh, it is never a reason to stop alerting."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from prometheus_client import CollectorRegistry, Counter, Gauge

from services.alerter.core import SEVERITY_ORDER, Observed
from services.alerter.routes import RoutesConfig
from services.runtime.kafka import make_consumer
from services.runtime.messages import dumps, loads
from services.runtime.settings import KafkaSettings
from services.runtime.stream import Outgoing


class IncidentMetrics:
    """`fieldwatch_alerter_incidents_*`, silences and escalations; labels are route names
    (from the routes file) and severities, closed sets."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.open = Gauge(
            "fieldwatch_alerter_incidents_open",
            "Incidents the alerter remembers (open or within repeat_interval), by route.",
            ["route"],
            registry=registry,
        )
        self.silenced = Gauge(
            "fieldwatch_alerter_incidents_silenced",
            "Remembered incidents muted by a silence now, by route.",
            ["route"],
            registry=registry,
        )
        self.opened = Counter(
            "fieldwatch_alerter_incidents_opened",
            "Incidents opened, by route.",
            ["route"],
            registry=registry,
        )
        self.silenced_posts = Counter(
            "fieldwatch_alerter_silenced_posts",
            "Posts that joined an incident while a silence muted it, by route.",
            ["route"],
            registry=registry,
        )
        self.escalations = Counter(
            "fieldwatch_alerter_escalations",
            "Incidents escalated, by the severity they reached.",
            ["severity"],
            registry=registry,
        )
        self.state_records = Counter(
            "fieldwatch_alerter_incident_state_records",
            "Incident state records read at start, by result (loaded, invalid, tombstone).",
            ["result"],
            registry=registry,
        )
        for severity in SEVERITY_ORDER:
            self.escalations.labels(severity)
        for result in ("loaded", "invalid", "tombstone"):
            self.state_records.labels(result)

    def prepare(self, config: RoutesConfig) -> None:
        for route in config.routes:
            self.open.labels(route.name)
            self.silenced.labels(route.name)
            self.opened.labels(route.name)
            self.silenced_posts.labels(route.name)

    def observed(self, obs: Observed) -> None:
        for route in obs.opened:
            self.opened.labels(route).inc()
        for route in obs.silenced:
            self.silenced_posts.labels(route).inc()
        for _, severity in obs.escalations:
            self.escalations.labels(severity).inc()

    def counts(self, counts: dict[str, tuple[int, int]]) -> None:
        for route, (total, muted) in counts.items():
            self.open.labels(route).set(total)
            self.silenced.labels(route).set(muted)


def state_outputs(topic: str, states: Iterable[dict[str, Any]]) -> list[Outgoing]:
    return [Outgoing(topic=topic, value=dumps(s), key=str(s["id"]).encode()) for s in states]


def pick_states(
    records: Iterable[tuple[bytes | None, bytes | None]], metrics: IncidentMetrics | None = None
) -> list[dict[str, Any]]:
    """The newest state per incident from (key, value) records in offset order."""
    newest: dict[bytes, dict[str, Any]] = {}
    for key, value in records:
        if key is None:
            continue
        if value is None:
            newest.pop(key, None)
            if metrics is not None:
                metrics.state_records.labels("tombstone").inc()
            continue
        try:
            state = loads(value)
            rev = int(state["rev"])
        except Exception:  # a broken record must not stop the alerter: count it, go on
            if metrics is not None:
                metrics.state_records.labels("invalid").inc()
            continue
        old = newest.get(key)
        if old is None or int(old["rev"]) <= rev:
            newest[key] = state
    return list(newest.values())


async def read_topic(
    kafka: KafkaSettings,
    topic: str,
    *,
    consumer: AIOKafkaConsumer | None = None,
    timeout: float = 60.0,
) -> list[tuple[bytes | None, bytes | None]]:
    """Every (key, value) in `topic` from the beginning to the end offsets at the call."""
    # No group: this reads the whole topic every time and commits nothing.
    consumer = consumer or make_consumer(kafka, group_id=None)  # type: ignore[arg-type]
    await consumer.start()
    try:
        parts = consumer.partitions_for_topic(topic)
        if not parts:
            await consumer._client.force_metadata_update()
            parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        if not tps:
            return []
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        out: list[tuple[bytes | None, bytes | None]] = []
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {topic} took longer than {timeout:.0f}s")
            batch = await consumer.getmany(*tps, timeout_ms=300)
            for records in batch.values():
                out.extend((r.key, r.value) for r in records)
            if batch:
                continue
            # An empty poll alone is no proof of the end, nor are end offsets on the local
            # broker (they can lag a multi-record batch): stop when both agree.
            end = await consumer.end_offsets(tps)
            positions = [await consumer.position(tp) for tp in tps]
            if all(pos >= end[tp] for pos, tp in zip(positions, tps, strict=True)):
                return out
    finally:
        await consumer.stop()
