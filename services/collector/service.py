"""The collector shell: runs every enabled source, publishes what they fetch to `posts`
(key = post id), stores each source's checkpoint after the broker acknowledged the posts before
it, serves `POST /ingest`, and hot-reloads the sources file (adding, removing and restarting
sources without a restart of the process).

Error policy: a malformed item is dead-lettered with its source and reason and the source goes
on; a source that raises is restarted from its last checkpoint with exponential backoff, and
after three failures in a row it is reported unhealthy (metric and /readyz detail) while the
others carry on; a broker that does not acknowledge crashes the process (restart from the
checkpoints)."""

from __future__ import annotations

import asyncio
import hmac
import os
import random
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

import httpx
from aiohttp import web
from aiokafka import AIOKafkaProducer
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.collector.checkpoints import load_checkpoints, save_checkpoint
from services.collector.config import SourcesConfig, load_sources, make_source
from services.collector.ingest import parse_ingest
from services.collector.polite import USER_AGENT, HostLimiter
from services.collector.sources.base import (
    Checkpoint,
    Fetched,
    Reject,
    SourceContext,
    SourceSpec,
)
from services.runtime.config import ConfigWatcher
from services.runtime.errors import ConfigError, PoisonMessage
from services.runtime.logging import get_logger
from services.runtime.messages import dumps, parse_time, utcnow
from services.runtime.produce import send_many
from services.runtime.service import ServiceShell
from services.runtime.settings import Settings
from services.runtime.stream import Outgoing, dead_letter

log = get_logger("fieldwatch.collector")

UNHEALTHY_AFTER = 3
REQUEST_RESULTS = ("ok", "http_4xx", "http_429", "http_5xx", "timeout", "network", "protocol")
DEDUP_SIZE = 50_000


class CollectorMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        labels = ["source_type", "source"]
        self.fetched = Counter(
            "fieldwatch_collector_items_fetched",
            "Items fetched from a source (posts and other events).",
            labels,
            registry=registry,
        )
        self.produced = Counter(
            "fieldwatch_collector_posts_produced",
            "Posts published to the posts topic and acknowledged.",
            labels,
            registry=registry,
        )
        self.duplicates = Counter(
            "fieldwatch_collector_duplicates_dropped",
            "Posts dropped because the source had already delivered the same id.",
            labels,
            registry=registry,
        )
        self.errors = Counter(
            "fieldwatch_collector_errors",
            "Source errors, by bounded reason.",
            [*labels, "reason"],
            registry=registry,
        )
        self.last_success = Gauge(
            "fieldwatch_collector_last_success_timestamp_seconds",
            "When a source last fetched successfully.",
            labels,
            registry=registry,
        )
        self.newest_post = Gauge(
            "fieldwatch_collector_newest_post_timestamp_seconds",
            "created_at of the newest post a source published (freshness).",
            labels,
            registry=registry,
        )
        self.up = Gauge(
            "fieldwatch_collector_source_up",
            "1 while a source is healthy, 0 after repeated failures.",
            labels,
            registry=registry,
        )
        self.request_duration = Histogram(
            "fieldwatch_collector_request_duration_seconds",
            "Duration of one request (or connection attempt) to a platform.",
            labels,
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
            registry=registry,
        )
        self.requests = Counter(
            "fieldwatch_collector_requests",
            "Requests to a platform, by bounded result.",
            [*labels, "result"],
            registry=registry,
        )
        self.rate_limit_waits = Counter(
            "fieldwatch_collector_rate_limit_waits",
            "Times a source waited for a rate limit (token bucket, Retry-After, quota headers).",
            labels,
            registry=registry,
        )
        self.rate_limit_wait_seconds = Counter(
            "fieldwatch_collector_rate_limit_wait_seconds",
            "Seconds a source spent waiting for rate limits.",
            labels,
            registry=registry,
        )
        self.ingest_requests = Counter(
            "fieldwatch_collector_ingest_requests",
            "POST /ingest requests, by HTTP status.",
            ["status"],
            registry=registry,
        )
        self.publish_duration = Histogram(
            "fieldwatch_collector_publish_duration_seconds",
            "From handing a batch of posts to the producer to the broker's last ack.",
            buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            registry=registry,
        )
        for status in ("202", "400", "401", "413", "503"):
            self.ingest_requests.labels(status)
        self.prepare("ingest", "ingest")

    def prepare(self, source_type: str, name: str) -> None:
        for metric in (
            self.fetched,
            self.produced,
            self.duplicates,
            self.rate_limit_waits,
            self.rate_limit_wait_seconds,
        ):
            metric.labels(source_type, name)
        for result in REQUEST_RESULTS:
            self.requests.labels(source_type, name, result)
        for reason in ("undecodable", "schema_invalid", "source_failed"):
            self.errors.labels(source_type, name, reason)
        self.up.labels(source_type, name).set(1)


