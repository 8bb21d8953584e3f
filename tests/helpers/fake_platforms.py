"""A loopback fake of the polling platforms, serving their real formats from generated items:
the Telegram web preview (`/s/<channel>`, `?before=`), Reddit listings (`/r/<sub>/new.json`,
`before`/`after`, `x-ratelimit-*`), an RSS 2.0 feed (`/feed.xml`, ETag/Last-Modified, 304) and the
VK API (`/method/wall.get`, `/method/newsfeed.search`, error envelopes). `released` says how many
items exist so far (tests release more to simulate new posts); `faults` queues scripted answers
(429 with Retry-After, 5xx, truncated bodies, VK errors) served before the normal ones."""

from __future__ import annotations

import base64
import hashlib
import html
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web

BASE_TIME = 1_763_625_600  # 2025-11-20T08:00:00Z
UNICODE_SAMPLES = (
    "Колонна техники у Белгорода 🚜",
    "قافلة عسكرية تتحرك نحو حمص",
    "שיירה צבאית\u200b ליד הגבול",
    "Convoy\u200d seen 🇺🇦 near Izium",
)


@dataclass
class Fault:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def item_text(n: int) -> str:
    return f"{UNICODE_SAMPLES[n % len(UNICODE_SAMPLES)]} #{n}"


class FakePlatforms:
    def __init__(self, released: int = 0, page_size: int = 20) -> None:
        self.released = released
        self.page_size = page_size
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self.served: set[str] = set()  # native ids the fake has put in a 200 answer
        self.always_fail: set[str] = set()  # paths answered 500 every time
        self.ratelimit_remaining: float | None = None
        self.ratelimit_reset = 0.2
        self.vk_errors: dict[str, int] = {}  # owner_id -> VK error code answered every time
        self.vk_pinned: int | None = None  # an old post id pinned on top of every wall
        self.reddit_app = ("", "")  # (client id, secret) the token endpoint accepts
        self.reddit_tokens: list[str] = []  # app tokens issued, the last one is valid
        self.reddit_token_lifetime = 3600
        self.url = ""
        self._runner: web.AppRunner | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/s/{channel}", self.telegram)
        app.router.add_get("/r/{sub}/new.json", self.reddit)
        app.router.add_post("/api/v1/access_token", self.reddit_token)
        app.router.add_get("/feed.xml", self.rss)
        app.router.add_get("/method/{method}", self.vk)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _fault(self, request: web.Request) -> web.Response | None:
        self.requests.append((request.path, dict(request.query), dict(request.headers)))
        if request.path in self.always_fail:
            return web.Response(status=500, text="boom")
        queue = self.faults.get(request.path)
        if queue:
            fault = queue.popleft()
            return web.Response(status=fault.status, body=fault.body, headers=fault.headers)
        return None

    def ids(self) -> list[int]:
        return list(range(1, self.released + 1))

    # -- Telegram ------------------------------------------------------------------------------
    async def telegram(self, request: web.Request) -> web.Response:
        fault = self._fault(request)
        if fault is not None:
            return fault
        channel = request.match_info["channel"]
        before = int(request.query.get("before", self.released + 1))
        ids = [i for i in self.ids() if i < before][-self.page_size :]
        self.served.update(f"telegram:{channel.lower()}/{i}" for i in ids)
        return web.Response(text=telegram_page(channel, ids), content_type="text/html")

    # -- Reddit --------------------------------------------------------------------------------
    async def reddit(self, request: web.Request) -> web.Response:
        fault = self._fault(request)
        if fault is not None:
            return fault
        if self.reddit_tokens and request.headers.get("authorization") != (
            f"bearer {self.reddit_tokens[-1]}"
        ):
            return web.json_response({"message": "Unauthorized", "error": 401}, status=401)
        sub = request.match_info["sub"]
        limit = min(100, int(request.query.get("limit", "25")))
        newest_first = list(reversed(self.ids()))
        if "after" in request.query:
            anchor = int(request.query["after"].removeprefix("t3_"), 36)
            chosen = [i for i in newest_first if i < anchor][:limit]
        elif "before" in request.query:
            anchor = int(request.query["before"].removeprefix("t3_"), 36)
            chosen = [i for i in newest_first if i > anchor][-limit:]
        else:
            chosen = newest_first[:limit]
        self.served.update(f"reddit:t3_{_b36(i)}" for i in chosen)
        headers = {}
        if self.ratelimit_remaining is not None:
            headers = {
                "x-ratelimit-remaining": f"{self.ratelimit_remaining:.1f}",
                "x-ratelimit-reset": str(self.ratelimit_reset),
                "x-ratelimit-used": "600",
            }
        body = reddit_listing(sub, chosen, more=len(chosen) == limit)
        return web.Response(body=body, content_type="application/json", headers=headers)

    async def reddit_token(self, request: web.Request) -> web.Response:
        self.requests.append((request.path, {}, dict(request.headers)))
        auth = request.headers.get("authorization", "")
        form = await request.post()
        expected = "Basic " + base64.b64encode(":".join(self.reddit_app).encode()).decode()
        if auth != expected or form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "invalid_grant"}, status=401)
        token = f"apptok-{len(self.reddit_tokens) + 1}"
        self.reddit_tokens.append(token)
        return web.json_response(
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.reddit_token_lifetime,
                "scope": "*",
            }
        )

    # -- RSS -----------------------------------------------------------------------------------
    async def rss(self, request: web.Request) -> web.Response:
        fault = self._fault(request)
        if fault is not None:
            return fault
        ids = self.ids()[-self.page_size :]
        etag = '"' + hashlib.sha256(repr(ids).encode()).hexdigest()[:16] + '"'
        modified = "Thu, 20 Nov 2025 08:00:00 GMT"
        if request.headers.get("if-none-match") == etag:
            return web.Response(status=304, headers={"etag": etag})
        self.served.update(f"rss:feed/urn:fake:{i}" for i in ids)
        return web.Response(
            body=rss_feed(ids),
            headers={
                "etag": etag,
                "last-modified": modified,
                "content-type": "application/rss+xml",
            },
        )

    # -- VK ------------------------------------------------------------------------------------
    async def vk(self, request: web.Request) -> web.Response:
        fault = self._fault(request)
        if fault is not None:
            return fault
        method = request.match_info["method"]
        assert request.headers.get("authorization", "").startswith("Bearer ")
        assert "access_token" not in request.query
        if method == "wall.get":
            owner = request.query["owner_id"]
            if owner in self.vk_errors:
                return web.json_response(vk_error(self.vk_errors[owner], method))
            offset, count = int(request.query["offset"]), int(request.query["count"])
            wall = list(reversed(self.ids()))
            if self.vk_pinned is not None:  # the pinned post heads the wall, whatever its age
                wall = [self.vk_pinned, *[i for i in wall if i != self.vk_pinned]]
            chosen = wall[offset : offset + count]
            self.served.update(f"vk:{owner}_{i}" for i in chosen)
            items = [vk_post(int(owner), i) for i in chosen]
            if self.vk_pinned is not None and offset == 0 and items:
                items[0]["is_pinned"] = 1
            return web.json_response({"response": {"count": self.released, "items": items}})
        start = int(request.query.get("start_from") or 0)
        chosen = list(reversed(self.ids()))[start : start + self.page_size]
        self.served.update(f"vk:-1_{i}" for i in chosen)
        next_from = str(start + self.page_size) if start + self.page_size < self.released else ""
        response: dict[str, Any] = {
            "items": [vk_post(-1, i) for i in chosen],
            "count": self.released,
            "total_count": self.released,
        }
        if next_from:
            response["next_from"] = next_from
        return web.json_response({"response": response})


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def telegram_page(channel: str, ids: list[int]) -> str:
    blocks = []
    for i in ids:
        when = _iso(BASE_TIME + i * 60)
        blocks.append(
            f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
            f'text_not_supported_wrap js-widget_message" data-post="{channel}/{i}" data-view="e30">\n'
            f'  <div class="tgme_widget_message_bubble">\n'
            f'    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
            f'href="https://t.me/{channel}"><span dir="auto">{channel}</span></a></div>\n'
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{html.escape(item_text(i))}<br/>'
            f"line two</div>\n"
            f'<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info '
            f'short js-message_info"><span class="tgme_widget_message_views">{i}.5K</span><span class="copyonly"> '
            f'views</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="https://t.me/{channel}/{i}"><time datetime="{when}" class="time">08:00</time></a></span>'
            f"</div></div>\n  </div>\n</div></div>"
        )
    more = ""
    if ids and ids[0] > 1:
        more = (
            f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}?before={ids[0]}" '
            f'class="tme_messages_more js-messages_more" data-before="{ids[0]}"></a></div>'
        )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>fake</title></head>'
        '<body class="widget_frame_base tgme_webpreview"><main class="tgme_main"><div class="tgme_container">'
        f'<section class="tgme_channel_history js-message_history">{more}{"".join(blocks)}</section>'
        "</div></main></body></html>"
    )


