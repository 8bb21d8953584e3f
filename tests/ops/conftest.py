"""Fixtures of the operations tests: the whole pipeline as processes (as in production), fed
by a hot-reloaded replay source and by POST /ingest, delivering to a loopback webhook; and a
real Prometheus scraping it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import yaml

from tests.helpers.pipeline import SERVICES, Pipeline
from tests.helpers.receiver import Receiver
from tests.helpers.wait import wait_for
from tests.ops.manifests import RULES
from tests.ops.prometheus import Prometheus

WATCHLIST = """\
version: 1
entities:
  - id: wagner-group
    name: Wagner Group
    kind: organization
    aliases: [Wagner Group, Wagner PMC, ЧВК Вагнер]
  - id: homs
    name: Homs
    kind: location
    aliases: [Homs, Хомс]
    weight: 0.5
"""

ROUTES = """\
version: 1
destinations:
  - name: ops-webhook
    type: webhook
    url_env: OPS_WEBHOOK_URL
    allow_private: true
routes:
  - name: watchlist
    match:
      min_score: 0.2
      entities: [wagner-group]
    severity: urgent
    to: [ops-webhook]
    group_interval: 1s  # posts about one incident: each wave's update goes out within a second
"""

NO_SOURCES = "version: 1\nsources: []\n"


def fresh_post(source: str, n: int, text: str, age: float = 2.0) -> dict[str, Any]:
    created = datetime.now(UTC) - timedelta(seconds=age)
    return {
        "id": f"{source}:{n}",
        "source": source,
        "text": text,
        "created_at": created.isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


@dataclass
class Flow:
    pipeline: Pipeline
    receiver: Receiver
    sources_file: Path
    feed_file: Path

    async def metrics(self, service: str) -> str:
        async with httpx.AsyncClient() as client:
            resp = await client.get(self.pipeline.url(service, "/metrics"), timeout=5)
        resp.raise_for_status()
        return resp.text

    def start_replay(self, posts: list[dict[str, Any]]) -> None:
        """Add a replay source by rewriting the sources file (the collector hot-reloads it)."""
        self.feed_file.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in posts))
        sources = {
            "version": 1,
            "sources": [{"name": "feed", "type": "replay", "path": str(self.feed_file)}],
        }
        self.sources_file.write_text(yaml.safe_dump(sources))

    async def ingest(self, posts: list[dict[str, Any]]) -> None:
        async with httpx.AsyncClient() as client:
            resp = await client.post(
                self.pipeline.url("collector", "/ingest"), json=posts, timeout=10
            )
        assert resp.status_code == 202, resp.text

    async def replay_wave(self) -> None:
        """Posts from a replay source (added by hot reload); two of three raise an alert."""
        self.start_replay(
            [
                fresh_post("feed", 1, "Wagner Group convoy seen near Homs this morning"),
                fresh_post("feed", 2, "Колонна ЧВК Вагнер замечена у Хомс"),
                fresh_post("feed", 3, "Nice weather at the coast today"),
            ]
        )
        await self.wait_alerts(2)

    async def ingest_wave(self) -> None:
        """Posts pushed to POST /ingest; one of two raises an alert."""
        await self.ingest(
            [
                fresh_post("ingest", 1, "Wagner PMC fighters reportedly moved to Homs"),
                fresh_post("ingest", 2, "Football results from the weekend"),
            ]
        )
        await self.wait_alerts(3)

    async def wait_alerts(self, count: int) -> None:
        """Until alerts have covered `count` posts (related posts share one incident's alert)."""

        def covered() -> int:
            return len({p["id"] for a in self.receiver.delivered() for p in a["posts"]})

        await wait_for(lambda: covered() >= count, timeout=30, message=f"alerts on {count} posts")


@pytest.fixture
async def flow(topics: dict[str, str], tmp_path: Path) -> AsyncIterator[Flow]:
    (tmp_path / "watchlist.yaml").write_text(WATCHLIST)
    (tmp_path / "routes.yaml").write_text(ROUTES)
    sources = tmp_path / "sources.yaml"
    sources.write_text(NO_SOURCES)
    receiver = await Receiver().start()
    env = {
        **topics,
        "FIELDWATCH_SOURCES": str(sources),
        "FIELDWATCH_WATCHLIST": str(tmp_path / "watchlist.yaml"),
        "FIELDWATCH_ROUTES": str(tmp_path / "routes.yaml"),
        "OPS_WEBHOOK_URL": receiver.url,
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    pipeline = Pipeline(env=env, log_dir=logs)
    try:
        await pipeline.start_all()
        yield Flow(pipeline, receiver, sources, tmp_path / "feed.jsonl")
    finally:
        pipeline.stop_all()
        await receiver.stop()


@pytest.fixture
async def prometheus(flow: Flow, tmp_path: Path) -> AsyncIterator[Prometheus]:
    targets = [f"127.0.0.1:{flow.pipeline.ports[name]}" for name in SERVICES]
    prom = Prometheus(tmp_path / "prometheus", targets, rule_files=[RULES])
    try:
        await prom.start()
        await prom.wait_up(len(targets))
        yield prom
    finally:
        prom.stop()
