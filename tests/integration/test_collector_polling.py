"""The real collector (`build()`, and `python -m services.collector` as a process) with polling
sources aimed at a loopback fake platform and the real local broker: posts reach `posts`, a
failing source is reported unhealthy while the others keep producing, and checkpoints survive
kill -9 (nothing the fake served is missing; repeats only from the unacknowledged batch)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from services.collector.service import build
from tests.conftest import ROOT, running, settings_for
from tests.helpers.fake_platforms import FakePlatforms
from tests.helpers.kafka import read_json, read_topic
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration

FAST = """
    poll_interval: 50ms
    requests_per_second: 1000
    burst: 1000
    backoff: {base: 10ms, cap: 50ms, attempts: 2}
"""


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    server = FakePlatforms()
    await server.start()
    yield server
    await server.stop()


async def _post_ids(bootstrap: str, prefix: str) -> list[str]:
    return [p["id"] for p in await read_json(bootstrap, f"{prefix}.posts")]


async def test_collector_publishes_and_reports_a_failing_source(
    topics: dict[str, str], fake: FakePlatforms, tmp_path: Path
) -> None:
    fake.released = 30
    fake.always_fail.add("/r/broken/new.json")
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"""version: 1
sources:
  - name: tg
    type: telegram
    channels: [fielddesk]
    backfill_pages: 1
    base_url: {fake.url}{FAST}
  - name: news
    type: rss
    feeds: [{{name: feed, url: "{fake.url}/feed.xml"}}]{FAST}
  - name: broken
    type: reddit
    subreddits: [broken]
    base_url: {fake.url}{FAST}
"""
    )
    env = topics
    prefix, bootstrap = env["FIELDWATCH_TOPIC_PREFIX"], env["FIELDWATCH_KAFKA_BOOTSTRAP"]
    service = build(settings_for("collector", env, FIELDWATCH_SOURCES=str(sources)))
    async with running(service):

        async def arrived() -> bool:
            ids = set(await _post_ids(bootstrap, prefix))
            return {f"telegram:fielddesk/{i}" for i in range(1, 31)} | {
                f"rss:feed/urn:fake:{i}" for i in range(11, 31)
            } <= ids

        await wait_for(arrived, timeout=20, interval=0.3, message="telegram and rss posts")
        await wait_for(
            lambda: not service.runners["broken"].healthy, timeout=30, message="broken unhealthy"
        )
        fake.released = 40  # the healthy sources keep producing

        async def more() -> bool:
            return "telegram:fielddesk/40" in set(await _post_ids(bootstrap, prefix))

        await wait_for(more, timeout=20, interval=0.3, message="new telegram posts")
        assert service.http is not None
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{service.http.port}") as client:
            metrics = (await client.get("/metrics")).text
            ready = (await client.get("/readyz")).json()
        assert 'fieldwatch_collector_source_up{source="broken",source_type="reddit"} 0.0' in metrics
        assert 'fieldwatch_collector_source_up{source="tg",source_type="telegram"} 1.0' in metrics
        assert (
            'fieldwatch_collector_requests_total{result="http_5xx",source="broken",source_type="reddit"}'
            in metrics
        )
        assert "unhealthy: broken: SourceUnavailable" in str(ready)
        checkpoints = {r.key.decode() for r in await read_topic(bootstrap, f"{prefix}.checkpoints")}
        assert {"tg", "news"} <= checkpoints

        # Hot reload: drop the broken source, add a channel; the file is the only input.
        sources.write_text(
            f"""version: 1
sources:
  - name: tg
    type: telegram
    channels: [fielddesk, seconddesk]
    backfill_pages: 1
    base_url: {fake.url}{FAST}
  - name: news
    type: rss
    feeds: [{{name: feed, url: "{fake.url}/feed.xml"}}]{FAST}
