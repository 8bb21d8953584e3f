"""RSS 2.0 and Atom feeds: news sites and channel-to-RSS bridges.

The pure core (`parse_feed`) reads the feed bytes with a hardened XML parser (no entity
expansion, no DTD or network access, so XML bombs and external entities do nothing), which also
honours the encoding declared in the prolog (ISO-8859-1 feeds), a UTF-8 BOM, processing
instructions and CDATA. Each entry becomes a `post.v1`: id `rss:<feed name>/<guid | atom id | link
| hash of title and date>`, title and HTML description turned into clean text, link, author,
dates in RFC 822 (RSS) or RFC 3339 (Atom), enclosures and `media:*` as media. An entry without
any date takes the feed's date, then the time it was collected.

The shell polls each feed with a conditional GET (`If-None-Match`/`If-Modified-Since` from the
`ETag`/`Last-Modified` it kept; `304` means nothing new) and publishes entries it has not published
before (servers that ignore validators are deduplicated by entry id). The checkpoint holds, per
feed, the validators and digests of the entry ids published lately (at least as many as the
feed lists)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from lxml import etree

from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.collector.sources.polling import (
    RetryPolicy,
    SourceUnavailable,
    configure_rate,
    finish,
    http_get,
    reject,
    remember,
)
from services.collector.text import clean_text, html_to_text
from services.runtime.logging import get_logger
from services.runtime.messages import format_time

log = get_logger("fieldwatch.collector.rss")

SEEN_KEEP = 500
SEEN_MAX = 5000
MAX_NATIVE_ID = 400  # post ids are at most 512 characters; longer entry ids are hashed
ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"

# Hostile feeds: entities are never expanded, no DTD is loaded, nothing is fetched, and libxml2's
# own limits on huge documents stay on.
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_pis": True,
    "remove_comments": True,
}


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser = etree.XMLParser(**_PARSER_OPTIONS)
    return parser


@dataclass
class Feed:
    posts: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    title: str | None = None


def parse_date(value: str | None) -> str | None:
    """RFC 822 (`Fri, 26 Sep 2025 09:42:44 +0000`, `GMT`) or RFC 3339, as RFC 3339 UTC."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)  # RFC 822 "-0000" and naive dates: UTC by convention
    return format_time(dt)


def _text(element: Any) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _child(entry: Any, *names: str) -> Any:
    for name in names:
        found = entry.find(name)
        if found is not None:
            return found
    return None


def _content_text(element: Any) -> str:
    """Text of an RSS description / Atom content: escaped HTML or CDATA HTML, or XHTML."""
    if element is None:
        return ""
    kind = element.get("type", "html")
    if kind == "xhtml":
        return html_to_text(
            "".join(etree.tostring(c, encoding="unicode") for c in element) or _text(element)
        )
    raw = _text(element)
    if kind == "text":
        return clean_text(raw)
    return html_to_text(raw) if "<" in raw or "&" in raw else clean_text(raw)


def _native_id(
    feed_name: str, entry_id: str | None, link: str | None, title: str, date: str
) -> str:
    native = (entry_id or "").strip() or (link or "").strip()
    if not native or len(native) > MAX_NATIVE_ID:
        basis = native or f"{title}\n{date}"
        native = hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:32]
    return f"rss:{feed_name}/{native}"


def _media(entry: Any) -> list[dict[str, Any]]:
    media: list[dict[str, Any]] = []
    for enclosure in entry.findall("enclosure"):
        kind = (enclosure.get("type") or "").split("/")[0]
        media.append(
            {
                "type": kind if kind in ("image", "video", "audio") else "document",
                "url": enclosure.get("url"),
            }
        )
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "enclosure":
            kind = (link.get("type") or "").split("/")[0]
            media.append(
                {
                    "type": kind if kind in ("image", "video", "audio") else "document",
                    "url": link.get("href"),
                }
            )
    for content in entry.iter(f"{MEDIA}content"):
        medium = content.get("medium") or (content.get("type") or "").split("/")[0]
        kind = {"image": "image", "video": "video", "audio": "audio"}.get(medium, "other")
        if (content.get("type") or "").startswith("application/x-shockwave-flash"):
            kind = "video"
        media.append({"type": kind, "url": content.get("url")})
    if not media:
        for thumb in entry.iter(f"{MEDIA}thumbnail"):
            media.append({"type": "image", "url": thumb.get("url")})
    return [m for m in media if m.get("url")][:64]


