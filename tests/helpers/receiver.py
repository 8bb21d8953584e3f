"""A real HTTP receiver on loopback standing in for a webhook endpoint: records every request
and answers with a status the test controls (to simulate outages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from aiohttp import web
from services.runtime.broker import free_port


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    status: int = 200
    retry_after: str | None = None
    requests: list[Received] = field(default_factory=list)
    attempts: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def delivered(self) -> list[Any]:
        """Bodies of the requests that were answered with success."""
        return [r.json() for r in self.requests]

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.attempts += 1
        if self.status >= 300:
            headers = {"retry-after": self.retry_after} if self.retry_after else {}
            return web.Response(status=self.status, headers=headers, text="unavailable")
        self.requests.append(Received(request.path, dict(request.headers), body))
        return web.Response(status=self.status)

    async def start(self, port: int | None = None) -> Receiver:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self.port = port or self.port or free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
