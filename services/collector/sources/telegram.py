"""Telegram public channels through the web preview `https://t.me/s/<channel>` (no account, no
API key). The pure core (`parse_page`) turns one preview page into `post.v1` dicts: text (album
captions nested twice, reply quotes left out), date, views (`3.12K` -> 3120), photos and videos
with their URLs, link previews, replies (`refs.reply_to`) and forwards (`refs.repost_of`, or a
"Forwarded from" line when the original is not linkable). Post ids are
`telegram:<channel in lower case>/<message id>` because channel names are case-insensitive.

The shell polls each channel: it fetches the newest page and walks back with `?before=<id>` until
it reaches the last id it published (or `max_pages`), then publishes the new messages oldest first.
The checkpoint is the last published id per channel; a first run takes the newest page plus
`backfill_pages` older ones."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from lxml import etree, html

from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.collector.sources.polling import (
    RetryPolicy,
    SourceUnavailable,
    configure_rate,
    finish,
    http_get,
    reject,
)
from services.collector.text import clean_text
from services.runtime.logging import get_logger
from services.runtime.messages import format_time

log = get_logger("fieldwatch.collector.telegram")

BASE_URL = "https://t.me"
BATCH = 100
_CHANNEL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,63}$")
_POST_LINK_RE = re.compile(r"^https?://t\.me/(?:s/)?([A-Za-z0-9_]+)/(\d+)")
_BG_URL_RE = re.compile(r"background-image:\s*url\(['\"]?([^'\")]+)['\"]?\)")
_VIEWS_RE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)([KMB]?)$")
_MULTIPLIER = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
_BLOCKS = frozenset({"br", "div", "p", "blockquote", "pre", "li"})


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


_HTML_PARSER = html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
_X_MESSAGES = etree.XPath(f"//div[{_has_class('tgme_widget_message')} and @data-post]")
_X_TEXT = etree.XPath(f".//div[{_has_class('js-message_text')}]")
_X_DATE = etree.XPath(f".//a[{_has_class('tgme_widget_message_date')}]//time/@datetime")
_X_VIEWS = etree.XPath(f".//span[{_has_class('tgme_widget_message_views')}]")
_X_OWNER = etree.XPath(f".//a[{_has_class('tgme_widget_message_owner_name')}]")
_X_REPLY = etree.XPath(f".//a[{_has_class('tgme_widget_message_reply')}]/@href")
_X_FORWARD = etree.XPath(f".//*[{_has_class('tgme_widget_message_forwarded_from_name')}]")
_X_PHOTOS = etree.XPath(f".//a[{_has_class('tgme_widget_message_photo_wrap')}]")
_X_VIDEOS = etree.XPath(f".//a[{_has_class('tgme_widget_message_video_player')}]")
_X_PREVIEW = etree.XPath(f".//a[{_has_class('tgme_widget_message_link_preview')}]/@href")
_X_DOCUMENT = etree.XPath(f".//a[{_has_class('tgme_widget_message_document_wrap')}]/@href")
_X_MORE = etree.XPath(f"//a[{_has_class('js-messages_more')}]/@data-before")


@dataclass
class Page:
    """One parsed preview page: posts oldest first, rejects, and where older messages start."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)  # message ids on the page, rejects included
    before: int | None = None  # `?before=` of the next older page, None at the channel start


def parse_views(text: str) -> int | None:
    match = _VIEWS_RE.match(text.strip().upper())
    if not match:
        return None
    return round(float(match.group(1)) * _MULTIPLIER[match.group(2)])


