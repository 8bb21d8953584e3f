"""What the classifier adds to a watchlist on its own, and the matches it takes back.

Operators list the main spellings; from them the engine derives, once per watchlist:

- the bare surname of a person from each of its multi-word aliases ("Касем Сулеймани" gives
  "Сулеймани"), as an ambiguous alias: it counts only with one of the entity's context terms or
  another of its aliases in the post, since many people share a surname; but as an alias when
  the operator listed the bare surname as one in some script ("Soleimani"): the same name in
  another script counts on its own too;
- from a person's one-word Cyrillic surname in -ов/-ев/-ин, the noun for his men ("Кадыров":
  "кадыровцы", "Алаудінов": "алаудінівці"), as an alias;
- from a one-word Cyrillic name of an organisation or unit, the Russian and Ukrainian member
  noun ("Хезболла": "хезболловцы", "хезболлівці"), as an alias even from an ambiguous name
  ("Кудс": "кудсівці"), and the adjective ("хезболловский"), always ambiguous ("вагнеровский"
  is also the composer's); from a one-word Arabic-script name of one, the Arabic and Persian
  plurals of its members ("فاغنر": "الفاغنريين"; "واگنر": "واگنری‌ها"; from a name in -يون,
  the Persian one: "زينبيون": "زینبی‌ها"); from a Cyrillic name in -июн/-іюн, one member
  ("Зейнабиюн": "зейнабийцы") and the member noun of the whole name ("зейнабіюнівці"); from a
  group's Latin acronym, the acronym as Persian spells it letter by letter ("VDV": "وی‌دی‌وی",
  "وی دی وی"; written together, "ویدیوی" is "the video of", and `drop_namesakes` drops it);
  from a group's one-word ambiguous name (not a common noun), the name with a word for its men,
  as an alias ("Quds guys", "Wagner boys", "люди Кудса", "хлопці з Кудсу", "شباب فاغنر": a
  city has no "guys"; in Arabic its soldiers whatever its name, "الجنود الكوريين الشماليين"), and from its one-word Cyrillic ambiguous name the name in «» in its
  cases («Кудс», «Кудса»: Russian and Ukrainian quote an organisation's name, never a city's);
  from a group's name of several words that starts or ends with a word for soldiers, the name
  with the language's other words for soldiers ("северокорейские военные": "северокорейские
  бойцы"), as an alias;
  from a Cyrillic name of a place of six letters or more ending in
  a consonant, not a country's, its adjective ("Хмеймим": "хмеймимский"); from a Cyrillic town
  name in -ск, its adjective ("Курск": "курский"), as an alias, and from a Latin-script one in
  -sk the same adjective in Latin letters ("Kursk": "Kurskaya", "Kurskiy");
- for a context term that names another watched entity (Mali's context "Wagner"), every alias
  and ambiguous alias of that entity in every script ("вагнеровцы", "فاغنر"), derived words
  included, as a context term too: the operator asked for that entity, whatever the language
  of the post.

After matching, `drop_namesakes` removes matches that name something else: any watched name
with a word before it that makes it the name of another thing (a ship, "подлодка «Курск»",
"الغواصة كورسك"; a bank, hotel or club, "Bank Sepah"; an armed group named after the watched one,
"Kataib Hezbollah"; a street, its name an adjective in any case, "на вулиці Курській") or a
word after it that does ("Damascus steel", "Aleppo pepper", "Курский
вокзал", the station; "Курская дуга", the battle; "soldier beetles"); a watched name given to
an animal ("a cat named Homs", "кіт на ім'я Хомс", "Mali, the elephant"); "a road to Damascus
moment", the idiom; a place
name in Cyrillic script written in quotation marks (гибель «Курска», шаурма «Халеб»); a name
listed as one capitalised word written in lower case, uninflected, in a post that capitalises
other names ("our mali", the gardener, "#Bangalore"; not in a link's path); a
person's bare surname next to a capitalised given name that is none of the person's own, nor a
spelling of one, a title or a context term ("Dr. Ali Soleimani", "Qaani Shirazi", "Пригожина
Анна"; not the first word of a sentence, which is capitalised anyway, nor a patronymic after
the name, "Апти Ааронович") or after a civilian title
(Dr. Soleimani, доктор Сулеймани; unless the person is listed with it), or in Arabic script, which
has no capitals, after one of the commonest given names (علی سلیمانی), or with ة/ه after its final
ي (السليمانية, Sulaymaniyah), or in Latin script when that spelling is the city's too
("Sulaimani" without a given name of the person before it); a watched
place or person in Arabic script with the article ال before it (الحمص "the chickpeas", السورية
"the Syrian": Arabic writes these names without it; a name listed with the article, العراق,
starts at the article and keeps it); a watched place with a relative-adjective ending after it
(لبنانية "Lebanese"); and a Latin-script place name followed by a comma and a US state
("Lebanon, Pennsylvania"). `drop_handle_parts` removes a place or group name that is only part
of an @-handle (@kursk_pets, @SyriaWarMonitor: the account, not the place; a person's name in
one is the person's account).

`after_locative` tells the engine when a location's ambiguous alias stands after a preposition
of place ("в Мали", "در مالی"): then it means the place without a context term. Pure: no I/O."""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from services.classifier.gazetteer import _PLACES as GAZETTEER_PLACES
from services.classifier.gazetteer import COUNTRIES as GAZETTEER_COUNTRIES
from services.classifier.matching import ALIAS, AMBIGUOUS, CONTEXT, Match
from services.classifier.text import fold, is_arabic, is_cyrillic
from services.classifier.watchlist import COMMON_WORDS, Entity, Watchlist

MIN_SURNAME_LETTERS = 4
_COMMON = frozenset(fold(w) for w in COMMON_WORDS)
_LETTERS = re.compile(r"[^\W\d_]")


