"""Fixtures for end-to-end tests: config files, a loopback receiver, the pipeline as processes."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.helpers.pipeline import Pipeline
from tests.helpers.receiver import Receiver

WATCHLIST = """\
version: 1
entities:
  - id: qassem-soleimani
    name: Qassem Soleimani
    kind: person
    aliases: [Qassem Soleimani, Soleimani, Касем Сулеймани]
    tags: [iran]
  - id: wagner-group
    name: Wagner Group
    kind: organization
    aliases: [Wagner Group, ЧВК Вагнер]
    tags: [russia]
"""

ROUTES = """\
version: 1
destinations:
  - name: soc-webhook
    type: webhook
    url_env: E2E_WEBHOOK_URL
    secret_env: E2E_WEBHOOK_SECRET
    allow_private: true
routes:
  - name: watchlist
    match:
      min_score: 0.2
      entities: [qassem-soleimani, wagner-group]
    severity: urgent
    to: [soc-webhook]
"""

SECRET = "whsec_" + base64.b64encode(b"e2e-signing-key-0123456789abcdef").decode()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = await Receiver().start()
    yield r
    await r.stop()


@pytest.fixture
def config_files(tmp_path: Path) -> dict[str, Path]:
    wl = tmp_path / "watchlist.yaml"
    wl.write_text(WATCHLIST)
    routes = tmp_path / "routes.yaml"
    routes.write_text(ROUTES)
    return {"watchlist": wl, "routes": routes}


@pytest.fixture
async def pipeline(
    topics: dict[str, str], config_files: dict[str, Path], receiver: Receiver, tmp_path: Path
) -> AsyncIterator[Pipeline]:
    env = {
        **topics,
        "FIELDWATCH_WATCHLIST": str(config_files["watchlist"]),
        "FIELDWATCH_ROUTES": str(config_files["routes"]),
        "E2E_WEBHOOK_URL": receiver.url,
        "E2E_WEBHOOK_SECRET": SECRET,
        "FIELDWATCH_BATCH_MAX": "100",
    }
    p = Pipeline(env=env, log_dir=tmp_path)
    try:
        await p.start_all()
        yield p
    finally:
        p.stop_all()
