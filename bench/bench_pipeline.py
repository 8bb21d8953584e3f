"""End-to-end benchmark: posts/s through collector -> classifier -> alerter and ingest->webhook
latency percentiles, with a bare broker passthrough rate (produce + consume of the same number
of same-sized records) measured in the same run as the baseline. Prints one JSON report.

    python bench/bench_pipeline.py [--posts 20000] [--latency-samples 40]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
from aiohttp import web
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.runtime.broker import LocalBroker, free_port  # noqa: E402
from services.runtime.kafka import ensure_topics  # noqa: E402
from services.runtime.settings import load_settings  # noqa: E402
from tests.helpers.pipeline import Pipeline  # noqa: E402

WATCHLIST = """\
version: 1
entities:
  - {id: wagner-group, name: Wagner Group, kind: organization, aliases: [Wagner Group, ЧВК Вагнер]}
  - {id: homs, name: Homs, kind: location, aliases: [Homs, Хомс], weight: 0.5}
"""
ROUTES = """\
version: 1
destinations:
  - {name: sink, type: webhook, url_env: BENCH_SINK_URL, allow_private: true, rate_per_second: 1000, burst: 1000}
routes:
  - name: wagner
    match: {min_score: 0.2, entities: [wagner-group]}
    severity: urgent
    group_window: 1s
    to: [sink]
"""
FILLER = "Local markets reopened after the holiday; traffic was heavy near the bridge. " * 4


def make_post(n: int, *, alerting: bool, unique: bool = False) -> dict[str, Any]:
    text = ("Wagner Group convoy reported near Homs. " if alerting else "") + FILLER
    created_at = "2026-11-20T08:00:00Z"
    if unique:
        # Words of its own, so the alerter opens a new incident instead of grouping it with the
        # earlier ones (an update would wait for the group interval).
        rng = random.Random(n)
        text = "Wagner Group spotted. " + " ".join(f"w{rng.randrange(10**9):x}" for _ in range(30))
        # ...and a time of its own: same actor, no place, outside the route's group window.
        created_at = f"2026-11-20T09:{(n % 3600) // 60:02d}:{n % 60:02d}Z"
    return {
        "id": f"ingest:b{n}",
        "source": "ingest",
        "text": text[:280],
        "created_at": created_at,
        "author": {"id": str(n % 500)},
    }


async def passthrough(bootstrap: str, topic: str, n: int, size: int) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    await producer.client._wait_on_metadata(topic)
    consumer = await start_counter(bootstrap, topic)
    payload = b"x" * size
    started = time.perf_counter()
    futures = [await producer.send(topic, payload, key=str(i).encode()) for i in range(n)]
    await asyncio.gather(*futures)
    seen = 0
    while seen < n:
        batch = await consumer.getmany(timeout_ms=1000, max_records=1000)
        seen += sum(len(v) for v in batch.values())
    elapsed = time.perf_counter() - started
    await producer.stop()
    await consumer.stop()
    return n / elapsed


async def start_counter(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    """A group-less consumer assigned to every partition (no group join delay in the timing)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    partitions = await consumer._client._wait_on_metadata(topic)
    tps = [TopicPartition(topic, p) for p in sorted(partitions)]
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    return consumer


async def count_scored(consumer: AIOKafkaConsumer, n: int, timeout: float) -> float:
    seen = 0
    deadline = time.monotonic() + timeout
    while seen < n and time.monotonic() < deadline:
        batch = await consumer.getmany(timeout_ms=500, max_records=5000)
        seen += sum(len(v) for v in batch.values())
    if seen < n:
        raise RuntimeError(f"only {seen}/{n} posts were scored within {timeout}s")
    return time.perf_counter()


