"""Troop-deployment claim extraction (placeholder with the agreed interface; the extractor
itself is built separately). Pure: no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PlaceSpan:
    """A watchlisted location found in the post: its name and offsets in the original text."""

    name: str
    start: int
    end: int


def extract_claims(
    text: str, places: Sequence[PlaceSpan] = (), geo_place: str | None = None
) -> list[dict[str, Any]]:
    """Troop-deployment claims in `text`; none until the extractor lands."""
    return []
