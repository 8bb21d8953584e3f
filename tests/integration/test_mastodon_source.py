"""Mastodon adapter against loopback Mastodon instances: timeline pagination with `min_id` and
`Link`, 429 with Retry-After, 5xx bursts, tokens, SSE streams with heartbeats and a dropped
connection caught up over REST, several instances, malformed events."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from services.collector.polite import Backoff
from services.collector.sources.base import SourceContext, SourceSpec
from services.collector.sources.mastodon import Fatal, MastodonSource
from tests.helpers.streams import (
    Mastodon,
    RecordingObserver,
    collect,
    post_ids,
    sse_update,
    status,
)

pytestmark = pytest.mark.integration

STREAM_FIXTURE = Path(__file__).parent.parent / "fixtures" / "mastodon" / "stream.sse"
BASE_ID = 113_100_000_000_000_000


def source(
    options: dict[str, Any],
    observer: RecordingObserver | None = None,
    env: dict[str, str] | None = None,
) -> MastodonSource:
    spec = SourceSpec(
        name="masto", type="mastodon", enabled=True, poll_interval=0.05, options=options
    )
    ctx = SourceContext(observer=observer or RecordingObserver(), env=env or {})
    return MastodonSource(spec, ctx, backoff=Backoff(base=0.01, cap=0.05), linger=0.05)


def ids_on(server: Mastodon, numbers: range) -> list[str]:
    return [f"mastodon:{server.host}/{BASE_ID + n}" for n in numbers]


async def test_polling_pages_forward_with_min_id_and_link_headers() -> None:
    server = Mastodon(timeline=[])
    async with server.running():
        server.timeline = [status(BASE_ID + n, f"post {n}", server.host) for n in range(25)]
        key = f"{server.host} hashtag:osint"
        src = source({"instances": [server.url], "hashtags": ["#osint"], "limit": 10})
        checkpoint = {"min_id": {key: str(BASE_ID + 2)}}
        stream = src.stream(checkpoint)
        first = await collect(stream, lambda bs: len(post_ids(bs)) >= 22)
        assert post_ids(first) == ids_on(server, range(3, 25))  # oldest first, none twice
        assert first[-1].checkpoint == {"min_id": {key: str(BASE_ID + 24)}}
        pages = [r for r in server.requests if "min_id" in r]
        assert pages[:3] == [
            f"/api/v1/timelines/tag/osint?limit=10&min_id={BASE_ID + 2}",
            f"/api/v1/timelines/tag/osint?limit=10&min_id={BASE_ID + 12}",  # Link rel="prev"
            f"/api/v1/timelines/tag/osint?limit=10&min_id={BASE_ID + 22}",
        ]

        # the next poll, from the stored checkpoint, brings only what is new
        server.timeline.append(status(BASE_ID + 25, "new 🚛 قافلة", server.host))
        again = await collect(src.stream(first[-1].checkpoint), lambda bs: len(post_ids(bs)) >= 1)
    assert post_ids(again) == ids_on(server, range(25, 26))
    assert again[0].posts[0]["text"] == "new 🚛 قافلة"


async def test_first_poll_without_checkpoint_takes_the_newest_page() -> None:
    server = Mastodon()
    async with server.running():
        server.timeline = [status(BASE_ID + n, f"post {n}", server.host) for n in range(50)]
        src = source({"instances": [server.url], "timelines": ["public"], "limit": 5})
        batches = await collect(src.stream(None), lambda bs: len(post_ids(bs)) >= 5)
    assert post_ids(batches)[:5] == ids_on(server, range(45, 50))
    assert server.requests[0] == "/api/v1/timelines/public?limit=5"


async def test_429_with_retry_after_and_5xx_bursts_are_retried() -> None:
    server = Mastodon(
        inject=[(429, {"retry-after": "0.05"}), (500, {}), (502, {}), (503, {})],
    )
    observer = RecordingObserver()
    async with server.running():
        server.timeline = [status(BASE_ID + n, f"post {n}", server.host) for n in range(3)]
        src = source({"instances": [server.url], "hashtags": ["osint"]}, observer)
        batches = await collect(src.stream(None), lambda bs: len(post_ids(bs)) >= 3)
    assert observer.results[:5] == ["http_429", "http_5xx", "http_5xx", "http_5xx", "ok"]
    assert observer.waits[0] == pytest.approx(0.05)
    assert post_ids(batches) == ids_on(server, range(3))


async def test_a_spent_quota_waits_for_the_reset() -> None:
    reset = datetime.now(UTC) + timedelta(seconds=0.5)
    server = Mastodon(
        quota=[{"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset.isoformat()}]
    )
    observer = RecordingObserver()
    async with server.running():
        server.timeline = [status(BASE_ID, "first", server.host)]
        src = source({"instances": [server.url], "hashtags": ["osint"]}, observer)
        started = time.monotonic()
        stream = src.stream(None)
        first = await collect(stream, lambda bs: len(post_ids(bs)) >= 1)
        server.timeline.append(status(BASE_ID + 1, "second", server.host))
        second = await collect(src.stream(first[-1].checkpoint), lambda bs: len(post_ids(bs)) >= 1)
    assert observer.waits
    assert 0 < observer.waits[0] <= 0.5
    assert time.monotonic() - started >= observer.waits[0]
    assert post_ids(first + second) == ids_on(server, range(2))


async def test_an_oversized_stream_event_is_dead_lettered_and_the_stream_goes_on() -> None:
    server = Mastodon()
    async with server.running():
        huge = status(BASE_ID, "x" * (5 * 1024 * 1024), server.host)
        fine = status(BASE_ID + 1, "fine", server.host)
        server.timeline = []
        server.streams = [[sse_update(huge), sse_update(fine), None]]
        src = source({"instances": [server.url], "streams": ["public"]})
        batches = await collect(src.stream(None), lambda bs: len(post_ids(bs)) >= 1)
    assert post_ids(batches) == ids_on(server, range(1, 2))
    (dropped,) = [r for b in batches for r in b.rejects]
    assert dropped.reason == "undecodable"
    assert "over" in dropped.detail


async def test_bad_token_stops_the_source_and_a_good_one_is_sent() -> None:
    server = Mastodon(token="s3cret")
    async with server.running():
        server.timeline = [status(BASE_ID, "hello", server.host)]
        bad = source({"instances": [server.url], "hashtags": ["osint"]})
        with pytest.raises(Fatal, match="401"):
            await collect(bad.stream(None), lambda bs: False)
        good = source(
            {"instances": [server.url], "hashtags": ["osint"], "token_env": "MASTO_TOKEN"},
            env={"MASTO_TOKEN": "s3cret"},
        )
        batches = await collect(good.stream(None), lambda bs: len(post_ids(bs)) >= 1)
    assert post_ids(batches) == ids_on(server, range(1))


def test_a_missing_token_variable_is_named() -> None:
    with pytest.raises(ValueError, match="MASTO_TOKEN is not set"):
        source({"instances": ["http://127.0.0.1:1"], "hashtags": ["x"], "token_env": "MASTO_TOKEN"})


async def test_stream_with_heartbeats_drop_and_catch_up_over_rest() -> None:
    server = Mastodon(token="t")
    observer = RecordingObserver()
    async with server.running():
        live = [status(BASE_ID + n, f"live {n}", server.host) for n in range(3)]
        missed = [status(BASE_ID + n, f"missed {n}", server.host) for n in range(3, 6)]
        after = status(BASE_ID + 6, "after the reconnect", server.host)
        server.timeline = live + missed  # what the hashtag timeline holds after the drop
        fixture = STREAM_FIXTURE.read_bytes()
        server.streams = [
            # first connection: the fixture stream (heartbeats, delete, notification,
            # malformed update...), three live posts split across writes, then a drop
            [fixture, *(sse_update(s)[:10] + sse_update(s)[10:] for s in live)],
            [b":thump\n", sse_update(after), None],
        ]
        src = source(
            {"instances": [server.url], "streams": ["hashtag:osint"], "token_env": "TOKEN"},
            observer,
            env={"TOKEN": "t"},
        )
        batches = await collect(
            src.stream(None),
            lambda bs: f"mastodon:{server.host}/{BASE_ID + 6}" in post_ids(bs),
        )
    ids = post_ids(batches)
    assert ids[-7:] == ids_on(server, range(7))  # live, missed (via REST), after
    assert "mastodon:social.example/113000000000000001" in ids  # from the fixture stream
    assert [r.reason for b in batches for r in b.rejects] == ["undecodable", "schema_invalid"]
    assert server.stream_requests == ["/api/v1/streaming/hashtag?tag=osint"] * 2
    catch_up = [r for r in server.requests if "min_id" in r]
    assert catch_up[0] == f"/api/v1/timelines/tag/osint?limit=40&min_id={BASE_ID + 2}"
    key = f"{server.host} hashtag:osint"
    assert batches[-1].checkpoint is not None
    assert batches[-1].checkpoint["min_id"][key] == str(BASE_ID + 6)


async def test_several_instances_feed_one_source() -> None:
    one, two = Mastodon(), Mastodon()
    async with one.running(), two.running():
        one.timeline = [status(BASE_ID + n, f"one {n}", one.host) for n in range(2)]
        two.timeline = [status(BASE_ID + n, f"two {n}", two.host) for n in range(3)]
        src = source({"instances": [one.url, two.url], "hashtags": ["osint"]})
        batches = await collect(src.stream(None), lambda bs: len(post_ids(bs)) >= 5)
        final = batches[-1].checkpoint
    assert set(post_ids(batches)) == set(ids_on(one, range(2))) | set(ids_on(two, range(3)))
    assert final == {
        "min_id": {
            f"{one.host} hashtag:osint": str(BASE_ID + 1),
            f"{two.host} hashtag:osint": str(BASE_ID + 2),
        }
    }