def matcher_entries(watchlist: Watchlist) -> list[tuple[int, str, int]]:
    """(entity index, alias, role) for the matcher: the watchlist's own, then the derived."""
    entities = watchlist.entities
    entries: list[tuple[int, str, int]] = []
    append = entries.append
    # Arabic-script aliases (the first letter tells: one comparison for every other alias),
    # for their other spellings.
    arabic: list[tuple[int, str, int]] = []
    for i, entity in enumerate(entities):
        for alias in entity.aliases:
            append((i, alias, ALIAS))
            if alias[:1] >= "\u0600":
                arabic.append((i, alias, ALIAS))
        # Most entities of a large watchlist have neither: not even an empty loop for them.
        if entity.ambiguous_aliases:
            for alias in entity.ambiguous_aliases:
                append((i, alias, AMBIGUOUS))
                if alias[:1] >= "\u0600":
                    arabic.append((i, alias, AMBIGUOUS))
        if entity.context:
            for term in entity.context:
                append((i, term, CONTEXT))
    for i, alias, role in arabic:
        if "\u0622" in alias:
            entries.extend((i, spelling, role) for spelling in _hamza_forms(alias))
        if entities[i].kind != "location" and " " not in alias and ("غ" in alias or "گ" in alias):
            entries.extend((i, spelling, role) for spelling in _g_forms(alias))
        if alias.endswith("\u0629") and " " not in alias and len(alias) >= 5:
            # ة before a pronoun is written ت (سورية: سوريتنا, "our Syria")
            entries.append((i, alias[:-1] + "\u062a", role))
        if " " in alias and _PERSIAN_LETTER.search(alias):
            entries.extend((i, spelling, role) for spelling in _persian_plurals(alias))
            entries.extend((i, spelling, role) for spelling in _ezafe_forms(alias))
    # Surnames first: a derived one never shadows a spelling an operator wrote, and only
    # one-word spellings can be equal to one (folding every alias of a large watchlist twice
    # would cost a tenth of its build).
    candidates = [
        (i, parts[-1])
        for i, entity in enumerate(entities)
        if entity.kind == "person"
        for alias in entity.aliases
        if len(parts := alias.split()) > 1 and parts[0].casefold() not in _TITLE_WORDS
    ]
    if candidates:
        written = {
            fold(spelling).lstrip("#@").strip()  # `_key`
            for e in entities
            for spellings in (e.aliases, e.ambiguous_aliases, e.context)
            for spelling in spellings
            if " " not in spelling.strip()
        }
        # People whose bare surname the operator listed as an alias in some script: the
        # surname counts on its own in the others too. (Compared as written, case aside: a
        # fold of every alias would cost a tenth of the build.)
        bare: set[int] = set()
        last = -1
        for i, surname in candidates:
            if i != last:
                last = i
                own = {a.strip().casefold() for a in entities[i].aliases if " " not in a.strip()}
            if surname.casefold() in own:
                bare.add(i)
        seen: set[tuple[int, str]] = set()
        for i, surname in candidates:
            key = _key(surname)
            if (i, key) not in seen and _surname_ok(key, written):
                seen.add((i, key))
                entries.append((i, surname, ALIAS if i in bare else AMBIGUOUS))
    words: dict[int, list[str]] = {}
    for i, entity in enumerate(entities):
        if entity.kind not in _DERIVING_KINDS:
            continue
        for alias in (*entity.aliases, *entity.ambiguous_aliases):
            if " " in alias.strip():
                continue  # a name of several words derives none (`_derived_words`)
            for word, adjective in _derived_words(alias, entity.kind):
                # A group's adjective is also its namesake's (вагнеровский фестиваль, the
                # composer's): it counts with context, like an ambiguous alias. Its member
                # noun is the group's alone (вагнеровцы, кудсівці), even when the name is
                # ambiguous.
                entries.append((i, word, AMBIGUOUS if adjective else ALIAS))
                words.setdefault(i, []).append(word)
    for i, entity in enumerate(entities):
        if entity.kind not in _MEMBER_KINDS:
            continue
        for alias in entity.ambiguous_aliases:
            entries.extend((i, phrase, ALIAS) for phrase in _member_phrases(alias))
            entries.extend((i, quoted, ALIAS) for quoted in _quoted_forms(alias))
        for alias in entity.aliases:
            if " " in alias.strip():
                entries.extend((i, other, ALIAS) for other in _other_soldiers(alias))
        for alias in entity.ambiguous_aliases:
            # (and an ambiguous name stays ambiguous in its other words: Korean soldiers)
            if " " in alias.strip():
                entries.extend((i, other, AMBIGUOUS) for other in _other_soldiers(alias))
    if any(e.context for e in entities):
        listed: dict[str, int] = {}
        for i, entity in enumerate(entities):
            for alias in (*entity.aliases, *entity.ambiguous_aliases):
                listed.setdefault(_key(alias), i)
        for i, entity in enumerate(entities):
            for term in entity.context:
                owner = listed.get(_key(term))
                if owner is not None and owner != i:
                    other = entities[owner]
                    entries.extend(
                        (i, alias, CONTEXT)
                        for alias in (
                            *other.aliases,
                            *other.ambiguous_aliases,
                            *words.get(owner, ()),
                        )
                    )
    return entries


# A one-word Cyrillic name of a group, and of a town in -ск: the words Russian and Ukrainian
# make from it (вагнеровцы, хезболловский; курский).
_CYRILLIC_NAME = re.compile("[\u0400-\u04ff]{4,}")
_MEMBER_KINDS = frozenset({"organization", "unit"})
# The kinds whose one-word names give derived words: groups, places and people (a commander's
# men: кадыровцы, алаудінівці).
_DERIVING_KINDS = _MEMBER_KINDS | {"location", "person"}
_ARABIC_NAME = re.compile("[\u0600-\u06ff]{4,}")
_MIN_PLACE_ADJECTIVE = 6
_ADJECTIVE_CONSONANTS = frozenset("бвгдзлмнпрт")
# Countries' names in Cyrillic (folded): their adjectives name their people too.
_COUNTRIES = frozenset(
    fold(spelling.split(":", 1)[-1])
    for name, spellings in GAZETTEER_PLACES.items()
    if name in GAZETTEER_COUNTRIES
    for spelling in spellings
    if spelling.startswith(("ru:", "uk:"))
)
# A one-word Latin-script town name in -sk (Kursk, Belgorodsk): the Russian adjective is written
# in Latin letters too, with the endings of the oblast, the rayon and their cases.
_LATIN_TOWN_SK = re.compile("[A-Z][a-z]{2,}sk")
# A Latin acronym of a group, and the Persian names of its letters.
_ACRONYM = re.compile("[A-Z]{3,5}")
_CYRILLIC_ACRONYM = re.compile("[А-ЯЁІЇЄҐ]{3,5}")
# After these, a plural in -и is also a case of the name (Ukrainian locatives in -і aside).
_VELARS_AND_HUSHING = frozenset("гкхжшчщ")
_LETTER_NAMES = (
    "ای بی سی دی ای اف جی اچ آی جی کی ال ام ان او پی کیو آر اس تی یو وی دبلیو ایکس وای زد"
)
_PERSIAN_LETTER_NAMES = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _LETTER_NAMES.split(), strict=True))
# And the Arabic names of the letters (VDV: في دي في, "الفي دي في").
_ARABIC_NAMES = (
    "إيه بي سي دي إي إف جي إتش آي جيه كيه إل إم إن أو بي كيو آر إس تي يو في دبليو إكس واي زد"
)
_ARABIC_LETTER_NAMES = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", _ARABIC_NAMES.split(), strict=True))
# Such a spelling with its letters joined by ZWNJ folds to what the letters written together
# make (وی‌دی‌وی, ویدیوی "the video of"): it is the acronym only where they stand apart.
_SPELLED = re.compile(
    "(?:{0})(?:\u200c(?:{0}))+".format("|".join(sorted(set(_PERSIAN_LETTER_NAMES.values()))))
)
_LETTER_GAP = re.compile("[\u200c\\s-]")
_LATIN_SK_ENDINGS = ("aya", "oy", "iy", "y", "ogo", "oye", "oi")


