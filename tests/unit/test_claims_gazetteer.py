"""The built-in gazetteer: canonical names for places in five languages, Russian and
Ukrainian case forms, Arabic clitics and the article, and no match on adjectives or inside
longer words; the places of the data file beside the hand-written ones, which keep priority, its
stoplists, and the file's shape."""

from __future__ import annotations

import pytest
from services.classifier.claims_text import fold
from services.classifier.gazetteer import (
    _PLACES,
    COUNTRIES,
    DATA_FILE,
    _spellings,
    data_places,
    gazetteer,
    place_entries,
)

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
        ("Курской области, Курську область", ["Kursk Oblast", "Kursk Oblast"]),
        ("Харківщину Харькова", ["Kharkiv Oblast", "Kharkiv"]),
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


# The places added from `places.tsv` (GeoNames towns and ISO 3166 countries): every script,
# Russian and Ukrainian case forms through the town's stem or the country's declension, Arabic
# clitics and the article, and the English name without its Arabic article.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Makhachkala", ["Makhachkala"]),
        ("in Gomel", ["Homyel'"]),
        ("в Гомеле, Гомельской области", ["Homyel'", "Gomel Oblast"]),
        ("у Мозирі, Мозырь", ["Mazyr", "Mazyr"]),
        ("в Курахово, у Курахове, Курахового", ["Kurakhove"] * 3),
        ("Джанкой, у Джанкої, Джанкоя", ["Dzhankoy"] * 3),
        ("в Ереване", ["Yerevan"]),
        ("Ростов-на-Дону", ["Rostov-on-Don"]),
        ("Торецьк, Торецька", ["Toretsk", "Toretsk"]),
        ("Бердянськ Berdiansk", ["Berdyansk", "Berdyansk"]),
        ("إلى دهوك", ["Dihok"]),
        ("في الحسكة وللحسكة Hasakah", ["Al Ḩasakah"] * 3),
        ("به زاهدان", ["Zahedan"]),
        ("کرمانشاه تبریز اهواز بندرعباس", ["Kermanshah", "Tabriz", "Ahvaz", "Bandar Abbas"]),
        ("Constanța Constanta Tromsø Tromso", ["Constanţa"] * 2 + ["Tromsø"] * 2),
        ("Tobruk Mogadishu الرياض", ["Tobruk", "Mogadishu", "Riyadh"]),
        # A shared spelling goes to the place where its script is written: Abadan, not Ibadan.
        ("آبادان Ibadan", ["Abadan", "Ibadan"]),
        ("в Румынию, из Румынии", ["Romania", "Romania"]),
        ("до Естонії, Естонією", ["Estonia", "Estonia"]),
        ("Greenland Гренландию", ["Greenland", "Greenland"]),
    ],
)
def test_places_from_the_data_file(text: str, expected: list[str]) -> None:
    assert _places(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the ministry said",
        "the police",
        "a split",
        "Mary said",
        "a tank",
        "reading of",
        "зимой и зима",
        "улица Пушкина",
        "Иванова",
        "خبر سلطات مصفح بحري",
        "اگر یهود",
        # Stems that begin everyday words stay exact: полиц* (Police), совет* (Soweto).
        "полиция, поліція, совет, бомбежка",
        "того же дня",
        "لأول مرة ينقل بحركة",
    ],
)
def test_stoplisted_words_are_not_places(text: str) -> None:
    assert _places(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Hand-written places keep their canonical names and spellings over the data file's.
        ("Kiev Київ Киева", ["Kyiv"] * 3),
        ("طرابلس Tripoli", ["Tripoli", "Tripoli"]),
        ("Сумы суми Sumy", ["Sumy"] * 3),
        ("Brest Бреста", ["Brest", "Brest"]),
        ("Россия Russia", ["Russia", "Russia"]),
        ("DR Congo", ["DR Congo"]),
        # A data-file town that a hand-written place names takes its canonical name.
        ("إلى كوباني، عين العرب، Ayn al Arab", ["Kobani"] * 3),
        ("в Абхазию", ["Abkhazia"]),
    ],
)
def test_hand_written_places_keep_priority(text: str, expected: list[str]) -> None:
    assert _places(text) == expected


# Regions (`places.tsv`, kind `region`): ISO 3166-2 first-level divisions of the focus countries
# and their colloquial names, with adjective and noun declined together; the longer phrase wins
# over the seat's stem (Курской области is the oblast, not the town of Kursk). Then the
# hand-written regions that are no administrative unit.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в Курскую область, Курской области", ["Kursk Oblast"] * 2),
        ("Kursk Oblast, Kursk region", ["Kursk Oblast"] * 2),
        ("на Донеччину, на Донеччині, Донецкой области", ["Donetsk Oblast"] * 3),
        (
            "Рівненщина Курщина Белгородчину Сумщину",
            [
                "Rivne Oblast",
                "Kursk Oblast",
                "Belgorod Oblast",
                "Sumy Oblast",
            ],
        ),
        ("у Запорізькій області, Запорожской области", ["Zaporizhzhia Oblast"] * 2),
        (
            "в Краснодарском крае, Ханты-Мансийском автономном округе",
            [
                "Krasnodar Krai",
                "Khanty-Mansi Autonomous Okrug",
            ],
        ),
        ("Idlib Governorate, محافظة إدلب, Idlib", ["Idlib Governorate"] * 2 + ["Idlib"]),
        ("في الأنبار، إقليم كردستان", ["Anbar Governorate", "Kurdistan Region"]),
        (
            "سیستان و بلوچستان، خوزستان، استان فارس",
            [
                "Sistan and Baluchestan",
                "Khuzestan",
                "Fars Province",
            ],
        ),
        (
            "Kaliningrad region, Закарпаття, Шпицберген",
            [
                "Kaliningrad Oblast",
                "Zakarpattia Oblast",
                "Svalbard",
            ],
        ),
        (
            "Donbas Донбасс Донбасі Siberia в Сибирь Карабах Darfur Tigray",
            [
                "Donbas",
                "Donbas",
                "Donbas",
                "Siberia",
                "Siberia",
                "Karabakh",
                "Darfur",
                "Tigray",
            ],
        ),
        ("на Новую Землю", ["Novaya Zemlya"]),
    ],
)
def test_regions(text: str, expected: list[str]) -> None:
    assert _places(text) == expected


def test_region_words_that_are_not_regions() -> None:
    # An adjective names no region; a direction and a country stay the country.
    assert _places("сибирские войска") == []
    assert _places("جنوب لبنان") == ["Lebanon"]


def test_hand_written_entries_come_first_and_unchanged() -> None:
    hand = [
        (form, "place", name)
        for name, spellings in _PLACES.items()
        for spelling in spellings
        for form in _spellings(spelling)
    ]
    entries = place_entries()
    assert entries[: len(hand)] == hand
    hand_keys = {fold(form.strip("*")).text for form, _, _ in hand}
    assert not any(fold(form.strip("*")).text in hand_keys for form, _, _ in entries[len(hand) :])


def test_countries_include_the_data_files() -> None:
    assert {"Romania", "Estonia", "Greenland", "Syria", "Russia"} <= COUNTRIES
    assert "Homyel'" not in COUNTRIES
    assert len(COUNTRIES) > 240


