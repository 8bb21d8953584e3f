"""The text plumbing under the claim detector: length-preserving folding with offset maps,
phrase matching with word boundaries and Arabic-script clitics, the raw-text prescan, and
sentence splitting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from services.classifier.claims import _lexicon, _prescan, _vetoes, lexicon_entries
from services.classifier.claims_text import (
    PhraseSet,
    fold,
    fold_phrase,
    lower,
    one_sentence,
    raw_spellings,
    sentences,
)

pytestmark = pytest.mark.unit

EVAL = Path(__file__).resolve().parent.parent / "data" / "claims_eval.jsonl"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Troops ARRIVED", "troops arrived"),
        ("Наёмники", "наемники"),
        ("جيش كبير", "جیش کبیر"),
        ("أرسل إرسال آلاف", "ارسل ارسال الاف"),
        ("з’явилися", "з'явилися"),
        ("نیرو\u200cها", "نیرو ها"),
    ],
)
def test_fold_keeps_length_when_nothing_is_dropped(text: str, folded: str) -> None:
    result = fold(text)
    assert (result.text, result.index) == (folded, None)


@pytest.mark.parametrize(
    ("text", "folded", "word"),
    [
        ("tro\u200bops here", "troops here", "here"),
        ("جنـــود هنا", "جنود هنا", "هنا"),
        ("جُنُودٌ هنا", "جنود هنا", "هنا"),
        ("\u202eRLO\u202c text", "rlo text", "text"),
        ("sol\u00addiers here", "soldiers here", "here"),
    ],
)
def test_fold_drops_invisible_characters_and_maps_offsets_back(
    text: str, folded: str, word: str
) -> None:
    result = fold(text)
    assert result.text == folded
    start = result.text.index(word)
    o_start, o_end = result.to_original(start, start + len(word))
    assert text[o_start:o_end] == word
    assert result.from_original(o_start) == start


def test_fold_handles_characters_that_lowercase_to_two() -> None:
    result = fold("İdlib troops")
    assert len(result.text) == len("İdlib troops")
    assert result.text.endswith("troops")


PHRASES = PhraseSet(
    [
        ("troop*", "actor", None),
        ("mali", "place", "Mali"),
        ("قوات*", "actor", None),
        ("*n't", "neg", None),
        ("سوريا", "place", "Syria"),
    ]
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("troops", ["troops"[:5]]),
        ("paratroops", []),
        ("mali", ["mali"]),
        ("somalia", []),
        ("malian", []),
        ("didn't", ["n't"]),
        ("والقوات", ["قوات"]),
        ("بالقوات", ["قوات"]),
        ("لسوريا", ["سوريا"]),
        ("وبسوريا", ["سوريا"]),
        ("اكسوريا", []),
        ("منسوريا", []),
    ],
)
def test_phrase_boundaries_and_clitics(text: str, found: list[str]) -> None:
    folded = fold(text).text
    hits = PHRASES.find(folded)
    assert [folded[h.start : h.end] for h in hits] == [fold(f).text for f in found]


def test_future_clitic_is_reported() -> None:
    hits = PhraseSet([("ترسل", "motion", None)]).find(fold("سترسل").text)
    assert [(h.clitic, h.future_clitic) for h in hits] == [("س", True)]


def test_find_longest_keeps_the_longest_leftmost_phrase() -> None:
    phrases = PhraseSet([("not", "denied", None), ("not yet confirmed", "hedged", None)])
    text = "not yet confirmed but not"
    assert [h.kind for h in phrases.find_longest(text)] == ["hedged", "denied"]


def test_raw_spellings_cover_the_letters_fold_merges() -> None:
    assert set(raw_spellings("نیرو")) == {"نیرو", "نيرو", "نىرو"}
    assert "перёбро" in raw_spellings("перебро")
    assert "أرسل" in raw_spellings("ارسل")


@pytest.mark.parametrize("space", [" ", "\u200c", "\u00a0", "\u202f", "\u2009"])
def test_raw_spellings_cover_every_space_fold_merges(space: str) -> None:
    assert f"marine{space}corps" in raw_spellings("marine corps")
    assert "actor" in _prescan().kinds(f"the marine{space}corps landed")


@pytest.mark.parametrize("text", ["Troops ARRIVED", "İdlib", "جيش\u0640 كبير", "Наёмники"])
def test_fold_takes_the_lower_cased_text_it_is_given(text: str) -> None:
    assert fold(text, lower(text)) == fold(text)


def test_lower_keeps_offsets() -> None:
    assert lower("İDF Troops") == "idf troops"
    assert "actor" in _prescan().kinds(lower("İDF"))


def test_no_phrase_starts_or_ends_with_white_space() -> None:
    # extract_claims relies on it: a one-sentence post's hits all lie inside the trimmed text.
    keys = [fold_phrase(pattern.strip("*")) for pattern, _, _ in lexicon_entries()]
    assert all(key == key.strip() for key in keys)


TRIGGER_KINDS = {"actor", "commander", "weak", "motion", "presence"}


def _eval_texts() -> list[str]:
    with EVAL.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def _respell(text: str) -> str:
    # The spellings a raw post may use where the lexicon has the folded one.
    return text.replace("ی", "ي").replace("ک", "ك").replace("е", "ё").replace("Е", "Ё")


def test_prescan_never_misses_what_the_full_scan_finds() -> None:
    for text in _eval_texts():
        for variant in (text, _respell(text), text.upper()):
            full = {h.kind for h in _lexicon().find(fold(variant).text)} & TRIGGER_KINDS
            assert full <= _prescan().kinds(variant.lower()), variant


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("U.S. troops arrived. Gen. Smith left.", ["U.S. troops arrived.", "Gen. Smith left."]),
        ("1.000 troops. Next", ["1.000 troops.", "Next"]),
        ("line one\nline two", ["line one", "line two"]),
        ("سؤال؟ جواب.", ["سؤال؟", "جواب."]),
        ("“Quoted.” Next", ["“Quoted.”", "Next"]),
        ("   ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in sentences(text)] == expected


@pytest.mark.parametrize("text", ["", "   ", "no marks at all", "  padded  ", "ends here."])
def test_text_without_a_boundary_is_one_trimmed_sentence(text: str) -> None:
    expected = [(len(text) - len(text.lstrip()), len(text.rstrip()))] if text.strip() else []
    assert sentences(text) == expected


VETO_CASES = [
    "the team arrived",  # a word
    "the teams arrived",  # not a word: "team" is not a stem
    "steam rose",  # inside a word
    "scouts arrived",  # a stem
    "للمباراة",  # after a joined Arabic clitic (ل + ال is written لل)
    "وللمباراة",
    "كللمباراة",  # too much before it to be a clitic
    "ورزشيمباراة",
    "تيم ملي",  # Arabic yeh where the lexicon has Persian yeh (تیم)
    "فوتبال\u200cها",  # ZWNJ ends the word
    "нарядʼматч",  # U+02BC is a letter, an apostrophe folded
    "матч",
    "матчи",
    "приложение",
    "",
]


@pytest.mark.parametrize("text", VETO_CASES)
def test_the_quick_look_for_vetoes_finds_the_vetoes_of_the_full_scan(text: str) -> None:
    folded = fold(text).text
    assert _vetoes().find(folded) == [h for h in _lexicon().find(folded) if h.kind == "veto"]


def test_the_quick_look_for_vetoes_reads_every_spelling() -> None:
    assert _vetoes().find(fold("نیروهاي پليس").text)  # both yehs in Arabic spelling


@pytest.mark.parametrize(
    ("text", "expected"),
    [("no marks here", True), ("", True), ("one. two", False), ("line\nbreak", False),
     ("سؤال؟", False), ("wait…", False)],
)  # fmt: skip
def test_one_sentence(text: str, expected: bool) -> None:
    assert one_sentence(text) is expected
    assert (len(sentences(text)) <= 1) or not expected
