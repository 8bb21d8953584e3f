"""Conformance: every captured Jetstream payload in ../shared/fixtures/sources/bluesky_jetstream
is parsed, and the posts match expectations written from the raw events (ids, times, URLs, text,
languages, media alt, reply refs); identity, account, like, delete and other events are not
posts; every post validates as post.v1."""

from __future__ import annotations

import json
from typing import Any

import pytest
from services.collector.sources.bluesky import parse_frame
from services.runtime.messages import post_errors
from tests.conftest import SHARED

DIR = SHARED / "fixtures" / "sources" / "bluesky_jetstream"

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not DIR.exists(), reason="../shared/fixtures/sources is not present"),
]

# (did, rkey, created_at, lang, reply parent "did/rkey", start of the text) for every post
# create in the capture, in capture order.
CAPTURED_POSTS = [
    ("did:plc:dclwtltrt2ggsryagfzk7dp4", "3mptbyoeyc22k", "2026-07-04T14:38:06.240Z", "en", None, "https://www.youtube.com/watch?v=V5lDo-jw8mA"),
    ("did:plc:amnbije7mr5g3pgxuun7q44o", "3mptbyqhi7s2f", "2026-07-04T14:38:08.420Z", "ja", None, "待って天幕のジャードゥーガル観ようと"),
    ("did:plc:o2rolxey6s5k7d4lxcz3inl4", "3mptbyp7lu223", "2026-07-04T14:38:07.112Z", "ko", "did:plc:i5y2f3gtpjxs3qg6fwgb6jb4/3mpt7u2vlgs2c", "이쁘시네용~~~"),
    ("did:plc:d3blkgynnwi3rp7vak25pfe3", "3mptbyo7dms2m", "2026-07-04T14:38:06.055Z", "en", "did:plc:vqr6qcne2dya6o46z2citxdk/3mpt6d6eu5k2p", "Read the part about throwing off"),
    ("did:plc:tn3hni2jpphsgl6amfbb7ja6", "3mptbypfywk2v", "2026-07-04T14:38:07.323Z", "de", None, "#HowToTellAiToShutUp!\n\nThese days"),
    ("did:plc:u4lmvw4wwzaql3z5kcf3r7h4", "3mptbyospqk2i", "2026-07-04T14:38:06.690Z", "tr", None, "Going under a band's event post"),
    ("did:plc:u4lmvw4wwzaql3z5kcf3r7h4", "3mptbyou7ls2i", "2026-07-04T14:38:06.691Z", "tr", "did:plc:u4lmvw4wwzaql3z5kcf3r7h4/3mptbyospqk2i", "The government you're trying"),
    ("did:plc:u4lmvw4wwzaql3z5kcf3r7h4", "3mptbyoumc22i", "2026-07-04T14:38:06.692Z", "tr", "did:plc:u4lmvw4wwzaql3z5kcf3r7h4/3mptbyou7ls2i", "even know the country's election"),
    ("did:plc:t2yw5frug3pu4nmygjiq7vln", "3mptbypky4c27", "2026-07-04T14:38:07.486Z", "en", "did:plc:e2mt5exdcni67eeoj32hqxc4/3mpt2odmuns24", "My show is super boring"),
    # createdAt "2026-07-04T14:38:02+00:00" (not Z) and langs ["en-US", "en"]
    ("did:plc:ybqkf2mtfbwx3qhga63mttja", "3mptbyoigog2b", "2026-07-04T14:38:02.000Z", "en-US", None, "Has anyone properly debunked Tic Tac video?\n\nhttps://www.ufofeed.com/266486/"),
    ("did:plc:zcxfgub447re7p3vuvlw37wy", "3mptbypjm6224", "2026-07-04T14:38:07.440Z", "en", None, "Mount Rushmore and that"),
    ("did:plc:f4vi4bkamzhaw25jxlfogozc", "3mptbypockk2v", "2026-07-04T14:38:07.594Z", "en", "did:plc:w6adnkpcgqb67lqi5nxcy7l5/3mprkmdz5nc25", "Make MAGA-pliant institutions uninsurable."),
    ("did:plc:ajg5c7huhiibhwandhdscpdq", "3mptbyproxc2q", "2026-07-04T14:38:07.706Z", "en", "did:plc:ippiobxpsddnkzd6ms2dbpcy/3mptbvznwf22c", ""),
    # no langs; a link label "denikn.cz/2113523" without ellipsis gets its scheme back
    ("did:plc:fe7cz462lvsuhadx6z35orni", "3mptbypt22l26", "2026-07-04T14:38:07.732Z", None, None, "https://denikn.cz/2113523\nV souvislosti"),
    ("did:plc:imaoo4sjelfd6cbg5yinjjfq", "3mptbypqqok2f", "2026-07-04T14:38:07.674Z", "en", "did:plc:7ksdam22ggjg7pi5u5v4da2d/3mpscmaf2zc2x", "Makes you wonder"),
    ("did:plc:6aw7u7xjbaiznddugigmdhvc", "3mptbxs3hq22j", "2026-07-04T14:37:36.557Z", "ru", None, "Вечерок с Аватаром"),
    ("did:plc:ynfp6wddjqpl44gordpsqkuw", "3mptbyo7tas2u", "2026-07-04T14:38:06.071Z", "es", None, "\"Behind them, Timmi"),
]  # fmt: skip


