"""The shell every service shares: Kafka clients, the HTTP server with /metrics, /healthz and
/readyz, readiness checks (broker reachable, config loaded) and background tasks. The
classifier and the alerter subclass `StreamService`, which adds the stream loop; the
collector uses `ServiceShell` directly (it produces but does not consume)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterable, Sequence
from typing import Any

from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import CollectorRegistry

from services import __version__
from services.runtime.http import HttpServer, Readiness, build_app
from services.runtime.kafka import Topics, make_consumer, make_producer
from services.runtime.logging import get_logger
from services.runtime.metrics import ServiceInfo, StreamMetrics
from services.runtime.settings import Settings
from services.runtime.stream import BatchResult, Decoder, Incoming, LoopStats, StreamLoop

log = get_logger("fieldwatch.service")


class ServiceShell:
    """Producer, HTTP server, readiness and background tasks of one service process."""

    name = "service"

    def __init__(
        self,
        settings: Settings,
        *,
        producer: AIOKafkaProducer | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.settings = settings
        self.topics = Topics.from_prefix(settings.kafka.topic_prefix)
        self.registry = registry if registry is not None else CollectorRegistry()
        self.producer = producer or make_producer(settings.kafka)
        self.readiness = Readiness()
        self.readiness.add("broker", self._broker_check)
        self.info = ServiceInfo(self.registry, self.name, __version__)
        self.http: HttpServer | None = None
        self._tasks: list[asyncio.Task[Any]] = []
        self._broker_checked: tuple[float, bool, str] = (0.0, False, "not checked yet")

    # -- hooks -----------------------------------------------------------------------------
    def routes(self) -> Iterable[web.RouteDef]:
        return ()

    def client_max_size(self) -> int:
        return 1024**2

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        await self.producer.start()
        app = build_app(
            self.registry, self.readiness, self.routes(), client_max_size=self.client_max_size()
        )
        self.http = HttpServer(app, self.settings.http_host, self.settings.http_port)
        await self.http.start()
        log.info("http_listening", host=self.settings.http_host, port=self.http.port)

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.append(task)
        return task

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.producer.flush()
        await self.producer.stop()
        if self.http is not None:
            await self.http.stop()

    async def _broker_check(self) -> tuple[bool, str]:
        checked_at, ok, detail = self._broker_checked
        if time.monotonic() - checked_at < 2.0:
            return ok, detail
        try:
            md = await asyncio.wait_for(self.producer.client.fetch_all_metadata(), timeout=3.0)
            ok, detail = True, f"{len(md.brokers())} broker(s) reachable"
        except Exception as exc:  # any failure means "not ready"; the detail says which
            ok, detail = False, f"broker unreachable: {type(exc).__name__}"
        self._broker_checked = (time.monotonic(), ok, detail)
        self.info.ready.set(1 if ok else 0)
        return ok, detail

    def summary(self) -> dict[str, Any]:
        return {}


class StreamService(ServiceShell):
    """A service that consumes topics through the shared stream loop."""

    def __init__(
        self,
        settings: Settings,
        *,
        inputs: Sequence[str],
        decode: Decoder,
        consumer: AIOKafkaConsumer | None = None,
        producer: AIOKafkaProducer | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        super().__init__(settings, producer=producer, registry=registry)
        self.stream_metrics = StreamMetrics(self.registry, inputs)
        self.consumer = consumer or make_consumer(settings.kafka, group_id=settings.group_id)
        self.loop = StreamLoop(
            consumer=self.consumer,
            producer=self.producer,
            topics=inputs,
            dlq_topic=self.topics.dlq,
            decode=decode,
            process=self.process,
            metrics=self.stream_metrics,
            stage=self.name,
            batch_max=settings.kafka.batch_max,
            commit_interval=settings.kafka.commit_interval,
        )

    async def process(self, batch: list[Incoming]) -> BatchResult:
        raise NotImplementedError

    async def start(self) -> None:
        await super().start()
        self.loop.subscribe()
        await self.consumer.start()

    async def run(self) -> None:
        await self.loop.run()

    def request_stop(self) -> None:
        self.loop.stop()

    async def close(self) -> None:
        await super().close()
        await self.consumer.stop()

    def summary(self) -> dict[str, Any]:
        stats: LoopStats = self.loop.stats
        return {
            "batches": stats.batches,
            "consumed": stats.consumed,
            "produced": stats.produced,
            "dead_lettered": stats.dead_lettered,
            "commits": stats.commits,
        }
