"""The development set for entity matching: F1 stays above the measured floor.

`tests/data/entities_dev.jsonl` has 290 posts in English, Russian, Ukrainian, Arabic and Persian
labelled by meaning against `examples/watchlist.yaml`: about a third hard negatives (Wagner the
composer, the Kursk submarine, Simona Halep, hummus, Persian مالی "financial", Ukrainian малі
"small", Arabic place adjectives such as السورية, Lebanon in Pennsylvania) and rows marked
`"hard": true` for spellings nobody listed (bare surnames, oblique cases, ordinals,
transliterations, typos). Place adjectives and demonyms do not count as the place. Unlike the
held-out sets, the matching rules are tuned on this one; it was written before they were, and its
labels are not edited to fit the output. `bench/bench_classifier.py` reports it as
`entities_dev`."""

from __future__ import annotations

import pytest
from tests.helpers.entity_sets import evaluate, known_ids, rows

pytestmark = pytest.mark.unit

SET = "entities_dev.jsonl"
# Measured F1 0.9597 (precision 0.9856, recall 0.9352), rounded down.
# 0.9898 after exclude terms and more spellings; 0.9949 after derived words, more one-change
# spellings and places after a preposition; 1.0 after one-edit slips of long names and more
# namesakes (animals and idioms named like places, Sulaimani the city).
F1_FLOOR = 0.995


def test_the_set_covers_five_languages_with_hard_cases() -> None:
    data = rows(SET)
    assert len(data) >= 250
    for lang in ("en", "ru", "uk", "ar", "fa"):
        assert sum(r["lang"] == lang for r in data) >= 40, lang
    assert sum(not r["entities"] for r in data) >= 70
    assert sum(bool(r["hard"]) for r in data) >= 35
    assert {i for r in data for i in r["entities"]} <= known_ids()


def test_dev_entity_f1_floor() -> None:
    result = evaluate(SET)
    assert result["f1"] >= F1_FLOOR, result
