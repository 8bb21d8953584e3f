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
# The next round: a third held-out set (`claims_heldout3`, the second's mix) and three more
# development sets, all blind. dev4 (harder on purpose) 0.849 / 0.525 on arrival, dev5 (the
# held-out mix) 0.932 / 0.670 after dev4's rules; their rounds (later stops, pronouns,
# corrections, places the gazetteer lacks, regions, own announcements, sources before a colon,
# mockery, more words) then heldout3, measured once: 0.896 / 0.716. dev6 (the held-out mix)
# 0.874 / 0.673 on arrival; after its words: dev6 0.943 / 0.752, dev5 0.972 / 0.832, dev4
# 0.967 / 0.799, dev3 0.959 / 0.918, dev2 0.973 / 0.925, and the held-out sets, measured once
# at the end: heldout2 0.929 / 0.863, heldout3 0.912 / 0.726.
# A fourth held-out set (`claims_heldout4`, the same mix, new places, actors and hard
# negatives), 0.885 / 0.802 on arrival, with the code of the round before. Three development
# sets written beside it: dev7 (news and official statements) 0.897 / 0.709 with the code of the
# round's start, 0.902 / 0.723 with the code of then; dev8 (milbloggers and locals) 0.886 / 0.657
# and 0.886 / 0.667; dev9 (the held-out mix) 0.835 / 0.660 and 0.860 / 0.676. After the round
# (clauses at places the gazetteer lacks, restated denials, arms not men, fans, games, parades,
# headlines, more actors, movements and cues): dev2 0.973 / 0.925, dev3 0.970 / 0.929, dev4
# 0.982 / 0.816, dev5 0.977 / 0.847, dev6 0.962 / 0.802, dev7 0.977 / 0.805, dev8 0.963 / 0.798,
# dev9 0.957 / 0.730; the held-out sets, measured once at its end (and once after its first
# batch of rules, heldout2 0.943, heldout3 0.927): heldout2 0.952 / 0.876, heldout3 0.927 /
# 0.751, heldout4 0.913 / 0.831.
# A fifth held-out set (`claims_heldout5`, the same mix, fresh posts) 0.925 / 0.804 with the
# code of the next round's start; a tenth development set (small places in their inflected
# forms, several places a post, official announcements beside reports of the enemy's) 0.899 /
# 0.622. That round (places the gazetteer lacks in their base form by case, bases before the
# place they lie in, goals that outrank a place said without a word of place, Persian and
# Arabic goals by their verbs, a thread's source, a clause's own cues after "and", "а", an
# official's or a speaker's own troops, "no sign of"): dev2 0.973 / 0.925, dev3 0.970 / 0.942,
# dev4 0.982 / 0.863, dev5 0.977 / 0.884, dev6 0.967 / 0.836, dev7 0.977 / 0.914, dev8 0.963 /
# 0.872, dev9 0.962 / 0.887, dev10 0.905 / 0.648; the held-out sets, measured once at its end:
# heldout2 0.957 / 0.881, heldout3 0.927 / 0.800, heldout4 0.913 / 0.877, heldout5 0.925 /
# 0.832.
# The next round: a sixth and a seventh held-out set (the same mix, fresh posts; 0.920 / 0.789
# and 0.926 / 0.815 with the code of the round's start, never run before its end) and three
# development sets: dev11 (hedges, denials and hypotheticals anywhere in a post, places that
# are not the goal) 0.938 / 0.815 with the start code, dev12 (news channels, officials, Arabic
# and Persian colloquial) 0.850 / 0.720, dev13 (the Sahel, Sudan, Libya, Yemen, the Caucasus,
# the Baltic, the Balkans; ships and aircraft) 0.886 / 0.771. That round (97 bases, crossings,
# islands and small towns in the gazetteer; two-word names declined together; a case form read
# back to a town the gazetteer lists; the place of the sentence before; a denying headline;
# allegiance; ships and aircraft; an emoji before a capital as a sentence's end; many words):
# dev2 0.980 / 0.959, dev3 0.976 / 0.956, dev4 0.982 / 0.917, dev5 0.977 / 0.949, dev6 0.972 /
# 0.935, dev7 0.977 / 0.932, dev8 0.973 / 0.945, dev9 0.962 / 0.896, dev10 0.977 / 0.922, dev11
# 0.991 / 0.936, dev12 0.943 / 0.895, dev13 0.977 / 0.931; the held-out sets, measured once at
# its end: heldout2 0.957 / 0.891, heldout3 0.962 / 0.849, heldout4 0.917 / 0.899, heldout5
# 0.939 / 0.883, heldout6 0.925 / 0.860, heldout7 0.940 / 0.856.
# Then, in the same session, an eighth held-out set (0.910 / 0.825 with the code of the
# round's start, never run before the end) and two development sets: dev14 (stance away from
# the movement, soldiers' slang) 0.906 / 0.701 with the start code, 0.912 / 0.726 with the
# code of then, and dev15 (origins, transit points, villages and crossings in their inflected
# forms) 0.936 / 0.798 and 0.944 / 0.870. After their rules (a town in -ка in the Ukrainian
# locative, districts by their adjective, the poster's own eyes, officers, games anywhere in a
# post, more small places): dev14 0.949 / 0.876, dev15 0.958 / 0.930, dev4 0.988 / 0.929, dev5
# 0.977 / 0.958, dev6 0.977 / 0.940, dev9 0.967 / 0.930, dev13 0.977 / 0.940; the held-out sets,
# measured again at the end: heldout2 0.962 / 0.896, heldout3 0.967 / 0.855, heldout4 0.917 /
# 0.899, heldout5 0.939 / 0.901, heldout6 0.925 / 0.860, heldout7 0.940 / 0.856, heldout8 0.930
# / 0.883.
# The next round: a ninth and a tenth held-out set (the same mix, fresh posts; 0.935 / 0.880
# and 0.931 / 0.866 with the code of the round's start, not run again before its end) and
# three development sets: dev16 (stance carried far from the movement: a clip's quoted title
# called fake sentences later, confirmations, hearsay, sarcasm) 0.875 / 0.635 with the start
# code, dev17 (several places a post, a goal with where it lies, colloquial actors) 0.856 /
# 0.766, dev18 (the held-out mix) 0.912 / 0.814. After that round's rules (a clip's title and
# the post's word on it, history that denies, the poster's confirmation, hearsay, plans under
# study, a goal named with where it lies, a border in a place, a town in its region, two-word
# names in the nominative, the boys of a unit, a soldier's "we", first-person and verbless
# words, a ministry of the troops' own nation; and the sets' scoring keying a canonical name to
# itself): dev16 0.934 / 0.859, dev17 0.944 / 0.935, dev18 0.963 / 0.944, dev12 0.953 / 0.915,
# dev14 0.959 / 0.912, dev11 0.991 / 0.963; the held-out sets, measured once at its end:
# heldout2 0.967 / 0.911, heldout3 0.967 / 0.855, heldout4 0.941 / 0.922, heldout5 0.943 /
# 0.915, heldout6 0.935 / 0.870, heldout7 0.949 / 0.874, heldout8 0.930 / 0.901, heldout9 0.935
# / 0.898, heldout10 0.936 / 0.862. Two more development sets of the held-out mix in the same
# session, dev19 (0.928 / 0.794 with the start code) and dev20 (0.913 / 0.760), and their
# rules (a place as a hashtag, a clip's title beside a veto word, bases, cities and fronts by
# their nouns, genitive plurals, counted fighters, press services): dev19 0.963 / 0.897, dev20
# 0.963 / 0.899; the held-out sets again at the end: heldout3 0.977 / 0.884, heldout4 0.946 /
# 0.927, heldout6 0.940 / 0.876, heldout7 0.954 / 0.889, the others unchanged. Then dev21
# (short everyday posts) 0.866 / 0.806 and dev22 (wide regions) 0.954 / 0.852 with the code of
# then, and their words (soldiers' and families' posts, circulating photos, quoted stories,
# "near" after a name, fans and tourists): dev21 0.917 / 0.878, dev22 0.977 / 0.903; the
# held-out sets a third time: heldout6 0.945 / 0.881, heldout9 0.940 / 0.902, heldout10 0.941 /
# 0.868, the others as before (pooled, 0.949 / 0.898).
@pytest.mark.parametrize(
    ("name", "detection_floor", "strict_floor"),
    [
        ("claims_heldout2.jsonl", 0.96, 0.90),
        ("claims_heldout3.jsonl", 0.97, 0.88),
        ("claims_heldout4.jsonl", 0.94, 0.92),
        ("claims_heldout5.jsonl", 0.94, 0.91),
        ("claims_heldout6.jsonl", 0.93, 0.87),
        ("claims_heldout7.jsonl", 0.95, 0.88),
        ("claims_heldout8.jsonl", 0.92, 0.89),
        ("claims_heldout9.jsonl", 0.93, 0.90),
        ("claims_heldout10.jsonl", 0.93, 0.86),
        ("claims_dev2.jsonl", 0.98, 0.96),
        ("claims_dev3.jsonl", 0.97, 0.95),
        ("claims_dev4.jsonl", 0.98, 0.93),
        ("claims_dev5.jsonl", 0.97, 0.96),
        ("claims_dev6.jsonl", 0.97, 0.93),
        ("claims_dev7.jsonl", 0.97, 0.93),
        ("claims_dev8.jsonl", 0.97, 0.95),
        ("claims_dev9.jsonl", 0.96, 0.93),
        ("claims_dev10.jsonl", 0.97, 0.92),
        ("claims_dev11.jsonl", 0.99, 0.96),
        ("claims_dev12.jsonl", 0.95, 0.91),
        ("claims_dev13.jsonl", 0.97, 0.94),
        ("claims_dev14.jsonl", 0.95, 0.91),
        ("claims_dev15.jsonl", 0.95, 0.94),
        ("claims_dev16.jsonl", 0.93, 0.88),
        ("claims_dev17.jsonl", 0.94, 0.93),
        ("claims_dev18.jsonl", 0.96, 0.95),
        ("claims_dev19.jsonl", 0.96, 0.89),
        ("claims_dev20.jsonl", 0.96, 0.90),
        ("claims_dev21.jsonl", 0.91, 0.87),
        ("claims_dev22.jsonl", 0.97, 0.90),
    ],
)
def test_claim_f1_floor(name: str, detection_floor: float, strict_floor: float) -> None:
    result = evaluate(name)
    assert result["detection"]["f1"] >= detection_floor
    assert result["stance_and_location"]["f1"] >= strict_floor


