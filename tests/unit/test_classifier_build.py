"""The engine's build against a reference build: the same automaton keys with the same value
each (length, patterns in order, Arabic flag, trigger bits), the same automaton hits, and the
same matches and scored posts, on a watchlist that has every kind of spelling the build
handles (five scripts, hyphens, Ukrainian letters, ordinals, ambiguous aliases, context terms,
context terms naming another entity, exclude terms, derived surnames), on the demo watchlist
and on a generated one in no particular order.

The reference is the build as it was written first: every alias through `compile_keys` with
the Python reference of `fold`, one list of patterns per key in the order met, the keys in the
order met (the listed spellings, then the other transliterations that are neither a listed key
nor a common word), and the exclude terms and ambiguous place aliases compiled once for their
matchers and once more for their keys. And the service's loader: its engine comes out of the
collector's reach with no collection on the way."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from services.classifier import matching
from services.classifier.claims import trigger_phrases
from services.classifier.derived import (
    ANIMAL_TRIGGERS,
    EXCLUDE_BIT,
    HEAD_TRIGGERS,
    PLACE_BIT,
    matcher_entries,
    place_entries,
)
from services.classifier.engine import Engine, _place_keys
from services.classifier.matching import (
    ALIAS,
    AMBIGUOUS,
    CONTEXT,
    Matcher,
    Pattern,
    Value,
    compile_alias,
    compile_keys,
    compile_table,
)
from services.classifier.service import frozen_engine, load_engine
from services.classifier.text import normalize, normalize_py
from services.classifier.typos import Typos, anchors_of, long_names
from services.classifier.watchlist import COMMON_WORDS, Entity, Watchlist, load_watchlist

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

VARIED = Watchlist(
    entities=(
        Entity(
            "soleimani",
            "Qassem Soleimani",
            "person",
            ("Qassem Soleimani", "Soleimani", "Касем Сулеймани", "قاسم سليماني", "قاسم سلیمانی"),
            context=("IRGC", "Quds Force", "سپاه"),
        ),
        Entity(
            "qaani",
            "Esmail Qaani",
            "person",
            ("Esmail Qaani", "Исмаил Каани", "إسماعيل قاآني", "اسماعیل قاآنی"),
            ambiguous_aliases=("Qaani", "Каани"),
            context=("Quds Force", "Сил Кудс", "IRGC"),
            exclude=("Qa'ani Shirazi", "Каани Ширази"),
        ),
        Entity(
            "prigozhin",
            "Yevgeny Prigozhin",
            "person",
            ("Yevgeny Prigozhin", "Евгений Пригожин", "Євген Пригожин", "#Prigozhin"),
            context=("Wagner",),
        ),
        Entity(
            "wagner",
            "Wagner Group",
            "organization",
            ("Wagner Group", "ЧВК Вагнер", "ПВК Вагнер", "فاغنر", "واگنر", "@wagner_group"),
            ambiguous_aliases=("Wagner", "Вагнер"),
            context=("PMC", "ЧВК", "Prigozhin", "Africa Corps"),
            exclude=("Richard Wagner", "opera"),
        ),
        Entity(
            "hezbollah",
            "Hezbollah",
            "organization",
            ("Hezbollah", "Hizbullah", "Хезболла", "Хізбалла", "حزب الله", "حزب‌الله"),
            exclude=("Kataib Hezbollah", "كتائب حزب الله"),
        ),
        Entity(
            "fatemiyoun",
            "Fatemiyoun Division",
            "unit",
            ("Fatemiyoun", "Liwa Fatemiyoun", "الفاطميون", "لشکر فاطمیون", "Фатемиюн"),
        ),
        Entity(
            "vdv76",
            "76th Guards Air Assault Division",
            "unit",
            ("76th Guards Air Assault Division", "76-я ДШД", "76-та десантно-штурмова дивізія"),
            ambiguous_aliases=("Pskov division",),
            context=("VDV", "ВДВ", "Псков"),
        ),
        Entity(
            "deir",
            "Deir ez-Zor",
            "location",
            ("Deir ez-Zor", "Deir Ezzor", "Дейр-эз-Зор", "دير الزور", "دیرالزور"),
        ),
        Entity(
            "kharkiv",
            "Kharkiv",
            "location",
            ("Kharkiv", "Kharkov", "Харків", "Харьков", "خاركيف", "خارکیف"),
            exclude=("Kharkiv Tractor Plant",),
        ),
        Entity(
            "homs",
            "Homs",
            "location",
            ("Homs", "Хомс", "حمص"),
            exclude=("hummus", "حمص بطحينة"),
            tags=("syria",),
        ),
        Entity(
            "mali",
            "Mali",
            "location",
            ("Mali", "مالي"),
            ambiguous_aliases=("Мали", "Малі", "مالی"),
            context=("Wagner", "Bamako"),
            weight=0.5,
        ),
        Entity(
            "ivanov",
            "Ivan Ivanov",
            "person",
            ("Ivan Ivanov", "Иван Иванов", "Іван Іванов", "General Ivanov"),
            context=("minister",),
        ),
        Entity(
            "namesake",
            "Ali Soleimani",
            "person",
            ("Ali Soleimani", "علی سلیمانی"),
            ambiguous_aliases=("Soleimani",),
            context=("football",),
        ),
        Entity(
            "kursk",
            "Kursk",
            "location",
            ("Kursk", "Курск", "Курська область", "كورسك"),
        ),
        Entity(
            "sepah",
            "IRGC",
            "organization",
            ("IRGC", "Islamic Revolutionary Guard Corps", "سپاه پاسداران", "الحرس الثوري"),
        ),
        Entity(
            "pollice",
            "Marco Pollice",
            "person",
            ("Marco Pollice",),
            ambiguous_aliases=("Pollice",),
            context=("Naples",),
        ),
    ),
    version="varied",
)

# Ways the texts change a watched spelling: case forms, hashtags, clitics, run-together names.
ENDINGS = ("", "а", "у", "ом", "е", "ы", "ів", "ою", "ии", "ой", "ая")
AR_PREFIXES = ("", "و", "ب", "لل", "وال")
FILLER = (
    "reports say",
    "сегодня в",
    "за даними джерел",
    "في مدينة",
    "گزارش‌ها از",
    "the",
    "near",
    "с",
    "и",
    "di",
    "Dr. Ali",
    "the submarine",
    "Aleppo pepper",
    "«",
    "»",
    ",",
    ".",
    "Bank",
    "Pennsylvania",
    "в",
    "У",
    "در",
    "на севере",
    "police",
)


def reference_fold(text: str) -> str:
    return " ".join(normalize_py(text).norm.split())


COMMON = frozenset(reference_fold(w) for w in COMMON_WORDS)


def reference_table(
    entries: Iterable[tuple[int, str, int]], triggers: Iterable[tuple[str, int]] = ()
) -> dict[str, Value]:
    """Key -> value as the build first made them, in the order met."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matching, "fold", reference_fold)
        by_key: dict[str, list[Pattern]] = {}
        arabic_keys: set[str] = set()
        bits: dict[str, int] = {}
        for phrase, bit in triggers:
            for key in matching._trigger_keys(phrase):
                bits[key] = bits.get(key, 0) | bit
                by_key.setdefault(key, [])
        variants: list[tuple[str, Pattern]] = []
        for entity, alias, role in entries:
            listed, other = compile_keys(alias, entity, role)
            variants.extend(other)
            for key, pattern in listed:
                patterns = by_key.get(key)
                if patterns is None:
                    by_key[key] = [pattern]
                elif pattern not in patterns:
                    patterns.append(pattern)
                if pattern.arabic:
                    arabic_keys.add(key)
        extra: dict[str, list[Pattern]] = {}
        for key, pattern in variants:
            if by_key.get(key) or key in COMMON:
                continue
            patterns = extra.get(key)
            if patterns is None:
                extra[key] = [pattern]
            elif pattern not in patterns:
                patterns.append(pattern)
        for key, patterns in extra.items():
            by_key.setdefault(key, []).extend(patterns)
    return {k: (len(k), tuple(p), k in arabic_keys, bits.get(k, 0)) for k, p in by_key.items()}


def excludes_of(watchlist: Watchlist) -> list[tuple[int, str, int]]:
    return [(i, term, ALIAS) for i, e in enumerate(watchlist.entities) for term in e.exclude]


def triggers_of(watchlist: Watchlist) -> tuple[tuple[str, int], ...]:
    """The main matcher's triggers: claim words, head words, words for animals, every key of
    the exclude terms and of the ambiguous place aliases (the variants a matcher drops too),
    and the anchors of long names."""
    excludes = excludes_of(watchlist)
    exclude_keys = {k for i, term, role in excludes for k, _ in compile_alias(term, i, role)}
    places = place_entries(watchlist)
    place_keys = {k for i, alias, role in places for k in _place_keys(alias, i, role)}
    return (
        *trigger_phrases(),
        *HEAD_TRIGGERS,
        *ANIMAL_TRIGGERS,
        *((key, EXCLUDE_BIT) for key in sorted(exclude_keys)),
        *((key, PLACE_BIT) for key in sorted(place_keys)),
        *Typos(matcher_entries(watchlist)).anchors(),
    )


def reference_tables(
    watchlist: Watchlist,
) -> tuple[dict[str, Value], dict[str, Value], dict[str, Value]]:
    """The reference engine's main, exclude-term and place tables."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(matching, "fold", reference_fold)
        triggers = triggers_of(watchlist)
    return (
        reference_table(matcher_entries(watchlist), triggers),
        reference_table(excludes_of(watchlist)),
        reference_table(place_entries(watchlist)),
    )


def from_reference(table: dict[str, Value]) -> Matcher | None:
    return Matcher.from_table(list(table), list(table.values())) if table else None


def reference_engine(watchlist: Watchlist) -> Engine:
    """An engine whose matchers are built from the reference tables, keys in the order met."""
    engine = Engine(watchlist)
    main, exclusions, places = reference_tables(watchlist)
    matcher = from_reference(main)
    assert matcher is not None
    engine.matcher = matcher
    engine._scan = matcher.scan
    engine._exclusions = from_reference(exclusions)
    engine._places = from_reference(places)
    return engine


def new_tables(watchlist: Watchlist) -> tuple[tuple[list[str], list[Value]], ...]:
    """The tables the engine builds from, as the engine makes them."""
    return (
        compile_table(matcher_entries(watchlist), triggers_of(watchlist)),
        compile_table(excludes_of(watchlist)),
        compile_table(place_entries(watchlist)),
    )


def generated(n_aliases: int, seed: int = 3) -> Watchlist:
    """The benchmark's kind of watchlist, in no particular order."""
    rng = random.Random(seed)
    syllables = (
        ["ka", "ri", "mo", "sa", "le", "ni", "do", "va", "tor", "gan", "bel", "mir", "zak"],
        ["ка", "ри", "мо", "са", "ле", "ни", "до", "ва", "тор", "ган", "бел", "мир", "зак"],
        ["قا", "ري", "مو", "سا", "لي", "ني", "دو", "وا", "تور", "غا", "بل", "مير", "زا"],
    )  # fmt: skip
    aliases: set[str] = set()
    while len(aliases) < n_aliases:
        syl = rng.choice(syllables)
        words = [
            "".join(rng.choice(syl) for _ in range(rng.randint(2, 4)))
            for _ in range(rng.choice((1, 2, 2, 3)))
        ]
        aliases.add(" ".join(w.capitalize() for w in words))
    listed = sorted(aliases)
    rng.shuffle(listed)
    kinds = ("person", "organization", "unit", "location", "other")
    return Watchlist(
        entities=tuple(
            Entity(f"e{i}", listed[i * 4], kinds[i % 5], tuple(listed[i * 4 : i * 4 + 4]))
            for i in range(n_aliases // 4)
        ),
        version=f"generated-{n_aliases}",
    )


def spellings(watchlist: Watchlist) -> list[str]:
    return [
        term
        for e in watchlist.entities
        for term in (*e.aliases, *e.ambiguous_aliases, *e.context, *e.exclude)
    ]


def texts_for(watchlist: Watchlist, n: int, seed: int = 5) -> Iterator[str]:
    """Posts made of the watchlist's spellings, changed the ways posts change them, among
    filler words: several spellings each, so that ambiguous aliases meet their context terms,
    exclude terms meet their entity's names and names overlap."""
    rng = random.Random(seed)
    terms = spellings(watchlist)
    for _ in range(n):
        pieces = []
        for _ in range(rng.randint(1, 6)):
            term = rng.choice(terms)
            shape = rng.random()
            if shape < 0.2:
                term = "#" + "".join(w[:1].upper() + w[1:] for w in term.split())
            elif shape < 0.45:
                term += rng.choice(ENDINGS)
            elif shape < 0.6:
                term = rng.choice(AR_PREFIXES) + term
            elif shape < 0.7:
                term = term.lower()
            pieces.append(term)
            pieces.extend(rng.sample(FILLER, rng.randint(0, 2)))
        yield " ".join(pieces)


def corpus() -> list[str]:
    texts: list[str] = []
    for path in sorted(DATA.glob("entities_*.jsonl")):
        texts += [orjson.loads(x)["text"] for x in path.read_bytes().splitlines() if x.strip()]
    return texts


DEMO = load_watchlist(ROOT / "examples" / "watchlist.yaml")
GENERATED = generated(4000)
CASES = {
    "varied": (VARIED, list(texts_for(VARIED, 1500))),
    "demo": (DEMO, corpus() + list(texts_for(DEMO, 500))),
    "generated": (GENERATED, list(texts_for(GENERATED, 600))),
}


def post(text: str) -> dict[str, Any]:
    return {"id": "x:1", "source": "x", "text": text, "created_at": "2026-11-20T08:00:00Z"}


def test_the_varied_watchlist_has_what_it_is_meant_to_cover() -> None:
    """Derived surnames both ways, a context term naming another entity, exclude terms,
    ambiguous place aliases, and variants the build drops (a listed key, a common word)."""
    entries = matcher_entries(VARIED)
    own = {(i, a) for i, e in enumerate(VARIED.entities) for a in (*e.aliases, *e.context)}
    derived = [(i, a, role) for i, a, role in entries if (i, a) not in own]
    assert {role for _, _, role in derived} == {ALIAS, AMBIGUOUS, CONTEXT}
    assert excludes_of(VARIED)
    assert place_entries(VARIED)
    listed = {k for i, a, role in entries for k, _ in compile_keys(a, i, role)[0]}
    variants = {k for i, a, role in entries for k, _ in compile_keys(a, i, role)[1]}
    assert variants & listed
    assert variants & COMMON
    assert len(CASES["varied"][1]) == 1500


@pytest.mark.parametrize("case", CASES)
def test_keys_and_values_equal_the_reference(case: str) -> None:
    watchlist, _ = CASES[case]
    tables = new_tables(watchlist)
    for (keys, values), reference in zip(tables, reference_tables(watchlist), strict=True):
        assert len(set(keys)) == len(keys)
        assert dict(zip(keys, values, strict=True)) == reference
    engine = Engine(watchlist)
    assert engine.matcher._values == tables[0][1]
    assert engine.matcher.keys == len(tables[0][0])


def test_keys_are_grouped_by_their_first_two_characters() -> None:
    (keys, _), *_ = new_tables(GENERATED)
    prefixes = [k[:2] for k in keys]
    runs = [p for n, p in enumerate(prefixes) if n == 0 or prefixes[n - 1] != p]
    assert runs == sorted(set(prefixes))


@pytest.mark.parametrize("case", CASES)
def test_automaton_hits_equal_the_reference(case: str) -> None:
    watchlist, texts = CASES[case]
    (keys, values), *_ = new_tables(watchlist)
    engine = Engine(watchlist)
    assert engine.matcher._values == values
    main, *_ = reference_tables(watchlist)
    reference_keys = list(main)
    automaton = engine.matcher._automaton
    reference = Matcher.from_table(reference_keys, list(main.values()))._automaton
    assert automaton is not None
    assert reference is not None
    hits = 0
    for text in texts:
        norm = normalize(text).norm
        new = automaton.hits(norm)
        old = reference.hits(norm)
        assert sorted((keys[k], s, e) for k, s, e in new) == sorted(
            (reference_keys[k], s, e) for k, s, e in old
        ), text
        hits += len(new)
    assert hits > len(texts)


@pytest.mark.parametrize("case", CASES)
def test_matches_and_scored_posts_equal_the_reference(case: str) -> None:
    watchlist, texts = CASES[case]
    engine, reference = Engine(watchlist), reference_engine(watchlist)
    matched = excluded = ambiguous = 0
    for text in texts:
        found = engine.find(text)
        assert found == reference.find(text), text
        assert engine.matcher.scan(text) == reference.matcher.scan(text), text
        assert engine.matcher.find_py(text) == reference.matcher.find_py(text), text
        assert engine.classify(post(text)) == reference.classify(post(text)), text
        matched += bool(found)
        ambiguous += any(m.ambiguous for m in found)
        excluded += len(engine.matcher.find(text)) > len(found)
    assert matched > len(texts) // 2
    if case == "varied":
        assert ambiguous > 20
        assert excluded > 20


@pytest.fixture
def unfreeze() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_the_service_engine_is_frozen_with_no_collection_on_the_way(unfreeze: None) -> None:
    collections: list[dict[str, Any]] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            collections.append(info)

    frozen = gc.get_freeze_count()
    gc.callbacks.append(seen)
    try:
        engine = frozen_engine(DEMO)
    finally:
        gc.callbacks.remove(seen)
    assert collections == []
    assert gc.isenabled()
    assert gc.get_freeze_count() - frozen > len(engine.matcher._values)
    values = engine.matcher._values
    assert not any(o is values for o in gc.get_objects())
    # What a plain build leaves to the collector instead.
    plain = Engine(DEMO).matcher._values
    assert any(o is plain for o in gc.get_objects())


def test_the_reloaded_engine_is_frozen(unfreeze: None, tmp_path: Path) -> None:
    path = tmp_path / "watchlist.yaml"
    path.write_bytes((ROOT / "examples" / "watchlist.yaml").read_bytes())
    engine = load_engine(path)
    assert engine.version == DEMO.version
    values = engine.matcher._values
    assert not any(o is values for o in gc.get_objects())


# The C build against its Python reference, key for key and value for value, in the same
# order: pieces of names in every script the build reads, and the characters that change how a
# name is compiled (hyphens, articles, transliteration sites, doubled letters, Ukrainian
# letters, ordinals, Arabic plural and article forms, hashtag marks, white space, punctuation).
PIECES = (
    ["deir", "ez", "zor", "al", "el", "ash", "soleimani", "hezbollah", "qaani", "kharkiv",
     "fatemiyoun", "alaudinov", "sheikh", "zhukov", "abbas", "church", "boxes", "army", "ladies",
     "kiss", "us", "Kursk", "Ali", "76th", "division", "brigades", "kh", "ei", "ay", "ou"],
    ["Сирия", "Хезболла", "Дейр-эз-Зор", "Курськ", "область", "Харків", "Хмеймім", "вагнеровцы",
     "Мали", "76-я", "76-та", "ДШД", "бригада", "российские", "военные", "Ливан", "Хізбалла",
     "Іван", "Иванов", "Фатемиюн", "сс", "э", "хх", "і", "дивізія", "Сулеймани", "ЧВК"],
    ["حزب", "الله", "دير", "الزور", "الفاطميون", "فاطمیون", "سوریه", "سپاه", "پاسداران",
     "حمص", "المظليون", "الروس", "قاسم", "سليماني", "كورسك", "ال", "ون", "يه", "حزب‌الله",
     "آفریقا", "ا"],
    ["-", "#", "@", "  ", "'", "’", "_", "1", "٣", "ǅ", "Ω", "ß", "\u200b", "*", "(", "ё"],
)  # fmt: skip


def random_aliases(n: int, seed: int) -> list[tuple[int, str, int]]:
    rng = random.Random(seed)
    entries = []
    for i in range(n):
        words = []
        for _ in range(rng.randint(1, 4)):
            script = rng.choice(PIECES[:3]) if rng.random() < 0.85 else PIECES[3]
            word = "".join(rng.choice(script) for _ in range(rng.choice((1, 1, 1, 2))))
            words.append(word.capitalize() if rng.random() < 0.3 else word)
        sep = rng.choice((" ", " ", "-", "  ", ""))
        entries.append((i % 97, sep.join(words), rng.choice((ALIAS, ALIAS, AMBIGUOUS, CONTEXT))))
    return entries


@pytest.mark.parametrize("seed", range(4))
def test_the_c_table_of_random_aliases_equals_its_python_reference(seed: int) -> None:
    entries = random_aliases(3000, seed)
    triggers = [(alias, 1 << (n % 5)) for n, (_, alias, _) in enumerate(entries[:300])]
    keys, values = matching.compile_table(entries, triggers)
    assert len(keys) > len(entries)
    assert (keys, values) == matching.compile_table_py(entries, triggers)
    assert matching.compile_table(entries) == matching.compile_table_py(entries)


@pytest.mark.parametrize("case", CASES)
def test_the_c_tables_of_the_watchlists_equal_their_python_reference(case: str) -> None:
    watchlist, _ = CASES[case]
    for entries, triggers in (
        (matcher_entries(watchlist), triggers_of(watchlist)),
        (excludes_of(watchlist), ()),
        (place_entries(watchlist), ()),
    ):
        assert matching.compile_table(entries, triggers) == matching.compile_table_py(
            entries, triggers
        )


def test_the_c_table_of_every_corpus_word_equals_its_python_reference() -> None:
    """Every word of the evaluation corpora (five languages) as an alias of its own, in each
    role, and every two neighbours as one."""
    words = sorted({w for text in corpus() for w in text.split()})
    pairs = [" ".join(words[n : n + 2]) for n in range(0, len(words), 2)]
    entries = [
        (n % 50, alias, (ALIAS, AMBIGUOUS, CONTEXT)[n % 3])
        for n, alias in enumerate([*words, *pairs])
    ]
    keys, values = matching.compile_table(entries)
    assert len(keys) > len(words)
    assert (keys, values) == matching.compile_table_py(entries)


@pytest.mark.parametrize("case", CASES)
def test_the_index_of_long_names_reads_only_the_long_names(case: str) -> None:
    """The engine keeps the long names alone, computes their anchors without the index and
    builds the index after the automaton: the same anchors and the same index."""
    watchlist, _ = CASES[case]
    entries = matcher_entries(watchlist)
    names = long_names(entries)
    whole, part = Typos(entries), Typos(names)
    assert len(names) < len(entries)
    assert part._by_anchor == whole._by_anchor
    assert part._exact == whole._exact
    assert anchors_of(names) == anchors_of(entries) == whole.anchors()
    assert whole.anchors()
