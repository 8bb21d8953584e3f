"""Text plumbing for the claim detector: a length-preserving fold of post text, a phrase matcher
over the folded text (an Aho-Corasick automaton with per-phrase word-boundary rules, Arabic-script
clitics included), and a sentence splitter. Everything works in folded coordinates; `Folded.to_original`
maps offsets back to the caller's text. Pure: no I/O."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from operator import itemgetter
from typing import Any, NamedTuple

from services.classifier import _native

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
_NEEDS_REPLACE = re.compile("[" + "".join(src for src, _ in _REPLACE) + "]")

# Characters that carry no letters: tatweel, harakat, zero-width and bidi controls, soft hyphen.
# They are dropped, which is the only step that changes length (and needs an offset map).
_DROPPED = (
    "\u0640\u0670\u00ad\u200b\u2060\ufeff"
    + "".join(map(chr, range(0x064B, 0x0660)))
    + "".join(map(chr, range(0x200D, 0x2010)))
    + "".join(map(chr, range(0x202A, 0x202F)))
    + "".join(map(chr, range(0x2066, 0x206A)))
)
_DROP = re.compile("[" + re.escape(_DROPPED) + "]")
_SPECIAL = re.compile("[" + re.escape("".join(src for src, _ in _REPLACE) + _DROPPED) + "]")
DROPPED_KIND = "dropped"


class Folded:
    """Lower-cased, variant-folded text; `index[i]` is the original offset of folded char `i`
    (None when nothing was dropped and offsets are the same). A plain class with slots rather
    than a frozen dataclass: one is built for every post that passes the prescan."""

    __slots__ = ("index", "original_length", "text")

    def __init__(self, text: str, index: tuple[int, ...] | None, original_length: int) -> None:
        self.text = text
        self.index = index
        self.original_length = original_length

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Folded) and (
            (self.text, self.index, self.original_length)
            == (other.text, other.index, other.original_length)
        )

    def __hash__(self) -> int:
        return hash((self.text, self.index, self.original_length))

    def __repr__(self) -> str:
        return f"Folded({self.text!r}, {self.index!r}, {self.original_length!r})"

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


def lower(text: str) -> str:
    """`text.lower()` with every offset kept: a few characters lower-case to two (İ), and only
    the first is kept."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch.lower()[:1] for ch in text)
    return low


def fold(text: str, low: str | None = None) -> Folded:
    """Fold `text` for matching. ASCII takes the cheap path (one `lower()`); a caller that has
    `lower(text)` already passes it as `low`."""
    if low is None:
        low = lower(text)
    if low.isascii():
        return Folded(low, None, len(text))
    if _SPECIAL.search(low) is None:
        return Folded(low, None, len(text))
    if _NEEDS_REPLACE.search(low) is not None:
        for src, dst in _REPLACE:
            if src in low:
                low = low.replace(src, dst)
    if _DROP.search(low) is None:
        return Folded(low, None, len(text))
    index: list[int] = []
    kept_from = 0
    for m in _DROP.finditer(low):
        index.extend(range(kept_from, m.start()))
        kept_from = m.end()
    index.extend(range(kept_from, len(low)))
    return Folded(_DROP.sub("", low), tuple(index), len(text))


def lower_fold(text: str) -> tuple[str, Folded]:
    """`lower(text)` and `fold(text)` in one pass, in C; `lower_fold_py` is the Python
    reference."""
    got = _native.lower_fold(text, _LOWER_FOLD_TABLE)
    if got is None:
        return lower_fold_py(text)  # a capital sigma: `str.lower` reads the word around it
    raw, folded, index = got
    return raw, Folded(folded, index, len(text))


def fold_lowered(text: str) -> Folded:
    """`lower_fold(text)`'s folded text alone (the C pass makes no lower-cased copy)."""
    got = _native.lower_fold(text, _LOWER_FOLD_TABLE, False)
    if got is None:
        return lower_fold_py(text)[1]
    _, folded, index = got
    return Folded(folded, index, len(text))


