"""Conformance: every captured RSS 2.0 / Atom feed in ../shared/fixtures/sources/rss_atom parses
to the entries we expect (entry ids, times, links, clean text, authors, media), including the
ISO-8859-1 feed, CDATA, FeedBurner's stylesheet instructions and the Telegram bridge."""

from __future__ import annotations

from typing import Any

import pytest
from services.collector.sources.rss import parse_feed
from services.runtime.messages import post_errors
from tests.conftest import SHARED

pytestmark = pytest.mark.conformance

FOLDER = SHARED / "fixtures" / "sources" / "rss_atom"
if not FOLDER.is_dir():
    pytest.skip("../shared/fixtures/sources is not present", allow_module_level=True)

NOW = "2026-11-21T00:00:00.000Z"
EXPECTED: dict[str, dict[str, Any]] = {
    "huginn_cdata_rss.atom": {
        "count": 10,
        "id": "rss:f/http://rainmeter.net/forum/viewtopic.php?t=21984&p=116390#p116390",
        "created_at": "2015-10-11T14:52:35.000Z",
        "url": "http://rainmeter.net/forum/viewtopic.php?t=21984&p=116390#p116390",
        "text_start": "Help: Rainmeter Skins • Re: Cannot change font for Simple Launcher\n\njsmorley wrote:",
        "author": "supergergo",
        "media": [],
    },
    "huginn_github_rss.atom": {
        "count": 20,
        "id": "rss:f/tag:github.com,2008:Grit::Commit/d0a844662846cf3c83b94c637c1803f03db5a5b0",
        "created_at": "2014-07-17T05:26:22.000Z",  # updated, -07:00
        "url": "https://github.com/cantino/huginn/commit/d0a844662846cf3c83b94c637c1803f03db5a5b0",
        "text_start": "Merge pull request #402 from albertsun/safer-liquid-migration",
        "author": "cantino",
        "media": ["image"],
    },
    "huginn_iso-8859-1.rss": {
        "count": 1,
        "id": "rss:f/http://example.net/post/1",
        "created_at": "2016-11-21T16:00:10.000Z",
        "url": "http://example.net/post/1",
        "text_start": "Mëkanïk Zaïn",
        "author": None,
        "media": [],
    },
    "huginn_onethingwell.rss": {
        "count": 20,
        "id": "rss:f/http://onethingwell.org/post/127163643556",
        "created_at": "2015-08-20T16:00:10.000Z",
        "url": "http://onethingwell.org/post/127163643556",
        "text_start": "CSVfix:\n\nCSVfix is a command-line tool",  # title repeated in the body
        "author": None,
        "media": [],
    },
    "huginn_slickdeals.atom": {
        "count": 79,
        "id": "rss:f/http://feedproxy.google.com/~r/SlickdealsnetFP/~3/tojFMKcc-zM/green-man-gaming---pc-games-tomb-raider-game-of-the-year-6-hitman-absolution-elite-edition",
        "created_at": "2014-09-13T18:13:44.000Z",
        "url": "http://feedproxy.google.com/~r/SlickdealsnetFP/~3/tojFMKcc-zM/green-man-gaming---pc-games-tomb-raider-game-of-the-year-6-hitman-absolution-elite-edition",
        "text_start": "PC Games: Tomb Raider: Game of the Year $6, Hitman Absolution: Elite Edition $5 & More",
        "author": None,
        "media": [],
    },
    "huginn_youtube.xml": {
        "count": 15,
        "id": "rss:f/yt:video:OCs1E0vP7Oc",
        "created_at": "2017-06-15T02:36:17.000Z",
        "url": "https://www.youtube.com/watch?v=OCs1E0vP7Oc",
        "text_start": "SecDSM 2017 March - Talk 01",
        "author": "SecDSM",
        "media": ["video"],
    },
    "tg_rss_telegram_channels_feed.xml": {
        "count": 113,
        "id": "rss:f/https://t.me/oooneuro/5957",
        "created_at": "2025-09-26T09:42:44.000Z",
        "url": "https://t.me/oooneuro/5957",
        "text_start": "🔸Чому компанії відмовляються від Jira, і які є альтернативи?\n",
        "author": None,
        "media": [],
    },
}


def test_every_capture_has_expectations() -> None:
    assert sorted(p.name for p in FOLDER.iterdir() if p.suffix != ".md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_feed(name: str) -> None:
    want = EXPECTED[name]
    feed = parse_feed((FOLDER / name).read_bytes(), "f", NOW)
    assert feed.rejects == []
    assert len(feed.posts) == want["count"]
    assert len({p["id"] for p in feed.posts}) == want["count"]  # entry ids are unique
    for post in feed.posts:
        assert post_errors(post) == []
        assert post["created_at"] != NOW  # every captured entry carries its own date
        assert "&amp;" not in post["text"]
        assert "<br" not in post["text"]
        assert "]]>" not in post["text"]
    first = feed.posts[0]
    assert first["id"] == want["id"]
    assert first["created_at"] == want["created_at"]
    assert first["url"] == want["url"]
    assert first["text"].startswith(want["text_start"])
    assert (first.get("author") or {}).get("name") == want["author"]
    assert [m["type"] for m in first.get("media", [])] == want["media"]


def test_telegram_bridge_keeps_guids_as_ids() -> None:
    feed = parse_feed((FOLDER / "tg_rss_telegram_channels_feed.xml").read_bytes(), "bridge", NOW)
    for post in feed.posts:
        assert post["id"] == f"rss:bridge/{post['url']}"  # guid == link in this bridge
        assert post["text"].endswith("Source: Telegram")
    # 93 items link the channel post itself; the others link the article they share.
    assert sum(p["url"].startswith("https://t.me/") for p in feed.posts) == 93
