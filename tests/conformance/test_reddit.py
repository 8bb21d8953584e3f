"""Conformance: every captured Reddit listing in ../shared/fixtures/sources/reddit parses to the
posts we expect (fullname ids, times, permalinks, text, media); error bodies are refused."""

from __future__ import annotations

import pytest
from services.collector.sources.reddit import parse_listing
from services.runtime.messages import post_errors
from tests.conftest import SHARED

pytestmark = pytest.mark.conformance

FOLDER = SHARED / "fixtures" / "sources" / "reddit"
if not FOLDER.is_dir():
    pytest.skip("../shared/fixtures/sources is not present", allow_module_level=True)

# file -> (after, [(id, created_at, subreddit, media types)], first post's text start)
LISTINGS = {
    "listing_r_all_new_2016_first3.json": (
        "t3_5jo10c",
        [
            ("reddit:t3_5jo13y", "2016-12-22T02:17:30.000Z", "LeagueOfVideos", ["video"]),
            ("reddit:t3_5jo13x", "2016-12-22T02:17:30.000Z", "RocketLeagueExchange", []),
            ("reddit:t3_5jo13w", "2016-12-22T02:17:30.000Z", "oculus", ["video"]),
        ],
        "Farewell Rush - We will never forget your stream",
    ),
    "listing_r_all_new_before_2016_first3.json": (
        None,
        [
            ("reddit:t3_5jo144", "2016-12-22T02:17:32.000Z", "UpliftingNews", ["link"]),
            ("reddit:t3_5jo143", "2016-12-22T02:17:32.000Z", "eu4", ["link"]),
            ("reddit:t3_5jo141", "2016-12-22T02:17:31.000Z", "pokemontrades", []),
        ],
        "Newly discovered disease could hold key to Alzheimer's, Parkinson's – and even ageing",
    ),
    "listing_r_askreddit_new_2016_first5.json": (
        "t3_48f6io",
        [
            ("reddit:t3_48fbm9", "2016-03-01T08:37:38.000Z", "AskReddit", []),
            ("reddit:t3_48fbig", "2016-03-01T08:36:24.000Z", "AskReddit", []),
            ("reddit:t3_48fbgl", "2016-03-01T08:35:54.000Z", "AskReddit", []),
            ("reddit:t3_48fbg9", "2016-03-01T08:35:48.000Z", "AskReddit", []),
            ("reddit:t3_48fbe1", "2016-03-01T08:35:05.000Z", "AskReddit", []),
        ],
        "[Serious] Parents of Reddit, what's the biggest lie about yourself you've told your kids?",
    ),
    "listing_r_popular_hot_2026_first5.json": (
        "t3_1skbyfv",
        [
            ("reddit:t3_1skjxta", "2026-04-13T18:44:08.000Z", "MMA", ["video"]),
            ("reddit:t3_1skl1i1", "2026-04-13T19:22:01.000Z", "StupidFood", ["video"]),
            ("reddit:t3_1sklidt", "2026-04-13T19:38:06.000Z", "KidsAreFuckingStupid", ["video"]),
            ("reddit:t3_1skii2f", "2026-04-13T17:54:49.000Z", "AccidentalRenaissance", ["image"]),
            ("reddit:t3_1skke8o", "2026-04-13T18:59:56.000Z", "formula1", ["image"]),
        ],
        "Ulberg on Jiri showing mercy:",
    ),
    "listing_r_popular_hot_2026_selfposts_only.json": (
        "t3_1skbyfv",
        [
            ("reddit:t3_1sk894v", "2026-04-13T11:39:05.000Z", "anime", []),
            ("reddit:t3_1skaj6p", "2026-04-13T13:16:00.000Z", "Silksong", []),
            ("reddit:t3_1skbgrz", "2026-04-13T13:51:57.000Z", "WaltDisneyWorld", []),
        ],
        "Demon Slayer Infinity Castle Isn’t Available On Streaming Or Bluray",
    ),
    "listing_empty_user_top_hour.json": (None, [], None),
}
ERRORS = ("error_403_forbidden.json", "error_404_not_found.json")


def test_every_capture_has_expectations() -> None:
    captured = {p.name for p in FOLDER.glob("*.json") if not p.name.endswith(".meta.json")}
    assert captured == set(LISTINGS) | set(ERRORS)


@pytest.mark.parametrize("name", sorted(LISTINGS))
def test_listing(name: str) -> None:
    after, expected, text_start = LISTINGS[name]
    listing = parse_listing((FOLDER / name).read_bytes())
    assert listing.rejects == []
    assert listing.after == after
    assert [p["id"] for p in listing.posts] == [e[0] for e in expected]
    for post, (_, created_at, channel, media) in zip(listing.posts, expected, strict=True):
        assert post_errors(post) == []
        assert post["created_at"] == created_at
        assert post["channel"] == channel
        assert post["url"].startswith(f"https://www.reddit.com/r/{post['channel']}/comments/")
        assert [m["type"] for m in post.get("media", [])] == media
        assert post["text"]
        assert "&amp;" not in post["text"]
    if text_start is not None:
        assert listing.posts[0]["text"].startswith(text_start)


@pytest.mark.parametrize("name", ERRORS)
def test_error_bodies_are_not_listings(name: str) -> None:
    with pytest.raises(ValueError, match="not a Listing"):
        parse_listing((FOLDER / name).read_bytes())
