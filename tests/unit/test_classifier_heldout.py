"""The held-out entity evaluation set: F1 stays above the measured floor.

`tests/data/entities_heldout.jsonl` was written and labelled by hand against
`examples/watchlist.yaml` without looking at the matching rules or the older evaluation set:
posts in English, Russian, Ukrainian, Arabic and Persian, hard negatives (Wagner the composer,
al-Quds meaning Jerusalem, مالی meaning financial, hummus, the Kursk submarine, Simona Halep...)
and rows marked `"hard": true` for spellings no one listed (typos, bare surnames, variants).
It is not tuned against: when the classifier improves, raise the floor; never edit labels to
fit the output. `bench/bench_classifier.py` reports the same figures as `entities_heldout`."""

from __future__ import annotations

import pytest
from tests.helpers.entity_sets import evaluate, known_ids, rows

pytestmark = pytest.mark.unit

SET = "entities_heldout.jsonl"
# Measured F1 0.9655 (precision 0.9603, recall 0.9708), rounded down, once after the rules for
# names inside other names, other people's surnames and short or quoted Cyrillic names; it was
# 0.9512 before them, and 0.9068 before the transliteration, oblique-case, surname and first
# namesake rules.
# After exclude terms, more transliterations and the demo watchlist's missing languages it
# measured 0.9780 (precision 0.9816, recall 0.9745); after two rounds of derived words, one-change
# spellings and one-edit slips, 0.9818.
F1_FLOOR = 0.98


def test_the_set_covers_five_languages_with_hard_negatives() -> None:
    data = rows(SET)
    assert len(data) >= 200
    for lang in ("en", "ru", "uk", "ar", "fa"):
        assert sum(r["lang"] == lang for r in data) >= 30, lang
    assert sum(not r["entities"] for r in data) >= 60
    assert any(r.get("hard") for r in data)
    assert {i for r in data for i in r["entities"]} <= known_ids()


def test_heldout_entity_f1_floor() -> None:
    result = evaluate(SET)
    assert result["f1"] >= F1_FLOOR, result
