"""The real collector service with Bluesky, X and Mastodon sources aimed at loopback fake
servers, publishing to the real local broker: posts reach `posts`, malformed items reach the
DLQ with their source, checkpoints are stored, metrics count per source, and a source added to
the sources file while running starts without a restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from services.collector.service import build
from tests.conftest import running, settings_for
from tests.helpers.kafka import read_json, read_topic
from tests.helpers.streams import Jetstream, Mastodon, XStream, chunks, status
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent.parent / "fixtures"
BASE_ID = 113_200_000_000_000_000


def sources_file(path: Path, sources: list[dict[str, Any]]) -> None:
    path.write_text(yaml.safe_dump({"version": 1, "sources": sources}, allow_unicode=True))


async def test_collector_publishes_stream_sources_to_the_broker(
    topics: dict[str, str], tmp_path: Path
) -> None:
    frames = (FIXTURES / "bluesky" / "jetstream_frames.jsonl").read_text(encoding="utf-8")
    jet = Jetstream(frames=[line for line in frames.splitlines() if line])
    x = XStream(
        token="x-token",
        connections=[chunks((FIXTURES / "x" / "stream_body.txt").read_bytes(), 50)],
    )
    masto = Mastodon()
    path = tmp_path / "sources.yaml"
    async with jet.running(), x.running(), masto.running():
        masto.timeline = [status(BASE_ID + n, f"колонна {n} 🚛", masto.host) for n in range(3)]
        base = [
            {"name": "bsky", "type": "bluesky", "endpoints": [jet.url]},
            {
                "name": "x-convoys",
                "type": "x",
                "base_url": x.url,
                "token_env": "X_TEST_TOKEN",
                "rules": [{"value": "convoy", "tag": "convoys"}],
            },
        ]
        sources_file(path, base)
        settings = settings_for("collector", topics, FIELDWATCH_SOURCES=str(path))
        service = build(settings, env={"X_TEST_TOKEN": "x-token"})
        bootstrap = topics["FIELDWATCH_KAFKA_BOOTSTRAP"]
        posts_topic = f"{topics['FIELDWATCH_TOPIC_PREFIX']}.posts"
        async with running(service):
            expected = {
                "bluesky:did:plc:alpha1111111111111111111/3kaaa0000001",
                "bluesky:did:plc:bravo2222222222222222222/3kaaa0000009",
                "x:1900000000000000001",
                "x:1900000000000000005",
            }

            async def published() -> set[str]:
                return {p["id"] for p in await read_json(bootstrap, posts_topic)}

            await wait_for(lambda: _has(published, expected), timeout=30, message="posts")

            # a Mastodon source added to the file starts without a restart
            sources_file(
                path,
                [
                    *base,
                    {
                        "name": "masto",
                        "type": "mastodon",
                        "instances": [masto.url],
                        "hashtags": ["osint"],
                        "poll_interval": "1s",
                    },
                ],
            )
            masto_ids = {f"mastodon:{masto.host}/{BASE_ID + n}" for n in range(3)}
            await wait_for(lambda: _has(published, masto_ids), timeout=30, message="mastodon")

            prefix = topics["FIELDWATCH_TOPIC_PREFIX"]
            await wait_for(
                lambda: _checkpoint_keys(bootstrap, f"{prefix}.checkpoints", {"bsky", "masto"}),
                timeout=15,
                message="checkpoints",
            )
            dlq = await read_topic(bootstrap, f"{prefix}.dlq")
            registry = service.registry

        posts = await read_json(bootstrap, posts_topic)
    by_id = {p["id"]: p for p in posts}
    assert by_id["x:1900000000000000001"]["geo"]["kind"] == "geotag"
    assert by_id[f"mastodon:{masto.host}/{BASE_ID}"]["text"] == "колонна 0 🚛"
    assert all("collected_at" in p for p in posts)
    assert len(posts) == len(by_id)  # no repeats on the topic
    sources = sorted(dict(r.headers).get("fieldwatch.errors.source", b"").decode() for r in dlq)
    assert sources.count("bsky") == 3
    produced = registry.get_sample_value(
        "fieldwatch_collector_posts_produced_total", {"source_type": "bluesky", "source": "bsky"}
    )
    assert produced == 7
    assert registry.get_sample_value(
        "fieldwatch_collector_requests_total",
        {"source_type": "x", "source": "x-convoys", "result": "ok"},
    )
    assert x.rules[0]["value"] == "convoy"


async def _has(published: Any, expected: set[str]) -> bool:
    return expected <= await published()


async def _checkpoint_keys(bootstrap: str, topic: str, names: set[str]) -> bool:
    records = await read_topic(bootstrap, topic)
    seen = {r.key.decode(): json.loads(r.value) for r in records if r.key}
    return names <= set(seen) and seen["bsky"]["time_us"] == 1_790_000_000_014_000


async def test_bluesky_resumes_from_the_stored_checkpoint_after_a_restart(
    topics: dict[str, str], tmp_path: Path
) -> None:
    frames = (FIXTURES / "bluesky" / "jetstream_frames.jsonl").read_text(encoding="utf-8")
    events = [line for line in frames.splitlines() if line]
    jet = Jetstream(frames=events[:5])
    path = tmp_path / "sources.yaml"
    bootstrap = topics["FIELDWATCH_KAFKA_BOOTSTRAP"]
    prefix = topics["FIELDWATCH_TOPIC_PREFIX"]
    first_run = {f"bluesky:did:plc:alpha1111111111111111111/3kaaa000000{n}" for n in (1, 3, 5)} | {
        f"bluesky:did:plc:bravo2222222222222222222/3kaaa000000{n}" for n in (2, 4)
    }

    async def published() -> list[str]:
        return [p["id"] for p in await read_json(bootstrap, f"{prefix}.posts")]

    async with jet.running():
        sources_file(path, [{"name": "bsky", "type": "bluesky", "endpoints": [jet.url]}])
        settings = settings_for("collector", topics, FIELDWATCH_SOURCES=str(path))
        async with running(build(settings, env={})):
            await wait_for(lambda: _has_list(published, first_run), timeout=30, message="first run")
            await wait_for(
                lambda: _checkpoint_at(bootstrap, f"{prefix}.checkpoints", 1_790_000_000_005_000),
                timeout=15,
                message="checkpoint",
            )
        jet.frames = events  # more happened while the collector was down
        async with running(build(settings, env={})):
            await wait_for(
                lambda: _has_list(
                    published, {"bluesky:did:plc:alpha1111111111111111111/3kaaa0000010"}
                ),
                timeout=30,
                message="second run",
            )
        ids = await published()
    # the restart asked for the stored cursor minus the rewind, and repeated nothing
    assert jet.requests[-1]["cursor"] == [str(1_790_000_000_005_000 - 5_000_000)]
    assert sorted(ids) == sorted(set(ids))
    assert len(ids) == 7


async def _has_list(published: Any, expected: set[str]) -> bool:
    return expected <= set(await published())


async def _checkpoint_at(bootstrap: str, topic: str, time_us: int) -> bool:
    records = await read_topic(bootstrap, topic)
    values = [json.loads(r.value) for r in records if r.key == b"bsky"]
    return bool(values) and values[-1].get("time_us") == time_us
