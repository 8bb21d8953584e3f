"""Parsing of /ingest bodies: object, array, NDJSON; all or nothing; item and field named."""

from __future__ import annotations

import orjson
import pytest
from services.collector.ingest import parse_ingest

pytestmark = pytest.mark.unit

NOW = "2026-11-20T09:00:00.000Z"


def p(n: int, **extra: object) -> dict[str, object]:
    return {
        "id": f"ingest:{n}",
        "source": "ingest",
        "text": f"post {n}",
        "created_at": "2026-11-20T08:00:00Z",
        **extra,
    }


def test_one_object() -> None:
    result = parse_ingest(orjson.dumps(p(1)), "application/json", NOW)
    assert result.errors == []
    assert result.posts[0]["id"] == "ingest:1"
    assert result.posts[0]["collected_at"] == NOW
    assert result.posts[0]["created_at"] == "2026-11-20T08:00:00.000Z"


def test_array_and_ndjson() -> None:
    assert len(parse_ingest(orjson.dumps([p(1), p(2)]), "application/json", NOW).posts) == 2
    body = b"\n".join(orjson.dumps(x) for x in (p(1), p(2), p(3))) + b"\n"
    assert len(parse_ingest(body, "application/x-ndjson", NOW).posts) == 3
    # NDJSON sent as application/json is recognised too.
    assert len(parse_ingest(body, "application/json", NOW).posts) == 3


def test_all_or_nothing_with_every_item_and_field_named() -> None:
    result = parse_ingest(
        orjson.dumps([p(1), {"id": "ingest:2"}, p(3, lang=5)]), "application/json", NOW
    )
    assert result.posts == []
    assert {"index": 1, "field": "text", "message": "is required"} in result.errors
    assert any(e["index"] == 2 and e["field"] == "lang" for e in result.errors)
    assert not any(e["index"] == 0 for e in result.errors)


def test_ndjson_errors_name_lines() -> None:
    body = orjson.dumps(p(1)) + b"\n{oops\n" + orjson.dumps({"id": "x"})
    result = parse_ingest(body, "application/x-ndjson", NOW)
    assert any(e["line"] == 2 and "invalid JSON" in e["message"] for e in result.errors)
    assert any(e["line"] == 3 and e["field"] == "source" for e in result.errors)


@pytest.mark.parametrize("body", [b"", b"   ", b"{", b"null", b"42", b"[1]"])
def test_garbage_is_rejected_with_a_reason(body: bytes) -> None:
    result = parse_ingest(body, "application/json", NOW)
    assert result.posts == []
    assert result.errors
    assert all(e["message"] for e in result.errors)
