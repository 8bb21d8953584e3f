"""The collector in-process against the real broker: ingest auth and limits, replay with
checkpoints, dead letters for malformed lines, and resume from the stored checkpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from services.collector.checkpoints import load_checkpoints
from services.collector.service import build
from tests.conftest import running, settings_for
from tests.helpers.kafka import read_json, read_topic
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration


def post(n: int) -> dict[str, Any]:
    return {
        "id": f"replay:{n}",
        "source": "replay",
        "text": f"post {n}",
        "created_at": f"2026-11-20T08:{n % 60:02d}:00Z",
    }


async def test_ingest_requires_the_bearer_token_when_set(topics: dict[str, str]) -> None:
    settings = settings_for(
        "collector", topics, FIELDWATCH_INGEST_TOKEN="t0ken", FIELDWATCH_INGEST_MAX_BYTES="2000"
    )
    async with running(build(settings)) as svc:
        url = f"http://127.0.0.1:{svc.http.port}/ingest"
        async with httpx.AsyncClient() as client:
            body = {
                "id": "ingest:1",
                "source": "ingest",
                "text": "hi",
                "created_at": "2026-11-20T08:00:00Z",
            }
            assert (await client.post(url, json=body)).status_code == 401
            wrong = {"authorization": "Bearer nope"}
            assert (await client.post(url, json=body, headers=wrong)).status_code == 401
            ok = {"authorization": "Bearer t0ken"}
            resp = await client.post(url, json=body, headers=ok)
            assert resp.status_code == 202
            assert resp.json()["accepted"] == ["ingest:1"]
            again = await client.post(url, json=body, headers=ok)
            assert again.json()["duplicates"] == 1
            big = await client.post(url, content=b"[" + b" " * 3000 + b"]", headers=ok)
            assert big.status_code == 413
            metrics = (await client.get(f"http://127.0.0.1:{svc.http.port}/metrics")).text
    assert "t0ken" not in metrics
    assert 'fieldwatch_collector_ingest_requests_total{status="401"} 2.0' in metrics
    posts = await read_json(
        topics["FIELDWATCH_KAFKA_BOOTSTRAP"], f"{topics['FIELDWATCH_TOPIC_PREFIX']}.posts"
    )
    assert [p["id"] for p in posts] == ["ingest:1"]


async def test_replay_publishes_dead_letters_and_resumes_from_its_checkpoint(
    topics: dict[str, str], tmp_path: Path
) -> None:
    bootstrap, prefix = topics["FIELDWATCH_KAFKA_BOOTSTRAP"], topics["FIELDWATCH_TOPIC_PREFIX"]
    feed = tmp_path / "feed.jsonl"
    lines = [orjson.dumps(post(n)) for n in range(250)]
    lines.insert(100, b'{"id": "replay:broken"')
    feed.write_bytes(b"\n".join(lines) + b"\n")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"version: 1\nsources:\n  - name: history\n    type: replay\n    path: {feed}\n"
    )
    settings = settings_for("collector", topics, FIELDWATCH_SOURCES=str(sources))
    async with running(build(settings)) as svc:
        await wait_for(lambda: svc.stats["posts"] >= 250, timeout=20, message="replayed")
    checkpoints = await load_checkpoints(settings.kafka, f"{prefix}.checkpoints")
    assert checkpoints == {"history": {"line": 251}}
    dlq = await read_topic(bootstrap, f"{prefix}.dlq")
    assert len(dlq) == 1
    headers = dict(dlq[0].headers)
    assert headers["fieldwatch.errors.source"] == b"history"
    assert headers["fieldwatch.errors.reason"] == b"undecodable"
    assert b"line 101" in headers["fieldwatch.errors.exception.message"]

    # More history appended: a restarted collector resumes after the checkpoint.
    with feed.open("ab") as fh:
        fh.write(b"\n".join(orjson.dumps(post(n)) for n in range(250, 260)) + b"\n")
    async with running(build(settings)) as svc:
        await wait_for(lambda: svc.stats["posts"] >= 10, timeout=20, message="resumed")
    ids = [p["id"] for p in await read_json(bootstrap, f"{prefix}.posts")]
    assert len(ids) == len(set(ids)) == 260
