"""Slack rendering of an `alert.v1`, pure: Block Kit messages for the first notification of an
incident and compact updates (thread replies with a bot token, follow-ups without one).

Post text is hostile. Everything that comes from a post or the watchlist is escaped for mrkdwn
(`&`, `<`, `>` as entities, so `<!channel>`, `<@U…>`, `<#C…>` and `<http://a|b>` stay literal),
rendered with `verbatim: true` (Slack does not auto-link names or URLs in it), and the bare words
`@channel`, `@here` and `@everyone` get a word joiner after the `@` in case a workspace parses
them. Plain-text fields (the header) cannot carry entities, so `<` and `>` become `‹` and `›`
there. The only links in a message are the ones built here from http(s) URLs, with `|`, `<`,
`>` and spaces percent-encoded. Messages never set `link_names` and turn unfurls off.

Every message stays within Block Kit's limits (50 blocks, 3000 characters of section text, 150
of header text, 10 context elements, 2000 per section field); lengths are counted in UTF-16 code
units, as Slack counts them, and text that does not fit is cut with an ellipsis and the link to
the post. The whole payload is kept under `MAX_PAYLOAD_BYTES` by shrinking the long parts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import orjson

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
# Slack cuts a message's top-level `text` at 40,000 characters; it is only the notification
# fallback here, so it stays short. The payload cap is ours: well below anything Slack rejects.
MAX_FALLBACK_TEXT = 3000
MAX_PAYLOAD_BYTES = 24_000
ELLIPSIS = "…"

SEVERITY_BADGE = {"flash": "🟥 FLASH", "urgent": "🟧 URGENT", "routine": "🟦 ROUTINE"}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_BROADCAST = re.compile(r"@(?=(channel|here|everyone)\b)", re.IGNORECASE)
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
_WORD_JOINER = "\u2060"


def utf16_len(text: str) -> int:
    """Length as Slack counts it (UTF-16 code units: an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _clean(text: str) -> str:
    # Control and bidi-override characters could reorder or hide the text around them.
    return _BROADCAST.sub("@" + _WORD_JOINER, _CONTROL.sub("", text))


def escape(text: str) -> str:
    """Post or watchlist text made inert for a mrkdwn field."""
    text = _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def plain(text: str) -> str:
    """Text made inert for a plain_text field (no entities there)."""
    return _clean(text).replace("<", "‹").replace(">", "›")


def safe_url(url: object) -> str | None:
    """An http(s) URL fit for `<url|label>`, or None. Characters that would end the link or
    start a label, white space and unprintable characters are percent-encoded; `&` becomes
    `&amp;` as Slack asks."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    out = []
    for ch in url.strip():
        if ch in "|<>\"'`" or ch.isspace() or not ch.isprintable():
            out.append("".join(f"%{b:02X}" for b in ch.encode()))
        else:
            out.append(ch)
    return "".join(out).replace("&", "&amp;")


def link(url: object, label: str, max_url: int = 2000) -> str:
    """`<url|label>` when the URL is safe (and not longer than `max_url`), else the escaped
    label alone."""
    href = safe_url(url)
    if href is not None and len(href) > max_url:
        href = None
    label = escape(label).replace("|", "¦")
    return f"<{href}|{label}>" if href else label


def cut(text: str, limit: int, tail: str = "") -> str:
    """`text` if it fits in `limit` UTF-16 units, else cut + ellipsis + `tail`; never leaves
    half an entity (`&am…`) behind."""
    if utf16_len(text) <= limit:
        return text
    if utf16_len(ELLIPSIS + tail) > limit:
        tail = ""
    room = max(0, limit - utf16_len(ELLIPSIS + tail))
    head = text[:room]
    while utf16_len(head) > room:
        head = head[:-1]
    head = _PARTIAL_ENTITY.sub("", head)
    out = head.rstrip() + ELLIPSIS
    # A cut can end a word early and make a broadcast word of it ("@herenow" -> "@here…").
    while _BROADCAST.search(out):
        out = _BROADCAST.sub("@" + _WORD_JOINER, out)
        while utf16_len(out + tail) > limit and len(out) > 1:
            out = out[:-2].rstrip() + ELLIPSIS
    return out + tail


def fit(build: Callable[[int], str], size: int, limit: int) -> str:
    """The longest `build(n)` (n ≤ size raw characters) that fits in `limit` UTF-16 units.
    Escaping and markup make the rendered length depend on the content, so search for n; a raw
    character never renders shorter than one unit, so n > limit never fits."""
    size = min(size, limit)
    full = build(size)
    if utf16_len(full) <= limit:
        return full
    best, lo, hi = build(0), 0, size - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        candidate = build(mid)
        if utf16_len(candidate) <= limit:
            best, lo = candidate, mid
        else:
            hi = mid - 1
    return best if utf16_len(best) <= limit else cut(best, limit)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text or " ", "verbatim": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(cut(text, MAX_SECTION_TEXT))}


def _context(elements: Sequence[str]) -> dict[str, Any]:
    """A context block; callers cut each element themselves, so no link is ever cut."""
    return {
        "type": "context",
        "elements": [_mrkdwn(cut(e, MAX_SECTION_TEXT)) for e in elements if e][
            :MAX_CONTEXT_ELEMENTS
        ],
    }


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def author_label(author: object) -> str:
    if not isinstance(author, Mapping):
        return "unknown author"
    name, handle = _str(author.get("name")), _str(author.get("handle"))
    if name and handle:
        return f"{name} (@{handle.lstrip('@')})"
    return name or (f"@{handle.lstrip('@')}" if handle else "unknown author")


def count_label(count: object) -> str:
    if not isinstance(count, Mapping):
        return ""
    lo, hi = count.get("min"), count.get("max")
    if isinstance(lo, int) and isinstance(hi, int):
        return f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
    return ""


def claim_line(claim: Mapping[str, Any]) -> str:
    """Actor, count, place, stance in one line (escaped mrkdwn)."""
    parts = [
        escape(_str(claim.get("actor"))) or "unknown actor",
        escape(count_label(claim.get("count"))),
        "→ " + escape(_str(claim.get("location"))) if claim.get("location") else "",
    ]
    stance = escape(_str(claim.get("stance"))) or "unknown"
    what = escape(_str(claim.get("type")).replace("_", " ")) or "claim"
    return f"*{what.capitalize()}:* " + " · ".join(p for p in parts if p) + f" · _{stance}_"


def _spans(text: str, evidence: Sequence[str]) -> list[tuple[int, int]]:
    """Where the claims' evidence sits in the post text (case-insensitive), non-overlapping."""
    spans: list[tuple[int, int]] = []
    for ev in evidence:
        ev = ev.strip()
        if len(ev) < 3:
            continue
        m = re.search(re.escape(ev), text, re.IGNORECASE)
        if m and not any(s < m.end() and m.start() < e for s, e in spans):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def quote(text: str, evidence: Sequence[str], limit_chars: int, tail: str) -> str:
    """The post text as a mrkdwn block quote with the evidence in bold, cut to `limit_chars`
    raw characters (then ellipsis and `tail`)."""
    truncated = len(text) > limit_chars
    raw = text[:limit_chars]
    out: list[str] = []
    pos = 0
    for start, end in _spans(raw, evidence):
        out.append(escape(raw[pos:start]))
        # Bold per line (mrkdwn bold does not cross newlines); `*` inside would end it early.
        bold = [
            f"*{escape(line.strip().replace('*', '∗'))}*" if line.strip() else line
            for line in raw[start:end].split("\n")
        ]
        out.append("\n".join(bold))
        pos = end
    out.append(escape(raw[pos:]))
    body = "".join(out)
    if truncated:
        body = _PARTIAL_ENTITY.sub("", body).rstrip() + ELLIPSIS + tail
    return "\n".join(">" + line for line in body.split("\n"))


def _newest(posts: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    return max(posts, key=lambda p: _str(p.get("created_at")))


def _post_meta(post: Mapping[str, Any]) -> list[str]:
    return [
        cut(f"*Author:* {escape(author_label(post.get('author')))}", 300),
        cut(f"*Source:* {escape(_str(post.get('source')))}", 100),
        cut(f"*Posted:* {escape(_str(post.get('created_at')))}", 100),
        link(post.get("url"), "Open post") if safe_url(post.get("url")) else "",
    ]


def _quote_section(post: Mapping[str, Any], evidence: Sequence[str], budget: int) -> dict[str, Any]:
    text = _str(post.get("text"))
    tail = " " + link(post.get("url"), "read more") if safe_url(post.get("url")) else ""
    limit = min(budget, MAX_SECTION_TEXT)
    if utf16_len(tail) > limit // 2:
        tail = ""  # a link longer than the room left would be cut in half
    body = fit(lambda n: quote(text, evidence, n, tail), len(text), limit)
    return {"type": "section", "text": _mrkdwn(body)}


def header_text(alert: Mapping[str, Any], prefix: str = "") -> str:
    badge = SEVERITY_BADGE.get(_str(alert.get("severity")), "ALERT")
    return cut(f"{prefix}{badge} · {plain(_str(alert.get('title')))}", MAX_HEADER_TEXT)


def _fallback(alert: Mapping[str, Any], prefix: str = "") -> str:
    severity = _str(alert.get("severity")).upper() or "ALERT"
    return cut(f"{prefix}[{severity}] {escape(_str(alert.get('title')))}", MAX_FALLBACK_TEXT)


def _footer(alert: Mapping[str, Any]) -> dict[str, Any]:
    return _context(
        [
            f"Fieldwatch · route {escape(_str(alert.get('route')))}",
            f"incident {escape(_str(alert.get('id')))} · v{int(alert.get('version') or 1)}",
            f"sent {escape(_str(alert.get('sent_at')))}" if alert.get("sent_at") else "",
        ]
    )


def _notification_blocks(alert: Mapping[str, Any], shrink: int) -> list[dict[str, Any]]:
    posts = [p for p in alert.get("posts") or [] if isinstance(p, Mapping)]
    claims = [c for c in alert.get("claims") or [] if isinstance(c, Mapping)]
    entities = [e for e in alert.get("entities") or [] if isinstance(e, Mapping)]
    evidence = [_str(c.get("evidence")) for c in claims]
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": header_text(alert)}}
    ]
    names = []
    for e in entities:
        label = _str(e.get("name")) or _str(e.get("alias")) or _str(e.get("id"))
        kind = _str(e.get("kind"))
        names.append(f"{escape(label)} ({escape(kind)})" if kind else escape(label))
    lines = [claim_line(c) for c in claims[:3]]
    if len(claims) > 3:
        lines.append(f"_and {len(claims) - 3} more claims_")
    lines.append("*Entities:* " + (", ".join(dict.fromkeys(names)) or "none"))
    blocks.append(_section("\n".join(lines)))
    fields = [
        f"*Severity*\n{escape(_str(alert.get('severity')))}",
        f"*Score*\n{float(alert.get('score') or 0.0):.2f}",
        f"*Posts*\n{int(alert.get('posts_count') or len(posts) or 1)}",
        f"*Independent sources*\n{int(alert.get('sources_count') or 1)}",
        f"*First seen*\n{escape(_str(alert.get('first_seen')))}",
        f"*Last seen*\n{escape(_str(alert.get('last_seen')))}",
    ]
    blocks.append(
        {
            "type": "section",
            "fields": [_mrkdwn(cut(f, MAX_FIELD_TEXT)) for f in fields[:MAX_FIELDS]],
        }
    )
    if posts:
        lead = posts[0]
        blocks.append(_quote_section(lead, evidence, MAX_SECTION_TEXT // shrink))
        blocks.append(_context(_post_meta(lead)))
    reasons = [escape(_str(r)) for r in alert.get("reasons") or [] if _str(r)]
    why = []
    if _str(alert.get("severity_reason")):
        why.append(cut("*Severity:* " + escape(_str(alert["severity_reason"])), 500 // shrink))
    if reasons:
        why.append(cut("*Why:* " + "; ".join(reasons), 1500 // shrink))
    if why:
        blocks.append(_context(why))
    others = posts[1:]
    if others:
        rows: list[str] = []
        room = MAX_SECTION_TEXT - 100  # leaves room for the heading and the "and N more" line
        for p in others[:5]:
            snippet = cut(escape(" ".join(_str(p.get("text")).split())), 160 // shrink)
            where = link(p.get("url"), cut(_str(p.get("source")), 40) or "post", max_url=300)
            who = cut(escape(author_label(p.get("author"))), 100)
            when = cut(escape(_str(p.get("created_at"))), 40)
            row = f"• {where} · {who} · {when} — {snippet}"
            room -= utf16_len(row) + 1
            if room < 0:
                break  # whole rows only: a cut row could cut a link in half
            rows.append(row)
        more = int(alert.get("posts_count") or len(posts)) - 1 - len(rows)
        if more > 0:
            rows.append(f"_and {more} more_")
        blocks.append(_section("*Also reported*\n" + "\n".join(rows)))
    blocks.append(_footer(alert))
    return blocks[:MAX_BLOCKS]


def _update_blocks(
    alert: Mapping[str, Any], shrink: int, *, threaded: bool
) -> list[dict[str, Any]]:
    posts = [p for p in alert.get("posts") or [] if isinstance(p, Mapping)]
    evidence = [_str(c.get("evidence")) for c in alert.get("claims") or [] if isinstance(c, dict)]
    severity = _str(alert.get("severity"))
    badge = SEVERITY_BADGE.get(severity, "ALERT")
    head = (
        f"*Update {int(alert.get('version') or 1)}* · {badge} · "
        f"{plural(int(alert.get('posts_count') or len(posts) or 1), 'post')} from "
        f"{plural(int(alert.get('sources_count') or 1), 'independent source')}"
    )
    new_posts = alert.get("new_posts_count")
    if isinstance(new_posts, int) and new_posts > 0:
        head += f" ({new_posts} new)"
    if _str(alert.get("severity_reason")):
        head += f"\n*Severity:* {cut(escape(_str(alert['severity_reason'])), 500)}"
    if not threaded:
        # Without a thread the follow-up must say which incident it belongs to.
        head += f"\n*{escape(_str(alert.get('title')))}*"
    blocks: list[dict[str, Any]] = [_section(head)]
    if posts:
        newest = _newest(posts)
        blocks.append(_quote_section(newest, evidence, 1000 // shrink))
        blocks.append(_context(_post_meta(newest)))
    blocks.append(_footer(alert))
    return blocks


def _payload(
    blocks_for: Callable[[int], list[dict[str, Any]]], text: str, extra: Mapping[str, Any]
) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    for shrink in (1, 2, 4, 8):
        payload = {
            **extra,
            "text": text,
            "blocks": blocks_for(shrink),
            "unfurl_links": False,
            "unfurl_media": False,
            "parse": "none",
        }
        if len(orjson.dumps(payload)) <= MAX_PAYLOAD_BYTES:
            return payload
    # Still too big (hundreds of entities, say): keep the header, claim line and footer.
    blocks = payload["blocks"]
    payload["blocks"] = [blocks[0], blocks[-1]]
    return payload


def render(
    alert: Mapping[str, Any],
    *,
    update: bool = False,
    channel: str | None = None,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """The Slack message for an alert: the full notification, or (`update=True`) the compact
    update, as a thread reply when `thread_ts` is given. `channel` is for chat.postMessage."""
    extra: dict[str, Any] = {}
    if channel:
        extra["channel"] = channel
    if thread_ts:
        extra["thread_ts"] = thread_ts
    if update:
        text = _fallback(alert, "Update: ")
        threaded = thread_ts is not None
        return _payload(lambda s: _update_blocks(alert, s, threaded=threaded), text, extra)
    return _payload(lambda s: _notification_blocks(alert, s), _fallback(alert), extra)