def _iso(epoch: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC).isoformat()


def reddit_listing(sub: str, ids: list[int], *, more: bool) -> bytes:
    children = []
    for i in ids:
        fid = _b36(i)
        children.append(
            {
                "kind": "t3",
                "data": {
                    "subreddit": sub,
                    "selftext": "line two",
                    "title": item_text(i),
                    "name": f"t3_{fid}",
                    "id": fid,
                    "created_utc": float(BASE_TIME + i * 60),
                    "permalink": f"/r/{sub}/comments/{fid}/post/",
                    "url": f"https://www.reddit.com/r/{sub}/comments/{fid}/post/",
                    "is_self": True,
                    "author": "osint",
                    "score": i,
                    "num_comments": 0,
                },
            }
        )
    after = f"t3_{_b36(ids[-1])}" if ids and more else None
    return orjson.dumps(
        {
            "kind": "Listing",
            "data": {"after": after, "before": None, "dist": len(ids), "children": children},
        }
    )


def rss_feed(ids: list[int]) -> bytes:
    from email.utils import formatdate

    items = "".join(
        f"<item><title>{html.escape(item_text(i))}</title><link>https://news.example/{i}</link>"
        f'<guid isPermaLink="false">urn:fake:{i}</guid>'
        f"<pubDate>{formatdate(BASE_TIME + i * 60, usegmt=True)}</pubDate>"
        f"<description><![CDATA[<p>line <b>two</b></p>]]></description></item>"
        for i in reversed(ids)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Fake news</title>'
        f"<link>https://news.example/</link>{items}</channel></rss>"
    ).encode()


def vk_post(owner: int, i: int) -> dict[str, Any]:
    return {
        "id": i,
        "owner_id": owner,
        "from_id": owner,
        "date": BASE_TIME + i * 60,
        "post_type": "post",
        "text": item_text(i),
        "geo": {"type": "point", "coordinates": "50.5977 36.5858", "place": {"title": "Белгород"}},
        "views": {"count": i},
    }


def vk_error(code: int, method: str) -> dict[str, Any]:
    return {
        "error": {
            "error_code": code,
            "error_msg": f"error {code}",
            "request_params": [{"key": "method", "value": method}, {"key": "oauth", "value": "1"}],
        }
    }
