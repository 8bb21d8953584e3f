"""The blind-written claim sets under `tests/data/` (JSONL: `text`, `lang`, `claims`, optional
`geo_place`), read and scored the same way by the floor tests and the benchmark. Their labels
name a claim's place as the post does, in its script and base form ("Хомс", "حمص"); the
detector names it by the gazetteer's canonical name ("Homs"), so both are read through the
gazetteer before they are compared (a label it does not know is compared folded). A region
named after its seat is compared as the seat ("Kursk Oblast": Kursk): labels name an oblast or a
governorate by its seat's name ("Kursk" for "the Kursk region"), as the gazetteer did before it
had regions."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import orjson
from services.classifier.claims import extract_claims
from services.classifier.claims_text import PhraseSet, fold_lowered
from services.classifier.gazetteer import _PLACES, data_places, place_entries
from services.classifier.text import fold

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"


def rows(name: str) -> list[dict[str, Any]]:
    """The rows of `tests/data/<name>`."""
    return [orjson.loads(x) for x in (DATA / name).read_bytes().splitlines() if x.strip()]


@cache
def _places() -> PhraseSet:
    return PhraseSet(place_entries())


@cache
def _names() -> frozenset[str]:
    """The gazetteer's canonical names."""
    return frozenset(_PLACES) | frozenset(row[0] for row in data_places())


@cache
def _seats() -> dict[str, str]:
    """Regions whose name is a place's and a region word ("Kursk Oblast", "Idlib
    Governorate"), with that place."""
    names = set(_PLACES) | {row[0] for row in data_places()}
    seats = {}
    for name, kind, _, _, _ in data_places():
        head = name.rpartition(" ")[0]
        if kind == "region" and head in names:
            seats[name] = head
    return seats


def place_key(name: str | None) -> str | None:
    """The canonical name of the place `name` names (a region named after its seat: the
    seat's), or `name` folded."""
    if not name:
        return None
    hits = _places().find_longest(fold_lowered(name).text)
    if not hits:
        # The detector's own canonical name keys to itself where the gazetteer does not read
        # it as written ("Bara": its Latin spelling is no key of its own); else it is folded.
        return _seats().get(name, name) if name in _names() else fold(name)
    return _seats().get(str(hits[0].value), str(hits[0].value))


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (4 places) with the counts they come from."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(name: str) -> dict[str, Any]:
    """Detection (a claim recognised, paired within its post) and strict scores (the pair also
    agrees on stance and place, where the label names one), overall and per language."""
    detect: dict[str, list[int]] = {}
    strict: dict[str, list[int]] = {}
    for row in rows(name):
        want = list(row["claims"])
        got = extract_claims(row["text"], geo_place=row.get("geo_place"))
        pairs = min(len(got), len(want))
        left = list(want)
        right = 0
        for claim in got:
            for gold in left:
                same_place = gold.get("location") is None or place_key(
                    claim.get("location")
                ) == place_key(gold["location"])
                if claim["stance"] == gold["stance"] and same_place:
                    left.remove(gold)
                    right += 1
                    break
        for key in ("all", row["lang"]):
            d = detect.setdefault(key, [0, 0, 0])
            d[0] += pairs
            d[1] += len(got) - pairs
            d[2] += len(want) - pairs
            s = strict.setdefault(key, [0, 0, 0])
            s[0] += right
            s[1] += len(got) - right
            s[2] += len(want) - right
    return {
        "posts": len(rows(name)),
        "detection": prf(*detect["all"]),
        "stance_and_location": prf(*strict["all"]),
        "by_language": {
            key: {"detection": prf(*detect[key])["f1"], "strict": prf(*strict[key])["f1"]}
            for key in sorted(detect)
            if key != "all"
        },
    }
