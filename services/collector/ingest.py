"""Pure parsing of `POST /ingest` bodies: one `post.v1` object, a JSON array of them, or NDJSON.
All or nothing: when any item is invalid, none is accepted and every problem is named by item
index (or NDJSON line) and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from services.runtime.messages import normalise_times, post_errors

MAX_ITEMS = 10_000


@dataclass
class IngestResult:
    posts: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _items(body: bytes, content_type: str) -> tuple[list[Any], list[dict[str, Any]], str]:
    """(items, decode errors, what an item's position is called: index or line)."""
    text = body.strip()
    if not text:
        return [], [{"index": None, "field": None, "message": "empty body"}], "index"
    ndjson = "ndjson" in content_type or "jsonlines" in content_type
    if not ndjson:
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            if b"\n" not in text:
                return (
                    [],
                    [{"index": None, "field": None, "message": f"invalid JSON: {exc}"}],
                    "index",
                )
            ndjson = True  # several JSON documents, one per line
        else:
            return (value if isinstance(value, list) else [value]), [], "index"
    items: list[Any] = []
    errors: list[dict[str, Any]] = []
    for number, line in enumerate(text.split(b"\n"), start=1):
        if not line.strip():
            items.append(None)
            continue
        try:
            items.append(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            items.append(None)
            errors.append({"line": number, "field": None, "message": f"invalid JSON: {exc}"})
    return items, errors, "line"


def parse_ingest(body: bytes, content_type: str, collected_at: str) -> IngestResult:
    items, errors, position = _items(body, content_type)
    result = IngestResult(errors=errors)
    if len(items) > MAX_ITEMS:
        result.errors.append(
            {"index": None, "field": None, "message": f"more than {MAX_ITEMS} items in one request"}
        )
        return result
    offset = 1 if position == "line" else 0
    for i, item in enumerate(items):
        if item is None and position == "line":
            continue
        problems = post_errors(item)
        if problems:
            for field_name, message in problems:
                result.errors.append(
                    {position: i + offset, "field": field_name, "message": message}
                )
            continue
        result.posts.append(normalise_times(item, collected_at))
    if result.errors:
        result.posts = []
    return result
