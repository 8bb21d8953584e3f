"""The whole pipeline as separate processes, as in production: the three services started with
`python -m services.<name>` against the session's real local broker, each on a free port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from services.runtime.broker import free_port

from tests.helpers.wait import wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("collector", "classifier", "alerter")


@dataclass
class Pipeline:
    env: dict[str, str]
    log_dir: Path
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def start(self, name: str) -> None:
        if name not in self.ports:
            self.ports[name] = free_port()
        env = {
            **os.environ,
            **self.env,
            "FIELDWATCH_HTTP_PORT": str(self.ports[name]),
            "PYTHONPATH": str(ROOT),
        }
        with (self.log_dir / f"{name}.log").open("ab") as log:
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", f"services.{name}"],
                env=env,
                stdout=log,
                stderr=log,
                cwd=ROOT,
            )

    async def wait_ready(self, name: str, timeout: float = 30.0) -> None:
        async def ready() -> bool:
            proc = self.procs[name]
            if proc.poll() is not None:
                raise AssertionError(
                    f"{name} exited with {proc.returncode}: {self.log(name)[-2000:]}"
                )
            try:
                async with httpx.AsyncClient() as client:
                    resp = await client.get(self.url(name, "/readyz"), timeout=2)
                return resp.status_code == 200
            except httpx.HTTPError:
                return False

        await wait_for(ready, timeout=timeout, interval=0.1, message=f"{name} ready")

    async def start_all(self) -> None:
        for name in SERVICES:
            self.start(name)
        for name in SERVICES:
            await self.wait_ready(name)

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str) -> None:
        """kill -9: no drain, no commit."""
        proc = self.procs[name]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def terminate(self, name: str, timeout: float = 30.0) -> int:
        proc = self.procs[name]
        proc.send_signal(signal.SIGTERM)
        return proc.wait(timeout=timeout)

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