def lower_fold_py(text: str) -> tuple[str, Folded]:
    """The Python reference of `lower_fold`."""
    low = lower(text)
    return low, fold(text, low)


def _lower_fold_table() -> bytes:
    """What `fold` does to each lower-cased character below 0x10000 (all it replaces or drops
    is there): -1 keeps it, -2 drops it, else the code point it becomes."""
    table = array("i", [-1]) * 0x10000
    for src, dst in _REPLACE:
        table[ord(src)] = ord(dst)
    for ch in _DROPPED:
        assert table[ord(ch)] == -1, "a character both replaced and dropped"
        table[ord(ch)] = -2
    return table.tobytes()


_LOWER_FOLD_TABLE = _lower_fold_table()


def fold_phrase(phrase: str) -> str:
    """Fold a lexicon phrase exactly as post text is folded."""
    return fold(phrase).text


# The spellings `fold` merges, seen from the folded side: a raw (only lower-cased) text can
# carry any of them. Derived from `_REPLACE` so that the two cannot drift apart.
_SPELLINGS = {dst: dst + "".join(s for s, d in _REPLACE if d == dst) for _, dst in _REPLACE}
_MAX_SPELLINGS = 1024  # the lexicon's keys have at most 375 spellings: every one is kept


def raw_spellings(key: str, limit: int = _MAX_SPELLINGS) -> list[str]:
    """The spellings of folded `key` that `fold` maps to it (bounded: a key with too many
    variable letters keeps its first `limit`)."""
    out = [""]
    for ch in key:
        options = _SPELLINGS.get(ch, ch)
        out = [prefix + option for prefix in out for option in options][:limit]
    return out


def char_table(chars: Iterable[str]) -> bytes:
    """The set of `chars` (BMP code points) as `has_any` reads it: a byte for each code point,
    1 for a member (64 KiB a set, for a loop in C of one load a character, where a bit each
    took four more instructions)."""
    table = bytearray(0x10000)
    for ch in chars:
        cp = ord(ch)
        assert cp < 0x10000, "a set of BMP characters"
        table[cp] = 1
    return bytes(table)


def has_any(text: str, table: bytes, start: int = 0, end: int | None = None) -> bool:
    """Whether `text[start:end]` has a character of the set `table` (`char_table`), in one pass
    in C: several `in` tests of one character each, or a regular expression of the class, cost
    several times more on a post. `has_any_py` is the Python reference."""
    return _native.has_any(text, table, start, len(text) if end is None else end)


def has_any_py(text: str, table: bytes, start: int = 0, end: int | None = None) -> bool:
    """The Python reference of `has_any` (a window edge outside the text is clamped to it, as a
    regular expression's search clamps it)."""
    window = text[max(start, 0) : len(text) if end is None else max(end, 0)]
    return any(ord(ch) < 0x10000 and table[ord(ch)] == 1 for ch in window)


ARABIC_SCRIPT = char_table(map(chr, range(0x0600, 0x0700)))  # the Arabic block


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


class Hit(NamedTuple):
    """One phrase found in folded text; `clitic` is the joined prefix it carried (Arabic script).
    A named tuple rather than a frozen dataclass: a post makes dozens, and tuples are built
    several times faster."""

    start: int
    end: int
    kind: str
    value: Any
    clitic: str = ""

    @property
    def future_clitic(self) -> bool:
        return self.clitic in _FUTURE_CLITICS


class _Entry(NamedTuple):
    """A phrase's kind and value and its boundary rules; a tuple, read field by field in C."""

    kind: str
    value: Any
    open_left: bool
    open_right: bool
    arabic: bool


# Cells of the prescan's rows (see `PHRASE_DENSE_CELLS`): it reads every post, so its shallow
# levels are kept on rows whole; with the default, one more letter in its words (153 kinds of
# character) pushed a level off them, and a busy feed's posts took 4% more instructions.
PRESCAN_DENSE_CELLS = 1 << 19


