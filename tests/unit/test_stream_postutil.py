"""The helpers the streaming adapters share: tolerant timestamps, language tags, dead letters
that fit the broker, and the final post.v1 check."""

from __future__ import annotations

from typing import Any

import pytest
from services.collector.sources.base import Reject
from services.collector.sources.postutil import (
    MAX_RAW,
    finish,
    lang_tag,
    parse_when,
    reject,
    rfc3339,
)
from services.collector.sources.pump import merge_cursor

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-20T08:00:00Z", "2026-11-20T08:00:00.000Z"),
        ("2026-11-20T08:00:00.123Z", "2026-11-20T08:00:00.123Z"),
        ("2026-11-20T08:00:00+00:00", "2026-11-20T08:00:00.000Z"),
        ("2026-11-20T10:30:00+02:30", "2026-11-20T08:00:00.000Z"),
        ("2026-11-20t08:00:00z", "2026-11-20T08:00:00.000Z"),
        ("2026-11-20 08:00:00", "2026-11-20T08:00:00.000Z"),  # no offset: UTC
        ("2026-11-20T08:00:00.123456789Z", "2026-11-20T08:00:00.123Z"),  # nanoseconds
    ],
)
def test_parse_when_accepts_what_clients_write(value: str, expected: str) -> None:
    when = parse_when(value)
    assert when is not None
    assert rfc3339(when) == expected


@pytest.mark.parametrize(
    "value",
    [None, 5, "", "yesterday", "2026-13-45T99:00:00Z", "9" * 100, "2026-11-20T08:00:00+99:00"],
)
def test_parse_when_refuses_nonsense(value: Any) -> None:
    assert parse_when(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("en-US", "en-US"), ("und", None), ("zxx", None), ("qme", None), ("", None),
     ("not a tag", None), (None, None), (["en"], None)],
)  # fmt: skip
def test_lang_tag(value: Any, expected: str | None) -> None:
    assert lang_tag(value) == expected


def test_rejects_fit_on_the_dead_letter_topic() -> None:
    small = reject(b"abc", "undecodable", "bad")
    assert small == Reject(b"abc", "undecodable", "bad")
    huge = reject(b"x" * (MAX_RAW + 10), "undecodable", "bad")
    assert len(huge.raw) == MAX_RAW
    assert huge.detail == f"bad (first {MAX_RAW} of {MAX_RAW + 10} bytes kept)"


def test_finish_prunes_empty_fields_and_checks_the_schema() -> None:
    draft = {
        "id": "x:1",
        "source": "x",
        "text": "t",
        "created_at": "2026-11-20T08:00:00.000Z",
        "lang": None,
        "media": [],
        "refs": {"reply_to": None},
        "geo": {"place": None},
    }
    assert finish(draft, b"raw", "here") == {
        "id": "x:1",
        "source": "x",
        "text": "t",
        "created_at": "2026-11-20T08:00:00.000Z",
    }
    bad = finish({**draft, "id": "bluesky:1"}, b"raw", "here")
    assert isinstance(bad, Reject)
    assert bad.reason == "schema_invalid"
    assert bad.detail.startswith("here: id: prefix 'bluesky' must equal source 'x'")


@pytest.mark.parametrize(
    ("state", "update", "expected"),
    [
        ({}, {"time_us": 5}, {"time_us": 5}),
        ({"time_us": 5, "endpoint": "a"}, {"time_us": 7}, {"time_us": 7, "endpoint": "a"}),
        # per-target cursors merge key by key: other targets keep their position
        (
            {"min_id": {"a": "1", "b": "2"}},
            {"min_id": {"b": "3"}},
            {"min_id": {"a": "1", "b": "3"}},
        ),
        ({"min_id": "junk"}, {"min_id": {"b": "3"}}, {"min_id": {"b": "3"}}),
    ],
)
def test_cursor_updates_merge_into_the_checkpoint(
    state: dict[str, Any], update: dict[str, Any], expected: dict[str, Any]
) -> None:
    merge_cursor(state, update)
    assert state == expected
