"""The pure alerting core: scored posts and the routes in, incidents and notification decisions
out. No I/O, no logging, no metrics; the clock is an argument, so the service (wall clock) and
the backtest (the posts' own times) run the same code.

Routes match in order (`continue` keeps matching). On each matching route a post joins one
incident, tried in this order: (1) it reposts, quotes or replies to a post already in an
incident; (2) its text is a near-duplicate (shingle Jaccard >= `GROUP_SIMILARITY`) of an
incident's text, while the incident is remembered; (3) it names one of the incident's actors
(non-location entities of the incident's first post) and the same place (location entities and
claim locations; or neither has a place) within `group_window` of the incident's posts, judged
on the posts' `created_at`. Otherwise it opens an incident whose id, derived from the route and
the first post, is the alert id for the incident's whole life.

Independent sources: a post belongs to the source of an earlier post of the incident when it
shares the author (or channel), reposts or quotes it (or the same original), or copies its text
(Jaccard >= `COPY_SIMILARITY`); otherwise it is a new independent source. Escalation, never
downwards: `corroborated` (an asserted or hedged claim from >= 3 independent sources) makes an
incident at least urgent; `commander` (an asserted claim naming a watched person, from >= 2
independent sources asserting) makes it flash. The reason goes into the alert.

Notifications: a new incident is due at once; later changes are due `group_interval` after the
previous notification (at once when the severity rose). The shell delivers a due `Notice`, then
calls `mark_notified`; until then the incident stays pending, so a batch replayed after
backpressure sends the same id and version again. An incident is forgotten (the shell writes a
tombstone) `repeat_interval` after its last notification and `group_window` after its last post,
whichever is later: until then a retelling joins it instead of raising a new alert. Silences
mute an incident while any active silence matches it (any of its posts); muted changes go out
when the silence expires, if the incident is still remembered."""

from __future__ import annotations

import hashlib
import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from services.alerter.routes import Match, Route, RoutesConfig
from services.alerter.similarity import Fingerprint, fingerprint, jaccard
from services.runtime.messages import format_time, parse_time

SEVERITY_ORDER = {"routine": 0, "urgent": 1, "flash": 2}
STANCE_RANK = {"asserted": 2, "hedged": 1}
GROUP_SIMILARITY = 0.5  # near-duplicate: joins the incident
COPY_SIMILARITY = 0.8  # a copy: joins the incident but is not an independent source
CORROBORATION_SOURCES = 3
COMMANDER_SOURCES = 2
MAX_POST_IDS = 1000  # per incident; ids beyond are counted but not remembered
MAX_SOURCES = 64  # independent sources kept per incident; beyond, only counted
MAX_FINGERPRINTS = 8  # texts per incident compared for near-duplicates
MAX_SAMPLES = 5  # posts quoted in an alert: the first and the latest
MAX_CLAIMS = 10
MAX_ENTITIES = 20
MAX_REASONS = 12
MAX_CANDIDATES = 64  # incidents compared per post and route, newest first
MAX_TEXT = 2000
STATE_VERSION = 1


# -- matching -------------------------------------------------------------------------------


def _match(
    match: Match,
    *,
    score: float,
    claims: Iterable[Mapping[str, Any]],
    entity_ids: frozenset[str],
    tags: frozenset[str],
    sources: frozenset[str],
    langs: frozenset[str],
) -> bool:
    if score < match.min_score:
        return False
    claims = list(claims)
    if match.claims and not any(c.get("type") in match.claims for c in claims):
        return False
    if match.stances and not any(
        c.get("stance") in match.stances and (not match.claims or c.get("type") in match.claims)
        for c in claims
    ):
        return False
    if match.entities and not (entity_ids & match.entities):
        return False
    if match.entity_tags and not (tags & match.entity_tags):
        return False
    if match.sources and not (sources & match.sources):
        return False
    wanted = {x.split("-")[0].lower() for x in match.langs}
    return not (match.langs and not (langs & wanted))


def entity_tags(
    scored: Mapping[str, Any], lookup: Mapping[str, frozenset[str]] | None = None
) -> frozenset[str]:
    """Tags of the post's entities: those the classifier attached to each match, and those
    the watchlist gives the entity ids (`lookup`), as matches may come without tags."""
    out: set[str] = set()
    for e in scored.get("entities") or []:
        out.update(e.get("tags") or ())
        if lookup is not None:
            out.update(lookup.get(e.get("id", ""), ()))
    return frozenset(out)


def _lang(scored: Mapping[str, Any]) -> str:
    return str(scored.get("lang") or "").split("-")[0].lower()


