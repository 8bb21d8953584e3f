"""Bluesky Jetstream: the pure frame parser and normaliser over the repository's own frames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from services.collector.sources.bluesky import (
    expand_links,
    parse_frame,
    ref_id,
    resume_cursor,
    subscribe_url,
)
from services.runtime.messages import post_errors

pytestmark = pytest.mark.unit

FRAMES = (
    Path(__file__).parent.parent / "fixtures" / "bluesky" / "jetstream_frames.jsonl"
).read_bytes()
A = "did:plc:alpha1111111111111111111"
B = "did:plc:bravo2222222222222222222"


def frames() -> list[bytes]:
    return [line for line in FRAMES.splitlines() if line]


def parsed_posts() -> dict[str, dict[str, Any]]:
    out = {}
    for raw in frames():
        p = parse_frame(raw)
        if p.post is not None:
            out[p.post["id"]] = p.post
    return out


def test_every_frame_is_a_post_a_skip_or_a_reject() -> None:
    kinds = []
    for raw in frames():
        p = parse_frame(raw)
        kinds.append("post" if p.post else "reject" if p.reject else "skip")
        if p.post:
            assert post_errors(p.post) == []
    assert kinds == [
        "post", "post", "post", "post", "post",  # facets, images, reply, quote, quote+video
        "skip", "skip", "skip",  # post delete, identity, account
        "post", "post",  # GIF card with bad createdAt, link card
        "reject", "reject", "reject",  # malformed JSON, record without text, truncated frame
        "skip",  # a like
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("rkey", "field", "expected"),
    [
        # a shortened link label is replaced by the facet's URI; mention and tag kept as text
        ("3kaaa0000001", "text", "Convoy seen near Homs @observer.bsky.social #osint "
         "https://www.reuters.com/world/middle-east/convoy-homs-2026-11-20/"),
        ("3kaaa0000001", "url", f"https://bsky.app/profile/{A}/post/3kaaa0000001"),
        ("3kaaa0000001", "lang", "en"),
        ("3kaaa0000001", "author", {"id": A, "url": f"https://bsky.app/profile/{A}"}),
        # RTL and emoji untouched; "+00:00" normalised to Z; alt kept, empty alt dropped
        ("3kaaa0000002", "text", "رتل عسكري قرب حمص 🚛🚛 المصدر"),
        ("3kaaa0000002", "created_at", "2026-11-20T08:01:00.000Z"),
        ("3kaaa0000002", "media", [
            {"type": "image", "alt": "Trucks on the M5 highway at dusk",
             "url": f"https://cdn.bsky.app/img/feed_fullsize/plain/{B}/bafkreiimage0001@jpeg"},
            {"type": "image",
             "url": f"https://cdn.bsky.app/img/feed_fullsize/plain/{B}/bafkreiimage0002@jpeg"},
        ]),
        # zero-width and bidi isolates removed; no offset = UTC; nanoseconds cut to ms
        ("3kaaa0000003", "text", "שיירה ליד העיר — confirmed"),
        ("3kaaa0000003", "created_at", "2026-11-20T08:02:00.123Z"),
        ("3kaaa0000003", "refs", {"reply_to": f"bluesky:{B}/3kaaa0000002"}),
        ("3kaaa0000003", "lang", "he"),
        ("3kaaa0000004", "refs", {"quote_of": f"bluesky:{A}/3kaaa0000001"}),
        ("3kaaa0000005", "refs", {"quote_of": f"bluesky:{B}/3kaaa0000004"}),
        ("3kaaa0000005", "media", [{
            "type": "video", "alt": "Column of armoured vehicles",
            "url": f"https://video.bsky.app/watch/{A}/bafkreivideo0001/playlist.m3u8"}]),
        ("3kaaa0000005", "lang", None),
        # a createdAt that is not a date falls back to the time Jetstream saw the commit
        ("3kaaa0000009", "created_at", "2026-09-21T14:13:20.009Z"),
        ("3kaaa0000009", "text", ""),
        ("3kaaa0000009", "lang", None),  # "und"
        ("3kaaa0000009", "media", [{"type": "gif", "url": "https://media.tenor.com/abc/tank.gif",
                                    "alt": "a tank driving through mud"}]),
        # custom link text is kept; the link card becomes a link medium
        ("3kaaa0000010", "text", "Read the report here"),
        ("3kaaa0000010", "lang", "en-GB"),
        ("3kaaa0000010", "media", [{"type": "link", "url": "https://example.org/report.pdf",
                                    "alt": "Monthly report"}]),
    ],
)  # fmt: skip
def test_normalised_fields(rkey: str, field: str, expected: Any) -> None:
    posts = parsed_posts()
    post = next(p for p in posts.values() if p["id"].endswith(f"/{rkey}"))
    assert post.get(field) == expected


@pytest.mark.parametrize(
    ("index", "reason", "detail"),
    [
        (10, "undecodable", "invalid JSON"),
        (11, "schema_invalid", "record.text must be a string"),
        (12, "undecodable", "invalid JSON"),
    ],
)
def test_rejects_keep_the_raw_frame_and_say_why(index: int, reason: str, detail: str) -> None:
    raw = frames()[index]
    p = parse_frame(raw)
    assert p.reject is not None
    assert (p.reject.reason, p.reject.raw) == (reason, raw)
    assert detail in p.reject.detail


@pytest.mark.parametrize(
    ("text", "start", "end", "uri", "expected"),
    [
        ("see example.com/a/very/lo...", 4, 28, "https://example.com/a/very/long", "see https://example.com/a/very/long"),
        ("see www.example.com/x…", 4, 24, "https://www.example.com/xyz", "see https://www.example.com/xyz"),
        ("read this", 5, 9, "https://example.com/", "read this"),  # custom text kept
        ("née example.com/…", 5, 20, "https://example.com/long", "née https://example.com/long"),  # byte offsets
        ("née example.com/…", 2, 20, "https://example.com/long", "née example.com/…"),  # splits a char
        ("short", 0, 99, "https://example.com/", "short"),  # out of range
    ],
)  # fmt: skip
def test_expand_links_uses_byte_offsets(
    text: str, start: int, end: int, uri: str, expected: str
) -> None:
    facets = [
        {
            "index": {"byteStart": start, "byteEnd": end},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": uri}],
        }
    ]
    assert expand_links(text, facets) == expected


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (f"at://{A}/app.bsky.feed.post/3abc", f"bluesky:{A}/3abc"),
        (f"at://{A}/app.bsky.feed.generator/whats-hot", None),
        ("https://example.com", None),
        (None, None),
    ],
)
def test_ref_ids(uri: Any, expected: str | None) -> None:
    assert ref_id(uri) == expected


@pytest.mark.parametrize(
    ("checkpoint", "rewind", "expected"),
    [
        (None, 5.0, None),
        ({"time_us": 1_790_000_010_000_000}, 5.0, 1_790_000_005_000_000),
        ({"time_us": 1_790_000_010_000_000}, 0.0, 1_790_000_010_000_000),
        ({"time_us": "junk"}, 5.0, None),
    ],
)
def test_resume_cursor_goes_slightly_back(
    checkpoint: Any, rewind: float, expected: int | None
) -> None:
    assert resume_cursor(checkpoint, rewind) == expected


def test_subscribe_url_asks_for_posts_only_with_cursor() -> None:
    url = subscribe_url("wss://jet.example/subscribe", 123, [A], 1000)
    assert url == (
        "wss://jet.example/subscribe?wantedCollections=app.bsky.feed.post"
        f"&wantedDids={A.replace(':', '%3A')}&maxMessageSizeBytes=1000&cursor=123"
    )


@pytest.mark.parametrize(
    "record",
    [
        {"text": "x" * 200_000, "createdAt": "2026-11-20T08:00:00Z"},  # huge text is capped
        {"text": "ok", "createdAt": "2026-11-20T08:00:00Z", "langs": ["not a tag!"]},
        {
            "text": "ok",
            "createdAt": "2026-11-20T08:00:00Z",
            "embed": {"$type": "app.bsky.embed.images", "images": "nope"},
        },
        {"text": "ok", "createdAt": "2026-11-20T08:00:00Z", "facets": [{"index": "x"}, None, 5]},
    ],
)
def test_hostile_records_still_give_valid_posts(record: dict[str, Any]) -> None:
    event = {"did": A, "time_us": 1, "kind": "commit", "commit": {
        "operation": "create", "collection": "app.bsky.feed.post", "rkey": "3k", "record": record}}  # fmt: skip
    p = parse_frame(orjson.dumps(event))
    assert p.post is not None, p.reject
    assert post_errors(p.post) == []
    assert len(p.post["text"]) <= 100_000