class Prescan:
    """A cheap first look at raw text (only lower-cased): which kinds of phrase may be present.
    It ignores word boundaries and accepts every spelling `fold` would merge, so it never misses
    what `PhraseSet.find` would find on the folded text. Characters `fold` drops can hide inside a
    word, so they are reported as the kind `DROPPED_KIND` (the caller then folds and looks again)."""

    def __init__(self, entries: Iterable[tuple[str, str, Any]]) -> None:
        kinds: dict[str, set[str]] = {}
        for pattern, kind, _ in entries:
            key = fold_phrase(pattern.strip("*"))
            for spelling in raw_spellings(key):
                kinds.setdefault(spelling, set()).add(kind)
        for ch in _DROPPED:
            kinds[ch] = {DROPPED_KIND}
        keys = list(kinds)
        # Tens of thousands of keys share a dozen sets of kinds: one object for each set.
        shared: dict[frozenset[str], frozenset[str]] = {}
        self._kinds = [shared.setdefault(s, s) for s in map(frozenset, kinds.values())]
        self._automaton = _native.Automaton(keys, dense_cells=PRESCAN_DENSE_CELLS)

    def kinds(self, raw: str) -> set[str]:
        found: set[str] = set()
        for index, _, _ in self._automaton.hits(raw):
            found |= self._kinds[index]
        return found


# Cells of the rows by which a phrase set's states step with one lookup (up to 4 MB; the default a
# quarter of it): the claim lexicon, built once a process, reads every post claim-shaped enough,
# and its scan takes a sixth less time with more of its states on rows, for 1.5 MB more.
PHRASE_DENSE_CELLS = 1 << 20