async def main(args: argparse.Namespace) -> dict[str, Any]:
    arrivals: dict[str, float] = {}
    waiters: dict[str, asyncio.Event] = {}

    async def sink(request: web.Request) -> web.Response:
        alert = orjson.loads(await request.read())
        for post in alert["posts"]:
            arrivals.setdefault(post["id"], time.perf_counter())
            if post["id"] in waiters:
                waiters[post["id"]].set()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/sink", sink)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sink_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", sink_port).start()

    with tempfile.TemporaryDirectory() as tmp, LocalBroker() as broker:
        tmpdir = Path(tmp)
        (tmpdir / "watchlist.yaml").write_text(WATCHLIST)
        (tmpdir / "routes.yaml").write_text(ROUTES)
        env = {
            "FIELDWATCH_KAFKA_BOOTSTRAP": broker.bootstrap,
            "FIELDWATCH_KAFKA_IDEMPOTENCE": "false",
            "FIELDWATCH_TOPIC_PREFIX": "bench",
            "FIELDWATCH_HTTP_HOST": "127.0.0.1",
            "FIELDWATCH_WATCHLIST": str(tmpdir / "watchlist.yaml"),
            "FIELDWATCH_ROUTES": str(tmpdir / "routes.yaml"),
            "FIELDWATCH_LOG_LEVEL": "warning",
            "BENCH_SINK_URL": f"http://127.0.0.1:{sink_port}/sink",
        }
        settings = load_settings("collector", env)
        await ensure_topics(settings.kafka)
        sample = len(orjson.dumps(make_post(0, alerting=False)))
        baseline = await passthrough(broker.bootstrap, "bench.passthrough", args.posts, sample)

        pipeline = Pipeline(env=env, log_dir=tmpdir)
        await pipeline.start_all()
        try:
            ingest = pipeline.url("collector", "/ingest")
            async with httpx.AsyncClient(timeout=60) as client:
                # Throughput: 1 post in 100 raises an alert.
                bodies = []
                for start in range(0, args.posts, 1000):
                    rows = [
                        orjson.dumps(make_post(n, alerting=n % 100 == 0))
                        for n in range(start, min(args.posts, start + 1000))
                    ]
                    bodies.append(b"\n".join(rows))
                consumer = await start_counter(broker.bootstrap, "bench.scored")
                # Warm-up: the consumer groups have joined once one post went all the way.
                warm = make_post(-1, alerting=False)
                (await client.post(ingest, json=warm)).raise_for_status()
                await count_scored(consumer, 1, timeout=60)
                counter = asyncio.create_task(count_scored(consumer, args.posts, timeout=300))
                started = time.perf_counter()
                for body in bodies:
                    resp = await client.post(
                        ingest, content=body, headers={"content-type": "application/x-ndjson"}
                    )
                    resp.raise_for_status()
                ingested = time.perf_counter()
                finished = await counter
                await consumer.stop()
                throughput = args.posts / (finished - started)
                ingest_rate = args.posts / (ingested - started)

                # Latency: single alerting posts, one at a time.
                latencies = []
                for i in range(args.latency_samples):
                    post = make_post(10_000_000 + i * 7, alerting=True, unique=True)
                    waiters[post["id"]] = asyncio.Event()
                    sent = time.perf_counter()
                    (await client.post(ingest, json=post)).raise_for_status()
                    await asyncio.wait_for(waiters[post["id"]].wait(), timeout=30)
                    latencies.append((arrivals[post["id"]] - sent) * 1000)
        finally:
            pipeline.stop_all()
    await runner.cleanup()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 2)

    return {
        "benchmark": "pipeline",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "posts": args.posts,
        "post_bytes": sample,
        "baseline": {"broker_passthrough_records_per_s": round(baseline, 1)},
        "pipeline": {
            "posts_per_s": round(throughput, 1),
            "ratio_to_passthrough": round(throughput / baseline, 3),
            "ingest_accept_posts_per_s": round(ingest_rate, 1),
        },
        "ingest_to_webhook_ms": {
            "samples": len(latencies),
            "p50": pct(50),
            "p90": pct(90),
            "p99": pct(99),
            "mean": round(statistics.fmean(latencies), 2),
        },
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--latency-samples", type=int, default=40)
    report = asyncio.run(main(parser.parse_args()))
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
