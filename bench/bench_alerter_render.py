"""Benchmark: rendering an alert for Slack (Block Kit, escaping, limits) and signing a webhook
body, per message, against a baseline of serialising the alert as JSON. Prints a JSON report."""

from __future__ import annotations

import copy
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.alerter import slack
from services.alerter.delivery import webhook_request
from services.alerter.routes import Destination
from services.runtime.settings import Secret
from tests.helpers.alerts import sample_alert


def per_call_us(fn: Callable[[], Any], seconds: float = 0.5) -> float:
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn()
        n += 1
    return (time.perf_counter() - started) / n * 1e6


def worst_case() -> dict[str, Any]:
    alert = sample_alert(posts_count=500, sources_count=90)
    post = alert["posts"][0]
    hostile = "<!channel> &amp; <@U1> <http://a|b> ы😀 " * 400
    alert["posts"] = [{**copy.deepcopy(post), "id": f"x:{i}", "text": hostile} for i in range(50)]
    alert["entities"] = [
        {"id": f"e{i}", "kind": "person", "alias": "Имя " * 30} for i in range(100)
    ]
    return alert


def main() -> None:
    sample, big = sample_alert(), worst_case()
    dest = Destination(
        name="soc", type="webhook", url="https://soc.example.org/h",
        secret=Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    )  # fmt: skip
    report = {
        "benchmark": "alerter_render",
        "baseline_orjson_dumps_sample_us": round(per_call_us(lambda: orjson.dumps(sample)), 1),
        "slack_render_sample_us": round(per_call_us(lambda: slack.render(sample)), 1),
        "slack_render_update_sample_us": round(
            per_call_us(lambda: slack.render(sample, update=True)), 1
        ),
        "baseline_orjson_dumps_worst_case_us": round(per_call_us(lambda: orjson.dumps(big)), 1),
        "slack_render_worst_case_us": round(per_call_us(lambda: slack.render(big)), 1),
        "slack_worst_case_payload_bytes": len(orjson.dumps(slack.render(big))),
        "webhook_sign_sample_us": round(
            per_call_us(lambda: webhook_request(dest, sample, 1795161493)), 1
        ),
        "note": "Slack paces a destination at ~1 message/s, so rendering is never the bottleneck",
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
