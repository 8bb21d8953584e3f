"""The built-in gazetteer: canonical names for places in five languages, Russian and
Ukrainian case forms, Arabic clitics and the article, and no match on adjectives or inside
longer words."""

from __future__ import annotations

import pytest
from services.classifier.claims_text import fold
from services.classifier.gazetteer import gazetteer

pytestmark = pytest.mark.unit


def _places(text: str) -> list[str]:
    return [str(h.value) for h in gazetteer().find_longest(fold(text).text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syria", ["Syria"]),
        ("в Сирию, из Сирии, Сирией", ["Syria", "Syria", "Syria"]),
        ("до Сирії, Сирією", ["Syria", "Syria"]),
        ("سوريا سورية سوریه", ["Syria", "Syria", "Syria"]),
        ("بسوريا ولسوريا", ["Syria", "Syria"]),
        ("العراق للعراق بالعراق", ["Iraq", "Iraq", "Iraq"]),
        ("Украине Україні", ["Ukraine", "Ukraine"]),
        ("Беларусь Белоруссию Білорусі", ["Belarus", "Belarus", "Belarus"]),
        ("Курской области, Курську область", ["Kursk", "Kursk"]),
        ("Харківщину Харькова", ["Kharkiv", "Kharkiv"]),
        ("Deir ez-Zor دير الزور دیرالزور Дейр-эз-Зор", ["Deir ez-Zor"] * 4),
        ("Придністров'я Приднестровье", ["Transnistria", "Transnistria"]),
        ("Kyiv Kiev Київ Киев", ["Kyiv"] * 4),
        ("Tripoli's streets", ["Tripoli"]),
    ],
)
def test_spellings_and_case_forms(text: str, expected: list[str]) -> None:
    assert _places(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ukrainian troops",
        "сирийские войска",
        "іранські військові",
        "القوات العراقية",
        "Somalian",
        "Hamas fighters",
        "Nigerian",
        "a car",
    ],
)
def test_no_match_on_adjectives_or_inside_words(text: str) -> None:
    assert _places(text) == []
