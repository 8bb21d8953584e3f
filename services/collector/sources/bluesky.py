"""Bluesky through Jetstream (JSON over WebSocket). The pure core (`parse_frame`,
`normalise_post`) turns one text frame into a post, a skip (likes, deletes, identity and
account events are not posts) or a `Reject`; post ids are `bluesky:<did>/<rkey>`, replies and
quotes point at the same scheme, links shortened in the text are replaced by their facet URI,
image and video alt text goes into `media`. The shell subscribes with
`wantedCollections=app.bsky.feed.post`, checkpoints the `time_us` of the last event it handed
over (and the instance it came from), resumes `rewind` seconds before it on reconnect or
restart, drops the replayed events it already handed over when the instance is the same (so a
restart repeats nothing that was acknowledged), moves to the next configured endpoint when an
instance refuses or cannot be reached, and backs off with jitter between attempts."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import orjson
import websockets
from websockets.asyncio.client import connect

from services.collector.polite import Backoff
from services.collector.sources.base import Checkpoint, Fetched, Reject, SourceContext, SourceSpec
from services.collector.sources.postutil import (
    MAX_URL,
    cap_text,
    finish,
    lang_tag,
    parse_when,
    reject,
    rfc3339,
    short,
)
from services.collector.sources.pump import Piece, Put, pump
from services.collector.text import clean_text
from services.runtime.config import parse_duration
from services.runtime.logging import get_logger

log = get_logger("fieldwatch.collector.bluesky")

POST_COLLECTION = "app.bsky.feed.post"
DEFAULT_ENDPOINTS = (
    "wss://jetstream2.us-east.bsky.network/subscribe",
    "wss://jetstream1.us-east.bsky.network/subscribe",
    "wss://jetstream1.us-west.bsky.network/subscribe",
    "wss://jetstream2.us-west.bsky.network/subscribe",
)
_AT_URI_RE = re.compile(r"^at://([^/]+)/([^/]+)/([^/?#]+)$")
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class Parsed:
    """One frame: a post, a reject, or neither (an event that is not a post)."""

    time_us: int | None
    post: dict[str, Any] | None = None
    reject: Reject | None = None


def post_id(did: str, rkey: str) -> str:
    return f"bluesky:{did}/{rkey}"


def post_url(did: str, rkey: str) -> str:
    return f"https://bsky.app/profile/{did}/post/{rkey}"


def ref_id(uri: Any) -> str | None:
    """`at://<did>/app.bsky.feed.post/<rkey>` as a post id; None for other records."""
    if not isinstance(uri, str):
        return None
    m = _AT_URI_RE.match(uri)
    if m is None or m.group(2) != POST_COLLECTION:
        return None
    return post_id(m.group(1), m.group(3))


def _shortened(label: str, uri: str) -> bool:
    """Clients show long links shortened ("example.com/some/pa..."): such a label is a prefix
    of the URI once the ellipsis and scheme are dropped. Custom link text is left alone."""
    core = label.strip().rstrip(".…")
    if not core or core == uri or " " in core:
        return False
    bare = _SCHEME_RE.sub("", uri)
    return any(c.startswith(core) for c in (uri, bare, bare.removeprefix("www.")))


def expand_links(text: str, facets: Any) -> str:
    """Replace shortened link labels with their facet URI. Facet indices are UTF-8 byte
    offsets; facets that overlap, fall outside the text or split a character are ignored."""
    if not isinstance(facets, list) or not facets:
        return text
    data = text.encode("utf-8")
    spans: list[tuple[int, int, str]] = []
    for facet in facets:
        if not isinstance(facet, dict):
            continue
        index, features = facet.get("index"), facet.get("features")
        if not isinstance(index, dict) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
            continue
        if end > len(data):
            continue
        for feature in features:
            if (
                isinstance(feature, dict)
                and feature.get("$type") == "app.bsky.richtext.facet#link"
                and isinstance(feature.get("uri"), str)
            ):
                spans.append((start, end, feature["uri"]))
                break
    if not spans:
        return text
    out: list[bytes] = []
    pos = 0
    for start, end, uri in sorted(spans):
        if start < pos:
            continue  # overlapping facet
        try:
            label = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue  # offsets inside a character: not a usable facet
        if not _shortened(label, uri):
            continue
        out.append(data[pos:start])
        out.append(uri[:MAX_URL].encode("utf-8"))
        pos = end
    out.append(data[pos:])
    return b"".join(out).decode("utf-8", errors="replace")


def _blob_cid(blob: Any) -> str | None:
    if not isinstance(blob, dict):
        return None
    ref = blob.get("ref")
    if isinstance(ref, dict) and isinstance(ref.get("$link"), str):
        return str(ref["$link"])
    cid = blob.get("cid")  # legacy blob form
    return cid if isinstance(cid, str) else None


def _is_gif(uri: str, description: str) -> bool:
    return description.startswith("ALT: ") or urlsplit(uri).path.lower().endswith(".gif")


def _alt(value: Any) -> str | None:
    return short(clean_text(value)) if isinstance(value, str) else None


def embed_parts(did: str, embed: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Media (with alt text) and the quoted post id of an embed."""
    if not isinstance(embed, dict):
        return [], None
    kind = embed.get("$type")
    media: list[dict[str, Any]] = []
    quote_of: str | None = None
    if kind == "app.bsky.embed.images":
        for image in embed.get("images") or []:
            if not isinstance(image, dict):
                continue
            cid = _blob_cid(image.get("image"))
            media.append(
                {
                    "type": "image",
                    "url": (
                        f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{quote(cid)}@jpeg"
                        if cid
                        else None
                    ),
                    "alt": _alt(image.get("alt")),
                }
            )
    elif kind == "app.bsky.embed.video":
        cid = _blob_cid(embed.get("video"))
        media.append(
            {
                "type": "video",
                "url": (
                    f"https://video.bsky.app/watch/{quote(did, safe=':')}/{quote(cid)}/playlist.m3u8"
                    if cid
                    else None
                ),
                "alt": _alt(embed.get("alt")),
            }
        )
    elif kind == "app.bsky.embed.external":
        external = embed.get("external")
        if isinstance(external, dict) and isinstance(external.get("uri"), str):
            uri = external["uri"]
            description = external.get("description")
            description = description if isinstance(description, str) else ""
            title = external.get("title")
            if _is_gif(uri, description):
                # Bluesky's GIF picker stores the GIF's alt text as "ALT: ..." in the card.
                alt = description.removeprefix("ALT: ")
                media.append({"type": "gif", "url": short(uri, MAX_URL), "alt": short(alt)})
            else:
                title = clean_text(title) if isinstance(title, str) else ""
                media.append({"type": "link", "url": short(uri, MAX_URL), "alt": short(title)})
    elif kind == "app.bsky.embed.record":
        record = embed.get("record")
        if isinstance(record, dict):
            quote_of = ref_id(record.get("uri"))
    elif kind == "app.bsky.embed.recordWithMedia":
        record = embed.get("record")
        if isinstance(record, dict) and isinstance(record.get("record"), dict):
            quote_of = ref_id(record["record"].get("uri"))
        media, _ = embed_parts(did, embed.get("media"))
    return media, quote_of


