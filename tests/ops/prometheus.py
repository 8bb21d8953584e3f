"""A real Prometheus (the `prometheus` binary) on a free loopback port, scraping given targets
every second with given rule files, and its HTTP API (queries, targets, rules). The API is
async so that loopback servers in the test's event loop keep answering while we wait."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import yaml
from services.runtime.broker import free_port

from tests.helpers.wait import wait_for


class Prometheus:
    def __init__(self, workdir: Path, targets: Sequence[str], rule_files: Sequence[Path] = ()):
        self.workdir = workdir
        self.targets = list(targets)
        self.rule_files = list(rule_files)
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> Prometheus:
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = {
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(p) for p in self.rule_files],
            "scrape_configs": [
                {"job_name": "fieldwatch", "static_configs": [{"targets": self.targets}]}
            ],
        }
        config_file = self.workdir / "prometheus.yml"
        config_file.write_text(yaml.safe_dump(config))
        self.port = free_port()
        with (self.workdir / "prometheus.log").open("ab") as log:
            self._proc = subprocess.Popen(
                [
                    "prometheus",
                    f"--config.file={config_file}",
                    f"--storage.tsdb.path={self.workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                    "--log.level=warn",
                ],
                stdout=log,
                stderr=log,
            )
        try:
            await wait_for(self._ready, timeout=30, interval=0.1, message="prometheus ready")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    def log(self) -> str:
        path = self.workdir / "prometheus.log"
        return path.read_text(errors="replace") if path.exists() else ""

    async def _ready(self) -> bool:
        assert self._proc is not None
        if self._proc.poll() is not None:
            raise AssertionError(f"prometheus exited {self._proc.returncode}: {self.log()[-2000:]}")
        try:
            async with httpx.AsyncClient() as client:
                resp = await client.get(f"{self.url}/-/ready", timeout=1)
            return resp.status_code == 200
        except httpx.HTTPError:
            return False

    async def api(self, path: str, **params: str) -> Any:
        async with httpx.AsyncClient() as client:
            resp = await client.get(f"{self.url}/api/v1/{path}", params=params, timeout=10)
        body = resp.json()
        assert body.get("status") == "success", f"{path} {params}: {body}"
        return body["data"]

    async def query(self, expr: str) -> list[dict[str, Any]]:
        data = await self.api("query", query=expr, time=str(time.time()))
        result: list[dict[str, Any]] = data["result"]
        return result

    async def wait_up(self, count: int, timeout: float = 30) -> None:
        async def up() -> bool:
            targets = (await self.api("targets"))["activeTargets"]
            return sum(t["health"] == "up" for t in targets) >= count

        await wait_for(up, timeout=timeout, interval=0.2, message=f"{count} targets up")
