"""Slack rendering: hostile post text stays inert (no mention, no channel link, no spoofed link),
every message stays within Block Kit limits, evidence is highlighted and long text is cut with
an ellipsis and the link. The limits checker here is written from Slack's documentation, apart
from the renderer, so it can disagree with it."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from services.alerter import slack
from tests.helpers.alerts import sample_alert

pytestmark = pytest.mark.unit

LINK = re.compile(r"<(https?://[^|<>\s]+)\|([^<>]*)>")
BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def text_objects(payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (block type, text object) in a message."""
    out = []
    for block in payload["blocks"]:
        if "text" in block:
            out.append((block["type"], block["text"]))
        for f in block.get("fields", []):
            out.append(("field", f))
        for e in block.get("elements", []):
            out.append(("context", e))
    return out


def limit_problems(payload: dict[str, Any]) -> list[str]:
    """Block Kit limits for messages, from Slack's reference."""
    problems = []
    blocks = payload["blocks"]
    if not 1 <= len(blocks) <= 50:
        problems.append(f"{len(blocks)} blocks")
    for block in blocks:
        kind = block["type"]
        if kind == "header" and (
            block["text"]["type"] != "plain_text" or u16(block["text"]["text"]) > 150
        ):
            problems.append("header")
        if kind == "section":
            if "text" in block and u16(block["text"]["text"]) > 3000:
                problems.append("section text")
            if len(block.get("fields", [])) > 10:
                problems.append("fields count")
            if any(u16(f["text"]) > 2000 for f in block.get("fields", [])):
                problems.append("field text")
        if kind == "context":
            if not 1 <= len(block["elements"]) <= 10:
                problems.append("context elements")
            if any(u16(e["text"]) > 3000 for e in block["elements"]):
                problems.append("context text")
    for _, obj in text_objects(payload):
        if not obj["text"]:
            problems.append("empty text object")
    if u16(payload["text"]) > 40_000:
        problems.append("fallback text")
    if len(orjson.dumps(payload)) > slack.MAX_PAYLOAD_BYTES:
        problems.append("payload size")
    return problems


def live_markup(payload: dict[str, Any], allowed_urls: set[str]) -> list[str]:
    """Anything Slack would turn into a mention, a channel link or a link we did not make."""
    found = []
    texts = [(kind, obj) for kind, obj in text_objects(payload)]
    texts.append(("fallback", {"type": "mrkdwn", "text": payload["text"]}))
    for kind, obj in texts:
        text = obj["text"]
        if obj["type"] == "plain_text":
            if "<" in text or ">" in text:
                found.append(f"{kind}: angle bracket in plain_text")
        else:
            if kind != "fallback" and obj.get("verbatim") is not True:
                found.append(f"{kind}: mrkdwn without verbatim")
            for m in LINK.finditer(text):
                if m.group(1) not in allowed_urls:
                    found.append(f"{kind}: foreign link {m.group(0)!r}")
            rest = LINK.sub("", text)
            if "<" in rest or ">" in rest.replace("\n>", "\n").removeprefix(">"):
                found.append(f"{kind}: raw angle bracket in {rest!r}")
        if BROADCAST.search(text):
            found.append(f"{kind}: broadcast word")
    return found


def test_sample_renders_within_limits_and_inert() -> None:
    payload = slack.render(sample_alert())
    assert limit_problems(payload) == []
    assert live_markup(payload, {"https://t.me/rybar/51234"}) == []
    assert payload["unfurl_links"] is False
    assert payload["unfurl_media"] is False
    assert "link_names" not in payload
    quote = payload["blocks"][3]["text"]["text"]
    assert "*reportedly moved about 300 fighters to Homs*" in quote
    assert "&lt;!channel&gt;" in quote
    assert "&lt;http://evil.example|t.me/rybar&gt;" in quote
    assert "&amp; more" in quote


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<!here|here>", "&lt;!here|here&gt;"),
        ("<!everyone>", "&lt;!everyone&gt;"),
        ("<@U024BE7LH>", "&lt;@U024BE7LH&gt;"),
        ("<#C024BE7LR|general>", "&lt;#C024BE7LR|general&gt;"),
        ("<http://a|b>", "&lt;http://a|b&gt;"),
        ("<!subteam^S123|@team>", "&lt;!subteam^S123|@team&gt;"),
        ("&lt;!channel&gt;", "&amp;lt;!channel&amp;gt;"),
        ("hey @channel and @Here", "hey @\u2060channel and @\u2060Here"),
        ("a\u202eb\x00c", "abc"),
        ("email@herenow.org", "email@herenow.org"),
    ],
)
def test_escape(raw: str, escaped: str) -> None:
    assert slack.escape(raw) == escaped


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://t.me/x/1", "https://t.me/x/1"),
        ("http://a.example/?q=1&r=2", "http://a.example/?q=1&amp;r=2"),
        ("https://a.example/x|<!channel>", "https://a.example/x%7C%3C!channel%3E"),
        ("https://a.example/a b", "https://a.example/a%20b"),
        ("https://a.example/\x85\u2028x", "https://a.example/%C2%85%E2%80%A8x"),
        ("javascript:alert(1)", None),
        ("slack://channel?id=C1", None),
        ("https:///nohost", None),
        (None, None),
        (42, None),
    ],
)
def test_safe_url(url: object, expected: str | None) -> None:
    assert slack.safe_url(url) == expected


