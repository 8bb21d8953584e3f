"""Listed names in spellings nobody listed, found by their consonant skeletons across scripts,
and the look-alikes left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from services.classifier.engine import Engine
from services.classifier.skeleton import skeleton
from services.classifier.text import fold
from services.classifier.watchlist import load_watchlist

pytestmark = pytest.mark.unit

WATCHLIST = Path(__file__).resolve().parents[2] / "examples" / "watchlist.yaml"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_watchlist(WATCHLIST))


def ids(engine: Engine, text: str) -> set[str]:
    post = {"id": "t", "source": "t", "text": text, "created_at": ""}
    return {e["id"] for e in engine.classify(post)["entities"]}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kursk", "كرسك"),
        ("Kursk", "کروسک"),
        ("Hmeimim", "خمیمیم"),
        ("Alaudinov", "آلائودینوف"),
        ("Hezbollah", "Хизбалла"),
        ("Fatemiyoun", "Фатемійон"),
    ],
)
def test_one_skeleton_across_scripts(a: str, b: str) -> None:
    assert skeleton(fold(a)) == skeleton(fold(b))


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("معارك عنيفة في مقاطعة كرسك الروسية", "kursk"),
        ("درگیری‌ها در کروسک ادامه دارد", "kursk"),
        ("پایگاه خمیمیم روسیه در لاذقیه هنوز فعال است", "hmeimim-air-base"),
        ("الجنرال ألاودينوف يقول إن قواته لن تنسحب", "apti-alaudinov"),
        ("عناصر من الباسداران شوهدوا في البوكمال", "irgc"),
        ("Дэйр-эз-Зор остался без воды после удара.", "deir-ez-zor"),
        ("دیرازور دوباره صحنه درگیری عشایر است.", "deir-ez-zor"),
        ("Афганські бійці «Фатемійон» повертаються з Сирії", "liwa-fatemiyoun"),
    ],
)
def test_unlisted_spellings_are_found(engine: Engine, text: str, entity: str) -> None:
    assert entity in ids(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "Sulaymaniyah airport shut after a drone strike.",  # the city, not Soleimani
        "В Сулеймании прошли протесты учителей.",
        "Soleimaniyeh mosque restoration finished.",
        "Suleiman the Magnificent built the mosque.",
        "Дамасская сталь: как куют ножи",  # an adjective of the listed name
        "سپاهان اصفهان با دو گل پرسپولیس را شکست داد",  # a football club
        "Afrikakorps is listed as ambiguous and needs context.",  # Africa Corps by its skeleton
    ],
)
def test_look_alikes_are_left_alone(engine: Engine, text: str) -> None:
    assert ids(engine, text) == set()