def _derived_words(alias: str, kind: str) -> list[tuple[str, bool]]:
    """The member noun and the adjective Russian and Ukrainian make from a one-word Cyrillic
    name of a group (Хезболла: хезболловцы, хезболловский, хезболлівці, хезболлівський; the
    Ukrainian forms only from a name in Ukrainian letters, Хізбалла: хізбаллівці), and the
    adjective of a town in -ск (Курск: курский; Курськ: курський), each with whether it is a
    group's adjective. Not from a name that is already such a word, nor from a word in lower
    case (a common noun, десантники) or an acronym (КСИР: see below). From a one-word Arabic-script name
    of a group, the plural of its members: Arabic in -يون (فاغنر: الفاغنريين, with the other
    forms of a plural in -ون) and Persian in ی‌ها (واگنر: واگنری‌ها); not the singular in -ی,
    which is also the adjective (the composer's موسیقی واگنری). From a Cyrillic acronym of a
    group, its member nouns (КВІР: квірівці, КСИР: ксировцы)."""
    word = alias.strip()
    if kind in _MEMBER_KINDS and _CYRILLIC_ACRONYM.fullmatch(word):
        # Its members, the acronym with a member suffix (КСИР: ксировцы; КВІР: квірівці;
        # ВДВ: вдвшники).
        low = word.lower()
        return [(low + "овцы", False), (low + "івці", False), (low + "шники", False)]
    if word.isupper() and kind in _MEMBER_KINDS and _ACRONYM.fullmatch(word):
        # A Latin acronym as Persian posts spell it, letter by letter (VDV: وی‌دی‌وی, وی دی وی).
        names = [_PERSIAN_LETTER_NAMES[c] for c in word]
        arabic = " ".join(_ARABIC_LETTER_NAMES[c] for c in word)
        return [("\u200c".join(names), False), (" ".join(names), False), (arabic, False)]
    if kind == "location" and _LATIN_TOWN_SK.fullmatch(word):
        # The Russian adjective in Latin letters (Kurskaya oblast, Kurskiy rayon).
        low = word.lower()
        return [(low + ending, False) for ending in _LATIN_SK_ENDINGS]
    if kind in _MEMBER_KINDS and _ARABIC_NAME.fullmatch(word):
        key = fold(word)
        if key.endswith("يون") and len(key) >= 6:
            # A name that is the plural of its members already (زينبيون): Persian makes the
            # plural of them with ها after the singular (زینبی‌ها, زینبی‌های پاکستانی).
            return [(key[:-2] + "ها", False), (key[:-2] + "هاي", False)]
        if key.endswith(("ون", "ين", "ان", "ي")):
            return []
        return [(key + "يون", False), (key + "يها", False)]
    if not _CYRILLIC_NAME.fullmatch(word) or not word[0].isupper() or not word[1:].islower():
        return []
    low = word.lower()
    ukrainian = any(c in "іїєґ" for c in low)
    if kind == "person":
        # A commander's men, named after his surname (Кадыров: кадыровцы, кадирівці;
        # Алаудинов: алаудиновцы; Пригожин: пригожинцы).
        if len(low) < _MIN_PLACE_ADJECTIVE or not low.endswith(("ов", "ев", "ин", "ін", "ын")):
            return []
        if ukrainian:
            return [((low[:-2] + "ів" if low.endswith(("ов", "ев")) else low) + "ці", False)]
        return [(low + "цы", False)]
    if kind == "location":
        if low.endswith("ськ") or (low.endswith("ск") and not ukrainian):
            return [(low + "ий", False)]
        if (
            len(low) >= _MIN_PLACE_ADJECTIVE
            and low[-1] in _ADJECTIVE_CONSONANTS
            and fold(word) not in _COUNTRIES
        ):
            # A town or base (Хмеймим: хмеймимская база, хмеймімській базі); not a country,
            # whose adjective is also its people's (сирийский беженец).
            return [(low + ("ський" if ukrainian else "ский"), False)]
        return []
    if kind in _MEMBER_KINDS and low.endswith(("июн", "іюн")) and len(low) >= _MIN_PLACE_ADJECTIVE:
        # A name in -iyoun, the plural of its members: Russian and Ukrainian make one member
        # in -ийц/-ійц (Зейнабиюн: зейнабийцы; Фатіміюн: фатімійці).
        # The member noun in -івці/-овцы is made from the whole name too (зейнабіюнівці).
        stem = low[:-2]
        if ukrainian:
            return [(stem + "йці", False), (low + "івці", False)]
        return [(stem + "йцы", False), (stem + "йці", False), (low + "овцы", False)]
    if kind not in _MEMBER_KINDS or low.endswith(("цы", "ці", "ий", "ій", "ые", "і", "и")):
        return []
    stem = low[:-1] if low[-1] in "ая" else low
    if stem[-1] in "аеиоуыэюяіїєйь":
        return []
    out = [] if ukrainian else [(stem + "овцы", False), (stem + "овский", True)]
    if stem == low and low[-1] not in _VELARS_AND_HUSHING:
        # A name that ends in a consonant: its plural in -и is its men (Вагнер: вагнери), and
        # no case of the name itself (Вагнера, Вагнеру, Вагнері). (The Russian -ы is read as
        # an ending of the name itself, which the name's own ambiguous spelling takes first.)
        out.append((low + "и", False))
    return [*out, (stem + "івці", False), (stem + "івський", True)]


# A madda inside a word (قاآنی): the hamza and the alef it stands for, as many write them.
_MADDA_INSIDE = re.compile("(?<=[\u0620-\u064a\u066e-\u06d3])\u0622")


# The letters Arabic and Persian write a foreign name's g with: غ (فاغنر), گ (واگنر), and ك in
# Iraq and the Gulf (فاكنر).
_G_LETTERS = ("غ", "گ", "ك")


def _g_forms(alias: str) -> list[str]:
    """The other spellings of a foreign name's g in a one-word Arabic-script alias of a person
    or a group (فاغنر: فاگنر, فاكنر); not of a place, whose Arabic name is its own (بغداد), nor
    of a name of several words, whose other words are Arabic or Persian (گروه واگنر)."""
    out: list[str] = []
    for letter in _G_LETTERS[:2]:
        if letter in alias:
            out.extend(alias.replace(letter, other) for other in _G_LETTERS if other != letter)
    return out


def _hamza_forms(alias: str) -> list[str]:
    """The other spellings of an Arabic-script alias with a madda inside a word: the hamza on
    the line or on its seat, then the alef (Qaani, قاآنی: قاءانی, قائانی)."""
    if not _MADDA_INSIDE.search(alias):
        return []
    return [_MADDA_INSIDE.sub("\u0621\u0627", alias), _MADDA_INSIDE.sub("\u0626\u0627", alias)]


# Letters Persian writes and Arabic does not (ی and ک among them, as Persian aliases are typed).
_PERSIAN_LETTER = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")
_MIN_PLURAL_STEM = 3


def _persian_plurals(alias: str) -> list[str]:
    """The other plurals of the first word of a Persian alias of several words: in -ان, in -های
    with the ezafe, and the spoken -ای (چتربازان روس: چتربازهای روس, چتربازای روس)."""
    first, rest = alias.split(" ", 1)
    first = first.replace("\u200c", "")
    if first.endswith("های"):
        stem = first[:-3]
    elif first.endswith("ان"):
        stem = first[:-2]
    else:
        return []
    if len(stem) < _MIN_PLURAL_STEM:
        return []
    forms = (stem + "ان", stem + "های", stem + "ای")
    return [f"{form} {rest}" for form in forms if form != first]


def _ezafe_forms(alias: str) -> list[str]:
    """A Persian alias of several words with the ezafe written after each inner word in ه, as
    ی after a zero-width non-joiner (نیروهای کره شمالی: نیروهای کره‌ی شمالی). Its other
    spelling, ٔ on the ه, folds to the alias itself."""
    words = alias.split(" ")
    if not any(_silent_h(w) for w in words[:-1]):
        return []
    inner = " ".join(w + "\u200cی" if _silent_h(w) else w for w in words[:-1])
    return [f"{inner} {words[-1]}"]


def _silent_h(word: str) -> bool:
    """Whether a Persian word ends in a ه that writes a vowel (کره), which takes the ezafe as
    ی; after ا or و it is a consonant (گروه, سپاه, پایگاه), and the ezafe goes unwritten."""
    return word.endswith("ه") and len(word) > 2 and word[-2] not in "او"


def _member_phrases(alias: str) -> list[str]:
    """A group's one-word ambiguous name with a word for its men ("Quds guys", "Wagner boys",
    "люди Кудса", "хлопці з Кудсу", "شباب فاغنر"): the men of a group, not the other sense of
    its name (a city has no "guys"). Only from a name: not from a common noun ("orchestra
    boys" may play in one)."""
    word = alias.strip()
    if not word[:1].isalpha():
        return []
    if is_arabic(word[0]):
        # A name, not a common noun with the article (الحزب, "the party": شباب الحزب are any
        # party's youth), but its soldiers are a group's, whatever its name (الجنود الكوريين
        # الشماليين).
        templates: tuple[str, ...] = (
            _ARABIC_SOLDIERS
            if word.startswith("ال") or " " in word
            else _ARABIC_MEMBERS + _ARABIC_SOLDIERS
        )
    elif " " in word:
        return []
    elif not word[0].isupper():
        return []  # a common noun ("orchestra boys" may be boys in an orchestra)
    elif word.isascii():
        templates = _LATIN_MEMBERS
    elif is_cyrillic(word[0]):
        templates = _CYRILLIC_MEMBERS
    else:
        return []
    return [t.format(word) for t in templates]


# The words for a group's men, before or after its name, by script.
_LATIN_MEMBERS = ("{} guys", "{} boys", "{} lads", "{} men")
_CYRILLIC_MEMBERS = (
    "люди {}",
    "ребята из {}",
    "парни из {}",
    "пацаны из {}",
    "люди з {}",
    "хлопці з {}",
)
_ARABIC_MEMBERS = ("جماعة {}", "شباب {}", "بچه‌های {}")
_ARABIC_SOLDIERS = ("جنود {}", "الجنود {}")


def _quoted_forms(alias: str) -> list[str]:
    """A group's one-word Cyrillic ambiguous name in «», in its cases («Кудс», «Кудса»): Russian
    and Ukrainian write an organisation's name in quotation marks, never a city's."""
    word = alias.strip()
    if " " in word or not _CYRILLIC_NAME.fullmatch(word) or not word[0].isupper():
        return []
    if word[-1] in "аяь":
        stem = word[:-1]
        endings: tuple[str, ...] = ("а", "ы", "и", "е", "у", "ой", "ою", "і", "ю", "я")
    else:
        stem = word
        endings = ("", "а", "у", "е", "ом", "і", "ові")
    return [f"«{stem}{ending}»" for ending in endings]


