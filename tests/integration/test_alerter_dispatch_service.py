"""The alerter in-process against the real broker, delivering to a loopback Slack receiver:
the message that arrives is the escaped Block Kit rendering, and a Slack answer that means the
channel is gone disables the destination, dead-letters the alert with the reason and commits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from services.alerter.service import build
from tests.conftest import running, settings_for
from tests.helpers.alert_receivers import always, receiver
from tests.helpers.kafka import produce, read_json, read_topic
from tests.helpers.wait import wait_for

pytestmark = pytest.mark.integration

HOOK = "/services/T0001/B0001/SECRETPATHxyz"
ROUTES = """\
version: 1
destinations:
  - name: osint-slack
    type: slack
    url_env: FIELDWATCH_TEST_SLACK_URL
    allow_private: true
routes:
  - name: everything
    match: {min_score: 0.1}
    severity: urgent
    to: [osint-slack]
"""


def scored(n: int, text: str) -> dict[str, Any]:
    return {
        "id": f"ingest:{n}",
        "source": "ingest",
        "text": text,
        "created_at": "2026-11-20T08:00:00Z",
        "url": f"https://example.org/p/{n}",
        "score": 0.9,
        "entities": [
            {"id": f"entity-{n}", "kind": "person", "alias": f"Person {n}", "start": 0, "end": 1}
        ],
        "claims": [],
        "reasons": [f"entity Person {n} (+0.50)"],
        "watchlist_version": "w1",
        "classifier_version": "c1",
    }


@pytest.fixture
def alerter_env(topics: dict[str, str], tmp_path: Path) -> dict[str, str]:
    routes = tmp_path / "routes.yaml"
    routes.write_text(ROUTES)
    return {**topics, "FIELDWATCH_ROUTES": str(routes)}


async def test_slack_gets_escaped_block_kit(
    alerter_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bootstrap, prefix = (
        alerter_env["FIELDWATCH_KAFKA_BOOTSTRAP"],
        alerter_env["FIELDWATCH_TOPIC_PREFIX"],
    )
    async with receiver() as rec:
        monkeypatch.setenv("FIELDWATCH_TEST_SLACK_URL", rec.url(HOOK))
        async with running(build(settings_for("alerter", alerter_env))):
            post = scored(1, "<!channel> Person 1 seen <http://evil.example|https://example.org>")
            await produce(bootstrap, f"{prefix}.scored", [orjson.dumps(post)], [b"ingest:1"])
            await wait_for(lambda: rec.at(HOOK), timeout=20, message="a Slack message")
    message = rec.at(HOOK)[0].json()
    assert message["unfurl_links"] is False
    quoted = "\n".join(
        b["text"]["text"] for b in message["blocks"] if b["type"] == "section" and "text" in b
    )
    assert (
        "&lt;!channel&gt; Person 1 seen &lt;http://evil.example|https://example.org&gt;" in quoted
    )
    assert "<!channel>" not in orjson.dumps(message).decode()


async def test_archived_channel_disables_the_destination_and_dead_letters(
    alerter_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bootstrap, prefix = (
        alerter_env["FIELDWATCH_KAFKA_BOOTSTRAP"],
        alerter_env["FIELDWATCH_TOPIC_PREFIX"],
    )
    async with receiver() as rec:
        rec.on(HOOK, always((410, "channel_is_archived", {})))
        monkeypatch.setenv("FIELDWATCH_TEST_SLACK_URL", rec.url(HOOK))
        async with running(build(settings_for("alerter", alerter_env))) as svc:
            await produce(
                bootstrap, f"{prefix}.scored", [orjson.dumps(scored(1, "first"))], [b"ingest:1"]
            )
            await wait_for(
                lambda: _count(read_topic(bootstrap, f"{prefix}.dlq"), 1), timeout=20, message="dlq"
            )
            await produce(
                bootstrap,
                f"{prefix}.scored",
                [orjson.dumps(scored(2, "unrelated second"))],
                [b"ingest:2"],
            )
            dead = await wait_for(
                lambda: _count(read_topic(bootstrap, f"{prefix}.dlq"), 2), timeout=20, message="dlq"
            )
            state = svc.registry.get_sample_value(
                "fieldwatch_alerter_destination_state",
                {"destination": "osint-slack", "state": "disabled"},
            )
    assert state == 1
    assert len(rec.hits) == 1  # the second alert was not sent to a channel that is gone
    for record in dead:
        headers = {k: v.decode() for k, v in record.headers}
        assert headers["fieldwatch.errors.reason"] == "destination_disabled"
        assert headers["fieldwatch.errors.destination"] == "osint-slack"
        assert "SECRETPATH" not in headers["fieldwatch.errors.exception.message"]
    alerts = await read_json(bootstrap, f"{prefix}.alerts")
    assert {orjson.loads(r.value)["id"] for r in dead} <= {a["id"] for a in alerts}


async def _count(records: Any, n: int) -> Any:
    got = await records
    return got if len(got) >= n else None