def frames(name: str) -> list[bytes]:
    return [line for line in (DIR / name).read_bytes().splitlines() if line.strip()]


def outcome(raw: bytes) -> tuple[str, Any]:
    p = parse_frame(raw)
    if p.post is not None:
        assert post_errors(p.post) == [], p.post
        return "post", p.post
    if p.reject is not None:
        return "reject", p.reject
    return "skip", None


def test_every_event_of_the_full_capture() -> None:
    lines = frames("jetstream_v1_capture_all_collections.jsonl")
    manifest = json.loads((DIR / "capture_manifest.json").read_text())
    assert len(lines) == manifest["v1_events"]
    results = [outcome(raw) for raw in lines]
    assert [k for k, _ in results].count("reject") == 0
    posts = [p for k, p in results if k == "post"]
    assert len(posts) == len(CAPTURED_POSTS) == 17  # the creates in app.bsky.feed.post
    for post, (did, rkey, created, lang, parent, text) in zip(posts, CAPTURED_POSTS, strict=True):
        assert post["id"] == f"bluesky:{did}/{rkey}"
        assert post["url"] == f"https://bsky.app/profile/{did}/post/{rkey}"
        assert post["created_at"] == created
        assert post.get("lang") == lang
        assert (post.get("refs") or {}).get("reply_to") == (f"bluesky:{parent}" if parent else None)
        assert post["text"].startswith(text)
        assert post["author"] == {"id": did, "url": f"https://bsky.app/profile/{did}"}
    # the checkpoint cursor is the event time in microseconds, for every kind of event
    assert all(parse_frame(raw).time_us for raw in lines)


def test_the_posts_subset_gives_the_same_posts() -> None:
    full = [
        p
        for k, p in map(outcome, frames("jetstream_v1_capture_all_collections.jsonl"))
        if k == "post"
    ]
    subset = [outcome(raw) for raw in frames("jetstream_v1_capture_posts_subset.jsonl")]
    assert [p for k, p in subset if k == "post"] == full
    assert [k for k, _ in subset].count("skip") == 3  # one delete, one identity, one account


EVENTS = {
    "event_post_images_facets_tags.json": {
        "id": "bluesky:did:plc:ynfp6wddjqpl44gordpsqkuw/3mptbyo7tas2u",
        "created_at": "2026-07-04T14:38:06.071Z",
        "lang": "es",
        # the shortened link label becomes the facet's URI; hashtags stay text
        "text": '"Behind them, Timmi and Wanky\'u follow silently but as fast as possible."\n\n'
        "https://www.tumblr.com/tempo-tales/765681292369166336/behind-them-timmi-and-wankyu-"
        "follow-silently-but?source=share\n\n#talesatwonderworld\n#balanwonderworldoc",
        "media": [
            {
                "type": "image",
                "url": "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:ynfp6wddjqpl44gordpsqkuw/"
                "bafkreidrnwt23f7wy7fyfex5acdkxh62wsgpg245ame4c4rogfwb3upyaa@jpeg",
            }
        ],  # alt is "" in the capture: no alt
    },
    "event_post_images_ru.json": {
        "id": "bluesky:did:plc:6aw7u7xjbaiznddugigmdhvc/3mptbxs3hq22j",
        "lang": "ru",
        "text": "Вечерок с Аватаром, дошли и в мульте до Тоф 😍🔥\n\nТакая крутышка, я не могу :",
        "media": [
            {
                "type": "image",
                "url": "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:6aw7u7xjbaiznddugigmdhvc/"
                "bafkreicwsq23gkygrgpijv7ocssxdyjokfv3quss3f2dg4csds3jpeqkwe@jpeg",
            }
        ],
    },
    "event_post_reply.json": {
        "id": "bluesky:did:plc:o2rolxey6s5k7d4lxcz3inl4/3mptbyp7lu223",
        "text": "이쁘시네용~~~",
        "refs": {"reply_to": "bluesky:did:plc:i5y2f3gtpjxs3qg6fwgb6jb4/3mpt7u2vlgs2c"},
    },
    "event_post_reply_external_embed.json": {
        "id": "bluesky:did:plc:ajg5c7huhiibhwandhdscpdq/3mptbyproxc2q",
        "text": "",
        # a GIF picked in the app: its alt text travels as "ALT: ..." in the card description
        "media": [
            {
                "type": "gif",
                "url": "https://static.klipy.com/ii/f87f46a2c5aeaeed4c68910815f73eaf/7d/09/"
                "g1bpFVOm.gif?hh=498&ww=498&mp4=IrGBygbn&webm=1Tnl61JE",
                "alt": "Ariana Grande Crying: Acheimagra Stan Twitter",
            }
        ],
        "refs": {"reply_to": "bluesky:did:plc:ippiobxpsddnkzd6ms2dbpcy/3mptbvznwf22c"},
    },
    "event_post_link_facet_external_embed.json": {
        "id": "bluesky:did:plc:dclwtltrt2ggsryagfzk7dp4/3mptbyoeyc22k",
        "created_at": "2026-07-04T14:38:06.240Z",
        "text": "https://www.youtube.com/watch?v=V5lDo-jw8mA",
        "media": [
            {
                "type": "link",
                "url": "https://www.youtube.com/watch?v=V5lDo-jw8mA",
                "alt": "What does America's 250th anniversary mean to Native Americans?",
            }
        ],
    },
}


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_single_post_events(name: str) -> None:
    kind, post = outcome(json.dumps(json.loads((DIR / name).read_text())).encode())
    assert kind == "post"
    for key, value in EVENTS[name].items():
        assert post.get(key) == value, key


@pytest.mark.parametrize(
    "name",
    [
        "event_post_delete.json",
        "event_identity.json",
        "event_account.json",
        "event_like_create.json",
    ],
)
def test_events_that_are_not_posts(name: str) -> None:
    assert outcome((DIR / name).read_bytes()) == ("skip", None)


def test_documentation_examples() -> None:
    examples = json.loads((DIR / "docs_legacy_readme_example_events.json").read_text())
    assert {name: outcome(json.dumps(e).encode())[0] for name, e in examples.items()} == {
        "commit_like_create": "skip",
        "commit_follow_delete": "skip",
        "identity": "skip",
        "account": "skip",
    }
    # a client->server message is not an event: rejected, never taken for a post
    kind, reject = outcome((DIR / "docs_options_update_client_message.json").read_bytes())
    assert kind == "reject"
    assert reject.reason == "schema_invalid"
