"""Conformance: every captured X API v2 payload in ../shared/fixtures/sources/x_twitter is parsed
(stream lines, the framed HTTP body with keep-alives, the truncated capture, tweet lookups,
search results, documentation examples) and the posts match expectations written from the
raw payloads (ids, times, URLs, text, media, geo, refs); every post validates as post.v1."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from services.collector.sources.x import LineSplitter, Message, parse_message
from services.runtime.messages import post_errors
from tests.conftest import SHARED

DIR = SHARED / "fixtures" / "sources" / "x_twitter"

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not DIR.exists(), reason="../shared/fixtures/sources is not present"),
]

# (tweet id, author, geo, refs) of the 2021 stream capture, in order; line 5 is the
# operational-disconnect message and the last tweet was delivered twice.
STREAM = [
    ("1377650090978992134", "blackheart_265", {"kind": "place_tag", "place": "Malawi"},
     {"quote_of": "x:1377640162566496258"}),
    ("1377650093109743620", "sheelaghb18",
     {"kind": "place_tag", "place": "Bournemouth, England", "lat": 50.742268, "lon": -1.852607},
     {"reply_to": "x:1377266697850257410"}),
    # a geotag: GeoJSON [lon, lat] read the right way round, the place named
    ("1377650277642338305", "dreasaurusrex92",
     {"kind": "geotag", "lat": 34.75192228, "lon": -86.58216981, "place": "Huntsville, AL"}, None),
    ("1377650387579248643", "OpenMindMH",
     {"kind": "place_tag", "place": "Wandsworth, London", "lat": 51.451656, "lon": -0.193719}, None),
    ("1377650459033280516", "courtney_fromm",
     {"kind": "place_tag", "place": "Denver, CO", "lat": 39.713563, "lon": -104.922093},
     {"reply_to": "x:1377645742874038274"}),
    ("1377650500687044618", "RealProstateDoc",
     {"kind": "place_tag", "place": "Chicago, IL", "lat": 41.833584, "lon": -87.732013},
     {"reply_to": "x:1377299822399528963"}),
    ("1377650529766154240", "ArborRidge1",
     {"kind": "geotag", "lat": 36.08795, "lon": -79.91655, "place": "Greensboro, NC"}, None),
    ("1377650529766154240", "ArborRidge1",
     {"kind": "geotag", "lat": 36.08795, "lon": -79.91655, "place": "Greensboro, NC"}, None),
]  # fmt: skip


def lines(name: str) -> list[Message]:
    return [parse_message(line) for line in (DIR / name).read_bytes().splitlines()]


def posts_of(messages: list[Message]) -> list[dict[str, Any]]:
    posts = [p for m in messages for p in m.posts]
    assert all(post_errors(p) == [] for p in posts)
    return posts


def test_stream_lines() -> None:
    messages = lines("filtered_stream_lines_derived.jsonl")
    assert [m.disconnect for m in messages].index("OperationalDisconnect") == 4
    posts = posts_of(messages)
    assert len(posts) == len(STREAM)
    for post, (tweet_id, username, geo, refs) in zip(posts, STREAM, strict=True):
        assert post["id"] == f"x:{tweet_id}"
        assert post["url"] == f"https://x.com/{username}/status/{tweet_id}"
        assert post["author"]["handle"] == username
        assert post["geo"] == geo
        assert post.get("refs") == refs
        assert post["lang"] == "en"
        assert "https://t.co/" not in post["text"]
    assert [m.rejects for m in messages] == [[]] * 9


def test_stream_texts_times_and_media() -> None:
    posts = {p["id"]: p for p in posts_of(lines("filtered_stream_lines_derived.jsonl"))}
    first = posts["x:1377650090978992134"]
    assert first["text"] == (
        "Fury https://twitter.com/blackheart_265/status/1377650090978992134/photo/1 "
        "https://twitter.com/Manie_DS/status/1377640162566496258"
    )
    assert first["created_at"] == "2021-04-01T15:52:31.000Z"
    assert first["media"] == [
        {"type": "image", "url": "https://pbs.twimg.com/media/Ex5ldKwXEAEnEnI.jpg"}
    ]
    assert first["author"] == {
        "id": "4602771083",
        "handle": "blackheart_265",
        "name": "Endangered Species",
        "url": "https://x.com/blackheart_265",
    }
    assert first["metrics"] == {"replies": 0, "reposts": 0, "likes": 0, "quotes": 0}
    assert posts["x:1377650277642338305"]["text"].endswith(
        "@ Goin to the Dogs and Cats Grooming https://www.instagram.com/p/CNIQbqSrZRL/?igshid=je3jmv61ndpu"
    )
    assert posts["x:1377650387579248643"]["text"].startswith(
        "Sometimes I wish she would just relax😅😘🐶\n#DogsofTwitter #dogs"
    )
    assert "channel" not in first  # the 2021 rule had no tag (and a numeric id)


def test_the_framed_http_body_gives_the_same_messages_as_the_lines() -> None:
    body = (DIR / "filtered_stream_http_body_derived.txt").read_bytes()
    splitter = LineSplitter()
    messages = []
    for i in range(0, len(body), 1000):  # reads that cut messages anywhere
        messages.extend(parse_message(line) for line in splitter.feed(body[i : i + 1000]))
    assert splitter.rest() == b""
    assert sum(m.keepalive for m in messages) == 4
    assert [m for m in messages if not m.keepalive] == lines("filtered_stream_lines_derived.jsonl")


def test_the_recorders_extra_key_changes_nothing() -> None:
    assert posts_of(lines("twarc_csv_streaming_output_verbatim.jsonl")) == posts_of(
        lines("filtered_stream_lines_derived.jsonl")
    )


def test_a_capture_cut_off_mid_line() -> None:
    messages = lines("twarc_csv_streaming_output_truncated_last_line_verbatim.jsonl")
    *whole, cut = messages
    assert [r.reason for r in cut.rejects] == ["undecodable"]
    assert cut.rejects[0].raw.startswith(b'{"data": {"author_id": "1021159080151404544"')
    assert [p["id"] for p in posts_of(whole)] == [f"x:{t[0]}" for t in STREAM[:7]]


def test_geo_lookup() -> None:
    (message,) = lines("twarc_csv_geo_tweets_lookup_verbatim.jsonl")[:1]
    posts = posts_of(lines("twarc_csv_geo_tweets_lookup_verbatim.jsonl"))
    by_id = {p["id"]: p for p in posts}
    # coordinates without a place: a geotag, [lon, lat] as GeoJSON says
    assert by_id["x:1249702384659554308"]["geo"] == {
        "kind": "geotag",
        "lat": 88.01785747,
        "lon": 42.77810097,
    }
    assert by_id["x:1249702384659554308"]["lang"] == "pl"
    berlin = by_id["x:1501963039859363843"]
    assert berlin["geo"] == {
        "kind": "place_tag",
        "place": "Berlin, Germany",
        "lat": 52.506701,
        "lon": 13.424606,
    }
    assert "Fields & Expansions" in berlin["text"]  # &amp; decoded
    assert berlin["text"].endswith("https://twarc-project.readthedocs.io/en/latest/twarc2_en_us/")
    assert berlin["refs"] == {"reply_to": "x:1501958949863661574"}
    assert berlin["metrics"]["likes"] == 3
    assert message.rejects == []


def test_media_lookup() -> None:
    (post,) = posts_of(lines("twarc_csv_media_tweet_lookup_verbatim.jsonl"))
    assert post["id"] == "x:1558553189766631429"
    assert post["created_at"] == "2022-08-13T20:36:51.000Z"
    assert post["media"] == [
        {
            "type": "video",  # the highest-bitrate mp4 of the variants
            "url": "https://video.twimg.com/ext_tw_video/1558552952549277696/pu/vid/1280x720/WiZrNZKT2lMzK5zA.mp4?tag=12",
        }
    ]
    assert post["geo"] == {"kind": "profile", "place": "Ireland"}  # only the profile says where
    assert post["metrics"] == {"replies": 3, "reposts": 13, "likes": 93, "quotes": 7}


def test_search_results_without_created_at_are_rejected_not_guessed() -> None:
    body = orjson.dumps(orjson.loads((DIR / "tweepy_search_recent_response.json").read_bytes()))
    message = parse_message(body)
    assert message.posts == []
    assert {r.reason for r in message.rejects} == {"schema_invalid"}
    assert all("created_at" in r.detail for r in message.rejects)
    headers = json.loads((DIR / "tweepy_search_recent_response.meta.json").read_text())["headers"]
    assert headers["x-rate-limit-reset"].isdigit()  # unix seconds, as the stream shell reads it


def test_documentation_examples() -> None:
    examples = json.loads((DIR / "docs_x_api_examples.json").read_text())
    found = {
        k.split(" (")[0]: parse_message(orjson.dumps(v))
        for k, v in examples.items()
        if k != "source"
    }
    (post,) = found["stream_message_example"].posts
    assert post["id"] == "x:1234567890"
    assert post["text"] == "Look at this cute cat! 🐱"
    assert post["url"] == "https://x.com/catperson/status/1234567890"
    assert post["channel"] == "cats with images"
    assert post["created_at"] == "2024-01-15T10:35:00.000Z"
    assert found["operational_disconnect"].disconnect == "UpstreamOperationalDisconnect"
    assert found["rate_limit_429_body"] == Message()
    assert found["partial_error"].posts == []  # a lookup body without created_at
    assert [r.reason for r in found["too_many_connections"].rejects] == ["schema_invalid"]
    assert [r.reason for r in found["invalid_request_problem"].rejects] == ["schema_invalid"]
    assert found["rules_add_response"].posts == []
