"""Alias matching: one Aho-Corasick automaton (`_native.Automaton`, in C) over normalised text.

Every alias, ambiguous alias and context term of the watchlist is compiled into one or more
`Pattern`s keyed by a fixed normalised string:

- Latin-script aliases also get English singular/plural forms of their last word ("Russian
  soldiers" and "Russian soldier") and, when they have several words, a joined form for hashtags
  and handles ("qassemsoleimani").
- Cyrillic words longer than three letters are reduced to a stem plus the set of case endings of
  their declension (Russian and Ukrainian), read off the nominative ending: "сирия" is "сир" +
  {ия, ии, ию, ией, ія, ії, ...}; a stem of three letters never matches bare ("Мали" is not
  "мал", "small"), and a capitalised name takes no plural in -ов/-ев/-ів (that is a surname,
  "Ливанов"). The automaton finds the stem of the first word; the rest of the
  alias is checked at that position. An ordinal written with digits ("76-я") is "76-" plus any
  ordinal ending, or the bare number.
- A name with a hyphen is also compiled with each hyphen as a space or left out, and with its
  spaces as hyphens ("Deir ez-Zor": "deir ez zor", "deir ezzor", "deir-ez-zor"); a Ukrainian name
  of six letters or more also in Russian letters ("хізбалла": "хизбалла").
- A Latin-script alias (not a context term) also gets keys with one transliteration change in
  a word of five letters or more: ei/ey/ai/ay, ou -> u or o, -iyoun -> -iyun or -iun, a
  doubled consonant single, q -> gh or k, gh -> q, kh -> h, zh -> j, a final -ah -> -a, -ov ->
  -ow ("soleymani", "fatemiyun", "hezbolah", "ghaani", "hezbolla", "zainabiyoun"). A Cyrillic
  alias gets a doubled consonant single, е for э and г for an initial х (Ukrainian's foreign
  h, also for an alias listed in Russian), in words of six letters or more ("хезбола",
  "гезболла", "дейр-ез-зор", "гмеймім"). Keys, not a fuzzy
  search: the automaton grows and matching costs nothing more. A variant that some alias is listed with, or a common
  word, is not added: the operator's spelling keeps its entity and role. The Arabic article
  inside a Latin-script name varies too ("deir al-zor", "deir el-zor", "deir zor"), and so do
  the other spellings of a hyphenated name.
- Arabic-script aliases accept the attached proclitics (و، ب، ل، ف، ك and their combinations)
  before them and short pronoun/plural suffixes after them; a name in -ون also matches in -ين
  and, Persian for one member of the group, with ی after it (فاطمیونی، فاطمیونی‌ها); a name of
  two words with the article on the second also without it (دیرزور), a name in -یه, -ا or -و
  with the Persian ezafe (سوریه‌ی، آفریقای، باماکوی). (Not a variant without the و of a long
  vowel, كرسك for كورسك: a key for most Arabic-script names of a large watchlist.)

A candidate counts only on word boundaries of its script, on a CamelCase boundary inside a
hashtag or handle (`#SoleimaniMartyr`), or, a Latin one, after an Arabic proclitic written on
it (الـIRGC). Overlapping candidates resolve to the leftmost longest.
Ambiguous aliases count only when the post also has one of the entity's context terms or one of
its other aliases. Offsets are into the original text.

`find` normalises the text, runs the automaton over it and resolves its hits in one C call
(`_native.scan`, no Python object per hit); `find_py` is the Python reference of the same rules
over the same automaton's hits, and the unit tests hold the two to the same output (and the
automaton's hits to ahocorasick_rs's). The build of the automaton's table is in C too
(`compile_table`), with `compile_table_py` and `compile_keys` as its reference. Pure: no I/O."""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from services.classifier import _native
from services.classifier.text import Normalized, fold, normalize_py
from services.classifier.watchlist import COMMON_WORDS

ALIAS, AMBIGUOUS, CONTEXT = 0, 1, 2
# Cells of the rows by which the alias automaton's shallow states step with one lookup (see
# `claims_text.PHRASE_DENSE_CELLS`): twice the default, at most 2 MB more. On the benchmark's
# 10,000 aliases the rows of the second letters need 0.4 million cells: one more kind of
# character in the keys (a foreign g's other letters, this round) pushed them off the default's,
# and every post took 3% more instructions. A watchlist of 100,000 aliases fits the same levels
# either way.
MATCHER_DENSE_CELLS = 1 << 19

