"""Delivery to destinations over HTTP (httpx), one attempt at a time; the caller
(`services.alerter.dispatch`) decides about pacing and retries.

Webhook bodies are `alert.v1` JSON signed per Standard Webhooks (`webhook-id` = alert id +
version, so a redelivery carries the same id and receivers de-duplicate). Slack destinations get
Block Kit (`services.alerter.slack`) through the incoming webhook, or through chat.postMessage
when a bot token is configured, so that updates can reply in the incident's thread.

Redirects are never followed. Before each attempt the destination's host name is resolved and
every address must be public unless the destination sets `allow_private: true`. Plain http goes
to the address that was checked, so a DNS answer that changes between the check and the
connection cannot reach a private address; https relies on certificate verification for that
(an inside host has no certificate for the destination's name). Each attempt
ends in one `Outcome`; exception texts and response bodies are reduced to bounded, URL-free
details, because a Slack webhook URL is itself a secret."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx

from services.alerter import signing, slack
from services.alerter.policy import (
    SLACK_DISABLE_ERRORS,
    SLACK_TRANSIENT_ERRORS,
    Kind,
    Outcome,
    slack_reason,
)
from services.alerter.routes import Destination, url_problem
from services.runtime.errors import PoisonMessage
from services.runtime.messages import dumps, loads
from services.runtime.ratelimit import retry_after

USER_AGENT = "Fieldwatch-Alerter/0.1 (+https://fieldwatch.dev)"
SLACK_API_URL = "https://slack.com/api"
Resolver = Callable[[str, int], Awaitable[list[str]]]


def webhook_id(alert: Mapping[str, Any]) -> str:
    """The one rule for a delivery's id: alert id + version. The same alert version always
    gets the same id, so receivers (and Slack thread bookkeeping) can de-duplicate."""
    return f"{alert['id']}-v{alert['version']}"


retry_after_seconds = retry_after  # the name callers of this module know


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def webhook_request(
    dest: Destination, alert: Mapping[str, Any], timestamp: int
) -> tuple[bytes, dict[str, str]]:
    """Body and headers of a webhook delivery: `alert.v1` JSON, Standard Webhooks headers
    (`webhook-signature` only when the destination has a secret)."""
    body = dumps(alert)
    secret = dest.secret.reveal() if dest.secret else None
    headers = signing.headers(secret, webhook_id(alert), timestamp, body)
    headers["content-type"] = "application/json"
    return body, headers


def _detail(resp: httpx.Response) -> str:
    # Slack answers in a few words; a webhook receiver might echo anything: keep it short.
    return " ".join(resp.text[:200].split())


def classify_webhook(resp: httpx.Response, now: float) -> Outcome:
    status = resp.status_code
    if 200 <= status < 300:
        return Outcome("delivered", "ok", status=status)
    if 300 <= status < 400:
        return Outcome("permanent", "redirect", "redirect", status, detail="redirect not followed")
    wait = retry_after_seconds(resp.headers.get("retry-after"), now)
    if status == 429:
        return Outcome("transient", "http_429", "http_429", status, wait)
    if status >= 500 or status == 408:
        return Outcome("transient", "http_5xx", "http_5xx", status, wait, _detail(resp))
    if status == 410:  # Gone: the receiver asks us to stop sending
        return Outcome("disable", "http_4xx", "http_4xx", status, detail=_detail(resp))
    return Outcome("permanent", "http_4xx", "http_4xx", status, detail=_detail(resp))


def classify_slack_webhook(resp: httpx.Response, now: float) -> Outcome:
    """Incoming webhooks answer `ok`, or an error string with a 4xx/5xx status."""
    status = resp.status_code
    if 200 <= status < 300:
        return Outcome("delivered", "ok", status=status)
    error = resp.text.strip()[:64]
    wait = retry_after_seconds(resp.headers.get("retry-after"), now)
    if status == 429 or error in SLACK_TRANSIENT_ERRORS or status >= 500:
        result = "http_429" if status == 429 else "http_5xx"
        reason = slack_reason(error) if error in SLACK_TRANSIENT_ERRORS else result
        return Outcome("transient", result, reason, status, wait, error)
    if 300 <= status < 400:
        return Outcome("permanent", "redirect", "redirect", status, detail="redirect not followed")
    if error in SLACK_DISABLE_ERRORS or status in (401, 403, 404, 410):
        return Outcome("disable", "slack_error", slack_reason(error), status, detail=error)
    return Outcome("permanent", "slack_error", slack_reason(error), status, detail=error)


def classify_slack_api(resp: httpx.Response, now: float) -> Outcome:
    """chat.postMessage answers HTTP 200 with `{"ok": false, "error": ...}`, or 429."""
    status = resp.status_code
    wait = retry_after_seconds(resp.headers.get("retry-after"), now)
    if status == 429:
        return Outcome("transient", "http_429", "http_429", status, wait, "ratelimited")
    if status >= 500:
        return Outcome("transient", "http_5xx", "http_5xx", status, wait)
    if status != 200:
        return classify_slack_webhook(resp, now)
    try:
        data = loads(resp.content)
    except PoisonMessage:  # not JSON: a proxy or an outage page answered
        data = None
    if not isinstance(data, dict):
        return Outcome("transient", "http_5xx", "http_5xx", status, detail="unreadable answer")
    if data.get("ok") is True:
        ts = data.get("ts")
        return Outcome("delivered", "ok", status=status, thread_ref=ts if ts else None)
    error = str(data.get("error") or "")[:64]
    if error in SLACK_TRANSIENT_ERRORS:
        return Outcome("transient", "slack_error", slack_reason(error), status, wait, error)
    kind: Kind = "disable" if error in SLACK_DISABLE_ERRORS else "permanent"
    return Outcome(kind, "slack_error", slack_reason(error), status, detail=error)


class Deliverer:
    """Sends one alert to one destination, once. `resolver` and `slack_api_url` are injectable
    so tests run real HTTP servers on loopback."""

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        resolver: Resolver | None = None,
        slack_api_url: str = SLACK_API_URL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client or httpx.AsyncClient(
            follow_redirects=False, headers={"user-agent": USER_AGENT}
        )
        self.resolver = resolver or system_resolver
        self.slack_api_url = slack_api_url.rstrip("/")
        self.clock = clock

    async def close(self) -> None:
        await self.client.aclose()

    async def _pin(self, url: str, allow_private: bool) -> tuple[httpx.URL, str | None] | Outcome:
        """The URL to connect to (the checked address) and the TLS server name, or why not."""
        why = url_problem(url, allow_private)
        if why:
            return Outcome("permanent", "refused_address", "refused_address", detail=why)
        target = httpx.URL(url)
        host = target.host
        try:
            ipaddress.ip_address(host)
            return target, None  # a literal address was checked by url_problem
        except ValueError:
            pass
        try:
            addresses = await self.resolver(host, target.port or 443)
        except OSError as exc:
            return Outcome(
                "transient", "network", "network", detail=f"resolve: {type(exc).__name__}"
            )
        if not addresses:
            return Outcome("transient", "network", "network", detail="resolve: no address")
        if not allow_private:
            bad = [a for a in addresses if not is_public(a)]
            if bad:
                return Outcome(
                    "permanent",
                    "refused_address",
                    "refused_address",
                    detail=f"host resolves to non-public address {bad[0]}; "
                    "set allow_private: true to allow it",
                )
        if target.scheme == "https":
            # Not pinned: pooled TLS connections are keyed by address, not name, and the
            # certificate check already stops a later DNS answer from reaching an inside host.
            return target, None
        # One address is pinned, so no fallback between families: prefer IPv4, which every
        # receiver we know of listens on.
        chosen = next((a for a in addresses if ":" not in a), addresses[0])
        return target.copy_with(host=chosen), host

    async def _post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        *,
        allow_private: bool,
        timeout: float,
    ) -> httpx.Response | Outcome:
        pinned = await self._pin(url, allow_private)
        if isinstance(pinned, Outcome):
            return pinned
        target, server_name = pinned
        extensions: dict[str, Any] = {}
        if server_name is not None:
            headers = {**headers, "host": httpx.URL(url).netloc.decode("ascii")}
            extensions["sni_hostname"] = server_name
        try:
            return await self.client.post(
                target, content=body, headers=headers, timeout=timeout, extensions=extensions
            )
        except httpx.TimeoutException:
            return Outcome("transient", "timeout", "timeout", detail="timed out")
        except httpx.TransportError as exc:
            return Outcome("transient", "network", "network", detail=type(exc).__name__)

    async def send(
        self,
        dest: Destination,
        alert: Mapping[str, Any],
        *,
        thread_ref: str | None = None,
        update: bool = False,
    ) -> Outcome:
        """One attempt. Slack with a bot token posts through chat.postMessage (a reply in
        `thread_ref`'s thread for updates); without one, through the incoming webhook."""
        now = self.clock()
        if dest.type == "slack" and dest.bot_token is not None and dest.channel:
            payload = slack.render(
                alert,
                update=update,
                channel=dest.channel,
                thread_ts=thread_ref if update else None,
            )
            headers = {
                "content-type": "application/json; charset=utf-8",
                "authorization": f"Bearer {dest.bot_token.reveal()}",
            }
            resp = await self._post(
                f"{self.slack_api_url}/chat.postMessage",
                dumps(payload),
                headers,
                allow_private=True,  # the API address is ours, not the routes file's
                timeout=dest.timeout,
            )
            return resp if isinstance(resp, Outcome) else classify_slack_api(resp, now)
        if dest.url is None:
            return Outcome("permanent", "config", "config", detail="destination has no URL")
        if dest.type == "slack":
            body = dumps(slack.render(alert, update=update))
            headers = {"content-type": "application/json"}
            classify = classify_slack_webhook
        else:
            try:
                body, headers = webhook_request(dest, alert, int(now))
            except ValueError as exc:  # an undecodable signing secret
                return Outcome("disable", "config", "config", detail=str(exc))
            classify = classify_webhook
        resp = await self._post(
            dest.url, body, headers, allow_private=dest.allow_private, timeout=dest.timeout
        )
        return resp if isinstance(resp, Outcome) else classify(resp, now)