def matches(match: Match, scored: Mapping[str, Any], tags: frozenset[str] = frozenset()) -> bool:
    """Does one scored post satisfy `match`? `tags` adds entity tags from the watchlist."""
    lang = _lang(scored)
    return _match(
        match,
        score=float(scored.get("score", 0.0)),
        claims=scored.get("claims") or [],
        entity_ids=frozenset(e.get("id") for e in scored.get("entities") or []),
        tags=entity_tags(scored) | tags,
        sources=frozenset({scored.get("source", "")}),
        langs=frozenset({lang}) if lang else frozenset(),
    )


# -- the facts of one post ------------------------------------------------------------------


@dataclass(frozen=True)
class PostFacts:
    """What the incident logic needs of one scored post, computed once per post."""

    id: str
    source: str
    author: str  # `<source>:<author id|handle>` or `<source>#<channel>`; else the post itself
    refs: frozenset[str]  # posts it reposts, quotes or replies to
    time: float  # created_at, unix seconds
    actors: frozenset[str]
    places: frozenset[str]
    stance: int  # STANCE_RANK of its strongest claim, 0 without one
    commander: bool  # an asserted claim naming a watched person
    text: Fingerprint
    score: float
    lang: str
    entity_ids: frozenset[str]
    tags: frozenset[str]
    entities: tuple[tuple[str, str, str], ...]  # (id, kind, alias)
    claims: tuple[Mapping[str, Any], ...]
    reasons: tuple[str, ...]
    sample: Mapping[str, Any]


def _author(scored: Mapping[str, Any]) -> str:
    source = str(scored.get("source", ""))
    author = scored.get("author") or {}
    ident = author.get("id") or author.get("handle")
    if ident:
        return f"{source}:{str(ident).casefold()}"
    if scored.get("channel"):
        return f"{source}#{str(scored['channel']).casefold()}"
    return f"post:{scored['id']}"


def post_facts(
    scored: Mapping[str, Any], tag_lookup: Mapping[str, frozenset[str]] | None = None
) -> PostFacts:
    entities = scored.get("entities") or []
    claims = scored.get("claims") or []
    actors = frozenset(e["id"] for e in entities if e.get("kind") != "location")
    places = {e["id"] for e in entities if e.get("kind") == "location"}
    places.update(
        " ".join(str(c["location"]).casefold().split()) for c in claims if c.get("location")
    )
    stance = max((STANCE_RANK.get(c.get("stance", ""), 0) for c in claims), default=0)
    person = any(e.get("kind") == "person" for e in entities)
    asserted = any(c.get("stance") == "asserted" for c in claims)
    refs = scored.get("refs") or {}
    unique: dict[str, tuple[str, str, str]] = {}
    for e in entities:
        unique.setdefault(e["id"], (e["id"], str(e.get("kind", "")), str(e.get("alias", ""))))
    return PostFacts(
        id=scored["id"],
        source=str(scored.get("source", "")),
        author=_author(scored),
        refs=frozenset(str(refs[k]) for k in ("repost_of", "quote_of", "reply_to") if refs.get(k)),
        time=parse_time(scored["created_at"]).timestamp(),
        actors=actors,
        places=frozenset(places),
        stance=stance,
        commander=person and asserted,
        text=fingerprint(str(scored.get("text") or "")),
        score=float(scored.get("score", 0.0)),
        lang=_lang(scored),
        entity_ids=frozenset(unique),
        tags=entity_tags(scored, tag_lookup),
        entities=tuple(unique.values()),
        claims=tuple({k: v for k, v in c.items() if k not in ("start", "end")} for c in claims),
        reasons=tuple(str(r) for r in scored.get("reasons") or ()),
        sample={
            "id": scored["id"],
            "source": scored.get("source"),
            "url": scored.get("url"),
            "text": str(scored.get("text") or "")[:MAX_TEXT],
            "author": scored.get("author"),
            "channel": scored.get("channel"),
            "created_at": format_time(parse_time(scored["created_at"])),
            "score": scored.get("score"),
        },
    )


