"""Claim quality on the blind-written claim sets (`tests/helpers/claim_sets.py`). Floors sit a
little under what was measured, so that a regression fails; the held-out set is for measuring,
never for tuning the rules to its rows."""

from __future__ import annotations

from collections import Counter

import pytest
from services.classifier.stance import STANCES
from tests.helpers.claim_sets import evaluate, rows

pytestmark = pytest.mark.unit

LANGS = ("en", "ru", "uk", "ar", "fa")


# Measured on arrival: detection 0.816, stance and place 0.582 before the stance rules of the
# same round (a negator after the verb, a denying or doubting sentence beside the claim's),
# 0.622 with them; both rounds of rules were written before the set was read. The development
# set written beside it: 0.828 / 0.444 on arrival. After the round of words and rules it drove
# (actors, movements, sightings, attribution, history, contrasts, threads): development 0.940 /
# 0.558, held-out 0.859 / 0.647, measured once at the end of the round. A third development
# set, written blind to the same conventions and harder on purpose: 0.753 / 0.453 on arrival,
# 0.843 / 0.582 after its first batch of words (idioms, units, doubts, history). A claim per
# clause of a sentence that tells of two movements, and a gazetteer of 8,500 towns and every
# country (GeoNames, pycountry), then: dev2 0.947 / 0.821, dev3 0.882 / 0.787, and held-out
# 0.898 / 0.790, measured once at the end of that round.
@pytest.mark.parametrize(
    ("name", "detection_floor", "strict_floor"),
    [
        ("claims_heldout2.jsonl", 0.89, 0.78),
        ("claims_dev2.jsonl", 0.94, 0.81),
        ("claims_dev3.jsonl", 0.87, 0.78),
    ],
)
def test_claim_f1_floor(name: str, detection_floor: float, strict_floor: float) -> None:
    result = evaluate(name)
    assert result["detection"]["f1"] >= detection_floor
    assert result["stance_and_location"]["f1"] >= strict_floor


@pytest.mark.parametrize(
    "name", ["claims_heldout2.jsonl", "claims_dev2.jsonl", "claims_dev3.jsonl"]
)
def test_set_shape(name: str) -> None:
    data = rows(name)
    assert Counter(r["lang"] for r in data) == dict.fromkeys(LANGS, len(data) // 5)
    assert sum(1 for r in data if not r["claims"]) >= len(data) // 4
    for r in data:
        for c in r["claims"]:
            assert c["stance"] in STANCES
            assert c["count"] is None or c["count"]["min"] <= c["count"]["max"]
