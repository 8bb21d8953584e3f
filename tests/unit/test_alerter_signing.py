"""Standard Webhooks signatures: what `services.alerter.signing` and `webhook_request` produce
verifies with the independent `standardwebhooks` package (the spec's reference for Python), and
a changed body, id, timestamp or key does not."""

from __future__ import annotations

import base64
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from services.alerter import signing
from services.alerter.delivery import webhook_id, webhook_request
from services.alerter.routes import Destination
from services.runtime.settings import Secret
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from tests.helpers.alerts import sample_alert

pytestmark = pytest.mark.unit

SECRET = "whsec_" + base64.b64encode(b"fieldwatch-test-signing-key-0001").decode()


def verify(secret: str, body: bytes, headers: dict[str, str]) -> bool:
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except WebhookVerificationError:
        return False
    return True


def test_webhook_request_verifies_independently() -> None:
    alert = sample_alert(version=3)
    dest = Destination(
        name="soc", type="webhook", url="https://soc.example.org/h", secret=Secret(SECRET)
    )
    now = int(time.time())
    body, headers = webhook_request(dest, alert, now)
    assert headers["webhook-id"] == f"{alert['id']}-v3" == webhook_id(alert)
    assert headers["webhook-timestamp"] == str(now)
    assert headers["content-type"] == "application/json"
    assert verify(SECRET, body, headers)


def test_unsigned_without_secret() -> None:
    dest = Destination(name="open", type="webhook", url="https://soc.example.org/h")
    _, headers = webhook_request(dest, sample_alert(), int(time.time()))
    assert "webhook-signature" not in headers
    assert headers["webhook-id"].endswith("-v1")


OTHER = "whsec_" + base64.b64encode(b"another-key-another-key-another!").decode()


@pytest.mark.parametrize(
    ("change", "ok"),
    [
        ({}, True),
        ({"body": b'{"id":"x"}'}, False),
        ({"webhook-id": "inc-other-v1"}, False),
        ({"webhook-timestamp": "+1"}, False),
        ({"secret": OTHER}, False),
    ],
)
def test_tampering_is_detected(change: dict[str, object], ok: bool) -> None:
    now = int(time.time())
    body = b'{"id":"inc-1","version":1}'
    headers = signing.headers(SECRET, "inc-1-v1", now, body)
    if change.get("webhook-timestamp") == "+1":
        headers["webhook-timestamp"] = str(now + 1)
    elif "webhook-id" in change:
        headers["webhook-id"] = str(change["webhook-id"])
    sent = change.get("body", body)
    assert isinstance(sent, bytes)
    assert verify(str(change.get("secret", SECRET)), sent, headers) is ok
    assert (
        signing.verify(
            str(change.get("secret", SECRET)),
            headers["webhook-id"],
            int(headers["webhook-timestamp"]),
            sent,
            headers["webhook-signature"],
        )
        is ok
    )


@settings(max_examples=100, deadline=None)
@given(
    key=st.binary(min_size=24, max_size=64),
    msg_id=st.text(
        alphabet=st.characters(codec="ascii", categories=["L", "N", "P"]), min_size=1, max_size=60
    ),
    body=st.text(max_size=500).map(str.encode),
)
def test_any_key_id_and_body_verify(key: bytes, msg_id: str, body: bytes) -> None:
    secret = "whsec_" + base64.b64encode(key).decode()
    now = int(time.time())
    headers = signing.headers(secret, msg_id, now, body)
    assert verify(secret, body, headers)


def test_invalid_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="whsec_"):
        signing.sign("whsec_not base64!", "id", 1, b"")
