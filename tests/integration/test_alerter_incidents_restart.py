"""The alerter keeps its incidents across a restart: state goes to the compacted incidents
topic with each batch, a new process rebuilds it, and the next related post updates the same
incident (same id, grown version) instead of opening a new one. The flush timer sends the
update that falls due while no post arrives. Real local broker, real webhook receiver."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from prometheus_client import CollectorRegistry
from services.alerter.service import AlerterService, build
from tests.conftest import running, settings_for
from tests.helpers.kafka import produce, read_json, read_topic
from tests.helpers.receiver import Receiver
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = await Receiver().start()
    try:
        yield rec
    finally:
        await rec.stop()


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).timestamp()

    def __call__(self) -> float:
        return self.now


def scored(n: int, author: str, text: str) -> bytes:
    created = (datetime.now(UTC) - timedelta(seconds=30 - n)).isoformat().replace("+00:00", "Z")
    return orjson.dumps(
        {
            "id": f"x:{n}",
            "source": "x",
            "text": text,
            "created_at": created,
            "lang": "en",
            "author": {"id": author, "handle": author},
            "score": 0.9,
            "entities": [
                {"id": "irgc", "kind": "organization", "alias": "IRGC", "start": 0, "end": 4},
                {"id": "homs", "kind": "location", "alias": "Homs", "start": 20, "end": 24},
            ],
            "claims": [],
            "reasons": ["entity IRGC (+0.50)"],
            "watchlist_version": "test",
            "classifier_version": "test",
        }
    )


async def test_incident_continues_after_restart(
    topics: dict[str, str], receiver: Receiver, tmp_path: Path
) -> None:
    env = topics
    routes = tmp_path / "routes.yaml"
    routes.write_text(
        f"""version: 1
destinations:
  - name: sink
    type: webhook
    url: {receiver.url}
    allow_private: true
routes:
  - name: watch
    match: {{min_score: 0.5}}
    to: [sink]
    group_window: 10m
    group_interval: 5m
"""
    )
    settings = settings_for("alerter", env, FIELDWATCH_ROUTES=str(routes))
    prefix = env["FIELDWATCH_TOPIC_PREFIX"]
    bootstrap = env["FIELDWATCH_KAFKA_BOOTSTRAP"]
    clock = FakeClock()

    def start(registry: CollectorRegistry) -> AlerterService:
        service = build(settings, registry=registry)
        service.clock = clock
        service.flush_interval = 0.1
        return service

    async def states() -> list[dict[str, Any]]:
        records = await read_topic(bootstrap, f"{prefix}.incidents")
        return [orjson.loads(r.value) for r in records if r.value is not None]

    first = CollectorRegistry()
    async with running(start(first)):
        await produce(bootstrap, f"{prefix}.scored", [scored(1, "a", "IRGC convoy seen in Homs")])
        await wait_for(lambda: receiver.delivered(), timeout=20, message="first alert")
        await wait_for(lambda: _notified(states()), timeout=20, message="incident state written")
    [alert] = receiver.delivered()
    assert (alert["version"], alert["status"], alert["posts_count"]) == (1, "new", 1)

    clock.now += 10  # the restart: 10 s later, well inside group_interval
    second = CollectorRegistry()
    async with running(start(second)) as service:
        assert second.get_sample_value("fieldwatch_alerter_incident_state_records_total", {"result": "loaded"}) == 1  # fmt: skip
        text = "Residents say IRGC fighters arrived in Homs overnight"
        await produce(bootstrap, f"{prefix}.scored", [scored(2, "b", text)])

        async def joined() -> bool:
            return any(s["posts_count"] == 2 for s in await states())

        await wait_for(joined, timeout=20, message="post 2 joined the incident")
        assert len(receiver.delivered()) == 1  # not due before group_interval
        assert len(service.book) == 1

        clock.now += 300  # group_interval passes with no new post: the timer sends it
        await wait_for(lambda: len(receiver.delivered()) == 2, timeout=20, message="update")
        gauge = second.get_sample_value("fieldwatch_alerter_incidents_open", {"route": "watch"})
        assert gauge == 1

    update = receiver.delivered()[1]
    assert update["id"] == alert["id"]
    assert (update["version"], update["status"], update["posts_count"]) == (2, "update", 2)
    assert update["sources_count"] == 2
    recorded = await read_json(bootstrap, f"{prefix}.alerts")
    assert [(a["id"], a["version"]) for a in recorded] == [(alert["id"], 1), (alert["id"], 2)]


async def _notified(states: Any) -> bool:
    return any(s["notified_version"] == 1 for s in await states)
