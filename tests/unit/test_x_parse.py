"""X filtered stream: wire splitting, message normalisation, rule sync and the documented
reconnect schedules, over the repository's own fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from services.collector.sources.x import (
    LineSplitter,
    Reconnect,
    Rule,
    parse_message,
    rules_diff,
)
from services.runtime.messages import post_errors

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x"


def messages(name: str) -> list[Any]:
    splitter = LineSplitter()
    return [parse_message(line) for line in splitter.feed((FIXTURES / name).read_bytes())]


def posts() -> dict[str, dict[str, Any]]:
    return {p["id"]: p for m in messages("stream_body.txt") for p in m.posts}


def test_stream_body_lines() -> None:
    shape = [
        "keepalive" if m.keepalive else m.disconnect or [p["id"] for p in m.posts]
        for m in messages("stream_body.txt")
    ]
    assert shape == [
        ["x:1900000000000000001"],
        "keepalive",
        ["x:1900000000000000002"],
        ["x:1900000000000000004"],
        "keepalive",
        ["x:1900000000000000005"],
        "UpstreamOperationalDisconnect",
    ]
    assert all(post_errors(p) == [] for p in posts().values())


@pytest.mark.parametrize(
    ("post_id", "field", "expected"),
    [
        # t.co expanded, &amp; decoded, geotag wins over the place but keeps its name
        ("x:1900000000000000001", "text", "Convoy & fuel trucks moving north https://example.org/map?lat=34.7&lon=36.7"),
        ("x:1900000000000000001", "geo", {"kind": "geotag", "lat": 34.7324, "lon": 36.7139, "place": "Homs, Syria"}),
        ("x:1900000000000000001", "url", "https://x.com/field_obs/status/1900000000000000001"),
        ("x:1900000000000000001", "author", {"id": "1001", "handle": "field_obs", "name": "Field Observer",
                                             "url": "https://x.com/field_obs"}),
        ("x:1900000000000000001", "channel", "convoys"),
        ("x:1900000000000000001", "metrics", {"replies": 1, "reposts": 5, "likes": 9, "quotes": 0, "views": 1200}),
        # a country-sized place: a place tag without a misleading point
        ("x:1900000000000000002", "geo", {"kind": "place_tag", "place": "Syria"}),
        ("x:1900000000000000002", "media", [{"type": "image", "url": "https://pbs.twimg.com/media/abc.jpg",
                                             "alt": "Armoured vehicles on a highway"}]),
        ("x:1900000000000000002", "refs", {"reply_to": "x:1900000000000000001"}),
        ("x:1900000000000000002", "lang", "ar"),
        ("x:1900000000000000002", "author", {"id": "1002", "handle": "milwatch", "name": "Mil Watch 🛰️",
                                             "url": "https://x.com/milwatch"}),
        # a retweet carries the original's full text and points at it
        ("x:1900000000000000004", "text", "RT @field_obs: Long report: at least 40 vehicles incl. tanks and APCs "
         "seen moving from Izium towards Kupiansk this morning, sources say; more to follow"),
        ("x:1900000000000000004", "refs", {"repost_of": "x:1900000000000000003"}),
        ("x:1900000000000000004", "geo", None),
        # a long post: note_tweet text with its links; best mp4 variant; profile location
        ("x:1900000000000000005", "refs", {"quote_of": "x:1900000000000000002"}),
        ("x:1900000000000000005", "media", [{"type": "video", "url": "https://video.twimg.com/high.mp4"}]),
        ("x:1900000000000000005", "geo", {"kind": "profile", "place": "Kharkiv, Ukraine"}),
        ("x:1900000000000000005", "channel", None),
    ],
)  # fmt: skip
def test_normalised_fields(post_id: str, field: str, expected: Any) -> None:
    assert posts()[post_id].get(field) == expected


def test_note_tweet_text_is_used_in_full() -> None:
    text = posts()["x:1900000000000000005"]["text"]
    assert text.startswith("Thread 🧵 Column observed")
    assert text.endswith("https://example.org/thread")
    assert text.count("Column observed") == 12


def test_malformed_lines_are_rejected_and_hostile_text_is_cleaned() -> None:
    got = messages("malformed_lines.txt")
    assert [[r.reason for r in m.rejects] for m in got] == [
        ["undecodable"],
        ["schema_invalid"],
        ["schema_invalid"],
        [],
    ]
    hostile = got[3].posts[0]
    assert hostile["text"] == "ǝsɹǝʌǝɹ zerowidth bom 🇺🇦"
    assert "lang" not in hostile  # "und"
    assert hostile["url"] == "https://x.com/i/web/status/1900000000000000012"


@pytest.mark.parametrize("size", [1, 3, 17, 512, 100_000])
def test_splitter_handles_messages_split_across_reads(size: int) -> None:
    body = (FIXTURES / "stream_body.txt").read_bytes()
    splitter = LineSplitter()
    lines: list[bytes] = []
    for i in range(0, len(body), size):
        lines.extend(splitter.feed(body[i : i + size]))
    assert lines == LineSplitter().feed(body)
    assert splitter.rest() == b""


def test_splitter_keeps_a_cut_off_message_for_the_dead_letter_topic() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b'{"data":{"id":"1"}}\r\n{"data":{"id"') == [b'{"data":{"id":"1"}}']
    assert splitter.rest() == b'{"data":{"id"'


def test_splitter_bounds_memory() -> None:
    splitter = LineSplitter(max_line=100)
    out = splitter.feed(b"x" * 150)
    assert out == [b"x" * 150]
    assert splitter.rest() == b""


def test_rule_ids_may_be_numbers_or_strings() -> None:
    line = json.dumps({"data": {"id": "5", "text": "t", "created_at": "2021-04-01T15:52:31.000Z"},
                       "matching_rules": [{"id": 1377649934414049282, "tag": "dogs"}]}).encode()  # fmt: skip
    assert parse_message(line).posts[0]["channel"] == "dogs"


@pytest.mark.parametrize(
    ("wanted", "existing", "add", "delete"),
    [
        ([Rule("a", "t")], [], [Rule("a", "t")], []),
        ([Rule("a", "t")], [{"id": "1", "value": "a", "tag": "t"}], [], []),
        ([Rule("a", "t")], [{"id": "1", "value": "a", "tag": "other"}], [Rule("a", "t")], ["1"]),
        ([], [{"id": "1", "value": "a"}, {"id": 2, "value": "b"}], [], ["1", "2"]),
        # the fixture: one rule kept, its duplicate and a stale rule deleted
        (
            [Rule("convoy has:geo", "convoys"), Rule("tanks lang:uk", None)],
            json.loads((FIXTURES / "rules_get.json").read_text())["data"],
            [Rule("tanks lang:uk", None)],
            ["2", "3"],
        ),
    ],
)
def test_rules_diff(
    wanted: list[Rule], existing: list[dict[str, Any]], add: list[Rule], delete: list[str]
) -> None:
    assert rules_diff(wanted, existing) == (add, delete)


def test_reconnect_schedules_are_the_documented_ones() -> None:
    r = Reconnect()
    assert [r.delay("network") for _ in range(70)][:4] == [0.25, 0.5, 0.75, 1.0]
    assert r.delay("network") == 16.0  # capped
    assert [r.delay("http_5xx") for _ in range(8)] == [5, 10, 20, 40, 80, 160, 320, 320]
    assert [r.delay("http_429") for _ in range(3)] == [60, 120, 240]
    r.reset()
    assert (r.delay("network"), r.delay("http_4xx"), r.delay("http_429")) == (0.25, 5, 60)


def test_reconnect_honours_a_later_server_hint_and_scales() -> None:
    assert Reconnect().delay("http_429", server_hint=300) == 300
    assert Reconnect().delay("http_429", server_hint=10) == 60
    assert Reconnect(scale=0.001).delay("http_5xx") == pytest.approx(0.005)
