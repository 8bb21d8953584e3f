"""The classifier in-process against the real broker: every post scored to `scored`, poison
posts dead-lettered, and the watchlist hot-reloaded (a valid change swaps the engine; an invalid
file is counted as `invalid` and the old watchlist stays in force)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from prometheus_client import CollectorRegistry
from services.classifier.engine import Engine
from services.classifier.service import build
from services.runtime.settings import Settings
from tests.conftest import running, settings_for
from tests.helpers.kafka import produce, read_json, read_topic
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration

V1 = """version: 1
entities:
  - {id: wagner-group, name: Wagner Group, kind: organization, aliases: [Wagner Group, ЧВК Вагнер]}
  - {id: homs, name: Homs, kind: location, aliases: [Homs, حمص], weight: 0.5}
"""
V2 = V1 + "  - {id: latakia, name: Latakia, kind: location, aliases: [Latakia, Латакия]}\n"
INVALID = V2 + "  - {id: Bad Id, name: X, kind: planet, aliases: []}\n"


def post(n: int, text: str) -> bytes:
    return orjson.dumps(
        {"id": f"x:{n}", "source": "x", "text": text, "created_at": "2026-11-20T08:00:00Z"}
    )


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    value = registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


async def scored(bootstrap: str, topic: str, count: int) -> dict[str, Any]:
    async def ready() -> dict[str, Any] | None:
        values = await read_json(bootstrap, topic)
        return {v["id"]: v for v in values} if len(values) >= count else None

    result: dict[str, Any] = await wait_for(ready, timeout=20, message=f"{count} scored posts")
    return result


def replace(path: Path, text: str) -> None:
    """Write a new version the way Kubernetes does: a new file renamed over the old one."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def watchlist_settings(topics: dict[str, str], tmp_path: Path, **env: str) -> tuple[Path, Settings]:
    """A watchlist file holding V1, and the classifier's settings that name it (and `env`)."""
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(V1)
    return watchlist, settings_for("classifier", topics, FIELDWATCH_WATCHLIST=str(watchlist), **env)


async def test_scores_every_post_and_hot_reloads_the_watchlist(
    topics: dict[str, str], tmp_path: Path
) -> None:
    bootstrap, prefix = topics["FIELDWATCH_KAFKA_BOOTSTRAP"], topics["FIELDWATCH_TOPIC_PREFIX"]
    watchlist, settings = watchlist_settings(topics, tmp_path)
    registry = CollectorRegistry()
    posts_topic, scored_topic = f"{prefix}.posts", f"{prefix}.scored"
    async with running(build(settings, registry=registry)) as svc:
        await produce(
            bootstrap,
            posts_topic,
            [post(1, "ЧВК Вагнера видели в Латакии"), post(2, "quiet day"), b"{broken"],
        )
        first = await scored(bootstrap, scored_topic, 2)
        assert [e["id"] for e in first["x:1"]["entities"]] == ["wagner-group"]
        assert first["x:2"]["score"] == 0.0
        old_version = first["x:1"]["watchlist_version"]

        replace(watchlist, V2)
        await wait_for(
            lambda: (
                sample(registry, "fieldwatch_classifier_watchlist_reloads_total", result="ok") == 1
            ),
            message="reload ok",
        )
        await produce(bootstrap, posts_topic, [post(3, "ЧВК Вагнера видели в Латакии")])
        second = await scored(bootstrap, scored_topic, 3)
        assert [e["id"] for e in second["x:3"]["entities"]] == ["wagner-group", "latakia"]
        assert second["x:3"]["watchlist_version"] != old_version

        replace(watchlist, INVALID)
        await wait_for(
            lambda: (
                sample(registry, "fieldwatch_classifier_watchlist_reloads_total", result="invalid")
                == 1
            ),
            message="reload rejected",
        )
        await produce(bootstrap, posts_topic, [post(4, "Latakia and Homs")])
        third = await scored(bootstrap, scored_topic, 4)
        assert [e["id"] for e in third["x:4"]["entities"]] == ["latakia", "homs"]
        assert third["x:4"]["watchlist_version"] == second["x:3"]["watchlist_version"]
        async with httpx.AsyncClient() as client:
            ready = await client.get(f"http://127.0.0.1:{svc.http.port}/readyz")
        assert ready.status_code == 200

    assert sample(registry, "fieldwatch_classifier_posts_scored_total") == 4
    assert sample(registry, "fieldwatch_classifier_entity_matches_total", entity="latakia") == 2
    assert sample(registry, "fieldwatch_classifier_watchlist_entities") == 3
    dlq = await read_topic(bootstrap, f"{prefix}.dlq")
    assert [r.value for r in dlq] == [b"{broken"]