# Case endings by the nominative ending that selects the declension (Russian and Ukrainian).
# fmt: off
_NOUN_M = ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах", "ові", "і", "ем", "ю", "я", "ей", "ів", "ою", "ым", "им")
_DECLENSIONS: dict[str, tuple[str, ...]] = {
    "ия": ("ия", "ии", "ию", "ией", "ией", "ій", "ія", "ії", "ію", "ією"),
    "ія": ("ія", "ії", "ію", "ією", "ия", "ии", "ию", "ией"),
    "ие": ("ие", "ия", "ию", "ием", "ии", "ий", "иям", "иями", "иях", "ые", "ых", "ым", "ыми", "их", "им", "ими"),
    "ые": ("ые", "ых", "ым", "ыми", "ие", "их", "им", "ими", "ая", "ой", "ую", "ого", "ому", "ым", "ом", "ый"),
    "і": ("і", "их", "им", "ими", "іх", "ім", "іми", "ий", "ого", "ому", "им", "ім", "а", "ої", "у", "ою", "ій", "ів", "ам", "ами", "ах", "ям", "ями", "ях"),
    "ий": ("ий", "ого", "ому", "им", "ом", "ая", "ой", "ую", "ие", "их", "ими", "ій", "ім", "ої", "і", "іх", "іми", "ые", "ых", "ым", "ыми", "ый", "ее", "ее"),
    "ый": ("ый", "ого", "ому", "ым", "ом", "ая", "ой", "ую", "ые", "ых", "ыми", "ий", "их", "им", "ими", "ие", "ое"),
    "ой": ("ой", "ого", "ому", "ым", "ом", "ая", "ую", "ые", "ых", "ыми", "ий", "их", "им", "ими", "ие", "ое"),
    "ая": ("ая", "ой", "ую", "ою", "ые", "ых", "ым", "ыми", "ий", "ого", "ому", "ом", "ее", "ое", "ие", "их", "им", "ими"),
    "яя": ("яя", "ей", "юю", "ею", "ие", "их", "им", "ими"),
    "а": ("а", "ы", "и", "е", "у", "ой", "ою", "ами", "ам", "ах", "і", "ою", "ей", "ов", "", "ої", "ій"),
    "я": ("я", "и", "е", "ю", "ей", "ею", "ї", "і", "є", "ям", "ями", "ях", "ь", "ів", "ею"),
    "ь": ("ь", "я", "ю", "ем", "е", "и", "ей", "ям", "ями", "ях", "і", "ів", "ем", "ею"),
    "о": ("о", "а", "у", "ом", "е", "ам", "ами", "ах", "і", ""),
    "е": ("е", "я", "ю", "ем", "ям", "ями", "ях", "ей", "і"),
    "ы": ("ы", "ов", "ев", "ам", "ами", "ах", "ей", "", "и"),
    "и": ("и", "ов", "ев", "ей", "ам", "ям", "ами", "ями", "ах", "ях", "", "ів"),
    "й": ("й", "я", "ю", "ем", "е", "и", "ев", "ям", "ями", "ях", "ї", "єм", "ї"),
}
# Endings of ordinal numbers written with digits, Russian and Ukrainian ("76-я", "76-ї").
_ORDINAL = (
    "й", "я", "е", "ю", "го", "му", "м", "х", "ми", "ой", "ая", "ый", "ий", "ое", "ую", "ого", "ому", "ым", "ом", "ых", "ые", "ыми",
    "а", "ї", "і", "у", "ої", "ій", "ою", "им", "ім", "их", "ими", "та", "ту", "тої", "тій", "тою", "ти", "тих", "тим", "ма", "ша", "га", "ка",
)
_AR_PROCLITICS = frozenset(
    {"و", "ب", "ل", "ف", "ك", "وب", "ول", "فب", "فل", "وك", "لل", "ال", "وال", "بال", "فال", "كال", "ولل", "فلل"}
)
_AR_SUFFIXES = frozenset({"ه", "ها", "هم", "هما", "يا", "يان", "ان", "ين", "ون", "نا", "اي", "هاي", "هايي", "ات", "را", "رو", "و", "اند", "ايم", "است"})
# fmt: on
_MAX_ENDING = 4
_VOWELS = frozenset("аеёиоуыэюяіїє")
_VELARS = frozenset("гкхжшщч")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_WORD = re.compile("[\u0400-\u04ff-]+")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")
_ALNUM = re.compile(r"[^\W_]")
_ORDINAL_WORD = re.compile("([0-9]+)-[\u0400-\u04ff]{1,3}")
# A space or hyphen between two letters (not the hyphen of an ordinal, "76-я").
_NAME_SEP = re.compile(r"(?<=[^\W\d_])[ -](?=[^\W\d_])")
_UKRAINIAN_LETTERS = re.compile("[іїєґ]")
_MIN_RESPELLED = 6
# Latin transliterations of Arabic, Persian and Russian names that vary: each site and the
# other spellings of it (a doubled consonant is also written single). One alternation, so that
# a key is scanned once.
_TRANSLIT_SITES = {
    "ei": ("ey", "ai"),
    "ey": ("ei", "ay"),
    "ai": ("ay", "ei"),
    "ay": ("ai", "ey"),
    "iyou": ("iyu", "iyo", "iu"),
    "ou": ("u", "o"),
    "q": ("gh", "k"),
    "gh": ("q",),
    "kh": ("h",),
    "zh": ("j",),
    "ah": ("a",),
    "ov": ("ow",),
    "ev": ("ew",),
}
# -ov/-ev only at the end of a word: the Russian surname ending, written -ow in German and
# Polish transliteration (Alaudinow); -ah only at the end too, where the h is often dropped
# (Hezbolla). A single short vowel written another way (Halab, Haleb) is left out: a key for
# every vowel of every name would double the automaton of a large watchlist.
_TRANSLIT = re.compile(
    "iyou|gh|kh|zh|ei|ey|ai|ay|ou|q|ah(?![a-z])|[oe]v(?![a-z])|([bcdfgklmnprstvz])\\1"
)
_MIN_TRANSLIT_WORD = 5
# The Arabic article inside a Latin-script name, as a word of its own after the first (Deir
# ez-Zor, Ras al-Ain): transliterations write it al, el or assimilated to the next consonant,
# and often drop it (Deir Zor).
_LATIN_ARTICLE = re.compile("(?<=[a-z][ -])(?:al|el|ul|a[dnrstz]|e[dnrstz]|ash|esh)(?=[ -][a-z])")
_ARTICLE_FORMS = ("al", "el")
# Cyrillic spellings of the same names: a doubled consonant written single (Хезбола, Алепо), е
# for э (Дейр-ез-Зор), and, in Ukrainian, the г that stands for the Arabic h at the start of a
# name (Гмеймім, Гамас). Only in words of six letters or more. (Not э for every е: a key for
# most names of a large watchlist.)
_CYRILLIC_SITES = {"э": ("е",)}
_CYRILLIC_VARIANT = re.compile("([бвгджзклмнпрстфхц])\\1|э")
_MIN_CYRILLIC_VARIANT_WORD = 6
_UK_TO_RU = str.maketrans("іїєґ", "ииег")

