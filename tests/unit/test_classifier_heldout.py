"""The held-out entity evaluation set: F1 stays above the measured floor.

`tests/data/entities_heldout.jsonl` was written and labelled by hand against
`examples/watchlist.yaml` without looking at the matching rules or the older evaluation set:
posts in English, Russian, Ukrainian, Arabic and Persian, hard negatives (Wagner the composer,
al-Quds meaning Jerusalem, مالی meaning financial, hummus, the Kursk submarine, Simona Halep...)
and rows marked `"hard": true` for spellings no one listed (typos, bare surnames, variants).
It is not tuned against: when the classifier improves, raise the floor; never edit labels to
fit the output. `bench/bench_classifier.py` reports the same figures as `entities_heldout`."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from services.classifier.engine import Engine
from services.classifier.watchlist import load_watchlist

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
WATCHLIST = ROOT / "examples" / "watchlist.yaml"
# Measured F1 0.9655 (precision 0.9603, recall 0.9708), rounded down, once after the rules for
# names inside other names, other people's surnames and short or quoted Cyrillic names; it was
# 0.9512 before them, and 0.9068 before the transliteration, oblique-case, surname and first
# namesake rules.
F1_FLOOR = 0.96


def rows() -> list[dict]:
    raw = (DATA / "entities_heldout.jsonl").read_bytes().splitlines()
    return [orjson.loads(x) for x in raw if x.strip()]


def evaluate() -> dict[str, float]:
    engine = Engine(load_watchlist(WATCHLIST))
    tp = fp = fn = 0
    for n, row in enumerate(rows()):
        post = {"id": f"heldout:{n}", "source": "eval", "text": row["text"], "created_at": ""}
        got = {e["id"] for e in engine.classify(post)["entities"]}
        want = set(row["entities"])
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def test_the_set_covers_five_languages_with_hard_negatives() -> None:
    data = rows()
    assert len(data) >= 200
    for lang in ("en", "ru", "uk", "ar", "fa"):
        assert sum(r["lang"] == lang for r in data) >= 30, lang
    assert sum(not r["entities"] for r in data) >= 60
    assert any(r.get("hard") for r in data)
    known = {e.id for e in load_watchlist(WATCHLIST).entities}
    assert {i for r in data for i in r["entities"]} <= known


def test_heldout_entity_f1_floor() -> None:
    result = evaluate()
    assert result["f1"] >= F1_FLOOR, result
