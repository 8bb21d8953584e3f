"""What the engine derives from a watchlist (bare surnames, context terms that name entities)
and the matches it takes back (Arabic adjectives and articles, US namesakes, names inside the
names of other things)."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

import pytest
from services.classifier import derived
from services.classifier.derived import matcher_entries
from services.classifier.engine import Engine
from services.classifier.matching import ALIAS, AMBIGUOUS, CONTEXT, Match
from services.classifier.text import fold
from services.classifier.watchlist import Entity, Watchlist

pytestmark = pytest.mark.unit

WATCHLIST = Watchlist(
    entities=(
        Entity(
            "soleimani",
            "Qassem Soleimani",
            "person",
            ("Qassem Soleimani", "Касем Сулеймани", "قاسم سليماني", "Esmail Qaani"),
            context=("IRGC",),
        ),
        Entity("irgc", "IRGC", "organization", ("IRGC", "КСИР", "الحرس الثوري")),
        Entity("wagner", "Wagner Group", "organization", ("Wagner Group",), ("Wagner",), ("Mali",)),
        Entity("mali", "Mali", "location", ("Mali",), ("Мали",), ("Wagner",)),
        Entity("syria", "Syria", "location", ("Syria", "سوريا", "سورية")),
        Entity("homs", "Homs", "location", ("Homs", "حمص", "Хомс")),
        Entity("damascus", "Damascus", "location", ("Damascus",)),
        Entity("lebanon", "Lebanon", "location", ("Lebanon", "لبنان", "Ливан", "Лебанон")),
        Entity("iraq", "Iraq", "location", ("عراق", "العراق")),
        Entity("quds", "Quds Force", "unit", ("Qaani Brigade",)),
        Entity("hezbollah", "Hezbollah", "organization", ("Hezbollah",)),
    ),
    version="test",
)
ENGINE = Engine(WATCHLIST)


def found(text: str, engine: Engine = ENGINE) -> list[tuple[str, str]]:
    """(entity id, matched text) of every entity `engine` lists for a post of `text`."""
    post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
    return [(e["id"], e["text"]) for e in engine.classify(post)["entities"]]


def engine_of(*entities: Entity) -> Engine:
    """An engine of a watchlist of `entities`."""
    return Engine(Watchlist(entities=entities, version="test"))


def test_surnames_of_people_are_derived_as_ambiguous_aliases() -> None:
    listed = {a for e in WATCHLIST.entities for a in e.ambiguous_aliases}
    derived = [(i, a) for i, a, role in matcher_entries(WATCHLIST) if role == AMBIGUOUS]
    derived = [(i, a) for i, a in derived if a not in listed]
    # Only whole listed spellings are kept out: "Qaani Brigade" does not stop "Qaani".
    assert derived == [(0, "Soleimani"), (0, "Сулеймани"), (0, "سليماني"), (0, "Qaani")]


def test_a_listed_spelling_is_never_shadowed_by_a_surname() -> None:
    watchlist = Watchlist(
        entities=(
            Entity("a", "Anna Wagner", "person", ("Anna Wagner", "Li Ka")),
            Entity("b", "Wagner Group", "organization", ("Wagner",)),
        ),
        version="test",
    )
    assert [e for e in matcher_entries(watchlist) if e[2] == AMBIGUOUS] == []


def test_a_name_after_a_title_is_no_surname() -> None:
    # "Haj Qassem" names him by his given name: Qassem alone is anyone (Naim Qassem).
    watchlist = Watchlist(
        entities=(
            Entity(
                "s",
                "Qassem Soleimani",
                "person",
                ("Qassem Soleimani", "Haj Qassem", "حاج قاسم", "Sardar Soleimani"),
            ),
        ),
        version="test",
    )
    derived = [alias for _, alias, role in matcher_entries(watchlist) if role == AMBIGUOUS]
    assert derived == ["Soleimani"]


def test_context_terms_that_name_an_entity_bring_its_other_spellings() -> None:
    entries = matcher_entries(WATCHLIST)
    assert (0, "КСИР", CONTEXT) in entries
    assert (0, "الحرس الثوري", CONTEXT) in entries
    assert (3, "Wagner Group", CONTEXT) in entries  # Mali's "Wagner"
    assert (2, "Мали", CONTEXT) in entries  # Wagner's "Mali", ambiguous alias included


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare surname needs context, here the IRGC in another script
        ("Портреты Сулеймани на улицах", []),
        ("Генерал Сулеймани и КСИР", [("soleimani", "Сулеймани"), ("irgc", "КСИР")]),
        ("صور سليماني والحرس الثوري", [("soleimani", "سليماني"), ("irgc", "الحرس الثوري")]),
        # an ambiguous alias confirmed by another spelling of an entity named in its context
        ("Wagner Group left Мали", [("wagner", "Wagner Group"), ("mali", "Мали")]),
        ("Вагнер и Мали", []),
    ],
)
def test_derived_spellings(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الحكومة السورية تعلن", []),
        ("العاصمة السورية وسورية", [("syria", "سورية")]),
        ("طبق الحمص بالطحينة", []),
        ("اشتباكات في حمص وبحمص", [("homs", "حمص"), ("homs", "حمص")]),
        ("الحكومة اللبنانية وقوات لبنانية", []),
        ("غارات على لبنان", [("lebanon", "لبنان")]),
        ("في العراق وللعراق", [("iraq", "العراق"), ("iraq", "للعراق")]),
        ("Lebanon, Pennsylvania, and Homs, TX", []),
        (
            "Lebanon, a small country; Homs, Syria",
            [("lebanon", "Lebanon"), ("homs", "Homs"), ("syria", "Syria")],
        ),
    ],
)
def test_place_namesakes_are_dropped(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The submarine Kursk and the Homs submarine", []),
        ("Гибель подлодки «Лебанон» и крейсера Ливан", []),
        ("الغواصة حمص وبنك لبنان", []),
        ("Damascus steel, Syria pepper, Bank Lebanon", []),
        ("Kataib Hezbollah and Kata'ib Hezbollah", []),
        ("Wagner Group in Mali", [("wagner", "Wagner Group"), ("mali", "Mali")]),
        ("ship sails to Homs", [("homs", "Homs")]),  # not right before the name
        ('годовщина гибели «Ливана», кафе "Ливан"', []),
        # (Мали counts after "в", a preposition of place, without Wagner's context)
        ("в Ливане и «Вагнер» в Мали", [("lebanon", "Ливане"), ("mali", "Мали")]),
        # streets named after a place, either side of the street word; a café
        ("Homs Blvd, вулиця Хомс, проспект Ливан; کافه لبنان; شارع سوريا", []),
        # a square
        ("ميدان لبنان بالمهندسين واقف خالص؛ میدان سوریه", []),
        # but a city's streets are the city's
        ("на улицах Ливана", [("lebanon", "Ливана")]),
        # a cashtag is a share
        ("$HOMS up 12% after hours", []),
        # a hashtag of a name the post uses for something else tags that thing
        ("The submarine Homs sank in 2000. #Homs #NeverForget", []),
        ("Shelling in Homs #Homs", [("homs", "Homs"), ("homs", "Homs")]),
    ],
)
def test_names_inside_other_names_are_dropped(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # animals named after places
        ("Mali, the elephant who lived alone at the zoo, has died", []),
        ("Mali the old elephant", []),
        # a word for an animal right before the name, in English
        ("Our rescue cat Mali turned three today", []),
        ("Cat videos from Homs", [("homs", "Homs")]),
        ("Our cat named Homs ran off", []),
        ("У сусіда кіт на ім'я Хомс, а собака по кличке «Ливан»", []),
        ("Кошка по имени Ливан", []),
        # the place itself, even with animals around
        ("Elephants were moved from Mali to Niger", [("mali", "Mali")]),
        ("A dog in Homs was rescued", [("homs", "Homs")]),
        ("Mali, the country, and the elephant", [("mali", "Mali")]),
        ("a town called Homs", [("homs", "Homs")]),
        # the idiom of a sudden conversion, not the city
        ("Road to Damascus moments are rare", []),
        ("his road to Damascus conversion", []),
        ("the road to Damascus was cut", [("damascus", "Damascus")]),
        ("a Damascus moment", [("damascus", "Damascus")]),
    ],
)
def test_animals_and_idioms_named_after_places_are_dropped(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sulaimani hosts a book fair this week", []),
        ("flights from Sulaymani to Erbil", []),
        ("Portraits of Qasim Sulaimani carried at the rally", [("soleimani", "Sulaimani")]),
        ("General Sulaimani", [("soleimani", "Sulaimani")]),
        ("Suleimani's network", [("soleimani", "Suleimani")]),
        # a common given name at the start of a sentence is someone else's too
        ("Amir Soleimani with a brace for Sepahan tonight", []),
        ("Али Сулеймани забил гол", []),
        ("Soleimani was killed in 2020", [("soleimani", "Soleimani")]),
        ("Qassem Soleimani was killed in 2020", [("soleimani", "Qassem Soleimani")]),
        ("General Soleimani", [("soleimani", "Soleimani")]),
    ],
)
def test_a_surname_that_is_a_city_or_after_another_given_name_is_someone_elses(
    text: str, expected: list[tuple[str, str]]
) -> None:
    engine = engine_of(
        Entity(
            "soleimani",
            "Qassem Soleimani",
            "person",
            ("Qassem Soleimani", "Suleimani", "Soleimani", "Касем Сулеймани"),
        ),
    )
    assert found(text, engine) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an acronym spelled out after it
        ("the new system HOMS (Hospital Operations Management System)", []),
        ("HOMS (Syria) under fire", [("homs", "HOMS")]),
        ("Homs (Hospital Operations Management System)", [("homs", "Homs")]),
        # a place in quotation marks in Arabic script: a film, a ship
        ("فیلم «حمص» را دیدم", []),
        ("قصف على حمص «اليوم»", [("homs", "حمص")]),
        # a day named after an ambiguous name, not an alias
        ("IRGC and the Quds Day march", [("irgc", "IRGC")]),
        ("IRGC and the Quds force", [("irgc", "IRGC"), ("quds", "Quds force")]),
        ("IRGC Day and Quds Daylight", [("irgc", "IRGC"), ("quds", "Quds")]),
    ],
)
def test_acronyms_titles_and_days_named_like_entities_are_dropped(
    text: str, expected: list[tuple[str, str]]
) -> None:
    engine = engine_of(
        Entity("homs", "Homs", "location", ("Homs", "حمص")),
        Entity("irgc", "IRGC", "organization", ("IRGC",)),
        Entity("quds", "Quds Force", "unit", ("Quds Force",), ("Quds",), ("IRGC",)),
    )
    assert found(text, engine) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a unit or symbol in a case of its own
        ("Tyre pressure at 180 kPa, spec is 230 kPa", []),
        ("KPA troops near Kursk", [("kpa", "KPA"), ("kursk", "Kursk")]),
        ("kpa troops and Kpa drills", [("kpa", "kpa"), ("kpa", "Kpa")]),
        # another body's acronym, spelled out before it
        ("The Kenya Ports Authority (KPA) cancelled the tender", []),
        ("the Korea Power Agency (KPA) and the KPA in Kursk", [("kpa", "KPA"), ("kursk", "Kursk")]),
        (
            "Korean People's Army (KPA) units",
            [("kpa", "Korean People's Army"), ("kpa", "KPA")],
        ),
        ("units of the army (KPA) seen", [("kpa", "KPA")]),
        # a year in brackets after a place: a film, a book
        ("Kursk (2018) is a good film", []),
        ("Shelling in Kursk (Russia) again", [("kursk", "Kursk")]),
        ("Kursk (2018 estimate: 440,000 people)", [("kursk", "Kursk")]),
        ("Lebanon bologna at the fair", []),
    ],
)
def test_symbols_other_acronyms_and_titles_are_dropped(
    text: str, expected: list[tuple[str, str]]
) -> None:
    engine = engine_of(
        Entity("kpa", "Korean People's Army", "organization", ("Korean People's Army", "KPA")),
        Entity("kursk", "Kursk", "location", ("Kursk",)),
        Entity("lebanon", "Lebanon", "location", ("Lebanon",)),
    )
    assert found(text, engine) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian soldier beetles swarm gardens", []),
        ("Russian soldier ants", []),
        ("Russian soldiers fly to Syria", [("soldiers", "Russian soldiers")]),
        ("a Russian soldier was captured", [("soldiers", "Russian soldier")]),
    ],
)
def test_insects_named_after_soldiers_are_dropped(
    text: str, expected: list[tuple[str, str]]
) -> None:
    engine = engine_of(Entity("soldiers", "Russian soldiers", "unit", ("Russian soldiers",)))
    assert found(text, engine) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IRGC: Dr. Ali Soleimani, a dentist", [("irgc", "IRGC")]),
        ("IRGC and the poet Qaani Shirazi", [("irgc", "IRGC")]),
        ("IRGC и Пригожина Анна, и Али Сулеймани", [("irgc", "IRGC")]),
        # titles, own given names (and spellings of them), context terms, sentence starts
        ("IRGC: General Soleimani", [("irgc", "IRGC"), ("soleimani", "Soleimani")]),
        # a civilian title: a doctor, a professor
        ("IRGC: Dr. Soleimani, a cardiologist", [("irgc", "IRGC")]),
        ("IRGC и профессор Сулеймани", [("irgc", "IRGC")]),
        ("IRGC: Doctor Soleimani", [("irgc", "IRGC")]),
        ("IRGC: Gen. Soleimani", [("irgc", "IRGC"), ("soleimani", "Soleimani")]),
        ("IRGC: Esmaeil Qaani", [("irgc", "IRGC"), ("soleimani", "Qaani")]),
        ("IRGC. Yesterday Soleimani", [("irgc", "IRGC"), ("soleimani", "Soleimani")]),
        ("IRGC Soleimani on Monday", [("irgc", "IRGC"), ("soleimani", "Soleimani")]),
        ("Soleimani IRGC", [("soleimani", "Soleimani"), ("irgc", "IRGC")]),
        # a patronymic after the name is the same man's; another surname is another man
        ("КСИР: Сулеймани Ахмедович", [("irgc", "КСИР"), ("soleimani", "Сулеймани")]),
        ("КСИР: Сулеймани Ахмедов", [("irgc", "КСИР")]),
        # a common given name opens the post: another man (or woman) of the name
        ("Зарема Сулеймани стала учителем года", []),
        ("Руслан Сулеймани, тренер по борьбе", []),
        ("Sergei Soleimani runs a cafe", []),
        # a place's name before the surname is no given name, in any of its cases
        (
            "IRGC: для половины Ирана Сулеймани — герой",
            [("irgc", "IRGC"), ("soleimani", "Сулеймани")],
        ),
    ],
)
def test_other_people_with_a_watched_surname_are_dropped(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


def test_group_members_adjectives_and_town_adjectives_are_derived() -> None:
    watchlist = Watchlist(
        entities=(
            Entity("h", "Hezbollah", "organization", ("Хезболла", "Хізбалла", "вагнеровцы")),
            Entity("w", "Wagner", "organization", ("ЧВК Вагнер",), ("Вагнер",), ("найманці",)),
            Entity("f", "Fatemiyoun", "unit", ("فاطميون",), ("فاغنر",), ("سوريا",)),
            Entity("k", "Kursk", "location", ("Курск", "Курськ", "Хомс")),
            Entity("p", "Someone Else", "person", ("Сулейман",)),
            Entity("a", "Apti Alaudinov", "person", ("Алаудинов", "Алаудінов")),
        ),
        version="test",
    )
    # (the phrases for a group's men, of several words, and its name in quotation marks have
    # tests of their own)
    derived = [
        entry
        for entry in matcher_entries(watchlist)[15:]
        if " " not in entry[1] and not entry[1].startswith("«")
    ]
    assert derived == [
        # a foreign name's g in the other letters Arabic script writes it with
        (2, "فاگنر", AMBIGUOUS),
        (2, "فاكنر", AMBIGUOUS),
        (0, "хезболловцы", ALIAS),
        (0, "хезболловский", AMBIGUOUS),
        (0, "хезболлівці", ALIAS),
        (0, "хезболлівський", AMBIGUOUS),
        (0, "хізбаллівці", ALIAS),
        (0, "хізбаллівський", AMBIGUOUS),
        # the member noun of an ambiguous name is the group's alone, its adjective is not;
        # nothing from several words or a common noun
        (1, "вагнеровцы", ALIAS),
        (1, "вагнеровский", AMBIGUOUS),
        # and from a name that ends in a consonant, its plural in -и
        (1, "вагнери", ALIAS),
        (1, "вагнерівці", ALIAS),
        (1, "вагнерівський", AMBIGUOUS),
        # in Arabic script, the members' plurals; from a name that is a plural already, the
        # Persian plural of its members only
        (2, "فاطميها", ALIAS),
        (2, "فاطميهاي", ALIAS),
        (2, "فاغنريون", ALIAS),
        (2, "فاغنريها", ALIAS),
        # a town in -ск, not other places, nor people
        (3, "курский", ALIAS),
        (3, "курський", ALIAS),
        # (Хомс: too short for the adjective of a town, Хомский is a surname)
        # a commander's men, from a surname in -ов (not from Сулейман)
        (5, "алаудиновцы", ALIAS),
        (5, "алаудінівці", ALIAS),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Хезболловцы и хізбаллівці", [("hezbollah", "Хезболловцы"), ("hezbollah", "хізбаллівці")]),
        ("хезболловские ракеты", []),
        (
            "хезболловские ракеты над Ливаном",
            [("hezbollah", "хезболловские"), ("lebanon", "Ливаном")],
        ),
        (
            "в курских сёлах, у курському прикордонні",
            [("kursk", "курских"), ("kursk", "курському")],
        ),
        ("Курский вокзал, у Курского вокзала; Курская дуга; Курська вулиця", []),
        # the adjective of a town in -sk in Latin letters, and not the station
        (
            "Kurskaya oblast and the Kurskiy rayon",
            [("kursk", "Kurskaya"), ("kursk", "Kurskiy")],
        ),
        ("Kursky station, Kursky vokzal", []),
        # the adjective of a town or base, not of a country (its people's), nor of a region
        (
            "С хмеймимской базы; на хмеймімській базі",
            [("hmeimim", "хмеймимской"), ("hmeimim", "хмеймімській")],
        ),
        ("ливанский повар", []),
        ("Хмеймимский район", []),
        # one member of a group in -iyoun, Russian and Ukrainian; Persian plural of members
        (
            "Зейнабийцы и бійці-фатімійці; زینبی‌های پاکستانی",
            [("zainab", "Зейнабийцы"), ("fatemiyoun", "фатімійці"), ("zainab", "زینبی‌های")],
        ),
        # an inflected name in lower case is no common word, even among capitalised names
        ("на курском направлении у Глушково", [("kursk", "курском")]),
    ],
)
def test_derived_words_match(text: str, expected: list[tuple[str, str]]) -> None:
    engine = engine_of(
        Entity("hezbollah", "Hezbollah", "organization", ("Хезболла", "Хізбалла"), (), ("Ливан",)),
        Entity("lebanon", "Lebanon", "location", ("Ливан",)),
        Entity("kursk", "Kursk", "location", ("Курск", "Курськ", "Kursk")),
        Entity("hmeimim", "Hmeimim", "location", ("Хмеймим", "Хмеймім")),
        Entity("zainab", "Zainebiyoun", "unit", ("Зейнабиюн", "زينبيون")),
        Entity("fatemiyoun", "Fatemiyoun", "unit", ("Фатіміюн",)),
    )
    assert found(text, engine) == expected


PLACES = engine_of(
    Entity("mali", "Mali", "location", ("Mali",), ("Мали", "Малі", "مالی"), ("Bamako",)),
    Entity("wagner", "Wagner", "organization", ("ЧВК Вагнер",), ("Вагнер",), ("ЧВК",)),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Переворот в Мали, военные у власти", [("mali", "Мали")]),
        ("В Мали опять перебои", [("mali", "Мали")]),
        ("У Малі знову блекаути, до Малі летять", [("mali", "Малі"), ("mali", "Малі")]),
        ("کودتای تازه در مالی و بحران", [("mali", "مالی")]),
        # Persian "to" and "from" too
        ("اعزام مربیان نظامی به مالی؛ بازگشت از مالی", [("mali", "مالی"), ("mali", "مالی")]),
        (
            "на севере Мали, на північ Малі; شمال مالی",
            [("mali", "Мали"), ("mali", "Малі"), ("mali", "مالی")],
        ),
        # not without the preposition, nor in lower case, nor with more letters after it
        ("Мали в огне", []),
        ("вони мали рацію, а у малі міста не їздили", []),
        ("بحران مالی در مالیات", []),
        # only places: "в Вагнере" is not the group
        ("билеты в Вагнер", []),
        # a place in quotation marks is still something else
        ("кафе в «Мали»", []),
        # في and إلى in Arabic, as the whole word
        ("هجوم على قاعدة عسكرية في مالي", [("mali", "مالي")]),
        ("وصلت تعزيزات إلى مالي", [("mali", "مالي")]),
        ("دعم مالي وفي ماليزيا", []),
    ],
)
def test_a_places_ambiguous_alias_after_a_preposition_of_place_counts(
    text: str, expected: list[tuple[str, str]]
) -> None:
    post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
    entities = PLACES.classify(post)["entities"]
    assert [(e["id"], e["text"]) for e in entities] == expected
    assert all(e["ambiguous"] for e in entities)


def test_a_surname_listed_bare_in_one_script_counts_alone_in_the_others() -> None:
    watchlist = Watchlist(
        entities=(
            Entity(
                "s",
                "Qassem Soleimani",
                "person",
                ("Qassem Soleimani", "Soleimani", "Касем Сулеймани", "قاسم سليماني"),
            ),
        ),
        version="test",
    )
    derived = [(a, role) for _, a, role in matcher_entries(watchlist)][4:]
    assert derived == [("Сулеймани", ALIAS), ("سليماني", ALIAS)]
    engine = Engine(watchlist)

    def texts(text: str) -> list[str]:
        post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
        return [e["text"] for e in engine.classify(post)["entities"]]

    assert texts("Портреты Сулеймани") == ["Сулеймани"]
    assert texts("صور سليماني في بغداد") == ["سليماني"]
    # another person's given name before it, or a place named after a namesake
    assert texts("علي سليماني لاعب ومحمد سليماني وفي السليمانية") == []
    assert texts("Врач Али Сулеймани") == []
    # a civilian title before it is someone else's; a military one is his
    assert texts("عيادة الدكتور سليماني ومطب دکتر سليماني") == []
    assert texts("صور اللواء سليماني") == ["سليماني"]


def test_a_post_with_an_exclude_term_does_not_count_the_entity() -> None:
    watchlist = Watchlist(
        entities=(
            Entity(
                "qaani",
                "Esmail Qaani",
                "person",
                ("Qaani", "Esmail Qaani"),
                exclude=("poet", "Parishan"),
            ),
            Entity("homs", "Homs", "location", ("Homs", "حمص"), exclude=("طحينة", "hummus")),
            Entity("africa", "Africa Corps", "unit", ("Африканский корпус",), exclude=("Роммель",)),
            Entity("irgc", "IRGC", "organization", ("IRGC",)),
        ),
        version="test",
    )
    engine = Engine(watchlist)

    def ids(text: str) -> list[str]:
        post = {"id": "t:1", "source": "t", "text": text, "created_at": ""}
        return [e["id"] for e in engine.classify(post)["entities"]]

    assert ids("Qaani met the IRGC") == ["qaani", "irgc"]
    assert ids("Reading Qaani, the poet, while the IRGC marched") == ["irgc"]
    # a person's full name is theirs, whatever the post says of a namesake
    assert ids("Qaani the poet, and Esmail Qaani in Baghdad") == ["qaani"]
    assert ids("Qaani the poet, and Qaani in Baghdad") == []
    assert ids("Qaani’s Parishan, reread") == []
    assert ids("صحن حمص بطحينة 😋") == []  # with a proclitic, as aliases take them
    assert ids("قصف على حمص") == ["homs"]
    # inflected as aliases are: Роммеля
    assert ids("Африканский корпус Роммеля под Тобруком") == []
    assert ids("Африканский корпус в Мали") == ["africa"]
    # words that only contain a term do not count (poetry is not poet)
    assert ids("Qaani and poetry") == ["qaani"]
    # the media alt text and geotag go through the same filter
    post = {
        "id": "t:1",
        "source": "t",
        "text": "photo",
        "created_at": "",
        "media": [{"type": "image", "alt": "Qaani the poet"}],
    }
    assert engine.classify(post)["entities"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our mali did not come today #Bangalore", []),
        ("wagner group back in mali", [("wagner", "wagner group"), ("mali", "mali")]),
        ("Back in mali. Homs too", [("mali", "mali"), ("homs", "Homs")]),
        ("Homs, then mali, then Lebanon", [("homs", "Homs"), ("lebanon", "Lebanon")]),
        # a link's path is in lower case whatever the writer does
        (
            "Long read on Homs https://example.org/reportage/how-mali-fell/",
            [("homs", "Homs"), ("mali", "mali")],
        ),
    ],
)
def test_a_name_in_lower_case_among_capitalised_names_is_a_common_word(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


def test_a_post_is_read_for_capitalised_names_once_however_many_lower_case_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each lower-case name used to read the whole post again: a long post of them was quadratic.
    reads: list[str] = []
    read = derived._capitalises_names

    def counted(text: str) -> bool:
        reads.append(text)
        return read(text)

    monkeypatch.setattr(derived, "_capitalises_names", counted)
    assert found("So: " + "mali, " * 200 + "and Homs") == [("homs", "Homs")]
    assert len(reads) == 1
    assert found("mali " * 200) == [("mali", "mali")] * 200
    assert len(reads) == 2


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("IRGC: Dr. Ali", 8, "Dr"),
        ("Dr. Ali", 2, "Dr"),
        ("x. Ali", 1, "x"),
        ("7. Ali", 1, ""),
        ("a_b. Ali", 3, "b"),
        (". Ali", 0, ""),
    ],
)
def test_the_letters_behind_a_full_stop(text: str, end: int, expected: str) -> None:
    # Read backwards from the full stop: a search from the start of the post for every match
    # made a long post of "Dr. Ali Soleimani" quadratic.
    assert derived._letters_behind(text, end) == expected


@pytest.mark.parametrize(
    "word",
    ["esmaeil", "ismail", "esmail", "ali", "qassim", "gassem", "soleimani", "a", "q" * 500, "ßö"],
)
def test_the_likeness_of_a_word_to_given_names_is_difflib_ratio(word: str) -> None:
    # The cheap upper bounds in front of the ratio change no answer.
    names = ("esmail", "ismail", "qassem", "qasem", "ghasem", "haj")
    letters = tuple((name, Counter(name)) for name in names)
    expected = any(SequenceMatcher(None, word, name).ratio() >= 0.6 for name in names)
    assert derived._spelling_of_one(word, letters) == expected


def test_every_sentence_start_is_told_from_an_abbreviated_title_in_a_long_post() -> None:
    assert found("Dr. Ali Soleimani. " * 100 + "IRGC") == [("irgc", "IRGC")]
    # "Then" starts a sentence here: capitalised whatever it is, no given name
    expected = [("soleimani", "Soleimani")] * 100 + [("irgc", "IRGC")]
    assert found("Ok. Then Soleimani. " * 100 + "IRGC") == expected
    # but "Ali", a common given name, is one there too
    assert found("Ok. Ali Soleimani. " * 100 + "IRGC") == [("irgc", "IRGC")]


@pytest.mark.parametrize(
    "text",
    [
        "خبر \u200c قاسم سليماني",
        "\u200c قاسم سليماني",
        "ـ قاسم سليماني",
        "خبر \u200c\u200c قاسم سليماني",
    ],
)
def test_a_word_of_invisible_characters_before_a_name_is_no_word(text: str) -> None:
    # A stray ZWNJ or tatweel between spaces, common in Persian typing, once crashed the check
    # for a given name or a head word before the match.
    assert [e for e, _ in found(text)] == ["soleimani"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place or group inside a longer handle names the account
        ("Menu of the week via @HomsCatering", []),
        ("pics via @lebanon_travels and @hezbollah_watch", []),
        ("Shelling in Homs, via @HomsNews24", [("homs", "Homs")]),
        # the whole handle, and a person's name in a handle, count
        ("statement from @Hezbollah today", [("hezbollah", "Hezbollah")]),
        ("@Qassem_Soleimani and the IRGC", [("soleimani", "Qassem_Soleimani"), ("irgc", "IRGC")]),
        ("IRGC video by @Soleimani_fan", [("irgc", "IRGC"), ("soleimani", "Soleimani")]),
        # ... but not with another's given name: a namesake's account
        ("IRGC? lol @soleimani_sara your cat pics", [("irgc", "IRGC")]),
        # a hashtag is no handle
        ("#HomsUnderFire", [("homs", "Homs")]),
    ],
)
def test_a_place_or_group_inside_a_longer_handle_is_the_account(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


def handle_parts_read_per_match(text: str, matches: list[Match]) -> list[Match]:
    """The rule of `drop_handle_parts` as it reads, each match on its own (quadratic)."""

    def in_handle(ch: str) -> bool:
        return ch.isalnum() or ch in "_\u200c"

    out = []
    for m in matches:
        start, end = m.start, m.end
        while start > 0 and in_handle(text[start - 1]):
            start -= 1
        while end < len(text) and in_handle(text[end]):
            end += 1
        at = start > 0 and text[start - 1] == "@" and (start < 2 or not text[start - 2].isalnum())
        if not at or (start, end) == (m.start, m.end):
            out.append(m)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "@x" + "Homs" * 300,
        "@x_" + "Homs_" * 100 + " Homs @Homs @Homs_x x@Homs Homs",
        "@Homs" * 20 + " " + "@HomsHomsHomsHomsHoms" + " @Lebanon_Homs Homs",
        "@HomsHomsHomsHomsHoms@HomsHoms Homs_Homs @x\u200cHomsHomsHoms",
    ],
)
def test_names_in_long_handles_are_dropped_as_each_would_be_alone(text: str) -> None:
    # The run of handle characters is read back once for all the names in it, not per name.
    matches = ENGINE.matcher.find(text)
    kinds = ENGINE._kinds
    assert derived.drop_handle_parts(text, matches, kinds) == handle_parts_read_per_match(
        text, matches
    )
    assert ENGINE.find("@x" + "Homs" * 300) == []


EXCLUDING = Watchlist(
    entities=(
        Entity(
            "vdv",
            "Russian Airborne Forces",
            "unit",
            ("VDV", "Russian paratroopers"),
            ("paratroopers",),
            ("Kursk",),
            exclude=("Ukrainian paratroopers",),
        ),
        Entity(
            "homs",
            "Homs",
            "location",
            ("Homs", "Hims", "حمص", "Хомс"),
            exclude=("hummus", "Hims & Hers", "فلافل", "хумус"),
        ),
        Entity(
            "qaani",
            "Esmail Qaani",
            "person",
            ("Esmail Qaani", "Qaani"),
            exclude=("poet",),
        ),
        Entity(
            "africa",
            "Africa Corps",
            "unit",
            ("Africa Corps", "Russian Africa Corps"),
            ("Afrika Korps",),
            ("Russian",),
            exclude=("Rommel",),
        ),
        Entity("irgc", "IRGC", "organization", ("IRGC", "Pasdaran"), exclude=("Pasdaran Avenue",)),
        Entity(
            "wagner",
            "Wagner Group",
            "organization",
            ("ЧВК Вагнер",),
            ("Вагнер", "оркестр"),
            ("ЧВК", "Мали", "Бамако"),
            exclude=("Валькирия", "увертюру"),
        ),
        Entity(
            "kpa",
            "Korean People's Army",
            "organization",
            ("North Korean troops", "KPA"),
            exclude=("South Korean",),
        ),
    ),
    version="test",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a term around a match: that match's other sense, the entity's other names stay
        ("Ukrainian paratroopers hit VDV positions near Kursk", [("vdv", "VDV")]),
        ("Ukrainian paratroopers near Kursk", []),
        ("Hims & Hers ads everywhere, and shelling in Homs", [("homs", "Homs")]),
        # a term elsewhere: what the whole post is about
        ("hummus from Homs is the best", []),
        ("the poet Qaani wrote it", []),
        # but a person's full name is theirs
        ("Esmail Qaani quoted a poet", [("qaani", "Esmail Qaani")]),
        # and a place named right after a preposition of place is where the post is
        ("مطعم فلافل في حمص يقدم أطيب حمص في المدينة", [("homs", "حمص")]),
        ("فلافل جدتي من ريف حمص", [("homs", "حمص")]),
        ("Лучший хумус в Хомсе, и хумус Хомса", [("homs", "Хомсе")]),
        # a term right beside a match (a possessive between) is that match's sense alone
        (
            "Rommel's Afrika Korps gets the films; the Russian Africa Corps is in Mali now",
            [("africa", "Russian Africa Corps")],
        ),
        ("Rommel and the Africa Corps at Tobruk", []),
        # and so is a term around a match a namesake rule dropped first (the street)
        ("Pasdaran Avenue closed for the IRGC funeral", [("irgc", "IRGC")]),
        # a name with one of the entity's context terms in it says which sense it is
        ("ЧВК Вагнер в Мали, а в театре Вагнер, «Валькирия»", [("wagner", "ЧВК Вагнер")]),
        ("В Мали гастроли: Вагнер, «Валькирия»", []),
        # and so does one that sets its first word against the term's before the same word
        (
            "South Korean army drills near the DMZ as North Korean troops arrive in Kursk",
            [("kpa", "North Korean troops")],
        ),
        ("South Korean army drills, KPA observers invited", []),
        # "separately", in Russian and Ukrainian, sets two senses apart too
        ("Вагнер в Мали; окремо — «Валькирия»", [("wagner", "Вагнер")]),
        # a term beside one match rules out the entity's ambiguous aliases elsewhere too
        ("В Бамако оркестр исполнил увертюру Вагнера", []),
        # unless the post sets them apart
        ("Увертюру Вагнера сыграли в Бамако, но оркестр снова в Мали", [("wagner", "оркестр")]),
    ],
)
def test_exclude_terms_rule_out_the_sense_they_cover_or_the_whole_post(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, Engine(EXCLUDING)) == expected


PARENTS = Watchlist(
    entities=(
        Entity("irgc", "IRGC", "organization", ("IRGC", "سپاه")),
        Entity("qf", "Quds Force", "unit", ("IRGC-QF", "Quds Force", "سپاه قدس")),
    ),
    version="test",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the parent at the head of a hyphenated alias is named in its own right
        ("IRGC-QF front companies", [("qf", "IRGC-QF"), ("irgc", "IRGC")]),
        ("IRGC\u2011QF cash", [("qf", "IRGC\u2011QF"), ("irgc", "IRGC")]),
        ("the Quds Force", [("qf", "Quds Force")]),
        # a word of the unit's name is not
        ("فرمانده سپاه قدس", [("qf", "سپاه قدس")]),
    ],
)
def test_a_parent_at_the_head_of_a_hyphenated_alias_is_matched_too(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text, Engine(PARENTS)) == expected


def test_a_groups_latin_acronym_is_derived_as_persian_spells_it_letter_by_letter() -> None:
    vdv = Entity("vdv", "Russian Airborne Forces", "unit", ("VDV", "ВДВ", "Russian paratroopers"))
    kursk = Entity("kursk", "Kursk", "location", ("Kursk", "KRSK"))
    derived = matcher_entries(Watchlist(entities=(vdv, kursk), version="test"))[5:]
    # from a group's Latin acronym only: not a Cyrillic one, a place's, or a name of words
    spelled = [(i, a, role) for i, a, role in derived if a[:1] >= "\u0600"]
    assert spelled == [
        (0, "وی\u200cدی\u200cوی", ALIAS),
        (0, "وی دی وی", ALIAS),
        (0, "في دي في", ALIAS),  # and as Arabic names the letters
    ]
    engine = engine_of(vdv)
    assert found("یگان‌های وی‌دی‌وی روسیه در جنوب اوکراین", engine) == [("vdv", "وی‌دی‌وی")]
    assert found("وی دی وی در کورسک", engine) == [("vdv", "وی دی وی")]
    assert found("وحدات الفي دي في في كورسك", engine) == [("vdv", "في دي في")]
    # the letters written together, or joined by ZWNJ elsewhere, are "the video of"
    assert found("ویدیوی جدید از روسیه", engine) == []
    assert found("ویدیو\u200cی جدید از روسیه", engine) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quds guys are back in Baghdad shuttling between the factions", [("qf", "Quds guys")]),
        ("Люди Кудса снова в Ираке", [("qf", "Люди Кудса")]),
        ("Люди з Кудсу знову в Бейруті", [("qf", "Люди з Кудсу")]),
        ("شباب فاغنر رجعوا", [("w", "شباب فاغنر")]),
        # in Arabic its soldiers, whatever its name
        ("الجنود الكوريين الشماليين بيتعلموا بسرعة", [("kpa", "الجنود الكوريين الشماليين")]),
        # the name alone needs its context; a common noun's "boys" may play in an orchestra
        ("Quds is Jerusalem in Arabic", []),
        ("the orchestra boys played Mahler", []),
        # and a place has no "guys"
        ("the Homs guys", []),
    ],
)
def test_a_groups_ambiguous_name_with_a_word_for_its_men_counts_on_its_own(
    text: str, expected: list[tuple[str, str]]
) -> None:
    engine = engine_of(
        Entity("qf", "Quds Force", "unit", ("Quds Force",), ("Quds", "Кудс"), ("IRGC",)),
        Entity("w", "Wagner", "organization", ("ЧВК Вагнер",), ("فاغنر", "orchestra"), ("ЧВК",)),
        Entity("homs", "Homs", "location", ("Hims",), ("Homs",), ("Syria",)),
        Entity("kpa", "KPA", "organization", ("KPA",), ("الكوريين الشماليين",), ("كورسك",)),
    )
    assert found(text, engine) == expected


def test_an_exclude_term_after_a_match_with_vowel_marks_is_beside_it() -> None:
    engine = engine_of(
        Entity("h", "Hezbollah", "organization", ("حزب الله",), exclude=("هم الغالبون",))
    )
    verse = "﴿فَإِنَّ حِزْبَ اللَّهِ هُمُ الْغَالِبُونَ﴾"
    # the verse's "party of God" is the verse's; the party named after it stays
    assert found(verse + " يرددها مقاتلو حزب الله في لبنان", engine) == [("h", "حزب الله")]
    assert found(verse, engine) == []


def test_a_groups_cyrillic_ambiguous_name_in_quotation_marks_is_derived_in_its_cases() -> None:
    watchlist = Watchlist(
        entities=(
            Entity("q", "Quds Force", "unit", ("Силы Кудс",), ("Кудс",), ("КСИР",)),
            Entity("h", "Hezbollah", "organization", ("حزب الله",), ("Хизбалла",), ("Ливан",)),
            Entity("k", "Kursk", "location", ("Kursk",), ("Курск",), ("Россия",)),
        ),
        version="test",
    )
    quoted = [(i, a) for i, a, role in matcher_entries(watchlist) if a.startswith("«")]
    assert quoted[:3] == [(0, "«Кудс»"), (0, "«Кудса»"), (0, "«Кудсу»")]
    assert (1, "«Хизбаллы»") in quoted
    assert (1, "«Хизбалла»") in quoted
    assert not [a for i, a in quoted if i == 2]  # a city's name is not quoted


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("قاءاني ظهر بمقطع جديد", True),  # the hamza on the line, then the alef
        ("قائانی کجاست؟", True),  # on its seat
        ("اسماعيل قائاني في حلب", True),
        ("قاآنی", True),
        ("قانی", False),
    ],
)
def test_a_madda_inside_an_alias_matches_the_hamza_and_alef_it_stands_for(
    text: str, found: bool
) -> None:
    qaani = Entity("qaani", "Esmail Qaani", "person", ("قاآنی", "اسماعیل قاآنی"))
    engine = Engine(Watchlist(entities=(qaani,), version="t"))
    assert bool(engine.find(text)) is found
    assert derived._hamza_forms("آپتی") == []  # a madda that opens a word is its first letter


def test_the_madda_forms_keep_the_aliases_role() -> None:
    qaani = Entity("qaani", "Esmail Qaani", "person", ("Qaani",), ("قاآنی",), ("IRGC",))
    entries = matcher_entries(Watchlist(entities=(qaani,), version="t"))
    assert (0, "قاءانی", AMBIGUOUS) in entries
    assert (0, "قائانی", AMBIGUOUS) in entries


def test_a_names_plural_in_i_in_lower_case_is_a_common_nouns() -> None:
    damascus = Entity("damascus", "Damascus", "location", ("Дамаск",))
    hezbollah = Entity("hezbollah", "Hezbollah", "organization", ("Хезболлах",))
    engine = Engine(Watchlist(entities=(damascus, hezbollah), version="t"))
    # damask curtains, by a writer who capitalises names
    assert engine.find("Купила новые дамаски на окна в гостиную, Маша посоветовала") == []
    assert [m.entity for m in engine.find("Хезболлахи опять грозят, пишет Маша")] == [1]


def test_a_persian_name_with_the_colloquial_ye_of_a_hardliner_is_not_the_group() -> None:
    engine = engine_of(Entity("hezbollah", "Hezbollah", "organization", ("حزب‌الله",)))
    # حزب‌اللهیه: "he is a hezbollahi", an Iranian hardliner
    assert found("همسایه‌مون حزب‌اللهیه، هر شب میاد تذکر حجاب میده", engine) == []
    assert found("نیروهای حزب‌الله در جنوب", engine) == [("hezbollah", "حزب‌الله")]


@pytest.mark.parametrize(
    ("text", "found_"),
    [
        ("چتربازای روس دوباره تو خبرها", True),  # the spoken plural
        ("چتربازهای روس در کورسک", True),  # in -های with the ezafe
        ("چترباز\u200cهای روس در کورسک", True),
        ("چتربازان روس", True),
        ("چترباز روس", False),  # one of them is not the plural's phrase
    ],
)
def test_a_persian_alias_in_a_plural_matches_its_other_plurals(text: str, found_: bool) -> None:
    vdv = Entity("vdv", "Russian Airborne Forces", "unit", ("چتربازان روس",))
    assert bool(engine_of(vdv).find(text)) is found_


def test_the_other_plurals_are_made_for_persian_aliases_only() -> None:
    assert derived._persian_plurals("نیروهای کره شمالی") == ["نیروان کره شمالی", "نیروای کره شمالی"]
    # an Arabic alias is left as it is, and so is a Persian one whose first word is no plural
    arabic = Entity("x", "X", "other", ("قوات المظلات الروسية", "گروه واگنر"))
    entries = matcher_entries(Watchlist(entities=(arabic,), version="t"))
    assert [a for _, a, _ in entries] == ["قوات المظلات الروسية", "گروه واگنر"]


def test_other_words_for_soldiers_stand_for_the_one_in_a_groups_name() -> None:
    assert set(derived._other_soldiers("North Korean troops")) >= {
        "North Korean army",
        "North Korean military",
        "North Korean special forces",
    }
    assert "армия КНДР" in derived._other_soldiers("войска КНДР")
    assert "جيش كوريا الشمالية" in derived._other_soldiers("جنود كوريا الشمالية")
    assert "ارتش کره شمالی" in derived._other_soldiers("سربازان کره شمالی")
    assert derived._other_soldiers("Wagner Group") == []


def test_a_place_name_in_its_cases_is_no_given_name() -> None:
    for word in ("Ирана", "Ираном", "Сирии", "Ливане", "Iran"):
        assert derived._place_word(fold(word)), word
    for word in ("Ирина", "Хамид", "Руслан", "Ahmad"):
        assert not derived._place_word(fold(word)), word


def test_a_post_that_opens_in_lower_case_keeps_its_lower_case_names() -> None:
    engine = engine_of(Entity("hezbollah", "Hezbollah", "organization", ("Hezbollah",)))
    # written as it comes: a name in lower case is still the name
    text = "hezbollah flags all over the airport road again, Beirut never changes"
    assert found(text, engine) == [("hezbollah", "hezbollah")]
    # a writer who capitalises the post's start and the names in it: the common word
    assert found("Our hezbollah flags, says Beirut", engine) == []
    # (a reply's handles and a share's link before the post's first word do not count)
    assert found("@someone https://t.co/x Our hezbollah flags, says Beirut", engine) == []


def test_an_ambiguous_group_name_with_a_word_for_soldiers_stays_ambiguous_in_the_others() -> None:
    kpa = Entity(
        "kpa", "Korean People's Army", "organization", ("KPA",), ("корейские военные",), ("Курск",)
    )
    entries = matcher_entries(Watchlist(entities=(kpa,), version="t"))
    assert (0, "корейские бойцы", AMBIGUOUS) in entries
    assert found("Корейские бойцы под Курском", engine_of(kpa)) == [("kpa", "Корейские бойцы")]
    assert found("Корейские бойцы на параде", engine_of(kpa)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("لبنان يستقبل وفداً سورياً في بيروت", [("lebanon", "لبنان")]),  # the tanween after
        ("وفدًا سوريًا في لبنان", [("lebanon", "لبنان")]),  # and on the letter before the alef
        ("وصل وفد إلى سوريا", [("syria", "سوريا")]),
    ],
)
def test_a_place_name_with_nunation_is_the_adjective(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(text) == expected


def test_an_ordinal_before_another_things_noun_is_that_things_number() -> None:
    engine = engine_of(
        Entity(
            "76th",
            "76th Guards Air Assault Division",
            "unit",
            ("76-я ДШД", "76th Guards Air Assault Division"),
            ("76-я", "76-та", "76th"),
            ("Псков", "Pskov", "Курськ"),
        )
    )
    # a school, a minute of a match, a bus: another thing's number
    for text in (
        "76-я школа Пскова выиграла олимпиаду",
        "76-та хвилина матчу в Курську",
        "Pskov derby: the 76th minute changed everything",
        # a model's number hyphened to it: the transport aircraft, not the division
        "Ил-76 из Пскова снова сел в Курську",
        "IL-76 out of Pskov again",
    ):
        assert found(text, engine) == [], text
    # the division's own nickname stays
    assert found("76-я в Пскове снова на учениях", engine) == [("76th", "76-я")]
    assert found("На 76-й минуте новость: 76-я ДШД в Пскове", engine) == [("76th", "76-я ДШД")]


def test_member_nouns_of_a_cyrillic_acronym_and_the_letters_of_a_foreign_g() -> None:
    engine = engine_of(
        Entity("irgc", "IRGC", "organization", ("КВІР", "КСИР")),
        Entity("wagner", "Wagner Group", "organization", ("فاغنر", "واگنر")),
        Entity("baghdad", "Baghdad", "location", ("بغداد",)),
    )
    assert found("У Дамаску знайшли архів КВІРівців", engine) == [("irgc", "КВІРівців")]
    assert found("ксировцы в Сирии", engine) == [("irgc", "ксировцы")]
    assert found("عناصر فاكنر شوهدوا", engine) == [("wagner", "فاكنر")]
    assert found("نیروهای فاغنر", engine) == [("wagner", "فاغنر")]
    # a Persian alias of several words with the ezafe written as ی after ه
    kpa = engine_of(Entity("kpa", "KPA", "unit", ("نیروهای کره شمالی",)))
    assert found("نیروهای کره\u200cی شمالی در کورسک", kpa) == [("kpa", "نیروهای کره\u200cی شمالی")]
    assert found("نیروهای کرهٔ شمالی در کورسک", kpa) == [("kpa", "نیروهای کرهٔ شمالی")]
    # ة before a pronoun is written ت ("our Syria")
    syria = engine_of(Entity("syria", "Syria", "location", ("سورية",)))
    assert found("سوريتنا رح ترجع أحلى من قبل", syria) == [("syria", "سوريت")]
    # a Persian verb's ending written on the name ("in Baghdad they are")
    assert found("نیروها هنوز در بغداد\u200cاند", engine) == [("baghdad", "بغداد")]
    assert (1, "فاكنر", ALIAS) in matcher_entries(engine.watchlist)
    # A place keeps its own Arabic name, and a name of several words its other words.
    entries = matcher_entries(
        Watchlist(
            entities=(
                Entity("baghdad", "Baghdad", "location", ("بغداد",)),
                Entity("wagner", "Wagner Group", "organization", ("گروه واگنر",)),
            ),
            version="t",
        )
    )
    assert [a for _, a, _ in entries] == ["بغداد", "گروه واگنر"]
