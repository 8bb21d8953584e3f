"""The classifier shell: consumes `posts`, scores each through the pure `Engine`, produces
every post (scored or not) to `scored`, batch by batch through the shared stream loop. The
watchlist hot-reloads: a new valid file is built off the event loop and swapped atomically;
an invalid one is logged, counted, and the old one stays in force."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

from services.classifier.engine import CLASSIFIER_VERSION, Engine
from services.classifier.matching import gc_paused
from services.classifier.watchlist import Watchlist, load_watchlist
from services.runtime.config import ConfigWatcher
from services.runtime.errors import ConfigError, PoisonMessage
from services.runtime.logging import get_logger
from services.runtime.messages import check_post, dumps, loads
from services.runtime.metrics import observe_many
from services.runtime.service import StreamService
from services.runtime.settings import Settings
from services.runtime.stream import BatchResult, Incoming, Outgoing, Record

# Outputs are made with `tuple.__new__` rather than the named tuple's generated `__new__`
# (less than half its cost; one per post).
_new_tuple = tuple.__new__

log = get_logger("fieldwatch.classifier")

SCORE_BUCKETS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
STANCES = ("asserted", "hedged", "denied", "hypothetical")


class ClassifierMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.scored = Counter(
            "fieldwatch_classifier_posts_scored", "Posts scored.", registry=registry
        )
        self.matches = Counter(
            "fieldwatch_classifier_entity_matches",
            "Posts matching a watchlisted entity, by entity id (bounded by the watchlist).",
            ["entity"],
            registry=registry,
        )
        self.claims = Counter(
            "fieldwatch_classifier_claims",
            "Troop-deployment claims found, by stance.",
            ["stance"],
            registry=registry,
        )
        self.score = Histogram(
            "fieldwatch_classifier_score",
            "Distribution of post scores.",
            buckets=SCORE_BUCKETS,
            registry=registry,
        )
        self.duration = Histogram(
            "fieldwatch_classifier_classify_duration_seconds",
            "Time to classify one batch of posts (pure core only).",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=registry,
        )
        self.reloads = Counter(
            "fieldwatch_classifier_watchlist_reloads",
            "Watchlist reload attempts, by result.",
            ["result"],
            registry=registry,
        )
        self.watchlist_info = Info(
            "fieldwatch_classifier_watchlist",
            "The watchlist in force: content hash and size.",
            registry=registry,
        )
        self.watchlist_entities = Gauge(
            "fieldwatch_classifier_watchlist_entities",
            "Entities in the watchlist in force.",
            registry=registry,
        )
        self.watchlist_loaded = Gauge(
            "fieldwatch_classifier_watchlist_loaded_timestamp_seconds",
            "When the watchlist in force was loaded.",
            registry=registry,
        )
        # Label children by value, so a post's increments skip the lookup by label (and its
        # lock); filled for every known value here and as watchlists are loaded.
        self.claims_by_stance = {stance: self.claims.labels(stance) for stance in STANCES}
        self.matches_by_entity: dict[str, Counter] = {}
        for result in ("ok", "invalid"):
            self.reloads.labels(result)


def decode_post(record: Record) -> tuple[dict[str, Any], float]:
    """The post and its `created_at` in seconds since the epoch (parsed once, while validating,
    for the end-to-end latency metrics)."""
    if record.value is None:
        raise PoisonMessage("undecodable", "empty record value (tombstone)")
    return check_post(loads(record.value))


def frozen_engine(watchlist: Watchlist) -> Engine:
    """An engine whose objects are out of the cyclic collector's reach before collection is
    back on. The engine is hundreds of thousands of long-lived objects without cycles: frozen
    (`gc.freeze`), no full collection walks them again (measured: classify time per batch
    halves in the service); and frozen while collection is still paused, the first
    collection after the build does not walk them once either. That pass holds the GIL for a
    tenth of a second and more with 100,000 aliases, so on a hot reload, built in a thread,
    it would stall the event loop all the same."""
    with gc_paused():
        engine = Engine(watchlist)
        gc.freeze()
    return engine


def load_engine(path: Path) -> Engine:
    """Read the watchlist file and build its engine, frozen: the hot reload's loader."""
    return frozen_engine(load_watchlist(path))


