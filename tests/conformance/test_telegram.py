"""Conformance: every captured Telegram web-preview page in ../shared/fixtures/sources/
telegram_web parses to the posts we expect (ids, times, URLs, text, media, refs, views)."""

from __future__ import annotations

import pytest
from services.collector.sources.telegram import parse_page
from services.runtime.messages import post_errors
from tests.conftest import SHARED

pytestmark = pytest.mark.conformance

FOLDER = SHARED / "fixtures" / "sources" / "telegram_web"
if not FOLDER.is_dir():
    pytest.skip("../shared/fixtures/sources is not present", allow_module_level=True)

EXPECTED = {
    "channel_ClashReport_s_page_trimmed.html": {
        "before": 93429,
        "posts": {
            "telegram:clashreport/93429": {
                "created_at": "2026-08-24T03:46:52.000Z",
                "url": "https://t.me/ClashReport/93429",
                "text_start": "U.S. Treasury Secretary Scott Bessent says Washington",
                "text_end": "Iranian economy.\n\nSource: FT",
                "media": ["image"],
                "views": 3120,
            },
            "telegram:clashreport/93430": {
                "created_at": "2026-08-24T03:55:52.000Z",
                "url": "https://t.me/ClashReport/93430",
                "text_start": "Ukrainian drones targeted three Ozon logistics hubs",
                "text_end": "rival retailer Wildberries.",
                "media": ["video"],
                "views": 2880,
            },
            "telegram:clashreport/93433": {
                "created_at": "2026-08-24T03:58:11.000Z",
                "url": "https://t.me/ClashReport/93433",
                "text_start": "Britain will support Ukraine’s long-range missile production",
                "text_end": "SCALP cruise missile.",
                "media": [],
                "views": 2980,
                "reply_to": "telegram:clashreport/93428",
            },
            "telegram:clashreport/93447": {
                "created_at": "2026-08-24T07:08:04.000Z",
                "url": "https://t.me/ClashReport/93447",
                "text_start": "Putin:\n\nYou want to disrupt our logistics?",
                "text_end": "much more destructive.",
                "media": ["video"],
                "views": 846,
            },
        },
    },
}


def test_every_capture_has_expectations() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.html")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_capture(name: str) -> None:
    page = parse_page((FOLDER / name).read_bytes())
    expected = EXPECTED[name]
    assert page.rejects == []
    assert page.before == expected["before"]
    posts = {p["id"]: p for p in page.posts}
    assert list(posts) == list(expected["posts"])  # oldest first, as on the page
    for post_id, want in expected["posts"].items():
        post = posts[post_id]
        assert post_errors(post) == []
        assert post["source"] == "telegram"
        assert post["created_at"] == want["created_at"]
        assert post["url"] == want["url"]
        assert post["text"].startswith(want["text_start"])
        assert post["text"].endswith(want["text_end"])
        assert "<" not in post["text"]
        assert "&amp;" not in post["text"]
        assert [m["type"] for m in post.get("media", [])] == want["media"]
        assert all(
            m["url"].startswith("https://cdn4.telesco.pe/file/") for m in post.get("media", [])
        )
        assert post["metrics"] == {"views": want["views"]}
        assert post.get("refs", {}).get("reply_to") == want.get("reply_to")
        assert post["author"]["name"] == "Clash Report"
        assert post["channel"] == "ClashReport"
