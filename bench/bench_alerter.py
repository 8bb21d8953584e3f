"""Benchmark of the alerter's pure incident core: scored posts per second through
`IncidentBook.observe` + `due` + `mark_notified` (what the service does per post, without I/O)
while many incidents are open, against a JSON decode+encode passthrough of the same posts
measured in the same run. Prints one JSON report on stdout."""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.alerter.core import IncidentBook
from services.alerter.routes import Match, Route, RoutesConfig, Silence
from services.alerter.similarity import fingerprint

SEED = 5
ACTORS = 2000
PLACES = 200
WARMUP_POSTS = 20_000  # opens the incidents the measured posts run against
POSTS = 20_000
MATCHING = 0.5  # the alerter consumes every scored post; about half match no route here
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
WORDS = [
    "convoy",
    "troops",
    "fighters",
    "seen",
    "arrived",
    "near",
    "city",
    "border",
    "trucks",
    "artillery",
    "reportedly",
    "witnesses",
    "say",
    "local",
    "sources",
    "unconfirmed",
    "photos",
    "show",
    "moving",
    "overnight",
    "morning",
    "units",
    "brigade",
    "battalion",
    "deployed",
    "crossing",
    "bridge",
    "checkpoint",
    "airport",
    "base",
]


def make_posts(rng: random.Random, n: int, start: int, minutes: float) -> list[dict[str, Any]]:
    posts = []
    originals: list[str] = []
    for i in range(start, start + n):
        actor = rng.randrange(ACTORS)
        place = rng.randrange(PLACES)
        if originals and rng.random() < 0.2:  # reposts and copies of recent texts
            text = f"RT @someone: {rng.choice(originals[-200:])}"
        else:
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
            text = f"Actor{actor} {body} Place{place}"
            originals.append(text)
        created = T0 + timedelta(minutes=minutes * (i - start) / n)
        relevant = rng.random() < MATCHING
        stance = rng.choice(("asserted", "hedged", "denied", None))
        posts.append(
            {
                "id": f"x:{i}",
                "source": "x",
                "text": text[:280],
                "created_at": created.isoformat().replace("+00:00", "Z"),
                "lang": "en",
                "author": {"id": str(rng.randrange(5000))},
                "score": round(rng.uniform(0.5, 1.0), 3) if relevant else 0.0,
                "entities": [
                    {"id": f"actor-{actor}", "kind": "person", "alias": f"Actor{actor}"},
                    {"id": f"place-{place}", "kind": "location", "alias": f"Place{place}"},
                ],
                "claims": []
                if stance is None
                else [
                    {
                        "type": "troop_deployment",
                        "actor": f"Actor{actor}",
                        "count": None,
                        "location": f"Place{place}",
                        "stance": stance,
                        "evidence": "seen",
                        "start": 0,
                        "end": 4,
                    }
                ],
                "reasons": [f"entity Actor{actor} (+0.50)"],
                "watchlist_version": "bench",
                "classifier_version": "bench",
            }
        )
    return posts


def config() -> RoutesConfig:
    routes = (
        Route(
            name="deployments",
            match=Match(min_score=0.6, claims=frozenset({"troop_deployment"})),
            severity="urgent",
            to=("desk",),
            continue_=True,
        ),
        Route(name="watchlist", match=Match(min_score=0.5), severity="routine", to=("desk",)),
    )
    silence = Silence(
        match=Match(entities=frozenset({f"actor-{i}" for i in range(50)})), until=None
    )
    return RoutesConfig(destinations={}, routes=routes, silences=(silence,))


def run_core(book: IncidentBook, cfg: RoutesConfig, raws: list[bytes], t0: float) -> int:
    sent = 0
    for i, raw in enumerate(raws):
        scored = orjson.loads(raw)
        now = t0 + i * 0.01
        book.observe(cfg, scored, now)
        for notice in book.due(cfg, now):
            book.mark_notified(notice, now, {})
            orjson.dumps(notice.alert)
            sent += 1
        if i % 500 == 0:
            book.expire(cfg, now)
            book.take_changes()
    return sent


def best_of(runs: int, fn: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    rng = random.Random(SEED)
    cfg = config()
    warm = make_posts(rng, WARMUP_POSTS, 0, minutes=9)
    measured = make_posts(rng, POSTS, WARMUP_POSTS, minutes=1)
    raws = [orjson.dumps(p) for p in measured]

    def passthrough() -> None:
        for raw in raws:
            orjson.dumps(orjson.loads(raw))

    baseline = best_of(3, passthrough)

    book = IncidentBook()
    t0 = T0.timestamp()
    run_core(book, cfg, [orjson.dumps(p) for p in warm], t0)
    open_before = len(book)
    started = time.perf_counter()
    sent = run_core(book, cfg, raws, t0 + WARMUP_POSTS * 0.01)
    core = time.perf_counter() - started

    texts = [p["text"] for p in measured]
    fp = best_of(3, lambda: [fingerprint(t) for t in texts])

    report = {
        "benchmark": "alerter_incident_core",
        "python": platform.python_version(),
        "posts": POSTS,
        "matching_share": MATCHING,
        "open_incidents_before": open_before,
        "open_incidents_after": len(book),
        "notifications": sent,
        "baseline_json_passthrough_posts_per_second": round(POSTS / baseline),
        "incident_core_posts_per_second": round(POSTS / core),
        "fingerprint_posts_per_second": round(POSTS / fp),
        "incident_core_vs_baseline": round(baseline / core, 4),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