_COMMON = frozenset(fold(w) for w in COMMON_WORDS)
# Shared sets: a large watchlist holds one reference per word, not one set per word.
_ENDINGS = {
    **{nom: frozenset(endings) for nom, endings in _DECLENSIONS.items()},
    "": frozenset(_NOUN_M),
    # After a velar or a hissing consonant the Russian plural is in -и (Хезболлахи, Ираки).
    "к": frozenset((*_NOUN_M, "и")),
    "-": frozenset(_NOUN_M) - {""},  # after the і/о alternation the bare form is not a word
    "#": frozenset(_ORDINAL),  # after the hyphen of a number
}
_BARE = frozenset({""})
_MIN_BARE_STEM = 4
_ENDINGS_NOT_BARE = {nom: endings - _BARE for nom, endings in _ENDINGS.items()}
# A name (capitalised) does not take the genitive plural in -ов/-ев/-ів: with it, it is a
# surname made from the name ("Ливанов", "Сулейманов").
_SURNAME_ENDINGS = frozenset({"ов", "ев", "ів"})
# Nor does a name in -и lose it: such a name is a foreign one that Russian does not decline
# (Сулеймани, Бенгази), and its bare stem is another name (Сулейман, Suleiman the Magnificent).
_PROPER_ENDINGS = {
    nom: endings - _SURNAME_ENDINGS - (_BARE if nom == "и" else frozenset())
    for nom, endings in _ENDINGS.items()
}
_PROPER_NOT_BARE = {nom: endings - _SURNAME_ENDINGS for nom, endings in _ENDINGS_NOT_BARE.items()}


class Pattern(NamedTuple):
    """One way to match one alias. `first` are the endings allowed right after the key (None:
    the key is a whole word); `rest` are the following words as (stem, endings or None).

    Pattern and Match are named tuples rather than frozen dataclasses: as immutable, and several
    times cheaper to create (hundreds of thousands at build time, one per match when
    classifying)."""

    entity: int  # index into the watchlist's entities
    alias: str  # as the watchlist writes it
    role: int  # ALIAS, AMBIGUOUS or CONTEXT
    first: frozenset[str] | None = None
    rest: tuple[tuple[str, frozenset[str] | None], ...] = ()
    arabic: bool = False


class Match(NamedTuple):
    entity: int
    alias: str
    start: int  # in the original text
    end: int
    ambiguous: bool = False


# The tables the C build (`compile_table`) shares with this module's, the same objects.
_native.compile_setup(
    Pattern,
    _DECLENSIONS,
    _ENDINGS,
    _ENDINGS_NOT_BARE,
    _PROPER_ENDINGS,
    _PROPER_NOT_BARE,
    _BARE,
    _COMMON,
)


# The same word recurs across a large watchlist (given names, "бригада"): its stems and its
# English forms are worked out once. Bounded, and the tuples are shared with the patterns.
@functools.lru_cache(maxsize=1 << 14)
def _stems(word: str, proper: bool = False) -> tuple[tuple[str, frozenset[str] | None], ...]:
    """A Cyrillic word as (stem, allowed endings) pairs; short words and others match whole.
    `proper`: the word is a name (written capitalised), which has no plural."""
    ordinal = _ORDINAL_WORD.fullmatch(word)
    if ordinal:
        # "76-я", "76-та": any ordinal ending after the hyphen ("76-й", "76-ї"), or the bare
        # number ("76 ДШД").
        return ((ordinal[1] + "-", _ENDINGS["#"]), (ordinal[1], _BARE))
    if len(word) <= 3 or not _CYRILLIC_WORD.fullmatch(word):
        return ((word, None),)
    for nom in (word[-2:], word[-1:]):  # the longest nominative ending first
        if nom in _DECLENSIONS and len(word) - len(nom) >= 3:
            stem = word[: -len(nom)]
            if len(stem) < _MIN_BARE_STEM:
                # A stem of three letters is a word of its own too often ("Мали": "мал",
                # "Хама": "хам"): it does not match bare.
                return ((stem, (_PROPER_NOT_BARE if proper else _ENDINGS_NOT_BARE)[nom]),)
            return ((stem, (_PROPER_ENDINGS if proper else _ENDINGS)[nom]),)
    table = _PROPER_ENDINGS if proper else _ENDINGS
    out: list[tuple[str, frozenset[str] | None]] = [
        (word, table["к" if word[-1] in _VELARS else ""])
    ]
    if len(word) >= 4 and word[-2] == "і" and word[-1] not in _VOWELS:
        # Ukrainian і/о alternation in the last syllable: Харків, Харкова, Харкові.
        out.append((word[:-2] + "о" + word[-1], table["-"]))
    return tuple(out)


def _spellings(key: str) -> list[str]:
    """The folded alias and the spellings that write the same name another way: a hyphenated
    name with spaces or run together ("Deir ez-Zor", "Deir ez Zor", "Deir Ezzor"), and a
    Ukrainian spelling in Russian letters ("Хізбалла", "Хизбалла")."""
    out = [key]
    seps = _NAME_SEP.findall(key)
    if "-" in seps and len(seps) <= 3:
        # With a hyphen in the name, every separator may be a hyphen, a space or (a hyphen
        # only) nothing; names with more parts vary their hyphens only.
        parts = _NAME_SEP.split(key)
        choices = [
            ("-", " ", "") if sep == "-" else (" ", "-") if len(seps) <= 2 else (" ",)
            for sep in seps
        ]
        for combo in itertools.product(*choices):
            spelled = parts[0] + "".join(c + p for c, p in zip(combo, parts[1:], strict=True))
            if spelled not in out:
                out.append(spelled)
    if _UKRAINIAN_LETTERS.search(key) and len(key) >= _MIN_RESPELLED:
        # Not for short words: Ukrainian "Малі" (Mali) in Russian letters is "мали", "had".
        out.extend([s.translate(_UK_TO_RU) for s in out])
    return out


