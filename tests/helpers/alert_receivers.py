"""Real HTTP receivers on loopback for alert delivery tests: one speaks Slack (incoming webhooks
answering `ok` or an error string, and `chat.postMessage` answering JSON with a `ts`), the other
is a Standard Webhooks receiver that verifies signatures with the independent `standardwebhooks`
package. Each answers from a script, so a test says "429 with Retry-After: 1, then ok"."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from aiohttp.test_utils import TestServer
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

# (status, body, headers); a callable gets the receiver's elapsed seconds and the hit number.
Reply = tuple[int, str, dict[str, str]]
Script = Callable[[float, int], Reply]

OK: Reply = (200, "ok", {})


def always(reply: Reply) -> Script:
    return lambda _t, _n: reply


def first(n: int, reply: Reply, then: Reply = OK) -> Script:
    """`reply` for the first `n` requests, then `then`."""
    return lambda _t, i: reply if i < n else then


def during(seconds: float, reply: Reply, then: Reply = OK) -> Script:
    """`reply` for the first `seconds` after the first request, then `then`."""
    return lambda t, _i: reply if t < seconds else then


@dataclass
class Hit:
    path: str
    at: float
    headers: dict[str, str]
    body: bytes
    status: int
    verified: bool | None = None

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """One loopback HTTP server; `url(path)` is where to send, `hits` what arrived."""

    server: TestServer
    scripts: dict[str, Script] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    secret: str | None = None
    token: str | None = None
    started: float | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    def on(self, path: str, script: Script) -> None:
        self.scripts[path] = script

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def _reply(self, path: str) -> Reply:
        now = time.monotonic()
        if self.started is None:
            self.started = now
        n = len(self.at(path))
        return self.scripts.get(path, always(OK))(now - self.started, n)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        path = request.path
        headers = {k.lower(): v for k, v in request.headers.items()}
        status, text, extra = self._reply(path)
        verified = None
        if self.secret is not None:
            try:
                Webhook(self.secret).verify(body, headers, json_parse=False)
                verified = True
            except WebhookVerificationError:
                verified = False
        if path.endswith("/chat.postMessage") and status == 200 and text == "ok":
            if headers.get("authorization") != f"Bearer {self.token}":
                text = orjson.dumps({"ok": False, "error": "invalid_auth"}).decode()
            else:
                payload = orjson.loads(body)
                ts = f"1700000000.{next(self._ts):06d}"
                text = orjson.dumps({"ok": True, "channel": payload["channel"], "ts": ts}).decode()
        self.hits.append(Hit(path, time.monotonic(), headers, body, status, verified))
        if "sleep" in extra:  # a slow receiver, to exercise timeouts
            await asyncio.sleep(float(extra["sleep"]))
        headers_out = {k: v for k, v in extra.items() if k != "sleep"}
        return web.Response(status=status, text=text, headers=headers_out)


@asynccontextmanager
async def receiver(
    *, secret: str | None = None, token: str | None = None
) -> AsyncIterator[Receiver]:
    app = web.Application()
    holder: list[Receiver] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        return await holder[0].handle(request)

    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    rec = Receiver(server=server, secret=secret, token=token)
    holder.append(rec)
    try:
        yield rec
    finally:
        await server.close()
