"""Loopback fake servers for the streaming sources, speaking each platform's real wire format:
a Jetstream WebSocket server (cursor replay, mid-stream drops, refused handshakes), a Mastodon
instance (timelines with `min_id`/`max_id`/`since_id` and `Link` headers, SSE streams with
heartbeats, injected 429/5xx, bearer tokens) and the X filtered stream (rules endpoints,
scripted connections). Each listens on port 0 and records what clients asked for."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import web
from services.collector.sources.base import Fetched
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

# -- driving a source ------------------------------------------------------------------------------


class RecordingObserver:
    """A `SourceObserver` that remembers request results and rate-limit waits."""

    def __init__(self) -> None:
        self.results: list[str] = []
        self.waits: list[float] = []

    def request(self, seconds: float, result: str) -> None:
        self.results.append(result)

    def waited(self, seconds: float) -> None:
        self.waits.append(seconds)


async def collect(
    stream: AsyncIterator[Fetched], until: Callable[[list[Fetched]], bool], timeout: float = 15.0
) -> list[Fetched]:
    """Batches from a source's stream until `until(batches)` holds; fails after `timeout`."""
    batches: list[Fetched] = []
    try:
        async with asyncio.timeout(timeout):
            async for batch in stream:
                batches.append(batch)
                if until(batches):
                    break
    except TimeoutError:
        raise AssertionError(
            f"timed out after {timeout}s; got {sum(len(b.posts) for b in batches)} posts"
        ) from None
    finally:
        await stream.aclose()  # type: ignore[attr-defined]
    return batches


def post_ids(batches: list[Fetched]) -> list[str]:
    return [p["id"] for b in batches for p in b.posts]


# -- Jetstream ------------------------------------------------------------------------------------


@dataclass
class Jetstream:
    """Serves `frames` (JSON text) ordered by `time_us`, from the client's cursor on.
    `drop_after[i]` closes the i-th connection after that many frames (None: stay open);
    `refuse` answers the first handshakes with these HTTP statuses."""

    frames: list[str]
    drop_after: list[int | None] = field(default_factory=list)
    refuse: list[int] = field(default_factory=list)
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/subscribe"

    def _process(self, connection: ServerConnection, request: Request) -> Response | None:
        if self.refuse:
            status = self.refuse.pop(0)
            return Response(status, "Refused", Headers(), b"refused\n")
        return None

    async def _handler(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        query = parse_qs(urlsplit(ws.request.path).query)
        number = len(self.requests)
        self.requests.append(query)
        cursor = int(query["cursor"][0]) if "cursor" in query else None
        limit = self.drop_after[number] if number < len(self.drop_after) else None
        sent = 0
        for frame in self.frames:
            try:
                time_us = json.loads(frame).get("time_us", 0)
            except ValueError:
                time_us = None  # malformed frames are always sent
            if cursor is not None and time_us is not None and time_us < cursor:
                continue
            if limit is not None and sent >= limit:
                await ws.close(1011, "going away")
                return
            await ws.send(frame)
            sent += 1
        await ws.wait_closed()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Jetstream]:
        async with serve(self._handler, "127.0.0.1", 0, process_request=self._process) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            yield self


# -- Mastodon -------------------------------------------------------------------------------------


