"""How many troops a claim speaks of. Finds quantities in folded text: digits with separators
("1,000", "1.000", "1 000", Arabic and Persian digits), approximations ("~200", "about 300"),
open ends and ranges ("200+", "more than 500", "200-300", "up to 300"), number words and their
multiples ("three thousand", "три тысячи", "۵ هزار"), vague amounts ("dozens", "сотни", "مئات",
"هزاران") and military units as approximate sizes. Conventions (one table, in the README too):

- "N+" and "more than N" -> N..2N; "up to N" -> 1..N; "about N" -> N..N.
- dozens 24-99; tens (десятки, عشرات, ده‌ها) 20-99; hundreds 200-999; thousands 2,000-9,999;
  tens of thousands 20,000-99,999; "a few hundred" 200-500; "a few thousand" 2,000-5,000.
- platoon 20-50, company 100-200, battalion 300-1,000, battalion tactical group 600-1,000,
  regiment 1,000-3,000, brigade 3,000-5,000, division 10,000-20,000; "two battalions" doubles.

Pure; the regular expression has no nested unbounded repetition, so it runs in linear time."""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from services.classifier import _native
from services.classifier.claims_text import Hit, PhraseSet, fold_phrase, within

PLATOON = (20, 50)
COMPANY = (100, 200)
BATTALION = (300, 1000)
BTG = (600, 1000)
REGIMENT = (1000, 3000)
BRIGADE = (3000, 5000)
DIVISION = (10000, 20000)

# Unit words, by language; stems cover the plural and inflected forms.
UNIT_WORDS: tuple[tuple[str, tuple[int, int]], ...] = (
    ("platoon*", PLATOON), ("взвод*", PLATOON), ("فصيلة", PLATOON), ("دسته", PLATOON),
    ("company of", COMPANY), ("companies of", COMPANY), ("рота", COMPANY), ("роту", COMPANY),
    ("роты", COMPANY), ("ротой", COMPANY), ("роти", COMPANY), ("گروهان", COMPANY),
    ("battalion*", BATTALION), ("батальон*", BATTALION), ("батальйон*", BATTALION),
    ("كتيبة", BATTALION), ("كتائب", BATTALION), ("گردان", BATTALION), ("گردان ها", BATTALION),
    ("battalion tactical group*", BTG), ("бтг", BTG),
    ("regiment*", REGIMENT), ("полк", REGIMENT), ("полка", REGIMENT), ("полки", REGIMENT),
    ("полков", REGIMENT), ("فوج", REGIMENT), ("هنگ", REGIMENT),
    ("brigade*", BRIGADE), ("бригад*", BRIGADE), ("لواء", BRIGADE), ("تیپ", BRIGADE),
    # the Ukrainian army's brigades by their abbreviations (14-та ОМБр, 82-га ОДШБр)
    ("омбр", BRIGADE), ("ошбр", BRIGADE), ("одшбр", BRIGADE), ("омпбр", BRIGADE),
    ("оабр", BRIGADE), ("обрмп", BRIGADE),
    ("division*", DIVISION), ("дивизи*", DIVISION), ("дивізі*", DIVISION), ("لشکر", DIVISION),
)  # fmt: skip

