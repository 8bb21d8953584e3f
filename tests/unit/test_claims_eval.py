"""Claim quality on the labelled evaluation set (`tests/data/claims_eval.jsonl`, five
languages, many hard negatives). Posts were written and labelled independently of the rules, in
batches; rules were tuned on the `dev` split. Each held-out batch was scored blind first (the
numbers below); a few gaps it showed were closed afterwards, so the current held-out numbers
are optimistic. Within a post, predicted and gold claims are paired greedily, same location
first. Claim F1 counts pairs (a deployment claim was recognised); strict F1 counts pairs that
also agree on location and stance (a region named after its seat counts as the seat: labels say
"Kursk" for "the Kursk region", `tests/helpers/claim_sets.place_key`); per-stance F1 counts
pairs that agree on the stance. The floors sit a little under what was measured, so a
regression fails."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from services.classifier.claims import extract_claims
from tests.helpers.claim_sets import place_key

pytestmark = pytest.mark.unit

EVAL = Path(__file__).resolve().parent.parent / "data" / "claims_eval.jsonl"
LANGS = ("en", "ru", "uk", "ar", "fa")
STANCES = ("asserted", "hedged", "denied", "hypothetical")


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load(split: str | None = None) -> list[dict[str, Any]]:
    with EVAL.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [r for r in rows if split is None or r["split"] == split]


def _same_place(gold: str | None, pred: str | None) -> bool:
    return gold == pred or place_key(gold) == place_key(pred)


def _match(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    for same_place in (True, False):
        for i, p in enumerate(pred):
            if any(i == a for a, _ in pairs):
                continue
            for j, g in enumerate(gold):
                taken = any(j == b for _, b in pairs)
                if not taken and (_same_place(g["location"], p["location"]) or not same_place):
                    pairs.append((i, j))
                    break
    return pairs


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Claim and per-stance counts, overall and per language, plus count accuracy."""
    claim: Counter[tuple[str, str]] = Counter()
    strict: Counter[str] = Counter()
    per_stance: Counter[tuple[str, str]] = Counter()
    counts_right = 0
    for row in rows:
        gold = row["claims"]
        pred = extract_claims(row["text"], geo_place=row.get("geo_place"))
        pairs = _match(gold, pred)
        for key in ("all", row["lang"]):
            claim[key, "tp"] += len(pairs)
            claim[key, "fp"] += len(pred) - len(pairs)
            claim[key, "fn"] += len(gold) - len(pairs)
        right = sum(
            1
            for i, j in pairs
            if gold[j]["stance"] == pred[i]["stance"]
            and _same_place(gold[j]["location"], pred[i]["location"])
        )
        strict["tp"] += right
        strict["fp"] += len(pred) - right
        strict["fn"] += len(gold) - right
        matched_pred = {i for i, _ in pairs}
        matched_gold = {j for _, j in pairs}
        for i, j in pairs:
            g, p = gold[j], pred[i]
            counts_right += g["count"] == p["count"]
            if g["stance"] == p["stance"]:
                per_stance[g["stance"], "tp"] += 1
            else:
                per_stance[p["stance"], "fp"] += 1
                per_stance[g["stance"], "fn"] += 1
        for i, p in enumerate(pred):
            if i not in matched_pred:
                per_stance[p["stance"], "fp"] += 1
        for j, g in enumerate(gold):
            if j not in matched_gold:
                per_stance[g["stance"], "fn"] += 1
    matched = claim["all", "tp"]
    return {
        "claims": {
            key: Score(claim[key, "tp"], claim[key, "fp"], claim[key, "fn"])
            for key in ("all", *LANGS)
        },
        "stances": {
            s: Score(per_stance[s, "tp"], per_stance[s, "fp"], per_stance[s, "fn"]) for s in STANCES
        },
        "strict": Score(strict["tp"], strict["fp"], strict["fn"]),
        "count_accuracy": counts_right / matched if matched else 1.0,
    }


# Measured (claim F1 / location+stance F1): dev 0.989 / 0.984; held-out 0.982 / 0.939. Blind,
# before rules saw them: held-out 0.966 / 0.905, the last held-out batch alone 0.925 / 0.776.
@pytest.mark.parametrize(
    ("split", "claim_floor", "strict_floor"), [("dev", 0.97, 0.96), ("heldout", 0.95, 0.90)]
)
def test_claim_f1_floor(split: str, claim_floor: float, strict_floor: float) -> None:
    result = evaluate(load(split))
    assert result["claims"]["all"].f1 >= claim_floor
    assert result["strict"].f1 >= strict_floor


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_claim_f1_per_language(lang: str) -> None:
    assert evaluate(load("heldout"))["claims"][lang].f1 >= 0.90


def test_heldout_stance_and_count_quality() -> None:
    result = evaluate(load("heldout"))
    for name, score in result["stances"].items():
        assert score.f1 >= 0.85, name
    assert result["count_accuracy"] >= 0.95


def test_eval_set_shape() -> None:
    rows = load()
    assert len(rows) >= 300
    by = Counter((r["lang"], r["split"]) for r in rows)
    assert all(by[lang, split] >= 15 for lang in LANGS for split in ("dev", "heldout"))
    negatives = sum(1 for r in rows if not r["claims"])
    assert negatives >= 100
    for r in rows:
        for c in r["claims"]:
            assert c["stance"] in STANCES
            assert c["count"] is None or c["count"]["min"] <= c["count"]["max"]


def test_scoring_counts_misses_and_false_alarms() -> None:
    assert Score(tp=8, fp=2, fn=0).precision == 0.8
    assert Score(tp=8, fp=0, fn=2).recall == 0.8
    assert Score(tp=0, fp=1, fn=1).f1 == 0.0
