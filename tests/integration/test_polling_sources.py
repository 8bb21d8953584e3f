"""The polling sources against a loopback fake of their platforms: pagination and backfill,
new items by id, 429 with Retry-After, 5xx bursts, truncated and malformed payloads (dead-lettered,
the source goes on), conditional GET and 304, VK error envelopes, unicode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
import pytest
from services.collector.polite import HostLimiter
from services.collector.sources import reddit, rss, telegram, vk
from services.collector.sources.base import Fetched, Source, SourceContext, SourceSpec
from services.collector.sources.polling import SourceUnavailable
from services.runtime.messages import post_errors
from tests.helpers.fake_platforms import FakePlatforms, Fault, vk_error

pytestmark = pytest.mark.integration

FAST = {"backoff": {"base": "10ms", "cap": "50ms", "attempts": 4}, "requests_per_second": 1000}


class Recorder:
    def __init__(self) -> None:
        self.results: list[str] = []
        self.waits: list[float] = []

    def request(self, seconds: float, result: str) -> None:
        self.results.append(result)

    def waited(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    server = FakePlatforms()
    await server.start()
    yield server
    await server.stop()


def _ctx(recorder: Recorder, env: dict[str, str] | None = None) -> SourceContext:
    return SourceContext(
        limiter=HostLimiter(rate=1000, burst=1000), observer=recorder, env=env or {}
    )


def _spec(type_: str, **options: Any) -> SourceSpec:
    return SourceSpec(
        name=f"{type_}-test",
        type=type_,
        enabled=True,
        poll_interval=0.02,
        options={**FAST, **options},
    )


async def _collect(source: Source, checkpoint: Any, batches: int) -> list[Fetched]:
    out: list[Fetched] = []
    stream = source.stream(checkpoint)
    async for batch in stream:
        out.append(batch)
        if len(out) >= batches:
            break
    await stream.aclose()  # type: ignore[attr-defined]
    return out


def _ids(batches: list[Fetched]) -> list[str]:
    ids = [p["id"] for b in batches for p in b.posts]
    for b in batches:
        for p in b.posts:
            assert post_errors(p) == []
    return ids


def _last_checkpoint(batches: list[Fetched]) -> Any:
    return next(b.checkpoint for b in reversed(batches) if b.checkpoint is not None)


async def test_telegram_backfill_then_new_messages_by_id(fake: FakePlatforms) -> None:
    fake.released = 45
    rec = Recorder()
    source = telegram.create(
        _spec("telegram", channels=["FieldDesk"], base_url=fake.url, backfill_pages=2), _ctx(rec)
    )
    batches = await _collect(source, None, 1)
    assert _ids(batches) == [f"telegram:fielddesk/{i}" for i in range(1, 46)]
    assert [q.get("before") for p, q, _ in fake.requests] == [None, "26", "6"]
    checkpoint = _last_checkpoint(batches)
    assert checkpoint == {"channels": {"fielddesk": 45}}

    fake.released = 80  # 35 new: two pages back from the newest
    fake.requests.clear()
    batches = await _collect(
        telegram.create(_spec("telegram", channels=["FieldDesk"], base_url=fake.url), _ctx(rec)),
        checkpoint,
        1,
    )
    assert _ids(batches) == [f"telegram:fielddesk/{i}" for i in range(46, 81)]
    assert [q.get("before") for p, q, _ in fake.requests] == [None, "61"]
    post = batches[0].posts[0]
    assert post["text"].endswith("#46\nline two")
    assert post["metrics"] == {"views": 46500}


async def test_telegram_429_retry_after_and_5xx_burst(fake: FakePlatforms) -> None:
    fake.released = 3
    fake.faults["/s/fielddesk"].extend(
        [Fault(429, b"", {"retry-after": "0.05"}), Fault(502), Fault(503), Fault(500)]
    )
    rec = Recorder()
    source = telegram.create(
        _spec(
            "telegram",
            channels=["fielddesk"],
            base_url=fake.url,
            backoff={"base": "10ms", "attempts": 6},
        ),
        _ctx(rec),
    )
    batches = await _collect(source, None, 1)
    assert len(_ids(batches)) == 3
    assert rec.results == ["http_429", "http_5xx", "http_5xx", "http_5xx", "ok"]
    assert 0.05 in rec.waits


async def test_reddit_pages_with_after_then_before(fake: FakePlatforms) -> None:
    fake.released = 250
    rec = Recorder()
    spec = _spec("reddit", subreddits=["worldnews"], base_url=fake.url, backfill_pages=2)
    batches = await _collect(reddit.create(spec, _ctx(rec)), None, 1)
    assert len(_ids(batches)) == 250  # 3 pages of 100 with after=
    assert [q.get("after") for _, q, _ in fake.requests] == [None, "t3_47", "t3_1f"]
    checkpoint = _last_checkpoint(batches)

    fake.released = 260
    fake.requests.clear()
    source = reddit.create(spec, _ctx(rec))
    batches = await _collect(source, checkpoint, 2)
    # After a restart: a plain /new read stops at a known fullname; the next poll uses before=.
    assert _ids(batches) == [
        f"reddit:t3_{n}" for n in ("6z", "70", "71", "72", "73", "74", "75", "76", "77", "78")
    ]
    assert [q.get("before") for _, q, _ in fake.requests] == [None, "t3_78"]


async def test_reddit_quota_exhausted_waits_for_reset(fake: FakePlatforms) -> None:
    fake.released = 2
    fake.ratelimit_remaining = 0.0
    fake.ratelimit_reset = 0.1
    fake.faults["/r/worldnews/new.json"].append(
        Fault(429, b'{"message": "Too Many Requests", "error": 429}', {"x-ratelimit-reset": "0.05"})
    )
    rec = Recorder()
    spec = _spec("reddit", subreddits=["worldnews"], base_url=fake.url)
    batches = await _collect(reddit.create(spec, _ctx(rec)), None, 1)
    assert len(_ids(batches)) == 2
    assert rec.results == ["http_429", "ok"]
    assert rec.waits == [0.05, 0.1]


async def test_reddit_truncated_listing_is_dead_lettered_and_the_source_goes_on(
    fake: FakePlatforms,
) -> None:
    fake.released = 5
    fake.faults["/r/worldnews/new.json"].append(
        Fault(200, b'{"kind": "Listing", "data": {"children": [{"kind": "t3", "da')
    )
    spec = _spec("reddit", subreddits=["worldnews"], base_url=fake.url)
    batches = await _collect(reddit.create(spec, _ctx(Recorder())), None, 2)
    assert [r.reason for r in batches[0].rejects] == ["undecodable"]
    assert batches[0].rejects[0].raw.startswith(b'{"kind": "Listing"')
    assert len(_ids(batches)) == 5


async def test_rss_conditional_get_and_304(fake: FakePlatforms) -> None:
    fake.released = 5
    spec = _spec("rss", feeds=[{"name": "feed", "url": f"{fake.url}/feed.xml"}])
    source = rss.create(spec, _ctx(Recorder()))
    stream = source.stream(None)
    first = await anext(stream)
    assert _ids([first]) == [f"rss:feed/urn:fake:{i}" for i in range(1, 6)]
    assert first.checkpoint is not None
    assert first.checkpoint["feeds"][f"{fake.url}/feed.xml"]["etag"]
    second = await anext(stream)  # not modified
    assert second.posts == []
    assert second.checkpoint is None
    assert (
        fake.requests[-1][2].get("If-None-Match")
        == first.checkpoint["feeds"][f"{fake.url}/feed.xml"]["etag"]
    )
    assert fake.requests[-1][2].get("If-Modified-Since") == "Thu, 20 Nov 2025 08:00:00 GMT"
    fake.released = 7
    third = await anext(stream)
    assert _ids([third]) == ["rss:feed/urn:fake:6", "rss:feed/urn:fake:7"]
    await stream.aclose()


async def test_rss_malformed_feed_then_recovery(fake: FakePlatforms) -> None:
    fake.released = 2
    fake.faults["/feed.xml"].append(
        Fault(200, b"<?xml version='1.0'?><rss><channel><item><title>cut")
    )
    spec = _spec("rss", feeds=[f"{fake.url}/feed.xml"])
    batches = await _collect(rss.create(spec, _ctx(Recorder())), None, 2)
    assert [r.reason for r in batches[0].rejects] == ["undecodable"]
    assert len(_ids(batches)) == 2


async def test_vk_wall_and_search_with_errors(fake: FakePlatforms) -> None:
    fake.released = 30
    fake.vk_errors["-666"] = 15
    fake.faults["/method/wall.get"].append(Fault(200, orjson.dumps(vk_error(6, "wall.get"))))
    rec = Recorder()
    spec = _spec(
        "vk", owners=[-555, -666], queries=["колонна"], token_env="VK_TOKEN", base_url=fake.url
    )
    source = vk.create(spec, _ctx(rec, {"VK_TOKEN": "secret"}))
    batches = await _collect(source, None, 3)
    wall, denied, search = batches
    assert len(_ids([wall])) == 30
    assert wall.posts[0]["geo"]["kind"] == "geotag"
    assert [r.reason for r in denied.rejects] == ["access_denied"]
    assert len(_ids([search])) == 30  # two pages through next_from
    assert rec.waits  # error 6 waited
    checkpoint = _last_checkpoint(batches)
    assert checkpoint["owners"] == {"-555": 30}
    assert checkpoint["queries"]["колонна"]["start_time"] == 1_763_625_600 + 30 * 60
    # Nothing the server answered carried the token in the URL.
    assert all("access_token" not in q for _, q, _ in fake.requests)


@pytest.mark.parametrize("code", [14, 5])
async def test_vk_captcha_and_auth_fail_the_source(fake: FakePlatforms, code: int) -> None:
    fake.vk_errors["-555"] = code
    spec = _spec("vk", owners=[-555], token_env="VK_TOKEN", base_url=fake.url)
    source = vk.create(spec, _ctx(Recorder(), {"VK_TOKEN": "secret"}))
    with pytest.raises(SourceUnavailable, match=f"VK error {code}"):
        await _collect(source, None, 1)


async def test_vk_missing_token_fails_clearly(fake: FakePlatforms) -> None:
    spec = _spec("vk", owners=[-555], token_env="VK_TOKEN", base_url=fake.url)
    with pytest.raises(SourceUnavailable, match="VK_TOKEN is not set"):
        await _collect(vk.create(spec, _ctx(Recorder())), None, 1)


async def test_vk_wall_catches_up_past_a_pinned_old_post(fake: FakePlatforms) -> None:
    fake.released = 250
    fake.vk_pinned = 3
    spec = _spec("vk", owners=[-555], token_env="VK_TOKEN", base_url=fake.url)
    source = vk.create(spec, _ctx(Recorder(), {"VK_TOKEN": "secret"}))
    batches = await _collect(source, {"owners": {"-555": 10}}, 1)
    assert _ids(batches) == [f"vk:-555_{i}" for i in range(11, 251)]
    assert [q["offset"] for _, q, _ in fake.requests] == ["0", "100", "200"]


async def test_vk_search_looks_back_without_republishing(fake: FakePlatforms) -> None:
    fake.released = 10
    spec = _spec("vk", queries=["колонна"], token_env="VK_TOKEN", base_url=fake.url, overlap="5m")
    source = vk.create(spec, _ctx(Recorder(), {"VK_TOKEN": "secret"}))
    stream = source.stream(None)
    first = await anext(stream)
    assert len(_ids([first])) == 10
    fake.released = 12
    second = await anext(stream)
    await stream.aclose()
    assert _ids([second]) == ["vk:-1_11", "vk:-1_12"]
    newest = 1_763_625_600 + 10 * 60
    assert fake.requests[-1][1]["start_time"] == str(newest - 300)


async def test_rss_long_feed_is_not_republished() -> None:
    server = FakePlatforms(released=700, page_size=700)
    await server.start()
    try:
        spec = _spec("rss", feeds=[f"{server.url}/feed.xml"])
        stream = rss.create(spec, _ctx(Recorder())).stream(None)
        first = await anext(stream)
        assert len(_ids([first])) == 700
        server.released = 701  # a new entry, a new ETag, the whole feed again
        second = await anext(stream)
        await stream.aclose()
        assert _ids([second]) == ["rss:127.0.0.1/urn:fake:701"]
    finally:
        await server.stop()


async def test_reddit_app_token_is_obtained_and_renewed(fake: FakePlatforms) -> None:
    fake.released = 3
    fake.reddit_app = ("app-id", "app-secret")
    fake.reddit_token_lifetime = 60  # renewed a minute early: every poll asks again
    fake.reddit_tokens.append("stale")
    env = {"RD_ID": "app-id", "RD_SECRET": "app-secret"}
    spec = _spec(
        "reddit",
        subreddits=["worldnews"],
        base_url=fake.url,
        client_id_env="RD_ID",
        client_secret_env="RD_SECRET",
        token_url=f"{fake.url}/api/v1/access_token",
    )
    stream = reddit.create(spec, _ctx(Recorder(), env)).stream(None)
    first = await anext(stream)
    fake.released = 4
    second = await anext(stream)
    await stream.aclose()
    assert len(_ids([first])) == 3
    assert _ids([second]) == ["reddit:t3_4"]
    assert fake.reddit_tokens == ["stale", "apptok-2", "apptok-3"]
    listings = [h for p, _, h in fake.requests if p.endswith("new.json")]
    assert [h["Authorization"] for h in listings] == ["bearer apptok-2", "bearer apptok-3"]


async def test_reddit_wrong_app_secret_fails_without_leaking_it(fake: FakePlatforms) -> None:
    fake.reddit_app = ("app-id", "app-secret")
    env = {"RD_ID": "app-id", "RD_SECRET": "wrong-secret"}
    spec = _spec(
        "reddit",
        subreddits=["worldnews"],
        base_url=fake.url,
        client_id_env="RD_ID",
        client_secret_env="RD_SECRET",
        token_url=f"{fake.url}/api/v1/access_token",
    )
    with pytest.raises(SourceUnavailable, match="no app token from Reddit") as info:
        await _collect(reddit.create(spec, _ctx(Recorder(), env)), None, 1)
    assert "wrong-secret" not in str(info.value)