class ClassifierService(StreamService):
    name = "classifier"

    def __init__(
        self,
        settings: Settings,
        watchlist: Watchlist,
        *,
        consumer: AIOKafkaConsumer | None = None,
        producer: AIOKafkaProducer | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        super().__init__(
            settings,
            inputs=[f"{settings.kafka.topic_prefix}.posts"],
            decode=decode_post,
            consumer=consumer,
            producer=producer,
            registry=registry,
        )
        self.metrics = ClassifierMetrics(self.registry)
        self.engine = frozen_engine(watchlist)
        self._note_watchlist(watchlist)
        self.readiness.add("watchlist", lambda: (True, f"version {self.engine.version}"))

    def _note_watchlist(self, watchlist: Watchlist) -> None:
        self.metrics.watchlist_info.info(
            {"version": watchlist.version, "classifier_version": CLASSIFIER_VERSION}
        )
        self.metrics.watchlist_entities.set(len(watchlist.entities))
        self.metrics.watchlist_loaded.set(time.time())
        children = self.metrics.matches_by_entity
        for entity in watchlist.entities:
            children[entity.id] = self.metrics.matches.labels(entity.id)

    async def start(self) -> None:
        await super().start()
        path = self.settings.watchlist_file
        if path is not None:
            watcher = ConfigWatcher(
                path,
                load_engine,
                self._swap,
                self._reload_failed,
                interval=self.settings.config_poll_interval,
                digest=self.engine.version,
            )
            self.spawn(watcher.run(), "watchlist-watcher")

    def _swap(self, engine: Engine) -> None:
        # One reference swap: a batch uses one engine from start to end. The new engine came
        # frozen from its thread (the old one is still freed by reference counting).
        self.engine = engine
        self._note_watchlist(engine.watchlist)
        self.metrics.reloads.labels("ok").inc()
        log.info(
            "watchlist_reloaded", version=engine.version, entities=len(engine.watchlist.entities)
        )

    def _reload_failed(self, error: ConfigError) -> None:
        self.metrics.reloads.labels("invalid").inc()
        log.error(
            "watchlist_reload_rejected",
            problems=[str(p) for p in error.problems][:20],
            kept_version=self.engine.version,
        )

    async def process(self, batch: list[Incoming]) -> BatchResult:
        classify = self.engine.classify  # one engine for the whole batch
        topic = self.topics.scored
        limit = self.settings.kafka.max_record_bytes
        started = time.perf_counter()
        outputs: list[Outgoing] = []
        scores: list[float] = []
        event_times: list[float] = []
        dead: list[tuple[Record, PoisonMessage]] = []
        # Counted per batch and added once per label: every increment takes a lock.
        entity_posts: dict[str, int] = {}
        stances: dict[str, int] = {}
        new = _new_tuple
        for record, (post, created) in batch:
            try:
                scored = classify(post)
            except Exception as exc:
                # A bug meets a post. Classifying is deterministic, so a retry would fail the
                # same way and stall every post behind it: dead-letter this one, with the
                # error, to be replayed once the classifier is fixed.
                log.exception("classify_failed", post_id=post["id"])
                error = PoisonMessage("classify_failed", f"{type(exc).__name__}: {exc}")
                dead.append((record, error))
                continue
            value = dumps(scored)
            if len(value) > limit:
                # The broker would refuse it, and with it the whole batch, on every retry.
                error = PoisonMessage(
                    "output_too_large",
                    f"the scored post is {len(value)} bytes, over the {limit} a record may be"
                    " (FIELDWATCH_MAX_RECORD_BYTES)",
                )
                dead.append((record, error))
                continue
            outputs.append(new(Outgoing, (topic, value, post["id"].encode(), ())))
            scores.append(scored["score"])
            event_times.append(created)
            entities = scored["entities"]
            if entities:
                for entity_id in {e["id"] for e in entities}:
                    entity_posts[entity_id] = entity_posts.get(entity_id, 0) + 1
            for claim in scored["claims"]:
                stance = claim["stance"]
                stances[stance] = stances.get(stance, 0) + 1
        m = self.metrics
        m.duration.observe(time.perf_counter() - started)
        observe_many(m.score, scores)
        m.scored.inc(len(scores))
        matches, claims = m.matches_by_entity, m.claims_by_stance
        for entity_id, count in entity_posts.items():
            child = matches.get(entity_id)
            if child is None:
                child = matches[entity_id] = m.matches.labels(entity_id)
            child.inc(count)
        for stance, count in stances.items():
            child = claims.get(stance)
            if child is None:
                child = claims[stance] = m.claims.labels(stance)
            child.inc(count)
        return BatchResult(outputs=outputs, dead=dead, event_times=event_times)


def build(
    settings: Settings,
    *,
    consumer: AIOKafkaConsumer | None = None,
    producer: AIOKafkaProducer | None = None,
    registry: CollectorRegistry | None = None,
) -> ClassifierService:
    """Composition root: every adapter has a production default."""
    if settings.watchlist_file is None:
        raise ConfigError.single("FIELDWATCH_WATCHLIST", "is required for the classifier")
    watchlist = load_watchlist(settings.watchlist_file)
    return ClassifierService(
        settings, watchlist, consumer=consumer, producer=producer, registry=registry
    )
