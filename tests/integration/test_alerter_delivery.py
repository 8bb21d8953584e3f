"""Delivery against real HTTP receivers on loopback: one speaks Slack (incoming webhooks and
chat.postMessage), one verifies Standard Webhooks signatures with an independent implementation.
Durations are scaled down (fast rates, short backoff); the stream loop's pause on
`Backpressure` is played by `drive`, which waits what the dispatcher asked and tries again."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
import structlog
from prometheus_client import CollectorRegistry
from services.alerter.delivery import Deliverer, webhook_id
from services.alerter.dispatch import DeliveryMetrics, Dispatcher, DispatchResult
from services.alerter.routes import Destination
from services.runtime.errors import Backpressure
from services.runtime.settings import Secret
from tests.helpers.alert_receivers import OK, always, during, first, receiver
from tests.helpers.alerts import sample_alert

pytestmark = pytest.mark.integration

SECRET = "whsec_" + base64.b64encode(b"fieldwatch-integration-key-00001").decode()
HOOK = "/services/T0001/B0001/SECRETPATHxyz"


def slack_dest(url: str, **kw: Any) -> Destination:
    args: dict[str, Any] = {
        "name": "osint-slack",
        "type": "slack",
        "url": url,
        "allow_private": True,
        "timeout": 2.0,
        "rate_per_second": 50.0,
        "burst": 3,
        "max_retries": 8,
        "retry_budget": 30.0,
    }
    args.update(kw)
    return Destination(**args)


def webhook_dest(url: str, **kw: Any) -> Destination:
    args: dict[str, Any] = {"name": "soc-webhook", "type": "webhook", "secret": Secret(SECRET)}
    args.update(kw)
    return slack_dest(url, **args)


class Harness:
    def __init__(self, deliverer: Deliverer, **kw: Any) -> None:
        self.registry = CollectorRegistry()
        self.metrics = DeliveryMetrics(self.registry)
        args: dict[str, Any] = {"backoff_base": 0.05, "backoff_cap": 0.4, "inline_wait": 0.5}
        args.update(kw)
        self.dispatcher = Dispatcher(deliverer, self.metrics, **args)
        self.pauses: list[float] = []

    def sample(self, name: str, **labels: str) -> float:
        return self.registry.get_sample_value(name, labels) or 0.0

    async def drive(
        self, dest: Destination, alerts: Sequence[Mapping[str, Any]], thread_ref: str | None = None
    ) -> list[DispatchResult]:
        """Like the stream loop: on Backpressure pause as asked, then retry the same alert."""
        out = []
        for alert in alerts:
            while True:
                try:
                    out.append(await self.dispatcher.dispatch(dest, alert, thread_ref=thread_ref))
                    break
                except Backpressure as bp:
                    if bp.retry_after >= 5:  # a scaled test never needs a long pause
                        raise AssertionError(f"unexpected long pause: {bp}") from bp
                    self.pauses.append(bp.retry_after)
                    await asyncio.sleep(bp.retry_after)
        return out


def alerts(n: int) -> list[dict[str, Any]]:
    return [sample_alert(id=f"inc-{i:04d}", title=f"alert {i}") for i in range(n)]


async def test_burst_of_40_is_paced_by_the_token_bucket_and_all_delivered() -> None:
    # 10 a second: slow enough that the bucket, not the machine, sets the pace even when the
    # machine is loaded (at 40 a second a loaded machine delivered no faster than the rate, and
    # nothing waited on the bucket).
    rate, count = 10.0, 40
    async with receiver() as rec:
        dest = slack_dest(rec.url(HOOK), rate_per_second=rate, burst=3)
        h = Harness(Deliverer())
        started = time.monotonic()
        results = await h.drive(dest, alerts(count))
        elapsed = time.monotonic() - started
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert all(r.delivered for r in results)
    titles = [hit.json()["text"] for hit in rec.at(HOOK)]
    assert titles == [f"[URGENT] alert {i}" for i in range(count)]  # each once, in order
    assert elapsed >= (count - 3) / rate
    t0 = rec.hits[0].at
    for k, hit in enumerate(rec.hits):
        # Never more than the burst plus what the rate allows since the first message.
        assert k < 3 + (hit.at - t0 + 0.03) * rate, (k, hit.at - t0)
    assert h.sample("fieldwatch_alerter_pacing_wait_seconds_total", destination=dest.name) > 1.0
    assert (
        h.sample(
            "fieldwatch_alerter_notifications_total", destination=dest.name, result="delivered"
        )
        == count
    )


async def test_429_retry_after_is_honoured_in_place() -> None:
    async with receiver() as rec:
        rec.on(HOOK, first(1, (429, "rate_limited", {"Retry-After": "1"})))
        h = Harness(Deliverer(), inline_wait=2.0)
        dest = slack_dest(rec.url(HOOK))
        [result] = await h.drive(dest, alerts(1))
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert result.delivered
    first_hit, second_hit = rec.at(HOOK)
    assert second_hit.at - first_hit.at >= 1.0
    assert (
        h.sample("fieldwatch_alerter_http_attempts_total", destination=dest.name, result="http_429")
        == 1
    )


async def test_long_retry_after_becomes_backpressure_without_more_requests() -> None:
    async with receiver() as rec:
        rec.on(HOOK, first(1, (429, "rate_limited", {"Retry-After": "30"})))
        h = Harness(Deliverer(), inline_wait=0.5)
        dest = slack_dest(rec.url(HOOK))
        with pytest.raises(Backpressure) as first_bp:
            await h.dispatcher.dispatch(dest, alerts(1)[0])
        with pytest.raises(Backpressure) as second_bp:
            await h.dispatcher.dispatch(dest, alerts(1)[0])
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert first_bp.value.retry_after >= 29.5
    assert 29 <= second_bp.value.retry_after <= 30
    assert len(rec.hits) == 1  # backing off: nothing sent while Slack asked us to wait
    assert "SECRETPATH" not in str(first_bp.value)
    assert (
        h.sample("fieldwatch_alerter_destination_state", destination=dest.name, state="backing_off")
        == 1
    )


async def test_503_for_a_while_then_recovery_loses_nothing() -> None:
    async with receiver(secret=SECRET) as rec:
        rec.on("/hook", during(1.5, (503, "down for maintenance", {})))
        h = Harness(Deliverer())
        dest = webhook_dest(rec.url("/hook"))
        sent = alerts(20)
        results = await h.drive(dest, sent)
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert all(r.delivered for r in results)
    delivered = [hit for hit in rec.at("/hook") if hit.status == 200]
    assert [hit.headers["webhook-id"] for hit in delivered] == [webhook_id(a) for a in sent]
    assert all(hit.verified for hit in rec.hits)
    assert any(hit.status == 503 for hit in rec.hits)
    assert h.pauses  # the stream loop was told to pause
    assert (
        h.sample("fieldwatch_alerter_destination_state", destination=dest.name, state="healthy")
        == 1
    )
    assert (
        h.sample(
            "fieldwatch_alerter_dead_letters_total",
            destination=dest.name,
            reason="retry_budget_exhausted",
        )
        == 0
    )


async def test_retry_budget_sends_the_alert_to_the_dlq_with_the_reason() -> None:
    async with receiver() as rec:
        rec.on("/hook", always((502, "bad gateway", {})))
        h = Harness(Deliverer())
        dest = webhook_dest(rec.url("/hook"), retry_budget=0.6)
        [result] = await h.drive(dest, alerts(1))
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert not result.delivered
    assert result.error is not None
    assert result.error.reason == "retry_budget_exhausted"
    assert "http_5xx" in result.error.detail


@pytest.mark.parametrize(
    ("status", "error", "reason", "state"),
    [
        (410, "channel_is_archived", "destination_disabled", "disabled"),
        (403, "invalid_token", "destination_disabled", "disabled"),
        (404, "no_service", "destination_disabled", "disabled"),
        (400, "invalid_blocks", "permanent_error", "healthy"),
    ],
)
async def test_permanent_slack_errors(status: int, error: str, reason: str, state: str) -> None:
    async with receiver() as rec:
        rec.on(HOOK, first(1, (status, error, {})))
        h = Harness(Deliverer())
        dest = slack_dest(rec.url(HOOK))
        with structlog.testing.capture_logs() as logs:
            first_result, second_result = await h.drive(dest, alerts(2))
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert first_result.error is not None
    assert (first_result.error.reason, h.dispatcher.state(dest.name)) == (reason, state)
    assert error in first_result.error.detail
    assert h.sample("fieldwatch_alerter_destination_state", destination=dest.name, state=state) == 1
    assert (
        h.sample("fieldwatch_alerter_dead_letters_total", destination=dest.name, reason=reason) >= 1
    )
    if state == "disabled":
        # Said loudly, and nothing more is sent to a destination that is gone.
        assert any(e["event"] == "destination_disabled" and e["log_level"] == "error" for e in logs)
        assert second_result.error is not None
        assert second_result.error.reason == "destination_disabled"
        assert len(rec.hits) == 1
    else:
        assert second_result.delivered
    assert "SECRETPATH" not in repr(logs)


async def test_a_changed_destination_is_enabled_again() -> None:
    async with receiver() as rec:
        rec.on(HOOK, first(1, (410, "channel_is_archived", {})))
        h = Harness(Deliverer())
        dest = slack_dest(rec.url(HOOK))
        [gone] = await h.drive(dest, alerts(1))
        fixed = slack_dest(rec.url(HOOK), timeout=3.0)  # a routes reload changed it
        [back] = await h.drive(fixed, alerts(1))
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert (gone.delivered, back.delivered) == (False, True)


async def test_redirects_are_never_followed() -> None:
    async with receiver(secret=SECRET) as rec:
        rec.on("/hook", always((307, "", {"Location": rec.url("/elsewhere")})))
        h = Harness(Deliverer())
        dest = webhook_dest(rec.url("/hook"))
        [result] = await h.drive(dest, alerts(1))
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert rec.at("/elsewhere") == []
    assert result.error is not None
    assert result.error.reason == "permanent_error"
    assert "redirect" in result.error.detail


async def test_timeouts_are_retried() -> None:
    async with receiver() as rec:
        rec.on(HOOK, first(1, (200, "ok", {"sleep": "0.6"})))
        h = Harness(Deliverer())
        dest = slack_dest(rec.url(HOOK), timeout=0.2)
        [result] = await h.drive(dest, alerts(1))
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert result.delivered
    assert (
        h.sample("fieldwatch_alerter_http_attempts_total", destination=dest.name, result="timeout")
        == 1
    )


def resolving_to(address: str) -> Any:
    async def resolve(host: str, port: int) -> list[str]:
        return [address]

    return resolve


@pytest.mark.parametrize(
    ("url_host", "resolved", "allow_private", "delivered"),
    [
        ("hooks.fieldwatch.test", "127.0.0.1", False, False),
        ("hooks.fieldwatch.test", "127.0.0.1", True, True),
        ("127.0.0.1", None, False, False),
        ("[::ffff:127.0.0.1]", None, False, False),
    ],
)
async def test_private_addresses_are_refused_unless_allowed(
    url_host: str, resolved: str | None, allow_private: bool, delivered: bool
) -> None:
    async with receiver() as rec:
        port = rec.server.port
        deliverer = Deliverer(resolver=resolving_to(resolved or "203.0.113.9"))
        h = Harness(deliverer)
        dest = webhook_dest(f"http://{url_host}:{port}/hook", allow_private=allow_private)
        [result] = await h.drive(dest, alerts(1))
        await deliverer.close()
    assert result.delivered is delivered
    if delivered:
        # Sent to the address that was checked, under the destination's own host name.
        assert rec.hits[0].headers["host"] == f"{url_host}:{port}"
    else:
        assert rec.hits == []
        assert result.error is not None
        assert result.error.reason == "refused_address"


async def test_slack_updates_reply_in_the_incident_thread_with_a_bot_token() -> None:
    async with receiver(token="xoxb-test-token") as rec:
        deliverer = Deliverer(slack_api_url=rec.url("/api"))
        h = Harness(deliverer)
        dest = slack_dest(rec.url(HOOK), bot_token=Secret("xoxb-test-token"), channel="C0OSINT")
        with structlog.testing.capture_logs() as logs:
            [first_result] = await h.drive(dest, [sample_alert()])
            [update] = await h.drive(
                dest, [sample_alert(version=2, posts_count=3)], thread_ref=first_result.thread_ref
            )
        await deliverer.close()
    posted = rec.at("/api/chat.postMessage")
    assert first_result.thread_ref == "1700000000.000001"
    assert "thread_ts" not in posted[0].json()
    reply = posted[1].json()
    assert reply["thread_ts"] == "1700000000.000001"
    assert reply["channel"] == "C0OSINT"
    assert reply["blocks"][0]["text"]["text"].startswith("*Update 2*")
    assert update.delivered
    assert rec.at(HOOK) == []
    assert "xoxb-test-token" not in repr(logs)


async def test_slack_updates_without_a_bot_token_are_compact_follow_ups() -> None:
    async with receiver() as rec:
        h = Harness(Deliverer())
        dest = slack_dest(rec.url(HOOK))
        [first_result, update] = await h.drive(
            dest, [sample_alert(), sample_alert(version=2, posts_count=3)]
        )
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    assert first_result.thread_ref is None
    assert update.delivered
    full, follow_up = (hit.json() for hit in rec.at(HOOK))
    assert full["blocks"][0]["type"] == "header"
    assert follow_up["blocks"][0]["text"]["text"].startswith("*Update 2*")
    assert "Wagner Group, Homs" in follow_up["blocks"][0]["text"]["text"]
    assert len(follow_up["blocks"]) < len(full["blocks"])


async def test_a_revoked_bot_token_disables_the_destination() -> None:
    async with receiver(token="xoxb-new") as rec:
        deliverer = Deliverer(slack_api_url=rec.url("/api"))
        h = Harness(deliverer)
        dest = slack_dest(rec.url(HOOK), bot_token=Secret("xoxb-old"), channel="C0OSINT")
        [result] = await h.drive(dest, [sample_alert()])
        await deliverer.close()
    assert result.error is not None
    assert result.error.reason == "destination_disabled"
    assert "invalid_auth" in result.error.detail
    assert h.dispatcher.state(dest.name) == "disabled"


async def test_redelivery_keeps_the_webhook_id() -> None:
    async with receiver(secret=SECRET) as rec:
        rec.on("/hook", always(OK))
        h = Harness(Deliverer())
        dest = webhook_dest(rec.url("/hook"))
        alert = sample_alert(version=4)
        await h.drive(dest, [alert, alert])
        await h.dispatcher.deliverer.close()  # type: ignore[attr-defined]
    ids = {hit.headers["webhook-id"] for hit in rec.hits}
    assert ids == {f"{alert['id']}-v4"}
    assert all(hit.verified for hit in rec.hits)
    assert rec.hits[0].json() == rec.hits[1].json() == alert


async def test_https_name_resolving_inside_is_refused_before_connecting() -> None:
    deliverer = Deliverer(resolver=resolving_to("10.0.0.5"))
    h = Harness(deliverer)
    dest = webhook_dest("https://hooks.fieldwatch.test/hook", allow_private=False)
    with structlog.testing.capture_logs() as logs:
        [result] = await h.drive(dest, alerts(1))
    await deliverer.close()
    assert result.error is not None
    assert result.error.reason == "refused_address"
    assert "10.0.0.5" in result.error.detail
    assert (
        h.sample(
            "fieldwatch_alerter_http_attempts_total",
            destination=dest.name,
            result="refused_address",
        )
        == 1
    )
    assert any(e["event"] == "alert_dead_lettered" for e in logs)


async def test_the_system_resolver_pins_the_checked_address() -> None:
    async with receiver(secret=SECRET) as rec:
        deliverer = Deliverer()
        h = Harness(deliverer)
        port = rec.server.port
        url = f"http://localhost:{port}/hook"
        [allowed] = await h.drive(webhook_dest(url, allow_private=True), alerts(1))
        [refused] = await h.drive(webhook_dest(url, name="strict", allow_private=False), alerts(1))
        await deliverer.close()
    assert allowed.delivered
    assert rec.hits[0].headers["host"] == f"localhost:{port}"
    assert rec.hits[0].verified
    assert refused.error is not None
    assert refused.error.reason == "refused_address"
    assert len(rec.hits) == 1