@functools.lru_cache(maxsize=1 << 14)
def _english_forms(word: str) -> tuple[str, ...]:
    """The word and its regular singular or plural, for Latin-script words: the word first,
    then the others in a fixed order (the C build makes its keys in the same order)."""
    if not word.isascii() or not word.isalpha() or len(word) < 4:
        return (word,)
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith(("ches", "shes", "sses", "xes")):
        forms.append(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is", "os", "as")) and len(word) > 4:
        forms.append(word[:-1])
    if word.endswith("y") and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    elif word.endswith(("ch", "sh", "ss", "x")):
        forms.append(word + "es")
    elif not word.endswith("s"):
        forms.append(word + "s")
    return tuple(forms)


def compile_alias(alias: str, entity: int, role: int) -> list[tuple[str, Pattern]]:
    """(automaton key, pattern) pairs for one alias, the spellings as listed first, then the
    other transliterations; empty when it folds to nothing."""
    listed, variants = compile_keys(alias, entity, role)
    return [*listed, *variants]


def compile_keys(
    alias: str, entity: int, role: int
) -> tuple[list[tuple[str, Pattern]], list[tuple[str, Pattern]]]:
    """(automaton key, pattern) pairs for one alias: the alias as written (its inflections and
    the ways of writing its hyphens and Ukrainian letters), and its other transliterations, one
    change each, for an alias that is not a context term. The matcher drops a variant that is a
    key some alias is listed with (the operator's word wins: "Hizbullah" listed as ambiguous
    stays ambiguous) or a common word."""
    key = fold(alias).lstrip("#@").strip()
    if not _ALNUM.search(key):
        return [], []
    latin = key.isascii()
    if "-" not in key and (latin or not _UKRAINIAN_LETTERS.search(key)):
        spellings = [key]
        listed = _compile_key(key, alias, entity, role)
    else:
        spellings = _spellings(key)
        listed = []
        for spelled in spellings:
            listed.extend(_compile_key(spelled, alias, entity, role))
    if role == CONTEXT:
        return listed, []
    if latin:
        pattern = listed[0][1]
        variants_ascii = _transliterations(key)
        if len(spellings) > 1:
            # A hyphenated name varies its transliteration in its other spellings too (Deir
            # al-Zour: "deir al zor").
            for spelled in spellings[1:]:
                variants_ascii.extend(_transliterations(spelled))
        if _LATIN_ARTICLE.search(key):
            for spelled in spellings:
                variants_ascii.extend(_article_variants(spelled))
        return listed, [(variant, pattern) for variant in variants_ascii]
    variants: list[tuple[str, Pattern]] = []
    if _CYRILLIC.search(key):
        for spelled in spellings:
            for variant in _cyrillic_variants(spelled):
                variants.extend(_compile_key(variant, alias, entity, role))
    return listed, variants


def compile_variants(alias: str, entity: int, role: int) -> list[tuple[str, Pattern]]:
    """The other transliterations of `compile_keys` alone."""
    return compile_keys(alias, entity, role)[1]


def _long_enough(key: str, start: int, end: int, least: int) -> bool:
    """Whether the word holding key[start:end] has `least` letters or more."""
    word_start = key.rfind(" ", 0, start) + 1
    word_end = key.find(" ", end)
    return (len(key) if word_end < 0 else word_end) - word_start >= least


def _transliterations(key: str) -> list[str]:
    """Other Latin transliterations of the same name, one change each, in words long enough
    for the change not to make another common word."""
    out: list[str] = []
    for m in _TRANSLIT.finditer(key):
        start, end = m.span()
        if not _long_enough(key, start, end, _MIN_TRANSLIT_WORD):
            continue
        site = m[0]
        for rep in _TRANSLIT_SITES.get(site) or (site[0],):
            out.append(key[:start] + rep + key[end:])
    return out


def _article_variants(key: str) -> list[str]:
    """The same name with the Arabic article inside it written another common way, or left
    out: "deir ez-zor" as "deir al-zor", "deir el-zor", "deir zor"."""
    out: list[str] = []
    for m in _LATIN_ARTICLE.finditer(key):
        start, end = m.span()
        for rep in _ARTICLE_FORMS:
            if rep != m[0]:
                out.append(key[:start] + rep + key[end:])
        # Left out, with the separator after it.
        out.append(key[:start] + key[end + 1 :])
    return out


def _cyrillic_variants(key: str) -> list[str]:
    """Other Cyrillic spellings of the same name, one change each (see `_CYRILLIC_SITES`)."""
    out: list[str] = []
    for m in _CYRILLIC_VARIANT.finditer(key):
        start, end = m.span()
        if _long_enough(key, start, end, _MIN_CYRILLIC_VARIANT_WORD):
            site = m[0]
            for rep in _CYRILLIC_SITES.get(site) or (site[0],):
                out.append(key[:start] + rep + key[end:])
    if key[0] == "х" and _long_enough(key, 0, 1, 6):
        out.append("г" + key[1:])
    return out


def _compile_key(key: str, alias: str, entity: int, role: int) -> list[tuple[str, Pattern]]:
    words = key.split(" ")
    out: list[tuple[str, Pattern]] = []
    latin = key.isascii()  # then neither Cyrillic nor Arabic, and no regex need say so
    if not latin and _CYRILLIC.search(key):
        proper = alias.lstrip("#@ ")[:1].isupper()
        alternatives = [_stems(w, proper) for w in words]
        for stems in itertools.product(*alternatives):
            first_stem, first_endings = stems[0]
            rest = tuple(stems[1:])
            out.append((first_stem, Pattern(entity, alias, role, first_endings, rest)))
        if len(words) > 1:
            out.append(("".join(words), Pattern(entity, alias, role)))
        return out
    if not latin and _ARABIC.search(key):
        pattern = Pattern(entity, alias, role, arabic=True)
        out.append((key, pattern))
        if key.endswith("ون") and len(words[-1]) >= 5:
            # The Arabic plural in -ون is -ين outside the nominative (الفاطميين, زينبيين), and
            # -و before a noun it governs (فاطميو أفغانستان).
            out.append((key[:-2] + "ين", pattern))
            out.append((key[:-2] + "و", pattern))
            # Persian makes one member of such a group with ی (فاطمیونی, "a Fatemiyoun
            # fighter"), and its plural with ها after it (فاطمیونی‌ها).
            out.append((key + "ي", pattern))
        elif len(words) > 1 and words[0].endswith("ون") and len(words[0]) >= 5:
            # The same plural as the first of several words (المظليون الروس, المظليين الروس).
            out.append((words[0][:-2] + "ين " + " ".join(words[1:]), pattern))
        if key.startswith("ال") and len(key) > 3:
            out.append(("لل" + key[2:], pattern))
        if key.endswith("يه") and len(words[-1]) >= 4:
            # Persian writes the ezafe after the final silent h of a name in -یه as ی (سوریه‌ی
            # جنگ‌زده, "war-torn Syria"); the joiner folds away. Not after a sounded h:
            # حزب‌اللهی is an Iranian hardliner.
            out.append((key + "ي", pattern))
        elif key.endswith(("ا", "و")) and len(words[-1]) >= 4:
            # And after a final long a or u, as ی too (سپاه آفریقای رومل, "Rommel's Afrika
            # Korps"; باماکوی ناآرام, "restless Bamako"); the adjective takes two (آفریقایی),
            # so it stays apart.
            out.append((key + "ي", pattern))
        if (
            len(words) == 2
            and not words[0].startswith("ال")
            and words[1].startswith("ال")
            and len(words[1]) >= 5
        ):
            # A name of two words with the article on the second (دير الزور): Persian writes
            # it without the article, apart or joined (دیر زور، دیرزور).
            out.append((words[0] + " " + words[1][2:], pattern))
            out.append((words[0] + words[1][2:], pattern))
        if len(words) > 1:
            # Persian joins words with a zero-width non-joiner (حزب‌الله), which folds away.
            out.append(("".join(words), pattern))
        return out
    # One pattern for every key of the alias: cheaper to build and to compare when merging.
    pattern = Pattern(entity, alias, role)
    for last in _english_forms(words[-1]):
        out.append((" ".join([*words[:-1], last]), pattern))
    if len(words) > 1:
        # Joined, for hashtags and handles (#QassemSoleimani), in the form as written only.
        out.append(("".join(words), pattern))
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building a watchlist makes hundreds of thousands of
    small objects and no cycles, and collections triggered meanwhile would walk all of them
    again and again (a third of the build time for a large watchlist)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Per automaton key: its length, its patterns, whether any of them is Arabic-script (only those
# may start inside a run of letters, after a proclitic), and its trigger bits.
Value = tuple[int, tuple[Pattern, ...], bool, int]


def compile_table(
    entries: Iterable[tuple[int, str, int]], triggers: Iterable[tuple[str, int]] = ()
) -> tuple[list[str], list[Value]]:
    """The automaton's keys, grouped by their first two characters, and their values in the
    same order: every listed key of `compile_keys` for each entry and of `_trigger_keys` for
    each trigger, then every other transliteration that is neither a listed key nor a common
    word; each key's patterns in the order of the entries (a pattern equal to one it has
    already is left out). In C (`_native.compile_table`); `compile_table_py` is its Python
    reference, and the unit tests hold the two to the same keys and values in the same order."""
    bits: dict[str, int] = {}
    for phrase, bit in triggers:
        for key in _trigger_keys(phrase):
            bits[key] = bits.get(key, 0) | bit
    keys, values = _native.compile_table(
        entries if isinstance(entries, list | tuple) else list(entries), bits
    )
    return keys, values


def compile_table_py(
    entries: Iterable[tuple[int, str, int]], triggers: Iterable[tuple[str, int]] = ()
) -> tuple[list[str], list[Value]]:
    """The Python reference of `compile_table`."""
    # Per key its patterns: a tuple, shared by the keys of one alias while it has one pattern,
    # and a list once it has several.
    by_key: dict[str, tuple[Pattern, ...] | list[Pattern]] = {}
    bits: dict[str, int] = {}
    for phrase, bit in triggers:
        for key in _trigger_keys(phrase):
            bits[key] = bits.get(key, 0) | bit
            by_key.setdefault(key, [])
    # The keys by their first two characters, then as met: the order of the table, which the C
    # build makes too. (It was chosen when the automaton's build read keys so grouped a third
    # faster; that build now moves each state's keys side by side itself, at the same cost in
    # any order.)
    groups: dict[str, list[str]] = {}
    for key in by_key:
        groups.setdefault(key[:2], []).append(key)
    get = by_key.get
    last: Pattern | None = None
    alone: tuple[Pattern, ...] = ()
    variants: list[tuple[str, Pattern]] = []
    for entity, alias, role in entries:
        listed, other = compile_keys(alias, entity, role)
        if other:
            variants.extend(other)
        for key, pattern in listed:
            have = get(key)
            if have is None:
                if pattern is not last:
                    last, alone = pattern, (pattern,)
                by_key[key] = alone
                group = groups.get(key[:2])
                if group is None:
                    groups[key[:2]] = [key]
                else:
                    group.append(key)
            elif pattern not in have:
                if isinstance(have, list):
                    have.append(pattern)
                else:
                    by_key[key] = [*have, pattern]
    # Other transliterations, unless some alias is listed with the same key: a spelling the
    # operator wrote keeps the entity and role the operator gave it.
    extra: dict[str, tuple[Pattern, ...] | list[Pattern]] = {}
    for key, pattern in variants:
        if get(key) or key in _COMMON:
            continue
        have = extra.get(key)
        if have is None:
            if pattern is not last:
                last, alone = pattern, (pattern,)
            extra[key] = alone
        elif pattern not in have:
            if isinstance(have, list):
                have.append(pattern)
            else:
                extra[key] = [*have, pattern]
    del variants
    for key, patterns in extra.items():
        if key not in by_key:  # else a trigger's key, without patterns of its own
            group = groups.get(key[:2])
            if group is None:
                groups[key[:2]] = [key]
            else:
                group.append(key)
        by_key[key] = patterns
    del extra
    keys = [key for prefix in sorted(groups) for key in groups[prefix]]
    del groups
    values: list[Value] = []
    append = values.append
    for key in keys:
        patterns = by_key[key]
        if isinstance(patterns, list):
            patterns = tuple(patterns)
            arabic = any(p.arabic for p in patterns)
        else:
            arabic = patterns[0].arabic
        append((len(key), patterns, arabic, bits.get(key, 0)))
    return keys, values


class Matcher:
    """Built once per watchlist (off the hot path); `find` is pure and reentrant."""

    def __init__(
        self, entries: Iterable[tuple[int, str, int]], triggers: Iterable[tuple[str, int]] = ()
    ) -> None:
        """`entries`: (entity index, alias, role) for every alias and context term.
        `triggers`: (phrase, bit) pairs looked for in the same pass, anywhere (no word
        boundaries): `scan` returns the bits of those present, a superset filter for callers
        that would otherwise scan the post again (the claim detector's first look)."""
        with gc_paused():
            self._load(*compile_table(entries, triggers))

    @classmethod
    def from_table(cls, keys: list[str], values: list[Value]) -> Matcher:
        """A matcher of `compile_table`'s output, for a caller that needs the keys too."""
        matcher = cls.__new__(cls)
        with gc_paused():
            matcher._load(keys, values)
        return matcher

    def _load(self, keys: list[str], values: list[Value]) -> None:
        self._values = values
        self.keys = len(keys)
        self._automaton = _native.Automaton(keys, dense_cells=MATCHER_DENSE_CELLS) if keys else None

    def find(self, text: str) -> list[Match]:
        """Matches of aliases (not context terms) in `text`, leftmost longest, in order."""
        return self.scan(text)[0]

    def scan(self, text: str) -> tuple[list[Match], int]:
        """`find`'s matches, and the bits of the triggers present in the same pass."""
        automaton = self._automaton
        if automaton is None:
            return [], 0
        return _native.scan(automaton, text, self._values, _AR_SUFFIXES, _AR_PROCLITICS, Match)

    def find_py(self, text: str | Normalized) -> list[Match]:
        """The Python reference of `find`: the same matches, by the same rules."""
        return self.scan_py(text)[0]

    def scan_py(self, text: str | Normalized) -> tuple[list[Match], int]:
        """The Python reference of `scan`."""
        nt = text if isinstance(text, Normalized) else normalize_py(text)
        automaton = self._automaton
        if automaton is None:
            return [], 0
        norm = nt.norm
        hits = automaton.hits(norm)
        if not hits:
            return [], 0
        n = len(norm)
        values = self._values
        tags: bool | None = None  # does the text have hashtags or handles (CamelCase)?
        found: list[tuple[int, int, Pattern]] = []
        context: set[int] | None = None
        mask = 0
        for index, start, key_end in hits:
            _, patterns, arabic, bits = values[index]
            mask |= bits
            if not patterns:
                continue
            if start > 0 and norm[start - 1].isalnum():
                # Inside a run of letters: only after an Arabic proclitic, or at a CamelCase
                # boundary of a hashtag or handle.
                if arabic and _arabic_prefix(norm, start):
                    patterns = tuple(p for p in patterns if p.arabic)
                elif (
                    not arabic
                    and _is_arabic_letter(norm[start - 1])
                    and _arabic_prefix(norm, start)
                ):
                    # A Latin name after an Arabic proclitic, written on (الـIRGC, لـHezbollah):
                    # the change of script is the word's boundary.
                    pass
                else:
                    if tags is None:
                        tags = "#" in norm or "@" in norm
                    if not tags or not _camel_at(nt, start):
                        continue
            for p in patterns:
                end = _match_end(nt, norm, n, key_end, p)
                if end < 0:
                    continue
                if p.role == CONTEXT:
                    if context is None:
                        context = set()
                    context.add(p.entity)
                else:
                    found.append((start, end, p))
        if not found:
            return [], mask
        if len(found) > 1:
            found.sort(key=_leftmost_longest)
        out: list[Match] = []
        confirmed = set() if context is None else context
        pos = -1
        chosen: list[tuple[int, int, Pattern]] = []
        for start, end, p in found:
            if start < pos:
                continue
            chosen.append((start, end, p))
            pos = end
            if p.role == ALIAS:
                confirmed.add(p.entity)
        for start, end, p in chosen:
            if p.role == AMBIGUOUS and p.entity not in confirmed:
                continue
            s, e = nt.span(start, end)
            out.append(Match(p.entity, p.alias, s, e, p.role == AMBIGUOUS))
        return out, mask


def _trigger_keys(phrase: str) -> set[str]:
    """The automaton keys of a trigger phrase: its normalised form and, in Arabic script, the
    forms with the spaces between its words dropped (a zero-width non-joiner, which
    normalisation removes, often stands there instead)."""
    key = fold(phrase.strip("*"))
    if not key:
        return set()
    keys = {key}
    if _ARABIC.search(key) and " " in key:
        words = key.split(" ")
        for joins in itertools.product(("", " "), repeat=len(words) - 1):
            keys.add(words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=True)))
    return keys


