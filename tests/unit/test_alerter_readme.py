"""The README's alerter examples are real: the Slack message is what `slack.render` produces for
the sample alert, and the webhook headers are what `webhook_request` sends for its body."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from services.alerter import slack
from services.alerter.delivery import webhook_request
from services.alerter.routes import Destination
from services.runtime.settings import Secret
from tests.helpers.alerts import sample_alert

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def block_after(heading: str, lang: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(heading)
    match = re.compile(rf"```{lang}\n(.*?)```", re.DOTALL).search(text, start)
    assert match is not None, heading
    return match.group(1)


def test_readme_slack_example_is_the_rendering() -> None:
    shown = json.loads(block_after("### Example: Slack message", "json"))
    assert shown == slack.render(sample_alert())


def test_readme_webhook_example_is_what_is_sent() -> None:
    raw = block_after("### Example: webhook delivery", "http")
    head, body = raw.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    shown = json.loads(body)
    assert shown == sample_alert()
    dest = Destination(
        name="soc-webhook",
        type="webhook",
        url="https://soc.example.org/h",
        secret=Secret(EXAMPLE_SECRET),
    )
    _, sent = webhook_request(dest, shown, int(headers["webhook-timestamp"]))
    assert {k: headers[k] for k in sent} == sent
