"""The one HTTP server per service (aiohttp.web): `/metrics`, `/healthz` (the process is alive),
`/readyz` (the broker is reachable and config loaded). Services add their own routes (the
collector's `/ingest`) through `extra_routes`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

# A readiness check returns (ok, detail); detail is shown on /readyz.
ReadinessCheck = Callable[[], Awaitable[tuple[bool, str]] | tuple[bool, str]]


@dataclass
class Readiness:
    """Named readiness checks; `/readyz` is 200 only when all pass."""

    checks: dict[str, ReadinessCheck] = field(default_factory=dict)

    def add(self, name: str, check: ReadinessCheck) -> None:
        self.checks[name] = check

    async def evaluate(self) -> tuple[bool, dict[str, dict[str, object]]]:
        report: dict[str, dict[str, object]] = {}
        ok_all = True
        for name, check in self.checks.items():
            result = check()
            if not isinstance(result, tuple):
                result = await result
            ok, detail = result
            ok_all = ok_all and ok
            report[name] = {"ok": ok, "detail": detail}
        return ok_all, report


def build_app(
    registry: CollectorRegistry,
    readiness: Readiness,
    extra_routes: Iterable[web.RouteDef] = (),
    client_max_size: int = 1024**2,
) -> web.Application:
    app = web.Application(client_max_size=client_max_size)

    async def metrics(_: web.Request) -> web.Response:
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        ok, report = await readiness.evaluate()
        return web.json_response(
            {"status": "ready" if ok else "not ready", "checks": report},
            status=200 if ok else 503,
        )

    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_routes(list(extra_routes))
    return app


class HttpServer:
    """Runs an aiohttp application on host:port; `port` is the bound one (0 picks a free one)."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await site.start()
        server = site._server
        if server is not None and self.port == 0:
            sockets = getattr(server, "sockets", None) or []
            if sockets:
                self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
