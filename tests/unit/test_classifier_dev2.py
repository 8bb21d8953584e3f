"""The second development set for entity matching: F1 stays above the measured floor.

`tests/data/entities_dev2.jsonl` has 259 posts in English, Russian, Ukrainian, Arabic and
Persian, written blind against `examples/watchlist.yaml` (its author read neither the matcher nor
the other sets) and labelled by meaning before the classifier was run on it: about a third hard
negatives (the Kursk submarine, Quds Day, hummus, Arabic حلب "to milk", the Fatimids,
Sulaymaniyah, Rommel's Afrika Korps, demonyms) and rows marked `"hard": true` for spellings
nobody listed. Like the first development set, the matching rules may be tuned on it; its labels
are not edited to fit the output. `bench/bench_classifier.py` reports it as `entities_dev2`."""

from __future__ import annotations

import pytest
from tests.helpers.entity_sets import evaluate, known_ids, rows

pytestmark = pytest.mark.unit

SET = "entities_dev2.jsonl"
# Measured F1 0.9691 (precision 0.9960, recall 0.9436), rounded down, after exclude terms,
# more transliterations and the demo watchlist's missing languages; 0.9249 before. 0.9944 after
# derived words, more one-change spellings, places after a preposition and the demo
# watchlist's unlisted spellings and nicknames.
F1_FLOOR = 0.99


def test_the_second_set_covers_five_languages_with_hard_cases() -> None:
    data = rows(SET)
    assert len(data) >= 250
    for lang in ("en", "ru", "uk", "ar", "fa"):
        assert sum(r["lang"] == lang for r in data) >= 40, lang
    assert sum(not r["entities"] for r in data) >= 70
    assert sum(bool(r["hard"]) for r in data) >= 35
    assert {i for r in data for i in r["entities"]} <= known_ids()


def test_dev2_entity_f1_floor() -> None:
    result = evaluate(SET)
    assert result["f1"] >= F1_FLOOR, result
