"""The pure classification core: a post in, a `scored-post.v1` out. No I/O.

This is the backbone's first cut: case-insensitive alias matching on word boundaries, with
offsets into the original text, and a score from the entity weights."""

from __future__ import annotations

import re
from typing import Any

from services.classifier.watchlist import Entity, Watchlist

CLASSIFIER_VERSION = "0.1.0"


class Engine:
    """Built once per watchlist version (off the hot path), then `classify` is pure."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self.version = watchlist.version
        self._by_alias: dict[str, Entity] = {}
        for entity in watchlist.entities:
            for alias in entity.aliases:
                self._by_alias.setdefault(alias.casefold(), entity)
        aliases = sorted(self._by_alias, key=len, reverse=True)
        pattern = "|".join(re.escape(a) for a in aliases) or r"(?!x)x"
        self._re = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)

    def classify(self, post: dict[str, Any]) -> dict[str, Any]:
        text: str = post["text"]
        entities = []
        seen: set[str] = set()
        for m in self._re.finditer(text):
            entity = self._by_alias.get(m.group(0).casefold())
            if entity is None:
                continue
            entities.append(
                {
                    "id": entity.id,
                    "kind": entity.kind,
                    "alias": m.group(0),
                    "start": m.start(),
                    "end": m.end(),
                }
            )
            seen.add(entity.id)
        by_id = self.watchlist.by_id()
        total = sum(by_id[i].weight for i in seen)
        score = round(min(1.0, 0.5 * total), 4)
        reasons = [f"entity {by_id[i].name} (+{0.5 * by_id[i].weight:.2f})" for i in sorted(seen)]
        return {
            **post,
            "score": score,
            "entities": entities,
            "claims": [],
            "reasons": reasons,
            "watchlist_version": self.version,
            "classifier_version": CLASSIFIER_VERSION,
        }
