"""Normalisation: every folding case in every script, and offsets back into the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from services.classifier import text as text_mod
from services.classifier.text import fold, normalize

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # case and diacritics
        ("SOLEIMANI", "soleimani"),
        ("Café Señor Ørsted", "cafe senor ørsted"),
        ("Straße", "strasse"),
        ("İSTANBUL", "i̇stanbul".replace("\u0307", "")),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        # compatibility forms: full-width, mathematical, ligatures, superscripts
        ("ＳＯＬＥＩＭＡＮＩ", "soleimani"),
        ("𝐒𝐨𝐥𝐞𝐢𝐦𝐚𝐧𝐢", "soleimani"),
        ("ﬁghters", "fighters"),
        # invisible characters inside words
        ("Sol\u200beimani", "soleimani"),
        ("Sol\u00adei\u200cma\u200dni", "soleimani"),
        ("\u202eSoleimani\u202c", "soleimani"),
        ("\u2066Soleimani\u2069\ufeff", "soleimani"),
        # apostrophes, dashes, spaces, handles
        ("Soleimani’s", "soleimani's"),
        ("Soleimani‘s ʼ `", "soleimani's ' '"),
        ("Al–Quds — x", "al-quds - x"),
        ("Qassem\u00a0Soleimani\nnow\ttoo", "qassem soleimani now too"),
        ("@Qassem_Soleimani", "@qassem soleimani"),
        ("#QassemSoleimani", "#qassemsoleimani"),
        # Cyrillic: ё folds, й and ї stay letters of their own
        ("Ёлка Сирия", "елка сирия"),
        ("Йемен Київ", "йемен київ"),
        # Arabic and Persian letter variants
        ("سلیمانی", "سليماني"),
        ("سليمانى", "سليماني"),
        ("کرمان", "كرمان"),
        ("أحمد إيران آمرلي", "احمد ايران امرلي"),
        ("مؤتمر رئيس", "موتمر رييس"),
        ("الحـــرس", "الحرس"),
        ("مُحَمَّد", "محمد"),
        ("القدسة", "القدسه"),
        ("ﻗﺎﺳﻢ", "قاسم"),  # presentation forms
        ("سپاه‌پاسداران", "سپاهپاسداران"),
        # digits of every script
        ("٣٤٥ ۳۴۵ ३४५ 345", "345 345 345 345"),
        ("１２３", "123"),
        # emoji stay as they are
        ("go 😀 Homs", "go 😀 homs"),
    ],
)
def test_normalize_folds(raw: str, expected: str) -> None:
    assert normalize(raw).norm == expected


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("x Sol\u200beimani y", "soleimani"),
        ("ab Straße Homs", "homs"),
        ("ab Straße Homs", "strasse"),
        ("𝐒𝐨𝐥𝐞𝐢𝐦𝐚𝐧𝐢 and Homs", "homs"),
        ("الحـــرس الثوري", "الثوري"),
        ("\u202eSoleimani\u202c said", "soleimani"),
        ("Soleimani’s men", "soleimani"),
        ("İİİ Homs", "homs"),
        ("😀 Homs", "homs"),
    ],
)
def test_spans_map_back_to_the_original(raw: str, needle: str) -> None:
    nt = normalize(raw)
    i = nt.norm.index(needle)
    start, end = nt.span(i, i + len(needle))
    assert normalize(raw[start:end]).norm == needle


def test_expanded_character_maps_to_its_whole_original() -> None:
    nt = normalize("Straße")
    start, end = nt.span(4, 6)  # the "ss"
    assert (start, end) == (4, 5)


def test_fold_collapses_spaces_and_trims() -> None:
    assert fold("  Qassem \u200b  Soleimani ") == "qassem soleimani"


def test_normalisation_is_idempotent_for_every_folded_character() -> None:
    for ch, folded in text_mod._FULL.items():
        assert normalize(folded).norm == folded, (hex(ord(ch)), folded)


def test_every_route_agrees_with_the_character_by_character_path() -> None:
    samples = [
        "Plain ASCII text_with underscore",
        "Российские военные в Сирии, ёж",
        "قاسم سلیمانی در سوریه ک",
        "Sol\u200beimani ى tatweel الحـــرس",
        "😀 emoji and 𝐒𝐨𝐥 and Straße",
        "\u202eSoleimani\u202c and Sol\u200beimani \u200c",
    ]
    for sample in samples:
        fast = normalize(sample)
        slow = text_mod._slow(sample)
        assert fast.norm == slow.norm
        for i in range(len(fast.norm)):
            assert fast.span(i, i + 1) == slow.span(i, i + 1)


ALPHABET = st.sampled_from(
    list("aZ _#@'’-\n")
    + list("éÉßİﬁＳ𝐒😀")
    + list("ЁёСирийЇї")
    + list("يیىكکأإآةـًّ٣۳")
    + ["\u200b", "\u200c", "\u200d", "\u00ad", "\u202e", "\u202c", "\ufeff", "\x1b"]
)


@settings(max_examples=400, derandomize=True)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_fast_routes_equal_the_slow_path_on_any_mix(sample: str) -> None:
    fast, slow = normalize(sample), text_mod._slow(sample)
    assert fast.norm == slow.norm
    assert [fast.span(i, i + 1) for i in range(len(fast.norm))] == [
        slow.span(i, i + 1) for i in range(len(slow.norm))
    ]