class FailsOnOnePost(Engine):
    """The real engine with a bug that one post meets (the shape of a past one: an index out of
    range on a rare character sequence)."""

    def classify(self, post: dict[str, Any]) -> dict[str, Any]:
        if post["id"] == "x:2":
            raise IndexError("string index out of range")
        return super().classify(post)


async def dead_letter_between(
    service: Any, topics: dict[str, str], bad: bytes, reason: str
) -> dict[str, str]:
    """Run `service` on `bad` between two good posts: the good ones are scored, `bad` alone is
    dead-lettered once, counted under `reason`; the dead letter's headers."""
    bootstrap, prefix = topics["FIELDWATCH_KAFKA_BOOTSTRAP"], topics["FIELDWATCH_TOPIC_PREFIX"]
    async with running(service):
        await produce(bootstrap, f"{prefix}.posts", [post(1, "Homs"), bad, post(3, "Homs")])
        out = await scored(bootstrap, f"{prefix}.scored", 2)
        assert sorted(out) == ["x:1", "x:3"]
        dlq = await wait_for(
            lambda: _records(bootstrap, f"{prefix}.dlq"), timeout=20, message="a dead letter"
        )
    assert [r.value for r in dlq] == [bad]
    counted = sample(
        service.registry,
        "fieldwatch_stream_dead_lettered_total",
        topic=f"{prefix}.posts",
        reason=reason,
    )
    assert counted == 1
    return {k: v.decode() for k, v in dlq[0].headers}


async def test_a_post_the_engine_fails_on_is_dead_lettered_and_the_rest_go_on(
    topics: dict[str, str], tmp_path: Path
) -> None:
    _, settings = watchlist_settings(topics, tmp_path)
    registry = CollectorRegistry()
    service = build(settings, registry=registry)
    service.engine = FailsOnOnePost(service.engine.watchlist)
    bad = post(2, "the post the engine fails on")
    headers = await dead_letter_between(service, topics, bad, "classify_failed")
    assert headers["fieldwatch.errors.reason"] == "classify_failed"
    assert headers["fieldwatch.errors.exception.message"] == (
        "IndexError: string index out of range"
    )
    assert sample(registry, "fieldwatch_classifier_posts_scored_total") == 2


async def _records(bootstrap: str, topic: str) -> list[Any] | None:
    return await read_topic(bootstrap, topic) or None


async def test_a_post_whose_scored_record_is_too_large_is_dead_lettered(
    topics: dict[str, str], tmp_path: Path
) -> None:
    _, settings = watchlist_settings(topics, tmp_path, FIELDWATCH_MAX_RECORD_BYTES="4000")
    # 2,000 bytes in, and 200 listed matches out: far over the 4,000 bytes a record may be.
    big = post(2, "Homs " * 400)
    assert len(big) < 4000
    service = build(settings, registry=CollectorRegistry())
    headers = await dead_letter_between(service, topics, big, "output_too_large")
    assert headers["fieldwatch.errors.reason"] == "output_too_large"
    assert "over the 4000 a record may be" in headers["fieldwatch.errors.exception.message"]
