"""Bluesky Jetstream adapter against a loopback Jetstream WebSocket server: cursor resume on
reconnect, refused handshakes, malformed frames, unicode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from services.collector.polite import Backoff
from services.collector.sources.base import SourceContext, SourceSpec
from services.collector.sources.bluesky import BlueskySource
from tests.helpers.streams import Jetstream, RecordingObserver, collect, post_ids

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent.parent / "fixtures" / "bluesky" / "jetstream_frames.jsonl"
T0 = 1_790_000_000_000_000
DID = "did:plc:integration000000000000000"
TEXTS = ["قافلة 🚛", "колонна\u200b техники", "שיירה", "convoy 👀", "plain"]


def frame(n: int) -> str:
    return json.dumps(
        {
            "did": DID,
            "time_us": T0 + n * 1_000_000,  # one event a second
            "kind": "commit",
            "commit": {
                "rev": f"r{n}",
                "operation": "create",
                "collection": "app.bsky.feed.post",
                "rkey": f"3k{n:05d}",
                "record": {
                    "$type": "app.bsky.feed.post",
                    "createdAt": "2026-11-20T08:00:00.000Z",
                    "text": f"{TEXTS[n % len(TEXTS)]} #{n}",
                    "langs": ["en"],
                },
                "cid": f"c{n}",
            },
        },
        ensure_ascii=False,
    )


def source(server: Jetstream, observer: RecordingObserver, rewind: str = "2s") -> BlueskySource:
    spec = SourceSpec(
        name="bsky",
        type="bluesky",
        enabled=True,
        poll_interval=0,
        options={"endpoints": [server.url], "rewind": rewind, "batch_max": 3},
    )
    ctx = SourceContext(observer=observer)
    return BlueskySource(spec, ctx, backoff=Backoff(base=0.01, cap=0.05), linger=0.05)


async def test_reconnect_mid_stream_resumes_slightly_before_the_cursor() -> None:
    server = Jetstream(frames=[frame(n) for n in range(12)], drop_after=[5])
    observer = RecordingObserver()
    async with server.running():
        src = source(server, observer)
        wanted = {f"bluesky:{DID}/3k{n:05d}" for n in range(12)}
        batches = await collect(src.stream(None), lambda bs: wanted <= set(post_ids(bs)))
    assert "cursor" not in server.requests[0]  # live tail at first
    assert server.requests[0]["wantedCollections"] == ["app.bsky.feed.post"]
    assert server.requests[0]["maxMessageSizeBytes"] == ["1000000"]
    # dropped after frames 0..4: resume 2 s before frame 4's time_us; the same instance
    # replays 2, 3 and 4, which were handed over already and are dropped
    assert server.requests[1]["cursor"] == [str(T0 + 4_000_000 - 2_000_000)]
    ids = post_ids(batches)
    assert ids == [f"bluesky:{DID}/3k{n:05d}" for n in range(12)]
    checkpoints = [b.checkpoint["time_us"] for b in batches if b.checkpoint]
    assert checkpoints == sorted(checkpoints)  # never goes back
    assert batches[-1].checkpoint == {"time_us": T0 + 11_000_000, "endpoint": server.url}
    texts = {p["text"] for b in batches for p in b.posts}
    assert "колонна техники #1" in texts  # zero-width removed
    assert "قافلة 🚛 #0" in texts
    assert observer.results.count("ok") == 2
    assert "network" in observer.results


async def test_resumes_from_a_checkpoint_of_the_same_instance_without_repeats() -> None:
    server = Jetstream(frames=[frame(n) for n in range(6)])
    async with server.running():
        src = source(server, RecordingObserver(), rewind="1s")
        checkpoint = {"time_us": T0 + 3_000_000, "endpoint": server.url}
        batches = await collect(
            src.stream(checkpoint), lambda bs: f"bluesky:{DID}/3k00005" in post_ids(bs)
        )
    assert server.requests[0]["cursor"] == [str(T0 + 2_000_000)]
    assert post_ids(batches) == [f"bluesky:{DID}/3k{n:05d}" for n in (4, 5)]


async def test_another_instance_keeps_the_rewind_window() -> None:
    server = Jetstream(frames=[frame(n) for n in range(6)])
    refusing = Jetstream(frames=[], refuse=[503] * 10)
    async with server.running(), refusing.running():
        src = BlueskySource(
            SourceSpec(
                name="bsky",
                type="bluesky",
                enabled=True,
                poll_interval=0,
                options={"endpoints": [refusing.url, server.url], "rewind": "1s"},
            ),
            SourceContext(observer=RecordingObserver()),
            backoff=Backoff(base=0.01, cap=0.05),
            linger=0.05,
        )
        checkpoint = {"time_us": T0 + 3_000_000, "endpoint": refusing.url}
        batches = await collect(
            src.stream(checkpoint), lambda bs: f"bluesky:{DID}/3k00005" in post_ids(bs)
        )
    assert refusing.requests == []  # refused at the handshake
    assert server.requests[0]["cursor"] == [str(T0 + 2_000_000)]
    # the other instance's clock may differ: the rewind window comes again
    assert post_ids(batches) == [f"bluesky:{DID}/3k{n:05d}" for n in (2, 3, 4, 5)]


async def test_resumes_from_a_stored_checkpoint() -> None:
    server = Jetstream(frames=[frame(n) for n in range(6)])
    async with server.running():
        src = source(server, RecordingObserver(), rewind="1s")
        batches = await collect(
            src.stream({"time_us": T0 + 3_000_000}),
            lambda bs: f"bluesky:{DID}/3k00005" in post_ids(bs),
        )
    assert server.requests[0]["cursor"] == [str(T0 + 2_000_000)]
    assert post_ids(batches) == [f"bluesky:{DID}/3k{n:05d}" for n in (2, 3, 4, 5)]


async def test_refused_handshakes_back_off_then_stream() -> None:
    server = Jetstream(frames=[frame(0)], refuse=[503, 502, 429])
    observer = RecordingObserver()
    async with server.running():
        src = source(server, observer)
        batches = await collect(src.stream(None), lambda bs: len(post_ids(bs)) == 1)
    assert observer.results[:4] == ["http_5xx", "http_5xx", "http_429", "ok"]
    assert post_ids(batches) == [f"bluesky:{DID}/3k00000"]


async def test_malformed_frames_are_rejected_and_the_stream_goes_on() -> None:
    frames = [line for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line]
    server = Jetstream(frames=[*frames, frame(99)])
    async with server.running():
        src = source(server, RecordingObserver())
        batches = await collect(
            src.stream(None), lambda bs: f"bluesky:{DID}/3k00099" in post_ids(bs)
        )
    assert len(post_ids(batches)) == 7 + 1
    rejects = [r.reason for b in batches for r in b.rejects]
    assert rejects == ["undecodable", "schema_invalid", "undecodable"]
    assert sum(b.items for b in batches) == len(frames) + 1
