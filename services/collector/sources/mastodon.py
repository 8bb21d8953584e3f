"""Mastodon: server-sent-event streams (public, hashtag, list) and REST polling of timelines,
over several instances. The pure core turns a Status into a post: the id is
`mastodon:<origin host>/<status id on the origin>` (taken from the status `uri`, so the same
status seen through two instances, or through a stream and a timeline, has one id), HTML
content becomes clean text with links and hashtags kept, `spoiler_text` is kept in front of it,
boosts point at the boosted status (`refs.repost_of`), quotes at the quoted one, replies at
their parent when the parent's id can be derived (the parent is local to the instance asked),
media keep their alt text. `SSEParser` reads the event-stream wire incrementally (heartbeat
comments, multi-line data, split reads).

The shell runs one worker per instance and target. Timelines are polled with `min_id`,
following the `Link: rel="prev"` header until an empty page, so nothing between two polls is
skipped; the checkpoint holds the newest id seen per instance and target. A stream worker
first catches up over REST from its last id (after a restart or a dropped connection), then
streams. 429 waits for `Retry-After` (or `X-RateLimit-Reset`), a spent `X-RateLimit-Remaining`
waits for the reset, 5xx and network errors back off with jitter; 401/403 stop the source (a
bad or missing token is a configuration problem and is reported as such)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

import httpx
import orjson

from services.collector.polite import Backoff, retry_after
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
from services.collector.sources.pump import Piece, Put, Worker, pump
from services.collector.text import clean_text, html_to_text
from services.runtime.logging import get_logger

log = get_logger("fieldwatch.collector.mastodon")

MAX_CONTENT = 500_000  # characters of HTML parsed per status (hostile servers can send more)
MAX_EVENT_BYTES = 4 * 1024 * 1024
# Path segments that precede a status id in the ActivityPub ids of Mastodon, Misskey,
# Pleroma/Akkoma and GNU social.
_ID_PARENTS = frozenset({"statuses", "notes", "objects", "notice", "posts"})
_MEDIA_TYPES = {"image": "image", "video": "video", "gifv": "gif", "audio": "audio"}
_TARGET_RE = re.compile(r"^(public(/local|/remote)?|hashtag(/local)?:[^\s/?#&]+|list:[0-9]+)$")


# -- pure core ---------------------------------------------------------------------------------
def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def status_id(status: Mapping[str, Any], instance: str) -> str:
    """`mastodon:<origin host>/<origin id>`. The origin is the status `uri` (the ActivityPub id:
    `https://host/users/u/statuses/<id>`, `https://host/ap/users/<n>/statuses/<id>`, or another
    server's form such as `/notes/<id>`); without a usable uri the instance asked and its id."""
    uri = status.get("uri")
    if isinstance(uri, str) and len(uri) <= 400:
        parts = urlsplit(uri)
        segments = [s for s in parts.path.split("/") if s]
        if segments and segments[-1] == "activity":  # the uri of a boost activity
            segments.pop()
        if parts.scheme in ("http", "https") and parts.netloc and segments:
            if len(segments) >= 2 and (segments[-2] in _ID_PARENTS or segments[-2][:1] == "@"):
                native = segments[-1]
            else:  # an unknown layout: the whole path, so that ids cannot collide
                native = "/".join(segments)
            return f"mastodon:{parts.netloc.lower()}/{native}"
    local = status.get("id")
    if not isinstance(local, str | int) or isinstance(local, bool) or not str(local):
        raise ValueError("status without id")
    return f"mastodon:{instance}/{local}"


def _reply_to(status: Mapping[str, Any], instance: str) -> str | None:
    """The parent's id, when derivable: `in_reply_to_id` is the instance's own id for the
    parent, which is the origin id only when the parent's author is local to that instance."""
    parent, parent_account = status.get("in_reply_to_id"), status.get("in_reply_to_account_id")
    if not isinstance(parent, str | int) or isinstance(parent, bool):
        return None
    accounts = [status.get("account")]
    mentions = status.get("mentions")
    if isinstance(mentions, list):
        accounts.extend(mentions)
    for account in accounts:
        if (
            isinstance(account, dict)
            and account.get("id") == parent_account
            and isinstance(account.get("acct"), str)
            and "@" not in account["acct"]
        ):
            return f"mastodon:{instance}/{parent}"
    return None


def _media(attachments: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not isinstance(attachments, list):
        return out
    for item in attachments[:64]:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("remote_url")
        alt = item.get("description")
        out.append(
            {
                "type": _MEDIA_TYPES.get(str(item.get("type")), "other"),
                "url": short(url, MAX_URL),
                "alt": short(clean_text(alt)) if isinstance(alt, str) else None,
            }
        )
    return out


def _text(status: Mapping[str, Any]) -> str:
    content = status.get("content")
    if not isinstance(content, str):
        raise ValueError("status.content must be a string")
    text = html_to_text(content[:MAX_CONTENT])
    spoiler = status.get("spoiler_text")
    if isinstance(spoiler, str) and spoiler.strip():
        # The content warning is the author's own summary: analysts read it first.
        text = f"{clean_text(spoiler)}\n\n{text}" if text else clean_text(spoiler)
    return cap_text(text)


def _author(account: Any, instance: str) -> dict[str, Any] | None:
    if not isinstance(account, dict):
        return None
    acct = account.get("acct")
    handle = None
    if isinstance(acct, str) and acct:
        handle = acct if "@" in acct else f"{acct}@{instance}"
    name = account.get("display_name")
    return {
        "id": short(account.get("uri") or account.get("url"), MAX_URL),
        "handle": short(handle, 512),
        "name": short(clean_text(name), 512) if isinstance(name, str) else None,
        "url": short(account.get("url"), MAX_URL),
    }


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def normalise_status(status: Mapping[str, Any], instance: str) -> dict[str, Any]:
    """A Mastodon Status as a post.v1 draft (checked by `finish`). `instance` is the host the
    status was fetched from: it resolves the instance-local ids of parents."""
    created = parse_when(status.get("created_at"))
    if created is None:
        raise ValueError("status.created_at is not a timestamp")
    inner = status.get("reblog")
    boosted = inner if isinstance(inner, dict) else None
    body = boosted or status  # a boost carries no content of its own
    quote_of = None
    quoted = body.get("quote")
    if isinstance(quoted, dict) and isinstance(quoted.get("quoted_status"), dict):
        quote_of = status_id(quoted["quoted_status"], instance)
    url = status.get("url") or body.get("url") or status.get("uri")
    return {
        "id": status_id(status, instance),
        "source": "mastodon",
        "text": _text(body),
        "created_at": rfc3339(created),
        "url": short(url, MAX_URL),
        "lang": lang_tag(body.get("language")),
        "author": _author(status.get("account"), instance),
        "media": _media(body.get("media_attachments")),
        "refs": {
            "reply_to": None if boosted else _reply_to(status, instance),
            "quote_of": quote_of,
            "repost_of": status_id(boosted, instance) if boosted else None,
        },
        "metrics": {
            "replies": _count(body.get("replies_count")),
            "reposts": _count(body.get("reblogs_count")),
            "likes": _count(body.get("favourites_count")),
        },
    }


@dataclass(frozen=True)
class Parsed:
    post: dict[str, Any] | None = None
    reject: Reject | None = None
    local_id: str | None = None  # the instance's id of the status (for min_id)


def parse_status(raw: bytes, value: Any, instance: str) -> Parsed:
    """One Status (already decoded) as a post or a reject."""
    if not isinstance(value, dict):
        return Parsed(reject=reject(raw, "schema_invalid", "status is not an object"))
    local = value.get("id")
    local_id = str(local) if isinstance(local, str | int) and not isinstance(local, bool) else None
    where = f"{instance}/{local_id}"
    try:
        draft = normalise_status(value, instance)
    except (ValueError, TypeError) as exc:
        return Parsed(reject=reject(raw, "schema_invalid", f"{where}: {exc}"), local_id=local_id)
    result = finish(draft, raw, where)
    if isinstance(result, Reject):
        return Parsed(reject=result, local_id=local_id)
    return Parsed(post=result, local_id=local_id)


def parse_timeline(body: bytes, instance: str) -> tuple[list[Parsed], Reject | None]:
    """A timeline page (a JSON array of Statuses, newest first) in oldest-first order."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return [], reject(body, "undecodable", f"{instance}: timeline page: {exc}")
    if not isinstance(value, list):
        return [], reject(body, "schema_invalid", f"{instance}: timeline page is not an array")
    out = [parse_status(orjson.dumps(s), s, instance) for s in value]
    out.sort(key=lambda p: id_key(p.local_id))
    return out, None


@dataclass(frozen=True)
class SSEEvent:
    event: str
    data: bytes


@dataclass
class SSEParser:
    """Incremental `text/event-stream` parser: feed it bytes as they arrive, get whole events.
    Comment lines (`:)`, `:thump`) are heartbeats; an event ends at a blank line."""

    max_event_bytes: int = MAX_EVENT_BYTES
    _buffer: bytes = b""
    _event: str = ""
    _data: list[bytes] = field(default_factory=list)
    _size: int = 0
    _discarding: bool = False
    oversized: int = 0

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        events: list[SSEEvent] = []
        self._buffer += chunk
        while True:
            cut = self._buffer.find(b"\n")
            if cut < 0:
                if len(self._buffer) > self.max_event_bytes:
                    self._buffer = b""
                    self._discarding = True
                break
            line, self._buffer = self._buffer[:cut], self._buffer[cut + 1 :]
            if self._discarding:  # the tail of a line that was too long
                self._discarding = False
                self._reset(oversized=True)
                continue
            line = line.removesuffix(b"\r")
            if not line:
                if self._data and self._size <= self.max_event_bytes:
                    events.append(SSEEvent(self._event or "message", b"\n".join(self._data)))
                elif self._size > self.max_event_bytes:
                    self.oversized += 1
                self._reset()
                continue
            if line.startswith(b":"):
                continue
            name, _, value = line.partition(b":")
            value = value.removeprefix(b" ")
            if name == b"event":
                self._event = value.decode("utf-8", errors="replace")
            elif name == b"data":
                self._size += len(value)
                if self._size <= self.max_event_bytes:
                    self._data.append(value)
        return events

    def _reset(self, oversized: bool = False) -> None:
        if oversized:
            self.oversized += 1
        self._event, self._data, self._size = "", [], 0


def parse_event(event: SSEEvent, instance: str) -> Parsed | None:
    """A streaming event: `update`/`status.update` carry a Status; `delete` (a bare id) and
    the other events (notifications, filters, announcements) are not posts (None)."""
    if event.event not in ("update", "status.update"):
        return None
    try:
        value = orjson.loads(event.data)
    except orjson.JSONDecodeError as exc:
        return Parsed(reject=reject(event.data, "undecodable", f"{instance}: {event.event}: {exc}"))
    return parse_status(event.data, value, instance)


def parse_link_header(value: str | None) -> dict[str, str]:
    """`Link: <url>; rel="next", <url>; rel="prev"` as {rel: url}."""
    links: dict[str, str] = {}
    if not value:
        return links
    for part in value.split(","):
        m = re.match(r"\s*<([^>]*)>\s*;(.*)", part)
        if not m:
            continue
        rel = re.search(r'rel="?([^";]+)"?', m.group(2))
        if rel:
            for name in rel.group(1).split():
                links[name] = m.group(1)
    return links


def id_key(value: str | None) -> tuple[int, str]:
    """Order of status ids: numeric ids (Mastodon snowflakes) by value, others by length then
    text (the flake ids of other servers sort that way too)."""
    if value is None:
        return (-1, "")
    return (
        (len(value), value) if not value.isdigit() else (len(value.lstrip("0")), value.lstrip("0"))
    )


def newer(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if id_key(a) >= id_key(b) else b


@dataclass(frozen=True)
class Target:
    """A timeline or stream: `public`, `public/local`, `public/remote`, `hashtag:<tag>`,
    `hashtag/local:<tag>`, `list:<id>`."""

    spec: str

    @property
    def kind(self) -> str:
        return self.spec.partition(":")[0]

    @property
    def arg(self) -> str:
        return self.spec.partition(":")[2]

    def timeline(self) -> tuple[str, dict[str, str]]:
        kind, arg = self.kind, self.arg
        if kind.startswith("public"):
            scope = kind.partition("/")[2]
            return "/api/v1/timelines/public", ({scope: "true"} if scope else {})
        if kind.startswith("hashtag"):
            local = {"local": "true"} if kind.endswith("/local") else {}
            return f"/api/v1/timelines/tag/{quote(arg, safe='')}", local
        return f"/api/v1/timelines/list/{quote(arg, safe='')}", {}

    def stream(self) -> tuple[str, dict[str, str]]:
        kind, arg = self.kind, self.arg
        if kind.startswith("public"):
            return f"/api/v1/streaming/{kind}", {}
        if kind.startswith("hashtag"):
            return f"/api/v1/streaming/{kind}", {"tag": arg}
        return "/api/v1/streaming/list", {"list": arg}


def parse_target(value: str) -> Target:
    value = value.strip().removeprefix("#")
    if not _TARGET_RE.match(value):
        raise ValueError(f"invalid Mastodon timeline/stream {value!r}")
    return Target(value)


# -- shell -------------------------------------------------------------------------------------
Runner = Callable[[httpx.AsyncClient, Put, str, Target, str, str | None], Coroutine[Any, Any, None]]


class Fatal(Exception):
    """A condition retrying cannot fix (bad token, unknown list): stops the source."""


class MastodonSource:
    type = "mastodon"

    def __init__(
        self,
        spec: SourceSpec,
        ctx: SourceContext,
        *,
        backoff: Backoff | None = None,
        linger: float = 0.25,
        max_failures: int = 6,
    ) -> None:
        o = spec.options
        self.name = spec.name
        self.ctx = ctx
        self.instances = [str(i).rstrip("/") for i in o.get("instances") or []]
        if not self.instances:
            raise ValueError(f"source {spec.name}: `instances` must list at least one instance")
        self.streams = [parse_target(str(s)) for s in o.get("streams") or []]
        polled = [parse_target(str(t)) for t in o.get("timelines") or []]
        polled += [
            parse_target(f"hashtag:{str(h).removeprefix('#')}") for h in o.get("hashtags") or []
        ]
        # A streamed target catches up over REST by itself: polling it as well would only
        # race the stream for the same checkpoint key.
        self.timelines = [t for t in dict.fromkeys(polled) if t not in self.streams]
        if not self.streams and not self.timelines:
            raise ValueError(f"source {spec.name}: give `streams`, `timelines` or `hashtags`")
        self.poll_interval = spec.poll_interval
        self.limit = int(o.get("limit", 40))
        self.streaming_url = o.get("streaming_url")
        self.stall_timeout = float(o.get("stall_timeout_seconds", 90))
        self.token_env = o.get("token_env")
        self.token = ctx.credential(self.token_env)
        if self.token_env and not self.token:
            raise ValueError(
                f"source {spec.name}: environment variable {self.token_env} is not set"
            )
        self.backoff_template = backoff or Backoff(base=2.0, cap=300.0)
        self.linger = linger
        self.max_failures = max_failures
        self.connections = 0

    def stream(self, checkpoint: Checkpoint | None) -> AsyncIterator[Fetched]:
        cursors = dict((checkpoint or {}).get("min_id") or {})
        workers = []
        for instance in self.instances:
            for target in self.timelines:
                workers.append(self._worker(self._poll, instance, target, cursors))
            for target in self.streams:
                workers.append(self._worker(self._stream, instance, target, cursors))
        return pump(workers, checkpoint, linger=self.linger)

    def _worker(
        self, run: Runner, instance: str, target: Target, cursors: dict[str, Any]
    ) -> Worker:
        key = f"{host_of(instance)} {target.spec}"
        since = cursors.get(key)

        async def work(put: Put) -> None:
            async with self.ctx.http_client(headers=self._auth()) as client:
                await run(
                    client, put, instance, target, key, since if isinstance(since, str) else None
                )

        return work

    def _new_backoff(self) -> Backoff:
        t = self.backoff_template
        return Backoff(base=t.base, cap=t.cap, rand=t.rand)

    def _auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.token}"} if self.token else {}

    # -- HTTP with politeness ------------------------------------------------------------
    async def _request(
        self, client: httpx.AsyncClient, url: str, backoff: Backoff, failures: list[int]
    ) -> httpx.Response | None:
        """GET with rate limits and retries; None for 404 (an unknown hashtag is empty)."""
        while True:
            waited = await self.ctx.limiter.acquire(host_of(url))
            if waited:
                self.ctx.observer.waited(waited)
            started = time.perf_counter()
            server_delay: float | None = None
            try:
                response = await client.get(url)
            except httpx.TimeoutException:
                result = "timeout"
            except httpx.TransportError:
                result = "network"
            else:
                code = response.status_code
                if code < 400:
                    self.ctx.observer.request(time.perf_counter() - started, "ok")
                    backoff.reset()
                    failures[0] = 0
                    await self._respect_quota(response)
                    return response
                result = "http_429" if code == 429 else f"http_{code // 100}xx"
                if code == 404:
                    self.ctx.observer.request(time.perf_counter() - started, result)
                    return None
                if 400 <= code < 500 and code != 429:
                    self.ctx.observer.request(time.perf_counter() - started, result)
                    raise Fatal(f"{host_of(url)} answered {code} (token missing or invalid?)")
                if code in (429, 503):
                    server_delay = self._server_delay(response)
            delay = backoff.next_delay() if server_delay is None else server_delay
            if server_delay is not None:
                self.ctx.observer.waited(server_delay)
            self.ctx.observer.request(time.perf_counter() - started, result)
            failures[0] += 1
            if failures[0] >= self.max_failures:
                raise RuntimeError(f"{host_of(url)}: {failures[0]} failures in a row ({result})")
            log.warning(
                "mastodon_retry",
                source=self.name,
                host=host_of(url),
                result=result,
                retry_in=round(delay, 2),
            )
            await asyncio.sleep(delay)

    def _server_delay(self, response: httpx.Response) -> float | None:
        delay = retry_after(response.headers.get("retry-after"))
        if delay is None:
            reset = parse_when(response.headers.get("x-ratelimit-reset"))
            if reset is not None:
                delay = max(0.0, reset.timestamp() - time.time())
        return None if delay is None else min(delay, 900.0)

    async def _respect_quota(self, response: httpx.Response) -> None:
        remaining = response.headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip() == "0":
            delay = self._server_delay(response) or 0.0
            if delay > 0:
                self.ctx.observer.waited(delay)
                await asyncio.sleep(delay)

    # -- timelines -----------------------------------------------------------------------
    async def _catch_up(
        self,
        client: httpx.AsyncClient,
        put: Put,
        instance: str,
        target: Target,
        key: str,
        since: str | None,
        backoff: Backoff,
        failures: list[int],
    ) -> str | None:
        """Fetch everything newer than `since` (or the newest page when None), oldest first,
        following `Link: rel="prev"`; returns the newest id seen."""
        path, params = target.timeline()
        query = {**params, "limit": str(self.limit)}
        if since is not None:
            query["min_id"] = since
        url: str | None = f"{instance}{path}?{urlencode(query)}"
        while url is not None:
            response = await self._request(client, url, backoff, failures)
            if response is None:
                return since
            parsed, reject = parse_timeline(response.content, host_of(instance))
            piece = Piece(items=len(parsed))
            if reject is not None:
                piece.rejects.append(reject)
                piece.items += 1
            for p in parsed:
                if p.post is not None:
                    piece.posts.append(p.post)
                if p.reject is not None:
                    piece.rejects.append(p.reject)
                since = newer(since, p.local_id)
            if since is not None:
                piece.cursor = {"min_id": {key: since}}
            if piece.items:
                await put(piece)
            if not parsed or query.get("min_id") is None:
                return since
            prev = parse_link_header(response.headers.get("link")).get("prev")
            url = (
                urljoin(url, prev)
                if prev
                else f"{instance}{path}?{urlencode({**query, 'min_id': since})}"
            )
        return since

    async def _poll(
        self,
        client: httpx.AsyncClient,
        put: Put,
        instance: str,
        target: Target,
        key: str,
        since: str | None,
    ) -> None:
        backoff, failures = self._new_backoff(), [0]
        while True:
            since = await self._catch_up(
                client, put, instance, target, key, since, backoff, failures
            )
            await asyncio.sleep(self.poll_interval)

    # -- streams -------------------------------------------------------------------------
    async def _streaming_base(
        self, client: httpx.AsyncClient, instance: str, backoff: Backoff, failures: list[int]
    ) -> str:
        if self.streaming_url:
            return str(self.streaming_url).rstrip("/")
        response = await self._request(client, f"{instance}/api/v2/instance", backoff, failures)
        if response is not None:
            try:
                streaming = orjson.loads(response.content)["configuration"]["urls"]["streaming"]
            except (orjson.JSONDecodeError, KeyError, TypeError):
                streaming = None
            if isinstance(streaming, str) and streaming.startswith(("http", "ws")):
                return (
                    streaming.replace("wss://", "https://", 1)
                    .replace("ws://", "http://", 1)
                    .rstrip("/")
                )
        return instance

    async def _stream(
        self,
        client: httpx.AsyncClient,
        put: Put,
        instance: str,
        target: Target,
        key: str,
        since: str | None,
    ) -> None:
        backoff, failures = self._new_backoff(), [0]
        host = host_of(instance)
        base = await self._streaming_base(client, instance, backoff, failures)
        path, params = target.stream()
        url = f"{base}{path}" + (f"?{urlencode(params)}" if params else "")
        timeout = httpx.Timeout(10.0, read=self.stall_timeout)
        while True:
            if since is not None:  # catch up on what the stream missed while away
                since = await self._catch_up(
                    client, put, instance, target, key, since, backoff, failures
                )
            waited = await self.ctx.limiter.acquire(host_of(url))
            if waited:
                self.ctx.observer.waited(waited)
            started = time.perf_counter()
            result = "network"
            delay: float | None = None
            try:
                async with client.stream(
                    "GET", url, headers={"accept": "text/event-stream"}, timeout=timeout
                ) as response:
                    code = response.status_code
                    if code != 200:
                        await response.aread()
                        result = "http_429" if code == 429 else f"http_{code // 100}xx"
                        self.ctx.observer.request(time.perf_counter() - started, result)
                        if code in (401, 403) or (400 <= code < 500 and code != 429):
                            raise Fatal(
                                f"{host_of(url)} streaming answered {code}: {response.text[:200]}"
                            )
                        delay = self._server_delay(response) if code in (429, 503) else None
                    else:
                        self.ctx.observer.request(time.perf_counter() - started, "ok")
                        self.connections += 1
                        log.info(
                            "mastodon_stream_connected",
                            source=self.name,
                            host=host,
                            stream=target.spec,
                        )
                        parser = SSEParser()
                        async for chunk in response.aiter_bytes():
                            events = parser.feed(chunk)
                            if parser.oversized:
                                parser.oversized = 0
                                detail = f"{host}: SSE event over {MAX_EVENT_BYTES} bytes dropped"
                                await put(
                                    Piece(items=1, rejects=[reject(b"", "undecodable", detail)])
                                )
                            if events:
                                backoff.reset()
                                failures[0] = 0
                            for event in events:
                                parsed = parse_event(event, host)
                                piece = Piece(items=1)
                                if parsed is not None:
                                    if parsed.post is not None:
                                        piece.posts.append(parsed.post)
                                    if parsed.reject is not None:
                                        piece.rejects.append(parsed.reject)
                                    if parsed.local_id is not None and event.event == "update":
                                        since = newer(since, parsed.local_id)
                                        piece.cursor = {"min_id": {key: since}}
                                await put(piece)
                        result = "network"
            except httpx.TimeoutException:
                result = "timeout"
                self.ctx.observer.request(time.perf_counter() - started, result)
            except httpx.TransportError:
                self.ctx.observer.request(time.perf_counter() - started, result)
            failures[0] += 1
            if failures[0] >= self.max_failures:
                raise RuntimeError(f"{host}: stream {target.spec}: {failures[0]} failures in a row")
            if delay is None:
                delay = backoff.next_delay()
            log.warning(
                "mastodon_stream_disconnected",
                source=self.name,
                host=host,
                stream=target.spec,
                result=result,
                retry_in=round(delay, 2),
            )
            await asyncio.sleep(delay)


def create(spec: SourceSpec, ctx: SourceContext) -> MastodonSource:
    return MastodonSource(spec, ctx)