# Words for soldiers, by language: in a group's name of several words, one of them may stand
# for another (North Korean troops, North Korean soldiers, North Korean fighters).
# fmt: off
_SOLDIER_WORDS = (
    ("troops", "soldiers", "forces", "fighters", "servicemen", "army", "military", "infantry",
     "personnel", "units", "special forces", "commandos", "conscripts"),
    ("военные", "солдаты", "бойцы", "военнослужащие", "войска", "армия", "спецназ", "пехота",
     "подразделения", "контингент"),
    ("військові", "солдати", "бійці", "військовослужбовці", "війська", "армія", "спецназ",
     "піхота", "підрозділи", "контингент"),
    ("جنود", "قوات", "عناصر", "مقاتلو", "جيش", "وحدات", "عسكريو", "عسكريون"),
    ("سربازان", "نیروهای", "نظامیان", "رزمندگان", "ارتش", "یگان‌های", "نیروهای نظامی", "تکاوران"),
)
# fmt: on
_SOLDIER_GROUP = {w: group for group in _SOLDIER_WORDS for w in group}


def _other_soldiers(alias: str) -> list[str]:
    """A group's name of several words whose first or last word is a word for soldiers, with
    the other words for soldiers of its language in its place (северокорейские военные:
    северокорейские бойцы, северокорейские солдаты)."""
    words = alias.split()
    for at in (len(words) - 1, 0):
        group = _SOLDIER_GROUP.get(words[at])
        if group is not None:
            return [
                " ".join([*words[:at], other, *words[at + 1 :]])
                for other in group
                if other != words[at]
            ]
    return []


def _key(alias: str) -> str:
    return fold(alias).lstrip("#@").strip()


def _surname_ok(key: str, written: set[str]) -> bool:
    return (
        key not in written
        and key not in _COMMON
        # A word of letters only (most surnames) is as long as its count of letters.
        and (len(key) if key.isalpha() else len(_LETTERS.findall(key))) >= MIN_SURNAME_LETTERS
        and not any(map(str.isdigit, key))
    )


# The article, alone or after a proclitic conjunction or preposition (وال، بال، لل...).
_AR_ARTICLE = frozenset({"ال", "وال", "بال", "فال", "كال", "لل", "ولل", "فلل"})
# Relative-adjective (nisba) endings, folded (ة is ه): لبناني، لبنانيه، لبنانيين، لبنانيون.
_AR_NISBA = frozenset({"ي", "يه", "يين", "يون", "يان", "يات"})
_US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|"
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|"
    "Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|"
    "Neb|Nev|Okla|Ore|Pa|Penn|Tenn|Tex|Va|Vt|Wash|Wis|Wyo"
)
_US_STATE_AFTER = re.compile(rf",\s*(?:{_US_STATES})\b")


