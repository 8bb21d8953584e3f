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
  common word, not a spelling listed for an entity (an ambiguous alias stays ambiguous:
  Afrikakorps, listed as one, counts only with context), and no listed match covers it;
- its length is within a quarter of the name's (Sulaymaniyah is not Soleimani), and it ends in a
  vowel where the name does and in a consonant where it does (Suleiman is not Soleimani), but
  for a Cyrillic word, which may add a case ending in a vowel to a name that ends in a consonant
  (С Хмэймима, from Хмеймим), or to a one-word name one with a consonant of its own, whose
  skeleton is then the word's less its last class (Над Хмемимом, с Алаудыновым; `_case_stem`);
  a possessive 's or ' after a capitalised word is no part of it (Soleimany's);
- the name is an alias, not an ambiguous one, and not a context term.

A match reports the name's alias in the word's script where it has one (Хмэймима as Хмеймім).
The engine's namesake rules (`derived.drop_namesakes`, exclude terms) apply after, as to every
match. The main pass does not look for skeletons: one C pass over the post
(`_native.skeleton_candidates`) finds its candidate words, computes their skeletons (`skeleton`
here is the reference the tests hold the C one to) and looks them up in a table of hashes built
once per watchlist (in C with the index, `_native.skeleton_index`; `Skeletons.build_py` is its
reference): a word is passed on only if its skeleton may start a name and either makes
a one-word name ending as the word does, or makes a name with one or two of the words after it,
it is not a common word or a word of a listed spelling (the first word of a name of several
may start a misspelt one: Dayr al-Zur's, Дейр Зору) and no listed match covers it (a word whose consonants are too few
for the shortest skeleton a name starts with, as most Arabic-script words are, is counted, not
folded, and read only as a word after another). Most posts have none, and `find`
returns at once; the few words passed on are judged here by the rules above. On the bench's
chatter mix with its 10,000 generated aliases (names of everyday syllables) the C pass costs
about a tenth of classify's instructions. Built once, then only read: pure and reentrant, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.classifier import _native
from services.classifier.matching import Match
from services.classifier.text import fold, is_arabic, is_cyrillic
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
    "аль эль ель ал эл ад ед эд ар эр ан эн ас эс ат эт аз ез эз аш эш"
)
_ARTICLES = frozenset(_ARTICLE_WORDS.split())
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "ال")
_COMMON = frozenset(fold(w) for w in COMMON_WORDS)
# Candidate words: a capitalised Latin or Cyrillic word, or an Arabic-script one, of four
# letters or more.
_WORD = re.compile(r"[A-ZА-ЯЁІЇЄҐ][a-zа-яёіїєґ'’]{2,}|[\u0620-\u064a\u066e-\u06d3\u200c]{3,}")
# Hyphens and apostrophes part the words of a name, as spaces do.
_APART = str.maketrans({"-": " ", "'": " ", "’": " "})
_TWICE = re.compile(r"(.)\1")
# The kinds of key in the C table (`_native.skeleton_table`): a skeleton that a capitalised
# word may start a name with; a listed name's (what an Arabic-script word may start a name
# with, and what words in a row may make); a one-word name's, with whether it ends in a vowel
# and whether a word of it may have a consonant doubled.
_LATIN = 1
_NAME = 2
_WHOLE = 3


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
    words = key.translate(_APART).split()
    if len(words) < 2:
        return words
    kept = words[:1]
    for w in words[1:]:
        if w in _ARTICLES:
            continue
        kept.append(_strip_article(w)[-1])
    return kept