def normalise_post(
    did: str, rkey: str, record: dict[str, Any], time_us: int | None
) -> dict[str, Any]:
    """A post record (`app.bsky.feed.post`) as a post.v1 draft (checked by `finish`)."""
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError("record.text must be a string")
    created = parse_when(record.get("createdAt"))
    if created is None:
        if time_us is None:
            raise ValueError("record.createdAt is not a timestamp")
        # A client wrote nonsense: the time Jetstream saw the commit is the best we have.
        created = datetime.fromtimestamp(time_us / 1e6, UTC)
    media, quote_of = embed_parts(did, record.get("embed"))
    reply = record.get("reply")
    reply_to = None
    if isinstance(reply, dict) and isinstance(reply.get("parent"), dict):
        reply_to = ref_id(reply["parent"].get("uri"))
    langs = record.get("langs")
    lang = lang_tag(langs[0]) if isinstance(langs, list) and langs else None
    return {
        "id": post_id(did, rkey),
        "source": "bluesky",
        "text": cap_text(clean_text(expand_links(text, record.get("facets")))),
        "created_at": rfc3339(created),
        "url": post_url(did, rkey),
        "lang": lang,
        "author": {"id": did, "url": f"https://bsky.app/profile/{did}"},
        "media": media[:64],
        "refs": {"reply_to": reply_to, "quote_of": quote_of},
    }


def parse_frame(raw: bytes | str) -> Parsed:
    """One Jetstream text frame."""
    data = raw.encode("utf-8", errors="surrogatepass") if isinstance(raw, str) else raw
    try:
        event = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        return Parsed(None, reject=reject(data, "undecodable", f"invalid JSON: {exc}"))
    if not isinstance(event, dict):
        return Parsed(None, reject=reject(data, "schema_invalid", "event is not an object"))
    time_us = event.get("time_us")
    if not isinstance(time_us, int) or isinstance(time_us, bool) or time_us < 0:
        return Parsed(None, reject=reject(data, "schema_invalid", "time_us missing or invalid"))
    if event.get("kind") != "commit":
        return Parsed(time_us)  # identity, account: not posts
    commit, did = event.get("commit"), event.get("did")
    if not isinstance(commit, dict) or not isinstance(did, str) or not did.startswith("did:"):
        return Parsed(time_us, reject=reject(data, "schema_invalid", "commit without did/commit"))
    if commit.get("collection") != POST_COLLECTION:
        return Parsed(time_us)
    operation, rkey = commit.get("operation"), commit.get("rkey")
    if operation == "delete":
        return Parsed(time_us)  # a deletion is not a post; downstream keeps what it saw
    if operation not in ("create", "update") or not isinstance(rkey, str) or not rkey:
        return Parsed(time_us, reject=reject(data, "schema_invalid", "commit without rkey"))
    record = commit.get("record")
    if not isinstance(record, dict):
        return Parsed(time_us, reject=reject(data, "schema_invalid", "commit without record"))
    where = f"{did}/{rkey}"
    try:
        draft = normalise_post(did, rkey, record, time_us)
    except (ValueError, TypeError) as exc:
        return Parsed(time_us, reject=reject(data, "schema_invalid", f"{where}: {exc}"))
    result = finish(draft, data, where)
    if isinstance(result, Reject):
        return Parsed(time_us, reject=result)
    return Parsed(time_us, post=result)


