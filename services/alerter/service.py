"""The alerter shell: consumes `scored`, asks the pure core which alerts to raise, delivers each
to its destinations, records every alert on `alerts`, and commits only after every alert of the
batch was delivered or dead-lettered.

Error policy (`services.alerter.dispatch`): a transient failure (5xx, 429, timeout, network) is
retried a few times within the batch, then the loop is told `Backpressure`: it rewinds, pauses
and retries later without committing, so nothing is dropped. A destination failing for longer
than its retry budget, answering a permanent 4xx, or disabled, sends the alert to the
dead-letter topic with the reason. Alerts already delivered are remembered (bounded), so a
replayed batch does not re-send them."""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import CollectorRegistry, Counter, Histogram

from services.alerter.core import decide
from services.alerter.delivery import Deliverer
from services.alerter.dispatch import DeliveryMetrics, Dispatcher
from services.alerter.routes import Destination, RoutesConfig, load_routes
from services.runtime.config import ConfigWatcher
from services.runtime.errors import ConfigError, PoisonMessage
from services.runtime.logging import get_logger
from services.runtime.messages import dumps, loads, parse_time
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
        self._delivered: OrderedDict[tuple[str, int, str], None] = OrderedDict()
        self.dispatcher = Dispatcher(self.deliverer, self.metrics.delivery)
        self.readiness.add("routes", lambda: (True, f"version {self.config.version}"))

    async def start(self) -> None:
        await super().start()
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

    def _remember(self, key: tuple[str, int, str]) -> None:
        self._delivered[key] = None
        if len(self._delivered) > 100_000:
            self._delivered.popitem(last=False)

    async def _deliver(
        self, dest: Destination, alert: dict[str, Any]
    ) -> tuple[bool, PoisonMessage | None]:
        """(delivered, dead-letter error); raises Backpressure when the batch must wait."""
        result = await self.dispatcher.dispatch(dest, alert, thread_ref=None)
        return result.delivered, result.error

    async def process(self, batch: list[Incoming]) -> BatchResult:
        result = BatchResult()
        config = self.config
        now = datetime.now(UTC)
        for item in batch:
            scored = item.value
            for decision in decide(config, scored, now):
                alert = decision.alert
                for dest_name in decision.route.to:
                    dest = config.destinations[dest_name]
                    key = (alert["id"], alert["version"], dest_name)
                    if key in self._delivered:
                        continue
                    delivered, error = await self._deliver(dest, alert)
                    if delivered:
                        self._remember(key)
                        age = time.time() - parse_time(scored["created_at"]).timestamp()
                        self.metrics.post_to_delivery.labels(dest_name).observe(max(0.0, age))
                        log.info(
                            "alert_delivered",
                            alert_id=alert["id"],
                            destination=dest_name,
                            route=decision.route.name,
                        )
                    elif error is not None:
                        self._remember(key)
                        result.outputs.append(
                            dead_letter(
                                self.topics.dlq,
                                key=alert["id"].encode(),
                                value=dumps(alert),
                                error=error,
                                stage=self.name,
                                extra={"destination": dest_name},
                            )
                        )
                        log.error(
                            "alert_dead_lettered",
                            alert_id=alert["id"],
                            destination=dest_name,
                            reason=error.reason,
                            detail=error.detail,
                        )
                self.metrics.alerts.labels(decision.route.name).inc()
                result.outputs.append(
                    Outgoing(topic=self.topics.alerts, value=dumps(alert), key=alert["id"].encode())
                )
            result.event_times.append(parse_time(scored["created_at"]).timestamp())
        return result


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
    return AlerterService(
        settings,
        config,
        consumer=consumer,
        producer=producer,
        registry=registry,
        deliverer=deliverer,
    )
