"""Shared fixtures: one real local broker per test session, a unique topic prefix per test
(so tests never see each other's records), and services running in-process.

Property tests are deterministic: Hypothesis draws the same examples on every machine and every
run (`derandomize`), and keeps no example database, so a local run and CI test the same cases.
To explore beyond them, load Hypothesis's "default" profile for a while, and keep what it finds
as an explicit example."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from services.runtime.broker import LocalBroker
from services.runtime.kafka import ensure_topics
from services.runtime.settings import Settings, load_settings

hypothesis_settings.register_profile("deterministic", derandomize=True, database=None)
hypothesis_settings.load_profile("deterministic")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
_counter = itertools.count()


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    log = tmp_path_factory.mktemp("broker") / "broker.log"
    with LocalBroker(log_path=log) as b:
        yield b


@pytest.fixture
def prefix() -> str:
    return f"t{os.getpid()}x{next(_counter)}"


@pytest.fixture
def base_env(broker: LocalBroker, prefix: str) -> dict[str, str]:
    return {
        "FIELDWATCH_KAFKA_BOOTSTRAP": broker.bootstrap,
        "FIELDWATCH_KAFKA_IDEMPOTENCE": "false",
        "FIELDWATCH_TOPIC_PREFIX": prefix,
        "FIELDWATCH_HTTP_HOST": "127.0.0.1",
        "FIELDWATCH_HTTP_PORT": "0",
        "FIELDWATCH_CONFIG_POLL_INTERVAL": "0.2",
        "FIELDWATCH_DRAIN_TIMEOUT": "10",
        "FIELDWATCH_LOG_FORMAT": "json",
    }


@pytest.fixture
async def topics(base_env: dict[str, str]) -> dict[str, str]:
    settings = load_settings("collector", base_env)
    await ensure_topics(settings.kafka)
    return base_env


def settings_for(service: str, env: dict[str, str], **extra: str) -> Settings:
    return load_settings(service, {**env, **extra})


@contextlib.asynccontextmanager
async def running(service: Any) -> AsyncIterator[Any]:
    """Start a built service in this event loop; drain and close it on exit."""
    await service.start()
    task = asyncio.create_task(service.run())
    try:
        yield service
    finally:
        service.request_stop()
        await asyncio.wait_for(task, timeout=15)
        await service.close()