def status(sid: int, text: str, host: str, *, created: str | None = None) -> dict[str, Any]:
    """A Mastodon Status as the REST and streaming APIs return it (fields the API always has)."""
    return {
        "id": str(sid),
        "created_at": created or f"2026-11-20T08:{(sid // 60) % 60:02d}:{sid % 60:02d}.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"http://{host}/users/watcher/statuses/{sid}",
        "url": f"http://{host}/@watcher/{sid}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": None,
        "content": f"<p>{text}</p>",
        "reblog": None,
        "account": {
            "id": "1",
            "username": "watcher",
            "acct": "watcher",
            "display_name": "Watcher",
            "url": f"http://{host}/@watcher",
            "uri": f"http://{host}/users/watcher",
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }


@dataclass
class Mastodon:
    """A Mastodon instance on loopback. `timeline` holds Statuses (any order); `inject` answers
    the next timeline requests with (status, headers) first; `streams` scripts the SSE
    connections: each a list of raw SSE chunks (bytes), after which the connection closes
    (or stays open with heartbeats when the script ends with `None`)."""

    token: str | None = None
    timeline: list[dict[str, Any]] = field(default_factory=list)
    inject: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    streams: list[list[bytes | None]] = field(default_factory=list)
    quota: list[dict[str, str]] = field(default_factory=list)  # rate-limit headers, in turn
    requests: list[str] = field(default_factory=list)
    stream_requests: list[str] = field(default_factory=list)
    port: int = 0

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.host}"

    def _authorised(self, request: web.Request) -> bool:
        return self.token is None or request.headers.get("authorization") == f"Bearer {self.token}"

    async def _instance(self, request: web.Request) -> web.Response:
        return web.json_response({"configuration": {"urls": {"streaming": f"ws://{self.host}"}}})

    async def _timeline(self, request: web.Request) -> web.Response:
        self.requests.append(str(request.rel_url))
        if not self._authorised(request):
            return web.json_response({"error": "The access token is invalid"}, status=401)
        if self.inject:
            code, headers = self.inject.pop(0)
            return web.json_response({"error": "injected"}, status=code, headers=headers)
        q = request.query
        limit = min(int(q.get("limit", "20")), 40)
        items = sorted(self.timeline, key=lambda s: int(s["id"]), reverse=True)  # newest first
        if "max_id" in q:
            items = [s for s in items if int(s["id"]) < int(q["max_id"])]
        if "since_id" in q:
            items = [s for s in items if int(s["id"]) > int(q["since_id"])]
        if "min_id" in q:
            # the page immediately newer than min_id, still newest first
            newer = [s for s in items if int(s["id"]) > int(q["min_id"])]
            items = newer[-limit:]
        page = items[:limit]
        headers = {"x-ratelimit-limit": "300", "x-ratelimit-remaining": "299"}
        if self.quota:
            headers.update(self.quota.pop(0))
        if page:
            base = f"{self.url}{request.path}?limit={limit}"
            headers["link"] = (
                f'<{base}&max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return web.json_response(page, headers=headers)

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        self.stream_requests.append(str(request.rel_url))
        if not self._authorised(request):
            return web.json_response({"error": "Error: Missing access token"}, status=401)
        script = self.streams.pop(0) if self.streams else [None]
        response = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b":)\n")
        for chunk in script:
            if chunk is None:
                while True:  # stay open, heartbeats only
                    await asyncio.sleep(0.05)
                    await response.write(b":thump\n")
            await response.write(chunk)
            await asyncio.sleep(0)
        return response

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Mastodon]:
        app = web.Application()
        app.router.add_get("/api/v2/instance", self._instance)
        app.router.add_get("/api/v1/timelines/tag/{tag}", self._timeline)
        app.router.add_get("/api/v1/timelines/public", self._timeline)
        app.router.add_get("/api/v1/streaming/{kind:.*}", self._stream)
        async with _served(app) as port:
            self.port = port
            yield self


def sse_update(value: dict[str, Any], event: str = "update") -> bytes:
    return f"event: {event}\ndata: {json.dumps(value, ensure_ascii=False)}\n\n".encode()


# -- X --------------------------------------------------------------------------------------------


@dataclass
class XStream:
    """The X filtered stream and its rules endpoints. `connections` scripts each stream
    connection: an int is an HTTP status answered at once (with `headers`), a list is the body
    sent chunk by chunk (`None` in it: hang without a byte until the client gives up)."""

    token: str
    rules: list[dict[str, Any]] = field(default_factory=list)
    connections: list[Any] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    rule_calls: list[tuple[str, Any]] = field(default_factory=list)
    stream_requests: list[str] = field(default_factory=list)
    port: int = 0
    _next_rule: int = 100

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    async def _get_rules(self, request: web.Request) -> web.Response:
        self.rule_calls.append(("GET", None))
        if not self._authorised(request):
            return web.json_response({"title": "Unauthorized", "status": 401}, status=401)
        return web.json_response({"data": self.rules, "meta": {"result_count": len(self.rules)}})

    async def _post_rules(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.rule_calls.append(("POST", body))
        if not self._authorised(request):
            return web.json_response({"title": "Unauthorized", "status": 401}, status=401)
        created = []
        if "delete" in body:
            ids = set(body["delete"]["ids"])
            self.rules = [r for r in self.rules if r["id"] not in ids]
        for rule in body.get("add", []):
            self._next_rule += 1
            created.append({"id": str(self._next_rule), **rule})
        self.rules.extend(created)
        return web.json_response({"data": created, "meta": {"summary": {"created": len(created)}}})

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        self.stream_requests.append(str(request.rel_url))
        if not self._authorised(request):
            return web.json_response({"title": "Unauthorized"}, status=401)
        script = self.connections.pop(0) if self.connections else [None]
        if isinstance(script, int):
            body = {"errors": [{"code": 88, "message": "Rate limit exceeded"}]}
            return web.json_response(body, status=script, headers=self.headers)
        response = web.StreamResponse(headers={"content-type": "application/json"})
        await response.prepare(request)
        for chunk in script:
            if chunk is None:
                await asyncio.sleep(3600)
            await response.write(chunk)
            await asyncio.sleep(0)
        return response

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[XStream]:
        app = web.Application()
        app.router.add_get("/2/tweets/search/stream/rules", self._get_rules)
        app.router.add_post("/2/tweets/search/stream/rules", self._post_rules)
        app.router.add_get("/2/tweets/search/stream", self._stream)
        async with _served(app) as port:
            self.port = port
            yield self


def chunks(body: bytes, size: int) -> list[bytes | None]:
    return [body[i : i + size] for i in range(0, len(body), size)]


@contextlib.asynccontextmanager
async def _served(app: web.Application) -> AsyncIterator[int]:
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        server = site._server
        assert server is not None
        yield server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    finally:
        await runner.cleanup()
