"""Dispatch of alerts to destinations: the shell around `services.alerter.policy`. It waits for
the destination's token bucket, makes the attempt (`Deliverer.send`), retries briefly in place,
and otherwise turns the policy's steps into one `DispatchResult` (delivered, with the Slack
thread reference when there is one; or dead-letter with the reason) or raises `Backpressure`
so the stream loop pauses without committing. It logs and counts every attempt.

A disabled destination stays disabled until its configuration changes (a routes reload with a
different definition); it is logged at error level and shown by the `disabled` state metric."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.alerter.delivery import webhook_id
from services.alerter.policy import (
    ATTEMPT_RESULTS,
    DEAD_LETTER_REASONS,
    FAILURE_REASONS,
    STATES,
    DestinationPolicy,
    Outcome,
)
from services.alerter.routes import Destination
from services.runtime.errors import Backpressure, PoisonMessage
from services.runtime.logging import get_logger

log = get_logger("fieldwatch.alerter.dispatch")

# Buckets on the objectives: a Slack post normally answers within 0.25–1 s; 10 s is the timeout.
DELIVERY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Sender(Protocol):
    async def send(
        self,
        dest: Destination,
        alert: Mapping[str, Any],
        *,
        thread_ref: str | None = None,
        update: bool = False,
    ) -> Outcome: ...


@dataclass(frozen=True)
class DispatchResult:
    """Delivered (with the Slack message `ts` to thread later updates under, when known), or
    not: then `error` is the dead letter's reason and detail."""

    delivered: bool
    thread_ref: str | None = None
    error: PoisonMessage | None = None


