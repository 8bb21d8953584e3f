"""The delivery policy, pure: how HTTP answers (Slack's and webhook receivers') are classified,
and what a destination does next after each outcome, driven by an explicit clock."""

from __future__ import annotations

import httpx
import pytest
from services.alerter.delivery import (
    classify_slack_api,
    classify_slack_webhook,
    classify_webhook,
    is_public,
    retry_after_seconds,
)
from services.alerter.policy import (
    ATTEMPT_RESULTS,
    FAILURE_REASONS,
    DestinationPolicy,
    Outcome,
    Step,
)

pytestmark = pytest.mark.unit

NOW = 1_800_000_000.0


def response(status: int, body: str = "", **headers: str) -> httpx.Response:
    return httpx.Response(
        status, text=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


@pytest.mark.parametrize(
    ("classify", "resp", "kind", "reason", "retry_after"),
    [
        (classify_slack_webhook, response(200, "ok"), "delivered", "ok", None),
        (
            classify_slack_webhook,
            response(429, "rate_limited", retry_after="30"),
            "transient",
            "rate_limited",
            30.0,
        ),
        (classify_slack_webhook, response(500, "rollup_error"), "transient", "rollup_error", None),
        (classify_slack_webhook, response(503, "", retry_after="2"), "transient", "http_5xx", 2.0),
        (
            classify_slack_webhook,
            response(400, "invalid_payload"),
            "permanent",
            "invalid_payload",
            None,
        ),
        (
            classify_slack_webhook,
            response(400, "invalid_blocks"),
            "permanent",
            "invalid_blocks",
            None,
        ),
        (classify_slack_webhook, response(403, "invalid_token"), "disable", "invalid_token", None),
        (
            classify_slack_webhook,
            response(403, "action_prohibited"),
            "disable",
            "action_prohibited",
            None,
        ),
        (classify_slack_webhook, response(404, "no_service"), "disable", "no_service", None),
        (
            classify_slack_webhook,
            response(404, "channel_not_found"),
            "disable",
            "channel_not_found",
            None,
        ),
        (
            classify_slack_webhook,
            response(410, "channel_is_archived"),
            "disable",
            "channel_is_archived",
            None,
        ),
        (
            classify_slack_webhook,
            response(404, "<html>weird</html>"),
            "disable",
            "slack_other",
            None,
        ),
        (
            classify_slack_webhook,
            response(302, "", location="https://elsewhere"),
            "permanent",
            "redirect",
            None,
        ),
        (classify_slack_api, response(200, '{"ok":true,"ts":"1.2"}'), "delivered", "ok", None),
        (
            classify_slack_api,
            response(200, '{"ok":false,"error":"invalid_auth"}'),
            "disable",
            "invalid_auth",
            None,
        ),
        (
            classify_slack_api,
            response(200, '{"ok":false,"error":"is_archived"}'),
            "disable",
            "is_archived",
            None,
        ),
        (
            classify_slack_api,
            response(200, '{"ok":false,"error":"msg_too_long"}'),
            "permanent",
            "msg_too_long",
            None,
        ),
        (
            classify_slack_api,
            response(200, '{"ok":false,"error":"something_new"}'),
            "permanent",
            "slack_other",
            None,
        ),
        (
            classify_slack_api,
            response(200, '{"ok":false,"error":"internal_error"}'),
            "transient",
            "internal_error",
            None,
        ),
        (classify_slack_api, response(429, "", retry_after="7"), "transient", "http_429", 7.0),
        (classify_slack_api, response(200, "<html>proxy</html>"), "transient", "http_5xx", None),
        (classify_webhook, response(204), "delivered", "ok", None),
        (classify_webhook, response(429, "", retry_after="3"), "transient", "http_429", 3.0),
        (classify_webhook, response(408), "transient", "http_5xx", None),
        (classify_webhook, response(502), "transient", "http_5xx", None),
        (classify_webhook, response(400, "bad"), "permanent", "http_4xx", None),
        (classify_webhook, response(401), "permanent", "http_4xx", None),
        (classify_webhook, response(410), "disable", "http_4xx", None),
        (
            classify_webhook,
            response(307, "", location="http://127.0.0.1/"),
            "permanent",
            "redirect",
            None,
        ),
    ],
)
def test_classify(
    classify, resp: httpx.Response, kind: str, reason: str, retry_after: float | None
) -> None:  # type: ignore[no-untyped-def]
    outcome = classify(resp, NOW)
    assert (outcome.kind, outcome.reason, outcome.retry_after) == (kind, reason, retry_after)
    assert outcome.result in ATTEMPT_RESULTS
    assert outcome.reason == "ok" or outcome.reason in FAILURE_REASONS


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("", None),
        ("12", 12.0),
        (" 1.5 ", 1.5),
        ("-3", 0.0),
        ("Fri, 15 Jan 2027 08:00:10 GMT", 10.0),
        ("soon", None),
    ],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    assert retry_after_seconds(value, now) == seconds


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


