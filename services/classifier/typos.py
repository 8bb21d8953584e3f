"""Long names with one slip of the keyboard or of transliteration: Solemani, Aludinov,
Sulejmani, Солеймани, Хізболла.

A listed one-word name of seven letters or more (Latin or Cyrillic, written capitalised, an
alias rather than an ambiguous one) also matches a capitalised word that is one edit away from
it: a letter dropped, added, replaced, or two neighbours swapped; not in the first letter nor
the last two, where a change makes a case of the name or another word (Сулеймании, the city's;
Prigozhina). Not by adding a key for every misspelling (that would multiply the automaton of a
large watchlist): the main pass looks for the first four letters of such names at the start
of a word and their last five anywhere, as trigger keys with one bit per bucket of entities,
and only in a post with an anchor of a bucket none of whose entities it has found does
`Typos.find` read the post's long capitalised words (found by one C pass, `_native.typo_words`;
`typo_words_py` is its reference) and compare each with the names that
share its first or last four letters (any one edit leaves one of the two intact in a word of
eight letters or more; in one of seven, a slip in the middle letter breaks both and goes
unseen: Хмейним for Хмеймим is found, Хмекмим is not). A Cyrillic word is also read without a
case ending in a vowel (на Хмейниме). A common word, or a spelling listed as ambiguous, is left alone.
Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.classifier import _native
from services.classifier.matching import ALIAS, Match
from services.classifier.text import fold
from services.classifier.watchlist import COMMON_WORDS

MIN_LETTERS = 7
ANCHOR = 4
# Set when one of the anchors (the first or last letters of such a name) is in the post: one
# bit per bucket of entities, so that a post whose anchors all belong to entities it already
# names (the name as listed: the usual case) skips the look.
_FIRST_BIT = 12
_BUCKETS = 48
TYPO_BITS = ((1 << _BUCKETS) - 1) << _FIRST_BIT
# A capitalised word of six letters or more (one may have been dropped).
_NAME = re.compile(r"[A-ZА-ЯЁІЇЄҐ][^\W\d_]{5,}")
_LETTERS = re.compile(r"[a-z\u0400-\u04ff]+")
_COMMON = frozenset(fold(w) for w in COMMON_WORDS)


class Typos:
    """Built once per watchlist from the matcher's (entity, alias, role) entries."""

    def __init__(self, entries: Iterable[tuple[int, str, int]]) -> None:
        # The names by their first four letters and last letter, and by their last four and
        # first letter: one edit keeps both ends (`one_edit`), so a word is compared with the
        # few names that share one anchor and both ends, not with every name of the anchor.
        self._by_anchor: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
        # One-word spellings that count only with context: a word one edit from a name may be
        # one of them (Hizbullah, listed as ambiguous, beside Hizballah), and stays theirs. A
        # listed alias needs no such care: where it stands, the main pass has matched it.
        self._exact: set[str] = set()
        for entity, alias, role in entries:
            written = alias.strip()
            if len(written) < MIN_LETTERS - 1 or " " in written:
                continue
            if role != ALIAS:
                self._exact.add(fold(written))
                continue
            key = _name_key(written)
            if key is None:
                continue
            name = (key, entity, alias)
            for anchor in ((key[:ANCHOR], key[-1]), (key[-ANCHOR:], key[0])):
                names = self._by_anchor.setdefault(anchor, [])
                if name not in names:
                    names.append(name)

    def anchors(self) -> list[tuple[str, int]]:
        """The trigger keys for the main pass and their bits: the last five letters of each
        name anywhere, and its first four at the start of a word."""
        out: dict[str, int] = {}
        for names in self._by_anchor.values():
            for key, entity, _ in names:
                bit = bucket(entity)
                for anchor in (key[-ANCHOR - 1 :], " " + key[:ANCHOR]):
                    out[anchor] = out.get(anchor, 0) | bit
        return sorted(out.items())

    def wanted(self, bits: int, matches: list[Match]) -> bool:
        """Whether a post with these trigger bits and matches may hold a misspelt name: an
        anchor of an entity's bucket is there and no entity of that bucket was found."""
        typos = bits & TYPO_BITS
        if not typos:
            return False
        for m in matches:
            typos &= ~bucket(m.entity)
        return typos != 0

    def find(self, text: str, matches: list[Match]) -> list[Match]:
        """Matches of names one edit away from a listed one, where no match already is."""
        # One C pass finds the long capitalised words where no match is (none in most posts:
        # such words are mostly the names the main pass found; none in Arabic script).
        words = _native.typo_words(text, matches)
        if words is None:
            return []
        out: list[Match] = []
        by_anchor = self._by_anchor
        for start, end in words:
            key = fold(text[start:end])
            if key in self._exact or key in _COMMON:
                continue
            seen: set[int] = set()
            for word in _forms(key):
                for anchor in ((word[:ANCHOR], word[-1]), (word[-ANCHOR:], word[0])):
                    for name, entity, alias in by_anchor.get(anchor, ()):
                        if entity not in seen and one_edit(word, name):
                            seen.add(entity)
                            out.append(Match(entity, alias, start, end))
        return out