def _text_of(element: Any) -> str:
    """Visible text with line breaks for <br> and block elements (emoji keep their <b> text)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCKS:
            parts.append("\n")
        if node.text and tag not in ("script", "style"):
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS and tag != "br":
            parts.append("\n")

    walk(element)
    return clean_text("".join(parts))


def _post_ref(href: str | None) -> str | None:
    match = _POST_LINK_RE.match(href or "")
    if not match:
        return None
    return f"telegram:{match.group(1).lower()}/{match.group(2)}"


def _time(value: str) -> str | None:
    try:
        return format_time(datetime.fromisoformat(value))
    except ValueError:
        return None


def _media(message: Any) -> list[dict[str, Any]]:
    media: list[dict[str, Any]] = []
    for photo in _X_PHOTOS(message):
        match = _BG_URL_RE.search(photo.get("style") or "")
        media.append({"type": "image", "url": match.group(1) if match else photo.get("href")})
    for player in _X_VIDEOS(message):
        sources = player.xpath(".//video/@src")
        media.append({"type": "video", "url": sources[0] if sources else player.get("href")})
    for href in _X_PREVIEW(message):
        media.append({"type": "link", "url": href})
    for href in _X_DOCUMENT(message):
        media.append({"type": "document", "url": href})
    return media[:64]


def parse_message(message: Any, base_url: str = BASE_URL) -> dict[str, Any] | str:
    """One `div.tgme_widget_message[data-post]` as a post, or why it cannot be one."""
    channel, _, native = (message.get("data-post") or "").partition("/")
    if not _CHANNEL_RE.match(channel) or not native.isdigit():
        return f"bad data-post {message.get('data-post')!r}"
    dates = _X_DATE(message)
    created = _time(str(dates[0])) if dates else None
    if created is None:
        return "no message date"
    texts = _X_TEXT(message)
    text = _text_of(texts[0]) if texts else ""
    refs: dict[str, Any] = {"reply_to": None, "repost_of": None}
    replies = _X_REPLY(message)
    if replies:
        refs["reply_to"] = _post_ref(str(replies[0]))
    forwards = _X_FORWARD(message)
    if forwards:
        refs["repost_of"] = _post_ref(forwards[0].get("href"))
        if refs["repost_of"] is None:
            # A forward from a hidden user or a private chat has no link: keep who it is.
            name = clean_text(forwards[0].text_content())
            text = f"Forwarded from {name}\n{text}".strip() if name else text
    owners = _X_OWNER(message)
    owner_name = clean_text(owners[0].text_content()) if owners else None
    views = _X_VIEWS(message)
    view_count = parse_views(views[0].text_content()) if views else None
    post: dict[str, Any] = {
        "id": f"telegram:{channel.lower()}/{int(native)}",
        "source": "telegram",
        "text": text,
        "created_at": created,
        "url": f"{base_url}/{channel}/{int(native)}",
        "channel": channel,
        "author": {
            "id": None,
            "handle": channel,
            "name": owner_name,
            "url": f"{base_url}/{channel}",
        },
        "media": _media(message),
        "refs": refs,
        "metrics": {"views": view_count} if view_count is not None else None,
    }
    return finish(post)


def parse_page(body: bytes | str, base_url: str = BASE_URL) -> Page:
    """Every message on a preview page (pure). Service messages (pins, title changes) are skipped;
    a message without id or date becomes a `Reject`."""
    page = Page()
    if not body or not body.strip():
        return page
    try:
        # t.me serves UTF-8; saying so keeps a page without a charset from being read as Latin-1.
        root = (
            html.fromstring(body, parser=_HTML_PARSER)
            if isinstance(body, bytes)
            else html.fromstring(body)
        )
    except (etree.ParserError, ValueError) as exc:
        page.rejects.append(reject(body, "undecodable", f"unparseable preview page: {exc}"))
        return page
    for message in _X_MESSAGES(root):
        classes = (message.get("class") or "").split()
        native = (message.get("data-post") or "").partition("/")[2]
        if native.isdigit():
            page.ids.append(int(native))
        if "service_message" in classes:
            continue
        result = parse_message(message, base_url)
        if isinstance(result, str):
            page.rejects.append(
                reject(etree.tostring(message, encoding="utf-8"), "schema_invalid", result)
            )
        else:
            page.posts.append(result)
    more = _X_MORE(root)
    if more and str(more[0]).isdigit():
        page.before = int(more[0])
    elif page.ids and min(page.ids) > 1:
        page.before = min(page.ids)
    if page.before is not None and page.before <= 1:
        page.before = None
    return page


def new_messages(
    pages: Iterable[Page], last: int | None
) -> tuple[list[dict[str, Any]], list[Reject]]:
    """Posts newer than `last` from pages of one channel, oldest first, each id once."""
    by_id: dict[str, dict[str, Any]] = {}
    rejects: list[Reject] = []
    for page in pages:
        for post in page.posts:
            if last is None or message_id(post) > last:
                by_id.setdefault(post["id"], post)
        rejects.extend(page.rejects)
    return sorted(by_id.values(), key=message_id), rejects


def message_id(post: dict[str, Any]) -> int:
    return int(str(post["id"]).rsplit("/", 1)[1])


# -- shell ----------------------------------------------------------------------------------


class TelegramSource:
    type = "telegram"

    def __init__(self, spec: SourceSpec, ctx: SourceContext) -> None:
        self.name = spec.name
        self.ctx = ctx
        self.interval = spec.poll_interval
        self.channels: tuple[str, ...] = tuple(str(c).lstrip("@") for c in spec.options["channels"])
        self.base_url = str(spec.options.get("base_url", BASE_URL)).rstrip("/")
        self.backfill_pages = int(spec.options.get("backfill_pages", 0))
        self.max_pages = int(spec.options.get("max_pages", 10))
        self.policy = RetryPolicy.from_options(spec.options)
        configure_rate(ctx, self.base_url, spec.options)

    async def _page(self, client: httpx.AsyncClient, channel: str, before: int | None) -> Page:
        params = {"before": str(before)} if before is not None else None
        response = await http_get(
            client, self.ctx, f"{self.base_url}/s/{channel}", params=params, policy=self.policy
        )
        if response.status_code != 200:
            raise ChannelUnavailable(f"HTTP {response.status_code}")
        if "/s/" not in response.url.path:
            # Telegram redirects channels without a public preview to https://t.me/<channel>.
            raise ChannelUnavailable("no public preview (redirected)")
        return await asyncio.to_thread(parse_page, response.content, self.base_url)

    async def poll_channel(
        self, client: httpx.AsyncClient, channel: str, last: int | None
    ) -> tuple[list[dict[str, Any]], list[Reject], int]:
        """(new posts oldest first, rejects, messages fetched) since `last`."""
        limit = self.max_pages if last is not None else 1 + self.backfill_pages
        pages: list[Page] = []
        before: int | None = None
        for _ in range(max(1, limit)):
            page = await self._page(client, channel, before)
            pages.append(page)
            if not page.ids or page.before is None:
                break
            if last is not None and min(page.ids) <= last + 1:
                break
            before = page.before
        else:
            if last is not None:
                log.warning("telegram_gap", source=self.name, channel=channel, pages=limit)
        posts, rejects = new_messages(pages, last)
        return posts, rejects, sum(len(p.ids) for p in pages)

    async def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        lasts: dict[str, int] = {
            str(k): int(v) for k, v in ((checkpoint or {}).get("channels") or {}).items()
        }
        async with self.ctx.http_client() as client:
            while True:
                for channel in self.channels:
                    key = channel.lower()
                    try:
                        posts, rejects, items = await self.poll_channel(
                            client, channel, lasts.get(key)
                        )
                    except ChannelUnavailable as exc:
                        log.warning(
                            "telegram_channel_unavailable",
                            source=self.name,
                            channel=channel,
                            reason=str(exc),
                        )
                        continue
                    if not posts:
                        yield Fetched(rejects=rejects, items=items)
                        continue
                    for start in range(0, len(posts), BATCH):
                        chunk = posts[start : start + BATCH]
                        lasts[key] = message_id(chunk[-1])
                        yield Fetched(
                            posts=chunk,
                            checkpoint={"channels": dict(lasts)},
                            rejects=rejects if start == 0 else [],
                            items=items if start == 0 else 0,
                        )
                await asyncio.sleep(self.interval)


class ChannelUnavailable(SourceUnavailable):
    """One channel cannot be read (no public preview, 4xx): skipped, the others go on."""


def create(spec: SourceSpec, ctx: SourceContext) -> TelegramSource:
    return TelegramSource(spec, ctx)