OK = Outcome("delivered", "ok")
E503 = Outcome("transient", "http_5xx", "http_5xx", 503)
E429 = Outcome("transient", "http_429", "http_429", 429, retry_after=30.0)
GONE = Outcome("disable", "slack_error", "channel_is_archived", 410, detail="channel_is_archived")
BAD = Outcome("permanent", "slack_error", "invalid_blocks", 400, detail="invalid_blocks")


def policy(**kw: float) -> DestinationPolicy:
    args: dict[str, float] = {"rate": 1.0, "burst": 3, "backoff_base": 1.0, "backoff_cap": 8.0}
    args.update(kw)
    return DestinationPolicy(rand=lambda: 0.5, **args)  # type: ignore[arg-type]


def test_token_bucket_paces_after_the_burst() -> None:
    p = policy()
    delays = [p.gate(NOW).delay for _ in range(6)]
    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0]
    assert p.gate(NOW + 10).delay == 0.0  # refilled


# (events, expected steps, final state). An event is (outcome or "gate", at seconds).
SCENARIOS = [
    (
        "503 backs off exponentially, success resets",
        [(E503, 0), ("gate", 0.1), (E503, 1), (E503, 3), (OK, 10), ("gate", 10)],
        [
            Step("retry", 0.75, "http_5xx"),
            Step("wait", 0.65),
            Step("retry", 1.5, "http_5xx"),
            Step("retry", 3.0, "http_5xx"),
            Step("delivered"),
            Step("send", 0.0),
        ],
        "healthy",
    ),
    (
        "429 waits at least Retry-After",
        [(E429, 0), ("gate", 29)],
        [Step("retry", 30.0, "http_429"), Step("wait", 1.0)],
        "backing_off",
    ),
    (
        "disable: every later alert is dead-lettered without an attempt",
        [(GONE, 0), ("gate", 1000)],
        [
            Step("dead_letter", reason="destination_disabled", detail="channel_is_archived"),
            Step(
                "dead_letter",
                reason="destination_disabled",
                detail="channel_is_archived (HTTP 410)",
            ),
        ],
        "disabled",
    ),
    (
        "a permanent error is about the alert, not the destination",
        [(BAD, 0), ("gate", 0)],
        [Step("dead_letter", reason="permanent_error", detail="invalid_blocks"), Step("send", 0.0)],
        "healthy",
    ),
]


@pytest.mark.parametrize(
    ("name", "events", "steps", "state"), SCENARIOS, ids=[s[0] for s in SCENARIOS]
)
def test_scenarios(
    name: str, events: list[tuple[object, float]], steps: list[Step], state: str
) -> None:
    p = policy()
    got = []
    for event, at in events:
        if event == "gate":
            got.append(p.gate(NOW + at))
        else:
            assert isinstance(event, Outcome)
            got.append(p.record("inc-1-v1", event, NOW + at))
    assert [(s.kind, round(s.delay, 3), s.reason, s.detail) for s in got] == [
        (s.kind, s.delay, s.reason, s.detail) for s in steps
    ]
    assert p.state == state


def test_retry_budget_in_time_dead_letters() -> None:
    p = policy(retry_budget=60.0)
    assert p.record("a-v1", E503, NOW).kind == "retry"
    assert p.record("a-v1", E503, NOW + 30).kind == "retry"
    step = p.record("a-v1", E503, NOW + 61)
    assert (step.kind, step.reason) == ("dead_letter", "retry_budget_exhausted")
    # The destination is still failing past its budget: the next alert does not wait.
    assert p.gate(NOW + 61.5).reason == "retry_budget_exhausted"


def test_retry_budget_in_attempts_dead_letters() -> None:
    p = policy(max_retries=2, retry_budget=1e9)
    kinds = [p.record("a-v1", E503, NOW + i * 100).kind for i in range(3)]
    assert kinds == ["retry", "retry", "dead_letter"]
    assert p.record("b-v1", E503, NOW + 400).kind == "retry"  # counted per alert


def test_jitter_spreads_within_half_to_full_backoff() -> None:
    for r in (0.0, 0.3, 0.999):
        p = DestinationPolicy(
            rate=1, burst=1, backoff_base=2.0, backoff_cap=100, rand=lambda r=r: r
        )
        p.failures = 4
        assert 8.0 <= p.backoff() < 16.0