def _leftmost_longest(f: tuple[int, int, Pattern]) -> tuple[int, int]:
    return f[0], f[0] - f[1]


def _match_end(nt: Normalized, norm: str, n: int, pos: int, p: Pattern) -> int:
    """Where the match of `p` whose key ends at `pos` ends, or -1 when it does not match."""
    pos = _word_end(nt, norm, n, pos, p.first, p.arabic)
    if pos < 0:
        return -1
    for stem, endings in p.rest:
        if pos >= n or norm[pos] != " " or not norm.startswith(stem, pos + 1):
            return -1
        pos = _word_end(nt, norm, n, pos + 1 + len(stem), endings, False)
        if pos < 0:
            return -1
    return pos


def _word_end(
    nt: Normalized, norm: str, n: int, pos: int, endings: frozenset[str] | None, arabic: bool
) -> int:
    """End of the word whose stem ends at `pos`, if what follows is an allowed ending."""
    if pos >= n or not norm[pos].isalnum():
        return pos if endings is None or "" in endings else -1
    j = pos
    limit = pos + _MAX_ENDING + 1
    while j < n and j < limit and norm[j].isalpha():
        j += 1
    if j < n and norm[j].isalnum():
        return pos if endings is None and _camel_at(nt, pos) else -1
    suffix = norm[pos:j]
    if endings is not None:
        return j if suffix in endings else -1
    if arabic and suffix in _AR_SUFFIXES:
        return pos
    return pos if _camel_at(nt, pos) else -1


def _is_arabic_letter(c: str) -> bool:
    return "\u0600" <= c <= "\u06ff"


def _arabic_prefix(norm: str, start: int) -> bool:
    i = start
    while i > 0 and norm[i - 1].isalnum() and start - i < 4:
        i -= 1
    if i > 0 and norm[i - 1].isalnum():
        return False
    return norm[i:start] in _AR_PROCLITICS


def _camel_at(nt: Normalized, pos: int) -> bool:
    """True when `pos` is a CamelCase word boundary inside a hashtag or @-handle."""
    if pos <= 0 or pos >= len(nt.norm):
        return False
    orig = nt.text
    o = nt.orig(pos)
    if o <= 0 or o >= len(orig):
        return False
    prev, cur = orig[o - 1], orig[o]
    if not (cur.isupper() and (prev.islower() or prev.isdigit())) and not (
        cur.isdigit() and prev.isalpha()
    ):
        return False
    norm = nt.norm
    i = pos
    while i > 0 and norm[i - 1].isalnum():
        i -= 1
    return i > 0 and norm[i - 1] in "#@"
