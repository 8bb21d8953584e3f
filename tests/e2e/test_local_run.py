"""`fieldwatch run --demo` (what `make run` starts): broker, services, demo feed and sink; alerts
appear and validate, and Ctrl-C stops everything cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from services.runtime.config import validator
from tests.helpers.wait import wait_for_sync

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_demo_run_shows_alerts_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDWATCH_")}
    alerts_file = tmp_path / "demo-alerts.jsonl"
    with (tmp_path / "out.txt").open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run", "--demo", "--state-dir", str(tmp_path)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:

        def two_alerts() -> bool:
            if proc.poll() is not None:
                output = (tmp_path / "out.txt").read_text()
                raise AssertionError(f"fieldwatch run exited with {proc.returncode}:\n{output}")
            return alerts_file.exists() and len(alerts_file.read_bytes().splitlines()) >= 2

        wait_for_sync(two_alerts, timeout=90, message="two demo alerts")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = (tmp_path / "out.txt").read_text()
    assert "alert(s) received" in output
    assert any(f"[{s}]" in output for s in ("FLASH", "URGENT", "ROUTINE"))
    alerts = [orjson.loads(line) for line in alerts_file.read_bytes().splitlines()]
    for alert in alerts:
        assert not list(validator("alert.v1").iter_errors(alert))
    for name in ("collector", "classifier", "alerter"):
        log = (tmp_path / f"{name}.log").read_text()
        assert '"service_stopped"' in log, f"{name} did not drain cleanly:\n{log[-2000:]}"
        assert '"exit_code":0' in log