# Words that, right before a watched name, make it the name of something else: a ship ("the
# submarine Kursk", «Курск»), a bank, a hotel, a street, a club, an armed group named after the
# one watched ("Kataib Hezbollah", كتائب حزب الله). Folded; Cyrillic ones are stems, any ending.
_HEADS_BEFORE = (
    "submarine cruiser frigate destroyer warship ship vessel tanker ferry yacht icebreaker "
    "bank hotel restaurant cafe club fc kataib kata'ib kata’ib saraya asaib "
    "غواصه سفينه بارجه فرقاطه مدمره طراد ناقله بنك مصرف فندق مطعم نادي كتائب كتايب سرايا عصائب "
    "زيردريايي ناو كشتي ناوشكن بانك هتل رستوران باشگاه "
    # a café, and a street or a square named after a city or a person (شارع بغداد, خیابان
    # پاسداران, ميدان لبنان)
    "کافه café شارع خیابان بلوار ميدان"
)
_CYRILLIC_HEADS_BEFORE = (
    "подлодк лодк подводн крейсер фрегат эсмин есмін корабл судн танкер паром яхт ледокол криголам "
    "човн човен банк отел готел гостиниц ресторан кафе клуб фк"
)
# Words that, right after a watched name, make it part of another name: a product or a thing
# named after a place ("Damascus steel", "Aleppo pepper", "the Kursk submarine"), a street.
_HEADS_AFTER = (
    "steel pepper peppers soap rose roses bologna submarine cruiser street avenue boulevard fc hotel "
    "restaurant station vokzal terminal blvd square "
    # Insects named after soldiers (soldier beetles, soldier ants).
    "beetle beetles ant ants"
)
# Stems of such words in Cyrillic (Курский вокзал, Moscow's Kursky station; Курская дуга, the
# battle of 1943; Курська вулиця, a street), any ending.
_CYRILLIC_HEADS_AFTER = "вокзал дуг улиц вулиц проспект переул провул област район"
# Words that, right after a number written as an ordinal ("76-я", "76th"), make it another
# thing's number: a school, a minute of a match, a bus, an anniversary (stems, any ending).
_ORDINAL_HEADS_AFTER = (
    "школ гимнази лице минут хвилин годовщин річниц квартир автобус маршрутк трамва троллейбус "
    "тролейбус больниц лікарн поликлиник сторінк страниц километр кілометр улиц вулиц "
    "minute anniversary birthday street precinct"
)
# A street named after a place or a person, the street word first (вулиця Курська, проспект
# Сулеймани): whole words in the nominative, as a street's name is written ("на улицах
# Дамаска", on Damascus's streets, is the city).
_STREET_STEMS = ("улиц", "вулиц", "проспект", "переул", "провул", "бульвар", "площад", "площ")
_ADJECTIVE_ENDINGS = ("ий", "ій", "ой", "ей", "ая", "ую", "ою", "ська", "ську", "ская", "скую")
# Nothing after a word but punctuation or the end of the post.
_NO_NOUN_AFTER = re.compile(r"\s*(?:[,.;:!?)»\"…]|$)")
_CYRILLIC_STREETS = frozenset(
    ["улица", "вулиця", "проспект", "площадь", "площа", "переулок", "провулок", "бульвар"]
)
# Animals, kept and in zoos, are often named after places and people (a cat called Homs, Mali
# the elephant): a name right after "named"/"на ім'я" that follows one of these, or followed by
# ", the elephant", is the animal's. English words whole; Cyrillic ones are stems.
_ANIMALS = (
    "cat cats kitten dog dogs puppy pup elephant horse pony mare stallion tiger lion lioness bear "
    "panda giraffe parrot hamster rabbit bunny goat camel monkey gorilla hippo rhino zebra donkey "
    "pet tortoise turtle"
)
_CYRILLIC_ANIMALS = (
    "кот кош кіт кішк котик кошен котен соба пес пса псу щен цуцен слон кон кін лошад "
    "попуга папуг хомяк хом'як хом’як крол тигр лев левиц медвед ведмед жираф верблюд обезьян мавп "
    "черепах питом улюблен"
)
_NAMING = (
    r"(?:named|called|nicknamed|по\s+кличке|по\s+имени|на\s+им[яя]|на\s+ім['’]я|"
    r"на\s+кличку|кличка|кличкой|на\s+прізвисько|на\s+прізвисько|з\s+ім['’]ям|с\s+именем)"
)
_ANIMAL_NAMED = re.compile(
    rf"(?:\b(?:{'|'.join(_ANIMALS.split())})|(?<!\w)(?:{'|'.join(_CYRILLIC_ANIMALS.split())})\w*)"
    rf"\s+(?:\w+\s+)?{_NAMING}\s*[«\"“„']?$",
    re.IGNORECASE,
)
# A word for an animal right before the name, in English: "our rescue cat Mali". (Not the
# Cyrillic stems, which start other words too: "кон" of "контролює", "лев" of "левом".)
_ANIMAL_BEFORE = re.compile(rf"\b(?:{'|'.join(_ANIMALS.split())})\s+$", re.IGNORECASE)
_NAMED_ANIMAL = re.compile(
    rf",?\s+(?:the|our|my|a|their)\s+(?:\w+\s+)?(?:{'|'.join(_ANIMALS.split())})\b",
    re.IGNORECASE,
)
# "A road to Damascus moment": a sudden conversion, not the city.
_ROAD_TO = re.compile(r"\broad\s+to\s+$", re.IGNORECASE)
_CONVERSION = re.compile(
    r"\s+(?:moment|moments|conversion|conversions|experience)\b", re.IGNORECASE
)
_HEAD_BEFORE = frozenset(fold(_HEADS_BEFORE).split())
_CYRILLIC_HEAD_AFTER = tuple(_CYRILLIC_HEADS_AFTER.split())
_ORDINAL_HEAD_AFTER = tuple(_ORDINAL_HEADS_AFTER.split())
_CYRILLIC_HEAD_BEFORE = tuple(_CYRILLIC_HEADS_BEFORE.split())
_HEAD_AFTER = frozenset(fold(_HEADS_AFTER).split())
# The matcher looks for every head word anywhere in the post in its one pass and sets this bit
# when one is there: most posts have none, and then no match needs the words around it.
HEAD_BIT = 1 << 8
# Set when a key of some entity's `exclude` terms is in the post (anywhere): only then does the
# engine look for the terms themselves.
EXCLUDE_BIT = 1 << 9
HEAD_TRIGGERS = tuple(
    (word, HEAD_BIT)
    for word in sorted(
        {
            *_HEAD_BEFORE,
            *_CYRILLIC_HEAD_BEFORE,
            *_HEAD_AFTER,
            *_CYRILLIC_HEAD_AFTER,
            *_CYRILLIC_STREETS,
            " day",  # a day named after a name: Quds Day
        }
    )
)
# Set when a word for an animal, or "road to", starts a word of the post: only then does a
# match need the look for an animal's name or the idiom around it.
ANIMAL_BIT = 1 << 11
ANIMAL_TRIGGERS = tuple(
    (word if len(word) >= 5 else " " + word, ANIMAL_BIT)
    for word in sorted({*fold(_ANIMALS).split(), *fold(_CYRILLIC_ANIMALS).split(), "road to"})
)
_AR_CLITICS = ("وال", "بال", "فال", "كال", "ال", "و", "ب", "ل", "ف")
# Quotation marks may stand between a head word and the name: подлодка «Курск».
_QUOTES = "«»\"“”„'’‘"
_OPEN_QUOTES = '«„“"'
_CLOSE_QUOTES = '»“”"'
_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_GAP = frozenset(" " + _QUOTES)
_IN_WORD = frozenset("'’-\u200c")
_WORD_AFTER = re.compile(r"[ «»\"“”„'’‘]+([^\W_](?:[\w'’-]*[^\W_])?)")
PERSON, PLACE, OTHER = 0, 1, 2
# Capitalised words that stand before a surname without being a given name.
_TITLES = frozenset(
    fold(
        "general gen major maj brigadier brig colonel col commander cmdr lieutenant lt captain "
        "capt admiral marshal sergeant sgt president minister martyr shahid hajj haj haji hajji "
        "sardar sheikh shaykh sayyed sayyid seyed mr mrs ms dr sir chief leader imam ayatollah "
        "mullah mister general-major major-general lieutenant-general late "
        "генерал командир командующий командувач полковник генерал-майор генерал-лейтенант "
        "генерал-полковник президент министр міністр шейх аятолла господин пан"
    ).split()
)
# Titles as written (case aside) before a name: "Haj Qassem" and حاج قاسم name him by his given
# name, which is no surname to count on its own.
_AR_TITLES_WRITTEN = "حاج الحاج حجی سردار السردار شيخ الشيخ شیخ سيد السيد سید سيّد اللواء العميد"
_TITLE_WORDS = _TITLES | frozenset(_AR_TITLES_WRITTEN.split())
# The commonest given names in Arabic and Persian (folded), and civilian titles; Arabic script
# has no capitals to tell a given name before a surname from any other word.
_AR_GIVEN_NAMES = frozenset(
    fold(
        "محمد علي علی حسن حسين حسین احمد أحمد محمود مصطفى مصطفی عمر خالد يوسف یوسف ابراهيم ابراهیم "
        "عباس رضا مهدي مهدی جواد حميد حمید سعيد سعید مجيد مجید كريم کریم امير امیر هادي هادی "
        "جعفر صادق كاظم کاظم باقر ناصر حسام سامر سمير سمیر طارق فاطمه فاطمة زهرا مريم مریم "
        "زينب زینب سارا ساره نرگس ليلى لیلا "
        # Civilian titles: the surname after one is someone else's (دکتر سلیمانی, a doctor).
        "دکتر دكتور الدكتور مهندس المهندس آقای خانم استاد الأستاذ الاستاذ"
    ).split()
)
# Civilian titles in cased scripts: a bare surname right after one is someone else's (Dr.
# Soleimani, a cardiologist), unless the person is listed with the title.
_CIVIL_TITLES = frozenset(
    fold("dr doctor prof professor доктор профессор професор врач лікар академик академік").split()
)
# Abbreviations after which a capitalised word does not start a sentence ("Dr. Ali ...").
_ABBREVIATIONS = frozenset(
    ["dr", "mr", "mrs", "ms", "prof", "st", "gen", "col", "lt", "capt", "sgt", "maj", "brig"]
)
_SENTENCE_END = ".!?:;\n…"
# The commonest given names of the region in Latin and Cyrillic letters: one at the start of a
# sentence, where any word is capitalised, is still a given name ("Amir Soleimani scored").
_GIVEN_NAMES = frozenset(
    fold(
        "ali amir mohammad mohammed muhammad mohamed hassan hasan hossein hussein husein reza "
        "mehdi mahdi ahmad ahmed mahmoud mahmud mostafa mustafa omar umar khaled khalid yousef "
        "yusuf ebrahim ibrahim abbas javad hamid saeed said majid karim hadi jafar sadegh kazem "
        "naser nasser fatemeh fatima zahra maryam zeinab zainab leila sara "
        "али амир мохаммад мохаммед мухаммад хасан хусейн гусейн реза махди мехди ахмад ахмед "
        "махмуд мустафа омар халид юсуф ибрагим аббас джавад хамид саид маджид карим фатима "
        "зейнаб марьям "
        # Chechen and other Caucasian names, in Latin, Russian and Ukrainian letters
        "ramzan ruslan magomed zarema aslan islam musa kheda madina malika aset adam akhmed "
        "рамзан руслан магомед мохмад зарема аслан ислам муса хеда хава мадина малика асет "
        "адам лейла заира хадижат шамиль тимур "
        # and Russian and Ukrainian ones
        "ivan sergei sergey alexander aleksandr dmitry andrei andrey anna maria olga elena "
        "иван сергей александр дмитрий андрей владимир николай анна мария ольга елена наталья "
        "иван сергій олександр дмитро андрій володимир микола ганна марія ольга олена наталя"
    ).split()
)
_MIN_NAME_LIKENESS = 0.6
# The Arabic nunation marks (tanween).
_TANWEEN = "\u064b\u064c\u064d"
# The endings of Russian and Ukrainian patronymics (Аронович, Рамзанович, Ахмедовна, Іванівна).
_PATRONYMIC_ENDINGS = ("ович", "евич", "ьевич", "йович", "ич", "овна", "евна", "івна", "ївна")
# Capitalised words next to a name that are not names: days and months.
_NOT_NAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
# Surnames that are also the name of a city: Sulaimani (Sulaymaniyah, in Iraqi Kurdistan) is a
# spelling of Soleimani too. Alone, without a given name of the person before it, it is the city.
_SURNAME_PLACES = frozenset(["sulaimani", "sulaymani", "slemani", "sulaimania", "sulaymania"])


_NONE: frozenset[str] = frozenset()  # one empty set for every entity, not one each


class Kind:
    """What `drop_namesakes` knows of an entity: its kind and, for a person, the folded words
    of its names other than the surname (the given names and titles it is listed with) and of
    its context terms. Those are read off the entity the first time a match needs them, not
    for every person of a large watchlist at build time."""

    __slots__ = ("_context", "_entity", "_letters", "_names", "code")

    def __init__(self, code: int, entity: Entity | None = None) -> None:
        self.code = code
        self._entity = entity
        self._names: frozenset[str] | None = None
        self._context = _NONE
        self._letters: tuple[tuple[str, Counter[str]], ...] = ()

    @property
    def names(self) -> frozenset[str]:
        if self._names is None:
            self._read()
        return self._names or frozenset()

    @property
    def letters(self) -> tuple[tuple[str, Counter[str]], ...]:
        """Each of `names` with the count of each of its letters."""
        if self._names is None:
            self._read()
        return self._letters

    @property
    def context(self) -> frozenset[str]:
        if self._names is None:
            self._read()
        return self._context

    def _read(self) -> None:
        e = self._entity
        words: set[str] = set()
        context: set[str] = set()
        if e is not None:
            words = {
                w
                for alias in (*e.aliases, *e.ambiguous_aliases)
                for w in _key(alias).split()[:-1]
                if _LETTERS.search(w)
            }
            # Its context terms are not given names either ("Сил Кудс Каані").
            context = {w for term in e.context for w in _key(term).split()} - words
        # The context and letters first: a reader that sees the names set sees them too.
        self._context = frozenset(context)
        self._letters = tuple((w, Counter(w)) for w in sorted(words))
        self._names = frozenset(words)