class MetricsObserver:
    """`SourceObserver` bound to one source's labels."""

    def __init__(self, metrics: CollectorMetrics, source_type: str, name: str) -> None:
        self.metrics = metrics
        self.labels = (source_type, name)

    def request(self, seconds: float, result: str) -> None:
        if result not in REQUEST_RESULTS:
            result = "protocol"
        self.metrics.request_duration.labels(*self.labels).observe(seconds)
        self.metrics.requests.labels(*self.labels, result).inc()

    def waited(self, seconds: float) -> None:
        self.metrics.rate_limit_waits.labels(*self.labels).inc()
        self.metrics.rate_limit_wait_seconds.labels(*self.labels).inc(seconds)


class Dedup:
    """A bounded set of recently seen post ids (least recently seen evicted first)."""

    def __init__(self, size: int = DEDUP_SIZE) -> None:
        self.size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, post_id: str) -> bool:
        if post_id in self._seen:
            self._seen.move_to_end(post_id)
            return False
        self._seen[post_id] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True


class SourceRunner:
    """Runs one source: fetch -> publish -> checkpoint, restarting it on failure."""

    def __init__(self, service: CollectorService, spec: SourceSpec) -> None:
        self.service = service
        self.spec = spec
        self.dedup = Dedup()
        self.failures = 0
        self.last_error = ""
        self.task: asyncio.Task[None] | None = None

    @property
    def healthy(self) -> bool:
        return self.failures < UNHEALTHY_AFTER

    async def run(self) -> None:
        m = self.service.metrics
        labels = (self.spec.type, self.spec.name)
        while True:
            checkpoint = self.service.checkpoints.get(self.spec.name)
            try:
                source = make_source(self.spec, self.service.source_context(self.spec))
                async for batch in source.stream(checkpoint):
                    # Shielded: a stop request lets the batch in flight finish and checkpoint.
                    await asyncio.shield(self.service.publish_batch(self.spec, batch, self.dedup))
                    m.last_success.labels(*labels).set(time.time())
                    if self.failures:
                        log.info("source_recovered", source=self.spec.name)
                    self.failures = 0
                    m.up.labels(*labels).set(1)
                log.info("source_finished", source=self.spec.name)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a source failing must not stop the others
                self.failures += 1
                self.last_error = f"{type(exc).__name__}: {str(exc)[:200]}"
                m.errors.labels(*labels, "source_failed").inc()
                if not self.healthy:
                    m.up.labels(*labels).set(0)
                delay = min(300.0, 2.0**self.failures) * (0.5 + random.random() / 2)
                log.warning(
                    "source_failed",
                    source=self.spec.name,
                    error=self.last_error,
                    failures=self.failures,
                    retry_in=round(delay, 1),
                )
                await asyncio.sleep(delay)


