"""A realistic `alert.v1` for delivery tests and for the README's example rendering."""

from __future__ import annotations

import copy
from typing import Any

SAMPLE_ALERT: dict[str, Any] = {
    "id": "inc-7c1e0d5a9b3f4e2a8c6d1b0e",
    "version": 1,
    "severity": "urgent",
    "title": "Wagner Group, Homs: troop deployment in Homs (hedged)",
    "summary": "Wagner reportedly moved about 300 fighters to Homs overnight.",
    "score": 0.87,
    "entities": [
        {"id": "wagner-group", "kind": "organization", "alias": "Wagner"},
        {"id": "homs", "kind": "location", "alias": "Homs"},
    ],
    "claims": [
        {
            "type": "troop_deployment",
            "actor": "Wagner Group",
            "count": {"min": 300, "max": 300},
            "location": "Homs",
            "stance": "hedged",
            "evidence": "reportedly moved about 300 fighters to Homs",
        }
    ],
    "posts": [
        {
            "id": "telegram:rybar/51234",
            "source": "telegram",
            "url": "https://t.me/rybar/51234",
            "text": "Wagner reportedly moved about 300 fighters to Homs overnight. "
            "<!channel> convoy seen on the M5 & more to come <http://evil.example|t.me/rybar>",
            "author": {"id": "rybar", "handle": "rybar", "name": "Rybar"},
            "created_at": "2026-11-20T07:58:12.000Z",
            "score": 0.87,
        }
    ],
    "first_seen": "2026-11-20T07:58:12.000Z",
    "last_seen": "2026-11-20T07:58:12.000Z",
    "posts_count": 1,
    "sources_count": 1,
    "route": "deployments",
    "reasons": [
        "entity Wagner Group (+0.50)",
        "claim troop_deployment, hedged (+0.30)",
        "place Homs (+0.07)",
    ],
    "sent_at": "2026-11-20T07:58:13.412Z",
}


def sample_alert(**changes: Any) -> dict[str, Any]:
    alert = copy.deepcopy(SAMPLE_ALERT)
    alert.update(changes)
    return alert