def entity_kinds(watchlist: Watchlist) -> tuple[Kind, ...]:
    """Per entity, what `drop_namesakes` tells apart. Places share one `Kind`, and so do the
    other kinds but persons: theirs holds no names to read."""
    place, other = Kind(PLACE), Kind(OTHER)
    return tuple(
        Kind(PERSON, e) if e.kind == "person" else place if e.kind == "location" else other
        for e in watchlist.entities
    )


def drop_namesakes(
    text: str,
    matches: list[Match],
    kinds: tuple[Kind, ...],
    heads: bool = True,
    animals: bool = True,
) -> list[Match]:
    """`matches` without those that name something else (`kinds[entity]` as `entity_kinds`
    gives): see the module docstring. `heads`: whether the post may have a head word (the
    matcher's `HEAD_BIT`); `animals`: a word for an animal or "road to" (`ANIMAL_BIT`);
    without them, only the rules that need none are applied."""
    out: list[Match] | None = None
    capitals: list[bool] = []  # does the post capitalise names? Read once, on first need.
    for n, m in enumerate(matches):
        entity = kinds[m.entity]
        if (text[m.start].isdigit() and _ordinal_of_another(text, m)) or (
            (
                heads
                or animals
                or entity.code != OTHER
                or text[m.start].islower()
                or "\u200c" in m.alias  # a Persian spelled acronym (`_spelled_together`)
            )
            and _namesake(text, m, entity, heads, capitals, animals)
        ):
            if out is None:
                out = matches[:n]
        elif out is not None:
            out.append(m)
    if out is None:
        return matches
    # A hashtag of a name the post uses for something else tags that thing (the Kursk
    # submarine ... #Kursk).
    dropped = {(m.entity, fold(text[m.start : m.end])) for m in matches if m not in out}
    return [
        m
        for m in out
        if not (
            m.start > 0
            and text[m.start - 1] == "#"
            and (m.entity, fold(text[m.start : m.end])) in dropped
        )
    ]


def _ordinal_of_another(text: str, m: Match) -> bool:
    """Whether a match that opens with a digit (an ordinal: 76-я, 76th; the caller checks the
    digit) is the number of the thing named right after it (76-я школа, the 76th minute) or
    of a model it is hyphened to (Ил-76); read whatever the post's trigger bits say, since such
    matches are rare."""
    if m.start > 1 and text[m.start - 1] in "-‐‑–" and text[m.start - 2].isalpha():
        return True  # a model's number (Ил-76, ایلیوشین-۷۶), not a unit's
    after = _word_after(text, m.end)
    return bool(after) and after.lower().startswith(_ORDINAL_HEAD_AFTER)


def _namesake(
    text: str, m: Match, entity: Kind, heads: bool, capitals: list[bool], animals: bool = False
) -> bool:
    kind = entity.code
    first = text[m.start] if m.start < len(text) else ""
    if "\u200c" in m.alias and _spelled_together(text, m):
        return True
    if m.start > 0 and text[m.start - 1] == "$":
        # A cashtag is a share's ticker ($HIMS, the telehealth company).
        return True
    if is_arabic(first):
        if (
            kind == PLACE
            and m.start > 0
            and m.end < len(text)
            and text[m.start - 1] in _OPEN_QUOTES
            and text[m.end] in _CLOSE_QUOTES
        ):
            # As in Russian, a place name in quotes is the title of something else (فیلم
            # «کورسک», the film).
            return True
        start = m.start
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if kind != OTHER:
            end = m.end
            while end < len(text) and (text[end].isalpha() or text[end] in "\u064b\u0652\u0651"):
                end += 1
            # A listed name that carries the article (الحرس الثوري) starts at the article, so
            # whatever precedes the match is never an article of its own.
            if start < m.start and fold(text[start : m.start]) in _AR_ARTICLE:
                return True
            if text[m.end : end] == "\u0629":
                # ة ends a word of its own, never a pronoun (حلبة "race track", not حلب + ه).
                return True
            if kind == PLACE and any(c in _TANWEEN for c in text[m.start : end]):
                # A place's name never takes nunation: with it, the word is the adjective
                # (وفداً سورياً, "a Syrian delegation").
                return True
            suffix = fold(text[m.end : end])
            if kind == PLACE and suffix in _AR_NISBA:
                return True
            if suffix == "ه" and fold(text[m.end - 1]) == "ي":
                # A name in -ي with ة/ه after it is the name of a place or a group derived from
                # it (سليماني, السليمانية "Sulaymaniyah").
                return True
        if not heads and (kind != PERSON or start < m.start):
            return False
        # A "word" of invisible characters only (a stray ZWNJ or tatweel) folds to nothing.
        word = fold(_word_before(text, start))
        if word:
            if (
                kind == PERSON
                and (word in _AR_GIVEN_NAMES or (word[0] in "وف" and word[1:] in _AR_GIVEN_NAMES))
                and word not in entity.names
                and " " not in m.alias.strip()
                and start == m.start
            ):
                # Arabic script has no capitals: a common given name before a bare surname.
                return True
            if not heads:
                return False
            for clitic in _AR_CLITICS:
                if word.startswith(clitic) and len(word) - len(clitic) >= 3:
                    if word[len(clitic) :] in _HEAD_BEFORE:
                        return True
                    break
            return word in _HEAD_BEFORE
        return False
    if (
        kind == PLACE
        and is_cyrillic(first)
        and m.start > 0
        and m.end < len(text)
        and text[m.start - 1] in _OPEN_QUOTES
        and text[m.end] in _CLOSE_QUOTES
    ):
        # Russian and Ukrainian write a place name in quotes only when it names something
        # else: a ship, a club, a shop (подлодка «Курск», шаурма «Халеб»).
        return True
    # Cased scripts: the head words are lower-case letters, so lower() does for fold() here.
    person = kind == PERSON and " " not in m.alias.strip()
    written = text[m.start : m.end]
    if m.alias.isupper() and not (written.isupper() or written.islower() or written.istitle()):
        # An acronym written in a case of its own is a unit or a symbol: kPa is not the KPA.
        return True
    if kind == PLACE and _YEAR_AFTER.match(text, m.end):
        # A year in brackets after a name: a film, a book, an album (Kursk (2018)).
        return True
    if heads:
        before = _word_before(text, m.start)
        after = _word_after(text, m.end)
        if before:
            word = fold(before)
            if word in _HEAD_BEFORE or (
                is_cyrillic(word[0])
                and (
                    word.startswith(_CYRILLIC_HEAD_BEFORE)
                    or word in _CYRILLIC_STREETS
                    or (
                        # a street's name as an adjective that agrees with it, in any case
                        # (на вулиці Курській, на улице Курской)
                        word.startswith(_STREET_STEMS)
                        and fold(written).endswith(_ADJECTIVE_ENDINGS)
                    )
                )
            ):
                return True
        if after:
            if first.isascii():
                if after.lower() in _HEAD_AFTER:
                    return True
            elif is_cyrillic(first) and after.lower().startswith(_CYRILLIC_HEAD_AFTER):
                return True
    if (
        kind == PLACE
        and is_cyrillic(first)
        and first.isupper()
        and fold(written).endswith(_ADJECTIVE_ENDINGS)
        and _NO_NOUN_AFTER.match(text, m.end)
        and fold(_word_before(text, m.start)) == "на"
    ):
        # A place's adjective on its own after на is a metro station's or a street's name
        # ("Выхожу на Курской, встречайте"), not the oblast's.
        return True
    if animals:
        if kind != OTHER and _animal_named(text, m):
            return True
        if (
            first.isascii()
            and _CONVERSION.match(text, m.end)
            and _ROAD_TO.search(text, max(0, m.start - 12), m.start)
        ):
            return True
    if first.isascii():
        if (
            len(written) >= 3
            and written.isupper()
            and not m.alias.isupper()
            and _spelled_out(written, text, m.end)
        ):
            # An acronym spelled out after it: HOMS (Hospital Operations Management System).
            return True
        if (
            m.ambiguous
            and text.startswith(" Day", m.end)
            and not text[m.end + 4 : m.end + 5].isalpha()
        ):
            # A day named after a name that also means something else: Quds Day, a march for
            # Jerusalem, not the force (VDV Day is the airborne troops' own).
            return True
    if first.islower() and _lowercased_name(text, m, capitals):
        return True
    if person:
        if fold(text[m.start : m.end]) in _SURNAME_PLACES and not _own_name_before(text, m, entity):
            return True
        return _other_person(text, m, entity)
    return kind == PLACE and first.isascii() and _US_STATE_AFTER.match(text, m.end) is not None


