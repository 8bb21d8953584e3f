"""Standard Webhooks signatures (https://www.standardwebhooks.com/): HMAC-SHA256 over
`{webhook-id}.{webhook-timestamp}.{body}` with the base64 key after `whsec_`, sent as
`webhook-signature: v1,<base64>`. Pure functions; a receiver can verify and de-duplicate."""

from __future__ import annotations

import base64
import hashlib
import hmac


def decode_secret(secret: str) -> bytes:
    """The signing key bytes from a `whsec_<base64>` secret (or bare base64)."""
    raw = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(raw, validate=True)
    except ValueError as exc:
        raise ValueError("webhook secret must be 'whsec_' followed by base64") from exc


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = decode_secret(secret)
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str | None, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    out = {"webhook-id": msg_id, "webhook-timestamp": str(timestamp)}
    if secret:
        out["webhook-signature"] = sign(secret, msg_id, timestamp, body)
    return out


def verify(secret: str, msg_id: str, timestamp: int, body: bytes, signature_header: str) -> bool:
    expected = sign(secret, msg_id, timestamp, body).split(",", 1)[1]
    for part in signature_header.split():
        version, _, sig = part.partition(",")
        if version == "v1" and hmac.compare_digest(sig, expected):
            return True
    return False
