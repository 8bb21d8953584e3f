"""The per-destination delivery policy, pure: what one HTTP attempt ended in (`Outcome`), and
what to do next (`Step`), given a destination's token bucket, its failure history and the clock
passed in. No I/O, no sleeping: `services.alerter.dispatch` turns the steps into waits, HTTP
attempts, backpressure, dead letters, log lines and metrics.

Rules. A destination is `healthy`, `backing_off` or `disabled`. Sends are paced by a token
bucket (Slack: about one message a second with a small burst). A transient failure (timeout,
network, 408, 429, 5xx) backs the destination off exponentially with jitter, never sooner than
the server's `Retry-After`; while backing off, nothing is sent to it. An alert whose destination
has failed for longer than the retry budget, or that has been tried `max_retries` times, is
dead-lettered with the reason. Any other 4xx is permanent for that alert. Errors that mean the
destination itself is gone (Slack `channel_is_archived`, `invalid_token`, `no_service`, 410
Gone...) disable the destination until its configuration changes; its alerts are dead-lettered."""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from services.runtime.ratelimit import TokenBucket

Kind = Literal["delivered", "transient", "permanent", "disable"]
STATES = ("healthy", "backing_off", "disabled")
# Attempt results (metric label `result`): a closed set.
ATTEMPT_RESULTS = (
    "ok",
    "timeout",
    "network",
    "redirect",
    "http_4xx",
    "http_429",
    "http_5xx",
    "slack_error",
    "refused_address",
    "config",
)
DEAD_LETTER_REASONS = (
    "permanent_error",
    "destination_disabled",
    "retry_budget_exhausted",
    "refused_address",
)

# Slack errors that mean the destination itself is unusable: every later message would fail
# the same way, so the destination is disabled (incoming webhooks and chat.postMessage).
SLACK_DISABLE_ERRORS = frozenset(
    {
        "invalid_token",
        "no_service",
        "no_service_id",
        "no_team",
        "team_disabled",
        "no_active_hooks",
        "channel_is_archived",
        "channel_not_found",
        "action_prohibited",
        "posting_to_general_channel_denied",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "not_in_channel",
        "is_archived",
        "restricted_action",
        "ekm_access_denied",
        "team_access_not_granted",
    }
)
# Slack errors worth retrying.
SLACK_TRANSIENT_ERRORS = frozenset(
    {
        "rate_limited",
        "ratelimited",
        "rollup_error",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    }
)
# Errors about this one message (too long, malformed blocks): dead-letter it, keep going.
SLACK_MESSAGE_ERRORS = frozenset(
    {
        "invalid_payload",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "too_many_attachments",
        "no_text",
        "invalid_arguments",
        "user_not_found",
    }
)
FAILURE_REASONS = (
    *(r for r in ATTEMPT_RESULTS if r != "ok"),
    *sorted(SLACK_DISABLE_ERRORS | SLACK_TRANSIENT_ERRORS | SLACK_MESSAGE_ERRORS),
    "slack_other",
)


def slack_reason(error: str) -> str:
    """A Slack error string as a bounded metric label."""
    known = SLACK_DISABLE_ERRORS | SLACK_TRANSIENT_ERRORS | SLACK_MESSAGE_ERRORS
    return error if error in known else "slack_other"


@dataclass(frozen=True)
class Outcome:
    """How one HTTP attempt ended. `result` and `reason` are closed-set labels; `detail` is for
    logs and dead-letter headers and never holds a URL or a secret."""

    kind: Kind
    result: str  # one of ATTEMPT_RESULTS
    reason: str = "ok"  # one of FAILURE_REASONS (or "ok")
    status: int | None = None
    retry_after: float | None = None  # the server's Retry-After, when it sent one
    detail: str = ""
    thread_ref: str | None = None  # Slack `ts` of the message posted, when known

    @property
    def delivered(self) -> bool:
        return self.kind == "delivered"


StepKind = Literal["send", "wait", "delivered", "retry", "dead_letter"]


@dataclass(frozen=True)
class Step:
    """What the shell does next. `send`: sleep `delay` (pacing) then send; `wait`/`retry`:
    nothing may be sent for `delay` seconds; `dead_letter`: give up on this alert, `reason`."""

    kind: StepKind
    delay: float = 0.0
    reason: str = ""
    detail: str = ""


@dataclass
class DestinationPolicy:
    """The mutable policy state of one destination. Every method takes `now` (monotonic
    seconds) so tests drive it without sleeping."""

    rate: float
    burst: int
    max_retries: int = 8
    retry_budget: float = 600.0
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    rand: Callable[[], float] = field(default=random.random)
    state: str = "healthy"
    disabled_reason: str = ""
    failing_since: float | None = None
    failures: int = 0
    next_attempt_at: float = 0.0
    bucket: TokenBucket = field(init=False)
    attempts: OrderedDict[str, int] = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        self.bucket = TokenBucket(rate=self.rate, burst=float(self.burst))

    def _budget_spent(self, now: float) -> bool:
        return self.failing_since is not None and now - self.failing_since >= self.retry_budget

    def gate(self, now: float) -> Step:
        """Before an attempt: send (after `delay` of pacing), wait, or dead-letter."""
        if self.state == "disabled":
            return Step("dead_letter", reason="destination_disabled", detail=self.disabled_reason)
        if now < self.next_attempt_at:
            if self._budget_spent(now):
                return Step(
                    "dead_letter",
                    reason="retry_budget_exhausted",
                    detail=f"failing for {now - (self.failing_since or now):.0f}s",
                )
            return Step("wait", delay=self.next_attempt_at - now)
        return Step("send", delay=self.bucket.delay(now))

    def backoff(self) -> float:
        """Exponential backoff with equal jitter: half fixed, half random, so a retry never
        comes immediately and many alerters do not retry in step."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** max(0, self.failures - 1))
        return float(ceiling / 2 + ceiling / 2 * self.rand())

    def _forget(self, msg_id: str) -> None:
        self.attempts.pop(msg_id, None)

    def record(self, msg_id: str, outcome: Outcome, now: float) -> Step:
        """After an attempt for message `msg_id`: the next step."""
        if outcome.kind == "delivered":
            self._forget(msg_id)
            self.state, self.failing_since, self.failures = "healthy", None, 0
            self.next_attempt_at = 0.0
            return Step("delivered")
        if outcome.kind == "disable":
            self._forget(msg_id)
            self.state = "disabled"
            self.disabled_reason = f"{outcome.reason} (HTTP {outcome.status})"
            return Step("dead_letter", reason="destination_disabled", detail=outcome.detail)
        if outcome.kind == "permanent":
            self._forget(msg_id)
            reason = "refused_address" if outcome.result == "refused_address" else "permanent_error"
            return Step("dead_letter", reason=reason, detail=outcome.detail)
        # Transient: this message and the destination both back off.
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = now
        tries = self.attempts.pop(msg_id, 0) + 1
        self.attempts[msg_id] = tries
        while len(self.attempts) > 10_000:
            self.attempts.popitem(last=False)
        # A burst after recovery would meet the same overload: start from an empty bucket.
        self.bucket.tokens = min(self.bucket.tokens, 0.0)
        delay = max(outcome.retry_after or 0.0, self.backoff())
        self.next_attempt_at = now + delay
        self.state = "backing_off"
        if tries > self.max_retries or self._budget_spent(now):
            self._forget(msg_id)
            return Step(
                "dead_letter",
                reason="retry_budget_exhausted",
                detail=f"{tries} attempts over {now - self.failing_since:.0f}s, "
                f"last: {outcome.reason} {outcome.detail}".strip(),
            )
        return Step("retry", delay=delay, reason=outcome.reason, detail=outcome.detail)