_AMOUNTS: tuple[tuple[str, tuple[int, int]], ...] = (
    ("a dozen", (12, 12)), ("two dozen", (24, 24)), ("dozens", (24, 99)),
    ("a hundred", (100, 100)), ("one hundred", (100, 100)), ("hundreds", (200, 999)),
    ("several hundred", (200, 999)), ("a few hundred", (200, 500)),
    ("a thousand", (1000, 1000)), ("one thousand", (1000, 1000)), ("thousands", (2000, 9999)),
    ("several thousand", (2000, 9999)), ("a few thousand", (2000, 5000)),
    ("tens of thousands", (20000, 99999)),
    ("десяток", (10, 10)), ("десятки", (20, 99)), ("десятков", (20, 99)), ("сотня", (100, 100)),
    ("сотню", (100, 100)), ("сотни", (200, 999)), ("сотен", (200, 999)),
    ("несколько сотен", (200, 999)), ("тысяча", (1000, 1000)), ("тысячу", (1000, 1000)),
    ("тысячи", (2000, 9999)), ("тысяч", (2000, 9999)), ("несколько тысяч", (2000, 9999)),
    ("десятки тысяч", (20000, 99999)), ("полтысячи", (500, 500)),
    ("десятків", (20, 99)), ("сотні", (200, 999)), ("сотень", (200, 999)),
    ("кілька сотень", (200, 999)), ("тисяча", (1000, 1000)), ("тисячу", (1000, 1000)),
    ("тисячі", (2000, 9999)), ("тисяч", (2000, 9999)), ("кілька тисяч", (2000, 9999)),
    ("десятки тисяч", (20000, 99999)),
    ("عشرات", (20, 99)), ("مئات", (200, 999)), ("الاف", (2000, 9999)), ("ألف", (1000, 1000)),
    ("ألفي", (2000, 2000)), ("ألفا", (2000, 2000)), ("مئة", (100, 100)), ("مائة", (100, 100)),
    ("عشرات الآلاف", (20000, 99999)),
    ("ده ها", (20, 99)), ("دهها", (20, 99)), ("صدها", (200, 999)), ("هزاران", (2000, 9999)),
    ("چند صد", (200, 999)), ("چند هزار", (2000, 9999)), ("ده ها هزار", (20000, 99999)),
)  # fmt: skip

# Vague amounts that are also multiples after a number word ("две тысячи", "три сотни").
_AMOUNT_SCALE = {"тысячи": 1000, "тысяч": 1000, "тисячі": 1000, "тисяч": 1000, "сотни": 100,
                 "сотен": 100, "сотні": 100, "сотень": 100, "الاف": 1000}  # fmt: skip

