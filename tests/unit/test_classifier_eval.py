"""The entity evaluation set: precision and recall stay above a floor.

`tests/data/entities_eval.jsonl` has posts in English, Russian, Ukrainian, Arabic and Persian
(with hard negatives: look-alike words, other people called Wagner or Qassem, place adjectives)
labelled with the ids of the entities they mention; `entities_watchlist.yaml` is its watchlist.
`bench/bench_classifier.py` reports the same figures."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from services.classifier.engine import Engine
from services.classifier.watchlist import load_watchlist

pytestmark = pytest.mark.unit

DATA = Path(__file__).resolve().parents[1] / "data"


def evaluate() -> dict[str, float]:
    engine = Engine(load_watchlist(DATA / "entities_watchlist.yaml"))
    tp = fp = fn = 0
    for raw in (DATA / "entities_eval.jsonl").read_bytes().splitlines():
        row = orjson.loads(raw)
        post = {"id": row["id"], "source": "eval", "text": row["text"], "created_at": ""}
        got = {e["id"] for e in engine.classify(post)["entities"]}
        want = set(row["entities"])
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def test_the_set_is_large_and_covers_five_languages() -> None:
    rows = [orjson.loads(x) for x in (DATA / "entities_eval.jsonl").read_bytes().splitlines()]
    assert len(rows) >= 300
    assert {r["lang"] for r in rows} >= {"en", "ru", "uk", "ar", "fa"}
    assert sum(not r["entities"] for r in rows) >= 40


def test_entity_quality_floor() -> None:
    result = evaluate()
    assert result["precision"] >= 0.97, result
    assert result["recall"] >= 0.97, result
