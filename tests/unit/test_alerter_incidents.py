"""The pure incident core: grouping, near-duplicates, independent sources, escalation,
notification pacing, silences and state records, with the clock injected."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from services.alerter.core import (
    SEVERITY_ORDER,
    IncidentBook,
    Notice,
    from_state,
    matches,
    post_facts,
    to_state,
)
from services.alerter.routes import Match, Route, RoutesConfig, Silence
from services.alerter.similarity import fingerprint, jaccard

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
MIN = 60.0

ORIGINAL = (
    "Convoy of IRGC fighters seen entering Homs from the east this morning, at least forty "
    "trucks with artillery pieces, local witnesses say"
)


def ts(minutes: float) -> float:
    return (T0 + timedelta(minutes=minutes)).timestamp()


def iso(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def ent(eid: str, kind: str = "organization", alias: str | None = None) -> dict[str, Any]:
    return {"id": eid, "kind": kind, "alias": alias or eid, "start": 0, "end": 1}


def claim(stance: str, location: str | None = "Homs", actor: str | None = "IRGC") -> dict[str, Any]:
    return {
        "type": "troop_deployment",
        "actor": actor,
        "count": None,
        "location": location,
        "stance": stance,
        "evidence": "seen entering",
        "start": 0,
        "end": 1,
    }


def post(
    n: int,
    minute: float = 0.0,
    *,
    text: str | None = None,
    author: str | None = None,
    channel: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    claims: list[dict[str, Any]] | None = None,
    refs: dict[str, str] | None = None,
    source: str = "x",
    score: float = 0.8,
) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": f"{source}:{n}",
        "source": source,
        "text": text if text is not None else f"post number {n} about something else entirely",
        "created_at": iso(minute),
        "url": f"https://example.org/{n}",
        "lang": "en",
        "score": score,
        "entities": entities if entities is not None else [ent("irgc"), ent("homs", "location")],
        "claims": claims or [],
        "reasons": [f"reason {n}"],
    }
    if author is not None:
        p["author"] = {"id": author, "handle": author}
    if channel is not None:
        p["channel"] = channel
    if refs:
        p["refs"] = refs
    return p


def route(**kw: Any) -> Route:
    base: dict[str, Any] = {
        "name": "watch",
        "match": Match(min_score=0.5),
        "severity": "routine",
        "to": ("sink",),
        "group_window": 10 * MIN,
        "group_interval": 5 * MIN,
        "repeat_interval": 4 * 3600.0,
    }
    base.update(kw)
    return Route(**base)


def config(*routes: Route, silences: tuple[Silence, ...] = ()) -> RoutesConfig:
    return RoutesConfig(destinations={}, routes=routes or (route(),), silences=silences)


def feed(book: IncidentBook, cfg: RoutesConfig, posts: list[dict[str, Any]]) -> None:
    for p in posts:
        book.observe(cfg, p, ts(0) + (iso_minutes(p)) * MIN)


def iso_minutes(p: dict[str, Any]) -> float:
    created = datetime.fromisoformat(p["created_at"].replace("Z", "+00:00"))
    return (created - T0).total_seconds() / MIN


# -- similarity -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        (ORIGINAL, ORIGINAL, 1.0, 1.0),
        (ORIGINAL, f"RT @levant_watch: {ORIGINAL}", 1.0, 1.0),
        (ORIGINAL, f"{ORIGINAL} https://t.co/abc123 @someone", 1.0, 1.0),
        (ORIGINAL, ORIGINAL.upper().replace("IRGC", "ＩＲＧＣ"), 1.0, 1.0),
        (ORIGINAL, ORIGINAL.replace("fighters", "fight\u200bers"), 1.0, 1.0),
        (ORIGINAL, f"Big if true! {ORIGINAL}", 0.8, 1.0),  # a quote with a comment
        (ORIGINAL, ORIGINAL.replace("forty", "40").replace("morning", "evening"), 0.5, 0.8),
        (ORIGINAL, "Best pizza in Homs, anyone? The one near the old souk is closed", 0.0, 0.1),
        (ORIGINAL, "", 0.0, 0.0),
    ],
)
def test_similarity(a: str, b: str, low: float, high: float) -> None:
    sim = jaccard(fingerprint(a), fingerprint(b))
    assert low <= sim <= high


def test_fingerprint_is_deterministic_and_bounded() -> None:
    long_text = " ".join(f"word{i}" for i in range(2000))
    fp = fingerprint(long_text)
    assert fp == fingerprint(long_text)
    assert len(fp.shingles) == 64
    assert len(fp.minhash) == 24
    assert len(fp.bands()) == 12


# -- grouping -------------------------------------------------------------------------------

HOMS = [ent("irgc"), ent("homs", "location")]
ALEPPO = [ent("irgc"), ent("aleppo", "location")]


@pytest.mark.parametrize(
    ("name", "posts", "incidents"),
    [
        (
            "same actor and place within the window",
            [post(1, 0, author="a"), post(2, 8, author="b"), post(3, 16, author="c")],
            1,
        ),
        ("same actor, other place", [post(1, 0), post(2, 3, entities=ALEPPO)], 2),
        ("same actor and place after the window", [post(1, 0), post(2, 11)], 2),
        (
            "other actor, same place",
            [post(1, 0), post(2, 2, entities=[ent("wagner-group"), ent("homs", "location")])],
            2,
        ),
        (
            "claim place joins the location entity",
            [
                post(1, 0, entities=[ent("irgc")], claims=[claim("asserted", "Homs")]),
                post(2, 2, entities=[ent("irgc")], claims=[claim("hedged", " homs ")]),
            ],
            1,
        ),
        (
            "a repost joins by reference whatever its text",
            [post(1, 0), post(2, 3, text="!!!", entities=[], refs={"repost_of": "x:1"})],
            1,
        ),
        (
            "near-duplicate text without shared entities",
            [
                post(1, 0, text=ORIGINAL, entities=[]),
                post(2, 4, text=f"RT @a: {ORIGINAL}", entities=[ent("homs", "location")]),
            ],
            1,
        ),
        (
            "near-duplicate long after the window, still remembered",
            [post(1, 0, text=ORIGINAL), post(2, 120, text=f"Still true: {ORIGINAL}")],
            1,
        ),
        (
            "unrelated text and no entities",
            [post(1, 0, entities=[]), post(2, 1, entities=[])],
            2,
        ),
    ],
)
def test_grouping(name: str, posts: list[dict[str, Any]], incidents: int) -> None:
    book = IncidentBook()
    cfg = config()
    for p in posts:
        book.observe(cfg, p, ts(iso_minutes(p)))
    assert len(book) == incidents, name
    assert sum(i.posts_count for i in book) == len(posts)


def test_incident_id_is_stable_and_the_alert_id() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0), ts(0))
    [first] = book.due(cfg, ts(0))
    other = IncidentBook()
    other.observe(cfg, post(1, 0), ts(0))
    assert other.due(cfg, ts(0))[0].incident_id == first.incident_id == first.alert["id"]


def test_routes_in_order_with_continue() -> None:
    deploy = route(
        name="deploy", match=Match(min_score=0.5, claims=frozenset({"troop_deployment"}))
    )
    cfg_stop = config(deploy, route(name="watch"))
    cfg_cont = config(route(name="deploy", match=deploy.match, continue_=True), route(name="watch"))
    p = post(1, 0, claims=[claim("asserted")])
    assert IncidentBook().observe(cfg_stop, p, ts(0)).routes == ("deploy",)
    assert IncidentBook().observe(cfg_cont, p, ts(0)).routes == ("deploy", "watch")
    assert IncidentBook().observe(cfg_stop, post(2, 0), ts(0)).routes == ("watch",)


@pytest.mark.parametrize(
    ("match", "tags", "expected"),
    [
        (Match(entity_tags=frozenset({"iran"})), {"irgc": frozenset({"iran"})}, True),
        (Match(entity_tags=frozenset({"iran"})), {"irgc": frozenset({"russia"})}, False),
        (Match(entity_tags=frozenset({"iran"})), None, False),
        (Match(langs=frozenset({"en-GB"})), None, True),
        (Match(langs=frozenset({"ru"})), None, False),
        (Match(sources=frozenset({"x"})), None, True),
        (Match(stances=frozenset({"denied"})), None, False),
        (Match(min_score=0.9), None, False),
    ],
)
def test_route_match(match: Match, tags: dict[str, frozenset[str]] | None, expected: bool) -> None:
    cfg = config(route(match=match))
    p = post(1, 0, claims=[claim("asserted")])
    assert bool(IncidentBook().observe(cfg, p, ts(0), tags).routes) is expected


def test_entity_tags_carried_by_the_classifier_match() -> None:
    p = post(1, 0, entities=[{**ent("irgc"), "tags": ["iran"]}])
    assert matches(Match(entity_tags=frozenset({"iran"})), p)


# -- independent sources and escalation -----------------------------------------------------

RETOLD = [
    "IRGC fighters reportedly arrived in Homs overnight according to local sources",
    "Unconfirmed: Iranian Revolutionary Guard units may have reached Homs",
    "Residents of Homs say they saw IRGC trucks, cannot verify yet",
    "Sources claim IRGC reinforcements moving into Homs province today",
]


@pytest.mark.parametrize(
    ("name", "posts", "sources"),
    [
        (
            "three authors in their own words",
            [post(i, i, text=RETOLD[i], author=f"a{i}") for i in range(3)],
            3,
        ),
        ("one author three times", [post(i, i, text=RETOLD[i], author="a") for i in range(3)], 1),
        (
            "reposts of the first post",
            [post(0, 0, text=RETOLD[0], author="a")]
            + [post(i, i, text="", author=f"a{i}", refs={"repost_of": "x:0"}) for i in (1, 2)],
            1,
        ),
        (
            "quotes of the same outside original",
            [
                post(i, i, text=RETOLD[i], author=f"a{i}", refs={"quote_of": "x:999"})
                for i in range(3)
            ],
            1,
        ),
        (
            "copy-paste by other authors",
            [post(i, i, text=f"{RETOLD[0]} #homs", author=f"a{i}") for i in range(3)],
            1,
        ),
        (
            "channels without authors",
            [post(1, 0, text=RETOLD[0], channel="c1"), post(2, 1, text=RETOLD[1], channel="c2")],
            2,
        ),
    ],
)
def test_independent_sources(name: str, posts: list[dict[str, Any]], sources: int) -> None:
    book = IncidentBook()
    cfg = config()
    for p in posts:
        book.observe(cfg, p, ts(iso_minutes(p)))
    [inc] = list(book)
    assert inc.sources_count == sources, name


SOLEIMANI = [ent("qassem-soleimani", "person", "Soleimani"), ent("homs", "location")]


@pytest.mark.parametrize(
    ("name", "base", "posts", "severity", "reason"),
    [
        (
            "hedged claim from three independent sources",
            "routine",
            [
                post(i, i, text=RETOLD[i], author=f"a{i}", claims=[claim("hedged")])
                for i in range(3)
            ],
            "urgent",
            "claim corroborated by 3 independent sources",
        ),
        (
            "hedged claim from two sources",
            "routine",
            [
                post(i, i, text=RETOLD[i], author=f"a{i}", claims=[claim("hedged")])
                for i in range(2)
            ],
            "routine",
            None,
        ),
        (
            "three posts but two are copies",
            "routine",
            [post(0, 0, text=RETOLD[0], author="a0", claims=[claim("hedged")])]
            + [
                post(i, i, text=f"RT {RETOLD[0]}", author=f"a{i}", claims=[claim("hedged")])
                for i in (1, 2)
            ],
            "routine",
            None,
        ),
        (
            "denied claims do not corroborate",
            "routine",
            [
                post(i, i, text=RETOLD[i], author=f"a{i}", claims=[claim("denied")])
                for i in range(3)
            ],
            "routine",
            None,
        ),
        (
            "asserted claim naming a watched person from two sources",
            "routine",
            [
                post(
                    i, i, text=RETOLD[i], author=f"a{i}", entities=SOLEIMANI,
                    claims=[claim("asserted", actor="Soleimani")],
                )
                for i in range(2)
            ],
            "flash",
            "asserted claim naming a watched person from 2 independent sources",
        ),
        (
            "severity never goes down",
            "flash",
            [post(0, 0, claims=[claim("denied")])],
            "flash",
            None,
        ),
    ],
)  # fmt: skip
def test_escalation(
    name: str, base: str, posts: list[dict[str, Any]], severity: str, reason: str | None
) -> None:
    book = IncidentBook()
    cfg = config(route(severity=base))
    for p in posts:
        book.observe(cfg, p, ts(iso_minutes(p)))
    [_inc] = list(book)
    [notice] = book.due(cfg, ts(10))
    assert notice.alert["severity"] == severity, name
    assert notice.alert["base_severity"] == base
    assert notice.alert["severity_reason"] == reason


# -- notification pacing --------------------------------------------------------------------


def deliver(book: IncidentBook, cfg: RoutesConfig, minute: float) -> list[Notice]:
    notices = book.due(cfg, ts(minute))
    for n in notices:
        book.mark_notified(n, ts(minute), {})
    return notices


def versions(notices: list[Notice]) -> list[tuple[str, int]]:
    return [(n.alert["status"], n.version) for n in notices]


def test_first_at_once_then_at_most_once_per_group_interval() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0, author="a"), ts(0))
    first = deliver(book, cfg, 0)
    assert versions(first) == [("new", 1)]
    timeline = []
    for minute in (1, 2, 3, 4, 5, 6, 7):
        if minute in (1, 3, 6):
            book.observe(cfg, post(minute + 10, minute, author=f"b{minute}"), ts(minute))
        timeline.append((minute, versions(deliver(book, cfg, minute))))
    assert timeline == [
        (1, []), (2, []), (3, []), (4, []),
        (5, [("update", 2)]),  # posts 11 and 13, 5 minutes after the first notice
        (6, []),
        (7, []),  # post 16 waits for minute 10
    ]  # fmt: skip
    assert versions(deliver(book, cfg, 10)) == [("update", 3)]
    assert deliver(book, cfg, 20) == []  # nothing new: nothing repeats
    inc = book.get(first[0].incident_id)
    assert inc is not None
    assert inc.notified_version == 3
    assert book.next_due() is None


def test_alert_counts_and_new_posts() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0, text=RETOLD[0], author="a"), ts(0))
    deliver(book, cfg, 0)
    book.observe(cfg, post(2, 1, text=RETOLD[1], author="b"), ts(1))
    book.observe(cfg, post(3, 2, text="", author="c", refs={"repost_of": "x:2"}), ts(2))
    [update] = deliver(book, cfg, 5)
    alert = update.alert
    assert (alert["posts_count"], alert["sources_count"], alert["new_posts_count"]) == (3, 2, 2)
    assert [p["id"] for p in alert["posts"]] == ["x:1", "x:2", "x:3"]
    assert alert["first_seen"] == "2026-11-20T08:00:00.000Z"
    assert alert["last_seen"] == "2026-11-20T08:02:00.000Z"


def test_escalation_goes_out_at_once() -> None:
    cfg = config()
    book = IncidentBook()
    for i in range(2):
        book.observe(
            cfg, post(i, i, text=RETOLD[i], author=f"a{i}", claims=[claim("hedged")]), ts(i)
        )
        deliver(book, cfg, i)
    book.observe(cfg, post(2, 2, text=RETOLD[2], author="a2", claims=[claim("hedged")]), ts(2))
    [notice] = deliver(book, cfg, 2)  # before group_interval: the severity rose
    assert (notice.version, notice.alert["severity"]) == (2, "urgent")


def test_retelling_within_repeat_interval_updates_the_same_incident() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0, text=ORIGINAL), ts(0))
    [first] = deliver(book, cfg, 0)
    assert book.expire(cfg, ts(60)) == []
    book.observe(cfg, post(2, 60, text=f"Again: {ORIGINAL}"), ts(60))
    [second] = deliver(book, cfg, 60)
    assert (second.incident_id, second.version) == (first.incident_id, 2)
    # Four hours after the last notification it is forgotten; the story is news again.
    assert book.expire(cfg, ts(60 + 239)) == []
    assert book.expire(cfg, ts(60 + 240)) == [first.incident_id]
    book.observe(cfg, post(3, 301, text=ORIGINAL), ts(301))
    [third] = deliver(book, cfg, 301)
    assert third.incident_id != first.incident_id
    assert third.version == 1
    _, dropped = book.take_changes()
    assert dropped == [first.incident_id]


def test_undelivered_notice_is_due_again_with_the_same_version() -> None:
    cfg = config()
    book = IncidentBook()
    p = post(1, 0)
    book.observe(cfg, p, ts(0))
    [first] = book.due(cfg, ts(0))  # delivery raised Backpressure: not marked
    observed = book.observe(cfg, p, ts(1))  # the batch is replayed
    assert observed.duplicate
    [again] = book.due(cfg, ts(1))
    assert (again.incident_id, again.version) == (first.incident_id, 1)
    assert book.get(first.incident_id).posts_count == 1  # type: ignore[union-attr]


def test_post_joining_during_delivery_stays_pending() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0), ts(0))
    [notice] = book.due(cfg, ts(0))
    book.observe(cfg, post(2, 0.5), ts(0.5))
    book.mark_notified(notice, ts(0.5), {"slack": "1700000000.000100"})
    assert book.pending(notice.incident_id)
    [update] = deliver(book, cfg, 5.5)
    assert update.version == 2
    assert update.threads == {"slack": "1700000000.000100"}


# -- silences -------------------------------------------------------------------------------


def silence(minutes: float | None, **match: frozenset[str]) -> Silence:
    until = None if minutes is None else T0 + timedelta(minutes=minutes)
    return Silence(match=Match(**match), until=until, comment="covered by another desk")


@pytest.mark.parametrize(
    ("name", "silences", "muted_until"),
    [
        ("silence on the entity", (silence(20, entities=frozenset({"irgc"})),), 20),
        ("silence by tag", (silence(20, entity_tags=frozenset({"iran"})),), 20),
        ("silence without end", (silence(None, entities=frozenset({"irgc"})),), None),
        ("expired silence", (silence(-1, entities=frozenset({"irgc"})),), 0),
        ("silence on another entity", (silence(30, entities=frozenset({"wagner-group"})),), 0),
    ],
)
def test_silences(name: str, silences: tuple[Silence, ...], muted_until: float | None) -> None:
    cfg = config(silences=silences)
    book = IncidentBook()
    observed = book.observe(cfg, post(1, 0), ts(0), {"irgc": frozenset({"iran"})})
    assert bool(observed.silenced) is (muted_until != 0), name
    counts = book.counts(cfg, ts(0))
    assert counts["watch"] == (1, 0 if muted_until == 0 else 1)
    if muted_until == 0:
        assert versions(deliver(book, cfg, 0)) == [("new", 1)]
        return
    assert deliver(book, cfg, 0) == []
    book.observe(cfg, post(2, 5), ts(5), {"irgc": frozenset({"iran"})})
    assert deliver(book, cfg, 12) == []
    if muted_until is None:
        assert book.next_due() is None
        return
    assert book.next_due() == ts(muted_until)
    book.observe(cfg, post(3, 14), ts(14), {"irgc": frozenset({"iran"})})
    # Still remembered when the silence ends: the muted changes go out.
    assert book.expire(cfg, ts(muted_until)) == []
    [late] = deliver(book, cfg, muted_until)
    assert (late.version, late.alert["posts_count"]) == (1, 3)
    assert book.get(late.incident_id).silenced_posts == 3  # type: ignore[union-attr]


# -- state ----------------------------------------------------------------------------------


def test_state_round_trip_and_restore_continues_the_incident() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0, text=RETOLD[0], author="a", claims=[claim("hedged")]), ts(0))
    deliver(book, cfg, 0)
    book.observe(cfg, post(2, 1, text=RETOLD[1], author="b"), ts(1))
    states, dropped = book.take_changes()
    assert dropped == []
    assert len(states) == 1
    [inc] = list(book)
    assert from_state(to_state(inc, pending=True)) == inc
    restored = IncidentBook()
    assert restored.restore(states, ts(2)) == 1
    assert restored.pending(inc.id)
    restored.observe(cfg, post(2, 1, text=RETOLD[1], author="b"), ts(2))  # replayed: no-op
    restored.observe(cfg, post(3, 3, text="", author="c", refs={"repost_of": "x:1"}), ts(3))
    [update] = deliver(restored, cfg, 5)
    assert (update.incident_id, update.version, update.alert["posts_count"]) == (inc.id, 2, 3)


def test_restore_keeps_the_newest_revision() -> None:
    cfg = config()
    book = IncidentBook()
    book.observe(cfg, post(1, 0), ts(0))
    old, _ = book.take_changes()
    book.observe(cfg, post(2, 1), ts(1))
    new, _ = book.take_changes()
    restored = IncidentBook()
    restored.restore([*new, *old], ts(2))  # out of order
    [inc] = list(restored)
    assert inc.posts_count == 2


def test_post_facts_author_keys() -> None:
    assert post_facts(post(1, author="Alice")).author == "x:alice"
    assert post_facts(post(1, channel="Rybar")).author == "x#rybar"
    assert post_facts(post(1)).author == "post:x:1"


# -- properties -----------------------------------------------------------------------------

STEP = st.tuples(
    st.floats(min_value=0, max_value=4),  # minutes since the previous post
    st.integers(0, 2),  # actor
    st.integers(0, 2),  # place
    st.integers(0, 4),  # author
    st.integers(0, 3),  # text
    st.sampled_from(["asserted", "hedged", "denied", None]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(STEP, min_size=1, max_size=40))
def test_pacing_and_counting_invariants(steps: list[tuple[float, int, int, int, int, Any]]) -> None:
    cfg = config()
    book = IncidentBook()
    sent: dict[str, list[tuple[float, int, str]]] = {}
    minute = 0.0
    posts = []
    for n, (gap, actor, place, author, text, stance) in enumerate(steps):
        minute += gap
        p = post(
            n,
            minute,
            text=RETOLD[text],
            author=f"a{author}",
            entities=[ent(f"actor-{actor}"), ent(f"place-{place}", "location")],
            claims=[claim(stance)] if stance else [],
        )
        posts.append(p)
        book.observe(cfg, p, ts(minute))
        for notice in deliver(book, cfg, minute):
            sent.setdefault(notice.incident_id, []).append(
                (minute, notice.version, notice.alert["severity"])
            )
    # Replaying every post changes nothing.
    for p in posts:
        assert book.observe(cfg, p, ts(minute)).duplicate
    assert sum(i.posts_count for i in book) == len(posts)
    for inc in book:
        assert inc.sources_count <= inc.posts_count
    for notices in sent.values():
        assert [v for _, v, _ in notices] == list(range(1, len(notices) + 1))
        for (t0, _, sev0), (t1, _, sev1) in itertools.pairwise(notices):
            rose = SEVERITY_ORDER[sev1] > SEVERITY_ORDER[sev0]
            assert rose or t1 - t0 >= 5 - 1e-9  # group_interval, minutes
