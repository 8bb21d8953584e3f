"""The whole pipeline, as processes, through the real local broker to a real HTTP receiver."""

from __future__ import annotations

import time
from typing import Any

import httpx
import orjson
import pytest
from services.alerter import signing
from services.runtime.config import validator
from tests.e2e.conftest import SECRET
from tests.helpers.kafka import produce, read_json, read_topic
from tests.helpers.pipeline import SERVICES, Pipeline
from tests.helpers.receiver import Receiver
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.e2e


def post(n: int, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"ingest:e2e-{n}",
        "source": "ingest",
        "text": text,
        "created_at": "2026-11-20T08:00:00Z",
        "url": f"https://example.org/p/{n}",
        "author": {"id": f"a{n}", "handle": f"user{n}"},
        **extra,
    }


RELEVANT = [
    post(1, "Photos purportedly show Qassem Soleimani near the front line."),
    post(2, "Колонна ЧВК Вагнер замечена у границы.", lang="ru"),
]
UNRELATED = [post(3, "Great football match tonight, what a goal!")]


async def ingest(p: Pipeline, body: Any, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(p.url("collector", "/ingest"), json=body, timeout=10, **kwargs)


def assert_valid(schema: str, messages: list[Any]) -> None:
    v = validator(schema)
    for message in messages:
        errors = [e.message for e in v.iter_errors(message)]
        assert not errors, (schema, message.get("id"), errors)


async def test_posts_become_signed_alerts_and_every_message_validates(
    pipeline: Pipeline, receiver: Receiver, topics: dict[str, str]
) -> None:
    resp = await ingest(pipeline, RELEVANT + UNRELATED)
    assert resp.status_code == 202, resp.text
    assert resp.json()["accepted"] == [p["id"] for p in RELEVANT + UNRELATED]

    await wait_for(lambda: len(receiver.requests) >= 2, timeout=30, message="two alerts")
    bootstrap, prefix = topics["FIELDWATCH_KAFKA_BOOTSTRAP"], topics["FIELDWATCH_TOPIC_PREFIX"]
    # Every post was scored, the unrelated one too (dashboards see the full distribution).
    scored = await wait_for(
        lambda: _count(read_json(bootstrap, f"{prefix}.scored"), 3), timeout=20, message="scored"
    )
    alerts = receiver.delivered()
    assert sorted(a["posts"][0]["id"] for a in alerts) == ["ingest:e2e-1", "ingest:e2e-2"]
    assert {e["id"] for a in alerts for e in a["entities"]} == {"qassem-soleimani", "wagner-group"}
    for request in receiver.requests:
        h = request.headers
        assert h["webhook-id"].startswith(request.json()["id"])
        assert signing.verify(
            SECRET,
            h["webhook-id"],
            int(h["webhook-timestamp"]),
            request.body,
            h["webhook-signature"],
        )

    posts = await read_json(bootstrap, f"{prefix}.posts")
    recorded = await wait_for(
        lambda: _count(read_json(bootstrap, f"{prefix}.alerts"), 2), timeout=10, message="alerts"
    )
    assert_valid("post.v1", posts)
    assert_valid("scored-post.v1", scored)
    assert_valid("alert.v1", recorded)
    assert_valid("alert.v1", alerts)
    assert {a["id"] for a in recorded} == {a["id"] for a in alerts}
    assert await read_topic(bootstrap, f"{prefix}.dlq") == []


async def _count(messages: Any, n: int) -> list[Any] | None:
    got = await messages
    return got if len(got) >= n else None


async def test_bad_ingest_body_names_the_item_and_field(pipeline: Pipeline) -> None:
    bad = [RELEVANT[0], {"id": "ingest:x", "source": "ingest", "created_at": "yesterday"}]
    resp = await ingest(pipeline, bad)
    assert resp.status_code == 400
    errors = resp.json()["errors"]
    assert {"index": 1, "field": "text", "message": "is required"} in errors
    assert any(e["index"] == 1 and e["field"] == "created_at" for e in errors)
    async with httpx.AsyncClient() as client:
        big = await client.post(
            pipeline.url("collector", "/ingest"), content=b"x" * (6 * 1024 * 1024), timeout=10
        )
    assert big.status_code == 413


async def test_malformed_record_is_dead_lettered_and_the_classifier_goes_on(
    pipeline: Pipeline, receiver: Receiver, topics: dict[str, str]
) -> None:
    bootstrap, prefix = topics["FIELDWATCH_KAFKA_BOOTSTRAP"], topics["FIELDWATCH_TOPIC_PREFIX"]
    await produce(
        bootstrap,
        f"{prefix}.posts",
        [
            b"{not json",
            orjson.dumps({"id": "ingest:nope", "source": "ingest"}),
            orjson.dumps(RELEVANT[0]),
        ],
        keys=[b"k1", b"k2", b"ingest:e2e-1"],
    )
    dlq = await wait_for(
        lambda: _count(read_topic(bootstrap, f"{prefix}.dlq"), 2),
        timeout=30,
        message="dead letters",
    )
    by_key = {r.key: dict(r.headers) for r in dlq}
    assert by_key[b"k1"]["fieldwatch.errors.reason"] == b"undecodable"
    assert by_key[b"k2"]["fieldwatch.errors.reason"] == b"schema_invalid"
    assert b"text: is required" in by_key[b"k2"]["fieldwatch.errors.exception.message"]
    for headers in by_key.values():
        assert headers["fieldwatch.errors.topic"] == f"{prefix}.posts".encode()
        assert headers["fieldwatch.errors.stage"] == b"classifier"
        assert int(headers["fieldwatch.errors.offset"]) >= 0
        assert "fieldwatch.errors.partition" in headers
        assert headers["fieldwatch.errors.exception.class.name"] == b"PoisonMessage"
    assert {r.value for r in dlq} == {
        b"{not json",
        orjson.dumps({"id": "ingest:nope", "source": "ingest"}),
    }
    # The valid post after them still went all the way through.
    await wait_for(lambda: receiver.requests, timeout=30, message="alert after poison")


async def test_alerter_killed_while_receiver_down_delivers_every_alert_after_restart(
    pipeline: Pipeline, receiver: Receiver
) -> None:
    receiver.status, receiver.retry_after = 503, "1"
    assert (await ingest(pipeline, RELEVANT)).status_code == 202
    await wait_for(lambda: receiver.attempts >= 1, timeout=30, message="a failed attempt")
    pipeline.kill("alerter")
    pipeline.start("alerter")
    await pipeline.wait_ready("alerter")
    receiver.status, receiver.retry_after = 200, None
    await wait_for(
        lambda: len({a["posts"][0]["id"] for a in receiver.delivered()}) == 2, timeout=60
    )
    ids_by_post: dict[str, set[str]] = {}
    for alert in receiver.delivered():
        ids_by_post.setdefault(alert["posts"][0]["id"], set()).add(alert["id"])
    # At least once, with the same alert id on any redelivery.
    assert all(len(ids) == 1 for ids in ids_by_post.values())


async def test_endpoints_answer_and_sigterm_drains_and_exits_zero(pipeline: Pipeline) -> None:
    async with httpx.AsyncClient() as client:
        for name in SERVICES:
            health = await client.get(pipeline.url(name, "/healthz"))
            assert health.status_code == 200
            ready = await client.get(pipeline.url(name, "/readyz"))
            assert ready.status_code == 200, ready.text
            assert ready.json()["checks"]["broker"]["ok"] is True
            metrics = await client.get(pipeline.url(name, "/metrics"))
            assert "fieldwatch_build_info" in metrics.text
            if name != "collector":
                assert "fieldwatch_stream_consumed_total" in metrics.text
    for name in SERVICES:
        started = time.monotonic()
        assert pipeline.terminate(name, timeout=15) == 0, pipeline.log(name)[-2000:]
        assert time.monotonic() - started < 12  # the drain timeout is 10 s in these tests
        assert '"service_stopped"' in pipeline.log(name)
