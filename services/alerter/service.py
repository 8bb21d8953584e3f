"""The alerter shell: consumes `scored`, feeds each post to the pure incident core
(`core.IncidentBook`), delivers the notifications that are due to the route's destinations,
records every alert on `alerts` and every changed incident on the compacted `incidents` topic as
outputs of the same batch, and commits only after every alert of the batch was delivered or
dead-lettered. At start it rebuilds the incidents from that topic (`state.py`), so an incident
continues after a restart with the same id and a grown version. A timer (`flush_interval`)
sends updates that fall due while no post arrives, forgets expired incidents (tombstones) and
refreshes the incident gauges, under the same lock as the batches.

Error policy (`services.alerter.dispatch`): a transient failure (5xx, 429, timeout, network) is
retried a few times within the batch, then the loop is told `Backpressure`: it rewinds, pauses
and retries later without committing, so nothing is dropped. A destination failing for longer
than its retry budget, answering a permanent 4xx, or disabled, sends the alert to the
dead-letter topic with the reason. Alerts already delivered are remembered (bounded), so a
replayed batch does not re-send them."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import CollectorRegistry, Counter, Histogram

from services.alerter.core import IncidentBook, Notice
from services.alerter.delivery import Deliverer
from services.alerter.dispatch import DeliveryMetrics, Dispatcher
from services.alerter.routes import Destination, RoutesConfig, load_routes
from services.alerter.state import IncidentMetrics, pick_states, read_topic, state_outputs
from services.classifier.watchlist import load_watchlist
from services.runtime.config import ConfigWatcher
from services.runtime.errors import Backpressure, ConfigError, PoisonMessage
from services.runtime.logging import get_logger
from services.runtime.messages import dumps, loads, parse_time, valid_timestamp
from services.runtime.metrics import LATENCY_BUCKETS
from services.runtime.service import StreamService
from services.runtime.settings import Settings
from services.runtime.stream import BatchResult, Incoming, Outgoing, Record, dead_letter

log = get_logger("fieldwatch.alerter")


class AlerterMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.delivery = DeliveryMetrics(registry)
        self.post_to_delivery = Histogram(
            "fieldwatch_alerter_post_to_delivery_seconds",
            "From the newest post's created_at to the alert's delivery.",
            ["destination"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.alerts = Counter(
            "fieldwatch_alerter_alerts", "Alerts raised, by route.", ["route"], registry=registry
        )

    def prepare(self, config: RoutesConfig) -> None:
        self.delivery.prepare(config.destinations)
        for route in config.routes:
            self.alerts.labels(route.name)


def decode_scored(record: Record) -> dict[str, Any]:
    if record.value is None:
        raise PoisonMessage("undecodable", "empty record value (tombstone)")
    value = loads(record.value)
    if not isinstance(value, dict):
        raise PoisonMessage("schema_invalid", "(top level): must be a JSON object")
    missing = [k for k in ("id", "source", "text", "created_at", "score") if k not in value]
    if missing:
        raise PoisonMessage("schema_invalid", "; ".join(f"{k}: is required" for k in missing))
    if not isinstance(value["score"], int | float):
        raise PoisonMessage("schema_invalid", "score: must be a number")
    try:
        parse_time(value["created_at"])
    except (TypeError, ValueError) as exc:
        raise PoisonMessage("schema_invalid", f"created_at: {exc}") from exc
    return value


class AlerterService(StreamService):
    name = "alerter"

    def __init__(
        self,
        settings: Settings,
        config: RoutesConfig,
        *,
        consumer: AIOKafkaConsumer | None = None,
        producer: AIOKafkaProducer | None = None,
        registry: CollectorRegistry | None = None,
        deliverer: Deliverer | None = None,
        tag_lookup: Mapping[str, frozenset[str]] | None = None,
        clock: Callable[[], float] = time.time,
        flush_interval: float = 1.0,
    ) -> None:
        super().__init__(
            settings,
            inputs=[f"{settings.kafka.topic_prefix}.scored"],
            decode=decode_scored,
            consumer=consumer,
            producer=producer,
            registry=registry,
        )
        self.metrics = AlerterMetrics(self.registry)
        self.config = config
        self.metrics.prepare(config)
        self.deliverer = deliverer or Deliverer()
        self.dispatcher = Dispatcher(self.deliverer, self.metrics.delivery)
        self.readiness.add("routes", lambda: (True, f"version {self.config.version}"))
        self.book = IncidentBook()
        self.incident_metrics = IncidentMetrics(self.registry)
        self.incident_metrics.prepare(config)
        self.tag_lookup = tag_lookup
        self.clock = clock
        self.flush_interval = flush_interval
        self._lock = asyncio.Lock()
        # (alert id, version, destination) already settled, with its dead letter if any: a
        # batch replayed after backpressure skips them but still writes the dead letter.
        self._settled: OrderedDict[tuple[str, int, str], Outgoing | None] = OrderedDict()

    async def start(self) -> None:
        await super().start()
        await self.restore()
        self.spawn(self._flush_forever(), "incident-flush")
        path = self.settings.routes_file
        if path is not None:
            watcher = ConfigWatcher(
                path,
                load_routes,
                self._swap,
                self._reload_failed,
                interval=self.settings.config_poll_interval,
                digest=self.config.version,
            )
            self.spawn(watcher.run(), "routes-watcher")

    def _swap(self, config: RoutesConfig) -> None:
        self.config = config
        self.metrics.prepare(config)
        self.incident_metrics.prepare(config)
        self.book.reschedule(self.clock())  # a silence may have gone
        log.info("routes_reloaded", version=config.version, routes=len(config.routes))

    def _reload_failed(self, error: ConfigError) -> None:
        log.error(
            "routes_reload_rejected",
            problems=[str(p) for p in error.problems][:20],
            kept_version=self.config.version,
        )

    async def close(self) -> None:
        await super().close()
        await self.deliverer.close()

    # -- incidents ---------------------------------------------------------------------------
    async def restore(self) -> None:
        """Rebuild the incidents from the compacted incidents topic."""
        records = await read_topic(self.settings.kafka, self.topics.incidents)
        states = pick_states(records, self.incident_metrics)
        loaded = 0
        for state in states:
            try:
                loaded += self.book.restore([state], self.clock())
            except (KeyError, TypeError, ValueError):
                self.incident_metrics.state_records.labels("invalid").inc()
        self.incident_metrics.state_records.labels("loaded").inc(loaded)
        log.info("incidents_restored", records=len(records), incidents=loaded)

    async def _notify(
        self, dest: Destination, alert: dict[str, Any], thread_ref: str | None
    ) -> tuple[bool, PoisonMessage | None, str | None]:
        """(delivered, dead-letter error, thread reference to reply to next time); raises
        Backpressure. The one place that calls the delivery policy."""
        result = await self.dispatcher.dispatch(dest, alert, thread_ref=thread_ref)
        return result.delivered, result.error, result.thread_ref

    async def _send(self, notices: list[Notice], now: float) -> list[Outgoing]:
        """Deliver every notice to every destination of its route, then mark them notified.
        Backpressure propagates before anything is marked, so all of them come due again."""
        outputs: list[Outgoing] = []
        settled: list[tuple[Notice, dict[str, str]]] = []
        config = self.config
        for notice in notices:
            alert = notice.alert
            threads: dict[str, str] = {}
            for dest_name in notice.route.to:
                dest = config.destinations.get(dest_name)
                if dest is None:
                    continue
                key = (alert["id"], alert["version"], dest_name)
                if key in self._settled:
                    dead = self._settled[key]
                    if dead is not None:
                        outputs.append(dead)
                    continue
                delivered, error, ref = await self._notify(
                    dest, alert, notice.threads.get(dest_name)
                )
                if ref is not None:
                    threads[dest_name] = ref
                if delivered:
                    self._settle(key, None)
                    age = now - parse_time(alert["last_seen"]).timestamp()
                    self.metrics.post_to_delivery.labels(dest_name).observe(max(0.0, age))
                    log.info(
                        "alert_delivered",
                        alert_id=alert["id"],
                        version=alert["version"],
                        destination=dest_name,
                        route=notice.route.name,
                    )
                elif error is not None:
                    dead = dead_letter(
                        self.topics.dlq,
                        key=alert["id"].encode(),
                        value=dumps(alert),
                        error=error,
                        stage=self.name,
                        extra={"destination": dest_name},
                    )
                    self._settle(key, dead)
                    outputs.append(dead)
                    log.error(
                        "alert_dead_lettered",
                        alert_id=alert["id"],
                        destination=dest_name,
                        reason=error.reason,
                        detail=error.detail,
                    )
            settled.append((notice, threads))
        for notice, threads in settled:
            self.book.mark_notified(notice, now, threads)
            self.metrics.alerts.labels(notice.route.name).inc()
            outputs.append(
                Outgoing(
                    topic=self.topics.alerts,
                    value=dumps(notice.alert),
                    key=notice.incident_id.encode(),
                )
            )
        return outputs

    def _settle(self, key: tuple[str, int, str], dead: Outgoing | None) -> None:
        self._settled[key] = dead
        if len(self._settled) > 100_000:
            self._settled.popitem(last=False)

    async def process(self, batch: list[Incoming]) -> BatchResult:
        result = BatchResult()
        async with self._lock:
            config = self.config
            now = self.clock()
            for item in batch:
                scored = item.value
                observed = self.book.observe(config, scored, now, self.tag_lookup)
                self.incident_metrics.observed(observed)
                result.event_times.append(valid_timestamp(scored["created_at"]))
            result.outputs.extend(await self._send(self.book.due(config, now), now))
            # Expired incidents are tombstoned by the flush timer, which can produce nulls.
            states, _ = self.book.take_changes(keep_dropped=True)
            result.outputs.extend(state_outputs(self.topics.incidents, states))
        return result

    async def flush(self) -> int:
        """One timer tick: send due updates, forget expired incidents, persist; the number
        of notifications sent. Backpressure leaves them pending for the next tick."""
        async with self._lock:
            config = self.config
            now = self.clock()
            self.book.expire(config, now)
            try:
                outputs = await self._send(self.book.due(config, now), now)
            except Backpressure as bp:
                log.warning(
                    "flush_deferred", retry_after=round(bp.retry_after, 2), detail=bp.detail
                )
                outputs = []
            states, dropped = self.book.take_changes()
            outputs.extend(state_outputs(self.topics.incidents, states))
            futures = [
                await self.producer.send(
                    o.topic, o.value, key=o.key, headers=list(o.headers) or None
                )
                for o in outputs
            ]
            for incident in dropped:
                futures.append(
                    await self.producer.send(self.topics.incidents, None, key=incident.encode())
                )
            await asyncio.gather(*futures)
            for o in outputs:
                self.stream_metrics.produced.labels(o.topic).inc()
            self.incident_metrics.counts(self.book.counts(config, now))
            return sum(1 for o in outputs if o.topic == self.topics.alerts)

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            try:
                await self.flush()
            except Exception as exc:  # a dead timer would stop updates silently: say it, go on
                log.error("incident_flush_failed", error=type(exc).__name__, detail=str(exc)[:300])


def build(
    settings: Settings,
    *,
    consumer: AIOKafkaConsumer | None = None,
    producer: AIOKafkaProducer | None = None,
    registry: CollectorRegistry | None = None,
    deliverer: Deliverer | None = None,
) -> AlerterService:
    """Composition root: every adapter has a production default."""
    if settings.routes_file is None:
        raise ConfigError.single("FIELDWATCH_ROUTES", "is required for the alerter")
    config = load_routes(settings.routes_file)
    # Entity tags for `entity_tags` matches when the classifier's matches carry none.
    tags = None
    if settings.watchlist_file is not None:
        watchlist = load_watchlist(settings.watchlist_file)
        tags = {e.id: frozenset(e.tags) for e in watchlist.entities}
    return AlerterService(
        settings,
        config,
        consumer=consumer,
        producer=producer,
        registry=registry,
        deliverer=deliverer,
        tag_lookup=tags,
    )