def _entry_post(
    entry: Any, feed_name: str, is_atom: bool, fallback_date: str
) -> dict[str, Any] | str:
    if is_atom:
        title = _content_text(entry.find(f"{ATOM}title"))
        body = _content_text(_child(entry, f"{ATOM}content", f"{ATOM}summary"))
        if not body:
            body = clean_text(_text(entry.find(f"{MEDIA}group/{MEDIA}description")))
        links = entry.findall(f"{ATOM}link")
        link = next(
            (x.get("href") for x in links if x.get("rel", "alternate") == "alternate"), None
        ) or (links[0].get("href") if links else None)
        entry_id = _text(entry.find(f"{ATOM}id")).strip() or None
        date = parse_date(_text(_child(entry, f"{ATOM}published", f"{ATOM}updated")))
        author_el = entry.find(f"{ATOM}author")
        author = clean_text(_text(author_el.find(f"{ATOM}name"))) if author_el is not None else ""
        author_url = _text(author_el.find(f"{ATOM}uri")).strip() if author_el is not None else ""
    else:
        title = clean_text(_text(entry.find("title")))
        body = _content_text(_child(entry, f"{CONTENT}encoded", "description"))
        link = _text(entry.find("link")).strip() or None
        entry_id = _text(entry.find("guid")).strip() or None
        date = parse_date(_text(_child(entry, "pubDate", f"{DC}date")))
        author = clean_text(_text(_child(entry, f"{DC}creator", "author")))
        author_url = ""
    created = date or fallback_date
    # Bridges (and many news feeds) repeat the title as the description's first line.
    if title and body.startswith(title):
        text = body
    else:
        text = f"{title}\n\n{body}" if title and body else title or body
    post: dict[str, Any] = {
        "id": _native_id(feed_name, entry_id, link, title, created),
        "source": "rss",
        "text": text,
        "created_at": created,
        "url": link,
        "channel": feed_name,
        "author": {"id": None, "handle": None, "name": author, "url": author_url or None}
        if author
        else None,
        "media": _media(entry),
    }
    return finish(post)


def parse_feed(body: bytes, feed_name: str, now: str) -> Feed:
    """Every entry of an RSS 2.0 or Atom document (pure). A document that is not well-formed XML
    or not a feed raises `ValueError`; an entry that cannot be a post becomes a `Reject`."""
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from exc
    if root is None:
        raise ValueError("empty document")
    feed = Feed()
    if root.tag == f"{ATOM}feed":
        is_atom = True
        entries = root.findall(f"{ATOM}entry")
        feed.title = clean_text(_text(root.find(f"{ATOM}title"))) or None
        feed_date = parse_date(_text(root.find(f"{ATOM}updated")))
    elif root.tag in ("rss", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"):
        is_atom = False
        channel = root.find("channel")
        if channel is None:
            raise ValueError("RSS document without a channel")
        entries = channel.findall("item") or root.findall("item")
        feed.title = clean_text(_text(channel.find("title"))) or None
        feed_date = parse_date(_text(_child(channel, "lastBuildDate", "pubDate")))
    else:
        raise ValueError(f"not an RSS or Atom feed (root {str(root.tag)[:60]!r})")
    for entry in entries:
        result = _entry_post(entry, feed_name, is_atom, feed_date or now)
        if isinstance(result, str):
            feed.rejects.append(
                reject(etree.tostring(entry, encoding="utf-8"), "schema_invalid", result)
            )
        else:
            feed.posts.append(result)
    return feed


def digest(post_id: str) -> str:
    """A short stable digest of a post id: the checkpoint stays small for long feeds."""
    return hashlib.sha256(post_id.encode("utf-8", "replace")).hexdigest()[:20]


def feed_name_of(target: str | dict[str, Any]) -> tuple[str, str]:
    """(name, url) of a `feeds` entry: a URL (named by its host) or {name, url}."""
    if isinstance(target, dict):
        url = str(target["url"])
        return str(target.get("name") or _host(url)), url
    return _host(str(target)), str(target)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "feed").lower()


