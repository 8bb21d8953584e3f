"""The classifier shell's `process` on one batch, without a broker: one output per post in
order, keyed by post id, and metrics that count exactly what the scored posts say, although
they are added once per batch rather than once per post. Poison records never reach it:
`decode_post` turns them into dead letters with a reason."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import orjson
import pytest
from prometheus_client import CollectorRegistry
from services.classifier.service import ClassifierService, decode_post
from services.classifier.watchlist import load_watchlist
from services.runtime.errors import PoisonMessage
from services.runtime.messages import valid_timestamp
from services.runtime.settings import load_settings
from services.runtime.stream import Incoming

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Wagner Group fighters and PMC Wagner trucks seen again",  # one entity, twice
    "Reportedly around 300 Iranian troops arrived in Homs overnight with Hezbollah units.",
    "IRGC officers deny that troops were sent to Homs.",
    "A quiet day at the market.",
    "Hezbollah and the IRGC: Iranian troops deployed to Aleppo, sources confirm.",
]


class Record(NamedTuple):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]
    timestamp: int


def record(offset: int, value: Any) -> Record:
    raw = value if isinstance(value, bytes) else orjson.dumps(value)
    return Record("t.posts", 0, offset, None, raw, (), 0)


def post(n: int, text: str) -> dict[str, Any]:
    minute = f"{n % 60:02d}"
    return {
        "id": f"x:{n}",
        "source": "x",
        "text": text,
        "created_at": f"2026-11-20T08:{minute}:00Z",
    }


def service(registry: CollectorRegistry) -> ClassifierService:
    settings = load_settings("classifier", {"FIELDWATCH_TOPIC_PREFIX": "t"})
    watchlist = load_watchlist(ROOT / "examples" / "watchlist.yaml")
    fake: Any = object()  # process() touches neither client
    return ClassifierService(settings, watchlist, consumer=fake, producer=fake, registry=registry)


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def test_one_batch_is_scored_in_order_and_counted_exactly() -> None:
    registry = CollectorRegistry()
    svc = service(registry)
    posts = [post(i, TEXTS[i % len(TEXTS)]) for i in range(40)]
    batch = [Incoming(r, decode_post(r)) for r in (record(i, p) for i, p in enumerate(posts))]
    result = asyncio.run(svc.process(batch))

    assert [o.key for o in result.outputs] == [p["id"].encode() for p in posts]
    assert {o.topic for o in result.outputs} == {"t.scored"}
    scored = [orjson.loads(o.value) for o in result.outputs]
    assert scored == [svc.engine.classify(p) for p in posts]
    assert result.event_times == [valid_timestamp(p["created_at"]) for p in posts]
    assert result.dead == []

    # What the metrics must say, counted post by post from the outputs themselves.
    entities = Counter(e for s in scored for e in {m["id"] for m in s["entities"]})
    stances = Counter(c["stance"] for s in scored for c in s["claims"])
    assert entities["wagner-group"] == 8  # one per post, though named twice in it
    assert len(entities) >= 3
    assert sum(stances.values()) >= 8
    assert sample(registry, "fieldwatch_classifier_posts_scored_total") == 40
    for entity, count in entities.items():
        got = sample(registry, "fieldwatch_classifier_entity_matches_total", entity=entity)
        assert got == count, entity
    for stance in ("asserted", "hedged", "denied", "hypothetical"):
        got = sample(registry, "fieldwatch_classifier_claims_total", stance=stance)
        assert got == stances[stance], stance
    assert sample(registry, "fieldwatch_classifier_score_count") == 40
    assert sample(registry, "fieldwatch_classifier_score_sum") == pytest.approx(
        sum(s["score"] for s in scored)
    )

    asyncio.run(svc.process(batch[:5]))  # a second batch adds to the same counts
    assert sample(registry, "fieldwatch_classifier_posts_scored_total") == 45
    got = sample(registry, "fieldwatch_classifier_entity_matches_total", entity="wagner-group")
    assert got == 9


@pytest.mark.parametrize(
    ("value", "reason", "detail"),
    [
        (b"{broken", "undecodable", "invalid JSON"),
        (None, "undecodable", "tombstone"),
        ({"id": "x:1", "source": "x", "text": "t"}, "schema_invalid", "created_at: is required"),
        ({**post(1, "t"), "id": "y:1"}, "schema_invalid", "id: prefix 'y'"),
        ({**post(1, "t"), "created_at": "2026-02-30T00:00:00Z"}, "schema_invalid", "created_at"),
        ({**post(1, "t"), "lang": ["en"]}, "schema_invalid", "lang"),
    ],
)
def test_malformed_posts_are_poison_with_a_reason(value: Any, reason: str, detail: str) -> None:
    rec = Record("t.posts", 0, 7, None, None, (), 0) if value is None else record(7, value)
    with pytest.raises(PoisonMessage) as info:
        decode_post(rec)
    assert info.value.reason == reason
    assert detail in info.value.detail