class PhraseSet:
    """Phrases compiled into one automaton. Pattern syntax: `word` must stand alone, `stem*` may
    continue to the right (inflection), `*infix` may start inside a word. Phrases in Arabic script
    may carry a joined clitic (`CLITICS`)."""

    def __init__(self, entries: Iterable[tuple[str, str, Any]]) -> None:
        table: dict[str, list[_Entry]] = {}
        for pattern, kind, value in entries:
            open_left = pattern.startswith("*")
            open_right = pattern.endswith("*")
            key = fold_phrase(pattern.strip("*"))
            if not key:
                continue
            entry = _Entry(kind, value, open_left, open_right, is_arabic_script(key[0]))
            have = table.setdefault(key, [])
            if entry not in have:  # a word listed for two languages is one phrase
                have.append(entry)
        keys = list(table)
        # The spellings of one place share its entries: one tuple for each set of them.
        shared: dict[tuple[_Entry, ...], tuple[_Entry, ...]] = {}
        self._entries = [shared.setdefault(e, e) for e in map(tuple, table.values())]
        self.size = len(keys)
        # Every hit, overlapping ones included: the boundary rules pick among nested phrases.
        self._automaton = _native.Automaton(keys, dense_cells=PHRASE_DENSE_CELLS)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Every phrase in `text[start:end]` that respects its boundary rules, by start and
        longest first (in entry order among equals). The automaton's hits are judged in C
        (`_native.phrases`); `find_py` is the Python reference."""
        if self.size == 0:
            return []
        stop = len(text) if end is None else end
        if start == 0 and stop == len(text):
            # The whole text (the detector's scans): search and judge in one call.
            return _native.find_phrases(self._automaton, text, self._entries, CLITICS, Hit)
        matches = self._automaton.hits(text[start:stop])
        if not matches:
            return []
        return _native.phrases(text, matches, self._entries, start, stop, CLITICS, Hit)

    def any(self, text: str) -> bool:
        """Whether `find(text)` finds anything, without making its hits."""
        return self.size > 0 and _native.find_phrases(
            self._automaton, text, self._entries, CLITICS, None
        )

    def find_py(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """The Python reference of `find`."""
        if self.size == 0:
            return []
        stop = len(text) if end is None else end
        window = text if start == 0 and stop == len(text) else text[start:stop]
        hits: list[Hit] = []
        for index, h_start, h_end in self._automaton.hits(window):
            for entry in self._entries[index]:
                hit = _check(text, h_start + start, h_end + start, entry, stop)
                if hit is not None:
                    hits.append(hit)
        # By start, then longest first: two stable sorts keep entry order among equals.
        hits.sort(key=_END, reverse=True)
        hits.sort(key=_START)
        return hits

    def find_longest(self, text: str, start: int = 0, end: int | None = None) -> list[Hit]:
        """Like `find`, keeping only leftmost-longest hits that do not overlap."""
        return longest(self.find(text, start, end))


_START, _END = itemgetter(0), itemgetter(1)


def longest(hits: list[Hit]) -> list[Hit]:
    """The leftmost-longest hits that do not overlap, from hits in `find` order."""
    kept: list[Hit] = []
    reach = -1
    for hit in hits:
        if hit.start >= reach:
            kept.append(hit)
            reach = hit.end
    return kept


def within(hits: list[Hit], start: int, end: int) -> list[Hit]:
    return [h for h in hits if start <= h.start and h.end <= end]


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
# The pattern takes a whole run of marks and never needs to backtrack, so a run of marks costs
# one step each ("!!!!...a" is linear); whether a space follows is checked on the match. It
# opens on one class, a mark or a line break, which the regular expression engine skips ahead
# to (an alternation of the two was tried at every offset), and reads on by which it was.
_BOUNDARY = re.compile(r"[.!?؟;؛…\n](?:(?<=\n)|(?<=[.!?؟;؛…])[.!?؟;؛…]*[\"'»”)\]]*)")
_MARKS = (".", "!", "?", "؟", ";", "؛", "…", "\n")
_ABBREVIATIONS = frozenset(
    {"gen", "col", "lt", "maj", "capt", "sgt", "mr", "mrs", "ms", "dr", "st", "no", "vs", "approx",
     "ген", "полк", "г", "см", "т", "им", "ул"}
)  # fmt: skip


_MARK_TABLE = char_table(_MARKS)


def one_sentence(text: str) -> bool:
    """Whether `text` has no sentence mark at all, so that `sentences` gives it whole (trimmed).
    Folding neither adds nor removes a mark: raw text answers for its folded form."""
    return not has_any(text, _MARK_TABLE)


def sentences(text: str, single: bool | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of folded `text`, terminators included, whitespace
    trimmed. Abbreviations ("U.S.", "Gen.") do not end a sentence. `single`: what
    `one_sentence(text)` says, when the caller has asked it already."""
    spans: list[tuple[int, int]] = []
    begin = 0
    if one_sentence(text) if single is None else single:
        # No mark at all (common in short posts): one sentence, no regular expression.
        _add_trimmed(spans, text, 0, len(text))
        return spans
    first = min(i for i in map(text.find, _MARKS) if i >= 0)
    for m in _BOUNDARY.finditer(text, first):
        dot, after = m.start(), m.end()
        if after < len(text) and not text[after].isspace() and text[dot] != "\n":
            continue  # "1.000", "u.s", "ok?!x": not the end of a sentence
        if text[dot] == "." and _is_abbreviation(text[max(0, dot - 8) : dot]):
            continue
        _add_trimmed(spans, text, begin, m.end())
        begin = m.end()
    _add_trimmed(spans, text, begin, len(text))
    return spans


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    segment = text[start:end]
    stripped = segment.strip()
    if stripped:
        lead = len(segment) - len(segment.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


_LAST_WORD = re.compile(r"[\w.]*$")


def _is_abbreviation(before: str) -> bool:
    """Whether the word before a period (`before` ends at the period) is an abbreviation."""
    m = _LAST_WORD.search(before)
    word = m.group(0) if m else ""
    # Initialisms (u.s, u.k) and single letters are abbreviations, as are listed titles.
    return "." in word or (len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS
