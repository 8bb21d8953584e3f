"""`fieldwatch run --demo` (what `make run` starts): broker, services, demo feed and sink; alerts
appear and validate."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from services.runtime.config import validator

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_demo_run_shows_alerts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDWATCH_")}
    proc = subprocess.run(
        [sys.executable, "-m", "services.cli", "run", "--demo", "--state-dir", str(tmp_path),
         "--exit-after-alerts", "2", "--timeout", "90"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "alert(s) received" in proc.stdout
    assert "[URGENT]" in proc.stdout or "[ROUTINE]" in proc.stdout or "[FLASH]" in proc.stdout
    alerts = [
        orjson.loads(line) for line in (tmp_path / "demo-alerts.jsonl").read_bytes().splitlines()
    ]
    assert len(alerts) >= 2
    for alert in alerts:
        assert not list(validator("alert.v1").iter_errors(alert))
    for name in ("collector", "classifier", "alerter"):
        log = (tmp_path / f"{name}.log").read_text()
        assert '"service_stopped"' in log, f"{name} did not drain cleanly:\n{log[-2000:]}"