# Case endings a Cyrillic word may add to a misspelt name that ends in a consonant (на
# Хмейниме: Хмейним, one slip from Хмеймим; над Хмемимом: Хмемим, one from Хмеймим).
_CASE_VOWELS = frozenset("аеиоуыюяіє")
_CASE_ENDINGS = ("ом", "ем", "ой", "ою", "ам", "ах", "ами")


def _forms(key: str) -> tuple[str, ...]:
    """A folded word, and without a case ending when it is Cyrillic."""
    if len(key) <= MIN_LETTERS or (key[-1] not in _CASE_VOWELS and key[-1] not in "мх"):
        return (key,)
    for ending in _CASE_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= MIN_LETTERS - 1:
            return (key, key[: -len(ending)])
    if key[-1] in _CASE_VOWELS and key[-2] not in _CASE_VOWELS:
        return (key, key[:-1])
    return (key,)


def typo_words_py(text: str, matches: list[Match]) -> list[tuple[int, int]] | None:
    """The spans of the words `find` reads, `_native.typo_words`'s reference: a capitalised
    word of six letters or more, not right after a letter (inside a CamelCase word), where no
    match is; None when there is none."""
    out = []
    for w in _NAME.finditer(text):
        start, end = w.span()
        if start > 0 and text[start - 1].isalpha():
            continue
        if any(m.start < end and start < m.end for m in matches):
            continue
        out.append((start, end))
    return out or None


def long_names(entries: Iterable[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """The entries `Typos` reads (one-word spellings of six letters or more), so that a caller
    can keep these few rather than all the entries of a large watchlist."""
    out = []
    for entry in entries:
        written = entry[1].strip()
        if len(written) >= MIN_LETTERS - 1 and " " not in written:
            out.append(entry)
    return out


def anchors_of(entries: Iterable[tuple[int, str, int]]) -> list[tuple[str, int]]:
    """`Typos(entries).anchors()`, without making the index: the engine builds that after the
    automaton, whose build is the peak of its memory."""
    out: dict[str, int] = {}
    for entity, alias, role in entries:
        written = alias.strip()
        if role != ALIAS or len(written) < MIN_LETTERS or " " in written:
            continue
        key = _name_key(written)
        if key is None:
            continue
        bit = bucket(entity)
        for anchor in (key[-ANCHOR - 1 :], " " + key[:ANCHOR]):
            out[anchor] = out.get(anchor, 0) | bit
    return sorted(out.items())


def _name_key(written: str) -> str | None:
    """The folded name of a one-word alias the index holds, or None: seven letters or more
    (Latin or Cyrillic), written capitalised."""
    if len(written) < MIN_LETTERS or not written[:1].isupper():
        return None
    key = fold(written)
    if len(key) < MIN_LETTERS or not _LETTERS.fullmatch(key):
        return None
    return key


def bucket(entity: int) -> int:
    """The trigger bit of an entity's anchors."""
    return 1 << (_FIRST_BIT + entity % _BUCKETS)


def one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one edit: a letter dropped, added or replaced, or
    two neighbouring letters swapped, with the same first and last letters and not in the last
    two."""
    if a == b or a[:1] != b[:1]:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < la and i < lb and a[i] == b[i]:
        i += 1
    if i >= min(la, lb) - 1 or a[-1] != b[-1]:
        # At the end of the word it is an ending, not a slip: a case (Сулеймании, the city's),
        # a feminine surname (Prigozhina), another word made from the name.
        return False
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # replaced
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]  # added in a
    return a[i:] == b[i + 1 :]  # dropped from a
