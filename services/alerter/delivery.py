"""Delivery to destinations over HTTP (httpx): webhook bodies are `alert.v1` JSON signed per
Standard Webhooks; redirects are never followed. Each attempt ends in one `Outcome`: delivered,
retry later (5xx, 429 with Retry-After, timeouts, network errors) or permanent (other 4xx)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from services.alerter import signing
from services.alerter.routes import Destination
from services.runtime.messages import dumps

USER_AGENT = "Fieldwatch-Alerter/0.1 (+https://fieldwatch.dev)"


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retry_after: float | None = None  # set when the failure is transient
    reason: str = ""  # bounded label: ok, http_4xx, http_5xx, http_429, timeout, network
    status: int | None = None
    detail: str = ""

    @property
    def permanent(self) -> bool:
        return not self.delivered and self.retry_after is None


def retry_after_seconds(value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return default


def webhook_request(dest: Destination, alert: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = dumps(alert)
    msg_id = f"{alert['id']}-v{alert['version']}"
    secret = dest.secret.reveal() if dest.secret else None
    headers = signing.headers(secret, msg_id, int(time.time()), body)
    headers["content-type"] = "application/json"
    return body, headers


def slack_request(dest: Destination, alert: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    text = alert["title"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    body = dumps({"text": text, "unfurl_links": False, "unfurl_media": False})
    return body, {"content-type": "application/json"}


class Deliverer:
    """Sends one alert to one destination, once; the caller decides about retries."""

    def __init__(self, client: httpx.AsyncClient | None = None) -> None:
        self.client = client or httpx.AsyncClient(
            follow_redirects=False, headers={"user-agent": USER_AGENT}
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def send(self, dest: Destination, alert: dict[str, Any]) -> Outcome:
        if dest.url is None:
            return Outcome(False, reason="config", detail="destination has no URL")
        build = slack_request if dest.type == "slack" else webhook_request
        body, headers = build(dest, alert)
        try:
            resp = await self.client.post(
                dest.url, content=body, headers=headers, timeout=dest.timeout
            )
        except httpx.TimeoutException:
            return Outcome(False, retry_after=1.0, reason="timeout")
        except httpx.TransportError as exc:
            return Outcome(False, retry_after=1.0, reason="network", detail=type(exc).__name__)
        status = resp.status_code
        if 200 <= status < 300:
            return Outcome(True, reason="ok", status=status)
        if status == 429 or status == 503:
            wait = retry_after_seconds(resp.headers.get("retry-after"), 1.0)
            return Outcome(False, retry_after=wait, reason=f"http_{status}", status=status)
        if status >= 500 or status == 408:
            return Outcome(False, retry_after=1.0, reason="http_5xx", status=status)
        return Outcome(
            False, reason="http_4xx", status=status, detail=resp.text[:200].replace("\n", " ")
        )