def test_data_file_shape() -> None:
    raw = DATA_FILE.read_bytes()
    assert len(raw) < 2_000_000
    lines = raw.decode("utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("GeoNames" in line and "CC BY 4.0" in line for line in header)
    assert any("pycountry" in line for line in header)
    rows = data_places()
    assert len(rows) == len(lines) - len(header)
    kinds = [kind for _, kind, _, _, _ in rows]
    assert set(kinds) == {"country", "city", "region"}
    assert kinds == sorted(kinds, key=lambda kind: kind != "country")  # countries first
    seen: set[str] = set()
    for name, _, code, population, spellings in rows:
        assert name
        assert len(code) == 2
        assert population >= 0
        assert spellings
        for spelling in spellings:
            key = fold(spelling.split(":", 1)[-1].strip("*")).text
            assert key
            assert key not in seen, spelling  # a spelling belongs to one place
            seen.add(key)


@pytest.mark.parametrize(
    ("nominative", "forms"),
    [
        (
            "ru:Курская область",
            ["Курская область", "Курской области", "Курскую область", "Курской областью"],
        ),
        (
            "uk:Курська область",
            ["Курська область", "Курської області", "Курській області", "Курську область",
             "Курською областю"],
        ),
        (
            "ru:Ханты-Мансийский автономный округ",
            ["Ханты-Мансийский автономный округ", "Ханты-Мансийского автономного округа",
             "Ханты-Мансийскому автономному округу", "Ханты-Мансийском автономном округе",
             "Ханты-Мансийским автономным округом"],
        ),
        (
            "uk:Краснодарський край",
            ["Краснодарський край", "Краснодарського краю", "Краснодарському краю",
             "Краснодарському краї", "Краснодарським краєм"],
        ),
        # Any adjective and its noun decline together, case by case.
        ("ru:Саудовская Аравия", ["Саудовская Аравия", "Саудовской Аравии",
                                  "Саудовскую Аравию", "Саудовской Аравией"]),
        ("ru:Южный Судан", ["Южный Судан", "Южного Судана", "Южного Судану", "Южному Судану",
                            "Южным Суданом", "Южном Судане"]),
        ("uk:Нова Зеландія", ["Нова Зеландія", "Нової Зеландії", "Новій Зеландії",
                              "Нову Зеландію", "Новою Зеландією"]),
        # A noun that is not an adjective keeps its form.
        ("uk:Держава Катар", ["Держава Катар", "Держава Катара", "Держава Катару",
                              "Держава Катарі", "Держава Катаром", "Держава Катаре"]),
    ],
)  # fmt: skip
def test_adjective_and_region_noun_decline_together(nominative: str, forms: list[str]) -> None:
    assert list(_spellings(nominative)) == forms


# The lower-case two-word names of the data file decline both words too: the Ukrainian
# consonant change before і (Каховці), the second genitive and the і/о change (Кривого Рогу),
# and the Russian soft adjective (Нижнем Новгороде).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("у Новій Каховці, з Нової Каховки", ["Nova Kakhovka", "Nova Kakhovka"]),
        ("в Новой Каховке", ["Nova Kakhovka"]),
        ("до Кривого Рогу, в Кривом Роге", ["Kryvyy Rih"] * 2),
        ("в Нижнем Новгороде", ["Nizhniy Novgorod"]),
    ],
)
def test_two_word_names_of_the_data_file_decline(text: str, expected: list[str]) -> None:
    assert _places(text) == expected


# The bases, airfields, crossings, islands and small towns that deployment posts name, in every
# script and case, and spoken Arabic's عال for على ال.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Al-Tanf, в Эт-Танфе, التنف", ["Al-Tanf"] * 3),
        ("to Ain al-Asad, قاعدة عين الأسد, لعين الأسد", ["Ain al-Asad"] * 3),
        ("на авиабазе Т-4, مطار التيفور", ["T4 Airbase"] * 2),
        ("у Часовому Яру, под Часовым Яром", ["Chasiv Yar"] * 2),
        ("біля Вугледара, под Угледаром", ["Vuhledar"] * 2),
        ("вернулись на Змеиный, острів Зміїний", ["Snake Island"] * 2),
        ("به اسلام‌قلعه، در تورخم", ["Islam Qala", "Torkham"]),
        ("جزیره‌ی ابوموسی و تنب بزرگ", ["Abu Musa", "Greater Tunb"]),
        ("وصلوا عالسويداء", ["As-Suwayda"]),
        # a town in -ка in the Ukrainian locative, not a shorter town's stem
        ("у Костянтинівці", ["Kostyantynivka"]),
        ("إلى كردفان، مزارع شبعا", ["Kordofan", "Shebaa Farms"]),
        ("رايحين عالحدود عالعراق", ["Iraq"]),
    ],
)
def test_military_sites_and_small_places(text: str, expected: list[str]) -> None:
    assert _places(text) == expected


def test_words_that_look_like_sites_are_not() -> None:
    # A plot of land (шесть соток) is no village.
    assert _places("шесть соток") == []
