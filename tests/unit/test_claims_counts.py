"""How many: digits with separators, approximations, ranges, words and unit sizes, in the
quantity parser and through `extract_claims`."""

from __future__ import annotations

import pytest
from services.classifier.claims import extract_claims
from services.classifier.claims_text import fold
from services.classifier.counts import BATTALION, BRIGADE, COMPANY, has_digit, quantities

pytestmark = pytest.mark.unit


def _quantities(text: str) -> list[tuple[str, int, int]]:
    folded = fold(text).text
    return [(folded[q.start : q.end], q.low, q.high) for q in quantities(folded, 0, len(folded))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,000 troops", [("1,000", 1000, 1000)]),
        ("1.000 troops", [("1.000", 1000, 1000)]),
        ("1 000 troops", [("1 000", 1000, 1000)]),
        ("~200 troops", [("200", 200, 200)]),
        ("200+ troops", [("200+", 200, 400)]),
        ("more than 500 troops", [("more than 500", 500, 1000)]),
        ("up to 300 troops", [("up to 300", 1, 300)]),
        ("200-300 troops", [("200-300", 200, 300)]),
        ("200 to 300 troops", [("200 to 300", 200, 300)]),
        ("3k troops", [("3k", 3000, 3000)]),
        ("three thousand troops", [("three thousand", 3000, 3000)]),
        ("hundreds of troops", [("hundreds", 200, 999)]),
        ("dozens of troops", [("dozens", 24, 99)]),
        ("a thousand troops", [("a thousand", 1000, 1000)]),
        ("several thousand troops", [("several thousand", 2000, 9999)]),
        ("two battalions", [("two battalion", 2 * BATTALION[0], 2 * BATTALION[1])]),
        ("a company of marines", [("company of", *COMPANY)]),
        ("около 1 500 наемников", [("1 500", 1500, 1500)]),
        ("3 тысячи солдат", [("3 тысячи", 3000, 3000)]),
        ("тысяча бойцов", [("тысяча", 1000, 1000)]),
        ("сотни военных", [("сотни", 200, 999)]),
        ("десятки бійців", [("десятки", 20, 99)]),
        ("кілька тисяч військових", [("кілька тисяч", 2000, 9999)]),
        ("ألف مقاتل", [("الف", 1000, 1000)]),
        ("مئات الجنود", [("مئات", 200, 999)]),
        ("٣٠٠ جندي", [("٣٠٠", 300, 300)]),
        ("3 آلاف جندي", [("3 الاف", 3000, 3000)]),
        ("هزار رزمنده", [("هزار", 1000, 1000)]),
        ("۵ هزار سرباز", [("۵ هزار", 5000, 5000)]),
        ("چند هزار نیرو", [("چند هزار", 2000, 9999)]),
        ("دو گردان", [("دو گردان", 2 * BATTALION[0], 2 * BATTALION[1])]),
        # Not counts: model numbers, years, phone-number-sized runs, "one" as an article.
        ("su-35 fighters", []),
        ("in 2024 troops", []),
        ("12345678 troops", []),
        ("one of the soldiers", []),
        ("0 troops", []),
    ],
)
def test_quantities(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert _quantities(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Around 300 Iranian troops arrived in Homs.", {"min": 300, "max": 300}),
        ("Two battalions of paratroopers were deployed to Belgorod.", {"min": 600, "max": 2000}),
        ("A brigade was transferred to Kherson.", {"min": BRIGADE[0], "max": BRIGADE[1]}),
        ("Troops of the 3rd Mechanized Brigade were seen in Kharkiv.", None),
        ("In 2025 Russian troops arrived in Syria.", None),
        ("Тысячи российских военных стягивают к Харькову.", {"min": 2000, "max": 9999}),
        ("Росіяни перекинули до Запоріжжя ще одну бригаду.", {"min": 3000, "max": 5000}),
        ("وصل نحو 300 جندي إيراني إلى حمص.", {"min": 300, "max": 300}),
        ("ارتش عراق دو گردان به موصل اعزام کرد.", {"min": 600, "max": 2000}),
        ("Russian troops arrived in Mali.", None),
    ],
)
def test_claim_counts(text: str, expected: dict[str, int] | None) -> None:
    (claim,) = extract_claims(text)
    assert claim["count"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("troops arrived", False), ("300 troops", True), ("۳۰۰ نیرو", True), ("٣٠٠ جندي", True)],
)
def test_has_digit_sees_every_script(text: str, expected: bool) -> None:
    assert has_digit(text, 0, len(text)) is expected
    assert has_digit(f"{text} and more", 0, len(text)) is expected


def test_a_window_without_digits_or_count_words_has_no_quantity() -> None:
    assert _quantities("troops arrived in homs overnight") == []
    assert has_digit("troops 300", 0, 6) is False  # only the window is read