@pytest.mark.parametrize(
    ("text", "limit", "tail", "expected"),
    [
        ("short", 10, "", "short"),
        ("abcdefghij", 5, "", "abcd…"),
        ("a &amp; b", 6, "", "a…"),
        ("😀😀😀😀", 5, "", "😀😀…"),
        ("abcdefghij", 8, " <u|x>", "a… <u|x>"),
        ("abcdefghij", 3, " <u|x>", "ab…"),
    ],
)
def test_cut(text: str, limit: int, tail: str, expected: str) -> None:
    assert slack.cut(text, limit, tail) == expected
    assert u16(slack.cut(text, limit, tail)) <= limit


def test_long_post_is_cut_with_ellipsis_and_link() -> None:
    alert = sample_alert()
    alert["posts"][0]["text"] = "Convoy near Homs. " * 1000
    payload = slack.render(alert)
    quote = payload["blocks"][3]["text"]["text"]
    assert u16(quote) <= 3000
    assert quote.endswith("… <https://t.me/rybar/51234|read more>")
    assert limit_problems(payload) == []


def test_update_threaded_and_follow_up() -> None:
    alert = sample_alert(
        version=3,
        status="update",
        posts_count=4,
        new_posts_count=2,
        sources_count=3,
        severity="flash",
        severity_reason="<!here> hedged claim corroborated by 3 independent sources",
    )
    threaded = slack.render(alert, update=True, channel="C123", thread_ts="1700000000.000100")
    assert threaded["thread_ts"] == "1700000000.000100"
    assert threaded["channel"] == "C123"
    head = threaded["blocks"][0]["text"]["text"]
    assert head.startswith("*Update 3*")
    assert "4 posts from 3 independent sources (2 new)" in head
    assert "*Severity:* &lt;!here&gt; hedged claim corroborated" in head
    assert alert["title"] not in head  # in the thread the parent says which incident
    follow_up = slack.render(alert, update=True)
    assert "thread_ts" not in follow_up
    assert "Wagner Group, Homs: troop deployment" in follow_up["blocks"][0]["text"]["text"]
    for payload in (threaded, follow_up):
        assert limit_problems(payload) == []


def test_many_posts_and_entities_stay_within_limits() -> None:
    alert = sample_alert(posts_count=300, sources_count=40)
    post = alert["posts"][0]
    alert["posts"] = [
        {**post, "id": f"x:{i}", "url": f"https://x.com/a/status/{i}", "text": "ы" * 5000}
        for i in range(60)
    ]
    alert["entities"] = [
        {"id": f"e{i}", "kind": "person", "alias": "Имя " * 40} for i in range(200)
    ]
    alert["claims"] = alert["claims"] * 20
    alert["reasons"] = ["reason " * 50] * 100
    payload = slack.render(alert)
    assert limit_problems(payload) == []
    urls = {f"https://x.com/a/status/{i}" for i in range(60)}
    assert live_markup(payload, urls) == []
    assert "_and " in payload["blocks"][-2]["text"]["text"]  # "and N more" posts


HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<!channel>",
                "<!here>",
                "<!everyone>",
                "<@U024BE7LH>",
                "<#C024BE7LR|general>",
                "<http://evil.example|https://t.me/rybar>",
                "<https://evil.example>",
                "<mailto:a@b.c|x>",
                "@channel",
                "@here",
                "&lt;",
                "&gt;",
                "&amp;",
                "&",
                "|",
                ">",
                "<",
                "*",
                "`",
                "\n",
                "\n>",
                "\u202e",
                "😀",
                "reportedly moved",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=40,
).map("".join)

URLS = st.one_of(
    st.none(),
    st.just("https://t.me/rybar/51234"),
    st.builds(lambda s: "https://x.example/" + s, st.text(max_size=60)),
    st.text(max_size=60),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=HOSTILE,
    title=HOSTILE,
    evidence=HOSTILE,
    actor=HOSTILE,
    location=HOSTILE,
    author=HOSTILE,
    url=URLS,
    reason=HOSTILE,
    repeat=st.integers(min_value=1, max_value=300),
    update=st.booleans(),
)
def test_fuzzed_text_is_inert_and_within_limits(
    text: str,
    title: str,
    evidence: str,
    actor: str,
    location: str,
    author: str,
    url: str | None,
    reason: str,
    repeat: int,
    update: bool,
) -> None:
    alert = sample_alert(title=title[:300], reasons=[reason], severity_reason=reason)
    alert["claims"][0].update(actor=actor, location=location, evidence=evidence)
    post = alert["posts"][0]
    post.update(text=text * repeat, url=url, author={"name": author, "handle": author})
    alert["posts"].append({**post, "id": "x:2", "text": text})
    alert["entities"][0]["alias"] = actor
    payload = slack.render(alert, update=update)
    assert limit_problems(payload) == []
    href = slack.safe_url(url)
    allowed = {href} if href else set()
    assert live_markup(payload, allowed) == []


@pytest.mark.parametrize("limit", range(8, 20))
def test_a_cut_never_makes_a_broadcast_word(limit: int) -> None:
    """Cutting "@herenow" after "@here" would leave "@here…": the joiner goes in there too."""
    text = slack.escape("ping @herenow and @channels")
    out = slack.cut(text, limit)
    assert slack.utf16_len(out) <= limit
    assert not BROADCAST.search(out), out
