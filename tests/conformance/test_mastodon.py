"""Conformance: every captured Mastodon payload in ../shared/fixtures/sources/mastodon is parsed
(timelines, single statuses, error bodies, SSE streams, media examples, Link headers) and the
posts match expectations written from the raw payloads; every post validates as post.v1."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from services.collector.sources.mastodon import (
    SSEParser,
    _media,
    parse_event,
    parse_link_header,
    parse_status,
    parse_timeline,
)
from services.runtime.messages import post_errors
from tests.conftest import SHARED

DIR = SHARED / "fixtures" / "sources" / "mastodon"
LOCAL = "localhost:3000"  # the recorded instance (REST); its streaming server was :4000

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not DIR.exists(), reason="../shared/fixtures/sources is not present"),
]

TAG = "fgiztsshwiaqqiztpmmjbtvmescsculuvmgjgopwoeidbcrixp"


def timeline(name: str) -> list[dict[str, Any]]:
    parsed, reject = parse_timeline((DIR / name).read_bytes(), LOCAL)
    assert reject is None
    assert all(p.post is not None for p in parsed), [p.reject for p in parsed]
    posts = [p.post for p in parsed if p.post is not None]
    assert all(post_errors(p) == [] for p in posts)
    return posts


def single(name: str) -> dict[str, Any]:
    raw = (DIR / name).read_bytes()
    parsed = parse_status(raw, orjson.loads(raw), LOCAL)
    assert parsed.post is not None, parsed.reject
    assert post_errors(parsed.post) == []
    return parsed.post


def meta(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((DIR / name).read_text())
    return value


def test_paging_a_tag_timeline_gives_every_toot_once() -> None:
    pages = [
        "tag_timeline_page1_limit10.json",
        "tag_timeline_page2_max_id.json",
        "tag_timeline_page3_max_id.json",
        "tag_timeline_page4_max_id_empty.json",
    ]
    posts = [p for page in pages for p in timeline(page)]
    assert len(posts) == len({p["id"] for p in posts}) == 30
    by_number = {int(p["text"].split()[2].rstrip("!")): p for p in posts}
    assert sorted(by_number) == list(range(30))
    toot = by_number[29]
    assert toot["id"] == f"mastodon:{LOCAL}/117020582251615632"
    assert toot["text"] == f"Toot number 29! #{TAG}"
    assert toot["created_at"] == "2026-08-01T13:53:00.550Z"
    assert toot["url"] == "http://localhost:3000/@mastodonpy_test_2/117020582251615632"
    assert toot["lang"] == "ja"
    assert toot["author"] == {
        "id": "http://localhost:3000/ap/users/117020566092212359",
        "handle": f"mastodonpy_test_2@{LOCAL}",
        "url": "http://localhost:3000/@mastodonpy_test_2",
    }
    assert by_number[0]["created_at"] == "2026-08-01T13:52:56.988Z"
    assert timeline("tag_timeline_min_id_empty.json") == []


@pytest.mark.parametrize(
    "name",
    [
        "tag_timeline_hoot",
        "tag_timeline_page1_limit10",
        "tag_timeline_page2_max_id",
        "tag_timeline_page3_max_id",
        "public_timeline",
    ],
)
def test_link_headers_point_past_both_ends_of_the_page(name: str) -> None:
    links = parse_link_header(meta(f"{name}.meta.json")["headers"]["link"])
    raw = orjson.loads((DIR / f"{name}.json").read_bytes())  # newest first, as served
    assert parse_qs(urlsplit(links["next"]).query)["max_id"] == [raw[-1]["id"]]
    assert parse_qs(urlsplit(links["prev"]).query)["min_id"] == [raw[0]["id"]]


@pytest.mark.parametrize("name", ["tag_timeline_min_id_empty", "tag_timeline_page4_max_id_empty"])
def test_empty_pages_have_no_link_header(name: str) -> None:
    assert parse_link_header(meta(f"{name}.meta.json")["headers"].get("link")) == {}


def test_public_timeline() -> None:
    posts = timeline("public_timeline.json")
    texts = {p["id"].rsplit("/", 1)[1]: p["text"] for p in posts}
    assert texts == {
        "117020574694606796": "I have never stolen a ham in my life.",
        "117020582721532745": "nice",
        "117020586180926938": "the best editor? why, of course it is the KDE Advanced Text Editor, Kate",
        "117020588169351887": "@mastodonpy_test beep beep I'm a jeep",  # mention kept as text
        "117020588242324937": "on the internet, nobody knows you're a plane",
        "117020590477318485": "it's cool guy too",
        "117020592137523525": "you can't say that on television",
        "117020593378945190": "Toot, finally!",
    }
    assert [p["created_at"] for p in posts] == sorted(p["created_at"] for p in posts)


def test_hashtag_timeline() -> None:
    (post,) = timeline("tag_timeline_hoot.json")
    assert post["id"] == f"mastodon:{LOCAL}/117020593741189701"
    assert post["text"] == "#hoot (hashtag toot)"


@pytest.mark.parametrize(
    ("name", "media"),
    [
        (
            "status_with_two_image_attachments.json",
            [
                {
                    "type": "image",
                    "url": "http://localhost:3000/system/media_attachments/files/117/020/576/646/493/592/original/963111bc1b0bd6b6.jpg",
                    "alt": "John Lennon doing a funny walk",
                },
                {
                    "type": "image",
                    "url": "http://localhost:3000/system/media_attachments/files/117/020/576/661/238/952/original/c71a1b53ce29a852.jpg",
                    "alt": "hololives #1 detective, watson ameliachan",
                },
            ],
        ),
        (
            "status_with_video_attachment.json",
            [
                {
                    "type": "video",
                    "url": "http://localhost:3000/system/media_attachments/files/117/020/575/776/246/986/original/eeff5cc9d35a00aa.mp4",
                    "alt": "me when a cat",
                }
            ],
        ),
    ],
)
def test_media_alt_texts(name: str, media: list[dict[str, Any]]) -> None:
    post = single(name)
    assert post["media"] == media
    assert post["text"] == "LOL check this out"
    assert post["author"]["name"] == "John Lennon"


def test_documented_status_entity() -> None:
    post = single("docs_status_entity_example.json")
    assert post["id"] == "mastodon:mastodon.social/103270115826048975"
    assert post["created_at"] == "2019-12-08T03:48:33.901Z"
    assert post["url"] == "https://mastodon.social/@Gargron/103270115826048975"
    # entities decoded; the link's hidden spans give the whole URL back
    assert post["text"] == (
        '"I lost my inheritance with one wrong digit on my sort code"\n\n'
        "https://www.theguardian.com/money/2019/dec/07/"
        "i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code"
    )
    assert post["metrics"] == {"replies": 5, "reposts": 6, "likes": 11}


def test_documented_media_attachments() -> None:
    media = _media(json.loads((DIR / "docs_media_attachment_examples.json").read_text()))
    assert [(m["type"], m.get("alt")) for m in media] == [
        ("image", "test media description"),
        ("video", None),
        ("gif", None),  # gifv
        ("audio", None),
    ]
    assert all(m["url"].startswith("https://files.mastodon.social/") for m in media)


def test_an_error_body_is_not_a_timeline() -> None:
    parsed, reject = parse_timeline(
        (DIR / "error_401_home_timeline_anonymous.json").read_bytes(), LOCAL
    )
    assert parsed == []
    assert reject is not None
    assert reject.reason == "schema_invalid"
    assert meta("error_401_home_timeline_anonymous.meta.json")["status"]["code"] == 401


def stream(name: str, instance: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for event in SSEParser().feed((DIR / name).read_bytes()):
        parsed = parse_event(event, instance)
        if parsed is None:
            out.append((event.event, None))
        else:
            assert parsed.post is not None, parsed.reject
            assert post_errors(parsed.post) == []
            out.append((event.event, parsed.post))
    return out


def test_public_stream_documentation() -> None:
    events = stream("docs_public_stream_examples.sse.txt", "mastodon.social")
    assert [(e, p and p["id"]) for e, p in events] == [
        # a status from mstdn.jp seen through mastodon.social keeps its origin id
        ("update", "mastodon:mstdn.jp/108914354891945610"),
        ("delete", None),
        ("status.update", "mastodon:ruby.social/109348684454557541"),
    ]
    first = events[0][1]
    assert first["url"] == "https://mstdn.jp/@aiueohisama/108914354891945610"
    assert first["author"]["handle"] == "aiueohisama@mstdn.jp"
    assert first["text"].startswith("処女の子が「処女だから")
    edit = events[2][1]
    assert edit["text"] == (
        "#musicTuesday\n\nHere's a solo #piano track of mine called Gravity Assist\n\n"
        "#neoclassical (#jazz ish)\n\n"
        "https://cstudios.bandcamp.com/track/celestia-gravity-assist-no-19-var-2"
    )


def test_hashtag_and_local_stream_documentation() -> None:
    hashtag = stream("docs_hashtag_stream_examples.sse.txt", "mastodon.social")
    assert [(e, p and p["text"]) for e, p in hashtag][:2] == [("update", "#test"), ("delete", None)]
    local = stream("docs_local_stream_examples.sse.txt", "mastodon.social")
    assert [(e, p and p["id"]) for e, p in local] == [
        ("update", "mastodon:mastodon.social/108914398911648589"),
        ("delete", None),
        ("status.update", "mastodon:mastodon.social/109348699525106378"),
    ]
    # the parent's author is local to the instance asked: the reply ref is derivable
    assert local[2][1]["refs"] == {"reply_to": "mastodon:mastodon.social/109348674754176227"}


def test_recorded_streams() -> None:
    user = stream("streaming_user.sse.txt", LOCAL)
    assert [(e, p and p["id"]) for e, p in user] == [
        ("update", f"mastodon:{LOCAL}/117024248092393661")
    ]
    assert user[0][1]["text"] == "it's cool guy"
    assert user[0][1]["created_at"] == "2026-08-02T05:25:16.840Z"
    direct = stream("streaming_direct.sse.txt", LOCAL)
    assert direct == [("conversation", None)]  # not a post
    assert SSEParser().feed((DIR / "streaming_health.txt").read_bytes()) == []


def test_every_file_is_covered() -> None:
    covered = {
        "docs_hashtag_stream_examples.sse.txt", "docs_local_stream_examples.sse.txt",
        "docs_media_attachment_examples.json", "docs_public_stream_examples.sse.txt",
        "docs_status_entity_example.json", "error_401_home_timeline_anonymous.json",
        "public_timeline.json", "status_with_two_image_attachments.json",
        "status_with_video_attachment.json", "streaming_direct.sse.txt", "streaming_health.txt",
        "streaming_user.sse.txt", "tag_timeline_hoot.json", "tag_timeline_min_id_empty.json",
        "tag_timeline_page1_limit10.json", "tag_timeline_page2_max_id.json",
        "tag_timeline_page3_max_id.json", "tag_timeline_page4_max_id_empty.json",
    }  # fmt: skip
    present = {
        p.name for p in DIR.iterdir() if not p.name.endswith(".meta.json") and p.suffix != ".md"
    }
    assert present == covered