# -- incidents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One independent source of an incident: the keys that identify it (author, its post
    ids, what they repost or quote), its strongest stance, and its first text."""

    keys: frozenset[str]
    stance: int
    commander: bool
    text: Fingerprint


@dataclass(frozen=True)
class Escalation:
    severity: str
    reason: str
    at: float


@dataclass(frozen=True)
class Incident:
    id: str
    route: str
    rev: int  # grows with every change; the newest state record of an id wins on restore
    opened_at: float  # the alerter's clock from here on
    touched_at: float
    first_seen: float  # post times from here on
    last_seen: float
    posts_count: int
    post_ids: tuple[str, ...]
    key_actors: frozenset[str]
    key_places: frozenset[str]
    entities: tuple[tuple[str, str, str], ...]
    entity_ids: frozenset[str]
    tags: frozenset[str]
    sources: frozenset[str]
    langs: frozenset[str]
    claims: tuple[Mapping[str, Any], ...]
    reasons: tuple[str, ...]
    score: float
    base_severity: str
    severity: str
    escalations: tuple[Escalation, ...]
    independent: tuple[Source, ...]
    extra_sources: int  # independent sources beyond MAX_SOURCES
    texts: tuple[Fingerprint, ...]
    samples: tuple[Mapping[str, Any], ...]
    notified_version: int = 0
    notified_at: float | None = None
    notified_posts: int = 0
    notified_severity: str = ""
    threads: Mapping[str, str] = field(default_factory=dict)
    silenced_posts: int = 0

    @property
    def sources_count(self) -> int:
        return len(self.independent) + self.extra_sources

    def corroborating(self, min_stance: int) -> int:
        return sum(1 for s in self.independent if s.stance >= min_stance)

    def matched_by(self, match: Match) -> bool:
        return _match(
            match,
            score=self.score,
            claims=self.claims,
            entity_ids=self.entity_ids,
            tags=self.tags,
            sources=self.sources,
            langs=self.langs,
        )


def incident_id(route: str, post: PostFacts) -> str:
    digest = hashlib.sha256(f"{route}\x00{post.id}\x00{post.time}".encode()).hexdigest()
    return f"inc-{digest[:24]}"


def _escalate(inc: Incident, now: float) -> Incident:
    """Apply the escalation rules (module docstring); severity never goes down."""
    rules = (
        (
            "flash",
            _commander(inc),
            f"asserted claim naming a watched person from "
            f"{inc.corroborating(2)} independent sources",
        ),
        (
            "urgent",
            inc.corroborating(1) >= CORROBORATION_SOURCES,
            f"claim corroborated by {inc.corroborating(1)} independent sources",
        ),
    )
    for severity, fired, reason in rules:
        if fired and SEVERITY_ORDER[severity] > SEVERITY_ORDER[inc.severity]:
            return replace(
                inc,
                severity=severity,
                escalations=(*inc.escalations, Escalation(severity, reason, now)),
            )
    return inc


def _commander(inc: Incident) -> bool:
    return any(s.commander for s in inc.independent) and inc.corroborating(2) >= COMMANDER_SOURCES


def _merge_claims(
    old: tuple[Mapping[str, Any], ...], new: Iterable[Mapping[str, Any]]
) -> tuple[Mapping[str, Any], ...]:
    out = list(old)
    seen = {(c.get("stance"), c.get("actor"), c.get("location")) for c in old}
    for c in new:
        key = (c.get("stance"), c.get("actor"), c.get("location"))
        if key not in seen and len(out) < MAX_CLAIMS:
            seen.add(key)
            out.append(c)
    return tuple(out)


def _merge_entities(
    inc: Incident, post: PostFacts
) -> tuple[tuple[tuple[str, str, str], ...], frozenset[str]]:
    entities = list(inc.entities)
    ids = set(inc.entity_ids)
    for e in post.entities:
        if e[0] not in ids and len(entities) < MAX_ENTITIES:
            ids.add(e[0])
            entities.append(e)
    return tuple(entities), frozenset(ids)


def open_incident(route: Route, post: PostFacts, now: float) -> Incident:
    inc = Incident(
        id=incident_id(route.name, post),
        route=route.name,
        rev=1,
        opened_at=now,
        touched_at=now,
        first_seen=post.time,
        last_seen=post.time,
        posts_count=1,
        post_ids=(post.id,),
        key_actors=post.actors,
        key_places=post.places,
        entities=post.entities[:MAX_ENTITIES],
        entity_ids=frozenset(e[0] for e in post.entities[:MAX_ENTITIES]),
        tags=post.tags,
        sources=frozenset({post.source}),
        langs=frozenset({post.lang}) if post.lang else frozenset(),
        claims=post.claims[:MAX_CLAIMS],
        reasons=post.reasons[:MAX_REASONS],
        score=post.score,
        base_severity=route.severity,
        severity=route.severity,
        escalations=(),
        independent=(
            Source(
                keys=frozenset({post.author, post.id, *post.refs}),
                stance=post.stance,
                commander=post.commander,
                text=post.text,
            ),
        ),
        extra_sources=0,
        texts=() if post.text.empty else (post.text,),
        samples=(post.sample,),
    )
    return _escalate(inc, now)


def join_incident(inc: Incident, post: PostFacts, now: float) -> Incident:
    """`inc` with `post` added: counts, sources, claims, samples, escalation."""
    keys = {post.author, post.id, *post.refs}
    sources = list(inc.independent)
    extra = inc.extra_sources
    texts = inc.texts
    at = next((i for i, s in enumerate(sources) if s.keys & keys), None)
    if at is None and not post.text.empty:
        # A copy of an earlier source's text is that source again, whoever posted it.
        at = next(
            (i for i, s in enumerate(sources) if jaccard(post.text, s.text) >= COPY_SIMILARITY),
            None,
        )
    if at is not None:
        s = sources[at]
        grown = s.keys | keys if len(s.keys) < MAX_POST_IDS else s.keys
        sources[at] = Source(
            grown, max(s.stance, post.stance), s.commander or post.commander, s.text
        )
    elif len(sources) < MAX_SOURCES:
        sources.append(Source(frozenset(keys), post.stance, post.commander, post.text))
        if not post.text.empty and len(texts) < MAX_FINGERPRINTS:
            texts = (*texts, post.text)
    else:
        extra += 1
    entities, entity_ids = _merge_entities(inc, post)
    reasons = inc.reasons + tuple(r for r in post.reasons if r not in inc.reasons)
    samples = (inc.samples[0], *((*inc.samples[1:], post.sample))[-(MAX_SAMPLES - 1) :])
    grown_inc = replace(
        inc,
        rev=inc.rev + 1,
        touched_at=now,
        first_seen=min(inc.first_seen, post.time),
        last_seen=max(inc.last_seen, post.time),
        posts_count=inc.posts_count + 1,
        post_ids=(*inc.post_ids, post.id) if len(inc.post_ids) < MAX_POST_IDS else inc.post_ids,
        entities=entities,
        entity_ids=entity_ids,
        tags=inc.tags | post.tags,
        sources=inc.sources | {post.source},
        langs=inc.langs | ({post.lang} if post.lang else set()),
        claims=_merge_claims(inc.claims, post.claims),
        reasons=reasons[:MAX_REASONS],
        score=max(inc.score, post.score),
        independent=tuple(sources),
        extra_sources=extra,
        texts=texts,
        samples=samples,
    )
    return _escalate(grown_inc, now)


# -- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observed:
    """What one post did, for the shell's metrics."""

    routes: tuple[str, ...] = ()  # routes the post matched
    opened: tuple[str, ...] = ()  # routes on which it opened an incident
    escalations: tuple[tuple[str, str], ...] = ()  # (route, new severity)
    silenced: tuple[str, ...] = ()  # routes on which it joined a muted incident
    duplicate: bool = False  # already part of its incident (a replay)


