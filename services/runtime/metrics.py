"""Shared metrics: the stream loop's (`fieldwatch_stream_*`) and process-level ones.

Every metrics object takes a `CollectorRegistry` so tests assert on a fresh registry. Labels
come only from closed sets (topic, reason, result); known label sets are pre-initialised to 0.
Latency buckets sit on the objectives (end-to-end post->alert objective: 60 s).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter as Tally
from collections.abc import Iterable, Sequence
from functools import partial

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

# Seconds. The end-to-end objective (post time -> processed) is 60 s at p99 for live sources;
# the larger buckets show how far behind a backfill runs.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)
BATCH_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

DEAD_LETTER_REASONS = ("undecodable", "schema_invalid", "poison")


def observe_many(histogram: Histogram, amounts: Sequence[float]) -> None:
    """`histogram.observe(a)` for every amount, with one increment per bucket touched rather
    than two locked increments per amount: the hot paths observe once per record, and a batch
    has hundreds. Reads the histogram's buckets the way `Histogram.observe` does (the pinned
    prometheus_client; a unit test holds the two to the same samples). The amounts are put in
    their buckets by `map` and a tally, with no Python loop per amount."""
    if not amounts:
        return
    total = math.fsum(amounts)
    if total != total:  # a NaN among them: observe() sums it but counts it in no bucket
        amounts = [amount for amount in amounts if amount == amount]
    buckets = histogram._buckets
    for i, count in Tally(map(partial(bisect_left, histogram._upper_bounds), amounts)).items():
        buckets[i].inc(count)
    histogram._sum.inc(total)


class StreamMetrics:
    """Metrics of the shared Kafka stream loop (one per service process)."""

    def __init__(self, registry: CollectorRegistry, topics: Iterable[str] = ()) -> None:
        self.consumed = Counter(
            "fieldwatch_stream_consumed",
            "Records consumed from a topic.",
            ["topic"],
            registry=registry,
        )
        self.produced = Counter(
            "fieldwatch_stream_produced",
            "Records produced to a topic and acknowledged by the broker.",
            ["topic"],
            registry=registry,
        )
        self.dead_lettered = Counter(
            "fieldwatch_stream_dead_lettered",
            "Records sent to the dead-letter topic, by the topic they came from and reason.",
            ["topic", "reason"],
            registry=registry,
        )
        self.batch_duration = Histogram(
            "fieldwatch_stream_batch_duration_seconds",
            "Time to process one consumed batch: handle, produce, await acks, commit.",
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        self.batch_size = Histogram(
            "fieldwatch_stream_batch_records",
            "Records per consumed batch.",
            buckets=(1, 5, 10, 50, 100, 250, 500, 1000, 5000),
            registry=registry,
        )
        self.commits = Counter(
            "fieldwatch_stream_commits",
            "Offset commits, by result.",
            ["result"],
            registry=registry,
        )
        self.last_processed = Gauge(
            "fieldwatch_stream_last_processed_timestamp_seconds",
            "Unix time at which a record of this topic was last processed.",
            ["topic"],
            registry=registry,
        )
        self.last_event_time = Gauge(
            "fieldwatch_stream_last_event_timestamp_seconds",
            "The post's own time (created_at) of the last record processed.",
            ["topic"],
            registry=registry,
        )
        self.end_to_end = Histogram(
            "fieldwatch_stream_end_to_end_latency_seconds",
            "From the post's own created_at to the moment this stage finished with it.",
            ["topic"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.lag = Gauge(
            "fieldwatch_stream_consumer_lag",
            "Records between the committed position and the partition's high watermark.",
            ["topic", "partition"],
            registry=registry,
        )
        self.assigned = Gauge(
            "fieldwatch_stream_assigned_partitions",
            "Partitions currently assigned to this consumer (0: an idle replica or not joined yet).",
            registry=registry,
        )
        self.backpressure = Counter(
            "fieldwatch_stream_backpressure_pauses",
            "Times consumption paused because a sink could not take more.",
            registry=registry,
        )
        self.backpressure_seconds = Counter(
            "fieldwatch_stream_backpressure_seconds",
            "Seconds spent paused for backpressure.",
            registry=registry,
        )
        for topic in topics:
            self.consumed.labels(topic)
            self.last_processed.labels(topic)
            self.end_to_end.labels(topic)  # a histogram exists from the start, not first use
            for reason in DEAD_LETTER_REASONS:
                self.dead_lettered.labels(topic, reason)
        for result in ("ok", "failed"):
            self.commits.labels(result)


class ServiceInfo:
    """`fieldwatch_build_info` and readiness as metrics."""

    def __init__(self, registry: CollectorRegistry, service: str, version: str) -> None:
        self.info = Info("fieldwatch_build", "Fieldwatch build information.", registry=registry)
        self.info.info({"service": service, "version": version})
        self.ready = Gauge(
            "fieldwatch_ready", "1 when the service reports ready on /readyz.", registry=registry
        )
