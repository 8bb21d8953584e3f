"""Text normalisation for matching, with a map back to offsets in the original text.

`normalize(text)` folds case (casefold), strips diacritics and combining marks, applies Unicode
compatibility forms (full-width and mathematical letters, Arabic presentation forms), removes
invisible characters (zero-width, soft hyphen, bidi controls, tatweel), unifies apostrophes,
dashes and white space (`_` counts as a space, for handles and Arabic hashtags), and folds
Arabic/Persian letter variants (ي/ی/ى, ك/ک, hamza carriers, ة/ه), Ukrainian ґ to г, and every
script's digits to ASCII. The same function normalises watchlist aliases and post text, so both sides agree.

It is on the hot path, so it picks the cheapest route that is exact: ASCII text goes through
one byte table; other text folds each distinct special character with one `str.replace`, keeping
its length (offsets are the identity); only text with characters to remove builds an offset
map, and only text that expands (ß, ligatures, mathematical letters) goes character by
character. Lone surrogates (valid in JSON escapes, not encodable) become U+FFFD, one for one.

Two implementations with one output: `normalize` runs in C (`_native`, built with the
package), with the fold of every character read off `normalize_py`, the Python reference kept
here; the unit tests hold the two to the same output. Pure: no I/O."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

try:
    from services.classifier import _native
except ImportError as exc:  # pragma: no cover - a checkout that was never installed
    raise ImportError(
        "services.classifier._native (the classifier's C extension) is not built: "
        "run `make install` (or `pip install -e .`)"
    ) from exc

# Characters that fold to themselves are left out of every table.
_APOSTROPHES = "\u2018\u2019\u201b\u02bc\u02bb\u02b9\u0060\u00b4\u2032\uff07"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = "\t\n\r\x0b\x0c\x85\u2028\u2029_"
_ARABIC = {
    "\u06cc": "\u064a",  # Persian yeh  -> Arabic yeh
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u06d0": "\u064a",
    "\u06a9": "\u0643",  # keheh (Persian kaf) -> kaf
    "\u06aa": "\u0643",
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06c0": "\u0647",
    "\u06c1": "\u0647",
    "\u06d5": "\u0647",
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0672": "\u0627",
    "\u0673": "\u0627",
}
# Ukrainian ґ is written as г as often as not in names from abroad (Ґаані, Гаані).
_CYRILLIC = {"\u0491": "\u0433"}
_REMOVE_EXTRA = "\u0640\u034f\u115f\u1160\u3164\uffa0"  # tatweel, grapheme joiner, fillers
# Cyrillic keeps й, ї, ў and friends: their "diacritic" makes a different letter. Only ё folds
# (and ґ, in `_CYRILLIC`).
_KEEP_MARKED = frozenset("йЙїЇўЎ")

_RANGES = (
    (0x0000, 0x3000),
    (0xA640, 0xA6A0),  # Cyrillic extended-B
    (0xD800, 0xE000),  # lone surrogates
    (0xFB00, 0x10000),  # presentation forms, full-width, specials
    (0x1D400, 0x1D800),  # mathematical alphanumerics (used to dodge filters)
    (0x1F100, 0x1F1FF),  # enclosed alphanumerics
    (0xE0000, 0xE0080),  # tag characters
)


def _fold_char(ch: str) -> str:
    """The normalised form of one character: '' (removed), one or several characters."""
    if ch in _REMOVE_EXTRA:
        return ""
    if ch in _SPACES or unicodedata.category(ch) == "Zs":
        return " "
    if ch in _APOSTROPHES:
        return "'"
    if ch in DASHES:
        return "-"
    if ch in _ARABIC:
        return _ARABIC[ch]
    if ch in _CYRILLIC:
        return _CYRILLIC[ch]
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Cf"):
        return ""
    if cat == "Nd":
        return str(unicodedata.digit(ch))
    if ch in _KEEP_MARKED:
        return ch.lower()
    decomposed = unicodedata.normalize("NFKD", ch)
    out = "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me"))
    out = out.casefold()
    if not out:
        # A spacing mark that decomposes to marks only: keep it rather than lose a character.
        return ch.casefold()
    # Fold the pieces too (ŉ -> ʼn -> 'n), so that normalising twice changes nothing.
    return "".join(c if c == ch else _fold_char(c) for c in out)


def _build() -> tuple[bytes, dict[str, str], dict[str, str], str]:
    one: dict[str, str] = {}  # lowered BMP char -> one char (length-preserving)
    full: dict[str, str] = {}  # any char -> its fold, when that differs from the char
    special: list[int] = []  # lowered BMP chars whose fold differs
    ascii_table = bytearray(range(256))
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            # A lone surrogate cannot be encoded for the automaton: a replacement character.
            folded = "\ufffd" if 0xD800 <= cp < 0xE000 else _fold_char(ch)
            if folded == ch:
                continue
            full[ch] = folded
            if ch != ch.lower() or cp > 0xFFFF:
                continue  # the text is lowered before these apply; astral text goes slow
            special.append(cp)
            if len(folded) == 1:
                one[ch] = folded
                if cp < 128:
                    ascii_table[cp] = ord(folded)
    return bytes(ascii_table), one, full, _char_class(special)


def _char_class(codepoints: list[int]) -> str:
    parts = []
    start = prev = -2
    for cp in [*sorted(codepoints), -10]:
        if cp == prev + 1:
            prev = cp
            continue
        if start >= 0:
            parts.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else "")
            )
        start = prev = cp
    return "[" + "".join(parts) + "]"


_ASCII_TABLE, _ONE, _FULL, _special = _build()
# The BMP part of a class compiles to a constant-time bitmap; every astral character is caught
# by one extra range and looked at separately.
_SPECIAL = re.compile(_special[:-1] + "\U00010000-\U0010ffff]")


_GONE = "\uffff"  # a noncharacter: marks removed characters while folding


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the way back to original offsets: either `orig_index[i]`, the
    original position of normalised character `i` (text that expanded), or `gaps`, where
    `gaps[j]` is the normalised position at which the j-th removed character was (text that only
    lost characters: cheaper to build, looked up by bisection). Neither: the two line up."""

    text: str
    norm: str
    orig_index: Sequence[int] | None = None
    gaps: list[int] | None = None

    def orig(self, pos: int) -> int:
        """The original position of normalised position `pos`."""
        if self.gaps is not None:
            return pos + bisect.bisect_right(self.gaps, pos)
        idx = self.orig_index
        if idx is None:
            return pos
        return idx[pos] if pos < len(idx) else len(self.text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised span [start, end)."""
        if self.gaps is None and self.orig_index is None:
            return start, end
        if end <= start:
            o = self.orig(start)
            return o, o
        return self.orig(start), self.orig(end - 1) + 1


def normalize(text: str) -> Normalized:
    """Normalise `text` for matching; see the module docstring."""
    norm, index = _native.normalize(text)
    if index is None:
        return Normalized(text, norm)
    return Normalized(text, norm, memoryview(index).cast("i"))


def normalize_py(text: str) -> Normalized:
    """The Python reference of `normalize`: the same output (the same text, and the same original
    offset for every normalised character), by the cheapest exact route in Python."""
    low = text.lower()
    if len(low) != len(text):
        return _slow(text)
    if low.isascii():
        return Normalized(text, low.encode().translate(_ASCII_TABLE).decode())
    # Visit each distinct special character once: fold it everywhere with one str.replace
    # (a handful of C calls beat a per-character table several times over), mark characters
    # to remove, and leave the rare expanding ones to the slow path.
    removed = False
    one, full = _ONE, _FULL
    m = _SPECIAL.search(low)
    while m is not None:
        ch = m.group()
        folded = one.get(ch)
        if folded is None:
            if ch > "\uffff":
                if ch in full:
                    return _slow(text)  # mathematical or enclosed letters, tags
                m = _SPECIAL.search(low, m.end())  # emoji and the like stay
                continue
            if full[ch] or _GONE in text:
                return _slow(text)  # expands (ß, ligatures), or holds our placeholder
            # Removed: first replaced by a placeholder, so offsets stay put until the end.
            folded = _GONE
            removed = True
        low = low.replace(ch, folded)
        m = _SPECIAL.search(low, m.start())
    if not removed:
        return Normalized(text, low)
    gaps: list[int] = []
    i = low.find(_GONE)
    while i >= 0:
        gaps.append(i - len(gaps))
        i = low.find(_GONE, i + 1)
    return Normalized(text, low.replace(_GONE, ""), gaps=gaps)


def _slow(text: str) -> Normalized:
    """Character by character, for text that expands (ß, ligatures, İ): rare."""
    out: list[str] = []
    index: list[int] = []
    full = _FULL
    for i, ch in enumerate(text):
        folded = full.get(ch)
        if folded is None:
            # Cherokee upper case (Ᏸ) lowers to a small letter whose fold is the capital again:
            # the lowered character is folded too, as the fast path folds it.
            low = ch.lower()
            folded = full.get(low, low) if len(low) == 1 else "".join(full.get(c, c) for c in low)
        if folded:
            out.append(folded)
            index.extend([i] * len(folded))
    return Normalized(text, "".join(out), index)


def _native_table() -> dict[str, str]:
    """The fold of every character whose fold is not itself, as `normalize_py` folds it alone:
    the characters of the fold tables and every character that lower-cases to something else
    (looked for block by block: a block whose `lower()` changes nothing has none)."""
    candidates = set(_FULL)
    for block in range(0, 0x110000, 256):
        chars = "".join(chr(cp) for cp in range(block, block + 256) if not 0xD800 <= cp < 0xE000)
        if chars.lower() != chars:
            candidates.update(c for c in chars if c.lower() != c)
    table = {}
    for ch in candidates:
        folded = normalize_py(ch).norm
        if folded != ch:
            table[ch] = folded
    return table


_native.configure(_native_table())


def fold(text: str) -> str:
    """The normalised form alone, with runs of spaces collapsed and ends trimmed (aliases):
    `" ".join(normalize(text).norm.split())`, in one C call."""
    return _native.fold(text)


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"