"""
        )
        await wait_for(lambda: set(service.runners) == {"tg", "news"}, message="reloaded")

        async def second_channel() -> bool:
            ids = await _post_ids(bootstrap, prefix)
            return "telegram:seconddesk/40" in ids and ids.count("telegram:fielddesk/40") == 1

        await wait_for(second_channel, timeout=20, interval=0.3, message="the added channel")


async def test_checkpoints_survive_kill_9(
    topics: dict[str, str], fake: FakePlatforms, tmp_path: Path
) -> None:
    fake.released = 40
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        f"""version: 1
sources:
  - name: tg
    type: telegram
    channels: [restartchan]
    backfill_pages: 5
    max_pages: 40
    base_url: {fake.url}{FAST}
  - name: rd
    type: reddit
    subreddits: [restartsub]
    backfill_pages: 5
    base_url: {fake.url}{FAST}
"""
    )
    env = {
        **os.environ,
        **topics,
        "FIELDWATCH_SOURCES": str(sources),
        "PYTHONPATH": str(ROOT),
    }
    prefix, bootstrap = env["FIELDWATCH_TOPIC_PREFIX"], env["FIELDWATCH_KAFKA_BOOTSTRAP"]
    total = 600

    async def release() -> None:
        while fake.released < total:
            fake.released = min(total, fake.released + 3)
            await asyncio.sleep(0.03)

    logs = contextlib.ExitStack()

    async def start(n: int) -> asyncio.subprocess.Process:
        log = logs.enter_context((tmp_path / f"collector-{n}.log").open("wb"))
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "services.collector", cwd=ROOT, env=env, stdout=log, stderr=log
        )

    async def checkpointed() -> bool:
        keys = {r.key.decode() for r in await read_topic(bootstrap, f"{prefix}.checkpoints")}
        return keys >= {"tg", "rd"}

    first = await start(1)
    releaser: asyncio.Task[None] | None = None
    try:
        await wait_for(checkpointed, timeout=30, interval=0.2, message="both checkpoints")
        # New items keep appearing; the process dies in the middle of collecting them.
        releaser = asyncio.create_task(release())
        await wait_for(lambda: fake.released >= 250, timeout=60, message="250 items released")
        first.send_signal(signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
        killed_at = fake.released
        second = await start(2)
        try:
            await releaser
            await wait_for(
                lambda: (tmp_path / "collector-2.log").read_bytes().count(b"service_started"),
                message="restarted",
            )
            # Every item served so far, and every item the channel has by now: the restarted
            # collector must page back to all of them, however busy the machine is.
            expected = {i for i in fake.served if i.startswith(("telegram:", "reddit:"))}
            expected |= {f"telegram:restartchan/{n}" for n in range(1, total + 1)}

            missing: list[str] = []

            async def everything() -> bool:
                missing[:] = sorted(expected - set(await _post_ids(bootstrap, prefix)))
                return not missing

            try:
                await wait_for(everything, timeout=60, interval=0.5, message="every served item")
            except AssertionError as exc:
                raise AssertionError(f"{len(missing)} missing, e.g. {missing[:10]}") from exc
            second.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(second.wait(), timeout=20) == 0
        finally:
            if second.returncode is None:
                second.kill()
                await second.wait()
    finally:
        if releaser is not None:
            releaser.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await releaser
        if first.returncode is None:
            first.kill()
            await first.wait()
        logs.close()
    ids = await _post_ids(bootstrap, prefix)
    served = {i for i in fake.served if i.startswith(("telegram:", "reddit:"))}
    assert served - set(ids) == set()  # nothing lost
    # Every item the fake ever had was served: the restart caught up by paging back.
    assert {i for i in served if i.startswith("telegram:")} == {
        f"telegram:restartchan/{n}" for n in range(1, total + 1)
    }
    assert len([i for i in served if i.startswith("reddit:")]) == total
    repeats = [i for i, n in collections.Counter(ids).items() if n > 1]
    # Only posts published but not yet checkpointed when the process died come again: at most
    # one batch per source, all from before the kill.
    assert len(repeats) <= 2 * 100, len(repeats)
    assert killed_at < total
