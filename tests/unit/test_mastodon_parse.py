"""Mastodon: Status normalisation, the SSE parser, Link headers and targets, over the
repository's own fixtures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from services.collector.sources.mastodon import (
    SSEParser,
    id_key,
    newer,
    parse_event,
    parse_link_header,
    parse_target,
    parse_timeline,
    status_id,
)
from services.runtime.messages import post_errors

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mastodon"
H = "social.example"


def posts() -> list[dict[str, Any]]:
    parsed, reject = parse_timeline((FIXTURES / "statuses.json").read_bytes(), H)
    assert reject is None
    out = [p.post for p in parsed if p.post is not None]
    assert len(out) == len(parsed)
    return out


def by_id(post_id: str) -> dict[str, Any]:
    return next(p for p in posts() if p["id"] == post_id)


def test_timeline_is_returned_oldest_first_and_valid() -> None:
    ids = [p["id"] for p in posts()]
    assert ids == [
        "mastodon:social.example/113000000000000001",
        "mastodon:remote.example/987654321",  # a remote status keeps its origin id
        "mastodon:social.example/113000000000000003",
        "mastodon:social.example/113000000000000004",
        "mastodon:social.example/113000000000000005",
        "mastodon:social.example/113000000000000006",
        "mastodon:social.example/113000000000000007",
    ]
    assert all(post_errors(p) == [] for p in posts())


@pytest.mark.parametrize(
    ("post_id", "field", "expected"),
    [
        # hashtags and links kept as text; the link's hidden spans give the full URL back
        ("mastodon:social.example/113000000000000001", "text",
         "Convoy of 30 trucks near Homs #osint\n\nhttps://www.reuters.com/world/convoy-homs"),
        ("mastodon:social.example/113000000000000001", "author",
         {"id": "https://social.example/users/alice", "handle": "alice@social.example",
          "name": "Alice", "url": "https://social.example/@alice"}),
        ("mastodon:social.example/113000000000000001", "metrics", {"replies": 1, "reposts": 2, "likes": 3}),
        ("mastodon:remote.example/987654321", "text", "Колонна техники у Изюма & дальше на юг"),
        ("mastodon:remote.example/987654321", "url", "https://remote.example/@bob/987654321"),
        ("mastodon:remote.example/987654321", "lang", "ru"),
        # a boost: the booster's post, the boosted text, a reference to the original
        ("mastodon:social.example/113000000000000003", "refs", {"repost_of": "mastodon:remote.example/987654321"}),
        ("mastodon:social.example/113000000000000003", "text", "Колонна техники у Изюма & дальше на юг"),
        ("mastodon:social.example/113000000000000003", "created_at", "2026-11-20T08:02:00.000Z"),
        ("mastodon:social.example/113000000000000003", "url", "https://remote.example/@bob/987654321"),
        # spoiler first, zero-width characters gone, media types and alt texts
        ("mastodon:social.example/113000000000000004", "text",
         "military movement\n\nقافلة عسكرية\nقرب الحدود"),
        ("mastodon:social.example/113000000000000004", "created_at", "2026-11-20T08:03:00.000Z"),
        ("mastodon:social.example/113000000000000004", "media", [
            {"type": "image", "url": "https://social.example/media/1.jpg", "alt": "Trucks on a desert road"},
            {"type": "gif", "url": "https://social.example/media/2.mp4"},
            {"type": "other", "url": "https://remote.example/file.bin", "alt": "a file"}]),
        # a reply to a local parent is derivable, to a remote one it is not
        ("mastodon:social.example/113000000000000005", "refs",
         {"reply_to": "mastodon:social.example/113000000000000001"}),
        ("mastodon:social.example/113000000000000005", "text", "@alice source? 🤔"),
        ("mastodon:social.example/113000000000000006", "refs", None),
        ("mastodon:social.example/113000000000000007", "refs",
         {"quote_of": "mastodon:social.example/113000000000000001"}),
    ],
)  # fmt: skip
def test_normalised_fields(post_id: str, field: str, expected: Any) -> None:
    assert by_id(post_id).get(field) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ({"id": "1", "uri": "https://a.example/users/u/statuses/42"}, "mastodon:a.example/42"),
        ({"id": "1", "uri": "https://A.example/ap/users/7/statuses/42"}, "mastodon:a.example/42"),
        (
            {"id": "1", "uri": "https://a.example/users/u/statuses/42/activity"},
            "mastodon:a.example/42",
        ),
        ({"id": "1", "uri": "https://misskey.example/notes/9abc"}, "mastodon:misskey.example/9abc"),
        (
            {"id": "1", "uri": "https://lemmy.example/comment/42"},
            "mastodon:lemmy.example/comment/42",
        ),
        ({"id": "1", "uri": "https://lemmy.example/post/42"}, "mastodon:lemmy.example/post/42"),
        ({"id": "1", "uri": "tag:weird"}, "mastodon:social.example/1"),
        ({"id": "1"}, "mastodon:social.example/1"),
    ],
)
def test_status_ids_come_from_the_origin(status: dict[str, Any], expected: str) -> None:
    assert status_id(status, H) == expected


def test_sse_parser_gives_the_same_events_however_the_bytes_are_split() -> None:
    body = (FIXTURES / "stream.sse").read_bytes()
    whole = SSEParser().feed(body)
    assert [e.event for e in whole] == [
        "update", "delete", "update", "notification", "update", "status.update", "update",
    ]  # fmt: skip
    for size in (1, 2, 7, 64, 1000):
        parser = SSEParser()
        pieces = []
        for i in range(0, len(body), size):
            pieces.extend(parser.feed(body[i : i + size]))
        assert pieces == whole
    crlf = SSEParser().feed(body.replace(b"\n", b"\r\n"))
    assert crlf == whole


def test_sse_parser_joins_data_lines_and_drops_oversized_events() -> None:
    parser = SSEParser(max_event_bytes=10)
    events = parser.feed(b"event: x\ndata: a\ndata: b\n\ndata: " + b"y" * 50 + b"\n\ndata: ok\n\n")
    assert [(e.event, e.data) for e in events] == [("x", b"a\nb"), ("message", b"ok")]
    assert parser.oversized == 1


def test_stream_events_become_posts_skips_and_rejects() -> None:
    events = SSEParser().feed((FIXTURES / "stream.sse").read_bytes())
    outcome = []
    for event in events:
        parsed = parse_event(event, H)
        if parsed is None:
            outcome.append("skip")
        elif parsed.post is not None:
            assert post_errors(parsed.post) == []
            outcome.append(parsed.post["id"])
        else:
            assert parsed.reject is not None
            outcome.append(parsed.reject.reason)
    assert outcome == [
        "mastodon:social.example/113000000000000001",
        "skip",  # delete
        "mastodon:social.example/113000000000000004",
        "skip",  # notification
        "undecodable",
        "mastodon:remote.example/987654321",  # an edit keeps the post id
        "schema_invalid",  # no created_at
    ]


def test_link_header() -> None:
    value = (
        '<https://h.example/api/v1/timelines/tag/x?max_id=10>; rel="next", '
        '<https://h.example/api/v1/timelines/tag/x?min_id=20>; rel="prev"'
    )
    assert parse_link_header(value) == {
        "next": "https://h.example/api/v1/timelines/tag/x?max_id=10",
        "prev": "https://h.example/api/v1/timelines/tag/x?min_id=20",
    }
    assert parse_link_header(None) == {}
    assert parse_link_header("garbage") == {}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("99", "100", "100"),  # numerically, not as text
        ("113000000000000002", "113000000000000001", "113000000000000002"),
        (None, "5", "5"),
        ("5", None, "5"),
        ("9zz", "a0000", "a0000"),  # non-numeric flake ids: longer is newer
    ],
)
def test_newer_ids(a: str | None, b: str | None, expected: str) -> None:
    assert newer(a, b) == expected
    assert id_key(expected) >= id_key(a if expected == b else b)


@pytest.mark.parametrize(
    ("spec", "timeline", "stream"),
    [
        ("public", ("/api/v1/timelines/public", {}), ("/api/v1/streaming/public", {})),
        ("public/local", ("/api/v1/timelines/public", {"local": "true"}), ("/api/v1/streaming/public/local", {})),
        ("public/remote", ("/api/v1/timelines/public", {"remote": "true"}), ("/api/v1/streaming/public/remote", {})),
        ("hashtag:osint", ("/api/v1/timelines/tag/osint", {}), ("/api/v1/streaming/hashtag", {"tag": "osint"})),
        ("#hashtag/local:ЗСУ", ("/api/v1/timelines/tag/%D0%97%D0%A1%D0%A3", {"local": "true"}),
         ("/api/v1/streaming/hashtag/local", {"tag": "ЗСУ"})),
        ("list:42", ("/api/v1/timelines/list/42", {}), ("/api/v1/streaming/list", {"list": "42"})),
    ],
)  # fmt: skip
def test_targets(spec: str, timeline: Any, stream: Any) -> None:
    target = parse_target(spec)
    assert target.timeline() == timeline
    assert target.stream() == stream


@pytest.mark.parametrize("spec", ["user", "hashtag:", "list:abc", "public/elsewhere"])
def test_invalid_targets(spec: str) -> None:
    with pytest.raises(ValueError, match="invalid Mastodon"):
        parse_target(spec)


def test_timeline_page_that_is_not_an_array_is_rejected() -> None:
    parsed, reject = parse_timeline(orjson.dumps({"error": "nope"}), H)
    assert parsed == []
    assert reject is not None
    assert reject.reason == "schema_invalid"