class Skeletons:
    """Built once per watchlist from its entities' aliases and the matcher's (entity, alias,
    role) entries, derived ones included; only read after."""

    def __init__(self, watchlist: Watchlist, entries: Iterable[tuple[int, str, int]]) -> None:
        # One C call builds what `build_py` builds (its reference): the index, the folded
        # spellings, the words never read, the skeletons that may start a name, the table.
        index, listed, skip, starts, longest, table = _native.skeleton_index(
            entries,
            [e.aliases for e in watchlist.entities],
            _ARTICLES,
            _COMMON,
            MIN_CLASSES,
        )
        # Skeleton (words joined) -> [(entity, alias, letters, ends in a vowel, doubled)].
        self._index: dict[str, list[tuple[int, str, int, bool, bool]]] = index
        # Every listed spelling, folded: a word that is one is the listed matcher's to judge.
        self._listed: set[str] = listed
        self._longest = longest
        # The skeleton of every listed name's first word, and of every name: a capitalised
        # word with one of them may start a name; an Arabic-script word only with a name's.
        self._starts = starts
        self._table = table
        # Words never read for a skeleton: common words and words of listed spellings (not the
        # first of a name of several words).
        self._skip = skip

    @classmethod
    def build_py(cls, watchlist: Watchlist, entries: Iterable[tuple[int, str, int]]) -> Skeletons:
        """The Python reference of the build: the tests hold `Skeletons(...)` to the same
        index (in the same order), spellings, table and bounds."""
        self = cls.__new__(cls)
        self._index = {}
        self._listed = set()
        # And every word of them but the first of a name of several: a word of a listed name,
        # written as listed, is the listed matcher's too.
        listed_words: set[str] = set()
        # Folded once a spelling: the entries repeat the aliases, derived words beside them.
        folded: dict[str, str] = {}
        for _, alias, _ in entries:
            key = folded.get(alias)
            if key is None:
                key = folded[alias] = fold(alias.strip())
                self._listed.add(key)
                words = key.translate(_APART).split()
                # Not the first of several: it may start a misspelt name (Dayr al-Zur's).
                listed_words.update(words if len(words) == 1 else words[1:])
        firsts: set[str] = set()
        # Only the operator's own aliases: a derived word (سپاهيون from سپاه) is a guess already.
        for entity, e in enumerate(watchlist.entities):
            for alias in e.aliases:
                key = folded.get(alias)
                if key is None:
                    key = fold(alias.strip())
                if not key:
                    continue
                words = _name_words(key)
                if not words or len(words) > 3:
                    continue
                skels = [_native.skeleton(w) for w in words]
                skel = "".join(skels)
                if len(skel) < MIN_CLASSES or any(len(s) < 2 for s in skels):
                    continue
                if len(words) > 1:
                    firsts.add(skels[0])
                letters = sum(len(w) for w in words)
                value = (entity, alias, letters, _ends_in_vowel(words[-1]), _doubled(key))
                names = self._index.setdefault(skel, [])
                if value not in names:
                    names.append(value)
        self._longest = max((len(s) for s in self._index), default=0)
        # The skeleton of every listed name's first word, when it says enough on its own (three
        # classes), and of every one-word name: a capitalised word with one of them may start
        # a name; an Arabic-script word (no capitals to tell a name) only with a whole name's.
        self._starts = frozenset(self._index) | firsts
        whole = {
            (_WHOLE, skel, vowel, doubled)
            for skel, names in self._index.items()
            for _, _, _, vowel, name_doubled in names
            for doubled in ((False, True) if name_doubled else (False,))
        }
        self._table = _native.skeleton_table(
            [
                *((_LATIN, s) for s in self._starts),
                *((_NAME, s) for s in self._index),
                *whole,
            ]
        )
        self._skip = _COMMON | listed_words
        return self

    def __bool__(self) -> bool:
        return bool(self._index)

    def _starts_name(self, key: str, latin: bool) -> bool:
        """Whether a (folded) word may start a name by its skeleton: not a common word nor a
        listed spelling, with or without an ending, and a listed name's skeleton or,
        capitalised, its first word's."""
        if key in self._skip or self._inflected(key):
            return False
        starts = self._starts if latin else self._index
        return any(_native.skeleton(w) in starts for w in _strip_article(key))

    def _stem_starts_name(self, key: str, latin: bool) -> str | None:
        """A capitalised word's stem less a case ending with a consonant of its own, when it
        may be a one-word name by its skeleton (`_case_stem`), else None."""
        stem = _case_stem(key) if latin else None
        if stem is None or key in self._skip or self._inflected(key):
            return None
        return stem if skeleton(stem) in self._starts else None

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
        # One C pass finds the words that may start a name (most posts have none); each is
        # judged here, with the one or two words after it.
        candidates = _native.skeleton_candidates(text, self._table, self._skip, matches)
        if candidates is None:
            return []
        return self._judge(text, matches, candidates)

    def find_py(self, text: str, matches: list[Match]) -> list[Match]:
        """`find` with every candidate word judged, not only those the C pass lets through:
        the reference the tests hold `find` to."""
        return self._judge(text, matches, [_span(text, w) for w in _WORD.finditer(text)])

    def _judge(
        self, text: str, matches: list[Match], candidates: list[tuple[int, int]]
    ) -> list[Match]:
        out: list[Match] = []
        index = self._index
        found: set[int] = set()
        after = 0  # the end of the last name found: the next starts after it
        for start, end in candidates:
            if start < after or not self._readable(text, start, end, matches):
                continue
            key = fold(text[start:end])
            upper = text[start].isupper()
            whole = self._starts_name(key, upper)
            stem = self._stem_starts_name(key, upper)
            if not whole and stem is None:
                continue
            best: tuple[int, Match] | None = None
            # Of the names a span may be, the one written in the word's script, for the
            # analyst who reads the match (Хмэймима as Хмеймим, not حميميم).
            script = _script(text[start])
            best_same = False
            # One word, then two or three in a row (a name of several words, articles left out).
            span_words: list[str] = []
            skels: list[str] = [""]
            last = start
            for j, w in enumerate(_WORD.finditer(text, start)):
                if j == 3:
                    break
                s, e = _span(text, w)
                if j > 0 and (
                    not self._readable(text, s, e, matches) or not _adjacent(text, last, s)
                ):
                    break
                last = e
                k = key if j == 0 else fold(text[s:e])
                if k in _ARTICLES or k == "ال":
                    continue
                span_words.append(k)
                skels = [a + b for a in skels for b in _variants(k)] if whole else []
                for skel in skels:
                    if len(skel) < MIN_CLASSES or len(skel) > self._longest:
                        continue
                    for entity, alias, letters, vowel, doubled in index.get(skel, ()):
                        if entity in found:
                            continue
                        if not doubled and any(_doubled(x) for x in span_words):
                            continue  # a consonant doubled that the name has single: a slip too many
                        got = sum(len(x) for x in span_words)
                        if abs(got - letters) * 4 > letters:
                            continue
                        if _ends_in_vowel(k) != vowel and (vowel or not _case_ending(k)):
                            continue
                        same = _script(alias.strip()[:1]) == script
                        if best is None or best[0] < e or same or not best_same:
                            best = (e, Match(entity, alias, start, e))
                            best_same = same
                if j == 0 and stem is not None:
                    # A one-word name that ends in a consonant, with a case ending that has one
                    # of its own (Над Хмемимом, с Алаудыновым).
                    for entity, alias, letters, vowel, doubled in index.get(skeleton(stem), ()):
                        if entity in found or vowel or (not doubled and _doubled(k)):
                            continue
                        if abs(len(stem) - letters) * 4 > letters:
                            continue
                        same = _script(alias.strip()[:1]) == script
                        if best is None or best[0] < e or same or not best_same:
                            best = (e, Match(entity, alias, start, e))
                            best_same = same
                if not whole:
                    break
            if best is not None:
                found.add(best[1].entity)
                out.append(best[1])
                after = best[0]
        return out

    @staticmethod
    def _readable(text: str, start: int, end: int, matches: list[Match]) -> bool:
        """Whether a word stands on its own (not inside a CamelCase word) where no listed
        match is."""
        if start > 0 and text[start - 1].isalpha():
            return False
        return not any(m.start < end and start < m.end for m in matches)