def _spelled_together(text: str, m: Match) -> bool:
    """Whether `m` is an acronym as Persian spells it (وی‌دی‌وی) but written without a gap
    between its letters: another word (ویدیوی, "the video of")."""
    if not _SPELLED.fullmatch(m.alias):
        return False
    return len(_LETTER_GAP.findall(text, m.start, m.end)) < m.alias.count("\u200c")


def _animal_named(text: str, m: Match) -> bool:
    """True when the name of a place or person is an animal's: right after "named", "на ім'я"
    and the like following a word for an animal ("a cat named Homs", "кіт на ім'я Хомс"), or
    followed by one ("Mali, the elephant")."""
    if _NAMED_ANIMAL.match(text, m.end):
        return True
    if text[m.start].isupper() and _ANIMAL_BEFORE.search(text, max(0, m.start - 16), m.start):
        return True
    return _ANIMAL_NAMED.search(text, max(0, m.start - 48), m.start) is not None


_EXPANSION = re.compile(r"\s*\(([^()]{3,80})\)")
_YEAR_AFTER = re.compile(r"\s*\((?:1[89]|20)\d\d\)")


def _spelled_out(acronym: str, text: str, end: int) -> bool:
    """Whether `acronym` is followed by its expansion in brackets, the initials of whose
    capitalised words spell it."""
    m = _EXPANSION.match(text, end)
    if m is None:
        return False
    initials = "".join(w[0] for w in m[1].split() if w[:1].isupper())
    return initials.upper() == acronym.upper()


def drop_acronyms_of_others(text: str, matches: list[Match]) -> list[Match]:
    """`matches` without acronyms in brackets after another name that they abbreviate: the
    Kenya Ports Authority (KPA) is not the Korean People's Army (KPA). After the entity's own
    name ("Korean People's Army (KPA)", matched too) the acronym stays."""
    out: list[Match] | None = None
    for n, m in enumerate(matches):
        if _acronym_of_another(text, m, matches[:n]):
            if out is None:
                out = matches[:n]
        elif out is not None:
            out.append(m)
    return matches if out is None else out


def _acronym_of_another(text: str, m: Match, before: list[Match]) -> bool:
    written = text[m.start : m.end]
    if m.start < 2 or text[m.start - 1] != "(" or not text.startswith(")", m.end):
        return False
    if len(written) < 2 or not written.isupper():
        return False
    lo = max(0, m.start - 120)
    # The capitalised words right before the bracket (small words such as "of" between them).
    words = list(_NOT_BRACKET.finditer(text, lo, m.start - 1))[-len(written) - 3 :]
    capitalised = [w for w in words if w[0][:1].isupper()][-len(written) :]
    if "".join(w[0][0] for w in capitalised).upper() != written.upper():
        return False
    # A match of the same entity in those words: its own name, spelled out.
    expansion = capitalised[0].start()
    return not any(o.entity == m.entity and o.start >= expansion for o in before)


_NOT_BRACKET = re.compile(r"[^\s()]+")


def drop_handle_parts(text: str, matches: list[Match], kinds: tuple[Kind, ...]) -> list[Match]:
    """`matches` without those that are only part of an @-handle: an account name such as
    @kursk_pets, @SyriaWarMonitor or @Hezbollah_Watch names the account, not the place or
    group. A match that is the whole handle (@IRGC) counts, and so does a person's name in
    one (@ApAlaudinov, @Qassem_Soleimani, @kadyrov_95: an account of the person's), unless the
    handle holds a word that is none of the person's names (@soleimani_sara: a namesake's)."""
    out = []
    # text[lo:hi]: the run of handle characters read back last, from its start. The matches
    # inside one long handle would each read it back again (quadratic).
    lo, hi = 0, -1
    for m in matches:
        if kinds[m.entity].code == PERSON:
            if not _namesakes_handle(text, m, kinds[m.entity]):
                out.append(m)
            continue
        start = m.start
        if lo <= start <= hi:
            start = lo
        else:
            while start > 0 and _in_handle(text[start - 1]):
                start -= 1
                if lo <= start <= hi:
                    start = lo
                    break
            if start == lo:
                hi = max(hi, m.start)
            else:
                lo, hi = start, m.start
        in_handle = (
            start > 0 and text[start - 1] == "@" and (start < 2 or not text[start - 2].isalnum())
        )
        # Only part of the handle when it does not start it or does not end it.
        if in_handle and (start != m.start or (m.end < len(text) and _in_handle(text[m.end]))):
            continue
        out.append(m)
    return out


_HANDLE_WORD = re.compile(r"[^\W\d_]{3,}")
# Words of a handle about the person (@Soleimani_fan, @kadyrov_official), not another's name.
_ABOUT_WORDS = frozenset(
    {"fan", "fans", "official", "news", "media", "archive", "updates", "daily", "real", "page",
     "info", "the", "army", "club", "love", "lover", "lovers", "martyr", "shahid", "legacy",
     "quotes", "photos", "videos", "channel", "live"}
)  # fmt: skip


def _namesakes_handle(text: str, m: Match, person: Kind) -> bool:
    """Whether the person's name `m` stands in an @-handle with a word of three letters or more
    that is none of the person's names nor a word about the person."""
    start = m.start
    while start > 0 and _in_handle(text[start - 1]):
        start -= 1
    if start == 0 or text[start - 1] != "@":
        return False
    end = m.end
    while end < len(text) and _in_handle(text[end]):
        end += 1
    rest = f"{text[start : m.start]} {text[m.end : end]}"
    return any(
        (key := _key(word)) not in person.names and key not in _ABOUT_WORDS
        for word in _HANDLE_WORD.findall(rest)
    )


def _in_handle(ch: str) -> bool:
    return ch.isalnum() or ch in "_.\u200c"  # (a dot too: @sara.soleimani)