@dataclass(frozen=True)
class Notice:
    """Send `alert` (version `version` of incident `incident_id`) to the route's destinations,
    replying in `threads[destination]` where a destination gave a thread reference before."""

    incident_id: str
    version: int
    route: Route
    alert: dict[str, Any]
    rev: int
    threads: Mapping[str, str]

    @property
    def status(self) -> str:
        return "new" if self.version == 1 else "update"


def _title(inc: Incident) -> str:
    names: list[str] = []
    for _, _, alias in inc.entities:
        if alias and alias not in names:
            names.append(alias)
    head = ", ".join(names[:3]) or "Watchlist match"
    claim = min(inc.claims, key=lambda c: -STANCE_RANK.get(c.get("stance", ""), 0), default=None)
    if claim is not None:
        where = f" in {claim['location']}" if claim.get("location") else ""
        return f"{head}: troop deployment{where} ({claim.get('stance')})"[:300]
    sources = ", ".join(sorted(inc.sources))
    return f"{head} mentioned on {sources}"[:300]


def _iso(ts: float) -> str:
    return format_time(datetime.fromtimestamp(ts, UTC))


def render_alert(inc: Incident, version: int, now: float) -> dict[str, Any]:
    """The `alert.v1` for version `version` of `inc`."""
    last = inc.escalations[-1] if inc.escalations else None
    return {
        "id": inc.id,
        "version": version,
        "status": "new" if version == 1 else "update",
        "severity": inc.severity,
        "base_severity": inc.base_severity,
        "severity_reason": last.reason if last is not None else None,
        "escalations": [
            {"severity": e.severity, "reason": e.reason, "at": _iso(e.at)} for e in inc.escalations
        ],
        "title": _title(inc),
        "summary": str(inc.samples[0].get("text") or "")[:500],
        "score": inc.score,
        "entities": [{"id": i, "kind": k, "alias": a} for i, k, a in inc.entities],
        "claims": [dict(c) for c in inc.claims],
        "posts": [dict(s) for s in inc.samples],
        "first_seen": _iso(inc.first_seen),
        "last_seen": _iso(inc.last_seen),
        "posts_count": inc.posts_count,
        "sources_count": max(1, inc.sources_count),
        "new_posts_count": inc.posts_count - inc.notified_posts,
        "route": inc.route,
        "reasons": list(inc.reasons),
        "sent_at": _iso(now),
    }