_SMALL: tuple[tuple[str, int], ...] = (
    ("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
    ("eight", 8), ("nine", 9), ("ten", 10), ("twelve", 12), ("fifteen", 15), ("twenty", 20),
    ("thirty", 30), ("forty", 40), ("fifty", 50),
    ("один", 1), ("одна", 1), ("одну", 1), ("одного", 1), ("два", 2), ("две", 2), ("двух", 2),
    ("три", 3), ("трех", 3), ("четыре", 4), ("пять", 5), ("шесть", 6), ("семь", 7),
    ("восемь", 8), ("девять", 9), ("десять", 10), ("двадцать", 20), ("тридцать", 30),
    ("пятьдесят", 50),
    ("дві", 2), ("двох", 2), ("трьох", 3), ("чотири", 4), ("п'ять", 5), ("шість", 6), ("сім", 7),
    ("вісім", 8), ("дев'ять", 9), ("двадцять", 20),
    ("واحد", 1), ("واحدة", 1), ("اثنان", 2), ("اثنين", 2), ("ثلاث", 3), ("ثلاثة", 3),
    ("أربع", 4), ("أربعة", 4), ("خمس", 5), ("خمسة", 5), ("عشرة", 10),
    ("یک", 1), ("دو", 2), ("سه", 3), ("چهار", 4), ("پنج", 5), ("ده", 10), ("بیست", 20),
    ("پنجاه", 50),
)  # fmt: skip

_MULTIPLIERS: tuple[tuple[str, int], ...] = (
    ("hundred", 100), ("thousand", 1000), ("тысяч*", 1000), ("тыс", 1000), ("тисяч*", 1000),
    ("هزار", 1000), ("صد", 100),
)  # fmt: skip

_OPEN = ("more than", "over", "at least", "более", "больше", "свыше", "понад", "більше",
         "أكثر من", "اكثر من", "بیش از", "بیشتر از")  # fmt: skip
_UP_TO = ("up to", "as many as", "до", "не более", "не більше", "حتى", "تا")

# Digits: grouped thousands or a plain run, an optional "+", then optionally a multiplier word.
# The look-behind keeps model numbers (Su-35), dates (12/05) and decimals out.
_NUMBER = re.compile(
    r"(?<![\w.,/:\-])(?P<num>\d{1,3}(?:[,. ]\d{3})+(?![\d])|\d+)"
    r"(?:\s?[-–]\s?(?P<num2>\d{1,3}(?:[,. ]\d{3})+(?![\d])|\d+))?(?P<plus>\+)?"
    r"(?:\s?(?P<mult>thousand|k|тыс\w{0,5}|тисяч\w{0,3}|هزار|الاف|الف)(?!\w))?"
    r"(?!\w)"
)
_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")
_RANGE_JOIN = re.compile(r"\s?(?:-|–|to|or|до|или|або|чи|الی|الى|تا)\s?$")
_YEAR_WORDS = frozenset(
    {"in", "since", "of", "by", "в", "с", "у", "із", "з", "في", "منذ", "عام", "در", "سال"}
)


class Quantity(NamedTuple):
    """An amount of people at folded offsets [start, end); `unit` when it is a unit's size."""

    start: int
    end: int
    low: int
    high: int
    unit: bool = False


PHRASE_KINDS = frozenset({"unit", "amount", "small", "mult", "open", "upto"})


@cache
def _phrases() -> PhraseSet:
    return PhraseSet(count_entries())


def count_entries() -> list[tuple[str, str, object]]:
    """The count phrases, for a caller that scans once for several purposes."""
    entries: list[tuple[str, str, object]] = []
    entries += [(p, "unit", v) for p, v in UNIT_WORDS]
    entries += [(p, "amount", (v, _AMOUNT_SCALE.get(fold_phrase(p), 0))) for p, v in _AMOUNTS]
    entries += [(p, "small", v) for p, v in _SMALL]
    entries += [(p, "mult", v) for p, v in _MULTIPLIERS]
    entries += [(p, "open", None) for p in _OPEN]
    entries += [(p, "upto", None) for p in _UP_TO]
    return entries


def quantities(text: str, start: int, end: int, phrases: list[Hit] | None = None) -> list[Quantity]:
    """Quantities in folded `text[start:end]`, in order. `phrases` are the count phrases of the
    whole text (leftmost-longest, kinds in `PHRASE_KINDS`) when the caller already has them."""
    found_phrases = (
        _phrases().find_longest(text, start, end)
        if phrases is None
        else within(phrases, start, end)
    )
    first_digit = _DIGIT.search(text, start, end)
    if first_digit is None and not found_phrases:
        return []  # most windows: nothing that could be a number
    tokens: list[_Token] = []
    for h in found_phrases:
        if h.kind == "amount":
            tokens.append(_Token(h.start, h.end, h.kind, h.value[1], h.value[0]))
        elif isinstance(h.value, tuple):
            tokens.append(_Token(h.start, h.end, h.kind, 0, h.value))
        else:
            tokens.append(_Token(h.start, h.end, h.kind, h.value or 0, (0, 0)))
    digits_from = end if first_digit is None else first_digit.start()
    for m in _NUMBER.finditer(text, digits_from, end):
        value = _digits(m.group("num"))
        if value is None or _is_year(text, m.start(), value, m.group("mult")):
            continue
        scale = 1000 if m.group("mult") else 1
        kind = "plus" if m.group("plus") else "digits"
        second = _digits(m.group("num2") or "")
        if second is not None and second > value:
            tokens.append(_Token(m.start(), m.end(), "range", 0, (value * scale, second * scale)))
        else:
            tokens.append(_Token(m.start(), m.end(), kind, value * scale, (0, 0)))
    tokens.sort(key=lambda t: (t.start, -t.end))
    # Digits win over a phrase they overlap ("3 тысячи" is 3,000, not "thousands").
    tokens = _without_overlaps(tokens)
    found: list[Quantity] = []
    pending: _Token | None = None  # an "open"/"upto" word waiting for its number
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        i += 1
        if tok.kind in ("open", "upto"):
            pending = tok
            continue
        if tok.kind == "amount" and tok.span[0] == tok.span[1] and _applies(text, pending, tok):
            # "more than a thousand", "up to a hundred"
            assert pending is not None
            low = tok.span[0]
            span = (low, 2 * low) if pending.kind == "open" else (1, low)
            found.append(Quantity(pending.start, tok.end, *span))
        elif tok.kind in ("amount", "unit", "range"):
            found.append(Quantity(tok.start, tok.end, *tok.span, unit=tok.kind == "unit"))
        elif tok.kind == "mult":
            found.append(Quantity(tok.start, tok.end, tok.number, tok.number))
        else:
            n, s, e = tok.number, tok.start, tok.end
            if (
                tok.kind == "small"
                and nxt is not None
                and (nxt.kind == "mult" or (nxt.kind == "amount" and nxt.number))
                and _adjacent(text, e, nxt.start)
            ):
                n *= nxt.number
                e = nxt.end
                i += 1
                nxt = tokens[i] if i < len(tokens) else None
            if nxt is not None and nxt.kind == "unit" and _adjacent(text, e, nxt.start):
                found.append(Quantity(s, nxt.end, n * nxt.span[0], n * nxt.span[1], unit=True))
                i += 1
            elif tok.kind == "digits" and _closes_range(text, found, s, n):
                # "200-300", "200 to 300": the second number closes the range.
                prev = found.pop()
                found.append(Quantity(prev.start, e, prev.low, n))
            elif tok.kind == "small" and n == 1:
                pass  # "one" alone is an article more often than a count
            else:
                low, high = n, (2 * n if tok.kind == "plus" else n)
                if pending is not None and _adjacent(text, pending.end, s):
                    s = pending.start
                    low, high = (n, 2 * n) if pending.kind == "open" else (1, n)
                found.append(Quantity(s, e, low, high))
        pending = None
    return found


def has_digit(text: str, start: int, end: int) -> bool:
    """Whether folded `text[start:end]` has a digit: without one, and without count phrases,
    it names no quantity. In C (a regular expression takes a few microseconds a sentence);
    `has_digit_py` is the Python reference."""
    return _native.has_digit(text, start, end)


def has_digit_py(text: str, start: int, end: int) -> bool:
    """The Python reference of `has_digit`."""
    return _DIGIT.search(text, start, end) is not None


def _applies(text: str, pending: _Token | None, tok: _Token) -> bool:
    return pending is not None and _adjacent(text, pending.end, tok.start)


def _without_overlaps(tokens: list[_Token]) -> list[_Token]:
    kept: list[_Token] = []
    for tok in tokens:
        if kept and tok.start < kept[-1].end:
            if kept[-1].kind in _DIGIT_KINDS or tok.kind not in _DIGIT_KINDS:
                continue
            kept.pop()
        kept.append(tok)
    return kept


_DIGIT_KINDS = frozenset({"digits", "plus", "range"})


class _Token(NamedTuple):
    start: int
    end: int
    kind: str
    number: int
    span: tuple[int, int]


def _closes_range(text: str, found: list[Quantity], start: int, n: int) -> bool:
    if not found or found[-1].unit or found[-1].low >= n:
        return False
    return _RANGE_JOIN.search(text, found[-1].end, start) is not None


def _digits(raw: str) -> int | None:
    digits = _NOT_DIGIT.sub("", raw)
    if not digits or len(digits) > 7:
        return None  # more than a few million troops is a phone number, not a count
    return int(digits) or None  # "0" is no amount of troops


def _adjacent(text: str, end: int, start: int) -> bool:
    gap = text[end:start]
    return len(gap) <= 4 and (gap.strip() in ("", "of", "از"))


def _is_year(text: str, start: int, value: int, mult: str | None) -> bool:
    if mult or not 1900 <= value <= 2100:
        return False
    before = text[max(0, start - 8) : start].split()
    return bool(before) and before[-1] in _YEAR_WORDS
