"""Listed names in spellings nobody listed, in any script: Dayr al-Zur and Дэйр-эз-Зор for Deir
ez-Zor, كرسك and کروسک for Kursk, خمیمیم for Hmeimim, ألاودينوف and آلائودینوف for Alaudinov,
الباسداران for Pasdaran, Фатемійон for Fatemiyoun, افریکا کورپس for Africa Corps.

Every listed alias (every script) and every candidate word of a post are written in one
alphabet of consonant classes, their skeleton: k, q, c, g, gh and ك ق گ غ к г are one class,
h, kh, x and ح خ ه х another, s and ص س ث с, z and ز ذ ظ ض з, b and p, f, v and ph, and so
on; vowels and weak letters (a e i o u y w, ا و ي ى ع ء, а е и о у ы э ю я є і ї й ь ъ) are
dropped, a doubled letter counts once, a final h after a vowel (Hezbollah, الله) is dropped, and
so are the Arabic article (ال at the start of a word, al-, el-, ez-, аль-, эз- as a word of a
name of several words) and an Arabic proclitic before it. A post word, or two or three words in
a row, whose skeleton is that of a listed name is a candidate for its entity when:

- the skeleton has four classes or more (Kursk KRSK, Hmeimim HMMM; not Homs, Aleppo), so that
  it says more than a short word can by chance;
- the word is capitalised in Latin or Cyrillic script (Arabic script has no capitals), not a
  common word, not a spelling listed for an entity (an ambiguous alias stays ambiguous: Hizbullah
  is counted only with context), and no listed match covers it;
- its length is within a third of the name's (Sulaymaniyah is not Soleimani), and it ends in a
  vowel where the name does and in a consonant where it does (Suleiman is not Soleimani);
- the name is an alias, not an ambiguous one, and not a context term.

The engine's namesake rules (`derived.drop_namesakes`, exclude terms) apply after, as to every
match. The main pass does not look for skeletons: `wanted` splits the post into tokens and
reads only those it has not judged before (a feed repeats its words; at most 200,000 are
remembered); a token whose word is not a word of a listed spelling and whose skeleton is a
listed name's (or, capitalised, its first word's) marks the post, and `find` reads only the
words around such tokens. This costs: on the bench's chatter mix with its 10,000 generated
aliases, which share syllables with everyday words, classify runs about twice as long; the
trigger is not yet cheap enough to leave on there. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from services.classifier.matching import Match
from services.classifier.text import fold
from services.classifier.watchlist import COMMON_WORDS, Watchlist

MIN_CLASSES = 4
# Multigraphs first: each is one consonant.
_DIGRAPHS = (
    ("sch", "ш"),
    ("tsch", "ч"),
    ("kh", "h"),
    ("sh", "ш"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dj", "ж"),
    ("dh", "z"),
    ("ck", "k"),
    ("дж", "ж"),
    ("кс", "x"),
)
_CLASSES = {
    "K": "kqgك" + "ق" + "گ" + "غ" + "кгґ",
    "H": "hح" + "خ" + "ه" + "х",
    "S": "sص" + "س" + "ث" + "сц",
    "Z": "zز" + "ذ" + "ظ" + "ض" + "з",
    "Š": "ش" + "шщ",
    "J": "jج" + "ژ" + "ж",
    "C": "چ" + "ч",
    "T": "tت" + "ط" + "т",
    "D": "dد" + "д",
    "B": "bpب" + "پ" + "бп",
    "F": "fvف" + "вф",
    "L": "lل" + "л",
    "M": "mم" + "м",
    "N": "nن" + "н",
    "R": "rر" + "р",
    "X": "x",
}
_CLASS = {letter: cls for cls, letters in _CLASSES.items() for letter in letters}
_VOWELS = frozenset("aeiouywا" + "و" + "ي" + "ى" + "ع" + "ء" + "аеиоуыэюяєіїйьъё")
_ARTICLE_WORDS = (
    "al el ul ad ed ud ar er an en as es at et az ez uz ash esh "
    "аль эль ал эл ад ед эд ар эр ан эн ас эс ат эт аз ез эз аш эш"
)
_ARTICLES = frozenset(_ARTICLE_WORDS.split())
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "ال")
_COMMON = frozenset(fold(w) for w in COMMON_WORDS)
# Candidate words: a capitalised Latin or Cyrillic word, or an Arabic-script one, of four
# letters or more.
_WORD = re.compile(r"[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ'’]{2,}|[\u0620-\u064a\u066e-\u06d3\u200c]{3,}")
_HYPHEN = re.compile(r"[-'’]")
# Tokens remembered at most, then forgotten all at once.
_CACHE_SIZE = 200_000


def skeleton(word: str) -> str:
    """The consonant classes of one folded word, in order, doubles once."""
    for digraph, letter in _DIGRAPHS:
        if digraph in word:
            word = word.replace(digraph, letter)
    if word.endswith(("h", "ه")) and len(word) > 2 and word[-2] in _VOWELS:
        word = word[:-1]  # Hezbollah, الله, سوريه
    out: list[str] = []
    last = ""
    for ch in word:
        cls = "K" if ch == "c" else _CLASS.get(ch, "")
        if ch in _VOWELS:
            last = ""
            continue
        if not cls:
            continue
        if cls == "X":
            out.append("K")
            out.append("S")
            last = "S"
            continue
        if cls != last:
            out.append(cls)
        last = cls
    return "".join(out)


def _ends_in_vowel(word: str) -> bool:
    if word.endswith(("h", "ه")) and len(word) > 2 and word[-2] in _VOWELS:
        word = word[:-1]
    return word[-1:] in _VOWELS


def _strip_article(word: str) -> list[str]:
    """The word, and without an Arabic article (with a proclitic before it) at its start."""
    out = [word]
    for prefix in _AR_PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            out.append(word[len(prefix) :])
            break
    return out


def _name_words(key: str) -> list[str]:
    """The words of a folded name, without articles after its first word."""
    words = [w for w in re.split(r"[\s\-'’]+", key) if w]
    kept = words[:1]
    for w in words[1:]:
        if w in _ARTICLES:
            continue
        kept.extend(_strip_article(w)[-1:])
    return kept


class Skeletons:
    """Built once per watchlist from its entities' aliases and the matcher's (entity, alias,
    role) entries, derived ones included."""

    def __init__(self, watchlist: Watchlist, entries: Iterable[tuple[int, str, int]]) -> None:
        # Skeleton (words joined) -> [(entity, alias, letters, ends in a vowel)].
        self._index: dict[str, list[tuple[int, str, int, bool, bool]]] = {}
        # Every listed spelling, folded: a word that is one is the listed matcher's to judge.
        self._listed: set[str] = set()
        # Tokens of posts already judged: may hold a name, or cannot.
        self._maybe: set[str] = set()
        self._never: set[str] = set()
        # Words of those tokens that may start a name, and the skeletons worked out.
        self._first_words: set[str] = set()
        self._cache: dict[str, tuple[str, ...]] = {}
        # And every word of them: a word of a listed name of several words, written as listed,
        # is the listed matcher's too.
        self._listed_words: set[str] = set()
        for _, alias, _ in entries:
            key = fold(alias.strip())
            self._listed.add(key)
            self._listed_words.update(_HYPHEN.split(key.replace(" ", "-")))
        firsts: set[str] = set()
        # Only the operator's own aliases: a derived word (سپاهيون from سپاه) is a guess already.
        for entity, e in enumerate(watchlist.entities):
            for alias in e.aliases:
                key = fold(alias.strip())
                if not key:
                    continue
                words = _name_words(key)
                if not words or len(words) > 3:
                    continue
                skel = "".join(skeleton(w) for w in words)
                if len(skel) < MIN_CLASSES or any(len(skeleton(w)) < 2 for w in words):
                    continue
                if len(words) > 1:
                    firsts.add(skeleton(words[0]))
                letters = sum(len(w) for w in words)
                value = (entity, alias, letters, _ends_in_vowel(words[-1]), _doubled(key))
                names = self._index.setdefault(skel, [])
                if value not in names:
                    names.append(value)
        self._longest = max((len(s) for s in self._index), default=0)
        # The skeleton of every listed name's first word, when it says enough on its own (three
        # classes), and of every one-word name: a token with one of them is read.
        self._starts = set(self._index) | firsts

    def __bool__(self) -> bool:
        return bool(self._index)

    def wanted(self, text: str) -> bool:
        """Whether the post has a word that may be a name by its skeleton: each whitespace-
        separated token is judged once and remembered (a feed repeats its words), so that a
        post of known tokens costs a split and two set operations."""
        tokens = set(text.split())
        if not tokens.isdisjoint(self._maybe):
            return True
        new = tokens - self._never
        if not new:
            return False
        if len(self._never) + len(self._maybe) >= _CACHE_SIZE:
            self._never.clear()
            self._maybe.clear()
            self._first_words.clear()
            self._cache.clear()
        hit = False
        for token in new:
            if self._could_be(token):
                self._maybe.add(token)
                hit = True
            else:
                self._never.add(token)
        return hit

    def _could_be(self, token: str) -> bool:
        """Whether a token has a candidate word whose skeleton starts a listed name."""
        hit = False
        for w in _WORD.finditer(token):
            word = w[0]
            key = fold(word)
            if key in _COMMON or key in self._listed_words or self._inflected(key):
                continue
            latin = word[0].isupper()
            for skel in self._skeletons(key):
                if skel in self._index or (latin and skel in self._starts):
                    self._first_words.add(key)
                    hit = True
        return hit

    def _skeletons(self, folded: str) -> tuple[str, ...]:
        cached = self._cache.get(folded)
        if cached is None:
            cached = tuple(dict.fromkeys(skeleton(w) for w in _strip_article(folded)))
            self._cache[folded] = cached
        return cached

    def _inflected(self, key: str) -> bool:
        """Whether a word is a listed spelling or one with an ending: the listed matcher's
        rules judge those (Сулеймании and Soleimaniyeh are the city's, Дамасская is an
        adjective, Харківська an adjective)."""
        listed = self._listed
        if key in listed:
            return True
        for prefix in _strip_article(key):
            for n in range(4, len(prefix)):
                if prefix[:n] in listed:
                    return True
        return False

    def find(self, text: str, matches: list[Match]) -> list[Match]:
        """Matches of names by their skeletons, where no match already is."""
        # Only around the tokens that may hold a name: a name runs at most three words on.
        spans: dict[int, re.Match[str]] = {}
        for token in set(text.split()) & self._maybe:
            at = text.find(token)
            while at >= 0:
                for w in _WORD.finditer(text, at, at + len(token) + 40):
                    spans.setdefault(w.start(), w)
                at = text.find(token, at + 1)
        words = []
        for _, w in sorted(spans.items()):
            start, end = w.span()
            if start > 0 and text[start - 1].isalpha():
                continue  # inside a word (CamelCase)
            if any(m.start < end and start < m.end for m in matches):
                continue
            words.append((start, end, fold(w[0])))
        out: list[Match] = []
        index = self._index
        found: set[int] = set()
        n = len(words)
        i = 0
        first_words = self._first_words
        while i < n:
            start, end, key = words[i]
            if key not in first_words:
                i += 1
                continue
            best: tuple[int, Match] | None = None
            # One word, then two or three in a row (a name of several words, articles left out).
            span_words: list[str] = []
            skels: list[str] = [""]
            j = i
            while j < n and j < i + 3:
                s, e, k = words[j]
                if j > i and not _adjacent(text, words[j - 1][1], s):
                    break
                if k in _ARTICLES or k in ("ال",):
                    j += 1
                    continue
                span_words.append(k)
                skels = [a + b for a in skels for b in self._skeletons(k)]
                if j == i and (k in _COMMON or self._inflected(k)):
                    break
                for skel in skels:
                    if len(skel) < MIN_CLASSES or len(skel) > self._longest:
                        continue
                    for entity, alias, letters, vowel, doubled in index.get(skel, ()):
                        if entity in found:
                            continue
                        if not doubled and any(_doubled(x) for x in span_words):
                            continue  # a letter doubled that the name has single: a slip too many
                        got = sum(len(x) for x in span_words)
                        if abs(got - letters) * 4 > letters:
                            continue
                        if _ends_in_vowel(k) != vowel:
                            continue
                        best = (j, Match(entity, alias, start, e))
                j += 1
            if best is not None:
                found.add(best[1].entity)
                out.append(best[1])
                i = best[0] + 1
            else:
                i += 1
        return out


def _doubled(word: str) -> bool:
    """Whether a word has a letter twice in a row."""
    return any(a == b and a.isalpha() for a, b in pairwise(word))


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether only a space, a hyphen or an apostrophe stands between two words."""
    gap = text[end:start]
    if not gap or len(gap) > 6:
        return False
    rest = gap.strip(" -'’\u200c")
    return not rest or (fold(rest) in _ARTICLES and rest.islower())