@pytest.mark.parametrize(
    "name",
    [
        "claims_heldout2.jsonl",
        "claims_heldout3.jsonl",
        "claims_heldout4.jsonl",
        "claims_heldout5.jsonl",
        "claims_heldout6.jsonl",
        "claims_heldout7.jsonl",
        "claims_heldout8.jsonl",
        "claims_heldout9.jsonl",
        "claims_heldout10.jsonl",
        "claims_dev2.jsonl",
        "claims_dev3.jsonl",
        "claims_dev4.jsonl",
        "claims_dev5.jsonl",
        "claims_dev6.jsonl",
        "claims_dev7.jsonl",
        "claims_dev8.jsonl",
        "claims_dev9.jsonl",
        "claims_dev10.jsonl",
        "claims_dev11.jsonl",
        "claims_dev12.jsonl",
        "claims_dev13.jsonl",
        "claims_dev14.jsonl",
        "claims_dev15.jsonl",
        "claims_dev16.jsonl",
        "claims_dev17.jsonl",
        "claims_dev18.jsonl",
        "claims_dev19.jsonl",
        "claims_dev20.jsonl",
        "claims_dev21.jsonl",
        "claims_dev22.jsonl",
    ],
)
def test_set_shape(name: str) -> None:
    data = rows(name)
    assert Counter(r["lang"] for r in data) == dict.fromkeys(LANGS, len(data) // 5)
    assert sum(1 for r in data if not r["claims"]) >= len(data) // 4
    for r in data:
        for c in r["claims"]:
            assert c["stance"] in STANCES
            assert c["count"] is None or c["count"]["min"] <= c["count"]["max"]