class DeliveryMetrics:
    """Delivery metrics on the given registry; labels from closed sets only."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._known: set[str] = set()
        self.notifications = Counter(
            "fieldwatch_alerter_notifications",
            "Alerts handed to a destination, by final result (delivered, dead_lettered).",
            ["destination", "result"],
            registry=registry,
        )
        self.attempts = Counter(
            "fieldwatch_alerter_http_attempts",
            "HTTP delivery attempts, by destination and result.",
            ["destination", "result"],
            registry=registry,
        )
        self.failures = Counter(
            "fieldwatch_alerter_delivery_failures",
            "Failed delivery attempts, by destination and bounded reason.",
            ["destination", "reason"],
            registry=registry,
        )
        self.dead_letters = Counter(
            "fieldwatch_alerter_dead_letters",
            "Alerts sent to the dead-letter topic instead of a destination, by reason.",
            ["destination", "reason"],
            registry=registry,
        )
        self.delivery_duration = Histogram(
            "fieldwatch_alerter_delivery_duration_seconds",
            "Duration of one HTTP delivery attempt.",
            ["destination"],
            buckets=DELIVERY_BUCKETS,
            registry=registry,
        )
        self.pacing = Counter(
            "fieldwatch_alerter_pacing_wait_seconds",
            "Seconds spent waiting for a destination's rate limit (token bucket).",
            ["destination"],
            registry=registry,
        )
        self.destination_state = Gauge(
            "fieldwatch_alerter_destination_state",
            "1 for the destination's current state (healthy, backing_off, disabled).",
            ["destination", "state"],
            registry=registry,
        )

    def prepare(self, destinations: Iterable[str]) -> None:
        """Pre-initialise every known label set to 0."""
        for name in destinations:
            for result in ATTEMPT_RESULTS:
                self.attempts.labels(name, result)
            for reason in FAILURE_REASONS:
                self.failures.labels(name, reason)
            for reason in DEAD_LETTER_REASONS:
                self.dead_letters.labels(name, reason)
            for result in ("delivered", "dead_lettered"):
                self.notifications.labels(name, result)
            self.delivery_duration.labels(name)
            self.pacing.labels(name)
            if name not in self._known:  # a known destination keeps its state over reloads
                self._known.add(name)
                self.set_state(name, "healthy")

    def set_state(self, destination: str, state: str) -> None:
        for s in STATES:
            self.destination_state.labels(destination, s).set(1 if s == state else 0)


class Dispatcher:
    """Per-destination pacing, retries, disabling and backpressure. See the module docstring.

    `inline_wait`: the longest wait (pacing or a retry delay) taken in place; a longer one
    becomes `Backpressure`. `inline_attempts`: attempts per call before backpressure.
    `backoff_base`/`backoff_cap` scale the exponential backoff (tests shrink them)."""

    def __init__(
        self,
        deliverer: Sender,
        metrics: DeliveryMetrics,
        clock: Callable[[], float] = time.monotonic,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        inline_wait: float = 5.0,
        inline_attempts: int = 3,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
    ) -> None:
        self.deliverer = deliverer
        self.metrics = metrics
        self.clock = clock
        self.sleep = sleep
        self.rand = rand
        self.inline_wait = inline_wait
        self.inline_attempts = inline_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._policies: dict[str, tuple[Destination, DestinationPolicy]] = {}

    def policy(self, dest: Destination) -> DestinationPolicy:
        """The destination's policy; a changed definition (a routes reload) starts afresh,
        which is also how a disabled destination comes back."""
        known = self._policies.get(dest.name)
        if known is not None and known[0] == dest:
            return known[1]
        if known is not None and known[1].state == "disabled":
            log.warning("destination_reenabled", destination=dest.name)
        policy = DestinationPolicy(
            rate=dest.rate_per_second,
            burst=dest.burst,
            max_retries=dest.max_retries,
            retry_budget=dest.retry_budget,
            backoff_base=self.backoff_base,
            backoff_cap=self.backoff_cap,
            rand=self.rand,
        )
        self._policies[dest.name] = (dest, policy)
        self.metrics.set_state(dest.name, "healthy")
        return policy

    def state(self, name: str) -> str:
        known = self._policies.get(name)
        return known[1].state if known else "healthy"

    async def _attempt(
        self, dest: Destination, alert: Mapping[str, Any], thread_ref: str | None, update: bool
    ) -> Outcome:
        started = time.perf_counter()
        outcome = await self.deliverer.send(dest, alert, thread_ref=thread_ref, update=update)
        self.metrics.delivery_duration.labels(dest.name).observe(time.perf_counter() - started)
        self.metrics.attempts.labels(dest.name, outcome.result).inc()
        if not outcome.delivered:
            self.metrics.failures.labels(dest.name, outcome.reason).inc()
        return outcome

    def _dead_letter(
        self, dest: Destination, alert: Mapping[str, Any], reason: str, detail: str
    ) -> DispatchResult:
        self.metrics.dead_letters.labels(dest.name, reason).inc()
        self.metrics.notifications.labels(dest.name, "dead_lettered").inc()
        log.error(
            "alert_dead_lettered",
            destination=dest.name,
            alert_id=alert.get("id"),
            version=alert.get("version"),
            reason=reason,
            detail=detail[:300],
        )
        return DispatchResult(
            False, error=PoisonMessage(reason, f"destination {dest.name}: {detail}"[:1000])
        )

    async def dispatch(
        self,
        dest: Destination,
        alert: Mapping[str, Any],
        *,
        thread_ref: str | None = None,
        update: bool | None = None,
    ) -> DispatchResult:
        """Deliver `alert` to `dest`, or say why it goes to the dead-letter topic; raises
        `Backpressure` while the destination is backed up. `update` defaults to the alert's
        `status == "update"` (or version > 1 without a status): on Slack, a compact update, a
        reply in `thread_ref`'s thread when the destination has a bot token."""
        if update is None:
            status = alert.get("status")
            update = status == "update" if status else int(alert.get("version") or 1) > 1
        policy = self.policy(dest)
        msg_id = webhook_id(alert)
        attempts = 0
        while True:
            step = policy.gate(self.clock())
            if step.kind == "dead_letter":
                return self._dead_letter(dest, alert, step.reason, step.detail)
            if step.kind == "wait":
                if step.delay > self.inline_wait or attempts >= self.inline_attempts:
                    raise Backpressure(step.delay, f"destination {dest.name} is backing off")
                await self.sleep(step.delay)
                continue
            if step.delay > 0:
                self.metrics.pacing.labels(dest.name).inc(step.delay)
                await self.sleep(step.delay)
            attempts += 1
            outcome = await self._attempt(dest, alert, thread_ref, update)
            was = policy.state
            step = policy.record(msg_id, outcome, self.clock())
            self.metrics.set_state(dest.name, policy.state)
            if step.kind == "delivered":
                if was != "healthy":
                    log.info("destination_recovered", destination=dest.name)
                self.metrics.notifications.labels(dest.name, "delivered").inc()
                return DispatchResult(True, thread_ref=outcome.thread_ref or thread_ref)
            if step.kind == "dead_letter":
                if policy.state == "disabled" and was != "disabled":
                    log.error(
                        "destination_disabled",
                        destination=dest.name,
                        reason=outcome.reason,
                        status=outcome.status,
                        detail=outcome.detail[:200],
                        action="fix the destination, then change its entry in the routes file",
                    )
                return self._dead_letter(dest, alert, step.reason, step.detail)
            log.warning(
                "destination_backing_off",
                destination=dest.name,
                reason=outcome.reason,
                status=outcome.status,
                retry_in=round(step.delay, 3),
                attempt=attempts,
            )