def _script(ch: str) -> int:
    """The script of a letter: Arabic, Cyrillic, or another (Latin)."""
    return 2 if is_arabic(ch) else 1 if is_cyrillic(ch) else 0


def _span(text: str, w: re.Match[str]) -> tuple[int, int]:
    """A word's span, without a possessive ending after a capitalised one ("Soleimany's",
    "Soleimany’": the name, not its case); `_native.skeleton_candidates` reads words so."""
    start, end = w.span()
    if not text[start].isupper():
        return start, end
    if end - start > 2 and text[end - 1] in "sS" and text[end - 2] in "'’":
        return start, end - 2
    if text[end - 1] in "'’":
        return start, end - 1
    return start, end


_CYRILLIC_VOWELS = frozenset("аеиоуыэюяєіїйь")


def _case_ending(word: str) -> bool:
    """Whether a folded word ends in a Cyrillic vowel: a case of a name that ends in a
    consonant (Хмэймима, the genitive of a misspelt Хмеймим), its skeleton the name's."""
    return word[-1:] in _CYRILLIC_VOWELS


# The case endings with a consonant of their own (instrumental, dative, locative and genitive
# plural; a surname's instrumental) that a Cyrillic word may add to a name that ends in a
# consonant: the skeleton of the word has one class more than the name's. The longest first.
_CONSONANT_CASES = (
    "ами", "ями", "ом", "ем", "єм", "ам", "ям", "ым", "им", "ах", "ях", "ов", "ев", "ів",
)  # fmt: skip


def _case_stem(word: str) -> str | None:
    """A folded word less a case ending with a consonant of its own, when what is left ends
    in a Cyrillic consonant (Хмемимом: хмемим), or None."""
    for ending in _CONSONANT_CASES:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            last = stem[-1:]
            if last and is_cyrillic(last) and last not in _CYRILLIC_VOWELS:
                return stem
            return None
    return None


def _variants(folded: str) -> tuple[str, ...]:
    """The skeletons of a folded word, as it is and without an Arabic article."""
    return tuple(dict.fromkeys(_native.skeleton(w) for w in _strip_article(folded)))


def _doubled(word: str) -> bool:
    """Whether a word has a consonant twice in a row (a vowel written twice, as اا in
    علاالدینوف, is a vowel still, and vowels are not read), not counting the -off spelling
    of a surname's -ov at its end (Алаудінофф, Kadyroff)."""
    if word.endswith(("off", "офф")):
        word = word[:-1]
    return any(m[1].isalpha() and m[1] not in _VOWELS for m in _TWICE.finditer(word))


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether only a space, a hyphen or an apostrophe stands between two words."""
    gap = text[end:start]
    if not gap or len(gap) > 6:
        return False
    rest = gap.strip(" -'’\u200c")
    return not rest or (fold(rest) in _ARTICLES and rest.islower())
