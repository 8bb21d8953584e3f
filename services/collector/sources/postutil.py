"""Pure helpers the streaming adapters share when they build `post.v1` values: tolerant time
parsing (platforms and clients write RFC 3339 in many dialects), language tags, hostile-text
limits, and the final check that turns a draft into either a valid post or a `Reject` with the
exact fields that were wrong. No I/O."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from services.collector.sources.base import Reject
from services.runtime.messages import MAX_TEXT, format_time, post_errors

_LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_FRACTION_RE = re.compile(r"(\.\d{6})\d+")
# Tags platforms use for "no language" or "not a language"; an analyst is better served by null.
_NO_LANG = frozenset({"und", "zxx", "mul", "qam", "qct", "qht", "qme", "qst"})
MAX_URL = 2048
MAX_FIELD = 2048


def parse_when(value: Any) -> datetime | None:
    """A timestamp written by a client, as an aware UTC datetime, or None if unusable.
    Accepts `Z`, `+00:00` and other offsets, `t`/space separators, more than microsecond
    precision; a timestamp without offset is taken as UTC."""
    if not isinstance(value, str) or not 10 <= len(value) <= 64:
        return None
    text = _FRACTION_RE.sub(r"\1", value.strip().replace("z", "Z").replace("t", "T"))
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        return dt.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def rfc3339(dt: datetime) -> str:
    return format_time(dt)


def lang_tag(value: Any) -> str | None:
    """A BCP 47 tag as post.v1 accepts it, or None ("und" and similar mean no language)."""
    if not isinstance(value, str) or not _LANG_RE.match(value):
        return None
    return None if value.lower() in _NO_LANG else value


def short(value: Any, limit: int = MAX_FIELD) -> str | None:
    """A string field capped at `limit` characters (hostile payloads can be huge), or None."""
    if not isinstance(value, str) or not value:
        return None
    return value[:limit]


def cap_text(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT]


MAX_RAW = 512 * 1024  # dead letters stay well under the broker's default 1 MB record limit


def reject(raw: bytes, reason: str, detail: str) -> Reject:
    """A `Reject` whose raw bytes fit on the dead-letter topic (huge hostile payloads are cut,
    and the detail says so)."""
    if len(raw) > MAX_RAW:
        detail = f"{detail} (first {MAX_RAW} of {len(raw)} bytes kept)"
        raw = raw[:MAX_RAW]
    return Reject(raw=raw, reason=reason, detail=detail)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def finish(draft: dict[str, Any], raw: bytes, where: str) -> dict[str, Any] | Reject:
    """Drop empty optional fields and check the result against post.v1: a valid post, or a
    `Reject` naming every invalid field (so nothing invalid ever reaches the posts topic)."""
    post: dict[str, Any] = _prune(draft)
    if "geo" in post and "kind" not in post["geo"]:
        del post["geo"]
    errors = post_errors(post)
    if errors:
        detail = "; ".join(f"{f}: {m}" for f, m in errors)
        return reject(raw=raw, reason="schema_invalid", detail=f"{where}: {detail}")
    return post
