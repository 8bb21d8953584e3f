"""Pure parsers of the polling sources (Telegram, Reddit, RSS/Atom, VK) over the repository's
own fixtures, written in each platform's format: ids, times, text, media, geo, refs, rejects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from services.collector.sources import reddit, rss, telegram, vk
from services.collector.sources.polling import epoch_time, finish, remember
from services.runtime.messages import post_errors

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NOW = "2026-11-21T00:00:00.000Z"


def _read(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def _by_id(posts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    for post in posts:
        assert post_errors(post) == [], post
    return {p["id"]: p for p in posts}


# -- Telegram ---------------------------------------------------------------------------------


def test_telegram_page() -> None:
    page = telegram.parse_page(_read("telegram/channel_page.html"))
    posts = _by_id(page.posts)
    assert list(posts) == [
        "telegram:fielddesk/700",
        "telegram:fielddesk/701",
        "telegram:fielddesk/703",
    ]
    assert page.ids == [700, 701, 702, 703, 705]
    assert page.before == 700
    assert [r.reason for r in page.rejects] == ["schema_invalid"]
    assert "no message date" in page.rejects[0].detail

    first = posts["telegram:fielddesk/700"]
    assert first["text"] == "Колонна техники замечена у Белгорода 🚜\n#convoy #convoy"
    assert first["created_at"] == "2026-11-20T08:00:00.000Z"
    assert first["url"] == "https://t.me/fielddesk/700"
    assert first["refs"] == {"repost_of": "telegram:otherchannel/4211"}
    assert first["media"] == [{"type": "image", "url": "https://cdn4.example/file/photo700.jpg"}]
    assert first["metrics"] == {"views": 1_200_000}
    assert first["author"]["name"] == "Field Desk"

    hidden = posts["telegram:fielddesk/701"]
    assert hidden["text"].startswith("Forwarded from Hidden Source\nقافلة عسكرية تتحرك نحو حمص")
    assert "\u200b" not in hidden["text"]
    assert hidden["created_at"] == "2026-11-20T08:30:00.000Z"  # +03:00 converted to UTC
    assert "refs" not in hidden

    reply = posts["telegram:fielddesk/703"]
    assert reply["text"] == "Update: report 🇺🇦"  # the quoted parent text is not ours
    assert reply["refs"] == {"reply_to": "telegram:fielddesk/700"}
    assert reply["media"] == [
        {"type": "video", "url": "https://cdn4.example/file/video703.mp4?token=x"},
        {"type": "link", "url": "https://example.org/report"},
    ]
    assert reply["metrics"] == {"views": 3120}


@pytest.mark.parametrize(
    ("text", "views"),
    [("846", 846), ("3.12K", 3120), ("79.8K", 79800), ("1.2M", 1_200_000), ("", None), ("x", None)],
)
def test_telegram_views(text: str, views: int | None) -> None:
    assert telegram.parse_views(text) == views


@pytest.mark.parametrize(
    ("body", "posts", "rejects"),
    [
        (b"", 0, 0),
        (b"<html><body>no messages</body></html>", 0, 0),
        (b"<div class='tgme_widget_message' data-post='x/1'>", 0, 1),  # bad channel name
        ("<div>" * 5000 + "\u202e\u200b", 0, 0),  # deep, broken, hostile
    ],
)
def test_telegram_odd_pages(body: bytes | str, posts: int, rejects: int) -> None:
    page = telegram.parse_page(body)
    assert (len(page.posts), len(page.rejects)) == (posts, rejects)


def test_telegram_page_without_charset_is_utf8() -> None:
    page = _read("telegram/channel_page.html").replace(b'<meta charset="utf-8">', b"")
    assert telegram.parse_page(page).posts[0]["text"].startswith("Колонна техники")


def test_telegram_new_messages_only_after_last() -> None:
    page = telegram.parse_page(_read("telegram/channel_page.html"))
    posts, _ = telegram.new_messages([page, page], 700)
    assert [p["id"] for p in posts] == ["telegram:fielddesk/701", "telegram:fielddesk/703"]


# -- Reddit -----------------------------------------------------------------------------------


def test_reddit_listing() -> None:
    listing = reddit.parse_listing(_read("reddit/new_page.json"))
    posts = _by_id(listing.posts)
    assert listing.after == "t3_1x0001"
    assert sorted(r.reason for r in listing.rejects) == ["schema_invalid", "unsupported"]
    self_post = posts["reddit:t3_1x0005"]
    assert (
        self_post["text"]
        == "Convoy near Kupiansk & Izium\n\nSeen at 08:00 **local** time.\n\nשיירה"
    )
    assert self_post["created_at"] == "2025-11-20T08:00:00.000Z"
    assert (
        self_post["url"]
        == "https://www.reddit.com/r/worldnews/comments/1x0005/convoy_near_kupiansk/"
    )
    assert self_post["channel"] == "worldnews"
    assert self_post["author"]["handle"] == "osint_fan"
    assert "media" not in self_post
    assert posts["reddit:t3_1x0004"]["media"] == [
        {"type": "image", "url": "https://i.redd.it/abc123.jpeg"}
    ]
    assert "author" not in posts["reddit:t3_1x0004"]  # [deleted]
    assert posts["reddit:t3_1x0003"]["refs"] == {"repost_of": "reddit:t3_1w9999"}
    assert posts["reddit:t3_1x0002"]["media"] == [
        {"type": "image", "url": "https://preview.redd.it/a1.jpg?width=100"}
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b'{"kind": "Listing", "data": {"children": [',
        b'{"message": "Forbidden", "error": 403}',
        b"[]",
    ],
)
def test_reddit_bad_listing(body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the shell dead-letters any of these
        reddit.parse_listing(body)


def test_reddit_select_new_dedups_on_fullname() -> None:
    listing = reddit.parse_listing(_read("reddit/new_page.json"))
    state = reddit.SubState(newest=1763625400.0, seen=["t3_1x0004"])
    posts, _ = reddit.select_new([listing, listing], state)
    assert [p["id"] for p in posts] == ["reddit:t3_1x0003", "reddit:t3_1x0005"]


# -- RSS / Atom -------------------------------------------------------------------------------


def test_rss_latin1_cdata_and_id_fallbacks() -> None:
    feed = rss.parse_feed(_read("rss/latin1.rss"), "journal", NOW)
    posts = _by_id(feed.posts)
    assert list(posts)[:2] == [
        "rss:journal/journal-0001",
        "rss:journal/https://journal.example/a/2",
    ]
    first = posts["rss:journal/journal-0001"]
    assert (
        first["text"]
        == "Convoi signalé près de Kharkiv\n\nDes véhicules blindés ont été vus.\nphoto"
    )
    assert first["created_at"] == "2026-11-20T07:00:00.000Z"  # RFC 822 +0100
    assert first["author"]["name"] == "Rédaction"
    assert first["media"] == [{"type": "image", "url": "https://journal.example/i/1.jpg"}]
    hashed = feed.posts[2]
    assert hashed["id"].startswith("rss:journal/")
    assert len(hashed["id"]) == len("rss:journal/") + 32
    assert hashed["created_at"] == "2026-11-20T09:00:00.000Z"  # the feed's lastBuildDate


def test_atom_html_titles_rtl_and_zero_width() -> None:
    feed = rss.parse_feed(_read("rss/atom.xml"), "bridge", NOW)
    first, second = feed.posts
    assert first["id"] == "rss:bridge/https://t.me/fielddesk/700"
    assert first["text"] == "Колонна техники & БТР\n\nقافلة — 🚜"
    assert first["created_at"] == "2026-11-20T08:00:00.000Z"  # published, RFC 3339 +02:00
    assert first["media"] == [{"type": "image", "url": "https://cdn.example/700.jpg"}]
    assert second["text"] == "Plain <not a tag>\n\nXHTML summary"
    assert "url" not in second


@pytest.mark.parametrize(
    "name",
    ["bomb.xml"],
)
def test_rss_xml_bomb_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match=r"amplification|entity"):
        rss.parse_feed(_read(f"rss/{name}"), "x", NOW)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<rss><channel><item><title>cut",
        b"<html><body>login</body></html>",
        b"\xff\xfe\x00junk",
    ],
)
def test_rss_malformed(body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the shell dead-letters any of these
        rss.parse_feed(body, "x", NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Fri, 26 Sep 2025 09:42:44 +0000", "2025-09-26T09:42:44.000Z"),
        ("Sat, 13 Sep 2014 18:13:44 GMT", "2014-09-13T18:13:44.000Z"),
        ("2014-07-16T22:26:22-07:00", "2014-07-17T05:26:22.000Z"),
        ("2026-11-20T08:01:00Z", "2026-11-20T08:01:00.000Z"),
        ("yesterday", None),
        ("", None),
    ],
)
def test_rss_dates(value: str, expected: str | None) -> None:
    assert rss.parse_date(value) == expected


# -- VK ---------------------------------------------------------------------------------------


def test_vk_wall() -> None:
    page = vk.parse_response(_read("vk/wall_get.json"))
    assert isinstance(page, vk.Page)
    posts = _by_id(page.posts)
    assert [r.reason for r in page.rejects] == ["schema_invalid"]
    first = posts["vk:-555_310"]
    assert first["text"] == 'Колонна "Урал" на трассе!'
    assert first["created_at"] == "2025-11-20T08:00:00.000Z"
    assert first["url"] == "https://vk.com/wall-555_310"
    assert first["geo"] == {"lat": 50.5977, "lon": 36.5858, "place": "Белгород", "kind": "geotag"}
    assert first["media"] == [
        {"type": "image", "url": "https://sun9.example/w.jpg"},
        {"type": "video", "url": "https://vk.com/video-555_77", "alt": "Видео колонны"},
    ]
    assert first["author"] == {
        "id": "-555",
        "handle": "field_hq",
        "name": "Полевой штаб",
        "url": "https://vk.com/field_hq",
    }
    assert first["metrics"] == {"views": 4031, "likes": 12, "reposts": 1, "replies": 3}
    repost = posts["vk:-555_311"]
    assert repost["refs"] == {"repost_of": "vk:-777_90"}
    assert repost["text"] == "Оригинал: техника у Валуек"
    assert repost["geo"] == {"place": "Валуйки", "kind": "place_tag"}
    assert repost["media"] == [
        {"type": "link", "url": "https://example.org/valuyki", "alt": "Валуйки"}
    ]


def test_vk_search_with_bom() -> None:
    page = vk.parse_response(_read("vk/newsfeed_search.json"))
    assert isinstance(page, vk.Page)
    assert page.next_from == "1/42_5"
    (post,) = page.posts
    assert post["id"] == "vk:42_5"
    assert post["author"]["name"] == "Иван Петров"
    assert post["geo"]["kind"] == "geotag"


@pytest.mark.parametrize(
    ("code", "action"),
    [
        (6, "retry"),
        (9, "retry"),
        (14, "fatal"),
        (5, "fatal"),
        (15, "skip_target"),
        (18, "skip_target"),
        (30, "skip_target"),
        (29, "pause_method"),
    ],
)
def test_vk_errors(code: int, action: str) -> None:
    error = vk.parse_response(_read(f"vk/error_{code}.json"))
    assert isinstance(error, vk.VkError)
    assert (error.code, error.action) == (code, action)


@pytest.mark.parametrize("body", [b"", b'{"response": {"items": [', b'{"response": 1}'])
def test_vk_malformed(body: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the shell dead-letters any of these
        vk.parse_response(body)


# -- shared helpers -------------------------------------------------------------------------


def test_finish_bounds_hostile_text() -> None:
    post = finish(
        {
            "id": "rss:x/1",
            "source": "rss",
            "text": "א" * 200_000,
            "created_at": NOW,
            "refs": {"reply_to": None},
        }
    )
    assert isinstance(post, dict)
    assert len(post["text"]) == 100_000
    assert "refs" not in post


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "1970-01-01T00:00:00.000Z"),
        (1456821458.0, "2016-03-01T08:37:38.000Z"),
        ("x", None),
        (None, None),
        (True, None),
        (-1, None),
    ],
)
def test_epoch_time(value: Any, expected: str | None) -> None:
    assert epoch_time(value) == expected


def test_remember_is_bounded_and_ordered() -> None:
    assert remember(["a", "b", "c"], ["b", "d"], 3) == ["c", "b", "d"]


def test_vk_error_dead_letters_never_carry_the_token() -> None:
    envelope = orjson.loads(_read("vk/error_14.json"))
    envelope["error"]["request_params"].append({"key": "access_token", "value": "vk1.a.SECRET"})
    scrubbed = vk.scrub_error(orjson.dumps(envelope))
    assert b"vk1.a.SECRET" not in scrubbed
    assert orjson.loads(scrubbed)["error"]["captcha_sid"] == "1234567890"
