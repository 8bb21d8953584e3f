"""The labelled entity sets under `tests/data/` (JSONL: `text`, `lang`, `entities`, `hard`),
read and scored against `examples/watchlist.yaml` the same way by every floor test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from services.classifier.engine import Engine
from services.classifier.watchlist import load_watchlist

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
WATCHLIST = ROOT / "examples" / "watchlist.yaml"


def rows(name: str) -> list[dict[str, Any]]:
    """The rows of `tests/data/<name>`."""
    return [orjson.loads(x) for x in (DATA / name).read_bytes().splitlines() if x.strip()]


def known_ids() -> set[str]:
    return {e.id for e in load_watchlist(WATCHLIST).entities}


def evaluate(name: str) -> dict[str, float]:
    """Precision, recall and F1 over (post, entity id) pairs, with the counts."""
    engine = Engine(load_watchlist(WATCHLIST))
    tp = fp = fn = 0
    for n, row in enumerate(rows(name)):
        post = {"id": f"eval:{n}", "source": "eval", "text": row["text"], "created_at": ""}
        got = {e["id"] for e in engine.classify(post)["entities"]}
        want = set(row["entities"])
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}