def subscribe_url(
    endpoint: str, cursor: int | None, dids: list[str], max_bytes: int | None = None
) -> str:
    params: list[tuple[str, str]] = [("wantedCollections", POST_COLLECTION)]
    params.extend(("wantedDids", did) for did in dids)
    if max_bytes:
        # The server skips larger events; without this a too-large frame would close our
        # connection, and resuming from the cursor would bring the same frame back forever.
        params.append(("maxMessageSizeBytes", str(max_bytes)))
    if cursor is not None:
        params.append(("cursor", str(cursor)))
    return f"{endpoint}?{urlencode(params)}"


def resume_cursor(checkpoint: Checkpoint | None, rewind: float) -> int | None:
    """Where to resume: a little before the last event handed over (None = live tail)."""
    last = (checkpoint or {}).get("time_us")
    if not isinstance(last, int) or isinstance(last, bool) or last <= 0:
        return None
    return max(0, last - int(rewind * 1_000_000))


class BlueskySource:
    type = "bluesky"

    def __init__(
        self,
        spec: SourceSpec,
        ctx: SourceContext,
        *,
        backoff: Backoff | None = None,
        linger: float = 0.25,
    ) -> None:
        o = spec.options
        self.name = spec.name
        self.ctx = ctx
        self.endpoints = list(o.get("endpoints") or DEFAULT_ENDPOINTS)
        self.dids = [str(d) for d in o.get("dids") or []]
        self.rewind = parse_duration(str(o.get("rewind", "5s")))
        self.batch_max = int(o.get("batch_max", 500))
        self.max_message_bytes = int(o.get("max_message_bytes", 1_000_000))
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.linger = linger
        self.connections = 0

    def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        return pump(
            [lambda put: self._run(put, checkpoint)],
            checkpoint,
            batch_max=self.batch_max,
            linger=self.linger,
        )

    async def _run(self, put: Put, checkpoint: Checkpoint | None) -> None:
        last = (checkpoint or {}).get("time_us")
        # time_us is one instance's clock: replayed events up to `last` from the instance
        # that produced the checkpoint were handed over already and are dropped; from another
        # instance the rewind window is kept (post ids make the repeats harmless).
        seen_on = (checkpoint or {}).get("endpoint")
        index = self.endpoints.index(seen_on) if seen_on in self.endpoints else 0
        while True:
            endpoint = self.endpoints[index % len(self.endpoints)]
            cursor = resume_cursor({"time_us": last} if last else None, self.rewind)
            url = subscribe_url(endpoint, cursor, self.dids, self.max_message_bytes)
            host = urlsplit(endpoint).netloc
            waited = await self.ctx.limiter.acquire(host)
            if waited:
                self.ctx.observer.waited(waited)
            started = time.perf_counter()
            streamed = False
            try:
                async with connect(
                    url,
                    user_agent_header=self.ctx.user_agent,
                    max_size=2 * self.max_message_bytes,  # room for the envelope
                    open_timeout=10,
                ) as ws:
                    self.ctx.observer.request(time.perf_counter() - started, "ok")
                    self.connections += 1
                    log.info("jetstream_connected", source=self.name, host=host, cursor=cursor)
                    replayed = last if seen_on == endpoint else None
                    async for frame in ws:
                        if not streamed:
                            streamed = True
                            self.backoff.reset()  # only once the server actually streams
                        parsed = parse_frame(frame)
                        if replayed is not None and parsed.time_us is not None:
                            if parsed.time_us <= replayed:
                                continue
                            replayed = None
                        piece = Piece(items=1)
                        if parsed.post is not None:
                            piece.posts.append(parsed.post)
                        if parsed.reject is not None:
                            piece.rejects.append(parsed.reject)
                        if parsed.time_us is not None and (last is None or parsed.time_us > last):
                            last, seen_on = parsed.time_us, endpoint
                            piece.cursor = {"time_us": last, "endpoint": endpoint}
                        await put(piece)
                result = "network"
            except websockets.InvalidStatus as exc:
                code = exc.response.status_code
                result = (
                    "http_429"
                    if code == 429
                    else f"http_{code // 100}xx"
                    if code >= 400
                    else "protocol"
                )
            except (OSError, TimeoutError, websockets.WebSocketException):
                result = "network"
            self.ctx.observer.request(time.perf_counter() - started, result)
            if not streamed:
                index += 1  # this instance is not serving: try the next one
            delay = self.backoff.next_delay()
            log.warning(
                "jetstream_disconnected",
                source=self.name,
                host=host,
                result=result,
                retry_in=round(delay, 2),
            )
            await asyncio.sleep(delay)


def create(spec: SourceSpec, ctx: SourceContext) -> BlueskySource:
    return BlueskySource(spec, ctx)
