"""Long names with one slip: one edit away from a listed name of seven letters or more."""

from __future__ import annotations

import random

import pytest
from services.classifier import _native
from services.classifier.engine import Engine
from services.classifier.matching import Match
from services.classifier.typos import one_edit, typo_words_py
from services.classifier.watchlist import Entity, Watchlist

pytestmark = pytest.mark.unit

ENGINE = Engine(
    Watchlist(
        entities=(
            Entity(
                "soleimani",
                "Qassem Soleimani",
                "person",
                ("Qassem Soleimani", "Soleimani", "Сулеймани", "Сулеймані"),
            ),
            Entity("alaudinov", "Apti Alaudinov", "person", ("Alaudinov", "Алаудінов")),
            Entity(
                "hezbollah",
                "Hezbollah",
                "organization",
                ("Hezbollah", "Хізбалла", "Hizballah"),
                ("Hizbullah",),
                ("Lebanon",),
            ),
            Entity("prigozhin", "Yevgeny Prigozhin", "person", ("Prigozhin",)),
            Entity("mali", "Mali", "location", ("Mali",)),
            Entity("hmeimim", "Hmeimim Air Base", "location", ("Hmeimim", "Хмеймим")),
            # a name in lower case is a word, not a name: no slips looked for
            Entity("airborne", "Airborne", "unit", ("десантники",)),
        ),
        version="test",
    )
)


def found(text: str) -> list[tuple[str, str]]:
    post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
    return [(e["id"], e["text"]) for e in ENGINE.classify(post)["entities"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a letter dropped, added, replaced; two swapped
        ("Solemani's old network in Iraq", [("soleimani", "Solemani")]),
        ("Alavdinov posted another video", [("alaudinov", "Alavdinov")]),
        ("«Аплаудінов» знову аплодує", [("alaudinov", "Аплаудінов")]),
        ("Портрет Солеймани висит в кафе", [("soleimani", "Солеймани")]),
        ("Хізболла обіцяє помсту", [("hezbollah", "Хізболла")]),
        ("Hezbolalh flags in Tyre", [("hezbollah", "Hezbolalh")]),
        # a name of seven letters
        ("Хмейним опять под ударом дронов", [("hmeimim", "Хмейним")]),
        ("Hmeinim, the Russian base", [("hmeimim", "Hmeinim")]),
        # with a Cyrillic case ending
        ("На Хмейниме снова разгружают Ил-76", [("hmeimim", "Хмейниме")]),
        ("Над Хмейнимом уночі збили дрон", [("hmeimim", "Хмейнимом")]),
        # beside another watched name, whose anchors do not hide it
        ("Aludinov's men in Mali", [("alaudinov", "Aludinov"), ("mali", "Mali")]),
        # the name as listed is a match of its own, once
        ("Soleimani and Hezbollah", [("soleimani", "Soleimani"), ("hezbollah", "Hezbollah")]),
    ],
)
def test_a_long_name_with_one_slip_matches(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # an ending is not a slip: a case of the name (the city, Сулеймания), a feminine surname
        "В Сулеймании прошли протесты, Сулейманія — місто",
        "Prigozhina is a common surname",
        # in the last two letters, another first letter, lower case, two edits, a short name
        "Soleimanni was here, Zoleimani too",
        "Soleimmaniii and solemani",
        "Mila and Malik",
        # in a name of seven letters, a slip in the middle letter breaks both anchors
        "Хмекмим опять под ударом",
        # a spelling listed as ambiguous stays ambiguous, one edit from an alias or not
        "Hizbullah rally in Diyarbakir",
        # a lower-case alias looks for no slips
        "Десантникки",
    ],
)
def test_other_words_near_a_long_name_do_not_match(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("solemani", "soleimani", True),
        ("suleimani", "soleimani", True),
        ("soleiamni", "soleimani", True),
        ("soleimanis", "soleimani", False),
        ("soleiman", "soleimani", False),
        ("soleimany", "soleimani", False),
        ("zoleimani", "soleimani", False),
        ("soleimani", "soleimani", False),
        ("slemanii", "soleimani", False),
    ],
)
def test_one_edit(a: str, b: str, expected: bool) -> None:
    assert one_edit(a, b) is expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Soleimani",
        "Solei",  # five letters: too short
        "Soleim",  # six: read
        "xSoleimani",  # inside a word
        "#Soleimani @Soleimani_x 1Soleimani _Soleimani",
        "SoleiMani",  # one word, capitals inside
        "Sole1mani Sol_eimani Soleim²ni Soleim½ni",  # digits and the underscore end a word
        "Soleim٣ni Soléimani ÉSoleimani",  # a decimal digit of another script; É is no capital
        "Хмеймим Ёлочкин Ґалицький Їжачок Єрусалим Ісламов",
        "ABCDEFG ABcdefg AbcdE",
        "ǅungla Ǆungla",  # title case and capital digraphs are not _NAME's capitals
        "\U0001d400bcdefg Abcdef\U0001d41a",  # astral letters
        "قاسم سليماني Soleimani",
        "Soleimani\u200cnews Soleim\u200c",
    ],
)
def test_typo_words_match_the_reference(text: str) -> None:
    assert _native.typo_words(text, []) == typo_words_py(text, [])
    matches = ENGINE.matcher.find(text)
    assert _native.typo_words(text, matches) == typo_words_py(text, matches)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 9, None),  # the word itself
        (3, 4, None),  # inside it
        (8, 12, None),  # across its end
        (9, 10, [(0, 9)]),  # right after it
        (10, 20, [(0, 9)]),
        (0, 0, [(0, 9)]),  # empty, at its start
    ],
)
def test_typo_words_leave_out_words_a_match_overlaps(
    start: int, end: int, expected: list[tuple[int, int]] | None
) -> None:
    text = "Soleimani said"
    matches = [Match(0, "x", start, end)]
    assert _native.typo_words(text, matches) == expected == typo_words_py(text, matches)


def test_typo_words_take_only_match_tuples() -> None:
    with pytest.raises(TypeError):
        _native.typo_words("Soleimani", [(0, "x")])
    with pytest.raises(TypeError):
        _native.typo_words("Soleimani", ())


def test_typo_words_read_every_character_as_the_reference_does() -> None:
    """Every BMP character as a capital, inside a word and before one."""
    for cp in range(0x10000):
        c = chr(cp)
        for text in (c + "bcdef", "Abcd" + c + "f", "A" + c * 5, c + "Abcdef", c * 8):
            assert _native.typo_words(text, []) == typo_words_py(text, []), hex(cp)


def test_typo_words_on_random_text() -> None:
    alphabet = "AaBbZzÀàÉé_1²½٣ \u200c'-АаЯяЁёІіЇїЄєҐґЖжЪъاـلمǅ\U0001d400\U0001d41a\ud800x.#@"
    rng = random.Random(1)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        start = rng.randint(0, 40)
        matches = [Match(0, "x", start, start + rng.randint(0, 8))] if rng.random() < 0.5 else []
        assert _native.typo_words(text, matches) == typo_words_py(text, matches), text
