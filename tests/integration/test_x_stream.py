"""X filtered-stream adapter against a loopback X API: rule sync, keep-alives, messages split
across reads, operational disconnects, 503 and 429 on connect with the documented schedules,
truncated and malformed lines, a stalled connection."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from services.collector.sources.base import SourceContext, SourceSpec
from services.collector.sources.x import Fatal, Reconnect, XSource
from tests.helpers.streams import RecordingObserver, XStream, chunks, collect, post_ids

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x"
BODY = (FIXTURES / "stream_body.txt").read_bytes()
MALFORMED = (FIXTURES / "malformed_lines.txt").read_bytes()
TOKEN = "AAAA-bearer"


class RecordingReconnect(Reconnect):
    """The real schedules, scaled down, remembering which schedule each reconnect used."""

    def __init__(self) -> None:
        super().__init__(scale=0.0005)
        self.kinds: list[str] = []

    def delay(self, kind: str, server_hint: float | None = None) -> float:
        self.kinds.append(kind)
        return super().delay(kind, None if server_hint is None else server_hint * 0.0005)


def source(
    server: XStream, observer: RecordingObserver, reconnect: Reconnect, **options: Any
) -> XSource:
    spec = SourceSpec(
        name="xs",
        type="x",
        enabled=True,
        poll_interval=0,
        options={
            "base_url": server.url,
            "token_env": "X_TOKEN",
            "rules": [{"value": "convoy has:geo", "tag": "convoys"}, {"value": "tanks lang:uk"}],
            **options,
        },
    )
    ctx = SourceContext(observer=observer, env={"X_TOKEN": TOKEN})
    return XSource(spec, ctx, reconnect=reconnect, linger=0.05)


async def test_rules_are_synced_from_the_sources_file() -> None:
    existing = json.loads((FIXTURES / "rules_get.json").read_text())["data"]
    first_message = BODY.splitlines(keepends=True)[0]
    server = XStream(token=TOKEN, rules=existing, connections=[[b"\r\n", first_message, None]])
    async with server.running():
        src = source(server, RecordingObserver(), Reconnect(scale=0.001))
        batches = await collect(src.stream(None), lambda bs: len(post_ids(bs)) >= 1)
    assert post_ids(batches) == ["x:1900000000000000001"]
    assert server.rule_calls[0] == ("GET", None)
    assert server.rule_calls[1] == ("POST", {"delete": {"ids": ["2", "3"]}})
    assert server.rule_calls[2] == ("POST", {"add": [{"value": "tanks lang:uk"}]})
    assert sorted((r["value"], r.get("tag")) for r in server.rules) == [
        ("convoy has:geo", "convoys"),
        ("tanks lang:uk", None),
    ]
    request = server.stream_requests[0]
    assert "expansions=author_id%2Cgeo.place_id" in request
    assert "place.fields=full_name" in request
    assert "user.fields=username" in request


async def test_reconnects_on_the_documented_schedules_and_loses_nothing_it_was_sent() -> None:
    server = XStream(
        token=TOKEN,
        connections=[
            503,
            429,
            chunks(BODY, 7),  # ends with an operational-disconnect message
            chunks(MALFORMED, 5),
            [b"\r\n", None],  # a keep-alive, then silence: the stall timeout ends it
            [BODY.splitlines(keepends=True)[0], b'{"data":{"id":"19000000000000000', b""],
        ],
        headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": "0"},
    )
    observer = RecordingObserver()
    reconnect = RecordingReconnect()
    async with server.running():
        src = source(
            server,
            observer,
            reconnect,
            sync_rules=False,
            stall_timeout_seconds=0.5,
            backfill_minutes=2,
        )
        batches = await collect(src.stream(None), lambda bs: sum(len(b.rejects) for b in bs) >= 4)
    assert reconnect.kinds[:6] == [
        "http_5xx",
        "http_429",
        "network",
        "network",
        "network",
        "network",
    ]
    assert observer.results[:5] == ["http_5xx", "http_429", "ok", "ok", "ok"]
    assert "timeout" in observer.results
    # the first connection asks for nothing old; reconnections recover the gap
    assert "backfill_minutes" not in server.stream_requests[0]
    assert all("backfill_minutes=2" in r for r in server.stream_requests[1:])
    ids = post_ids(batches)
    assert ids[:4] == [
        "x:1900000000000000001",
        "x:1900000000000000002",
        "x:1900000000000000004",
        "x:1900000000000000005",
    ]
    assert "x:1900000000000000012" in ids  # the hostile-but-valid line
    reasons = [r.reason for b in batches for r in b.rejects]
    assert reasons == ["undecodable", "schema_invalid", "schema_invalid", "undecodable"]
    cut = [r for b in batches for r in b.rejects][-1]
    assert "cut off" in cut.detail
    checkpoints = [b.checkpoint for b in batches if b.checkpoint]
    assert checkpoints[-1] == {
        "last_id": "1900000000000000012",
        "last_at": "2026-11-20T08:05:00.000Z",
    }


async def test_bad_token_stops_the_source() -> None:
    server = XStream(token="other")
    async with server.running():
        src = source(server, RecordingObserver(), Reconnect(scale=0.001))
        with pytest.raises(Fatal, match="401"):
            await collect(src.stream(None), lambda bs: False)


def test_missing_token_variable_is_named_not_shown() -> None:
    spec = SourceSpec(
        name="xs", type="x", enabled=True, poll_interval=0, options={"rules": [{"value": "a"}]}
    )
    with pytest.raises(ValueError, match="X_BEARER_TOKEN is not set"):
        XSource(spec, SourceContext(env={}))
