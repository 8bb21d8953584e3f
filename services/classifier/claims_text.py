"""Text plumbing for the claim detector: a length-preserving fold of post text, a phrase matcher
over the folded text (an Aho-Corasick automaton with per-phrase word-boundary rules, Arabic-script
clitics included), and a sentence splitter. Everything works in folded coordinates; `Folded.to_original`
maps offsets back to the caller's text. Pure: no I/O."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ahocorasick

# One-for-one replacements keep offsets stable: letter variants that spell the same word.
_REPLACE = (
    ("ё", "е"),  # ё is optional in Russian print
    ("ي", "ی"),  # Arabic yeh, Persian yeh and alef maksura are one letter for matching
    ("ى", "ی"),
    ("ك", "ک"),  # Arabic vs Persian kaf
    ("أ", "ا"),  # hamza carriers are written inconsistently
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("\u2019", "'"),  # curly and modifier apostrophes (Ukrainian з'явилися)
    ("\u02bc", "'"),
    ("`", "'"),
    ("\u200c", " "),  # ZWNJ joins Persian morphemes; a space makes both halves words
    ("\u00a0", " "),
    ("\u202f", " "),
    ("\u2009", " "),
)
_SKIP_REPLACE = frozenset(src for src, _ in _REPLACE)

# Characters that carry no letters: tatweel, harakat, zero-width and bidi controls, soft hyphen.
# They are dropped, which is the only step that changes length (and needs an offset map).
_DROP = re.compile(
    "[\u0640\u064b-\u065f\u0670\u00ad\u200b\u200d-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)


@dataclass(frozen=True)
class Folded:
    """Lower-cased, variant-folded text; `index[i]` is the original offset of folded char `i`
    (None when nothing was dropped and offsets are the same)."""

    text: str
    index: tuple[int, ...] | None
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return start, end
        if start >= len(self.index):
            return self.original_length, self.original_length
        o_start = self.index[start]
        o_end = self.index[end - 1] + 1 if end > start else o_start
        return o_start, o_end

    def from_original(self, offset: int) -> int:
        if self.index is None:
            return offset
        return bisect_left(self.index, offset)


def fold(text: str) -> Folded:
    """Fold `text` for matching. ASCII takes the cheap path (one `lower()`)."""
    low = text.lower()
    if len(low) != len(text):
        # A few characters lower-case to two (İ); keep the first so offsets stay aligned.
        low = "".join(ch.lower()[:1] for ch in text)
    if low.isascii():
        return Folded(low, None, len(text))
    for src, dst in _REPLACE:
        if src in low:
            low = low.replace(src, dst)
    if _DROP.search(low) is None:
        return Folded(low, None, len(text))
    index = tuple(i for i, ch in enumerate(low) if _DROP.fullmatch(ch) is None)
    return Folded(_DROP.sub("", low), index, len(text))


def fold_phrase(phrase: str) -> str:
    """Fold a lexicon phrase exactly as post text is folded."""
    return fold(phrase).text


def is_arabic_script(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"


# Proclitics written joined to the next word: conjunctions, prepositions, the article, the
# Arabic future prefix and Persian verb prefixes. A phrase in Arabic script may follow them.
CLITICS = frozenset(
    {
        "و", "ف", "ب", "ل", "ک", "س", "ال", "وال", "فال", "بال", "کال", "لل", "ولل", "فلل",
        "وب", "ول", "وس", "فس", "سی", "ست", "سن", "وست", "وسی", "می", "نمی", "ن", "بی",
    }
)  # fmt: skip
_FUTURE_CLITICS = frozenset({"س", "وس", "فس", "سی", "ست", "سن", "وست", "وسی"})


@dataclass(frozen=True)
class Hit:
    """One phrase found in folded text; `clitic` is the joined prefix it carried (Arabic script)."""

    start: int
    end: int
    kind: str
    value: Any
    clitic: str = ""

    @property
    def future_clitic(self) -> bool:
        return self.clitic in _FUTURE_CLITICS


@dataclass(frozen=True)
class _Entry:
    length: int
    kind: str
    value: Any
    open_left: bool
    open_right: bool
    arabic: bool


class PhraseSet:
    """Phrases compiled into one automaton. Pattern syntax: `word` must stand alone, `stem*` may
    continue to the right (inflection), `*infix` may start inside a word. Phrases in Arabic script
    may carry a joined clitic (`CLITICS`)."""

    def __init__(self, entries: Iterable[tuple[str, str, Any]]) -> None:
        self._automaton: Any = ahocorasick.Automaton()
        table: dict[str, list[_Entry]] = {}
        for pattern, kind, value in entries:
            open_left = pattern.startswith("*")
            open_right = pattern.endswith("*")
            key = fold_phrase(pattern.strip("*"))
            if not key:
                continue
            entry = _Entry(len(key), kind, value, open_left, open_right, is_arabic_script(key[0]))
            table.setdefault(key, []).append(entry)
        for key, found in table.items():
            self._automaton.add_word(key, tuple(found))
        self.size = len(table)
        if table:
            self._automaton.make_automaton()

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Every phrase in `text[start:end]` that respects its boundary rules, in order."""
        if self.size == 0:
            return []
        stop = len(text) if end is None else end
        hits: list[Hit] = []
        for last, found in self._automaton.iter(text, start, stop):
            for entry in found:
                hit = _check(text, last + 1 - entry.length, last + 1, entry, stop)
                if hit is not None:
                    hits.append(hit)
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits

    def find_longest(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Like `find`, keeping only leftmost-longest hits that do not overlap."""
        kept: list[Hit] = []
        reach = -1
        for hit in self.find(text, start, end):
            if hit.start >= reach:
                kept.append(hit)
                reach = hit.end
        return kept


def _check(text: str, start: int, end: int, entry: _Entry, stop: int) -> Hit | None:
    if not entry.open_right and end < stop and text[end].isalnum():
        return None
    if entry.open_left or start == 0 or not text[start - 1].isalnum():
        return Hit(start, end, entry.kind, entry.value)
    if not entry.arabic:
        return None
    word_start = start
    # Clitics are at most three letters; looking further back bounds the work per hit.
    while word_start > 0 and start - word_start < 4 and text[word_start - 1].isalnum():
        word_start -= 1
    if word_start > 0 and text[word_start - 1].isalnum():
        return None
    clitic = text[word_start:start]
    if clitic in CLITICS:
        return Hit(start, end, entry.kind, entry.value, clitic)
    return None


# A sentence ends at terminal punctuation followed by space (or the end), or at a line break.
_BOUNDARY = re.compile(r"[.!?؟;؛…]+[\"'»”)\]]*(?=\s|$)|\n")
_ABBREVIATIONS = frozenset(
    {"gen", "col", "lt", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr", "st", "no", "vs", "approx",
     "ген", "полк", "г", "см", "т", "им", "ул"}
)  # fmt: skip


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of folded `text`, terminators included, whitespace
    trimmed. Abbreviations ("U.S.", "Gen.") do not end a sentence."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        spans.append((begin, m.end()))
        begin = m.end()
    spans.append((begin, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while (
        word_start > 0
        and dot - word_start < 8
        and (text[word_start - 1].isalpha() or text[word_start - 1] == ".")
    ):
        word_start -= 1
    word = text[word_start:dot]
    # Initialisms (u.s, u.k) and single letters are abbreviations, as are listed titles.
    return "." in word or (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS
