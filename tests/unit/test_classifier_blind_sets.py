"""The blind entity sets written after the matching rules: F1 stays above the measured floor.

Each was written by hand against `examples/watchlist.yaml` alone, by an author who read neither
the matcher nor the other sets, and labelled by meaning before the classifier ever ran on it
(tests/data/README.md): `entities_dev3.jsonl` to `entities_dev19.jsonl` are for tuning, like the
other development sets; `entities_heldout2.jsonl` to `entities_heldout12.jsonl` are for
measuring, and are not tuned on.
About a third of each is hard negatives, and 15-18% of the rows use spellings nobody listed
(two fifths in `entities_dev8.jsonl`, written to be heavy in them; `entities_dev9.jsonl` is
half hard negatives and a quarter posts with a partial entity list).
When the classifier improves, raise a floor; never edit labels to fit the output.
`bench/bench_classifier.py` reports the same figures."""

from __future__ import annotations

import pytest
from services.classifier.engine import Engine
from services.classifier.watchlist import load_watchlist
from tests.helpers.entity_sets import WATCHLIST, evaluate, known_ids, rows

pytestmark = pytest.mark.unit

# Measured F1, rounded down: dev3 0.9446, heldout2 0.9346, heldout3 0.9242 (with the exclude
# terms, transliterations and completed demo watchlist of this round; before it: 0.8962,
# 0.9024, 0.9008). heldout4 0.8953, measured once when it arrived, after that round; dev4 0.8868, when it arrived.
# The round of derived words, one-change spellings and places after a preposition took dev3 to
# 0.9740 and dev4 to 0.9366 (0.9228 with the rules tuned on the first three sets alone).
# dev5 0.8889 when it arrived, after that round; 0.8889 too with the first rules of the next
# round (articles in names, animals and idioms named like places, Latin -sk adjectives),
# measured once on its arrival. That round (with one-edit slips of long names, more derived
# words and namesakes) took dev3 to 0.9758, dev4 to 0.9483 and dev5 to 0.9218.
# The held-out sets after those two rounds, measured once at the end of them: heldout2 0.9524,
# heldout3 0.9478, heldout4 0.9130 (0.9492, 0.9421, 0.9057 after the first of them).
# dev6 0.9331 and heldout5 0.9344 when they arrived, after those rounds. The demo watchlist's
# nicknames (Каани, "musicians", Kim's soldiers, десантура) and the namesakes of acronyms took
# dev3 to 0.9834, dev4 to 0.9599, dev5 to 0.9541 and dev6 to 0.9669.
# Skeletons of listed names across scripts (skeleton.py) took dev4 to 0.9693 and dev5 to 0.9705;
# dev6, measured once with them before any tuning on it, 0.9708 (0.9669 without). With the rest
# of that round (local exclude terms, IRGC-QF, given names at a sentence start, г for х, more of
# the demo watchlist): dev3 0.9890, dev4 0.9821, dev5 0.9805, dev6 0.9800. The held-out sets,
# measured once at the end of that round: heldout2 0.9732, heldout3 0.9727, heldout4 0.9305,
# heldout5 0.9619.
# dev7 0.9338, dev8 0.7786 and heldout6 0.9487 when they arrived, with the one-slip look for
# names of seven letters and the demo watchlist's damask, Fatimid and "financial" exclude terms.
# The demo watchlist's names from dev7 and dev8 (and Сулейман not for Сулеймани) took dev7 to
# 0.9472 and dev8 to 0.9051; the held-out sets, measured after: heldout2 0.9779, heldout3
# 0.9763, heldout4 0.9443, heldout5 0.9681, heldout6 0.9654.
# The rest of that round (Arabic في and إلى as prepositions of place, a place after one kept by
# a topical exclude term, a vowel written twice not a doubled letter, more of the demo
# watchlist): dev3 0.9945, dev4 0.9876, dev5 0.9903, dev6 0.9945, dev7 0.9676, dev8 0.9310; the
# held-out sets at the end of it: heldout2 0.9843, heldout3 0.9800, heldout4 0.9493, heldout5
# 0.9722, heldout6 0.9736.
# dev9 0.9099 when it arrived, after that round. The round it drove (exclude terms local to a
# match, hashtags of namesakes, animals, cashtags, more heads of streets and cafés) took dev9 to
# 0.9640; the held-out sets after it: heldout2 0.9843, heldout3 0.9762, heldout4 0.9557,
# heldout5 0.9742, heldout6 0.9717. heldout7 0.9538 (precision 0.9789, recall
# 0.9300) when it arrived, after the round that dev9 drove.
# The next round (ґ as г, datelines, ة ending a word, a commander's men, contrasts and changes
# of topic that set an exclude term apart): dev9 0.9763, dev10 0.9444 when it arrived and 0.9578
# after; the held-out sets, measured once at the end: heldout4 0.9589, heldout5 0.9762,
# heldout6 0.9717, heldout7 0.9556, and heldout8 0.9454 when it arrived (after those rules;
# precision 0.9767, recall 0.9161, unlisted spellings found 55%).
# heldout9 0.9508 when it arrived (at the start of the next round), 0.9574 after its first
# rules (contrasting names beside an exclude term, patronymics, the demo watchlist's nicknames
# and context from dev7-dev10). dev11 0.9490 when it arrived with the code of the round's start,
# 0.9552 with the code of then; dev12 0.9297 and 0.9440; dev13 0.9366 and 0.9470. That round
# (Persian spelled acronyms, a group's men, its name in «», other words for soldiers, skeletons
# of possessives, Cyrillic case endings and names whose first word is listed, typos with case
# endings, link paths, datelines of a few words, more of the demo watchlist) took dev7 to
# 0.9877, dev8 0.9667, dev9 0.9859, dev10 0.9783, dev11 0.9944, dev12 0.9865, dev13 0.9611; the
# held-out sets, measured once at its end: heldout2 0.9891, heldout3 0.9781, heldout4 0.9691,
# heldout5 0.9862, heldout6 0.9880, heldout7 0.9696, heldout8 0.9610, heldout9 0.9712.
# heldout10 0.9553 when it arrived, with the code of the next round's start; 0.9589 with that
# round's first rules. dev14 0.9690 and 0.9722 when it arrived (the code of the round's start
# and of then), dev15 0.9544 and 0.9671, heldout11 (written against the round's demo watchlist
# of then) 0.9570 and 0.9640, dev16 0.9464 and 0.9617, dev17 0.9403 and 0.9516. That round
# (Persian and Arabic spellings: madda, plurals, ezafe, letter names of acronyms, nunation; the
# Russian plural in -и; more words for soldiers; an exclude term's sense for the ambiguous
# aliases elsewhere; place names and casual writers in the namesake rules; more of the demo
# watchlist) took the development sets to: dev7 0.9912, dev8 0.9794, dev9 0.9882, dev10 0.9874,
# dev11 0.9944, dev12 0.9943, dev13 0.9828, dev14 0.9973, dev15 0.9920, dev16 0.9854, dev17
# 0.9914; the held-out sets, measured once at its end: heldout2 0.9906, heldout3 0.9818,
# heldout4 0.9724, heldout5 0.9882, heldout6 0.9900, heldout7 0.9783, heldout8 0.9724, heldout9
# 0.9829, heldout10 0.9631, heldout11 0.9719.
# The next round: dev18 (news channels and long threads) 0.971 and dev19 (phone-typed posts,
# mixed scripts, translit) 0.974 with the code of the round's start (0.973 and 0.974 with the
# code of their arrival), and heldout12 0.963 with the code of the round's start. That round
# (Cyrillic case endings with a consonant and the -off of -ov on misspelt names, the spoken
# Persian object marker و, squares named after places, ordinals before a school or a minute,
# more of the demo watchlist): dev18 0.980, dev19 0.981, dev13 0.985, dev15 0.994; the
# held-out sets, measured once at its end: heldout7 0.980, heldout12 0.963, the others
# unchanged.
# The next round: dev20 (long posts naming several entities, every case and clitic, look-alikes
# sharing a word with an alias) 0.975 and dev21 (ambiguous aliases with and without context,
# namesakes, names in links, hashtags and handles) 0.959 with the code of the round's start;
# heldout13 0.958 and heldout14 0.967 with it. That round (a Cyrillic acronym's member nouns,
# the other Arabic-script letters of a foreign g, a namesake's handle, a group's plural in -и,
# more of the demo watchlist): dev18 0.983, dev19 0.985, dev20 0.987, dev21 0.967; the held-out
# sets, measured once at its end: heldout10 0.967, heldout11 0.974, heldout13 0.958, heldout14
# 0.967, the others unchanged (pooled over the thirteen blind ones, 0.977).
# The next round: dev22 (spellings the watchlist does not list) 0.972, dev23 (posts as they
# arrive, several entities, mixed scripts) 0.977 and dev24 (the held-out mix) 0.926 with the
# code and demo watchlist of the round's start; heldout15 0.959 with them, and heldout16,
# written later against the demo watchlist of then, 0.955 with them. That round (Persian به
# and از before a place's ambiguous alias, a model's number hyphened to it, Persian verb
# endings and the ezafe in ی, Arabic ة as ت before a pronoun, a handle's words across a dot,
# and much of the demo watchlist: Deir ez-Zor's people, Hezbollah's mourning and nicknames,
# Wagner's former commanders, Qaani as the Iranian general, Pyongyang's soldiers, Aleppo's
# misspellings and namesakes): dev21 0.980, dev22 0.984, dev23 0.990, dev24 0.957; the
# held-out sets, measured once at its end: heldout4 0.976, heldout10 0.978, heldout11 0.980,
# heldout12 0.969, heldout13 0.960, heldout14 0.974, heldout15 0.970 (0.9698), heldout16 0.957,
# the others as they were (pooled over the fifteen blind ones, 0.9775). Then dev25 (the held-out
# mix) 0.948 with the start code, and its words (the IRGC misspelt and at sea, the Quds Force's
# Persian name, the Africa Corps' member nouns): dev25 0.967; the held-out sets again at the
# end: heldout4 0.977, heldout12 0.971, the others unchanged (pooled, 0.978).
FLOORS = {
    "entities_dev3.jsonl": 0.99,
    "entities_dev4.jsonl": 0.99,
    "entities_dev5.jsonl": 0.99,
    "entities_dev6.jsonl": 0.99,
    "entities_dev7.jsonl": 0.98,
    "entities_dev8.jsonl": 0.97,
    "entities_dev9.jsonl": 0.98,
    "entities_dev10.jsonl": 0.98,
    "entities_dev11.jsonl": 0.99,
    "entities_dev12.jsonl": 0.99,
    "entities_dev13.jsonl": 0.98,
    "entities_dev14.jsonl": 0.99,
    "entities_dev15.jsonl": 0.98,
    "entities_dev16.jsonl": 0.98,
    "entities_dev17.jsonl": 0.98,
    "entities_dev18.jsonl": 0.98,
    "entities_dev19.jsonl": 0.98,
    "entities_dev20.jsonl": 0.98,
    "entities_dev21.jsonl": 0.97,
    "entities_dev22.jsonl": 0.97,
    "entities_dev23.jsonl": 0.98,
    "entities_dev24.jsonl": 0.95,
    "entities_dev25.jsonl": 0.96,
    "entities_heldout2.jsonl": 0.98,
    "entities_heldout3.jsonl": 0.97,
    "entities_heldout4.jsonl": 0.97,
    "entities_heldout5.jsonl": 0.98,
    "entities_heldout6.jsonl": 0.98,
    "entities_heldout7.jsonl": 0.97,
    "entities_heldout8.jsonl": 0.97,
    "entities_heldout9.jsonl": 0.98,
    "entities_heldout10.jsonl": 0.97,
    "entities_heldout11.jsonl": 0.97,
    "entities_heldout12.jsonl": 0.97,
    "entities_heldout13.jsonl": 0.95,
    "entities_heldout14.jsonl": 0.96,
    "entities_heldout15.jsonl": 0.96,
    "entities_heldout16.jsonl": 0.95,
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_set_covers_five_languages_with_hard_cases(name: str) -> None:
    data = rows(name)
    assert len(data) >= 250
    for lang in ("en", "ru", "uk", "ar", "fa"):
        assert sum(r["lang"] == lang for r in data) >= 45, lang
    assert sum(not r["entities"] for r in data) >= 80
    # the ninth development set trades unlisted spellings for hard negatives
    assert sum(bool(r["hard"]) for r in data) >= (20 if name == "entities_dev9.jsonl" else 40)
    assert {i for r in data for i in r["entities"]} <= known_ids()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_entity_f1_floor(name: str) -> None:
    result = evaluate(name)
    assert result["f1"] >= FLOORS[name], result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the demo watchlist: Kerala's lemon tea is no commander, the road he died on confirms
        # him, and a state order on a North Korean's chest makes him a soldier
        ("Suleimani tea at the Kozhikode beach stall, perfect after the rain.", set()),
        ("Five years since Haj Qassem was killed on the airport road.", {"qassem-soleimani"}),
        ("Северокорейцы, вернувшиеся домой, получили ордена и квартиры.",
         {"korean-peoples-army"}),
        ("Footage of North Koreans in full kit digging foxholes.", {"korean-peoples-army"}),
        ("North Koreans won three medals at the games.", set()),
        ("So the North Koreans are now getting real combat experience.", {"korean-peoples-army"}),
        # Deir ez-Zor's people and its suspension bridge; Hezbollah mourning its men; a
        # former Wagner commander; Qaani as "the general"; Pyongyang's soldiers
        ("أهالي الدير يشترون المياه بأسعار خيالية", {"deir-ez-zor"}),
        ("الدير بلا الجسر المعلق ما بتشبه حالها", {"deir-ez-zor"}),
        ("الحزب ينعى ثلاثة من عناصره", {"hezbollah"}),
        ("Ex-Wagner guy doing an AMA right now", {"wagner-group"}),
        ("Іранський генерал Кані знову зник з радарів", {"esmail-qaani"}),
        ("جنود بيونغ يانغ يقاتلون إلى جانب الجيش الروسي", {"korean-peoples-army"}),
        # a namesake's handle with a dot, the Ottoman sultan, the Syrian pound, Jerusalem's
        # university
        ("ممنون از @sara.soleimani بابت عکس‌ها.", set()),
        ("Мама знову дивиться серіал про султана Сулеймана", set()),
        ("ارتفاع سعر ربطة الخبز إلى 4 آلاف ليرة سورية", set()),
        ("Al-Quds University’s campus was raided after an Israeli strike.", set()),
        # the IRGC misspelt, its speedboats; Damascus's road is a conversion's
        ("IRCG fast boats harassing a tanker off Bandar Abbas", {"irgc"}),
        ("پاسداران این بار با قایق‌های تندرو به سکوی نفتی نزدیک شدند", {"irgc"}),
        ("Tory MP has a road-to-Damascus moment on rent controls.", set()),
        # ... but an opera orchestra's tour and a Croatian island town stay what they are
        ("Оркестр Національної опери їде на гастролі до Відня", set()),
        ("Отдыхали в Мали-Лошине, Хорватия: море прозрачное", set()),
    ],
)  # fmt: skip
def test_demo_watchlist_context_and_exclude_terms(text: str, expected: set[str]) -> None:
    engine = Engine(load_watchlist(WATCHLIST))
    post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
    assert {e["id"] for e in engine.classify(post)["entities"]} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a group's name in the plural is its men; its Arabic name with the other final s
        ("Вагнери досі живуть у наметовому таборі під Осиповичами.", {"wagner-group"}),
        ("عناصر أفريكا كوربز انتشروا في أحياء واغادوغو", {"africa-corps"}),
        # the paratroopers' day
        ("Десантники опять отличились: 2 августа в Парке Горького разнесли ларёк.",
         {"russian-airborne-forces"}),
        # Wagner's operas are no plural of his
        ("В опере снова Вагнер: «Летучий голландец» в субботу.", set()),
    ],
)  # fmt: skip
def test_demo_watchlist_plurals_and_spellings(text: str, expected: set[str]) -> None:
    engine = Engine(load_watchlist(WATCHLIST))
    post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
    assert {e["id"] for e in engine.classify(post)["entities"]} == expected
