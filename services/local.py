"""`fieldwatch run`: everything on one machine. Starts the local broker (unless
`FIELDWATCH_KAFKA_BOOTSTRAP` is set), creates the topics, starts the three services as separate
processes, and with `--demo` replays the bundled demo feed into a local alert sink that prints
each alert and appends it to `<state-dir>/demo-alerts.jsonl`. Ctrl-C stops everything."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from services.runtime.broker import LocalBroker, free_port
from services.runtime.errors import FieldwatchError
from services.runtime.kafka import ensure_topics
from services.runtime.settings import load_settings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
COLOURS = {"flash": "\033[1;31m", "urgent": "\033[1;33m", "routine": "\033[1;36m"}


def _port(preferred: int) -> int:
    import socket

    with contextlib.closing(socket.socket()) as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            return free_port()
    return preferred


def render_alert(alert: dict[str, Any], colour: bool) -> str:
    sev = str(alert.get("severity", "routine"))
    head = f"[{sev.upper()}] {alert.get('title', '')}"
    if colour:
        head = f"{COLOURS.get(sev, '')}{head}\033[0m"
    lines = [head]
    lines.append(
        f"  score {alert.get('score', 0):.2f} · {alert.get('posts_count', 1)} post(s) from "
        f"{alert.get('sources_count', 1)} source(s) · route {alert.get('route')} · "
        f"id {alert.get('id')} v{alert.get('version', 1)}"
    )
    for claim in (alert.get("claims") or [])[:2]:
        count = claim.get("count")
        n = ""
        if count:
            low, high = count["min"], count["max"]
            n = f"{low:,} " if low == high else f"{low:,}-{high:,} "
        lines.append(
            f"  claim: {claim.get('actor') or '?'} {n}-> {claim.get('location') or '?'} "
            f"({claim.get('stance')})"
        )
    post = (alert.get("posts") or [{}])[0]
    text = " ".join(str(post.get("text", "")).split())
    lines.extend(
        textwrap.wrap(text[:280], width=96, initial_indent="  > ", subsequent_indent="    ")
    )
    if post.get("url"):
        lines.append(f"  {post['url']}")
    return "\n".join(lines)


class AlertSink:
    """A webhook receiver on loopback that prints alerts and appends them to a file."""

    def __init__(self, out_file: Path, colour: bool) -> None:
        self.out_file = out_file
        self.colour = colour
        self.count = 0
        self.port = 0
        self.received = asyncio.Event()
        self._runner: web.AppRunner | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        import orjson

        alert = orjson.loads(body)
        with self.out_file.open("ab") as fh:
            fh.write(body + b"\n")
        self.count += 1
        print(render_alert(alert, self.colour) + "\n", flush=True)
        self.received.set()
        return web.Response(status=204)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/alerts", self.handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self.port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


async def _wait_assigned(
    ports: list[int], procs: dict[str, subprocess.Popen[bytes]], timeout: float
) -> None:
    """Wait until every consumer on `ports` reports assigned partitions on /metrics."""
    import httpx

    deadline = asyncio.get_running_loop().time() + timeout
    pending = set(ports)
    async with httpx.AsyncClient(timeout=2) as client:
        while pending:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    raise FieldwatchError(f"the {name} exited with code {proc.returncode}")
            for port in list(pending):
                with contextlib.suppress(httpx.HTTPError):
                    text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                    for line in text.splitlines():
                        name_, _, value = line.partition(" ")
                        if name_ == "fieldwatch_stream_assigned_partitions" and float(value) > 0:
                            pending.discard(port)
            if asyncio.get_running_loop().time() > deadline:
                return  # start anyway: the demo still works, only less smoothly
            await asyncio.sleep(0.2)


def run_local(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    state = args.state_dir
    state.mkdir(parents=True, exist_ok=True)
    prefix = "demo" if args.demo else "fieldwatch"
    sources = args.sources or EXAMPLES / ("demo-sources.yaml" if args.demo else "sources.yaml")
    watchlist = args.watchlist or EXAMPLES / "watchlist.yaml"
    routes = args.routes or EXAMPLES / ("demo-routes.yaml" if args.demo else "routes.yaml")
    env = dict(os.environ)
    broker: LocalBroker | None = None
    if not env.get("FIELDWATCH_KAFKA_BOOTSTRAP"):
        broker = LocalBroker(log_path=state / "broker.log").start()
        env["FIELDWATCH_KAFKA_BOOTSTRAP"] = broker.bootstrap
        env["FIELDWATCH_KAFKA_IDEMPOTENCE"] = "false"  # the local broker does not support it
        print(f"local broker on {broker.bootstrap}", flush=True)
    env.setdefault(
        "FIELDWATCH_TOPIC_PREFIX", f"{prefix}-{int(time.time())}" if args.demo else prefix
    )
    env.setdefault("FIELDWATCH_HTTP_HOST", "127.0.0.1")
    env["FIELDWATCH_SOURCES"] = str(sources)
    env["FIELDWATCH_WATCHLIST"] = str(watchlist)
    env["FIELDWATCH_ROUTES"] = str(routes)
    sink: AlertSink | None = None
    procs: dict[str, subprocess.Popen[bytes]] = {}
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        settings = load_settings("collector", env)
        await ensure_topics(settings.kafka)
        if args.demo:
            sink = AlertSink(state / "demo-alerts.jsonl", colour=sys.stdout.isatty())
            await sink.start()
            env["FIELDWATCH_DEMO_SINK_URL"] = f"http://127.0.0.1:{sink.port}/alerts"
        ports: dict[str, int] = {}
        # The consumers start first and the collector (with the demo replay) once they hold
        # their partitions, so the first posts do not pile up while the groups form.
        for name, default in (("classifier", 9102), ("alerter", 9103), ("collector", 9101)):
            if name == "collector":
                await _wait_assigned([ports["classifier"], ports["alerter"]], procs, timeout=60)
            ports[name] = port = _port(default)
            penv = {**env, "FIELDWATCH_HTTP_PORT": str(port)}
            with (state / f"{name}.log").open("ab") as log:
                procs[name] = subprocess.Popen(
                    [sys.executable, "-m", f"services.{name}"], env=penv, stdout=log, stderr=log
                )
            print(f"{name:<10} http://127.0.0.1:{port}/metrics  (log {state / (name + '.log')})")
        print(f"topics     {env['FIELDWATCH_TOPIC_PREFIX']}.*  ·  Ctrl-C stops everything")
        if sink:
            print(f"alerts     printed here and appended to {sink.out_file}\n", flush=True)
        deadline = loop.time() + args.timeout if args.timeout else None
        while not stop.is_set():
            for name, proc in procs.items():
                if proc.poll() is not None:
                    raise FieldwatchError(
                        f"the {name} exited with code {proc.returncode}; see {state / (name + '.log')}"
                    )
            if args.exit_after_alerts and sink and sink.count >= args.exit_after_alerts:
                break
            if deadline is not None and loop.time() > deadline:
                raise FieldwatchError(f"timed out after {args.timeout}s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.5)
        return 0
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                # Waiting in a thread keeps the sink answering deliveries still in flight.
                await asyncio.to_thread(proc.wait, 30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if sink is not None:
            await sink.stop()
            print(f"{sink.count} alert(s) received", flush=True)
        if broker is not None:
            broker.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