def _lowercased_name(text: str, m: Match, capitals: list[bool]) -> bool:
    """True when a name listed as one capitalised word ("Mali") is written in lower case
    ("our mali", the gardener) by a writer who capitalises names elsewhere in the post.
    `capitals` holds the answer for the post once it was read (a property of the whole text:
    read once, not once per match, which made a post full of "mali" quadratic)."""
    alias = m.alias.strip()
    if len(alias) < 2 or not alias[0].isupper() or not alias[1:].islower() or " " in alias:
        return False
    written = text[m.start : m.end]
    if not written.islower():
        return False
    token = max(text.rfind(" ", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    if "/" in text[token : m.start]:
        # In a link's path, names are in lower case whatever the writer does
        # (…/how-the-fatemiyoun-came-home/).
        return False
    # An inflected Cyrillic form in lower case is the adjective or a case of the name (на
    # курском направлении), not a common word spelled like it; but the plural in -и of a name
    # in a velar is a common noun's (дамаски, damask curtains).
    if is_cyrillic(written[0]) and fold(written) not in (name := fold(alias), name + "и"):
        return False
    if not capitals:
        capitals.append(_capitalises_names(text))
    return capitals[0]


def _capitalises_names(text: str) -> bool:
    """True when a capitalised word (not all capitals) stands somewhere mid-sentence, in a post
    that opens with a capital: one that opens in lower case is written as it comes ("hizbolla
    flags all over the airport road again, Beirut never changes")."""
    if _opens_in_lower_case(text):
        return False
    for w in _WORD.finditer(text):
        if w[0][0].isupper() and not w[0].isupper():
            i = w.start()
            while i > 0 and text[i - 1] in " \t":
                i -= 1
            if i > 0 and text[i - 1] not in _SENTENCE_END:
                return True
    return False


def _opens_in_lower_case(text: str) -> bool:
    """Whether the post's first word, past the handles, hashtags and links a reply or a share
    opens with, is in lower case."""
    for token in text.split():
        if token[0] in "@#" or token.startswith("http"):
            continue
        first = next((c for c in token if c.isalpha()), None)
        if first is not None:
            return first.islower()
    return False


def _other_person(text: str, m: Match, entity: Kind) -> bool:
    """True when a person's bare surname stands next to a given name that is not one of the
    person's own ("Dr. Ali Soleimani", "the poet Qaani Shirazi"): a namesake."""
    start, end = m.start, m.end
    # The words on either side, when a space separates them (cheap: most have no capital).
    before = ""
    if start >= 2 and text[start - 1] == " ":
        before = text[text.rfind(" ", 0, start - 1) + 1 : start - 1]
        title = fold(before.rstrip("."))
        if title in _CIVIL_TITLES and title not in entity.names:
            return True
    if before and _name_like(before, entity):
        i = start - len(before) - 1
        while i > 0 and text[i - 1] == " ":
            i -= 1
        if i == 0 or text[i - 1] in _SENTENCE_END:
            # The first word of a sentence is capitalised whatever it is, unless it follows
            # an abbreviated title ("Dr. Ali").
            return (
                i > 1
                and text[i - 1] == "."
                and fold(_letters_behind(text, i - 1)) in _ABBREVIATIONS
            ) or fold(before) in _GIVEN_NAMES
        return True
    if text[end : end + 1] != " " or not text[end + 1 : end + 2].isupper():
        return False
    after = _WORD.match(text, end + 1)
    # A patronymic after a given name is the same man's ("Апти Ааронович"), not another name.
    return (
        after is not None
        and not after[0].endswith(_PATRONYMIC_ENDINGS)
        and _name_like(after[0], entity)
    )


def _letters_behind(text: str, end: int) -> str:
    """The run of letters that ends at `end` (read backwards: a search from the start of the
    text for every match made a post of "Dr. Ali Soleimani" quadratic)."""
    start = end
    while start > 0 and _LETTERS.match(text, start - 1):
        start -= 1
    return text[start:end]


def _own_name_before(text: str, m: Match, entity: Kind) -> bool:
    """Whether the word before the match is one of the person's given names or titles, or a
    spelling of one ("Qasim Sulaimani")."""
    if m.start < 2 or text[m.start - 1] != " ":
        return False
    word = _letters_behind(text, m.start - 1)
    if not word:
        return False
    folded = fold(word)
    return folded in _TITLES or _spelling_of_one(folded, entity.letters)


def _name_like(word: str, entity: Kind) -> bool:
    """A capitalised word that may be a given name, and not one of the entity's own names or a
    spelling of one, nor one of its context terms."""
    if len(word) < 2 or not word[0].isupper() or not word[1:].islower() or not word.isalpha():
        return False
    folded = fold(word)
    if folded in _TITLES or folded in _NOT_NAMES or folded in entity.context:
        return False
    if _place_word(folded):
        return False
    return not _spelling_of_one(folded, entity.letters)


# The one-word names of the gazetteer's places (Cyrillic ones without a final vowel, the stem
# their cases share): a place's name is no given name ("для половины Ирана Сулеймани").
_CYRILLIC_VOWELS = "аеиоуыэюяіїєйь"
_CYRILLIC_CASE_ENDINGS = ("ом", "ем", "ой", "ей", "ою", "ею", "ам", "ям", "ами", "ями", "ах", "ях")
_PLACE_WORDS = frozenset(
    fold(name).rstrip(_CYRILLIC_VOWELS)
    for spellings in GAZETTEER_PLACES.values()
    for spelling in spellings
    if " " not in (name := spelling.split(":", 1)[-1]) and "-" not in name
)


def _place_word(folded: str) -> bool:
    """Whether a folded word is a gazetteer place's name, in a Cyrillic case of it too (Ирана,
    Сирии, Ливане)."""
    if folded in _PLACE_WORDS:
        return True
    if not is_cyrillic(folded[0]):
        return False
    if folded.rstrip(_CYRILLIC_VOWELS) in _PLACE_WORDS:
        return True
    return any(
        folded[: -len(ending)].rstrip(_CYRILLIC_VOWELS) in _PLACE_WORDS
        for ending in _CYRILLIC_CASE_ENDINGS
        if folded.endswith(ending) and len(folded) - len(ending) >= 3
    )


def _spelling_of_one(word: str, names: tuple[tuple[str, Counter[str]], ...]) -> bool:
    """True when `word` is a spelling of one of `names` (each with its letter counts):
    difflib's ratio of the two is at least `_MIN_NAME_LIKENESS`. Its cheap upper bounds
    (difflib's `real_quick_ratio` and `quick_ratio`: the lengths, then the letters in common)
    rule out most names first, with the same answer: a ratio costs 20 µs, and a long post of
    names may ask for thousands."""
    counts: Counter[str] | None = None
    for name, letters in names:
        total = len(word) + len(name)
        if 2.0 * min(len(word), len(name)) / total < _MIN_NAME_LIKENESS:
            continue
        if counts is None:
            counts = Counter(word)
        common = sum(min(n, counts[c]) for c, n in letters.items())
        if 2.0 * common / total < _MIN_NAME_LIKENESS:
            continue
        if SequenceMatcher(None, word, name).ratio() >= _MIN_NAME_LIKENESS:
            return True
    return False


def _word_before(text: str, pos: int) -> str:
    """The word right before `pos`, across spaces and quotation marks only."""
    if pos == 0 or text[pos - 1] not in _GAP:
        return ""
    i = pos - 1
    while i > 0 and text[i - 1] in _GAP:
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in _IN_WORD):
        j -= 1
    return text[j:i]


def _word_after(text: str, pos: int) -> str:
    """The word right after `pos`, across spaces and quotation marks only."""
    if pos >= len(text) or text[pos] not in _GAP:
        return ""
    m = _WORD_AFTER.match(text, pos)
    return m[1] if m else ""


# Prepositions of place after which a name is a place: Russian and Ukrainian (в Мали, у Малі,
# из Мали, до Малі) and Persian (در مالی), and the points of the compass before a country's
# name (на севере Мали, північ Малі, شمال مالی). Not Arabic في: في مالي is also "in my money".
_LOCATIVES = frozenset(
    fold(
        "в во у из із з зі до در به از في إلى "
        "север севере севера юг юге юга восток востоке востока запад западе запада "
        "північ півночі південь півдні схід сході захід заході "
        "شمال جنوب شرق غرب ريف"
    ).split()
)
# Set when a key of some location's ambiguous alias is in the post (anywhere): only then does
# the engine look for those aliases after a preposition.
PLACE_BIT = 1 << 10


def place_entries(watchlist: Watchlist) -> list[tuple[int, str, int]]:
    """(entity index, alias, ALIAS) for every ambiguous alias of a location: the spellings the
    engine also looks for right after a preposition of place (`after_locative`)."""
    return [
        (i, alias, ALIAS)
        for i, entity in enumerate(watchlist.entities)
        if entity.kind == "location"
        for alias in entity.ambiguous_aliases
    ]


def after_locative(text: str, m: Match) -> bool:
    """True when the match of a location's ambiguous alias stands right after a preposition of
    place or a point of the compass and is written as a name: capitalised in Cyrillic script ("в Мали", "У Малі"; "у
    малі містечка" is "into small towns"), as the whole word in Arabic script ("در مالی"; not
    "در مالیات", "in taxes"). Such a post means the place, without a context term."""
    first = text[m.start]
    if is_cyrillic(first):
        if not first.isupper():
            return False
    elif is_arabic(first):
        if m.end < len(text) and (text[m.end].isalpha() or text[m.end] in _IN_WORD):
            return False
    else:
        return False
    return fold(_word_before(text, m.start)) in _LOCATIVES