# -- shell ----------------------------------------------------------------------------------


@dataclass
class FeedState:
    etag: str | None = None
    modified: str | None = None
    seen: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"etag": self.etag, "modified": self.modified, "seen": self.seen}


class RssSource:
    type = "rss"

    def __init__(self, spec: SourceSpec, ctx: SourceContext) -> None:
        self.name = spec.name
        self.ctx = ctx
        self.interval = spec.poll_interval
        self.feeds = tuple(feed_name_of(t) for t in spec.options["feeds"])
        self.policy = RetryPolicy.from_options(spec.options)
        for _, url in self.feeds:
            configure_rate(ctx, url, spec.options)

    async def poll_feed(
        self, client: httpx.AsyncClient, name: str, url: str, state: FeedState
    ) -> Fetched:
        headers = {"accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
        if state.etag:
            headers["if-none-match"] = state.etag
        if state.modified:
            headers["if-modified-since"] = state.modified
        response = await http_get(client, self.ctx, url, headers=headers, policy=self.policy)
        if response.status_code == 304:
            return Fetched()
        if response.status_code != 200:
            log.warning(
                "rss_feed_unavailable", source=self.name, feed=name, status=response.status_code
            )
            return Fetched()
        now = format_time(datetime.now(UTC))
        try:
            feed = await asyncio.to_thread(parse_feed, response.content, name, now)
        except ValueError as exc:
            # Validators are not kept: the next poll fetches the (maybe repaired) feed again.
            return Fetched(rejects=[reject(response.content, "undecodable", f"{name}: {exc}")])
        seen = set(state.seen)
        fresh: dict[str, dict[str, Any]] = {}
        for post in feed.posts:
            if digest(post["id"]) not in seen:
                fresh.setdefault(post["id"], post)
        posts = sorted(fresh.values(), key=lambda p: (p["created_at"], p["id"]))
        state.etag = response.headers.get("etag")
        state.modified = response.headers.get("last-modified")
        # Remember at least every entry the feed still lists, or a long feed would come back.
        keep = min(SEEN_MAX, max(SEEN_KEEP, len(feed.posts) + 100))
        state.seen = remember(state.seen, [digest(p["id"]) for p in posts], keep)
        return Fetched(posts=posts, rejects=feed.rejects, items=len(feed.posts) + len(feed.rejects))

    async def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        states: dict[str, FeedState] = {}
        # Keyed by URL: two unnamed feeds of one host share a name but not their validators.
        for url, raw in ((checkpoint or {}).get("feeds") or {}).items():
            if isinstance(raw, dict):
                states[str(url)] = FeedState(
                    etag=raw.get("etag"),
                    modified=raw.get("modified"),
                    seen=[str(s) for s in raw.get("seen") or []],
                )
        async with self.ctx.http_client() as client:
            while True:
                for name, url in self.feeds:
                    state = states.setdefault(url, FeedState())
                    before = state.as_json()
                    try:
                        batch = await self.poll_feed(client, name, url, state)
                    except SourceUnavailable as exc:
                        if len(self.feeds) == 1:
                            raise
                        log.warning("rss_feed_failed", source=self.name, feed=name, error=str(exc))
                        continue
                    if state.as_json() != before:
                        batch.checkpoint = {"feeds": {k: s.as_json() for k, s in states.items()}}
                    yield batch
                await asyncio.sleep(self.interval)


def create(spec: SourceSpec, ctx: SourceContext) -> RssSource:
    return RssSource(spec, ctx)