class CollectorService(ServiceShell):
    name = "collector"

    def __init__(
        self,
        settings: Settings,
        config: SourcesConfig | None,
        *,
        producer: AIOKafkaProducer | None = None,
        registry: CollectorRegistry | None = None,
        env: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(settings, producer=producer, registry=registry)
        self.metrics = CollectorMetrics(self.registry)
        self.env = dict(os.environ) if env is None else env
        self.transport = transport
        self.limiter = HostLimiter()
        self.config = config
        self.checkpoints: dict[str, Checkpoint] = {}
        self.runners: dict[str, SourceRunner] = {}
        self._stop = asyncio.Event()
        self._ingest_dedup = Dedup()
        self._newest: dict[str, float] = {}
        self.stats = {"posts": 0, "duplicates": 0, "rejects": 0, "ingested": 0}
        self.readiness.add("sources", self._sources_check)

    def source_context(self, spec: SourceSpec) -> SourceContext:
        return SourceContext(
            limiter=self.limiter,
            user_agent=(self.config.user_agent if self.config else None) or USER_AGENT,
            env=self.env,
            observer=MetricsObserver(self.metrics, spec.type, spec.name),
            transport=self.transport,
        )

    # -- publishing ------------------------------------------------------------------------
    async def publish(self, posts: list[dict[str, Any]]) -> None:
        """Send every post, then wait for all the broker's acks."""
        started = time.perf_counter()
        topic = self.topics.posts
        records = [Outgoing(topic, dumps(p), key=p["id"].encode()) for p in posts]
        await asyncio.gather(*await send_many(self.producer, records))
        self.metrics.publish_duration.observe(time.perf_counter() - started)

    async def dead_letter_rejects(self, spec_type: str, name: str, rejects: list[Reject]) -> None:
        letters = []
        for reject in rejects:
            letters.append(
                dead_letter(
                    self.topics.dlq,
                    key=None,
                    value=reject.raw,
                    error=PoisonMessage(reject.reason, reject.detail),
                    stage=self.name,
                    extra={"source": name, "source_type": spec_type},
                )
            )
            self.metrics.errors.labels(spec_type, name, reject.reason).inc()
            log.warning(
                "item_dead_lettered", source=name, reason=reject.reason, detail=reject.detail[:300]
            )
        await asyncio.gather(*await send_many(self.producer, letters))

    async def publish_batch(self, spec: SourceSpec, batch: Fetched, dedup: Dedup) -> None:
        labels = (spec.type, spec.name)
        collected_at = utcnow()
        fresh = []
        for post in batch.posts:
            if dedup.first_time(post["id"]):
                post.setdefault("collected_at", collected_at)
                fresh.append(post)
        dropped = len(batch.posts) - len(fresh)
        if fresh:
            await self.publish(fresh)
        if batch.rejects:
            await self.dead_letter_rejects(spec.type, spec.name, batch.rejects)
        if batch.checkpoint is not None:
            await save_checkpoint(
                self.producer, self.topics.checkpoints, spec.name, batch.checkpoint
            )
            self.checkpoints[spec.name] = batch.checkpoint
        m = self.metrics
        m.fetched.labels(*labels).inc(batch.items or len(batch.posts) + len(batch.rejects))
        m.produced.labels(*labels).inc(len(fresh))
        m.duplicates.labels(*labels).inc(dropped)
        if fresh:
            newest = max(parse_time(p["created_at"]).timestamp() for p in fresh)
            newest = max(newest, self._newest.get(spec.name, 0.0))
            self._newest[spec.name] = newest
            m.newest_post.labels(*labels).set(newest)
        self.stats["posts"] += len(fresh)
        self.stats["duplicates"] += dropped
        self.stats["rejects"] += len(batch.rejects)

    # -- HTTP ingest -----------------------------------------------------------------------
    def routes(self) -> Iterable[web.RouteDef]:
        return [web.post("/ingest", self.ingest)]

    def client_max_size(self) -> int:
        return self.settings.ingest_max_bytes

    async def ingest(self, request: web.Request) -> web.Response:
        token = self.settings.ingest_token
        if token is not None:
            given = request.headers.get("authorization", "")
            expected = f"Bearer {token.reveal()}"
            if not hmac.compare_digest(given.encode(), expected.encode()):
                self.metrics.ingest_requests.labels("401").inc()
                return web.json_response(
                    {"error": "unauthorized", "message": "a valid bearer token is required"},
                    status=401,
                    headers={"www-authenticate": "Bearer"},
                )
        if (
            request.content_length is not None
            and request.content_length > self.settings.ingest_max_bytes
        ):
            self.metrics.ingest_requests.labels("413").inc()
            return self._too_large()
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            self.metrics.ingest_requests.labels("413").inc()
            return self._too_large()
        result = parse_ingest(body, request.content_type or "", utcnow())
        if result.errors:
            self.metrics.ingest_requests.labels("400").inc()
            return web.json_response(
                {
                    "error": "invalid",
                    "message": "no post was accepted",
                    "errors": result.errors[:1000],
                },
                status=400,
            )
        fresh = [p for p in result.posts if self._ingest_dedup.first_time(p["id"])]
        await self.publish(fresh)
        self.metrics.fetched.labels("ingest", "ingest").inc(len(result.posts))
        self.metrics.produced.labels("ingest", "ingest").inc(len(fresh))
        self.metrics.duplicates.labels("ingest", "ingest").inc(len(result.posts) - len(fresh))
        self.metrics.ingest_requests.labels("202").inc()
        self.stats["ingested"] += len(fresh)
        return web.json_response(
            {
                "accepted": [p["id"] for p in result.posts],
                "duplicates": len(result.posts) - len(fresh),
            },
            status=202,
        )

    def _too_large(self) -> web.Response:
        return web.json_response(
            {
                "error": "too_large",
                "message": f"body larger than {self.settings.ingest_max_bytes} bytes "
                "(FIELDWATCH_INGEST_MAX_BYTES)",
            },
            status=413,
        )

    # -- sources ---------------------------------------------------------------------------
    def _sources_check(self) -> tuple[bool, str]:
        bad = [f"{n}: {r.last_error}" for n, r in self.runners.items() if not r.healthy]
        detail = f"{len(self.runners)} source(s) running"
        if bad:
            detail += "; unhealthy: " + "; ".join(bad)
        return True, detail  # a failing source degrades, it does not make the collector unready

    def apply_config(self, config: SourcesConfig) -> None:
        wanted: Mapping[str, SourceSpec] = {s.name: s for s in config.sources if s.enabled}
        for name in list(self.runners):
            runner = self.runners[name]
            if name not in wanted or wanted[name] != runner.spec:
                if runner.task is not None:
                    runner.task.cancel()
                del self.runners[name]
                log.info("source_stopped", source=name)
        for name, spec in wanted.items():
            if name in self.runners:
                continue
            self.metrics.prepare(spec.type, name)
            runner = SourceRunner(self, spec)
            runner.task = self.spawn(runner.run(), f"source-{name}")
            self.runners[name] = runner
            log.info("source_started", source=name, type=spec.type)
        self.config = config

    async def start(self) -> None:
        await super().start()
        if self.config is None:
            return
        self.checkpoints = await load_checkpoints(self.settings.kafka, self.topics.checkpoints)
        self.apply_config(self.config)
        path = self.settings.sources_file
        if path is not None:
            watcher = ConfigWatcher(
                path,
                load_sources,
                self.apply_config,
                self._reload_failed,
                interval=self.settings.config_poll_interval,
                digest=self.config.version,
            )
            self.spawn(watcher.run(), "sources-watcher")

    def _reload_failed(self, error: ConfigError) -> None:
        log.error("sources_reload_rejected", problems=[str(p) for p in error.problems][:20])

    async def run(self) -> None:
        await self._stop.wait()

    def request_stop(self) -> None:
        self._stop.set()

    def summary(self) -> dict[str, Any]:
        return dict(self.stats)


def build(
    settings: Settings,
    *,
    producer: AIOKafkaProducer | None = None,
    registry: CollectorRegistry | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> CollectorService:
    """Composition root: every adapter has a production default."""
    config = load_sources(settings.sources_file) if settings.sources_file else None
    return CollectorService(
        settings, config, producer=producer, registry=registry, env=env, transport=transport
    )
