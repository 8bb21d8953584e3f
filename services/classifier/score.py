"""The score of a post, from 0 to 1, and the reasons for it. Pure: no I/O.

Each piece of evidence has a strength `p` in [0, 1) and the score is their noisy-OR,
`1 - prod(1 - p)`: adding evidence never lowers the score (monotonic), no single piece reaches 1,
and each reason line names its own `p`. The pieces:

- each distinct watchlisted entity: `ENTITY * weight` (capped at `CAP`);
- each troop-deployment claim by stance: asserted `CLAIM_ASSERTED`, hedged `CLAIM_HEDGED`;
  denied and hypothetical claims are listed as reasons with no strength, so they never score as
  asserted ones;
- a scoring claim placed in a watched location (a `location` entity of the watchlist):
  `WATCHED_PLACE`, times the hedge factor for a hedged claim;
- a geotag in a watched location `GEO_WATCHED`; any other geotag `GEOTAG`, only when something
  else scored (a geotag alone says nothing);
- media attached, only when something else scored: `MEDIA`.

Entities are listed strongest first, at most `MAX_ENTITY_REASONS` of them; the rest share one
line with their combined strength (a post of a thousand names stays a record of bounded size,
and the score still counts every one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

ENTITY = 0.6
CAP = 0.9
CLAIM_ASSERTED = 0.5
CLAIM_HEDGED = 0.3
HEDGE_FACTOR = CLAIM_HEDGED / CLAIM_ASSERTED
WATCHED_PLACE = 0.3
GEO_WATCHED = 0.2
GEOTAG = 0.05
MEDIA = 0.05
MAX_ENTITY_REASONS = 20


@dataclass(frozen=True, slots=True)
class EntityHit:
    name: str
    kind: str
    weight: float
    # Its strength and reason line, the same for every post that names it: made once, when the
    # engine builds its hits, not per post scored.
    p: float = field(init=False, repr=False, compare=False)
    reason: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        p = min(CAP, ENTITY * self.weight)
        object.__setattr__(self, "p", p)
        object.__setattr__(
            self, "reason", f"+{p:.2f} {self.kind} {self.name} (weight {self.weight:g})"
        )


@dataclass(frozen=True, slots=True)
class ClaimHit:
    stance: str
    location: str | None
    watched: bool  # placed in a watchlisted location


def score(
    entities: Sequence[EntityHit],
    claims: Sequence[ClaimHit] = (),
    *,
    geotag: bool = False,
    geo_watched: str | None = None,
    media: int = 0,
) -> tuple[float, list[str]]:
    """The score and the reasons, strongest evidence first within each group."""
    miss = 1.0
    reasons: list[str] = []
    if len(entities) > 1:
        entities = sorted(entities, key=_weaker)  # stable: equal ones in the post's order
    for e in entities[:MAX_ENTITY_REASONS]:
        miss *= 1.0 - e.p
        reasons.append(e.reason)
    if len(entities) > MAX_ENTITY_REASONS:
        rest = 1.0
        for e in entities[MAX_ENTITY_REASONS:]:
            rest *= 1.0 - e.p
        miss *= rest
        reasons.append(f"+{1.0 - rest:.2f} {len(entities) - MAX_ENTITY_REASONS} more entities")
    for c in claims:
        where = f" in {c.location}" if c.location else ""
        if c.stance == "asserted" or c.stance == "hedged":
            p = CLAIM_ASSERTED if c.stance == "asserted" else CLAIM_HEDGED
            miss *= 1.0 - p
            reasons.append(f"+{p:.2f} {c.stance} troop deployment{where}")
            if c.watched:
                w = WATCHED_PLACE if c.stance == "asserted" else WATCHED_PLACE * HEDGE_FACTOR
                miss *= 1.0 - w
                reasons.append(f"+{w:.2f} deployment in a watched location{where}")
        else:
            reasons.append(f"+0.00 {c.stance} troop deployment{where} (not counted)")
    if geo_watched is not None:
        miss *= 1.0 - GEO_WATCHED
        reasons.append(f"+{GEO_WATCHED:.2f} geotagged in watched location {geo_watched}")
    scored = miss < 1.0
    if geotag and geo_watched is None and scored:
        miss *= 1.0 - GEOTAG
        reasons.append(f"+{GEOTAG:.2f} geotagged")
    if media and scored:
        miss *= 1.0 - MEDIA
        reasons.append(f"+{MEDIA:.2f} has media ({media})")
    return round(1.0 - miss, 4), reasons


def _weaker(e: EntityHit) -> float:
    return -e.p