# -- the book of open incidents -------------------------------------------------------------


def _newest_keys(bucket: dict[str, None] | None) -> Iterable[str]:
    if not bucket:
        return ()
    return itertools.islice(reversed(bucket), MAX_CANDIDATES)


def _active_silences(config: RoutesConfig, now: float) -> list[tuple[Match, float | None]]:
    out = []
    for s in config.silences:
        until = s.until.timestamp() if s.until is not None else None
        if until is None or now < until:
            out.append((s.match, until))
    return out


class IncidentBook:
    """The incidents the alerter remembers, with indexes to find the one a post joins.

    In memory and mutable (it is the state of the stream), but free of I/O: every method
    takes the routes and the time, and returns values. `take_changes` hands the shell what
    to write to the incidents topic; `restore` reads it back after a restart."""

    def __init__(self) -> None:
        self._incidents: dict[str, Incident] = {}
        # Index buckets keep insertion order (dict as ordered set): a post is compared with the
        # newest incidents of a bucket only, so a very common phrase or actor stays cheap.
        self._by_actor: dict[tuple[str, str], dict[str, None]] = {}
        self._by_band: dict[tuple[str, int], dict[str, None]] = {}
        self._by_post: dict[tuple[str, str], str] = {}
        self._pending: set[str] = set()
        self._dirty: set[str] = set()
        self._dropped: set[str] = set()
        self._expiry: list[tuple[float, str]] = []
        # When each pending incident is next worth looking at (a heap with lazy deletion:
        # an entry counts only while it equals `_scheduled[id]`), so `due` costs what is due,
        # not what is pending.
        self._due: list[tuple[float, str]] = []
        self._scheduled: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._incidents)

    def __iter__(self) -> Iterator[Incident]:
        return iter(list(self._incidents.values()))

    def get(self, incident: str) -> Incident | None:
        return self._incidents.get(incident)

    def pending(self, incident: str) -> bool:
        return incident in self._pending

    # -- posts in ---------------------------------------------------------------------------
    def observe(
        self,
        config: RoutesConfig,
        scored: Mapping[str, Any],
        now: float,
        tag_lookup: Mapping[str, frozenset[str]] | None = None,
    ) -> Observed:
        """Add one scored post to the incidents of every route it matches."""
        # Every post is scored, most match nothing: skip the text work for those.
        floor = min((r.match.min_score for r in config.routes), default=0.0)
        if float(scored.get("score", 0.0)) < floor:
            return Observed()
        return self.observe_facts(config, post_facts(scored, tag_lookup), now)

    def observe_facts(self, config: RoutesConfig, post: PostFacts, now: float) -> Observed:
        routes: list[str] = []
        opened: list[str] = []
        escalations: list[tuple[str, str]] = []
        silenced: list[str] = []
        duplicate = False
        silences: list[tuple[Match, float | None]] | None = None
        for route in config.routes:
            if not _match(
                route.match,
                score=post.score,
                claims=post.claims,
                entity_ids=post.entity_ids,
                tags=post.tags,
                sources=frozenset({post.source}),
                langs=frozenset({post.lang}) if post.lang else frozenset(),
            ):
                continue
            routes.append(route.name)
            if (route.name, post.id) in self._by_post:
                duplicate = True
            else:
                found = self._find(route, post)
                if found is None:
                    inc = open_incident(route, post, now)
                    opened.append(route.name)
                    heapq.heappush(self._expiry, (now + route.group_window, inc.id))
                else:
                    inc = join_incident(found, post, now)
                    if inc.severity != found.severity:
                        escalations.append((route.name, inc.severity))
                if found is None and inc.severity != route.severity:
                    escalations.append((route.name, inc.severity))
                if silences is None:
                    silences = _active_silences(config, now)
                if any(inc.matched_by(m) for m, _ in silences):
                    inc = replace(inc, silenced_posts=inc.silenced_posts + 1)
                    silenced.append(route.name)
                self._store(inc, post, route)
            if not route.continue_:
                break
        return Observed(
            routes=tuple(routes),
            opened=tuple(opened),
            escalations=tuple(escalations),
            silenced=tuple(silenced),
            duplicate=duplicate,
        )

    def _find(self, route: Route, post: PostFacts) -> Incident | None:
        r = route.name
        for ref in post.refs:
            hit = self._by_post.get((r, ref))
            if hit is not None:
                return self._incidents[hit]
        if not post.text.empty:
            near: set[str] = set()
            for band in post.text.bands():
                near.update(_newest_keys(self._by_band.get((r, band))))
            best: Incident | None = None
            best_sim = GROUP_SIMILARITY
            for inc in self._newest(near):
                sim = max((jaccard(post.text, t) for t in inc.texts), default=0.0)
                if sim >= best_sim:
                    best, best_sim = inc, sim
            if best is not None:
                return best
        related: set[str] = set()
        for actor in post.actors:
            related.update(_newest_keys(self._by_actor.get((r, actor))))
        window = route.group_window
        for inc in self._newest(related):
            if not inc.first_seen - window <= post.time <= inc.last_seen + window:
                continue
            if (inc.key_places & post.places) or not (inc.key_places or post.places):
                return inc
        return None

    def _newest(self, ids: set[str]) -> list[Incident]:
        incs = [self._incidents[i] for i in ids]
        if len(incs) > MAX_CANDIDATES:
            incs = heapq.nlargest(MAX_CANDIDATES, incs, key=lambda i: i.last_seen)
        else:
            incs.sort(key=lambda i: i.last_seen, reverse=True)
        return incs

    def _store(self, inc: Incident, post: PostFacts | None, route: Route | None) -> None:
        r = inc.route
        if inc.id not in self._incidents:
            for actor in inc.key_actors:
                self._by_actor.setdefault((r, actor), {})[inc.id] = None
            for pid in inc.post_ids:
                self._by_post[(r, pid)] = inc.id
            for text in inc.texts:
                self._index_text(r, text, inc.id)
        elif post is not None:
            if inc.post_ids and inc.post_ids[-1] == post.id:
                self._by_post[(r, post.id)] = inc.id
            if inc.texts and inc.texts[-1] is post.text:
                self._index_text(r, post.text, inc.id)
        self._incidents[inc.id] = inc
        if post is not None:
            self._pending.add(inc.id)
            self._dirty.add(inc.id)
            if route is not None:
                self._schedule(inc.id, self.due_at(inc, route))

    def _schedule(self, incident: str, at: float) -> None:
        current = self._scheduled.get(incident)
        if current is not None and current <= at:
            return
        self._scheduled[incident] = at
        heapq.heappush(self._due, (at, incident))

    def reschedule(self, now: float) -> None:
        """Look at every pending incident again at `now` (after the routes or silences
        changed: a muted incident may be free now)."""
        for iid in self._pending:
            self._schedule(iid, now)

    def _index_text(self, route: str, text: Fingerprint, incident: str) -> None:
        for band in text.bands():
            self._by_band.setdefault((route, band), {})[incident] = None

    def _remove(self, inc: Incident) -> None:
        r = inc.route
        for actor in inc.key_actors:
            ids = self._by_actor.get((r, actor))
            if ids is not None:
                ids.pop(inc.id, None)
                if not ids:
                    del self._by_actor[(r, actor)]
        for text in inc.texts:
            for band in text.bands():
                ids = self._by_band.get((r, band))
                if ids is not None:
                    ids.pop(inc.id, None)
                    if not ids:
                        del self._by_band[(r, band)]
        for pid in inc.post_ids:
            if self._by_post.get((r, pid)) == inc.id:
                del self._by_post[(r, pid)]
        del self._incidents[inc.id]
        self._pending.discard(inc.id)
        self._dirty.discard(inc.id)
        self._scheduled.pop(inc.id, None)

    # -- notifications out ------------------------------------------------------------------
    def muted(self, config: RoutesConfig, inc: Incident, now: float) -> bool:
        return any(inc.matched_by(m) for m, _ in _active_silences(config, now))

    def due_at(self, inc: Incident, route: Route) -> float:
        """When the pending changes of `inc` may go out (ignoring silences)."""
        if inc.notified_at is None:
            return inc.opened_at
        if SEVERITY_ORDER[inc.severity] > SEVERITY_ORDER.get(inc.notified_severity, 0):
            return inc.touched_at
        return inc.notified_at + route.group_interval

    def due(self, config: RoutesConfig, now: float) -> list[Notice]:
        """Every notification that may go out at `now`, oldest incident first. A notice the
        shell does not mark notified (backpressure) is due again on the next call."""
        routes = {r.name: r for r in config.routes}
        silences = _active_silences(config, now)
        out = []
        later: list[tuple[str, float]] = []
        while self._due and self._due[0][0] <= now:
            at, iid = heapq.heappop(self._due)
            if self._scheduled.get(iid) != at:
                continue  # superseded by an earlier entry
            del self._scheduled[iid]
            inc = self._incidents.get(iid)
            route = routes.get(inc.route) if inc is not None else None
            if inc is None or route is None or iid not in self._pending:
                continue
            ready = self.due_at(inc, route)
            if ready > now:
                later.append((iid, ready))
                continue
            ends = [until for m, until in silences if inc.matched_by(m)]
            if ends:
                if None not in ends:  # look again when the last matching silence ends
                    later.append((iid, max(u for u in ends if u is not None)))
                continue  # muted for good: `reschedule` after the silences change
            version = inc.notified_version + 1
            out.append(
                Notice(
                    incident_id=inc.id,
                    version=version,
                    route=route,
                    alert=render_alert(inc, version, now),
                    rev=inc.rev,
                    threads=dict(inc.threads),
                )
            )
            later.append((iid, now))
        for iid, at in later:
            self._schedule(iid, at)
        out.sort(key=lambda n: (self._incidents[n.incident_id].opened_at, n.incident_id))
        return out

    def next_due(self) -> float | None:
        """The earliest time at which `due` may have something to send (it may turn out to
        be nothing: a silence, a later interval), or None when nothing is scheduled."""
        while self._due:
            at, iid = self._due[0]
            if self._scheduled.get(iid) == at:
                return at
            heapq.heappop(self._due)
        return None

    def mark_notified(self, notice: Notice, now: float, threads: Mapping[str, str]) -> None:
        """The shell delivered (or dead-lettered) `notice` to every destination."""
        inc = self._incidents.get(notice.incident_id)
        if inc is None or inc.notified_version >= notice.version:
            return
        marked = replace(
            inc,
            rev=inc.rev + 1,
            notified_version=notice.version,
            notified_at=now,
            notified_posts=notice.alert["posts_count"],
            notified_severity=notice.alert["severity"],
            threads={**inc.threads, **threads},
        )
        self._incidents[inc.id] = marked
        self._scheduled.pop(inc.id, None)
        if inc.rev == notice.rev:  # nothing joined while it was being delivered
            self._pending.discard(inc.id)
        else:
            self._schedule(inc.id, self.due_at(marked, notice.route))
        self._dirty.add(inc.id)

    # -- forgetting -------------------------------------------------------------------------
    def expires_at(self, inc: Incident, route: Route | None) -> float:
        if route is None:  # the route was removed from the config
            return inc.touched_at
        at = inc.touched_at + route.group_window
        if inc.notified_at is not None:
            at = max(at, inc.notified_at + route.repeat_interval)
        return at

    def expire(self, config: RoutesConfig, now: float) -> list[str]:
        """Forget incidents past their time (module docstring); their ids, for tombstones."""
        routes = {r.name: r for r in config.routes}
        gone = []
        while self._expiry and self._expiry[0][0] <= now:
            _, iid = heapq.heappop(self._expiry)
            inc = self._incidents.get(iid)
            if inc is None:
                continue
            route = routes.get(inc.route)
            at = self.expires_at(inc, route)
            if at > now:
                heapq.heappush(self._expiry, (at, iid))
                continue
            if route is not None and iid in self._pending and not self.muted(config, inc, now):
                # Changes still to send: keep it until they went out.
                heapq.heappush(self._expiry, (now + min(route.group_interval, 60.0), iid))
                continue
            self._remove(inc)
            self._dropped.add(iid)
            gone.append(iid)
        return gone

    # -- persistence ------------------------------------------------------------------------
    def take_changes(self, *, keep_dropped: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
        """States to write (changed incidents) and ids to tombstone, since the last call;
        `keep_dropped` leaves the tombstones for a later call (a writer that cannot write
        them)."""
        states = [
            to_state(self._incidents[i], pending=i in self._pending)
            for i in sorted(self._dirty)
            if i in self._incidents
        ]
        self._dirty.clear()
        if keep_dropped:
            return states, []
        dropped = sorted(self._dropped)
        self._dropped.clear()
        return states, dropped

    def restore(self, states: Iterable[Mapping[str, Any]], now: float) -> int:
        """Load incident states read back from the incidents topic; the count loaded."""
        loaded = 0
        for raw in states:
            inc = from_state(raw)
            old = self._incidents.get(inc.id)
            if old is not None:
                if old.rev >= inc.rev:
                    continue
                self._remove(old)
            self._store(inc, None, None)
            if raw.get("pending"):
                self._pending.add(inc.id)
                self._schedule(inc.id, now)
            heapq.heappush(self._expiry, (now, inc.id))
            loaded += 1
        return loaded

    def counts(self, config: RoutesConfig, now: float) -> dict[str, tuple[int, int]]:
        """Per route: (incidents remembered, of which muted now)."""
        silences = _active_silences(config, now)
        out: dict[str, tuple[int, int]] = {r.name: (0, 0) for r in config.routes}
        for inc in self._incidents.values():
            total, muted = out.get(inc.route, (0, 0))
            is_muted = any(inc.matched_by(m) for m, _ in silences)
            out[inc.route] = (total + 1, muted + (1 if is_muted else 0))
        return out


# -- state records (the compacted `<prefix>.incidents` topic) --------------------------------


def _fp_out(fp: Fingerprint) -> dict[str, Any]:
    return {"shingles": sorted(fp.shingles), "minhash": list(fp.minhash)}


def _fp_in(raw: Mapping[str, Any]) -> Fingerprint:
    return Fingerprint(frozenset(raw["shingles"]), tuple(raw["minhash"]))


def to_state(inc: Incident, *, pending: bool) -> dict[str, Any]:
    return {
        "state_version": STATE_VERSION,
        "id": inc.id,
        "route": inc.route,
        "rev": inc.rev,
        "pending": pending,
        "opened_at": inc.opened_at,
        "touched_at": inc.touched_at,
        "first_seen": inc.first_seen,
        "last_seen": inc.last_seen,
        "posts_count": inc.posts_count,
        "post_ids": list(inc.post_ids),
        "key_actors": sorted(inc.key_actors),
        "key_places": sorted(inc.key_places),
        "entities": [list(e) for e in inc.entities],
        "tags": sorted(inc.tags),
        "sources": sorted(inc.sources),
        "langs": sorted(inc.langs),
        "claims": [dict(c) for c in inc.claims],
        "reasons": list(inc.reasons),
        "score": inc.score,
        "base_severity": inc.base_severity,
        "severity": inc.severity,
        "escalations": [
            {"severity": e.severity, "reason": e.reason, "at": e.at} for e in inc.escalations
        ],
        "independent": [
            {
                "keys": sorted(s.keys),
                "stance": s.stance,
                "commander": s.commander,
                "text": _fp_out(s.text),
            }
            for s in inc.independent
        ],
        "extra_sources": inc.extra_sources,
        "texts": [_fp_out(t) for t in inc.texts],
        "samples": [dict(s) for s in inc.samples],
        "notified_version": inc.notified_version,
        "notified_at": inc.notified_at,
        "notified_posts": inc.notified_posts,
        "notified_severity": inc.notified_severity,
        "threads": dict(inc.threads),
        "silenced_posts": inc.silenced_posts,
    }


def from_state(raw: Mapping[str, Any]) -> Incident:
    """An incident from its state record; raises KeyError/TypeError/ValueError if malformed."""
    if raw.get("state_version") != STATE_VERSION:
        raise ValueError(f"unknown incident state version {raw.get('state_version')!r}")
    texts = tuple(_fp_in(t) for t in raw["texts"])
    return Incident(
        id=str(raw["id"]),
        route=str(raw["route"]),
        rev=int(raw["rev"]),
        opened_at=float(raw["opened_at"]),
        touched_at=float(raw["touched_at"]),
        first_seen=float(raw["first_seen"]),
        last_seen=float(raw["last_seen"]),
        posts_count=int(raw["posts_count"]),
        post_ids=tuple(raw["post_ids"]),
        key_actors=frozenset(raw["key_actors"]),
        key_places=frozenset(raw["key_places"]),
        entities=tuple((str(a), str(b), str(c)) for a, b, c in raw["entities"]),
        entity_ids=frozenset(e[0] for e in raw["entities"]),
        tags=frozenset(raw["tags"]),
        sources=frozenset(raw["sources"]),
        langs=frozenset(raw["langs"]),
        claims=tuple(raw["claims"]),
        reasons=tuple(raw["reasons"]),
        score=float(raw["score"]),
        base_severity=str(raw["base_severity"]),
        severity=str(raw["severity"]),
        escalations=tuple(
            Escalation(str(e["severity"]), str(e["reason"]), float(e["at"]))
            for e in raw["escalations"]
        ),
        independent=tuple(
            Source(frozenset(s["keys"]), int(s["stance"]), bool(s["commander"]), _fp_in(s["text"]))
            for s in raw["independent"]
        ),
        extra_sources=int(raw["extra_sources"]),
        texts=texts,
        samples=tuple(raw["samples"]),
        notified_version=int(raw["notified_version"]),
        notified_at=None if raw["notified_at"] is None else float(raw["notified_at"]),
        notified_posts=int(raw["notified_posts"]),
        notified_severity=str(raw["notified_severity"]),
        threads={str(k): str(v) for k, v in raw["threads"].items()},
        silenced_posts=int(raw["silenced_posts"]),
    )
