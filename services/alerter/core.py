"""The pure alerting core: a scored post and the routes in, alert decisions out. No I/O.

Backbone cut: routes match on score, claims, stances, entities, tags, sources and langs, in
order (`continue` keeps matching); silences mute; each matching route makes one alert."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.alerter.routes import Match, Route, RoutesConfig
from services.runtime.messages import format_time, parse_time

SEVERITY_ORDER = {"routine": 0, "urgent": 1, "flash": 2}


@dataclass(frozen=True)
class Decision:
    route: Route
    alert: dict[str, Any]


def matches(match: Match, scored: dict[str, Any], tags: frozenset[str] = frozenset()) -> bool:
    if scored.get("score", 0.0) < match.min_score:
        return False
    claims = scored.get("claims") or []
    if match.claims and not any(c.get("type") in match.claims for c in claims):
        return False
    if match.stances and not any(
        c.get("stance") in match.stances and (not match.claims or c.get("type") in match.claims)
        for c in claims
    ):
        return False
    entity_ids = {e.get("id") for e in scored.get("entities") or []}
    if match.entities and not (entity_ids & match.entities):
        return False
    entity_tags = {t for e in scored.get("entities") or [] for t in e.get("tags", ())} | tags
    if match.entity_tags and not (entity_tags & match.entity_tags):
        return False
    if match.sources and scored.get("source") not in match.sources:
        return False
    lang = (scored.get("lang") or "").split("-")[0].lower()
    return not (match.langs and lang not in {x.split("-")[0].lower() for x in match.langs})


def silenced(config: RoutesConfig, scored: dict[str, Any], now: datetime) -> bool:
    return any(
        (s.until is None or now < s.until) and matches(s.match, scored) for s in config.silences
    )


def alert_post(scored: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": scored["id"],
        "source": scored["source"],
        "url": scored.get("url"),
        "text": scored["text"],
        "author": scored.get("author"),
        "created_at": scored["created_at"],
        "score": scored["score"],
    }


def incident_key(route: Route, scored: dict[str, Any]) -> str:
    digest = hashlib.sha256(f"{route.name}\x00{scored['id']}".encode()).hexdigest()
    return f"inc-{digest[:24]}"


def title_for(scored: dict[str, Any]) -> str:
    names = []
    for e in scored.get("entities") or []:
        if e["alias"] not in names:
            names.append(e["alias"])
    claim = next(iter(scored.get("claims") or []), None)
    head = ", ".join(names[:3]) or "Watchlist match"
    if claim:
        where = f" in {claim['location']}" if claim.get("location") else ""
        return f"{head}: troop deployment{where} ({claim['stance']})"[:300]
    return f"{head} mentioned on {scored['source']}"[:300]


def decide(config: RoutesConfig, scored: dict[str, Any], now: datetime) -> list[Decision]:
    """The alerts this scored post raises, in route order."""
    if silenced(config, scored, now):
        return []
    out = []
    for route in config.routes:
        if not matches(route.match, scored):
            continue
        post_time = format_time(parse_time(scored["created_at"]))
        alert = {
            "id": incident_key(route, scored),
            "version": 1,
            "severity": route.severity,
            "title": title_for(scored),
            "summary": (scored.get("text") or "")[:500],
            "score": scored["score"],
            "entities": [
                {"id": e["id"], "kind": e.get("kind"), "alias": e.get("alias")}
                for e in scored.get("entities") or []
            ],
            "claims": scored.get("claims") or [],
            "posts": [alert_post(scored)],
            "first_seen": post_time,
            "last_seen": post_time,
            "posts_count": 1,
            "sources_count": 1,
            "route": route.name,
            "reasons": scored.get("reasons") or [],
            "sent_at": format_time(now),
        }
        out.append(Decision(route=route, alert=alert))
        if not route.continue_:
            break
    return out
